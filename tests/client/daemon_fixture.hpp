// A real rasmand on a private socket, and a private phonebook, for each client test.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "../support/wait_gone.hpp"
#include "ras.h"

namespace openras::testing {

// The full scripted dial, OpenPort .. Connected, as the test link runs it.
inline const char* kFullScript =
    "OpenPort,PortOpened,ConnectDevice,DeviceConnected,AllDevicesConnected,Authenticate,"
    "AuthNotify,Authenticated,AuthProject,Projected,Connected";

class DaemonTest : public ::testing::Test {
 public:
  static std::vector<RASCONNA> connections();

 protected:
  void SetUp() override;
  void TearDown() override;

  // Adds an entry with the test link's keys (key=value lines) to the phonebook.
  void add_entry(const std::string& name, const std::string& script, int step_ms = 2,
                 const std::string& extra_keys = "");
  std::string phonebook() const { return dir_ + "/test.pbk"; }
  const std::string& dir() const { return dir_; }
  const std::string& socket_path() const { return socket_; }
  pid_t daemon_pid() const { return daemon_; }
  void set_daemon_pid(pid_t pid) { daemon_ = pid; }

  // rasmand on this test's socket and state directory, with `extra` options, stderr to `log`.
  void start_daemon(const std::vector<std::string>& extra = {"--quiet"},
                    const std::string& log = "/dev/null");
  void restart_daemon(const std::vector<std::string>& extra, const std::string& log = "/dev/null");
  void stop_daemon();

  // RASDIALPARAMS for an entry of the test phonebook.
  static RASDIALPARAMSA params_for(const std::string& entry, const std::string& password = "");
  // Pumps this thread's notifications until `done` or 5 s pass.
  template <typename Pred>
  static bool pump_until(Pred done) {
    for (int i = 0; i < 500 && !done(); ++i) RasDispatchNotifications(10);
    return done();
  }

 private:
  std::string dir_;
  std::string socket_;
  pid_t daemon_ = -1;
};

}  // namespace openras::testing
