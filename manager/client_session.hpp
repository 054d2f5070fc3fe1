// One client socket of rasmand (one per calling thread of librasapi). Reads length-prefixed
// frames with recvmsg (so SCM_RIGHTS descriptors arrive with them), hands each whole frame to
// the RequestHandler, and queues replies and notifications for asynchronous writing.
#pragma once

#include <sys/socket.h>

#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "ipc/wire.hpp"

namespace openras::manager {

class ClientSession;

struct PeerCredentials {
  std::uint32_t pid = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<std::uint32_t> groups;  // supplementary groups (SO_PEERGROUPS)
  bool in_group(std::uint32_t group) const;
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // `fds` holds descriptors that arrived with the frame; take ownership of those used and
  // leave the rest (the session closes them).
  virtual void on_request(const std::shared_ptr<ClientSession>& session,
                          const ipc::FrameHeader& header, std::span<const std::byte> body,
                          std::vector<int>& fds) = 0;
  virtual void on_session_closed(ClientSession& session) = 0;
};

class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(asio::local::stream_protocol::socket socket, RequestHandler& handler,
                std::uint64_t id);
  ~ClientSession();

  void start();
  void send(ipc::MsgType type, std::uint32_t request_id, std::span<const std::byte> body);
  void close();

  std::uint64_t id() const { return id_; }
  const PeerCredentials& peer() const { return peer_; }
  bool closed() const { return closed_; }

  // Counters for the hostile-input tests and logs.
  std::uint64_t malformed_frames() const { return malformed_; }

 private:
  void wait_readable();
  void on_readable();
  void process_buffer();
  void write_next();

  asio::local::stream_protocol::socket socket_;
  RequestHandler& handler_;
  std::uint64_t id_;
  PeerCredentials peer_;
  std::vector<std::byte> in_;
  std::vector<int> pending_fds_;
  std::deque<std::vector<std::byte>> out_;
  std::size_t out_bytes_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::uint64_t malformed_ = 0;
};

}  // namespace openras::manager
