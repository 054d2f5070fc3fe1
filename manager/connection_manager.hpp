// rasmand's control plane: the connection table (who dialed each connection, SO_PEERCRED,
// which client thread hears its notifications, the loop of its driver, its last state),
// the requests of client sessions, notifications and saved credentials. Runs on one
// io_context thread (the control loop), so nothing here takes a lock.
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
#include "host/host_network.hpp"
#include "ipc/messages.hpp"
#include "manager/client_session.hpp"
#include "manager/credentials.hpp"
#include "runtime/connection_driver.hpp"
#include "runtime/driver_pool.hpp"
#include "transport/line_port.hpp"

namespace openras::manager {

// What the control plane takes from the host service (host/) and the ports (transport/).
using host::DnsMode;
using host::HookInfo;
using host::HostNetwork;
using host::HostSettings;
using host::Interface;
using host::NameService;
using transport::proxy_from_environment_value;
using transport::TlsSettings;

// The control plane's record of a connection: who owns it, who hears of it, the loop its driver
// lives on, and the last state that driver reported. The driver (runtime/) holds the rest.
struct ConnectionRecord {
  std::uint32_t handle = 0;
  unsigned loop = 0;
  std::string entry_name;
  std::string phonebook;
  std::string phone_number;
  std::string device_type;
  std::string device_name;
  std::uint32_t state = 0;
  std::uint32_t error = 0;
  bool connected_once = false;
  bool hung_up = false;
  PeerCredentials owner_peer;
  std::weak_ptr<ClientSession> notify;  // the dialing thread, until a final state
  std::uint64_t dial_session_id = 0;    // the dial depends on this client until Connected
  int references = 1;
  std::uint32_t pinned_route_to = 0;  // a host route this connection holds (HostNetwork)
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
  unsigned loops = 0;                      // driver loops; 0: one a core
  // Members of this group see and hang up every connection, as root does.
  std::optional<std::uint32_t> admin_group;
  std::string state_dir = CredentialStore::default_state_dir();  // saved credentials
  // The machine's certificate store, as Windows' LocalMachine\My for IKEv2: ikev2.pem (the
  // certificate, then intermediates) and ikev2.key, root's alone. "" = <state_dir>/machine.
  std::string machine_certificates;
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

// The control plane, on its own loop: client sessions' requests, the connection table,
// notifications, saved credentials and the host service. Each connection's driver runs on a
// loop of the DriverPool; requests that need it are posted there and answered when it replies.
class ConnectionManager final : public RequestHandler, private runtime::DriverObserver {
 public:
  explicit ConnectionManager(asio::io_context& io, ManagerOptions options = {});
  ~ConnectionManager() override;

  void on_request(const std::shared_ptr<ClientSession>& session, const ipc::FrameHeader& header,
                  std::span<const std::byte> body, std::vector<int>& fds) override;
  void on_session_closed(ClientSession& session) override;

  // Undoes what a previous instance left on the host (HostNetwork::recover). Once, at start.
  void recover_host_state() { host_.recover(); }
  // Hang up everything (daemon shutdown); `done` runs once every port is released.
  void shutdown(std::function<void()> done);
  std::size_t connection_count() const { return connections_.size(); }
  std::size_t session_count() const { return live_sessions_; }
  // A new client; false when its user already holds as many sessions as allowed (the caller
  // then drops it without starting it).
  bool session_opened(const ClientSession& session);

 private:
  using Reply = std::vector<std::byte>;
  // A request answered later, once a driver has replied: to whom and under which id. An
  // empty optional from a handler means it will answer through its Answer.
  struct Answer {
    std::weak_ptr<ClientSession> session;
    std::uint32_t request_id = 0;
    void operator()(const Reply& reply) const;
  };
  using MaybeReply = std::optional<Reply>;

  Reply handle_dial(const std::shared_ptr<ClientSession>& session, ipc::Reader& r);
  MaybeReply handle_resume(const ClientSession& session, ipc::Reader& r, const Answer& answer);
  Reply handle_hang_up(const ClientSession& session, ipc::Reader& r);
  MaybeReply handle_status(const ClientSession& session, ipc::Reader& r, const Answer& answer);
  Reply handle_enum(const ClientSession& session);
  MaybeReply handle_projection(const ClientSession& session, ipc::Reader& r, const Answer& answer);
  MaybeReply handle_statistics(const ClientSession& session, ipc::Reader& r, bool clear,
                               const Answer& answer);
  Reply handle_subscribe(const ClientSession& session, ipc::Reader& r, std::vector<int>& fds);
  Reply handle_set_credentials(const ClientSession& session, ipc::Reader& r);
  Reply handle_get_credentials(const ClientSession& session, ipc::Reader& r);

  ConnectionRecord* find_visible(const ClientSession& session, std::uint32_t handle);
  bool sees_everything(const PeerCredentials& peer) const;
  void begin_hang_up(ConnectionRecord& c);
  void signal(std::uint32_t handle, std::uint32_t flag);
  void erase(std::uint32_t handle);
  // Closes and forgets the subscriptions `which` selects.
  void drop_subscriptions(const std::function<bool(const Subscription&)>& which);
  ConnectionRecord* find(std::uint32_t handle);
  std::uint32_t next_handle();
  // Runs `work` on the connection's driver and gives what it returns to `reply`, back on the
  // control loop (where the record's state is the newest); a connection gone meanwhile gives
  // ERROR_INVALID_HANDLE.
  template <typename T>
  void ask(const ConnectionRecord& c, std::function<T(runtime::ConnectionDriver&)> work,
           std::function<Reply(ConnectionRecord&, T)> reply, const Answer& answer);

  // What drivers report (called on their loops, posted here; driver_reports.cpp).
  void on_state(std::uint32_t handle, const dial::DialEvent& event) override;
  void on_network_wanted(std::uint32_t handle, const dial::NetworkRequest& request,
                         std::uint32_t remote_ipv4, const HookInfo& base) override;
  void on_interface_released(std::uint32_t handle, int fd, const HookInfo& down) override;
  void on_port_released(std::uint32_t handle) override;
  void on_driver_gone(std::uint32_t handle) override;
  // The same, on the control loop.
  void publish(ConnectionRecord& c, const dial::DialEvent& ev);
  void configure_network(std::uint32_t handle, dial::NetworkRequest request,
                         std::uint32_t remote_ipv4, HookInfo up);
  // Posts `work` to the driver of `c`, or of `handle` on `loop` (nothing happens when it has
  // gone; the second form serves completions that may outlive the record).
  void command(const ConnectionRecord& c, std::function<void(runtime::ConnectionDriver&)> work);
  void command(unsigned loop, std::uint32_t handle,
               std::function<void(runtime::ConnectionDriver&)> work);

  asio::io_context& io_;
  ManagerOptions options_;
  CredentialStore credentials_;
  HostNetwork host_;
  std::map<std::uint32_t, std::unique_ptr<ConnectionRecord>> connections_;
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
  struct LoopTls {
    asio::ssl::context context{asio::ssl::context::tls_client};
    TlsSettings settings;
  };
  std::vector<std::unique_ptr<LoopTls>> tls_by_loop_;  // read only on its loop once made
  // Last: its loops stop (in the destructor) before anything their drivers use goes.
  runtime::DriverPool drivers_;
};

}  // namespace openras::manager
