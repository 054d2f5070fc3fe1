// openras-sstp-server: the project's own SSTP server for tests (Debian packages none that
// works here). TLS from OpenSSL, the PPP engine in the server role, strict to MS-SSTP, and it
// checks the client's crypto binding (SoftEther does not). Replies as SoftEther does: the
// "Microsoft-HTTPAPI/2.0" head, a Crypto Binding Request with SHA-256 in the Call Connect Ack,
// Echo-Requests of its own, PPP frames with FF 03. Each call gets a TUN interface in the
// server's namespace, so what the client sends reaches real servers behind it.
//
//   openras-sstp-server --listen ADDR:PORT --cert PEM --key PEM --user NAME:PASSWORD
//       [--auth eap-mschapv2,mschapv2,pap,chap] [--local IP] [--pool FIRST_IP] [--dns IP]
//       [--echo-seconds N] [--hostile garbage|http-error|nak|silent|bad-packet]
//       [--ready-file PATH] [--no-tun]
//
// One line per event on stdout ("conn=3 binding ok sha256", "conn=3 auth ok user=alice").
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/ipv4.hpp"
#include "dial/ppp_dial.hpp"
#include "host/netlink.hpp"
#include "host/tun_offload.hpp"
#include "link/http_head.hpp"
#include "link/sstp_binding.hpp"
#include "link/sstp_packet.hpp"
#include "ppp/session.hpp"

namespace {

using namespace openras;
using namespace openras::link::sstp;

struct Options {
  std::string listen = "0.0.0.0:443";
  std::string cert, key;
  std::map<std::string, std::string> users;
  std::vector<ppp::AuthMethod> auth = {ppp::AuthMethod::MsChapV2};
  std::uint32_t local_ip = 0xC0A82801;    // 192.168.40.1
  std::uint32_t pool_first = 0xC0A8280A;  // 192.168.40.10
  std::uint32_t dns = 0xC0A82801;
  int echo_seconds = 20;
  std::string hostile;
  std::string ready_file;
  bool tun = true;
};

Options g_options;
SSL_CTX* g_ctx = nullptr;
ppp::Bytes g_cert_der;
std::mutex g_print;
std::atomic<int> g_next_conn{0};

void say(int conn, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void say(int conn, const char* fmt, ...) {
  std::lock_guard<std::mutex> lock(g_print);
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  std::printf("%02ld.%06ld conn=%d ", ts.tv_sec % 60, ts.tv_nsec / 1000, conn);
  va_list ap;
  va_start(ap, fmt);
  std::vprintf(fmt, ap);
  va_end(ap);
  std::printf("\n");
  std::fflush(stdout);
}

std::uint32_t parse_ip(const std::string& s) {
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) {
    std::fprintf(stderr, "bad address %s\n", s.c_str());
    std::exit(2);
  }
  return ntohl(a.s_addr);
}

int open_tun(std::uint32_t local, std::uint32_t peer, std::string& name) {
  int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) return -1;
  ifreq ifr{};
  // With the virtio-net header: what it writes are super-packets where the received segments
  // allow (host/tun_offload), as a NIC's GRO would hand them to the kernel.
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
  std::strncpy(ifr.ifr_name, "sstps%d", IFNAMSIZ - 1);
  if (::ioctl(fd, TUNSETIFF, &ifr) != 0) {
    ::close(fd);
    return -1;
  }
  // And what it reads: TCP super-packets of up to 64 KB, cut into segments here
  // (host/tun_offload), rather than cut and checksummed one by one in the kernel.
  if (::ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) != 0) {
    ::close(fd);
    return -1;
  }
  name = ifr.ifr_name;
  // Non-blocking: a wake-up reads every packet queued (the sink's ACKs come in bursts), and
  // they leave in one TLS record.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  unsigned index = if_nametoindex(name.c_str());
  if (host::netlink::set_link_up(index, 1500) != 0 ||
      host::netlink::add_peer_address(index, local, peer) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One SSTP call on an accepted socket.
class Call {
 public:
  Call(int fd, int id) : fd_(fd), id_(id) {}
  ~Call() {
    if (tun_ >= 0) ::close(tun_);
    if (ssl_) SSL_free(ssl_);
    ::close(fd_);
  }

  void run() {
    ssl_ = SSL_new(g_ctx);
    SSL_set_fd(ssl_, fd_);
    if (SSL_accept(ssl_) <= 0) {
      say(id_, "tls handshake failed");
      return;
    }
    if (g_options.hostile == "garbage") {
      const char junk[] = "\x16\x03\x01 this is not an SSTP server\r\n\r\n\x7f\x00\x01";
      SSL_write(ssl_, junk, sizeof junk);
      drain();
      return;
    }
    if (!http_exchange()) return;
    if (g_options.hostile == "bad-packet") {
      // A Call Connect Ack that claims five attributes and carries two octets of one.
      const std::uint8_t junk[] = {0x10, 0x01, 0x00, 0x0A, 0x00, 0x02, 0x00, 0x05, 0xFF, 0xFF};
      SSL_write(ssl_, junk, sizeof junk);
      drain();
      return;
    }
    serve();
  }

 private:
  // A whole record at most (16384 octets), into a buffer of the call's own: valid until the
  // next read.
  bool read_some(ppp::ByteView& out) {
    int n = SSL_read(ssl_, read_buffer_.get(), static_cast<int>(kReadBuffer));
    if (n <= 0) return false;
    out = ppp::ByteView(read_buffer_.get(), static_cast<std::size_t>(n));
    return true;
  }

  void write(ppp::ByteView bytes) {
    if (!bytes.empty()) SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
  }
  void write_text(const std::string& s) {
    write({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  }

  void drain() {
    ppp::ByteView ignored;
    while (read_some(ignored)) {
    }
  }

  bool http_exchange() {
    link::HttpHead head;
    ppp::ByteView in;
    while (head.status() == link::HttpHead::Status::NeedMore) {
      if (!read_some(in)) return false;
      head.feed(in);
    }
    if (head.status() != link::HttpHead::Status::Complete || head.method() != "SSTP_DUPLEX_POST" ||
        head.target() != link::kSstpUri) {
      say(id_, "bad request %s %s", head.method().c_str(), head.target().c_str());
      write_text("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      return false;
    }
    if (g_options.hostile == "http-error") {
      write_text("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
      drain();
      return false;
    }
    say(id_, "duplex post host=%s", head.header("host").value_or("").c_str());
    write_text(link::sstp_duplex_post_reply());
    reader_.feed(head.take_rest());
    return true;
  }

  void send_control(std::uint16_t type, std::vector<Attribute> attributes = {}) {
    ControlMessage m;
    m.type = type;
    m.attributes = std::move(attributes);
    write(encode_control(m));
  }

  ppp::SessionConfig ppp_config() {
    ppp::SessionConfig c;
    c.server = true;
    c.framed = false;
    c.server_settings.require = g_options.auth;
    c.server_settings.accounts = g_options.users;
    c.server_settings.local_ip = g_options.local_ip;
    // Distinct for 50,000 calls (the session benchmark holds thousands at once).
    c.server_settings.assign_ip = g_options.pool_first + static_cast<std::uint32_t>(id_ % 50000);
    c.server_settings.dns1 = g_options.dns;
    c.server_settings.ipv6 = false;
    c.ipv6 = false;
    return c;
  }

  void serve() {
    ppp::Session session(ppp_config(), *random_);
    auto now = [] { return Clock::now(); };
    TimePoint echo_at = now() + std::chrono::seconds(g_options.echo_seconds);
    bool closing = false;
    std::optional<TimePoint> close_by;
    while (true) {
      // Input first: whole packets from the stream.
      ppp::ByteView raw;
      while (reader_.next(raw)) {
        if (auto frame = data_payload(raw)) {
          if (state_ != State::WaitRequest) session.feed(*frame, now());
          continue;
        }
        auto packet = decode_packet(raw);
        if (!packet) {
          say(id_, "malformed packet");
          send_control(kCallAbort, {status_info_attribute(0, kStatusInvalidFrameReceived)});
          return;
        }
        if (!on_control(packet->message, raw, session)) return;
      }
      if (reader_.broken()) {
        say(id_, "stream broken");
        return;
      }
      // Output: PPP frames, packets for the TUN, events.
      ppp::Bytes frame;
      ppp::Bytes burst;  // one TLS record for what PPP has to say at once
      while (session.poll_transmit(frame)) {
        ppp::Bytes packet = encode_data(frame);
        burst.insert(burst.end(), packet.begin(), packet.end());
      }
      write(burst);
      host::offload::Coalescer::Out writes;
      while (auto p = session.poll_packet()) {
        if (tun_ >= 0 && state_ == State::Connected) coalescer_.add(p->data, writes);
      }
      coalescer_.flush(writes);
      for (const auto& w : writes) (void)!::write(tun_, w.data(), w.size());
      while (auto e = session.poll_event()) {
        if (e->kind == ppp::Event::Kind::AuthSucceeded) {
          say(id_, "auth ok user=%s method=%s", session.negotiated().peer_user.c_str(),
              ppp::auth_method_name(session.negotiated().auth));
        } else if (e->kind == ppp::Event::Kind::NetworkUp && g_options.tun && tun_ < 0) {
          std::string name;
          tun_ = open_tun(g_options.local_ip, session.negotiated().peer_ip, name);
          say(id_, "network up ip=%s tun=%s", ipv4_string(session.negotiated().peer_ip).c_str(),
              tun_ >= 0 ? name.c_str() : "FAILED");
        } else if (e->kind == ppp::Event::Kind::Finished && !closing) {
          say(id_, "ppp finished error=%u", e->error);
          send_control(kCallDisconnect, {status_info_attribute(0, kStatusNoError)});
          closing = true;
          close_by = now() + std::chrono::seconds(2);
        }
      }
      if (state_ == State::Closed) return;
      if (close_by && now() >= *close_by) return;
      if (now() >= echo_at && state_ != State::WaitRequest) {
        send_control(kEchoRequest);
        echo_at = now() + std::chrono::seconds(g_options.echo_seconds);
      }
      session.on_timer(now());
      // Wait for the socket, the TUN or the next deadline.
      if (SSL_pending(ssl_) > 0) {
        if (!pull()) return;
        continue;
      }
      auto deadline = session.next_deadline();
      TimePoint wake = echo_at;
      if (deadline && *deadline < wake) wake = *deadline;
      if (close_by && *close_by < wake) wake = *close_by;
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now()).count();
      pollfd fds[2] = {{fd_, POLLIN, 0}, {tun_, POLLIN, 0}};
      int n = ::poll(fds, tun_ >= 0 ? 2 : 1,
                     static_cast<int>(std::max<long>(0, std::min<long>(wait, 1000))));
      if (n < 0 && errno != EINTR) return;
      if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
        if (!pull()) return;
      }
      if (n > 0 && tun_ >= 0 && (fds[1].revents & POLLIN)) {
        for (int more = 0; more < 64; ++more) {
          ssize_t got = ::read(tun_, tun_read_.data(), tun_read_.size());
          if (got <= 0) break;
          if (state_ != State::Connected) continue;
          host::offload::split({tun_read_.data(), static_cast<std::size_t>(got)}, tun_segment_,
                               [&](std::span<const std::uint8_t> p) {
                                 std::uint8_t version = p[0] >> 4;
                                 session.send_packet(version == 6 ? ppp::kProtoIpv6 : ppp::kProtoIp,
                                                     p);
                               });
        }
      }
    }
  }

  bool pull() {
    ppp::ByteView in;
    if (!read_some(in)) {
      say(id_, "client closed");
      return false;
    }
    reader_.feed(in);
    // And the records already read ahead, without another wait.
    while (SSL_has_pending(ssl_)) {
      if (!read_some(in)) break;
      reader_.feed(in);
    }
    return true;
  }

  // False: the call is over.
  bool on_control(const ControlMessage& m, ppp::ByteView raw, ppp::Session& session) {
    switch (m.type) {
      case kCallConnectRequest: {
        if (state_ != State::WaitRequest) return true;
        const Attribute* proto = m.find(kAttribEncapsulatedProtocolId);
        bool ppp_requested = proto && proto->value.size() == 2 &&
                             ppp::get16(proto->value.data()) == kEncapsulatedPpp;
        if (!ppp_requested || g_options.hostile == "nak") {
          say(id_, "connect request refused");
          send_control(kCallConnectNak, {status_info_attribute(kAttribEncapsulatedProtocolId,
                                                               kStatusValueNotSupported)});
          return true;
        }
        if (g_options.hostile == "silent") {
          say(id_, "staying silent");
          return true;
        }
        CryptoBindingRequest request;
        request.hash_protocols = kHashSha256;
        random_->fill(request.nonce.data(), request.nonce.size());
        nonce_ = request.nonce;
        send_control(kCallConnectAck, {crypto_binding_request_attribute(request)});
        state_ = State::Negotiating;
        session.open(Clock::now());
        return true;
      }
      case kCallConnected: {
        if (state_ != State::Negotiating) return true;
        Key32 hlak{};
        const auto& n = session.negotiated();
        if ((n.auth == ppp::AuthMethod::MsChapV2 || n.auth == ppp::AuthMethod::EapMsChapV2) &&
            n.mppe_master_key) {
          hlak = hlak_from_mschapv2(*n.mppe_master_key, true);
        }
        auto check = verify_call_connected(raw, nonce_, g_cert_der, hlak);
        if (check != BindingCheck::Ok) {
          say(id_, "binding FAILED reason=%d", static_cast<int>(check));
          send_control(kCallAbort,
                       {status_info_attribute(kAttribCryptoBinding, kStatusValueNotSupported)});
          return false;
        }
        say(id_, "binding ok sha256%s", n.mppe_master_key ? " keyed" : " unkeyed");
        state_ = State::Connected;
        return true;
      }
      case kEchoRequest:
        send_control(kEchoResponse);
        return true;
      case kEchoResponse:
        return true;
      case kCallDisconnect:
        say(id_, "client disconnected");
        send_control(kCallDisconnectAck);
        state_ = State::Closed;
        return false;
      case kCallDisconnectAck:
        state_ = State::Closed;
        return false;
      case kCallAbort:
        say(id_, "client aborted");
        return false;
      default:
        say(id_, "unexpected message 0x%04x", m.type);
        return true;
    }
  }

  enum class State { WaitRequest, Negotiating, Connected, Closed };
  int fd_;
  int id_;
  SSL* ssl_ = nullptr;
  int tun_ = -1;
  host::offload::Coalescer coalescer_;
  static constexpr std::size_t kReadBuffer = 16384;
  std::unique_ptr<std::uint8_t[]> read_buffer_ =
      std::make_unique_for_overwrite<std::uint8_t[]>(kReadBuffer);
  std::vector<std::uint8_t> tun_read_ =
      std::vector<std::uint8_t>(host::offload::kVnetHeaderSize + 65536);
  std::vector<std::uint8_t> tun_segment_;  // a segment of a TUN read, as it is cut
  State state_ = State::WaitRequest;
  PacketReader reader_;
  std::array<std::uint8_t, 32> nonce_{};
  std::unique_ptr<ppp::Random> random_ = dial::system_random();
};

std::vector<ppp::AuthMethod> parse_auth(const std::string& list) {
  std::vector<ppp::AuthMethod> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string m =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (m == "mschapv2") out.push_back(ppp::AuthMethod::MsChapV2);
    if (m == "eap-mschapv2") out.push_back(ppp::AuthMethod::EapMsChapV2);
    if (m == "pap") out.push_back(ppp::AuthMethod::Pap);
    if (m == "chap") out.push_back(ppp::AuthMethod::ChapMd5);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void parse_args(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--listen")
      g_options.listen = value();
    else if (a == "--cert")
      g_options.cert = value();
    else if (a == "--key")
      g_options.key = value();
    else if (a == "--user") {
      std::string u = value();
      auto colon = u.find(':');
      g_options.users[u.substr(0, colon)] = colon == std::string::npos ? "" : u.substr(colon + 1);
    } else if (a == "--auth")
      g_options.auth = parse_auth(value());
    else if (a == "--local")
      g_options.local_ip = parse_ip(value());
    else if (a == "--pool")
      g_options.pool_first = parse_ip(value());
    else if (a == "--dns")
      g_options.dns = parse_ip(value());
    else if (a == "--echo-seconds")
      g_options.echo_seconds = std::stoi(value());
    else if (a == "--hostile")
      g_options.hostile = value();
    else if (a == "--ready-file")
      g_options.ready_file = value();
    else if (a == "--no-tun")
      g_options.tun = false;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      std::exit(2);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  parse_args(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  g_ctx = SSL_CTX_new(TLS_server_method());
  // Read ahead: one socket read takes every record that has arrived, so a burst of PPP frames
  // is decoded (and its TCP segments merged for the TUN) at once.
  SSL_CTX_set_read_ahead(g_ctx, 1);
  SSL_CTX_set_default_read_buffer_len(g_ctx, 65536);
  if (SSL_CTX_use_certificate_chain_file(g_ctx, g_options.cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(g_ctx, g_options.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::fprintf(stderr, "cannot load %s / %s\n", g_options.cert.c_str(), g_options.key.c_str());
    return 2;
  }
  {
    FILE* f = std::fopen(g_options.cert.c_str(), "r");
    X509* x = f ? PEM_read_X509(f, nullptr, nullptr, nullptr) : nullptr;
    if (f) std::fclose(f);
    if (!x) return 2;
    int len = i2d_X509(x, nullptr);
    g_cert_der.resize(static_cast<std::size_t>(len));
    unsigned char* p = g_cert_der.data();
    i2d_X509(x, &p);
    X509_free(x);
  }
  auto colon = g_options.listen.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(g_options.listen.substr(colon + 1))));
  addr.sin_addr.s_addr = htonl(parse_ip(g_options.listen.substr(0, colon)));
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 64) != 0) {
    std::perror("listen");
    return 2;
  }
  if (!g_options.ready_file.empty()) std::ofstream(g_options.ready_file) << getpid() << "\n";
  while (true) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;  // small control messages answered at once, as a real server does
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int id = g_next_conn++;
    std::thread([fd, id] {
      Call call(fd, id);
      call.run();
      say(id, "closed");
    }).detach();
  }
}
