// rasmand: the OpenRAS connection manager daemon. It owns every connection; clients reach it
// on a Unix socket (see common/paths.hpp for which one).
#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "common/log.hpp"
#include "common/paths.hpp"
#include "manager/connection_manager.hpp"
#include "manager/server.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rasmand - the OpenRAS remote access connection manager"};
  std::string socket_path = openras::default_socket_path();
  unsigned idle_exit_seconds = 0;
  bool quiet = false;
  std::string dns_mode = "auto";
  openras::manager::ManagerOptions options;
  app.add_option("--socket", socket_path, "Unix socket to listen on");
  app.add_option("--idle-exit", idle_exit_seconds,
                 "exit after this many seconds with no client and no connection (0: never)");
  app.add_flag("--quiet", quiet, "do not log state changes");
  app.add_flag("--verbose", options.verbose, "log every PPP frame (secrets redacted)");
  std::string log_target = "auto";
  std::string journal_socket = "/run/systemd/journal/socket";
  app.add_option("--log", log_target, "auto (journald when running under it), journal, stderr")
      ->check(CLI::IsMember({"auto", "journal", "stderr"}));
  app.add_option("--journal-socket", journal_socket, "journald's native socket");
  app.add_option("--dns", dns_mode, "where name servers go: auto, resolved, file, none")
      ->check(CLI::IsMember({"auto", "resolved", "file", "none"}));
  app.add_option("--resolv-conf", options.resolv_conf, "the resolv.conf the file mode edits");
  std::string admin_group;
  app.add_option("--admin-group", admin_group,
                 "members of this group see and hang up every connection (root always does)");
  app.add_option("--state-dir", options.state_dir, "where saved credentials are kept");
  app.add_option("--machine-certificates", options.machine_certificates,
                 "the machine's IKEv2 certificate store: ikev2.pem and ikev2.key "
                 "(default: <state-dir>/machine)");
  app.add_option("--max-sessions-per-user", options.limits.sessions,
                 "client sockets one user other than root may hold open");
  app.add_option("--max-connections-per-user", options.limits.connections,
                 "connections one user other than root may hold, failed dials included");
  app.add_option("--max-notifications-per-user", options.limits.subscriptions,
                 "RasConnectionNotification events one user other than root may register");
  app.add_option("--max-saved-credentials-per-user", options.limits.saved_credentials,
                 "entries one user other than root may keep credentials for");
  app.add_option("--allow-users-default-route", options.policy.users_default_route,
                 "whether connections of users other than root and admins may take the default "
                 "route (true/false; default true, as Windows)");
  app.add_option("--allow-users-dns", options.policy.users_dns,
                 "whether connections of users other than root and admins may set the name "
                 "servers (true/false; default true, as Windows)");
  unsigned stop_timeout_seconds = 60;
  app.add_option("--stop-timeout", stop_timeout_seconds,
                 "on SIGTERM, how long to wait for every call to end and its interface to go "
                 "(each call's own teardown is bounded; closing thousands of interfaces is the "
                 "kernel's slow part); below systemd's 90 s");
  app.add_option("--loops", options.loops,
                 "event loops the connections' drivers run on (0: one a core)");
  app.add_option("--hooks-dir", options.hooks_dir,
                 "where ip-up.d and ip-down.d live (pppd-style scripts)");
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGPIPE, SIG_IGN);
  // Every connection holds a port, a TUN and timers, every client a socket: the default 1,024
  // descriptors run out long before the connections do, so take what the system allows.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  openras::set_log_quiet(quiet);
  // Under systemd, JOURNAL_STREAM says stderr already goes to the journal: then speak its
  // native protocol, which keeps the topic as a field.
  bool journal =
      log_target == "journal" || (log_target == "auto" && std::getenv("JOURNAL_STREAM") &&
                                  access(journal_socket.c_str(), W_OK) == 0);
  if (journal) openras::use_journal(journal_socket);
  asio::io_context io;
  if (!admin_group.empty()) {
    struct group* g = getgrnam(admin_group.c_str());
    if (!g) {
      std::fprintf(stderr, "rasmand: no group named %s\n", admin_group.c_str());
      return 1;
    }
    options.admin_group = g->gr_gid;
  }
  options.dns_mode = dns_mode == "resolved" ? openras::host::DnsMode::Resolved
                     : dns_mode == "file"   ? openras::host::DnsMode::File
                     : dns_mode == "none"   ? openras::host::DnsMode::None
                                            : openras::host::DnsMode::Auto;
  openras::manager::ConnectionManager manager(io, options);
  openras::manager::Server server(io, manager);
  // Socket activation: systemd passes the listening socket as fd 3 (LISTEN_FDS, LISTEN_PID).
  const char* listen_pid = std::getenv("LISTEN_PID");
  const char* listen_fds = std::getenv("LISTEN_FDS");
  bool activated = listen_pid && listen_fds && std::atoi(listen_fds) >= 1 &&
                   std::atol(listen_pid) == static_cast<long>(getpid());
  auto started = activated ? server.adopt(3) : server.listen(socket_path);
  switch (started) {
    case openras::manager::Server::Start::AlreadyRunning:
      return 0;  // another rasmand serves this socket
    case openras::manager::Server::Start::Failed:
      return 1;
    case openras::manager::Server::Start::Listening:
      break;
  }
  // Only the instance that holds the socket's lock cleans up after a previous one.
  manager.recover_host_state();
  openras::log_line("server", "listening on %s (pid %d)",
                    activated ? "the socket systemd passed" : socket_path.c_str(),
                    static_cast<int>(getpid()));

  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer shutdown_guard(io);
  signals.async_wait([&](const std::error_code&, int) {
    server.stop();
    manager.shutdown([&] { io.stop(); });
    shutdown_guard.expires_after(std::chrono::seconds(stop_timeout_seconds));
    shutdown_guard.async_wait([&](const std::error_code& ec) {
      if (!ec) io.stop();
    });
  });

  asio::steady_timer idle(io);
  std::function<void()> check_idle = [&] {
    idle.expires_after(std::chrono::seconds(idle_exit_seconds));
    idle.async_wait([&](const std::error_code& ec) {
      if (ec) return;
      if (manager.connection_count() == 0 && manager.session_count() == 0) {
        server.stop();
        io.stop();
        return;
      }
      check_idle();
    });
  };
  if (idle_exit_seconds > 0) check_idle();

  io.run();
  server.stop();
  return 0;
}
