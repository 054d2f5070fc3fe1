// IKE_AUTH's proofs (RFC 7296 2.15, 2.16; RFC 7427): the octets each side signs, the shared-key
// AUTH value (a pre-shared key, or EAP's MSK), and the check of a server's signature with the
// public key of its certificate; and the certificate checks Windows makes on an IKEv2 server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ike/crypto.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace openras::ike {

// RealMessage | peer's nonce | prf(SK_p, ID payload body).
Bytes signed_octets(const Prf& prf, ByteView message, ByteView nonce, ByteView sk_p,
                    ByteView id_body);
// prf(prf(secret, "Key Pad for IKEv2"), signed octets).
Bytes shared_key_auth(const Prf& prf, ByteView secret, ByteView octets);

// The server's AUTH of method 1 (RSA, SHA-1), 9-11 (ECDSA, RFC 4754) or 14 (RFC 7427) over
// `octets` with the key of `certificate_der`. False when it does not verify.
bool verify_signature(ByteView certificate_der, std::uint8_t method, ByteView auth_data,
                      ByteView octets);

// Our own certificate and private key (PEM: the certificate first, then any intermediates; the
// key apart), for IKE_AUTH by signature.
class Signer {
 public:
  // nullptr when the PEM does not hold a certificate and a matching RSA or ECDSA key.
  static std::unique_ptr<Signer> load(const std::string& certificates_pem,
                                      const std::string& key_pem);
  ~Signer();
  const std::vector<Bytes>& chain() const { return chain_; }  // DER, ours first
  const Bytes& subject_der() const { return subject_; }       // for ID_DER_ASN1_DN
  // The AUTH data of method 14 (RFC 7427): the AlgorithmIdentifier of SHA-256 with our key's
  // algorithm, then the signature of `octets`. Empty when signing fails.
  Bytes sign(ByteView octets) const;

 private:
  Signer() = default;
  std::vector<Bytes> chain_;
  Bytes subject_;
  ::evp_pkey_st* key_ = nullptr;
};

// Checks the server's certificate chain (end entity first, DER): trusted by the system store
// (or the CA file given), valid now, and, unless `skip_name_eku`, naming `server_name` (DNS or
// IP subjectAltName) with the Server Authentication EKU. 0, or the Win32 error Windows gives.
class CertificateVerifier {
 public:
  virtual ~CertificateVerifier() = default;
  virtual std::uint32_t verify(const std::vector<Bytes>& chain, const std::string& server_name,
                               bool skip_name_eku) const = 0;
  // SHA-1 of the trusted authorities' SubjectPublicKeyInfo, for CERTREQ (RFC 7296 3.7).
  virtual Bytes authority_hashes() const = 0;
};

// Over OpenSSL's store: the system's (SSL_CERT_FILE / SSL_CERT_DIR apply), or only `ca_file`.
std::unique_ptr<CertificateVerifier> make_openssl_verifier(const std::string& ca_file);

}  // namespace openras::ike
