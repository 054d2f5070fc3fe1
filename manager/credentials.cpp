#include "manager/credentials.hpp"

#include <fcntl.h>
#include <nettle/sha2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ipc/messages.hpp"
#include "ras.h"

namespace openras::manager {
namespace {

// Values are written escaped so that any character (newlines included) round-trips.
std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape(const std::string& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      out += v[i + 1] == 'n' ? '\n' : v[i + 1];
      ++i;
    } else {
      out += v[i];
    }
  }
  return out;
}

}  // namespace

SavedCredentials::~SavedCredentials() {
  if (password) wipe(*password);
  if (pre_shared_key) wipe(*pre_shared_key);
}

void wipe(std::string& secret) {
  explicit_bzero(secret.data(), secret.size());
  secret.clear();
}

CredentialStore::CredentialStore(std::string state_dir, std::size_t max_entries_per_user)
    : dir_(std::move(state_dir)), max_entries_per_user_(max_entries_per_user) {}

std::string CredentialStore::default_state_dir() {
  if (geteuid() == 0) return "/var/lib/openras";
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return std::string(state) + "/openras";
  }
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/tmp") + "/.local/state/openras";
}

std::string CredentialStore::path_for(std::uint32_t uid, const std::string& phonebook,
                                      const std::string& entry) const {
  // The file name says nothing about the entry: a digest of phonebook and entry name.
  sha256_ctx ctx;
  sha256_init(&ctx);
  std::string key = phonebook + '\n' + entry;
  sha256_update(&ctx, key.size(), reinterpret_cast<const std::uint8_t*>(key.data()));
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof(digest), digest);
  static const char* hex = "0123456789abcdef";
  std::string name;
  for (auto b : digest) {
    name += hex[b >> 4];
    name += hex[b & 15];
  }
  return dir_ + "/credentials/" + std::to_string(uid) + "/" + name;
}

std::optional<SavedCredentials> CredentialStore::load(std::uint32_t uid,
                                                      const std::string& phonebook,
                                                      const std::string& entry) const {
  std::ifstream in(path_for(uid, phonebook, entry));
  if (!in) return std::nullopt;
  SavedCredentials c;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = unescape(line.substr(eq + 1));
    if (key == "user") c.user = value;
    if (key == "domain") c.domain = value;
    if (key == "password") c.password = value;
    if (key == "psk") c.pre_shared_key = value;
    if (key == "eap") c.eap_user_data = value;
    wipe(line);
    wipe(value);
  }
  return c;
}

std::uint32_t CredentialStore::save(std::uint32_t uid, const std::string& phonebook,
                                    const std::string& entry, const SavedCredentials& fields,
                                    std::uint32_t mask, bool clear) {
  namespace fs = std::filesystem;
  std::string path = path_for(uid, phonebook, entry);
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  if (uid != 0 && !clear && !fs::exists(path, ec)) {
    // A new entry: a user may not fill root's disk with saved credentials.
    std::size_t held = 0;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      ++held;
    }
    if (held >= max_entries_per_user_) return ERROR_NOT_ENOUGH_QUOTA;
  }
  fs::create_directories(dir, ec);
  ::chmod(dir.parent_path().c_str(), 0700);
  ::chmod(dir.c_str(), 0700);
  SavedCredentials merged = load(uid, phonebook, entry).value_or(SavedCredentials{});
  if (mask & RASCM_UserName) merged.user = clear ? "" : fields.user;
  if (mask & RASCM_Domain) merged.domain = clear ? "" : fields.domain;
  // A secret is forgotten by wiping it, or replaced by what was given (an empty one counts).
  auto update_secret = [clear](std::optional<std::string>& kept,
                               const std::optional<std::string>& given) {
    if (clear) {
      if (kept) wipe(*kept);
      kept.reset();
    } else {
      kept = given.value_or("");
    }
  };
  if (mask & RASCM_Password) update_secret(merged.password, fields.password);
  if (mask & RASCM_PreSharedKey) update_secret(merged.pre_shared_key, fields.pre_shared_key);
  if (mask & ipc::kCredentialsEapUserData) merged.eap_user_data = clear ? "" : fields.eap_user_data;
  if (merged.user.empty() && merged.domain.empty() && !merged.password && !merged.pre_shared_key &&
      merged.eap_user_data.empty()) {
    fs::remove(path, ec);
    return 0;
  }
  std::string text = "user=" + escape(merged.user) + "\ndomain=" + escape(merged.domain) + "\n";
  if (merged.password) text += "password=" + escape(*merged.password) + "\n";
  if (merged.pre_shared_key) text += "psk=" + escape(*merged.pre_shared_key) + "\n";
  if (!merged.eap_user_data.empty()) text += "eap=" + escape(merged.eap_user_data) + "\n";
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    wipe(text);
    return ERROR_CANNOT_WRITE_PHONEBOOK;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  wipe(text);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return ERROR_CANNOT_WRITE_PHONEBOOK;
  }
  return 0;
}

}  // namespace openras::manager
