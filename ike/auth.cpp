#include "ike/auth.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "ppp/bytes.hpp"
#include "raserror.h"

namespace openras::ike {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr parse_certificate(ByteView der) {
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert && p != der.data() + der.size()) {
    X509_free(cert);
    return nullptr;
  }
  return X509Ptr(cert);
}

bool verify_with(EVP_PKEY* key, const EVP_MD* md, ByteView signature, ByteView octets,
                 bool pkcs1 = false) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, key) == 1;
  if (ok && pkcs1) ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  ok = ok &&
       EVP_DigestVerify(ctx, signature.data(), signature.size(), octets.data(), octets.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// RFC 4754: r | s, each the curve's size; OpenSSL wants DER.
Bytes ecdsa_raw_to_der(ByteView raw) {
  if (raw.empty() || raw.size() % 2) return {};
  const std::size_t half = raw.size() / 2;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
  Bytes out;
  if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
    r = s = nullptr;
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig, &der);
    if (len > 0) out.assign(der, der + len);
    OPENSSL_free(der);
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  return out;
}

bool is_ip_address(const std::string& name) {
  in_addr a4;
  in6_addr a6;
  return inet_pton(AF_INET, name.c_str(), &a4) == 1 || inet_pton(AF_INET6, name.c_str(), &a6) == 1;
}

class OpensslVerifier final : public CertificateVerifier {
 public:
  explicit OpensslVerifier(const std::string& ca_file) : store_(X509_STORE_new()) {
    if (!store_) return;
    if (ca_file.empty()) {
      X509_STORE_set_default_paths(store_);
    } else {
      X509_STORE_load_file(store_, ca_file.c_str());
    }
  }
  ~OpensslVerifier() override { X509_STORE_free(store_); }

  std::uint32_t verify(const std::vector<Bytes>& chain, const std::string& server_name,
                       bool skip_name_eku) const override {
    if (chain.empty()) return ERROR_IPSEC_IKE_AUTH_FAIL;
    X509Ptr leaf = parse_certificate(chain.front());
    if (!leaf || !store_) return ERROR_IPSEC_IKE_AUTH_FAIL;
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    std::vector<X509Ptr> keep;
    for (std::size_t i = 1; i < chain.size(); ++i) {
      if (auto c = parse_certificate(chain[i])) {
        sk_X509_push(untrusted, c.get());
        keep.push_back(std::move(c));
      }
    }
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    bool trusted = ctx && X509_STORE_CTX_init(ctx, store_, leaf.get(), untrusted) == 1 &&
                   X509_verify_cert(ctx) == 1;
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    // Windows reports an untrusted chain, a wrong name and a missing EKU alike: the IKE
    // credentials (the server's) are unacceptable.
    if (!trusted) return ERROR_IPSEC_IKE_AUTH_FAIL;
    if (skip_name_eku) return 0;
    const bool name_ok = is_ip_address(server_name)
                             ? X509_check_ip_asc(leaf.get(), server_name.c_str(), 0) == 1
                             : X509_check_host(leaf.get(), server_name.data(), server_name.size(),
                                               X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
    if (!name_ok) return ERROR_IPSEC_IKE_AUTH_FAIL;
    const bool has_eku = X509_get_extension_flags(leaf.get()) & EXFLAG_XKUSAGE;
    if (!has_eku || !(X509_get_extended_key_usage(leaf.get()) & XKU_SSL_SERVER)) {
      return ERROR_IPSEC_IKE_AUTH_FAIL;
    }
    return 0;
  }

  Bytes authority_hashes() const override {
    Bytes out;
    if (!store_) return out;
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store_);
    for (int i = 0; i < sk_X509_OBJECT_num(objects) && out.size() < 20 * 16; ++i) {
      X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i));
      if (!cert) continue;
      unsigned char* spki = nullptr;
      int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
      if (len > 0) {
        Bytes h = sha1(ByteView(spki, static_cast<std::size_t>(len)));
        ppp::append(out, h);
      }
      OPENSSL_free(spki);
    }
    return out;
  }

 private:
  X509_STORE* store_;
};

}  // namespace

Bytes signed_octets(const Prf& prf, ByteView message, ByteView nonce, ByteView sk_p,
                    ByteView id_body) {
  Bytes out(message.begin(), message.end());
  ppp::append(out, nonce);
  Bytes maced = prf.compute(sk_p, id_body);
  ppp::append(out, maced);
  return out;
}

Bytes shared_key_auth(const Prf& prf, ByteView secret, ByteView octets) {
  static constexpr char kPad[] = "Key Pad for IKEv2";
  Bytes inner =
      prf.compute(secret, ByteView(reinterpret_cast<const std::uint8_t*>(kPad), sizeof kPad - 1));
  Bytes out = prf.compute(inner, octets);
  wipe(inner);
  return out;
}

bool verify_signature(ByteView certificate_der, std::uint8_t method, ByteView auth_data,
                      ByteView octets) {
  X509Ptr cert = parse_certificate(certificate_der);
  if (!cert) return false;
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (!key) return false;
  const int type = EVP_PKEY_get_base_id(key);
  switch (method) {
    case 1:  // RSA Digital Signature: PKCS#1 v1.5 with SHA-1
      return type == EVP_PKEY_RSA && verify_with(key, EVP_sha1(), auth_data, octets, true);
    case 9:
    case 10:
    case 11: {
      const EVP_MD* md = method == 9 ? EVP_sha256() : method == 10 ? EVP_sha384() : EVP_sha512();
      Bytes der = ecdsa_raw_to_der(auth_data);
      return type == EVP_PKEY_EC && !der.empty() && verify_with(key, md, der, octets);
    }
    case 14: {
      // ASN.1 length, AlgorithmIdentifier, signature.
      if (auth_data.empty() || auth_data[0] == 0 || auth_data.size() <= 1u + auth_data[0]) {
        return false;
      }
      const unsigned char* p = auth_data.data() + 1;
      X509_ALGOR* alg = d2i_X509_ALGOR(nullptr, &p, auth_data[0]);
      if (!alg || p != auth_data.data() + 1 + auth_data[0]) {
        X509_ALGOR_free(alg);
        return false;
      }
      const ASN1_OBJECT* oid = nullptr;
      X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
      int digest_nid = 0, pkey_nid = 0;
      const bool known = OBJ_find_sigid_algs(OBJ_obj2nid(oid), &digest_nid, &pkey_nid) == 1;
      X509_ALGOR_free(alg);
      ByteView signature = auth_data.subspan(1u + auth_data[0]);
      // RSASSA-PSS needs its parameters read; not offered in our SIGNATURE_HASH_ALGORITHMS
      // list's sense here, so refused rather than half-checked.
      if (!known || digest_nid == NID_undef) return false;
      const EVP_MD* md = EVP_get_digestbynid(digest_nid);
      if (!md || EVP_MD_get_size(md) < 32) return false;  // no SHA-1 under RFC 7427
      if (pkey_nid == NID_rsaEncryption && type == EVP_PKEY_RSA) {
        return verify_with(key, md, signature, octets, true);
      }
      if (pkey_nid == NID_X9_62_id_ecPublicKey && type == EVP_PKEY_EC) {
        return verify_with(key, md, signature, octets);
      }
      return false;
    }
    default:
      return false;
  }
}

std::unique_ptr<Signer> Signer::load(const std::string& certificates_pem,
                                     const std::string& key_pem) {
  auto s = std::unique_ptr<Signer>(new Signer());
  BIO* certs = BIO_new_mem_buf(certificates_pem.data(), static_cast<int>(certificates_pem.size()));
  while (X509* c = certs ? PEM_read_bio_X509(certs, nullptr, nullptr, nullptr) : nullptr) {
    unsigned char* der = nullptr;
    const int len = i2d_X509(c, &der);
    if (len > 0) s->chain_.emplace_back(der, der + len);
    if (s->chain_.size() == 1) {
      unsigned char* name = nullptr;
      const int nlen = i2d_X509_NAME(X509_get_subject_name(c), &name);
      if (nlen > 0) s->subject_.assign(name, name + nlen);
      OPENSSL_free(name);
    }
    OPENSSL_free(der);
    X509_free(c);
  }
  BIO_free(certs);
  BIO* key = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  s->key_ = key ? PEM_read_bio_PrivateKey(key, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(key);
  if (s->chain_.empty() || !s->key_) return nullptr;
  // The key must be the certificate's.
  X509Ptr leaf = parse_certificate(s->chain_.front());
  if (!leaf || X509_check_private_key(leaf.get(), s->key_) != 1) return nullptr;
  const int type = EVP_PKEY_get_base_id(s->key_);
  if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) return nullptr;
  return s;
}

Signer::~Signer() {
  EVP_PKEY_free(key_);
}

Bytes Signer::sign(ByteView octets) const {
  // DER AlgorithmIdentifiers (RFC 7427 appendix A): sha256WithRSAEncryption with NULL
  // parameters, ecdsa-with-SHA256 without.
  static constexpr std::uint8_t kRsaSha256[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
  static constexpr std::uint8_t kEcdsaSha256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                                  0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
  const bool rsa = EVP_PKEY_get_base_id(key_) == EVP_PKEY_RSA;
  Bytes out;
  if (rsa) {
    out.push_back(sizeof kRsaSha256);
    ppp::append(out, kRsaSha256);
  } else {
    out.push_back(sizeof kEcdsaSha256);
    ppp::append(out, kEcdsaSha256);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  std::size_t len = 0;
  bool ok = ctx && EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key_) == 1;
  if (ok && rsa) ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  ok = ok && EVP_DigestSign(ctx, nullptr, &len, octets.data(), octets.size()) == 1;
  Bytes signature(len);
  ok = ok && EVP_DigestSign(ctx, signature.data(), &len, octets.data(), octets.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return {};
  signature.resize(len);
  ppp::append(out, signature);
  return out;
}

std::unique_ptr<CertificateVerifier> make_openssl_verifier(const std::string& ca_file) {
  return std::make_unique<OpensslVerifier>(ca_file);
}

}  // namespace openras::ike
