#include "ppp/mschapv2.hpp"

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "raserror.h"

namespace openras::ppp::mschap {
namespace {

constexpr char kMagic1[] = "Magic server to client signing constant";
constexpr char kMagic2[] = "Pad to make it do more than one iteration";
constexpr char kMasterMagic[] = "This is the MPPE Master Key";
constexpr char kClientSendMagic[] =
    "On the client side, this is the send key; on the server side, it is the receive key.";
constexpr char kClientReceiveMagic[] =
    "On the client side, this is the receive key; on the server side, it is the send key.";

struct Sha1 {
  sha1_ctx ctx;
  Sha1() { sha1_init(&ctx); }
  Sha1& add(const void* data, std::size_t n) {
    sha1_update(&ctx, n, static_cast<const std::uint8_t*>(data));
    return *this;
  }
  std::array<std::uint8_t, SHA1_DIGEST_SIZE> digest() {
    std::array<std::uint8_t, SHA1_DIGEST_SIZE> out;
    sha1_digest(&ctx, out.size(), out.data());
    return out;
  }
};

// Spread 56 key bits over 8 octets (the low bit of each is parity), then DES-encrypt.
void des_encrypt(const std::uint8_t* clear, const std::uint8_t* key7, std::uint8_t* cypher) {
  std::uint8_t key[8];
  key[0] = key7[0];
  for (int i = 1; i < 7; ++i) {
    key[i] = static_cast<std::uint8_t>((key7[i - 1] << (8 - i)) | (key7[i] >> i));
  }
  key[7] = static_cast<std::uint8_t>(key7[6] << 1);
  for (auto& k : key) k &= 0xFE;
  des_fix_parity(8, key, key);
  des_ctx ctx;
  des_set_key(&ctx, key);  // a weak key still encrypts; MS-CHAP has no choice about it
  des_encrypt(&ctx, 8, cypher, clear);
}

}  // namespace

std::string hex_upper(const std::uint8_t* p, std::size_t n) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(digits[p[i] >> 4]);
    s.push_back(digits[p[i] & 15]);
  }
  return s;
}

std::string_view hashed_user_name(std::string_view user) {
  auto slash = user.find('\\');
  return slash == std::string_view::npos ? user : user.substr(slash + 1);
}

Hash16 nt_password_hash(std::string_view password) {
  Bytes unicode;
  unicode.reserve(password.size() * 2);
  // The password is UTF-8; MS-CHAP hashes UTF-16LE. Decode what is valid, byte by byte else.
  for (std::size_t i = 0; i < password.size();) {
    auto c = static_cast<unsigned char>(password[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xC0 && c < 0xE0 && i + 1 < password.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(password[i + 1]) & 0x3Fu);
      len = 2;
    } else if (c >= 0xE0 && c < 0xF0 && i + 2 < password.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(password[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(password[i + 2]) & 0x3Fu);
      len = 3;
    }
    unicode.push_back(static_cast<std::uint8_t>(cp));
    unicode.push_back(static_cast<std::uint8_t>(cp >> 8));
    i += len;
  }
  md4_ctx ctx;
  md4_init(&ctx);
  md4_update(&ctx, unicode.size(), unicode.data());
  Hash16 out;
  md4_digest(&ctx, out.size(), out.data());
  std::fill(unicode.begin(), unicode.end(), 0);
  return out;
}

Hash16 hash_nt_password_hash(const Hash16& hash) {
  md4_ctx ctx;
  md4_init(&ctx);
  md4_update(&ctx, hash.size(), hash.data());
  Hash16 out;
  md4_digest(&ctx, out.size(), out.data());
  return out;
}

std::array<std::uint8_t, 8> challenge_hash(const Challenge16& peer_challenge,
                                           const Challenge16& authenticator_challenge,
                                           std::string_view user_name) {
  auto d = Sha1()
               .add(peer_challenge.data(), 16)
               .add(authenticator_challenge.data(), 16)
               .add(user_name.data(), user_name.size())
               .digest();
  std::array<std::uint8_t, 8> out;
  std::memcpy(out.data(), d.data(), 8);
  return out;
}

NtResponse challenge_response(const std::array<std::uint8_t, 8>& challenge, const Hash16& hash) {
  std::uint8_t z[21] = {};
  std::memcpy(z, hash.data(), 16);
  NtResponse out;
  des_encrypt(challenge.data(), z, out.data());
  des_encrypt(challenge.data(), z + 7, out.data() + 8);
  des_encrypt(challenge.data(), z + 14, out.data() + 16);
  return out;
}

NtResponse generate_nt_response(const Challenge16& authenticator_challenge,
                                const Challenge16& peer_challenge, std::string_view user_name,
                                std::string_view password) {
  auto challenge = challenge_hash(peer_challenge, authenticator_challenge, user_name);
  return challenge_response(challenge, nt_password_hash(password));
}

std::string authenticator_response(std::string_view password, const NtResponse& nt_response,
                                   const Challenge16& peer_challenge,
                                   const Challenge16& authenticator_challenge,
                                   std::string_view user_name) {
  Hash16 hash_hash = hash_nt_password_hash(nt_password_hash(password));
  auto digest = Sha1()
                    .add(hash_hash.data(), 16)
                    .add(nt_response.data(), nt_response.size())
                    .add(kMagic1, sizeof(kMagic1) - 1)
                    .digest();
  auto challenge = challenge_hash(peer_challenge, authenticator_challenge, user_name);
  auto final_digest = Sha1()
                          .add(digest.data(), digest.size())
                          .add(challenge.data(), challenge.size())
                          .add(kMagic2, sizeof(kMagic2) - 1)
                          .digest();
  return "S=" + hex_upper(final_digest.data(), final_digest.size());
}

Hash16 master_key(const Hash16& password_hash_hash, const NtResponse& nt_response) {
  auto d = Sha1()
               .add(password_hash_hash.data(), 16)
               .add(nt_response.data(), nt_response.size())
               .add(kMasterMagic, sizeof(kMasterMagic) - 1)
               .digest();
  Hash16 out;
  std::memcpy(out.data(), d.data(), 16);
  return out;
}

Hash16 asymmetric_start_key(const Hash16& master, bool is_send, bool is_server) {
  const char* magic = (is_send != is_server) ? kClientSendMagic : kClientReceiveMagic;
  std::uint8_t pad1[40], pad2[40];
  std::memset(pad1, 0x00, sizeof(pad1));
  std::memset(pad2, 0xF2, sizeof(pad2));
  auto d = Sha1()
               .add(master.data(), 16)
               .add(pad1, sizeof(pad1))
               .add(magic, std::strlen(magic))
               .add(pad2, sizeof(pad2))
               .digest();
  Hash16 out;
  std::memcpy(out.data(), d.data(), 16);
  return out;
}

Failure parse_failure(std::string_view text) {
  Failure f;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (text.compare(pos, 2, "M=") == 0) {
      f.message = std::string(text.substr(pos + 2));  // the message runs to the end
      break;
    }
    auto end = text.find(' ', pos);
    std::string_view field =
        text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (field.size() < 2 || field[1] != '=') continue;
    std::string_view value = field.substr(2);
    switch (field[0]) {
      case 'E':
        std::from_chars(value.data(), value.data() + value.size(), f.error);
        break;
      case 'R':
        f.retry = value == "1";
        break;
      case 'C':
        if (value.size() == 32) {
          Challenge16 c;
          bool ok = true;
          for (int i = 0; i < 16 && ok; ++i) {
            auto r = std::from_chars(value.data() + 2 * i, value.data() + 2 * i + 2, c[i], 16);
            ok = r.ec == std::errc() && r.ptr == value.data() + 2 * i + 2;
          }
          if (ok) f.challenge = c;
        }
        break;
      default:
        break;
    }
  }
  return f;
}

Bytes ClientExchange::respond(const Challenge16& authenticator_challenge,
                              const Challenge16& peer_challenge, std::string_view user,
                              std::string_view password) {
  authenticator_challenge_ = authenticator_challenge;
  peer_challenge_ = peer_challenge;
  nt_response_ = generate_nt_response(authenticator_challenge_, peer_challenge_,
                                      hashed_user_name(user), password);
  Bytes value(peer_challenge_.begin(), peer_challenge_.end());
  value.insert(value.end(), 8, 0);
  value.insert(value.end(), nt_response_.begin(), nt_response_.end());
  value.push_back(0);  // flags
  return value;
}

bool ClientExchange::server_proved(std::string_view message, std::string_view user,
                                   std::string_view password) const {
  const std::string expected = authenticator_response(
      password, nt_response_, peer_challenge_, authenticator_challenge_, hashed_user_name(user));
  if (message.size() < expected.size()) return false;
  return std::equal(expected.begin(), expected.end(), message.begin(), [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) ==
           std::toupper(static_cast<unsigned char>(y));
  });
}

Hash16 ClientExchange::master_key(std::string_view password) const {
  return mschap::master_key(hash_nt_password_hash(nt_password_hash(password)), nt_response_);
}

ServerVerdict judge_response(const Challenge16& challenge, ByteView value, std::string_view name,
                             const std::optional<std::string>& password) {
  ServerVerdict verdict;
  if (value.size() == 49 && password) {
    Challenge16 peer;
    std::copy_n(value.begin(), 16, peer.begin());
    NtResponse nt;
    std::copy_n(value.begin() + 24, 24, nt.begin());
    if (generate_nt_response(challenge, peer, hashed_user_name(name), *password) == nt) {
      verdict.ok = true;
      verdict.message =
          authenticator_response(*password, nt, peer, challenge, hashed_user_name(name)) +
          " M=Welcome";
      verdict.master_key =
          mschap::master_key(hash_nt_password_hash(nt_password_hash(*password)), nt);
      return verdict;
    }
  }
  verdict.message = "E=691 R=0 C=" + hex_upper(challenge.data(), 16) + " V=3 M=Access denied";
  return verdict;
}

std::uint32_t failure_win32_error(std::uint32_t e) {
  switch (e) {
    case ERROR_RESTRICTED_LOGON_HOURS:
    case ERROR_ACCT_DISABLED:
    case ERROR_PASSWD_EXPIRED:
    case ERROR_NO_DIALIN_PERMISSION:
    case ERROR_AUTHENTICATION_FAILURE:
    case ERROR_CHANGING_PASSWORD:
      return e;
    default:
      return ERROR_AUTHENTICATION_FAILURE;
  }
}

}  // namespace openras::ppp::mschap
