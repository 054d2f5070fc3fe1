// A real slirp (Debian package `slirp`, the slirp-fullbolt binary) on a pty through socat,
// inside a network namespace of its own, as ../shared/peers.md describes. Started and stopped
// by PID. Needs root (for the namespace); available() says whether it can run here.
#pragma once

#include <sys/types.h>

#include <string>

namespace openras::testing {

struct SlirpOptions {
  std::string extra_rc;  // more .slirprc lines (e.g. "+pap")
  std::string pap_secrets;  // written to $HOME/.pap-secrets when not empty
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

 private:
  std::string dir_;
  std::string netns_;
  std::string pty_path_;
  pid_t pid_ = -1;
};

}  // namespace openras::testing
