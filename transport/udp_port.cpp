// The UDP kind of LinePort (L2TP): the server's name resolved asynchronously, then a connected
// UDP socket, so that only the server's datagrams arrive. A datagram is one read and one
// write. An ICMP "port unreachable" (ECONNREFUSED on the next read) is ignored, as Windows
// ignores it: the control channel's retransmissions decide when the server is gone; unless the
// request says a refusal is final (IKEv2, whose fallback to the next tunnel type should not
// wait out the retransmissions to a host with nothing on the port).
#include <sys/socket.h>

#include <array>
#include <cerrno>

#include "raserror.h"
#include "transport/address_results.hpp"
#include "transport/line_port.hpp"

namespace openras::transport {
namespace {

using asio::ip::udp;

// Sent datagrams' buffers kept for the next ones: a burst's worth.
constexpr std::size_t kSpareLimit = 256;

class UdpPort final : public LinePort {
 public:
  UdpPort(asio::io_context& io, bool refused_is_final)
      : socket_(io), refused_is_final_(refused_is_final) {}
  ~UdpPort() override { close(); }

  udp::socket& socket() { return socket_; }
  void async_read(asio::mutable_buffer buffer, Handler handler) override {
    socket_.async_receive(buffer, [this, buffer, handler = std::move(handler)](
                                      const std::error_code& ec, std::size_t n) mutable {
      // Once the server has answered, a refusal (forgeable by anyone who can guess the
      // ports) ends nothing: the protocol's own liveness checks decide.
      if (ec == asio::error::connection_refused && (!refused_is_final_ || answered_)) {
        async_read(buffer, std::move(handler));
        return;
      }
      if (!ec) answered_ = true;
      handler(ec, n);
    });
  }
  void async_write(asio::const_buffer buffer, Handler handler) override {
    socket_.async_send(buffer,
                       [handler = std::move(handler)](const std::error_code& ec, std::size_t n) {
                         // A refused or dropped datagram is like a lost one: not a reason to close
                         // the port.
                         handler(ec == asio::error::connection_refused ? std::error_code() : ec, n);
                       });
  }
  bool concurrent_writes() const override { return true; }
  bool send_queued(std::deque<ppp::LineBytes>& queue, std::vector<ppp::LineBytes>& spent,
                   std::function<void()> retry) override {
    constexpr std::size_t kBatch = 64;
    int refused = 0;
    while (!queue.empty() && socket_.is_open()) {
      std::array<mmsghdr, kBatch> messages{};
      std::array<iovec, kBatch> parts{};
      const std::size_t n = std::min(queue.size(), kBatch);
      for (std::size_t i = 0; i < n; ++i) {
        parts[i] = {queue[i].data(), queue[i].size()};
        messages[i].msg_hdr.msg_iov = &parts[i];
        messages[i].msg_hdr.msg_iovlen = 1;
      }
      int sent = ::sendmmsg(socket_.native_handle(), messages.data(), static_cast<unsigned>(n),
                            MSG_DONTWAIT);
      if (sent > 0) {
        for (int i = 0; i < sent && spent.size() < kSpareLimit; ++i) {
          spent.push_back(std::move(queue[static_cast<std::size_t>(i)]));
        }
        queue.erase(queue.begin(), queue.begin() + sent);
        refused = 0;
        continue;
      }
      if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        socket_.async_wait(udp::socket::wait_write, [retry](const std::error_code& ec) {
          if (!ec) retry();
        });
        return true;
      }
      if (sent < 0 && errno == EINTR) continue;
      // An ICMP error of an earlier datagram (ECONNREFUSED) is reported once and consumed:
      // try again; anything else, or the same twice, loses the datagram as a network would.
      if (sent < 0 && errno == ECONNREFUSED && ++refused < 2) continue;
      queue.pop_front();
      refused = 0;
    }
    return true;
  }
  std::size_t receive_waiting(std::span<std::uint8_t> buffer, std::size_t slot,
                              std::span<std::size_t> lengths) override {
    constexpr std::size_t kBatch = 64;
    const std::size_t n = std::min({lengths.size(), buffer.size() / slot, kBatch});
    if (n == 0 || !socket_.is_open()) return 0;
    std::array<mmsghdr, kBatch> messages{};
    std::array<iovec, kBatch> parts{};
    for (std::size_t i = 0; i < n; ++i) {
      parts[i] = {buffer.data() + i * slot, slot};
      messages[i].msg_hdr.msg_iov = &parts[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
      int got = ::recvmmsg(socket_.native_handle(), messages.data(), static_cast<unsigned>(n),
                           MSG_DONTWAIT, nullptr);
      if (got > 0) {
        for (int i = 0; i < got; ++i) {
          const bool cut = messages[i].msg_hdr.msg_flags & MSG_TRUNC;
          lengths[i] = cut ? 0 : messages[i].msg_len;
        }
        return static_cast<std::size_t>(got);
      }
      // An ICMP error of an earlier datagram is reported once and consumed: look again.
      if (got < 0 && errno == ECONNREFUSED) continue;
      break;
    }
    return 0;  // nothing waiting (EAGAIN), or an error the next asynchronous read reports
  }
  void close() override {
    if (!socket_.is_open()) return;
    std::error_code ignored;
    socket_.cancel(ignored);
    socket_.close(ignored);
  }

 private:
  udp::socket socket_;
  bool refused_is_final_;
  bool answered_ = false;
};

class UdpOpening final : public PortOpening, public std::enable_shared_from_this<UdpOpening> {
 public:
  UdpOpening(asio::io_context& io, const dial::PortRequest& request, PortOpened done)
      : request_(request),
        done_(std::move(done)),
        resolver_(io),
        port_(std::make_unique<UdpPort>(io, request.refused_is_final)) {}

  void start() {
    const std::string service = std::to_string(request_.remote_port);
    if (auto results = address_results<udp>(request_.device, service)) {
      asio::post(resolver_.get_executor(),
                 [self = shared_from_this(), results = *results] { self->resolved({}, results); });
      return;
    }
    resolver_.async_resolve(request_.device, service,
                            [self = shared_from_this()](const std::error_code& ec,
                                                        udp::resolver::results_type results) {
                              self->resolved(ec, std::move(results));
                            });
  }
  void cancel() override {
    cancelled_ = true;
    resolver_.cancel();
  }

 private:
  void resolved(const std::error_code& ec, const udp::resolver::results_type& results) {
    if (cancelled_) return;
    if (ec || results.empty()) {
      done_(nullptr, {}, ERROR_DNSNAME_NOT_RESOLVABLE);
      return;
    }
    std::error_code error;
    for (const auto& r : results) {
      auto& socket = port_->socket();
      if (socket.is_open()) socket.close(error);
      socket.open(r.endpoint().protocol(), error);
      if (!error) socket.connect(r.endpoint(), error);
      if (!error) break;
    }
    if (error) {
      done_(nullptr, {}, ERROR_VPN_TIMEOUT);  // no route to any of the server's addresses
      return;
    }
    dial::PortInfo info;
    auto remote = port_->socket().remote_endpoint(error);
    if (!error && remote.address().is_v4()) info.remote_ipv4 = remote.address().to_v4().to_uint();
    info.remote_port = remote.port();
    auto local = port_->socket().local_endpoint(error);
    if (!error && local.address().is_v4()) info.local_ipv4 = local.address().to_v4().to_uint();
    if (!error) info.local_port = local.port();
    done_(std::move(port_), std::move(info), 0);
  }

  dial::PortRequest request_;
  PortOpened done_;
  udp::resolver resolver_;
  std::unique_ptr<UdpPort> port_;
  bool cancelled_ = false;
};

}  // namespace

std::shared_ptr<PortOpening> open_udp_port(asio::io_context& io, const dial::PortRequest& request,
                                           PortOpened done) {
  auto opening = std::make_shared<UdpOpening>(io, request, std::move(done));
  opening->start();
  return opening;
}

}  // namespace openras::transport
