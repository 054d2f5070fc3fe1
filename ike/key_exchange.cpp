// The Diffie-Hellman groups IKE uses: MODP (RFC 3526, and RFC 2409's second Oakley group),
// ECP (RFC 5903) and Curve25519 (RFC 8031), each checking the peer's public value.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include <cstring>

#include "ike/crypto.hpp"
#include "ike/openssl_handles.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike {
namespace {

using ossl::Pkey;
using ossl::PkeyCtx;

// MODP (RFC 3526) through OpenSSL's named groups; the public value is g^x padded to the
// prime's length, as RFC 7296 3.4 asks.
class ModpExchange final : public KeyExchange {
 public:
  // `name`: OpenSSL's name of the group, or nullptr for RFC 2409's second Oakley group
  // (MODP-1024, Windows' legacy IKEv2 default), which OpenSSL 3 does not name: its prime and
  // generator 2 are given instead.
  ModpExchange(std::uint16_t group, const char* name, std::size_t size)
      : group_(group), name_(name), size_(size) {}
  bool generate() {
    OSSL_PARAM* params = domain_params(nullptr);
    PkeyCtx from(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
    EVP_PKEY* domain = nullptr;
    const bool have_domain =
        params && from && EVP_PKEY_fromdata_init(from.get()) == 1 &&
        EVP_PKEY_fromdata(from.get(), &domain, EVP_PKEY_KEY_PARAMETERS, params) == 1;
    OSSL_PARAM_free(params);
    if (!have_domain) return false;
    Pkey domain_key(domain);
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, domain, nullptr));
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &key) != 1) {
      return false;
    }
    key_.reset(key);
    BIGNUM* pub = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &pub) != 1) return false;
    public_.assign(size_, 0);
    const int ok = BN_bn2binpad(pub, public_.data(), static_cast<int>(size_));
    BN_free(pub);
    return ok == static_cast<int>(size_);
  }
  std::uint16_t group() const override { return group_; }
  const Bytes& public_value() const override { return public_; }
  std::optional<Bytes> shared_secret(ByteView peer) const override {
    if (peer.size() != size_) return std::nullopt;
    BIGNUM* pub = BN_bin2bn(peer.data(), static_cast<int>(peer.size()), nullptr);
    if (!pub) return std::nullopt;
    OSSL_PARAM* params = domain_params(pub);
    BN_free(pub);
    if (!params) return std::nullopt;
    PkeyCtx from(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
    EVP_PKEY* peer_key = nullptr;
    const bool ok = from && EVP_PKEY_fromdata_init(from.get()) == 1 &&
                    EVP_PKEY_fromdata(from.get(), &peer_key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    OSSL_PARAM_free(params);
    if (!ok) return std::nullopt;
    return derive_with(Pkey(peer_key));
  }

 private:
  OSSL_PARAM* domain_params(const BIGNUM* pub) const {
    OSSL_PARAM_BLD* b = OSSL_PARAM_BLD_new();
    BIGNUM* p = nullptr;
    BIGNUM* g = nullptr;
    bool ok = b != nullptr;
    if (ok && name_) {
      ok = OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, name_, 0) == 1;
    } else if (ok) {
      p = BN_get_rfc2409_prime_1024(nullptr);
      g = BN_new();
      ok = p && g && BN_set_word(g, 2) == 1 &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_P, p) == 1 &&
           OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_FFC_G, g) == 1;
    }
    if (ok && pub) ok = OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PUB_KEY, pub) == 1;
    OSSL_PARAM* params = ok ? OSSL_PARAM_BLD_to_param(b) : nullptr;
    OSSL_PARAM_BLD_free(b);
    BN_free(p);
    BN_free(g);
    return params;
  }
  std::optional<Bytes> derive_with(Pkey peer) const {
    if (!peer) return std::nullopt;
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return std::nullopt;
    // g^ir padded to the prime's length (RFC 7296 2.14).
    unsigned int one = 1;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD, &one),
                           OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX_set_params(ctx.get(), params);
    // The public key check refuses 0, 1 and p-1 (a peer that would force a known secret).
    if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 1) != 1) return std::nullopt;
    std::size_t len = 0;
    if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) return std::nullopt;
    Bytes secret(len);
    if (EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1) return std::nullopt;
    secret.resize(len);
    return secret;
  }
  std::uint16_t group_;
  const char* name_;
  std::size_t size_;
  Pkey key_;
  Bytes public_;
};

// ECP (RFC 5903): the public value is x | y, no point-format octet; the secret is x.
class EcpExchange final : public KeyExchange {
 public:
  EcpExchange(std::uint16_t group, const char* curve, std::size_t coordinate)
      : group_(group), curve_(curve), coordinate_(coordinate) {}
  bool generate() {
    EVP_PKEY* key = EVP_EC_gen(curve_);
    if (!key) return false;
    key_.reset(key);
    Bytes encoded(1 + 2 * coordinate_);
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, encoded.data(),
                                        encoded.size(), &len) != 1 ||
        len != encoded.size() || encoded[0] != 0x04) {
      return false;
    }
    public_.assign(encoded.begin() + 1, encoded.end());
    return true;
  }
  std::uint16_t group() const override { return group_; }
  const Bytes& public_value() const override { return public_; }
  std::optional<Bytes> shared_secret(ByteView peer) const override {
    if (peer.size() != 2 * coordinate_) return std::nullopt;
    Bytes encoded{0x04};
    ppp::append(encoded, peer);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(curve_), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), encoded.size()),
        OSSL_PARAM_construct_end()};
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* peer_key = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &peer_key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
      return std::nullopt;
    }
    Pkey owned(peer_key);
    // The point must be on the curve (an invalid-curve point would leak the private key).
    PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, peer_key, nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) return std::nullopt;
    PkeyCtx derive(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    std::size_t len = 0;
    if (!derive || EVP_PKEY_derive_init(derive.get()) != 1 ||
        EVP_PKEY_derive_set_peer(derive.get(), peer_key) != 1 ||
        EVP_PKEY_derive(derive.get(), nullptr, &len) != 1) {
      return std::nullopt;
    }
    Bytes secret(len);
    if (EVP_PKEY_derive(derive.get(), secret.data(), &len) != 1) return std::nullopt;
    secret.resize(len);
    return secret;
  }

 private:
  std::uint16_t group_;
  const char* curve_;
  std::size_t coordinate_;
  Pkey key_;
  Bytes public_;
};

// Curve25519 (RFC 8031): 32-octet public values; an all-zero secret is refused.
class X25519Exchange final : public KeyExchange {
 public:
  bool generate() {
    PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &key) != 1) {
      return false;
    }
    key_.reset(key);
    public_.resize(32);
    std::size_t len = public_.size();
    return EVP_PKEY_get_raw_public_key(key, public_.data(), &len) == 1 && len == 32;
  }
  std::uint16_t group() const override { return dh::kCurve25519; }
  const Bytes& public_value() const override { return public_; }
  std::optional<Bytes> shared_secret(ByteView peer) const override {
    if (peer.size() != 32) return std::nullopt;
    Pkey peer_key(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer.data(), peer.size()));
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    std::size_t len = 32;
    Bytes secret(32);
    if (!peer_key || !ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer(ctx.get(), peer_key.get()) != 1 ||
        EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1 || len != 32) {
      return std::nullopt;
    }
    std::uint8_t any = 0;
    for (auto b : secret) any |= b;
    if (any == 0) return std::nullopt;
    return secret;
  }

 private:
  Pkey key_;
  Bytes public_;
};

}  // namespace

bool KeyExchange::supported(std::uint16_t group) {
  switch (group) {
    case dh::kModp1024:
    case dh::kModp2048:
    case dh::kEcp256:
    case dh::kEcp384:
    case dh::kCurve25519:
      return true;
    default:
      return false;
  }
}

std::unique_ptr<KeyExchange> KeyExchange::make(std::uint16_t group) {
  switch (group) {
    case dh::kModp1024: {
      auto k = std::make_unique<ModpExchange>(group, nullptr, 128);
      return k->generate() ? std::move(k) : nullptr;
    }
    case dh::kModp2048: {
      auto k = std::make_unique<ModpExchange>(group, "modp_2048", 256);
      return k->generate() ? std::move(k) : nullptr;
    }
    case dh::kEcp256: {
      auto k = std::make_unique<EcpExchange>(group, "P-256", 32);
      return k->generate() ? std::move(k) : nullptr;
    }
    case dh::kEcp384: {
      auto k = std::make_unique<EcpExchange>(group, "P-384", 48);
      return k->generate() ? std::move(k) : nullptr;
    }
    case dh::kCurve25519: {
      auto k = std::make_unique<X25519Exchange>();
      return k->generate() ? std::move(k) : nullptr;
    }
    default:
      return nullptr;
  }
}

}  // namespace openras::ike
