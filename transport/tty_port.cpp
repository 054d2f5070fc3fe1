// The tty kind of LinePort: a serial line, a pty, a modem.
#include "transport/line_port.hpp"
#include "transport/serial_port.hpp"

namespace openras::transport {
namespace {

class TtyPort final : public LinePort {
 public:
  TtyPort(asio::io_context& io, int fd, const termios& saved) : stream_(io, fd), saved_(saved) {}
  ~TtyPort() override { close(); }

  void async_read(asio::mutable_buffer buffer, Handler handler) override {
    stream_.async_read_some(buffer, std::move(handler));
  }
  void async_write(asio::const_buffer buffer, Handler handler) override {
    asio::async_write(stream_, buffer, std::move(handler));
  }
  void close() override {
    if (!stream_.is_open()) return;
    std::error_code ignored;
    stream_.cancel(ignored);
    close_serial_port(stream_.release(), saved_);  // drops DTR: a modem hangs up
  }

 private:
  asio::posix::stream_descriptor stream_;
  termios saved_;
};

}  // namespace

std::unique_ptr<LinePort> open_tty_port(asio::io_context& io, const dial::PortRequest& request,
                                        const PortCaller& caller, std::uint32_t& error) {
  OpenedPort opened = open_serial_port(request, caller);
  if (opened.fd < 0) {
    error = opened.error;
    return nullptr;
  }
  error = 0;
  return std::make_unique<TtyPort>(io, opened.fd, opened.saved);
}

}  // namespace openras::transport
