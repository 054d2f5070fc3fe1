// The TLS kind of LinePort (SSTP): resolve, connect (through an HTTP CONNECT proxy when one is
// named), handshake with the system trust store, the server's name checked against its
// certificate, the entry's SHA-256 pin checked on top. Each failure has its own Win32 code.
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/log.hpp"
#include "link/http_head.hpp"
#include "link/sstp_binding.hpp"
#include "raserror.h"
#include "transport/address_results.hpp"
#include "transport/line_port.hpp"
#include "transport/tls_stream.hpp"

namespace openras::transport {
namespace {

using asio::ip::tcp;

class TlsPort final : public LinePort {
 public:
  TlsPort(asio::io_context& io, asio::ssl::context& context)
      : stream_(io, context.native_handle()) {}
  ~TlsPort() override { close(); }

  TlsStream& stream() { return stream_; }
  void async_read(asio::mutable_buffer buffer, Handler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }
  void async_write(asio::const_buffer buffer, Handler handler) override {
    stream_.async_write(buffer, std::move(handler));
  }
  void close() override { stream_.close(); }

 private:
  TlsStream stream_;
};

bool split_host_port(const std::string& text, std::string& host, std::string& port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  port = text.substr(colon + 1);
  return true;
}

std::uint32_t connect_error(const std::error_code& ec) {
  if (ec == asio::error::connection_refused) return ERROR_VPN_REFUSED;
  return ERROR_VPN_TIMEOUT;  // unreachable, or no answer
}

class TlsOpening final : public PortOpening, public std::enable_shared_from_this<TlsOpening> {
 public:
  TlsOpening(asio::io_context& io, const TlsSettings& settings, const dial::PortRequest& request,
             PortOpened done)
      : io_(io),
        settings_(settings),
        request_(request),
        done_(std::move(done)),
        resolver_(io),
        timer_(io),
        port_(std::make_unique<TlsPort>(io, *settings.context)) {}

  void start() {
    proxy_ = request_.proxy.empty() ? settings_.default_proxy : request_.proxy;
    std::string host = request_.device;
    std::string service = std::to_string(request_.remote_port);
    if (!proxy_.empty() && !split_host_port(proxy_, host, service)) {
      // Not from inside open_tls_port: the caller has not stored the opening yet.
      asio::post(io_, [self = shared_from_this()] { self->finish(ERROR_BAD_ADDRESS_SPECIFIED); });
      return;
    }
    timer_.expires_after(settings_.timeout);
    timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
      if (ec || self->finished_) return;
      self->resolver_.cancel();
      self->timed_out_ = true;
      self->port_->close();
    });
    if (auto results = address_results<tcp>(host, service)) {
      asio::post(io_,
                 [self = shared_from_this(), results = *results] { self->resolved({}, results); });
      return;
    }
    resolver_.async_resolve(host, service,
                            [self = shared_from_this()](const std::error_code& ec,
                                                        tcp::resolver::results_type results) {
                              self->resolved(ec, std::move(results));
                            });
  }

  void cancel() override {
    cancelled_ = true;
    timer_.cancel();
    resolver_.cancel();
    if (port_) port_->close();
  }

 private:
  void resolved(const std::error_code& ec, tcp::resolver::results_type results) {
    if (cancelled_) return;
    if (ec) {
      finish(timed_out_ ? ERROR_VPN_TIMEOUT : ERROR_DNSNAME_NOT_RESOLVABLE);
      return;
    }
    asio::async_connect(port_->stream().socket(), results,
                        [self = shared_from_this()](const std::error_code& ec,
                                                    const tcp::endpoint&) { self->connected(ec); });
  }

  void connected(const std::error_code& ec) {
    if (cancelled_) return;
    if (ec) {
      finish(timed_out_ ? ERROR_VPN_TIMEOUT : connect_error(ec));
      return;
    }
    // SSTP control messages and PPP negotiation are small writes answered by the peer: Nagle
    // would hold each behind the last one's delayed ack (40 ms a round trip, seen in the bench).
    std::error_code ignored;
    port_->stream().socket().set_option(tcp::no_delay(true), ignored);
    if (proxy_.empty()) {
      handshake();
      return;
    }
    proxy_request_ = link::http_connect_request(request_.device, request_.remote_port);
    asio::async_write(port_->stream().socket(), asio::buffer(proxy_request_),
                      [self = shared_from_this()](const std::error_code& ec, std::size_t) {
                        if (self->cancelled_) return;
                        if (ec) {
                          self->finish(ERROR_VPN_DISCONNECT);
                          return;
                        }
                        self->read_proxy_reply();
                      });
  }

  void read_proxy_reply() {
    port_->stream().socket().async_read_some(
        asio::buffer(proxy_buffer_),
        [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
          if (self->cancelled_) return;
          if (ec) {
            self->finish(self->timed_out_ ? ERROR_VPN_TIMEOUT : ERROR_VPN_DISCONNECT);
            return;
          }
          auto status = self->proxy_reply_.feed({self->proxy_buffer_.data(), n});
          if (status == link::HttpHead::Status::NeedMore) {
            self->read_proxy_reply();
            return;
          }
          auto code = self->proxy_reply_.status_code();
          if (status == link::HttpHead::Status::Malformed || !code) {
            self->finish(ERROR_UNRECOGNIZED_RESPONSE);
            return;
          }
          // A refusal usually comes with a page (tinyproxy's 403 does); only after a 2xx must
          // nothing but the server's TLS follow.
          if (*code / 100 != 2) {
            log_line("port", "proxy %s refused CONNECT to %s: HTTP %d", self->proxy_.c_str(),
                     self->request_.device.c_str(), *code);
            self->finish(ERROR_VPN_REFUSED);
            return;
          }
          if (!self->proxy_reply_.take_rest().empty()) {
            self->finish(ERROR_UNRECOGNIZED_RESPONSE);
            return;
          }
          self->handshake();
        });
  }

  void handshake() {
    SSL* ssl = port_->stream().native_handle();
    const std::string& host = request_.device;
    std::error_code ec;
    (void)asio::ip::make_address(host, ec);               // ec set: a name, not an address literal
    if (ec) SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI takes names, not addresses
    if (request_.insecure_no_verify) {
      log_line("port",
               "WARNING: certificate of %s NOT verified (OpenRasInsecureSkipCertificateCheck)",
               host.c_str());
      SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
    } else {
      SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (ec) {
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
      } else {
        X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
      }
    }
    port_->stream().async_handshake(
        [self = shared_from_this()](const std::error_code& ec) { self->handshaken(ec); });
  }

  void handshaken(const std::error_code& ec) {
    if (cancelled_) return;
    SSL* ssl = port_->stream().native_handle();
    if (ec) {
      long verify = SSL_get_verify_result(ssl);
      if (timed_out_) {
        finish(ERROR_VPN_TIMEOUT);
      } else if (verify == X509_V_ERR_HOSTNAME_MISMATCH ||
                 verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
        log_line("port", "certificate of %s names another server", request_.device.c_str());
        finish(ERROR_INVALID_SERVER_CERT);
      } else if (verify != X509_V_OK) {
        log_line("port", "certificate of %s not trusted: %s", request_.device.c_str(),
                 X509_verify_cert_error_string(verify));
        finish(ERROR_VALIDATING_SERVER_CERT);
      } else if (ec == asio::error::eof || ec == asio::error::connection_reset ||
                 ec == asio::ssl::error::stream_truncated) {
        finish(ERROR_VPN_DISCONNECT);
      } else {
        log_line("port", "TLS with %s failed: %s", request_.device.c_str(), ec.message().c_str());
        finish(ERROR_UNRECOGNIZED_RESPONSE);
      }
      return;
    }
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (!cert) {
      finish(ERROR_VPN_BAD_CERT);
      return;
    }
    int len = i2d_X509(cert, nullptr);
    info_.peer_certificate.resize(len > 0 ? static_cast<std::size_t>(len) : 0);
    unsigned char* out = info_.peer_certificate.data();
    if (len > 0) i2d_X509(cert, &out);
    X509_free(cert);
    if (!request_.pinned_sha256.empty()) {
      auto digest = link::sstp::certificate_hash(info_.peer_certificate, link::sstp::kHashSha256);
      if (digest != request_.pinned_sha256) {
        log_line("port", "certificate of %s does not match the entry's pinned SHA-256",
                 request_.device.c_str());
        finish(ERROR_VPN_BAD_CERT);
        return;
      }
    }
    finish(0);
  }

  void finish(std::uint32_t error) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    if (cancelled_) return;
    std::error_code ignored;
    auto remote = port_->stream().socket().remote_endpoint(ignored);
    if (!ignored && remote.address().is_v4())
      info_.remote_ipv4 = remote.address().to_v4().to_uint();
    std::unique_ptr<LinePort> port;
    if (error) {
      port_->close();
    } else {
      port = std::move(port_);
    }
    auto done = std::move(done_);
    done(std::move(port), std::move(info_), error);
  }

  asio::io_context& io_;
  TlsSettings settings_;
  dial::PortRequest request_;
  PortOpened done_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  std::unique_ptr<TlsPort> port_;
  dial::PortInfo info_;
  std::string proxy_;
  std::string proxy_request_;
  std::array<std::uint8_t, 1024> proxy_buffer_{};
  link::HttpHead proxy_reply_;
  bool cancelled_ = false;
  bool finished_ = false;
  bool timed_out_ = false;
};

}  // namespace

std::shared_ptr<PortOpening> open_tls_port(asio::io_context& io, const TlsSettings& settings,
                                           const dial::PortRequest& request, PortOpened done) {
  auto opening = std::make_shared<TlsOpening>(io, settings, request, std::move(done));
  opening->start();
  return opening;
}

std::string proxy_from_environment_value(const char* value) {
  if (!value || !*value) return "";
  std::string v = value;
  if (auto scheme = v.find("://"); scheme != std::string::npos) v = v.substr(scheme + 3);
  if (auto at = v.rfind('@'); at != std::string::npos) v = v.substr(at + 1);  // no credentials
  if (auto slash = v.find('/'); slash != std::string::npos) v = v.substr(0, slash);
  if (v.empty()) return "";
  if (v.find(':') == std::string::npos || (v.front() == '[' && v.back() == ']')) v += ":80";
  return v;
}

}  // namespace openras::transport
