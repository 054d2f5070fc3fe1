// A small Hayes-style modem on stdin/stdout (a pty from socat), for testing the AT dialog.
// Debian has no modem emulator that bridges to a network, so this stands in for the modem
// and, on CONNECT, hands the line to a real peer by exec'ing it (slirp-fullbolt).
//
//   openras-hayes-responder --mode connect|busy|no-carrier|no-answer|no-dialtone|silent
//                           [--delay-ms N] [--exec PROGRAM]
// Echo is on until ATE0; every AT command answers OK; ATD answers per --mode after the delay.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void say(const std::string& text) {
  std::string line = "\r\n" + text + "\r\n";
  [[maybe_unused]] auto n = write(1, line.data(), line.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "connect", program = "slirp-fullbolt";
  int delay_ms = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--mode") mode = argv[i + 1];
    if (flag == "--delay-ms") delay_ms = std::atoi(argv[i + 1]);
    if (flag == "--exec") program = argv[i + 1];
  }
  bool echo = true;
  std::string line;
  char c;
  while (read(0, &c, 1) == 1) {
    if (echo) [[maybe_unused]]
      auto n = write(1, &c, 1);
    if (c != '\r' && c != '\n') {
      line.push_back(c);
      continue;
    }
    std::string cmd = line;
    line.clear();
    for (auto& ch : cmd) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (cmd.rfind("AT", 0) != 0) continue;
    if (cmd.find("E0") != std::string::npos) echo = false;
    if (cmd.rfind("ATD", 0) != 0) {
      if (mode != "silent") say("OK");
      continue;
    }
    usleep(static_cast<useconds_t>(delay_ms) * 1000);
    if (mode == "silent") continue;
    if (mode == "busy") say("BUSY");
    if (mode == "no-carrier") say("NO CARRIER");
    if (mode == "no-answer") say("NO ANSWER");
    if (mode == "no-dialtone") say("NO DIALTONE");
    if (mode == "connect") {
      say("CONNECT 115200");
      execlp(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
      return 127;
    }
  }
  return 0;
}
