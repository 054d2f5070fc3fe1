#include "link/sstp_binding.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "ppp/mschapv2.hpp"

namespace openras::link::sstp {
namespace {

constexpr std::string_view kCmkSeed = "SSTP inner method derived CMK";
constexpr std::size_t kFieldSize = 32;  // cert hash and MAC fields, padded with zeros
constexpr std::size_t kBindingValueSize = 4 + 32 + kFieldSize + kFieldSize;

const EVP_MD* digest(std::uint8_t hash_protocol) {
  return hash_protocol == kHashSha1 ? EVP_sha1() : EVP_sha256();
}

Bytes hmac(std::uint8_t hash_protocol, ByteView key, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  HMAC(digest(hash_protocol), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
       out.data(), &len);
  out.resize(len);
  return out;
}

void put_padded(Bytes& out, ByteView value) {
  std::size_t n = std::min(value.size(), kFieldSize);
  out.insert(out.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(n));
  out.insert(out.end(), kFieldSize - n, 0);
}

}  // namespace

Key32 hlak_from_mschapv2(const std::array<std::uint8_t, 16>& master_key, bool is_server) {
  auto send = ppp::mschap::asymmetric_start_key(master_key, true, is_server);
  auto receive = ppp::mschap::asymmetric_start_key(master_key, false, is_server);
  Key32 hlak{};
  const auto& first = is_server ? receive : send;
  const auto& second = is_server ? send : receive;
  std::copy(first.begin(), first.end(), hlak.begin());
  std::copy(second.begin(), second.end(), hlak.begin() + 16);
  return hlak;
}

std::size_t hash_size(std::uint8_t hash_protocol) {
  return hash_protocol == kHashSha1 ? 20 : 32;
}

Bytes compound_mac_key(const Key32& hlak, std::uint8_t hash_protocol) {
  Bytes seed(kCmkSeed.begin(), kCmkSeed.end());
  std::size_t len = hash_size(hash_protocol);
  seed.push_back(static_cast<std::uint8_t>(len & 0xFF));
  seed.push_back(static_cast<std::uint8_t>(len >> 8));
  seed.push_back(0x01);
  Bytes t1 = hmac(hash_protocol, hlak, seed);
  t1.resize(len);
  return t1;
}

std::optional<std::uint8_t> choose_hash_protocol(std::uint8_t bitmask) {
  if (bitmask & kHashSha256) return kHashSha256;
  if (bitmask & kHashSha1) return kHashSha1;
  return std::nullopt;
}

Bytes certificate_hash(ByteView certificate_der, std::uint8_t hash_protocol) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_Digest(certificate_der.data(), certificate_der.size(), out.data(), &len,
             digest(hash_protocol), nullptr);
  out.resize(len);
  return out;
}

Bytes build_call_connected(const CryptoBinding& binding, const Key32& hlak) {
  ControlMessage m;
  m.type = kCallConnected;
  Attribute a;
  a.id = kAttribCryptoBinding;
  a.value.reserve(kBindingValueSize);
  a.value.insert(a.value.end(), 3, 0);
  a.value.push_back(binding.hash_protocol);
  a.value.insert(a.value.end(), binding.nonce.begin(), binding.nonce.end());
  put_padded(a.value, binding.cert_hash);
  put_padded(a.value, {});  // the Compound MAC, zero while it is computed
  m.attributes.push_back(std::move(a));
  Bytes packet = encode_control(m);
  Bytes mac = hmac(binding.hash_protocol, compound_mac_key(hlak, binding.hash_protocol), packet);
  std::size_t mac_at = packet.size() - kFieldSize;
  std::copy(mac.begin(), mac.end(), packet.begin() + static_cast<std::ptrdiff_t>(mac_at));
  return packet;
}

std::optional<CryptoBinding> parse_crypto_binding(const Attribute& attribute) {
  if (attribute.id != kAttribCryptoBinding || attribute.value.size() != kBindingValueSize) {
    return std::nullopt;
  }
  CryptoBinding b;
  b.hash_protocol = attribute.value[3];
  if (b.hash_protocol != kHashSha1 && b.hash_protocol != kHashSha256) return std::nullopt;
  std::size_t n = hash_size(b.hash_protocol);
  auto v = attribute.value.begin();
  std::copy(v + 4, v + 36, b.nonce.begin());
  b.cert_hash.assign(v + 36, v + 36 + static_cast<std::ptrdiff_t>(n));
  b.compound_mac.assign(v + 68, v + 68 + static_cast<std::ptrdiff_t>(n));
  return b;
}

BindingCheck verify_call_connected(ByteView packet, const std::array<std::uint8_t, 32>& nonce,
                                   ByteView certificate_der, const Key32& hlak) {
  auto decoded = decode_packet(packet);
  if (!decoded || !decoded->control || decoded->message.type != kCallConnected) {
    return BindingCheck::Malformed;
  }
  const Attribute* a = decoded->message.find(kAttribCryptoBinding);
  if (!a) return BindingCheck::Malformed;
  auto binding = parse_crypto_binding(*a);
  if (!binding) return BindingCheck::Malformed;
  if (binding->nonce != nonce) return BindingCheck::WrongNonce;
  if (binding->cert_hash != certificate_hash(certificate_der, binding->hash_protocol)) {
    return BindingCheck::WrongCertificate;
  }
  Bytes zeroed(packet.begin(), packet.end());
  std::fill(zeroed.end() - kFieldSize, zeroed.end(), 0);
  Bytes expected =
      hmac(binding->hash_protocol, compound_mac_key(hlak, binding->hash_protocol), zeroed);
  if (CRYPTO_memcmp(expected.data(), binding->compound_mac.data(), expected.size()) != 0) {
    return BindingCheck::WrongMac;
  }
  return BindingCheck::Ok;
}

}  // namespace openras::link::sstp
