#include "phonebook/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "raserror.h"

namespace openras::phonebook {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

std::string user_phonebook_path() {
  std::string base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::string(home) + "/.config";
  } else {
    base = "/tmp";
  }
  return env_or("OPENRAS_USER_PHONEBOOK", base + "/openras/rasphone.pbk");
}

std::string system_phonebook_path() {
  return env_or("OPENRAS_SYSTEM_PHONEBOOK", "/etc/openras/rasphone.pbk");
}

std::uint32_t load_phonebook(const std::string& path, bool must_exist, LoadedPhonebook& out) {
  out.path = path;
  // O_NONBLOCK: a FIFO must not hang the caller in open(); only a regular file is read, and
  // only up to a bound (/dev/zero would otherwise be read until memory runs out).
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (!must_exist && errno == ENOENT) {
      out.file = PbkFile::parse("");
      return 0;
    }
    return ERROR_CANNOT_OPEN_PHONEBOOK;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return ERROR_CANNOT_OPEN_PHONEBOOK;
  }
  if (st.st_size > static_cast<off_t>(kMaxPhonebookBytes)) {
    ::close(fd);
    return ERROR_CANNOT_LOAD_PHONEBOOK;
  }
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) text.resize(std::min(kMaxPhonebookBytes + 1, text.size() * 2 + 4096));
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return ERROR_CANNOT_LOAD_PHONEBOOK;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got > kMaxPhonebookBytes) {  // it grew while we read
      ::close(fd);
      return ERROR_CANNOT_LOAD_PHONEBOOK;
    }
  }
  ::close(fd);
  text.resize(got);
  out.file = PbkFile::parse(text);
  return 0;
}

std::vector<LoadedPhonebook> load_default_phonebooks() {
  std::vector<LoadedPhonebook> books;
  LoadedPhonebook user, system;
  if (load_phonebook(user_phonebook_path(), false, user) == 0) books.push_back(std::move(user));
  if (system_phonebook_path() != user_phonebook_path() &&
      load_phonebook(system_phonebook_path(), false, system) == 0) {
    system.all_users = true;
    books.push_back(std::move(system));
  }
  return books;
}

std::uint32_t save_phonebook(const std::string& path, const PbkFile& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return ERROR_CANNOT_WRITE_PHONEBOOK;
    out << file.serialize();
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return ERROR_CANNOT_WRITE_PHONEBOOK;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    fs::remove(tmp, ec);
    return ERROR_CANNOT_WRITE_PHONEBOOK;
  }
  return 0;
}

std::string writable_default_phonebook() {
  return geteuid() == 0 && !std::getenv("OPENRAS_USER_PHONEBOOK") ? system_phonebook_path()
                                                                  : user_phonebook_path();
}

}  // namespace openras::phonebook
