// rasmand's listening socket: takes a lock beside the socket so only one daemon serves a path,
// replaces a stale socket file, and accepts client sessions.
#pragma once

#include <asio.hpp>
#include <memory>
#include <string>

#include "manager/connection_manager.hpp"

namespace openras::manager {

class Server {
 public:
  Server(asio::io_context& io, ConnectionManager& manager);
  ~Server();

  enum class Start { Listening, AlreadyRunning, Failed };
  Start listen(const std::string& socket_path);
  // Socket activation (systemd's protocol): serve the listening socket passed as fd 3.
  Start adopt(int fd);
  void stop();

 private:
  void accept_next();
  // Out of descriptors: shed the newest client with the spare one and pause accepting briefly,
  // instead of spinning on a connection that can never be accepted.
  void shed_and_pause();

  asio::io_context& io_;
  ConnectionManager& manager_;
  asio::local::stream_protocol::acceptor acceptor_;
  std::string socket_path_;
  asio::steady_timer accept_pause_;
  int lock_fd_ = -1;
  int spare_fd_ = -1;  // kept open so that a client can be accepted and closed at EMFILE
  std::uint64_t next_session_id_ = 1;
};

}  // namespace openras::manager
