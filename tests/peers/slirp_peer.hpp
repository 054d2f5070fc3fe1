// A real slirp (Debian package `slirp`, the slirp-fullbolt binary) on a pty through socat,
// inside a network namespace of its own, as ../shared/peers.md describes. Started and stopped
// by PID. Needs root (for the namespace); available() says whether it can run here.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "../support/process.hpp"

namespace openras::testing {

struct SlirpOptions {
  std::string extra_rc;  // more .slirprc lines (e.g. "+pap")
  // Put a modem in front: openras-hayes-responder with this --mode (connect, busy, ...), which
  // execs slirp on CONNECT. Empty: slirp straight on the pty.
  std::string modem_mode;
  std::string responder;        // path of openras-hayes-responder
  std::uint16_t http_port = 0;  // when set, a tiny HTTP server on 127.0.0.1 in slirp's namespace
  std::string pap_secrets;      // written to $HOME/.pap-secrets when not empty
  std::string chap_secrets;
};

class SlirpPeer {
 public:
  static bool available(std::string* why = nullptr);
  explicit SlirpPeer(const SlirpOptions& options = {});
  ~SlirpPeer();
  SlirpPeer(const SlirpPeer&) = delete;
  SlirpPeer& operator=(const SlirpPeer&) = delete;

  bool started() const { return pid_ > 0 && !pty_path_.empty(); }
  const std::string& pty_path() const { return pty_path_; }
  const std::string& netns() const { return netns_; }
  // Opens the pty raw, non-blocking; -1 on failure.
  int open_line() const;
  void stop();
  // The line goes silent both ways (the relay is stopped), as a frozen or unplugged peer.
  void freeze();

 private:
  void signal_all(int signal);

  std::string dir_;
  std::string netns_;
  std::string pty_path_;
  pid_t pid_ = -1;
  pid_t http_pid_ = -1;
  bool frozen_ = false;
};

}  // namespace openras::testing
