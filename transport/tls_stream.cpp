#include "transport/tls_stream.hpp"

#include <openssl/err.h>

#include <asio/ssl/error.hpp>
#include <cstring>

#include "ppp/bytes.hpp"

namespace openras::transport {
namespace {

constexpr std::size_t kInputSize = 64 * 1024;
// Past a burst's worth, an output buffer is let go once sent.
constexpr std::size_t kKeptOutputCapacity = 256 * 1024;

// OpenSSL's first queued error in asio's SSL category, as asio's own stream reports it.
std::error_code tls_error_from_queue() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  return {static_cast<int>(e), asio::error::get_ssl_category()};
}

}  // namespace

struct TlsStream::State : std::enable_shared_from_this<State> {
  State(asio::io_context& io_context, SSL_CTX* context);
  ~State() { SSL_free(ssl); }

  void post(Handler handler, std::error_code ec, std::size_t n) {
    asio::post(io, [handler = std::move(handler), ec, n] { handler(ec, n); });
  }
  void post(HandshakeHandler handler, std::error_code ec) {
    asio::post(io, [handler = std::move(handler), ec] { handler(ec); });
  }
  void post_progress() {
    asio::post(io, [self = shared_from_this()] { self->progress(); });
  }
  void progress();
  void progress_handshake();
  void progress_read();
  void complete_read(const std::error_code& ec, std::size_t n) {
    Handler handler = std::move(read_handler);
    read_handler = nullptr;
    handler(ec, n);
  }
  void complete_write(const std::error_code& ec) {
    Handler handler = std::move(write_handler);
    write_handler = nullptr;
    handler(ec, ec ? 0 : write_size);
  }
  std::error_code failure(int ssl_error);
  void read_socket();
  void write_socket();

  // The BIO's two ends: OpenSSL takes what the socket read, and appends records to `staging`.
  int take_input(char* out, int len);
  void append_output(const char* data, int len) {
    // As octets, so that the copy is a memmove rather than a loop converting char by char.
    const auto* octets = reinterpret_cast<const std::uint8_t*>(data);
    staging.insert(staging.end(), octets, octets + len);
    queued += static_cast<std::uint64_t>(len);
  }

  asio::io_context& io;
  asio::ip::tcp::socket socket;
  SSL* ssl = nullptr;
  bool closed = false;

  // Not zero-filled: an idle session's RSS then holds only the pages records have touched.
  ppp::LineBytes input = ppp::LineBytes(kInputSize);
  std::size_t input_start = 0, input_end = 0;
  bool socket_reading = false;
  bool input_eof = false;
  std::error_code input_error;

  std::vector<std::uint8_t> staging, sending;  // records not yet sent; records being sent
  bool socket_writing = false;
  std::uint64_t queued = 0, sent = 0;  // octets of records, in all
  std::error_code output_error;

  HandshakeHandler handshake_handler;
  Handler read_handler;
  asio::mutable_buffer read_buffer;
  Handler write_handler;
  std::uint64_t write_mark = 0;  // `sent` at which the write in progress is all on the wire
  std::size_t write_size = 0;
};

namespace {

TlsStream::State* state_of(BIO* bio) {
  return static_cast<TlsStream::State*>(BIO_get_data(bio));
}

int bio_write(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  state_of(bio)->append_output(data, len);
  return len;
}

int bio_read(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  int n = state_of(bio)->take_input(out, len);
  if (n < 0) BIO_set_retry_read(bio);
  return n;
}

long bio_ctrl(BIO*, int command, long, void*) {
  return command == BIO_CTRL_FLUSH ? 1 : 0;  // records are sent when the operation ends
}

int bio_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* stream_bio_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "openras-tls-stream");
    BIO_meth_set_write(m, bio_write);
    BIO_meth_set_read(m, bio_read);
    BIO_meth_set_ctrl(m, bio_ctrl);
    BIO_meth_set_create(m, bio_create);
    return m;
  }();
  return method;
}

}  // namespace

TlsStream::State::State(asio::io_context& io_context, SSL_CTX* context)
    : io(io_context), socket(io_context), ssl(SSL_new(context)) {
  BIO* bio = BIO_new(stream_bio_method());
  BIO_set_data(bio, this);
  SSL_set_bio(ssl, bio, bio);
  SSL_set_options(ssl, SSL_OP_NO_RENEGOTIATION);  // a write never has to wait for a read
  SSL_set_connect_state(ssl);
}

int TlsStream::State::take_input(char* out, int len) {
  std::size_t available = input_end - input_start;
  if (available == 0) return input_eof || input_error ? 0 : -1;
  std::size_t n = std::min(available, static_cast<std::size_t>(len));
  std::memcpy(out, input.data() + input_start, n);
  input_start += n;
  return static_cast<int>(n);
}

std::error_code TlsStream::State::failure(int ssl_error) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN) return asio::error::eof;  // close_notify
  unsigned long queued_error = ERR_peek_error();
  bool truncated = queued_error && ERR_GET_LIB(queued_error) == ERR_LIB_SSL &&
                   ERR_GET_REASON(queued_error) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
  if (queued_error && !truncated) return tls_error_from_queue();
  ERR_clear_error();
  if (input_error) return input_error;
  return asio::ssl::error::stream_truncated;  // TCP closed without close_notify
}

void TlsStream::State::progress() {
  if (closed) return;
  if (handshake_handler) {
    progress_handshake();
  } else if (read_handler) {
    progress_read();
  }
}

void TlsStream::State::progress_handshake() {
  ERR_clear_error();
  int r = SSL_do_handshake(ssl);
  int error = r == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, r);
  write_socket();
  if (error == SSL_ERROR_WANT_READ) {
    read_socket();
    return;
  }
  HandshakeHandler handler = std::move(handshake_handler);
  handshake_handler = nullptr;
  handler(error == SSL_ERROR_NONE ? std::error_code() : failure(error));
}

void TlsStream::State::progress_read() {
  auto* out = static_cast<std::uint8_t*>(read_buffer.data());
  std::size_t total = 0;
  int error = SSL_ERROR_NONE;
  // As many records as fit: each SSL_read gives one record's octets at most.
  while (total < read_buffer.size()) {
    std::size_t got = 0;
    ERR_clear_error();
    if (!SSL_read_ex(ssl, out + total, read_buffer.size() - total, &got)) {
      error = SSL_get_error(ssl, 0);
      break;
    }
    total += got;
  }
  write_socket();  // reading can make OpenSSL answer (a key update)
  if (total > 0) {
    ERR_clear_error();  // a failure after the octets is met again by the next read
    complete_read({}, total);
  } else if (error == SSL_ERROR_WANT_READ) {
    read_socket();
  } else {
    complete_read(failure(error), 0);
  }
}

void TlsStream::State::read_socket() {
  if (socket_reading || closed) return;
  if (input_start == input_end) {
    input_start = input_end = 0;
  } else if (input_end == input.size()) {
    std::memmove(input.data(), input.data() + input_start, input_end - input_start);
    input_end -= input_start;
    input_start = 0;
  }
  socket_reading = true;
  socket.async_read_some(asio::buffer(input.data() + input_end, input.size() - input_end),
                         [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                           self->socket_reading = false;
                           if (self->closed) return;  // close() has failed what was pending
                           if (ec == asio::error::eof) {
                             self->input_eof = true;
                           } else if (ec) {
                             self->input_error = ec;
                           } else {
                             self->input_end += n;
                           }
                           self->progress();
                         });
}

void TlsStream::State::write_socket() {
  if (socket_writing || closed || staging.empty()) return;
  sending.swap(staging);
  staging.clear();
  socket_writing = true;
  asio::async_write(socket, asio::buffer(sending),
                    [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                      self->socket_writing = false;
                      if (self->sending.capacity() > kKeptOutputCapacity) self->sending = {};
                      if (self->closed) return;
                      if (ec) {
                        self->output_error = ec;
                        if (self->write_handler) self->complete_write(ec);
                        return;
                      }
                      self->sent += n;
                      if (self->write_handler && self->sent >= self->write_mark) {
                        self->complete_write({});
                      }
                      self->write_socket();
                    });
}

TlsStream::TlsStream(asio::io_context& io, SSL_CTX* context)
    : state_(std::make_shared<State>(io, context)) {}

TlsStream::~TlsStream() {
  close();
}

asio::ip::tcp::socket& TlsStream::socket() {
  return state_->socket;
}

SSL* TlsStream::native_handle() {
  return state_->ssl;
}

void TlsStream::async_handshake(HandshakeHandler handler) {
  State& s = *state_;
  if (s.closed) {
    s.post(std::move(handler), asio::error::operation_aborted);
    return;
  }
  s.handshake_handler = std::move(handler);
  s.post_progress();
}

void TlsStream::async_read_some(asio::mutable_buffer buffer, Handler handler) {
  State& s = *state_;
  if (s.closed) {
    s.post(std::move(handler), asio::error::operation_aborted, 0);
    return;
  }
  s.read_handler = std::move(handler);
  s.read_buffer = buffer;
  s.post_progress();
}

void TlsStream::async_write(asio::const_buffer buffer, Handler handler) {
  State& s = *state_;
  if (s.closed || s.output_error) {
    s.post(std::move(handler), s.closed ? asio::error::operation_aborted : s.output_error, 0);
    return;
  }
  if (buffer.size() == 0) {
    s.post(std::move(handler), {}, 0);
    return;
  }
  const auto* p = static_cast<const std::uint8_t*>(buffer.data());
  std::size_t left = buffer.size();
  while (left > 0) {
    std::size_t written = 0;
    ERR_clear_error();
    if (!SSL_write_ex(s.ssl, p, left, &written)) {
      std::error_code ec = s.failure(SSL_get_error(s.ssl, 0));
      s.write_socket();  // an alert, if OpenSSL queued one
      s.post(std::move(handler), ec, 0);
      return;
    }
    p += written;
    left -= written;
  }
  s.write_handler = std::move(handler);
  s.write_mark = s.queued;
  s.write_size = buffer.size();
  s.write_socket();
}

void TlsStream::close() {
  State& s = *state_;
  if (s.closed) return;
  s.closed = true;
  std::error_code ignored;
  if (s.socket.is_open()) {
    s.socket.cancel(ignored);
    s.socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    s.socket.close(ignored);
  }
  if (s.handshake_handler) {
    s.post(std::move(s.handshake_handler), asio::error::operation_aborted);
    s.handshake_handler = nullptr;
  }
  if (s.read_handler) {
    s.post(std::move(s.read_handler), asio::error::operation_aborted, 0);
    s.read_handler = nullptr;
  }
  if (s.write_handler) {
    s.post(std::move(s.write_handler), asio::error::operation_aborted, 0);
    s.write_handler = nullptr;
  }
}

}  // namespace openras::transport
