#include "ike/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>

#include "ike/openssl_handles.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike {
namespace {

using ossl::CipherCtx;
using ossl::MacCtx;

const char* digest_of_prf(std::uint16_t id) {
  switch (id) {
    case prf_id::kHmacSha1:
      return "SHA1";
    case prf_id::kHmacSha256:
      return "SHA256";
    case prf_id::kHmacSha384:
      return "SHA384";
    case prf_id::kHmacSha512:
      return "SHA512";
    default:
      return nullptr;
  }
}

struct IntegInfo {
  const char* digest;
  std::size_t key_size;
  std::size_t icv_size;
};
std::optional<IntegInfo> integ_info(std::uint16_t id) {
  switch (id) {
    case integ::kHmacSha1_96:
      return IntegInfo{"SHA1", 20, 12};
    case integ::kHmacSha256_128:
      return IntegInfo{"SHA256", 32, 16};
    case integ::kHmacSha384_192:
      return IntegInfo{"SHA384", 48, 24};
    case integ::kHmacSha512_256:
      return IntegInfo{"SHA512", 64, 32};
    default:
      return std::nullopt;
  }
}

MacCtx hmac_context(const char* digest, ByteView key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac) return nullptr;
  MacCtx ctx(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);
  if (!ctx) return nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) return nullptr;
  return ctx;
}

// ---------------------------------------------------------------- protection

class GcmProtection final : public Protection {
 public:
  bool init(std::uint16_t key_bits, ByteView key) {
    const EVP_CIPHER* cipher = key_bits == 256   ? EVP_aes_256_gcm()
                               : key_bits == 192 ? EVP_aes_192_gcm()
                               : key_bits == 128 ? EVP_aes_128_gcm()
                                                 : nullptr;
    if (!cipher || key.size() != key_bits / 8u + 4) return false;
    std::memcpy(salt_, key.data() + key.size() - 4, 4);
    enc_.reset(EVP_CIPHER_CTX_new());
    dec_.reset(EVP_CIPHER_CTX_new());
    return enc_ && dec_ && EVP_EncryptInit_ex(enc_.get(), cipher, nullptr, key.data(), nullptr) &&
           EVP_DecryptInit_ex(dec_.get(), cipher, nullptr, key.data(), nullptr);
  }
  std::size_t iv_size() const override { return 8; }
  std::size_t icv_size() const override { return 16; }
  std::size_t block_size() const override { return 4; }
  bool seal(std::uint8_t* m, std::size_t header_len, std::size_t plain_len,
            std::uint64_t counter) override {
    std::uint8_t* iv = m + header_len;
    for (int i = 7; i >= 0; --i, counter >>= 8) iv[i] = static_cast<std::uint8_t>(counter);
    std::uint8_t nonce[12];
    std::memcpy(nonce, salt_, 4);
    std::memcpy(nonce + 4, iv, 8);
    int len = 0;
    std::uint8_t* plain = iv + 8;
    if (EVP_EncryptInit_ex(enc_.get(), nullptr, nullptr, nullptr, nonce) != 1 ||
        EVP_EncryptUpdate(enc_.get(), nullptr, &len, m, static_cast<int>(header_len)) != 1 ||
        EVP_EncryptUpdate(enc_.get(), plain, &len, plain, static_cast<int>(plain_len)) != 1 ||
        EVP_EncryptFinal_ex(enc_.get(), plain + len, &len) != 1) {
      return false;
    }
    return EVP_CIPHER_CTX_ctrl(enc_.get(), EVP_CTRL_GCM_GET_TAG, 16, plain + plain_len) == 1;
  }
  bool open(std::uint8_t* m, std::size_t header_len, std::size_t size) override {
    if (size < header_len + 8 + 16) return false;
    std::uint8_t nonce[12];
    std::memcpy(nonce, salt_, 4);
    std::memcpy(nonce + 4, m + header_len, 8);
    std::uint8_t* cipher = m + header_len + 8;
    const std::size_t cipher_len = size - header_len - 8 - 16;
    int len = 0;
    if (EVP_DecryptInit_ex(dec_.get(), nullptr, nullptr, nullptr, nonce) != 1 ||
        EVP_DecryptUpdate(dec_.get(), nullptr, &len, m, static_cast<int>(header_len)) != 1 ||
        EVP_DecryptUpdate(dec_.get(), cipher, &len, cipher, static_cast<int>(cipher_len)) != 1 ||
        EVP_CIPHER_CTX_ctrl(dec_.get(), EVP_CTRL_GCM_SET_TAG, 16, cipher + cipher_len) != 1) {
      return false;
    }
    return EVP_DecryptFinal_ex(dec_.get(), cipher + len, &len) == 1;
  }

 private:
  std::uint8_t salt_[4]{};
  CipherCtx enc_, dec_;
};

// The CBC cipher for an encryption transform: AES at 128, 192 or 256 bits, or 3DES (whose
// key is always 192 bits); with its ECB twin for the IVs.
struct CbcCipher {
  const EVP_CIPHER* cbc = nullptr;
  const EVP_CIPHER* ecb = nullptr;
  std::size_t block = 16;
  std::size_t key_octets = 0;
};
std::optional<CbcCipher> cbc_cipher(std::uint16_t encr_id, std::uint16_t key_bits) {
  if (encr_id == encr::k3des) return CbcCipher{EVP_des_ede3_cbc(), EVP_des_ede3_ecb(), 8, 24};
  if (encr_id != encr::kAesCbc) return std::nullopt;
  switch (key_bits) {
    case 128:
      return CbcCipher{EVP_aes_128_cbc(), EVP_aes_128_ecb(), 16, 16};
    case 192:
      return CbcCipher{EVP_aes_192_cbc(), EVP_aes_192_ecb(), 16, 24};
    case 256:
      return CbcCipher{EVP_aes_256_cbc(), EVP_aes_256_ecb(), 16, 32};
    default:
      return std::nullopt;
  }
}

class CbcHmacProtection final : public Protection {
 public:
  bool init(const CbcCipher& c, ByteView key, const IntegInfo& info, ByteView integ_key) {
    if (key.size() != c.key_octets || integ_key.size() != info.key_size) return false;
    block_ = c.block;
    icv_ = info.icv_size;
    enc_.reset(EVP_CIPHER_CTX_new());
    dec_.reset(EVP_CIPHER_CTX_new());
    iv_.reset(EVP_CIPHER_CTX_new());
    mac_ = hmac_context(info.digest, integ_key);
    if (!enc_ || !dec_ || !iv_ || !mac_) return false;
    if (EVP_EncryptInit_ex(enc_.get(), c.cbc, nullptr, key.data(), nullptr) != 1 ||
        EVP_DecryptInit_ex(dec_.get(), c.cbc, nullptr, key.data(), nullptr) != 1 ||
        EVP_EncryptInit_ex(iv_.get(), c.ecb, nullptr, key.data(), nullptr) != 1) {
      return false;
    }
    EVP_CIPHER_CTX_set_padding(enc_.get(), 0);
    EVP_CIPHER_CTX_set_padding(dec_.get(), 0);
    EVP_CIPHER_CTX_set_padding(iv_.get(), 0);
    return true;
  }
  std::size_t iv_size() const override { return block_; }
  std::size_t icv_size() const override { return icv_; }
  std::size_t block_size() const override { return block_; }
  bool seal(std::uint8_t* m, std::size_t header_len, std::size_t plain_len,
            std::uint64_t counter) override {
    if (plain_len % block_) return false;
    // The IV is the message counter encrypted under the key (NIST SP 800-38A appendix C):
    // unpredictable to anyone without the key, and no system call per packet.
    std::uint8_t block[16]{};
    for (std::size_t i = block_; i-- > block_ - 8; counter >>= 8) {
      block[i] = static_cast<std::uint8_t>(counter);
    }
    std::uint8_t* iv = m + header_len;
    const int block_len = static_cast<int>(block_);
    int len = 0;
    if (EVP_EncryptUpdate(iv_.get(), iv, &len, block, block_len) != 1 || len != block_len) {
      return false;
    }
    std::uint8_t* plain = iv + block_;
    if (EVP_EncryptInit_ex(enc_.get(), nullptr, nullptr, nullptr, iv) != 1 ||
        EVP_EncryptUpdate(enc_.get(), plain, &len, plain, static_cast<int>(plain_len)) != 1) {
      return false;
    }
    return mac(m, header_len + block_ + plain_len, plain + plain_len);
  }
  bool open(std::uint8_t* m, std::size_t header_len, std::size_t size) override {
    if (size < header_len + block_ + icv_) return false;
    const std::size_t cipher_len = size - header_len - block_ - icv_;
    if (cipher_len % block_) return false;
    std::uint8_t expected[64];
    if (!mac(m, size - icv_, expected)) return false;
    if (CRYPTO_memcmp(expected, m + size - icv_, icv_) != 0) return false;
    std::uint8_t* iv = m + header_len;
    std::uint8_t* cipher = iv + block_;
    int len = 0;
    return EVP_DecryptInit_ex(dec_.get(), nullptr, nullptr, nullptr, iv) == 1 &&
           EVP_DecryptUpdate(dec_.get(), cipher, &len, cipher, static_cast<int>(cipher_len)) == 1;
  }

 private:
  bool mac(const std::uint8_t* data, std::size_t n, std::uint8_t* out) {
    std::uint8_t full[64];
    std::size_t len = 0;
    if (EVP_MAC_init(mac_.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(mac_.get(), data, n) != 1 ||
        EVP_MAC_final(mac_.get(), full, &len, sizeof full) != 1 || len < icv_) {
      return false;
    }
    std::memcpy(out, full, icv_);
    return true;
  }
  std::size_t block_ = 16;
  std::size_t icv_ = 0;
  CipherCtx enc_, dec_, iv_;
  MacCtx mac_;
};

}  // namespace

void wipe(Bytes& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

std::optional<Prf> Prf::make(std::uint16_t id) {
  const char* digest = digest_of_prf(id);
  if (!digest) return std::nullopt;
  Prf p;
  p.id_ = id;
  p.size_ = static_cast<std::size_t>(EVP_MD_get_size(EVP_get_digestbyname(digest)));
  return p;
}

Bytes Prf::compute(ByteView key, ByteView data) const {
  Bytes out(size_);
  MacCtx ctx = hmac_context(digest_of_prf(id_), key);
  std::size_t len = 0;
  if (!ctx || EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1) {
    return {};
  }
  return out;
}

Bytes Prf::plus(ByteView key, ByteView seed, std::size_t length) const {
  Bytes out;
  out.reserve(length + size_);
  Bytes t;
  Bytes input;
  for (std::uint8_t i = 1; out.size() < length; ++i) {
    input.assign(t.begin(), t.end());
    ppp::append(input, seed);
    input.push_back(i);
    t = compute(key, input);
    if (t.empty()) return {};
    ppp::append(out, t);
    if (i == 255) break;
  }
  wipe(t);
  wipe(input);
  out.resize(std::min(out.size(), length));
  return out;
}

std::size_t Protection::key_size(std::uint16_t encr_id, std::uint16_t key_bits) {
  if (encr_id == encr::kAesGcm16) return key_bits / 8u + 4;
  if (auto c = cbc_cipher(encr_id, key_bits)) return c->key_octets;
  return 0;
}

std::size_t Protection::integrity_key_size(std::uint16_t integ_id) {
  auto info = integ_info(integ_id);
  return info ? info->key_size : 0;
}

std::unique_ptr<Protection> Protection::make(std::uint16_t encr_id, std::uint16_t key_bits,
                                             std::uint16_t integ_id, ByteView key,
                                             ByteView integrity_key) {
  if (encr_id == encr::kAesGcm16 && integ_id == integ::kNone) {
    auto p = std::make_unique<GcmProtection>();
    if (p->init(key_bits, key)) return p;
    return nullptr;
  }
  if (auto c = cbc_cipher(encr_id, key_bits)) {
    auto info = integ_info(integ_id);
    if (!info) return nullptr;
    auto p = std::make_unique<CbcHmacProtection>();
    if (p->init(*c, key, *info, integrity_key)) return p;
  }
  return nullptr;
}

std::size_t cbc_block_size(std::uint16_t encr_id, std::uint16_t key_bits) {
  auto c = cbc_cipher(encr_id, key_bits);
  return c ? c->block : 0;
}

bool cbc_crypt(std::uint16_t encr_id, ByteView key, Bytes& iv, std::uint8_t* data, std::size_t n,
               bool encrypt) {
  auto c = cbc_cipher(encr_id, static_cast<std::uint16_t>(key.size() * 8));
  if (!c || key.size() != c->key_octets || iv.size() != c->block || n % c->block) return false;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), c->cbc, nullptr, key.data(), iv.data(), encrypt) != 1) {
    return false;
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  // The next IV is the last ciphertext block, which decryption overwrites: keep it first.
  Bytes last(data + n - c->block, data + n);
  int len = 0;
  if (EVP_CipherUpdate(ctx.get(), data, &len, data, static_cast<int>(n)) != 1) return false;
  iv = encrypt ? Bytes(data + n - c->block, data + n) : std::move(last);
  return true;
}

Bytes digest(std::uint16_t prf, std::initializer_list<ByteView> parts) {
  const char* name = digest_of_prf(prf);
  const EVP_MD* md = name ? EVP_get_digestbyname(name) : nullptr;
  if (!md) return {};
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx, md, nullptr) == 1;
  for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) out.clear();
  return out;
}

bool constant_time_match(ByteView expected, ByteView got) {
  return !expected.empty() && expected.size() == got.size() &&
         CRYPTO_memcmp(expected.data(), got.data(), got.size()) == 0;
}

Bytes sha1(ByteView data) {
  return sha1({data});
}

Bytes sha1(std::initializer_list<ByteView> parts) {
  Bytes out(20);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1;
  for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) out.clear();
  return out;
}

}  // namespace openras::ike
