// TlsStream against a real OpenSSL server on loopback (a blocking one in a thread, with the
// test certificates): a large write arrives whole, many records arrive in order, close_notify
// is EOF and a bare TCP close is truncation, close() aborts what is pending without touching
// the caller's buffer, and an untrusted certificate fails the handshake.
#include "transport/tls_stream.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <asio/ssl/error.hpp>
#include <atomic>
#include <functional>
#include <thread>

#include "../peers/sstp_peer.hpp"

namespace openras::transport {
namespace {

using asio::ip::tcp;

constexpr std::chrono::seconds kLimit{10};  // for any one step: a stall fails, never hangs

// Accepts one connection, does the TLS handshake and hands the session to `serve`.
class OneShotTlsServer {
 public:
  explicit OneShotTlsServer(std::function<void(SSL*, int)> serve) {
    const auto& certs = testing::test_certificates();
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx_, certs.server_cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, certs.server_key.c_str(), SSL_FILETYPE_PEM);
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 1);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, serve = std::move(serve)] {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      timeval limit{10, 0};  // a stalled client fails the test rather than hanging it
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) serve(ssl, fd);
      SSL_free(ssl);
      ::close(fd);
    });
  }
  ~OneShotTlsServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
    SSL_CTX_free(ctx_);
  }
  std::uint16_t port() const { return port_; }

 private:
  SSL_CTX* ctx_ = nullptr;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A client context that trusts the test CA (or nothing) and checks vpn.openras.test.
struct ClientContext {
  explicit ClientContext(bool trust_test_ca) : ctx(SSL_CTX_new(TLS_client_method())) {
    if (trust_test_ca) {
      SSL_CTX_load_verify_locations(ctx, testing::test_certificates().ca.c_str(), nullptr);
    }
  }
  ~ClientContext() { SSL_CTX_free(ctx); }
  SSL_CTX* ctx;
};

std::error_code connect_and_handshake(asio::io_context& io, TlsStream& stream, std::uint16_t port) {
  std::error_code result = asio::error::would_block;
  stream.socket().connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  SSL* ssl = stream.native_handle();
  SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
  X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), "vpn.openras.test", 0);
  stream.async_handshake([&](const std::error_code& ec) { result = ec; });
  io.restart();
  auto give_up = std::chrono::steady_clock::now() + kLimit;
  while (result == asio::error::would_block && std::chrono::steady_clock::now() < give_up &&
         io.run_one_for(kLimit)) {
  }
  return result;
}

std::uint8_t pattern(std::size_t i) {
  return static_cast<std::uint8_t>((i * 7) % 251);
}

// Reads until an error; returns the octets and the error.
std::pair<std::vector<std::uint8_t>, std::error_code> read_to_end(asio::io_context& io,
                                                                  TlsStream& stream) {
  std::vector<std::uint8_t> got;
  std::error_code end;
  std::vector<std::uint8_t> buffer(64 * 1024);
  std::function<void()> next = [&] {
    stream.async_read_some(asio::buffer(buffer), [&](const std::error_code& ec, std::size_t n) {
      if (ec) {
        end = ec;
        return;
      }
      got.insert(got.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
      next();
    });
  };
  next();
  io.restart();
  io.run_for(kLimit);
  return {got, end};
}

TEST(TlsStream, LargeWriteArrivesWholeAndManyRecordsArriveInOrderThenCloseNotifyIsEof) {
  constexpr std::size_t kBurst = 1 << 20;
  constexpr int kRecords = 50;
  std::atomic<bool> burst_intact{false};
  OneShotTlsServer server([&](SSL* ssl, int) {
    std::vector<std::uint8_t> in(kBurst);
    std::size_t have = 0;
    while (have < kBurst) {
      int n = SSL_read(ssl, in.data() + have, static_cast<int>(kBurst - have));
      if (n <= 0) return;
      have += static_cast<std::size_t>(n);
    }
    bool intact = true;
    for (std::size_t i = 0; i < kBurst; ++i) intact = intact && in[i] == pattern(i);
    burst_intact = intact;
    for (int r = 0; r < kRecords; ++r) {
      std::uint8_t record[100];
      for (std::size_t i = 0; i < sizeof record; ++i) record[i] = pattern(r * 100 + i);
      SSL_write(ssl, record, sizeof record);
    }
    SSL_shutdown(ssl);
  });
  asio::io_context io;
  ClientContext context(true);
  TlsStream stream(io, context.ctx);
  ASSERT_FALSE(connect_and_handshake(io, stream, server.port()));

  std::vector<std::uint8_t> burst(kBurst);
  for (std::size_t i = 0; i < kBurst; ++i) burst[i] = pattern(i);
  std::error_code write_error = asio::error::would_block;
  std::size_t written = 0;
  stream.async_write(asio::buffer(burst), [&](const std::error_code& ec, std::size_t n) {
    write_error = ec;
    written = n;
  });
  burst.assign(kBurst, 0);  // the stream took its copy at once
  auto [got, end] = read_to_end(io, stream);
  EXPECT_FALSE(write_error);
  EXPECT_EQ(written, kBurst);
  EXPECT_TRUE(burst_intact);
  ASSERT_EQ(got.size(), kRecords * 100u);
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], pattern(i)) << "at " << i;
  EXPECT_EQ(end, asio::error::eof);
}

TEST(TlsStream, TcpClosedWithoutCloseNotifyIsTruncation) {
  OneShotTlsServer server([](SSL* ssl, int fd) {
    SSL_write(ssl, "ten octets", 10);
    ::shutdown(fd, SHUT_RDWR);  // no close_notify
  });
  asio::io_context io;
  ClientContext context(true);
  TlsStream stream(io, context.ctx);
  ASSERT_FALSE(connect_and_handshake(io, stream, server.port()));
  auto [got, end] = read_to_end(io, stream);
  EXPECT_EQ(std::string(got.begin(), got.end()), "ten octets");
  EXPECT_EQ(end, asio::ssl::error::stream_truncated);
}

TEST(TlsStream, CloseAbortsPendingOperationsAndLeavesTheBufferAlone) {
  ::signal(SIGPIPE, SIG_IGN);  // the server writes to the closed connection
  std::atomic<bool> release{false};
  OneShotTlsServer server([&](SSL* ssl, int) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    SSL_write(ssl, "late", 4);
  });
  asio::io_context io;
  ClientContext context(true);
  auto stream = std::make_unique<TlsStream>(io, context.ctx);
  ASSERT_FALSE(connect_and_handshake(io, *stream, server.port()));
  auto buffer = std::make_shared<std::array<std::uint8_t, 64>>();
  buffer->fill(0xAA);
  std::error_code read_error;
  bool read_done = false;
  stream->async_read_some(asio::buffer(*buffer), [&](const std::error_code& ec, std::size_t) {
    read_error = ec;
    read_done = true;
  });
  io.restart();
  io.poll();  // the read is now waiting on the socket
  stream->close();
  stream.reset();
  release = true;
  io.restart();
  io.run_for(kLimit);
  EXPECT_TRUE(read_done);
  EXPECT_EQ(read_error, asio::error::operation_aborted);
  for (std::uint8_t b : *buffer) ASSERT_EQ(b, 0xAA);
}

TEST(TlsStream, UntrustedCertificateFailsTheHandshake) {
  OneShotTlsServer server([](SSL*, int) {});
  asio::io_context io;
  ClientContext context(false);  // trusts nothing
  TlsStream stream(io, context.ctx);
  EXPECT_TRUE(connect_and_handshake(io, stream, server.port()));
  EXPECT_NE(SSL_get_verify_result(stream.native_handle()), X509_V_OK);
}

}  // namespace
}  // namespace openras::transport
