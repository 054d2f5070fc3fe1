// A TLS client stream over a TCP socket in the manager's event loop, with OpenSSL driven
// through a BIO of our own: records are written straight into the buffer that goes to the
// socket, and read straight from the buffer the socket filled. So a burst of records leaves
// in one send (asio's stream sends each record through a 17 KB BIO pair, copying it twice),
// and a read copies each record once.
//
// Operations: one handshake, then at most one read and one write in flight at a time.
// Handlers never run inside the call that starts them. The state lives in a shared object
// that every pending socket operation holds, so closing the stream (or dropping it) while
// operations are pending is safe; after close() no buffer of the caller is touched again.
#pragma once

#include <openssl/ssl.h>

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <system_error>
#include <vector>

namespace openras::transport {

class TlsStream {
 public:
  using Handler = std::function<void(const std::error_code&, std::size_t)>;
  using HandshakeHandler = std::function<void(const std::error_code&)>;

  TlsStream(asio::io_context& io, SSL_CTX* context);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  asio::ip::tcp::socket& socket();
  SSL* native_handle();

  void async_handshake(HandshakeHandler handler);
  // Fills `buffer` with what has arrived: one record's octets or more.
  void async_read_some(asio::mutable_buffer buffer, Handler handler);
  // Sends the whole buffer (copied at once: it need not outlive the call).
  void async_write(asio::const_buffer buffer, Handler handler);
  // Cancels what is pending (handlers run with operation_aborted) and closes the socket.
  void close();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace openras::transport
