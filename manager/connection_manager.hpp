// rasmand's connection table: every connection, the dial machine that drives it, its timer,
// who dialed it (SO_PEERCRED) and which client thread hears its notifications. Runs on one
// io_context thread, so nothing here takes a lock.
#pragma once

#include <array>
#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "dial/dial_machine.hpp"
#include "ipc/messages.hpp"
#include "manager/client_session.hpp"
#include "manager/credentials.hpp"
#include "manager/dns.hpp"
#include "manager/host_journal.hpp"
#include "manager/line_port.hpp"
#include "manager/netlink.hpp"
#include "manager/tun_offload.hpp"
#include "manager/worker_pool.hpp"

namespace openras::manager {

struct Connection {
  explicit Connection(asio::io_context& io) : timer(io) {}

  std::uint32_t handle = 0;
  std::string entry_name;
  std::string phonebook;
  std::string phone_number;
  std::unique_ptr<dial::DialMachine> machine;
  asio::steady_timer timer;
  std::optional<TimePoint> timer_deadline;  // what `timer` waits for, if anything
  std::uint32_t state = 0;
  std::uint32_t error = 0;
  bool connected_once = false;
  bool hung_up = false;
  PeerCredentials owner_peer;
  std::weak_ptr<ClientSession> notify;  // the dialing thread, until a final state
  std::uint64_t dial_session_id = 0;    // the dial depends on this client until Connected
  int references = 1;
  TimePoint connected_at{};
  dial::LinkStatistics statistics_baseline;
  TimePoint statistics_since{};

  // The port (tty, TLS, UDP) and the interface (TUN), once the machine asks for them.
  std::shared_ptr<LinePort> port;
  std::shared_ptr<PortOpening> opening;  // a network port being opened
  std::unique_ptr<asio::posix::stream_descriptor> tun;
  // The TUN being closed on a closer thread: events wait behind it, and so does a redial's
  // network, so that whoever hears the link ended finds its interface gone.
  bool tun_closing = false;
  std::vector<dial::DialEvent> held_events;
  std::optional<dial::NetworkRequest> deferred_network;
  std::string ifname;
  std::optional<dial::NetworkRequest> network;  // what the interface was configured with
  bool network_configured = false;
  std::uint32_t remote_ipv4 = 0;      // the port's far end (server or proxy)
  std::uint32_t pinned_route_to = 0;  // a host route this connection holds (see host_routes_)
  // A datagram port's writes, one datagram each.
  std::deque<ppp::LineBytes> port_out;
  // A stream port's octets: what the machine appends while the write before is in flight, and
  // that write's buffer. Both keep their capacity, so a burst neither allocates nor regrows.
  ppp::LineBytes port_pending;
  std::shared_ptr<ppp::LineBytes> port_sending;
  std::deque<std::vector<std::uint8_t>> tun_out;
  bool port_writing = false;
  bool tun_writing = false;
  // What one read of the port delivers: for TLS, as many records as have arrived, so that a
  // download burst is one pump (measured: 250-259 -> 261-274 MB/s, 1 SSTP call, 16 -> 64 KB).
  // Shared with the read in flight, which may complete after the connection is gone. Made
  // when the port opens and let go with it: a failed dial kept until RasHangUp holds no 64 KB.
  using PortBuffer = std::array<std::uint8_t, 65536>;
  std::shared_ptr<PortBuffer> port_buffer;
  // A read from the TUN: with the virtio-net header, a super-packet of up to 64 KB.
  bool tun_vnet = false;
  ppp::LineBytes tun_buffer;  // not zero-filled: pages are touched only as packets arrive
  std::vector<std::uint8_t> tun_segment;  // one segment of a super-packet, as it is cut
  std::uint64_t tun_malformed = 0;
  offload::Coalescer tun_coalescer;  // received segments merged for the TUN
};

// What one user other than root may hold at once, so that no user can fill the daemon's
// descriptors, memory or disk (docs/security.md). Root is not limited.
struct UserLimits {
  std::size_t sessions = 64;       // open client sockets
  std::size_t connections = 32;    // connections and dials, failed ones not yet hung up included
  std::size_t subscriptions = 64;  // RasConnectionNotification events
  std::size_t saved_credentials = 128;  // entries with saved credentials
};

// What connections of users who are neither root nor in the admin group may change on the
// host. Windows lets every user dial a VPN that takes the default route and DNS; an
// administrator may forbid either (docs/security.md).
struct UserPolicy {
  bool users_default_route = true;
  bool users_dns = true;
};

struct ManagerOptions {
  DnsMode dns_mode = DnsMode::Auto;
  std::string resolv_conf = "/etc/resolv.conf";
  std::string hooks_dir = "/etc/openras";  // ip-up.d / ip-down.d below it
  // Members of this group see and hang up every connection, as root does.
  std::optional<std::uint32_t> admin_group;
  std::string state_dir = CredentialStore::default_state_dir();  // saved credentials
  bool verbose = false;  // a packet trace line per PPP frame (secrets redacted)
  UserLimits limits;
  UserPolicy policy;
};

struct Subscription {
  std::weak_ptr<ClientSession> session;
  std::uint64_t session_id = 0;
  std::uint32_t handle = 0;  // 0: every connection
  std::uint32_t flags = 0;
  std::uint32_t uid = 0;
  bool sees_everything = false;
  int fd = -1;  // eventfd, owned
};

class ConnectionManager final : public RequestHandler {
 public:
  explicit ConnectionManager(asio::io_context& io, ManagerOptions options = {});
  ~ConnectionManager() override;

  void on_request(const std::shared_ptr<ClientSession>& session, const ipc::FrameHeader& header,
                  std::span<const std::byte> body, std::vector<int>& fds) override;
  void on_session_closed(ClientSession& session) override;

  // Undoes what a previous instance left on the host (its journal in the state directory):
  // host routes, resolv.conf blocks, ip-down scripts that never ran. Call once, at start.
  void recover_host_state();
  // Hang up everything (daemon shutdown); `done` runs once every port is released.
  void shutdown(std::function<void()> done);
  std::size_t connection_count() const { return connections_.size(); }
  std::size_t session_count() const { return live_sessions_; }
  // A new client; false when its user already holds as many sessions as allowed (the caller
  // then drops it without starting it).
  bool session_opened(const ClientSession& session);

 private:
  using Reply = std::vector<std::byte>;

  Reply handle_dial(const std::shared_ptr<ClientSession>& session, ipc::Reader& r);
  Reply handle_resume(const ClientSession& session, ipc::Reader& r);
  Reply handle_hang_up(const ClientSession& session, ipc::Reader& r);
  Reply handle_status(const ClientSession& session, ipc::Reader& r);
  Reply handle_enum(const ClientSession& session);
  Reply handle_projection(const ClientSession& session, ipc::Reader& r);
  Reply handle_statistics(const ClientSession& session, ipc::Reader& r, bool clear);
  Reply handle_subscribe(const ClientSession& session, ipc::Reader& r, std::vector<int>& fds);
  Reply handle_set_credentials(const ClientSession& session, ipc::Reader& r);
  Reply handle_get_credentials(const ClientSession& session, ipc::Reader& r);

  Connection* find_visible(const ClientSession& session, std::uint32_t handle);
  bool sees_everything(const PeerCredentials& peer) const;
  void pump(Connection& c);
  void arm_timer(Connection& c);
  void begin_hang_up(Connection& c);
  void signal(std::uint32_t handle, std::uint32_t flag);
  void erase(std::uint32_t handle);
  // Closes and forgets the subscriptions `which` selects.
  void drop_subscriptions(const std::function<bool(const Subscription&)>& which);
  // Port and interface I/O (connection_io.cpp).
  void open_port(Connection& c, const dial::PortRequest& request);
  void read_port(Connection& c);
  void write_port(Connection& c);
  void close_port(Connection& c);
  void configure_network(Connection& c, const dial::NetworkRequest& request);
  void read_tun(Connection& c);
  void write_tun(Connection& c);
  void flush_output(Connection& c);
  void release_io(Connection& c);
  void close_tun(Connection& c);
  void network_applied(std::uint32_t handle);
  void tun_closed(std::uint32_t handle);
  void finish_network_release(Connection& c);
  void publish(Connection& c, const dial::DialEvent& ev);
  Connection* find(std::uint32_t handle);
  std::uint32_t next_handle();

  asio::io_context& io_;
  ManagerOptions options_;
  DnsManager dns_;
  CredentialStore credentials_;
  HostJournal journal_;
  std::map<std::uint32_t, std::unique_ptr<Connection>> connections_;
  // A dial finds the connections of its entry, and its user's count, without scanning the
  // table (thousands of connections at once).
  using EntryKey = std::tuple<std::uint32_t, std::string, std::string>;  // uid, phonebook, entry
  std::multimap<EntryKey, std::uint32_t> by_entry_;
  std::map<std::uint32_t, std::size_t> held_by_uid_;
  std::vector<Subscription> subscriptions_;
  std::uint32_t last_handle_;
  std::size_t live_sessions_ = 0;
  std::map<std::uint32_t, std::size_t> sessions_by_uid_;
  std::function<void()> on_all_released_;
  std::vector<std::pair<std::weak_ptr<ClientSession>, ipc::StateEvent>> deferred_;
  asio::ssl::context tls_context_;
  TlsSettings tls_;
  // Blocking host work (docs/architecture.md): TUN closes, several at once; DNS changes and
  // hook scripts on one thread, in order.
  WorkerPool closer_{io_, 64};
  WorkerPool host_{io_, 1};
  // Host routes to VPN servers that keep them off the tunnels' default routes: the path that
  // was taken to each before, and how many connections rely on it.
  struct HostRoute {
    netlink::Path via;
    int users = 0;
    bool ours = true;  // false: it was there before us
  };
  std::map<std::uint32_t, HostRoute> host_routes_;
  void pin_route_to_server(Connection& c);
  void unpin_route_to_server(Connection& c);
};

}  // namespace openras::manager
