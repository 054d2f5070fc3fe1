// A driver's I/O on its loop: the port (a tty, a TLS stream or a UDP socket) and the interface
// (TUN). The dial machine only ever sees octets and packets; the interface itself is made and
// closed by the control plane's host service (on_network_wanted, on_interface_released).
#include <unistd.h>

#include "common/log.hpp"
#include "common/ras_errors.hpp"
#include "runtime/connection_driver.hpp"

namespace openras::runtime {

namespace offload = host::offload;

namespace {

// Past a burst's worth, a stream's write buffer is let go once written.
constexpr std::size_t kKeptWriteCapacity = 256 * 1024;

}  // namespace

void ConnectionDriver::open_port(const dial::PortRequest& request) {
  if (request.kind == dial::PortRequest::Kind::Tty) {
    std::uint32_t error = 0;
    port_ = transport::open_tty_port(loop_, request, caller_, error);
    if (!port_) {
      log_line("port", "conn=%u cannot open %s for uid %u: %s", handle_, request.device.c_str(),
               caller_.uid, std::string(error_name(error)).c_str());
      machine_->port_failed(error, Clock::now());
      return;
    }
    log_line("port", "conn=%u opened %s at %u bps", handle_, request.device.c_str(), request.speed);
    machine_->port_opened({}, Clock::now());
    read_port();
    return;
  }
  const char* kind = request.kind == dial::PortRequest::Kind::Udp ? "UDP" : "TLS";
  auto opened = [weak = weak_from_this(), device = request.device, kind](
                    std::unique_ptr<transport::LinePort> port, dial::PortInfo info,
                    std::uint32_t error) {
    if (auto self = weak.lock()) self->port_ready(std::move(port), info, error, device, kind);
  };
  log_line("port", "conn=%u connecting to %s port %u", handle_, request.device.c_str(),
           request.remote_port);
  opening_ = request.kind == dial::PortRequest::Kind::Udp
                 ? transport::open_udp_port(loop_, request, std::move(opened))
                 : transport::open_tls_port(loop_, *tls_, request, std::move(opened));
}

void ConnectionDriver::port_ready(std::unique_ptr<transport::LinePort> port,
                                  const dial::PortInfo& info, std::uint32_t error,
                                  const std::string& device, const char* kind) {
  opening_.reset();
  if (error) {
    log_line("port", "conn=%u cannot reach %s: %s", handle_, device.c_str(),
             std::string(error_name(error)).c_str());
    machine_->port_failed(error, Clock::now());
  } else {
    log_line("port", "conn=%u %s up with %s", handle_, kind, device.c_str());
    port_ = std::move(port);
    remote_ipv4_ = info.remote_ipv4;
    machine_->port_opened(info, Clock::now());
    read_port();
  }
  pump();
}

void ConnectionDriver::read_port() {
  if (!port_) return;
  // The handler keeps the port alive: a TLS stream must outlive every operation on it, even
  // one cancelled because the driver let go of its port.
  // For overwrite: an idle connection's RSS holds only the pages its reads have touched.
  if (!port_buffer_) port_buffer_ = std::make_shared_for_overwrite<PortBuffer>();
  auto buffer = port_buffer_;
  port_->async_read(asio::buffer(*buffer), [weak = weak_from_this(), keep = port_, buffer](
                                               const std::error_code& ec, std::size_t n) {
    auto self = weak.lock();
    if (!self || keep != self->port_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      // The other end of the line went away (EOF, EIO on a pty).
      self->close_port();
      self->machine_->line_closed(Clock::now());
    } else {
      const TimePoint now = Clock::now();
      self->machine_->data_path().feed_line({buffer->data(), n}, now);
      self->take_waiting_datagrams(*buffer, now);
      self->read_port();
    }
    self->pump();
  });
}

void ConnectionDriver::take_waiting_datagrams(PortBuffer& buffer, TimePoint now) {
  if (!port_ || !port_->concurrent_writes()) return;
  // What else has arrived goes to the machine before one pump: a burst of datagrams becomes
  // one flush, whose packets the TUN coalescer can merge, and a few recvmmsg calls.
  constexpr std::size_t kSlot = 2048;  // an L2TP datagram fits a 1,500-octet path
  std::array<std::size_t, std::tuple_size_v<PortBuffer> / kSlot> lengths{};
  dial::DialMachine& data = machine_->data_path();
  for (int round = 0; round < 4 && port_; ++round) {
    const std::size_t got = port_->receive_waiting(buffer, kSlot, lengths);
    for (std::size_t i = 0; i < got && port_; ++i) {
      // 0: a datagram longer than a slot, cut short and dropped as a lost one would be.
      if (lengths[i]) data.feed_line({buffer.data() + i * kSlot, lengths[i]}, now);
    }
    if (got < lengths.size()) break;
  }
}

void ConnectionDriver::write_port() {
  if (port_ && port_->concurrent_writes()) {
    // Datagrams: all at once, so a StopCCN queued just before the port is let go still leaves;
    // many a system call where the port can (sendmmsg).
    if (port_writing_) return;  // waiting for the socket to take more
    if (port_->send_queued(port_out_, spare_datagrams_, [weak = weak_from_this(), keep = port_] {
          auto self = weak.lock();
          if (!self || keep != self->port_) return;
          self->port_writing_ = false;
          self->write_port();
        })) {
      port_writing_ = !port_out_.empty();
      return;
    }
    while (!port_out_.empty()) {
      auto bytes = std::make_shared<ppp::LineBytes>(std::move(port_out_.front()));
      port_out_.pop_front();
      port_->async_write(asio::buffer(*bytes),
                         [keep = port_, bytes](const std::error_code&, std::size_t) {});
    }
    return;
  }
  if (port_writing_ || port_pending_.empty() || !port_) return;
  port_writing_ = true;
  // A stream takes all that is pending as one write: one syscall for a burst.
  if (!port_sending_) port_sending_ = std::make_shared<ppp::LineBytes>();
  auto bytes = port_sending_;
  bytes->swap(port_pending_);
  port_pending_.clear();
  port_->async_write(asio::buffer(*bytes), [weak = weak_from_this(), keep = port_, bytes](
                                               const std::error_code& ec, std::size_t) {
    // A backlog that once piled up need not stay allocated.
    if (bytes->capacity() > kKeptWriteCapacity) *bytes = {};
    auto self = weak.lock();
    if (!self || keep != self->port_) return;
    self->port_writing_ = false;
    if (ec) return;  // the read side reports the line closing
    self->write_port();
  });
}

void ConnectionDriver::close_port() {
  if (opening_) {
    opening_->cancel();
    opening_.reset();
  }
  if (!port_) return;
  port_->close();
  port_.reset();
  // What the port's data path grew goes with it (a failed dial is kept until RasHangUp).
  port_out_ = {};
  spare_datagrams_ = {};
  port_pending_ = {};
  port_sending_.reset();  // a cancelled write may still hold it
  port_buffer_.reset();   // so may a cancelled read
  port_writing_ = false;
}

void ConnectionDriver::want_network(const dial::NetworkRequest& request) {
  network_asked_ = true;
  if (tun_closing_) {
    // A redial's new interface waits for the old one (it may want the same name).
    deferred_network_ = request;
    return;
  }
  observer_.on_network_wanted(handle_, request, remote_ipv4_, hook_info());
}

void ConnectionDriver::interface_up(int fd, bool vnet_header, const std::string& ifname,
                                    const dial::NetworkRequest& applied) {
  tun_ = std::make_unique<asio::posix::stream_descriptor>(loop_, fd);
  tun_vnet_ = vnet_header;
  tun_buffer_.resize(tun_vnet_ ? offload::kVnetHeaderSize + 65536 : 2048);
  ifname_ = ifname;
  network_ = applied;
  if (hung_up_ || !network_asked_) close_tun();  // let go while it was being made
}

void ConnectionDriver::network_ready(std::uint32_t error) {
  if (error) {
    machine_->network_ready(error, Clock::now());
  } else if (tun_ && !tun_closing_ && !hung_up_) {
    machine_->network_ready(0, Clock::now());
    read_tun();
  }
  pump();
}

void ConnectionDriver::read_tun() {
  if (!tun_) return;
  tun_->async_read_some(asio::buffer(tun_buffer_), [weak = weak_from_this()](
                                                       const std::error_code& ec, std::size_t n) {
    auto self = weak.lock();
    if (!self || !self->tun_ || ec) return;
    dial::DialMachine& data = self->machine_->data_path();
    self->deliver_tun_read(data, n);
    // Take what else is queued (the descriptor is non-blocking) before pumping once: a burst
    // leaves as one write on the port.
    for (int more = 0; more < 32; ++more) {
      ssize_t got =
          ::read(self->tun_->native_handle(), self->tun_buffer_.data(), self->tun_buffer_.size());
      if (got <= 0) break;
      self->deliver_tun_read(data, static_cast<std::size_t>(got));
    }
    self->read_tun();
    self->pump();
  });
}

void ConnectionDriver::deliver_tun_read(dial::DialMachine& data, std::size_t got) {
  std::span<std::uint8_t> read(tun_buffer_.data(), got);
  if (!tun_vnet_) {
    data.send_packet(read);
  } else if (!offload::split(read, tun_segment_,
                             [&data](std::span<const std::uint8_t> p) { data.send_packet(p); })) {
    ++tun_malformed_;
  }
}

void ConnectionDriver::write_tun() {
  if (tun_writing_ || tun_out_.empty() || !tun_) return;
  tun_writing_ = true;
  // With the virtio-net header, each queued write carries its own (see flush_output).
  tun_->async_write_some(asio::buffer(tun_out_.front()),
                         [weak = weak_from_this()](const std::error_code& ec, std::size_t) {
                           // Aborted: the TUN was closed, and close_tun emptied the queue.
                           if (ec == asio::error::operation_aborted) return;
                           auto self = weak.lock();
                           if (!self) return;
                           self->tun_writing_ = false;
                           self->tun_out_.pop_front();  // a packet the kernel refused is dropped
                           self->write_tun();
                         });
}

void ConnectionDriver::flush_output() {
  dial::DialMachine& data = machine_->data_path();
  if (port_ && !port_->concurrent_writes()) {
    while (data.poll_line(port_pending_)) {
    }
  } else {
    // Sent datagrams' buffers go round again: a machine that fills the one it is given (or
    // swaps it for its own) allocates nothing a datagram.
    auto spare = [this] {
      if (spare_datagrams_.empty()) return ppp::LineBytes();
      ppp::LineBytes b = std::move(spare_datagrams_.back());
      spare_datagrams_.pop_back();
      b.clear();
      return b;
    };
    ppp::LineBytes datagram = spare();
    while (data.poll_line(datagram)) {
      if (port_) port_out_.push_back(std::move(datagram));
      datagram = spare();
    }
    if (datagram.capacity()) spare_datagrams_.push_back(std::move(datagram));
  }
  write_port();
  // Received TCP segments of one flow go to the TUN as one super-packet where they can.
  offload::Coalescer::Out packets;
  // The coalescer copies what it is given: the same buffer serves every packet (a machine
  // may swap it for its own, and keep this one for the next packet).
  while (data.poll_packet(packet_buffer_)) {
    if (tun_ && tun_vnet_) {
      tun_coalescer_.add(packet_buffer_, packets);
      packet_buffer_.clear();
    } else if (tun_) {
      packets.push_back(std::move(packet_buffer_));
      packet_buffer_ = {};
    } else {
      packet_buffer_.clear();
    }
  }
  if (tun_vnet_) tun_coalescer_.flush(packets);
  for (auto& p : packets) tun_out_.push_back(std::move(p));
  write_tun();
}

void ConnectionDriver::close_tun() {
  if (!tun_ || tun_closing_) return;
  // release() cancels what is pending on the descriptor and takes it out of the reactor, so the
  // host service may close it on another thread while the loop goes on.
  std::error_code ignored;
  tun_->cancel(ignored);
  int fd = tun_->release();
  tun_.reset();
  tun_closing_ = true;
  // What the TUN's data path grew goes with it; the aborted handlers touch none of it.
  tun_out_ = {};
  tun_writing_ = false;
  tun_buffer_ = {};
  tun_segment_ = {};
  observer_.on_interface_released(handle_, fd, hook_info());
}

void ConnectionDriver::release_io() {
  close_port();
  // A route kept to the port's far end (see on_port_released) is no longer needed.
  if (remote_ipv4_) {
    remote_ipv4_ = 0;
    observer_.on_port_released(handle_);
  }
  network_asked_ = false;  // a redial asks for its own
  close_tun();
}

}  // namespace openras::runtime
