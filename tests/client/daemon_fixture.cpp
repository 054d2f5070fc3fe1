#include "daemon_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "client/channel.hpp"

namespace openras::testing {

void DaemonTest::SetUp() {
  char tmpl[] = "/tmp/openras-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  socket_ = dir_ + "/rasmand.sock";
  setenv("OPENRAS_SOCKET", socket_.c_str(), 1);
  setenv("OPENRAS_NO_SPAWN", "1", 1);
  setenv("OPENRAS_USER_PHONEBOOK", (dir_ + "/user.pbk").c_str(), 1);
  setenv("OPENRAS_SYSTEM_PHONEBOOK", (dir_ + "/system.pbk").c_str(), 1);
  std::ofstream(phonebook()).close();
  start_daemon();
}

void DaemonTest::TearDown() {
  client::reset_this_thread_channel();
  stop_daemon();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void DaemonTest::start_daemon(const std::vector<std::string>& extra, const std::string& log) {
  daemon_ = fork();
  if (daemon_ == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    std::vector<std::string> args = {OPENRAS_RASMAND_PATH, "--socket", socket_, "--state-dir",
                                     dir_ + "/state"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(OPENRAS_RASMAND_PATH, argv.data());
    _exit(127);
  }
  for (int i = 0; i < 500; ++i) {
    if (std::filesystem::exists(socket_)) return;
    usleep(2000);
  }
  FAIL() << "rasmand did not start";
}

void DaemonTest::restart_daemon(const std::vector<std::string>& extra, const std::string& log) {
  stop_daemon();
  client::reset_this_thread_channel();
  std::filesystem::remove(socket_);
  start_daemon(extra, log);
}

void DaemonTest::stop_daemon() {
  if (daemon_ <= 0) return;
  kill(daemon_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 400; ++i) {
    if (waitpid(daemon_, &status, WNOHANG) == daemon_) {
      daemon_ = -1;
      return;
    }
    usleep(10000);
  }
  kill(daemon_, SIGKILL);
  waitpid(daemon_, &status, 0);
  daemon_ = -1;
}

void DaemonTest::add_entry(const std::string& name, const std::string& script, int step_ms,
                           const std::string& extra_keys) {
  std::ofstream out(phonebook(), std::ios::app | std::ios::binary);
  out << "[" << name << "]\r\nEncoding=1\r\nType=3\r\nOpenRasTestScript=" << script
      << "\r\nOpenRasTestStepMs=" << step_ms << "\r\n"
      << extra_keys << "MEDIA=serial\r\nPort=COM1\r\nDevice=Test device\r\nDEVICE=openras-test\r\n"
      << "PhoneNumber=5551234\r\n\r\n";
}

RASDIALPARAMSA DaemonTest::params_for(const std::string& entry, const std::string& password) {
  RASDIALPARAMSA p{};
  p.dwSize = sizeof(p);
  snprintf(p.szEntryName, sizeof(p.szEntryName), "%s", entry.c_str());
  snprintf(p.szUserName, sizeof(p.szUserName), "alice");
  snprintf(p.szPassword, sizeof(p.szPassword), "%s", password.c_str());
  return p;
}

std::vector<RASCONNA> DaemonTest::connections() {
  DWORD cb = 0, count = 0;
  DWORD error = RasEnumConnectionsA(nullptr, &cb, &count);
  std::vector<RASCONNA> out;
  if (error == ERROR_BUFFER_TOO_SMALL) {
    out.resize(count);
    out[0].dwSize = sizeof(RASCONNA);
    if (RasEnumConnectionsA(out.data(), &cb, &count) != 0) out.clear();
    out.resize(count);
  }
  return out;
}

}  // namespace openras::testing
