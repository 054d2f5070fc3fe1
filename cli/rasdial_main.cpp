// rasdial: dial, list and hang up connections from the command line.
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/rasdial_args.hpp"
#include "common/ras_errors.hpp"
#include "common/ras_states.hpp"
#include "openras/openras.hpp"
#include "phonebook/store.hpp"
#include "ras.h"

using openras::cli::Action;
using openras::cli::RasdialArgs;

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
const RasdialArgs* g_args = nullptr;
bool g_done = false;
DWORD g_final_error = 0;

std::string error_text(DWORD code) {
  char buf[512];
  if (RasGetErrorStringA(code, buf, sizeof(buf)) == 0) return buf;
  return "Unknown error " + std::to_string(code) + ".";
}

// Names come from phonebooks and other users' connections: text that is not UTF-8 is written
// with U+FFFD in its place rather than ending the program.
std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void emit(const nlohmann::json& j, const std::string& text, bool always = false) {
  if (g_args->json) {
    std::cout << dump(j) << std::endl;
  } else if (!g_args->quiet || always) {
    std::cout << text << std::endl;
  }
}

void WINAPI on_state(HRASCONN, UINT, RASCONNSTATE state, DWORD error, DWORD extended) {
  std::string name(openras::state_name(state));
  nlohmann::json j{{"event", "state"}, {"state", name}, {"value", state}, {"error", error}};
  if (extended) j["extended_error"] = extended;
  emit(j, error ? name + " (error " + std::to_string(error) + ")" : name);
  if (openras::is_final_state(state, error) || (openras::is_paused_state(state) && !error)) {
    g_done = true;
    g_final_error = error;
  }
}

// nullopt when input ends before a line: an empty password is never assumed.
std::optional<std::string> prompt_password() {
  std::cerr << "Password: " << std::flush;
  termios old{};
  bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string password;
  bool got = static_cast<bool>(std::getline(std::cin, password));
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << std::endl;
  if (!got) return std::nullopt;
  return password;
}

std::vector<RASCONNA> enum_connections(DWORD& error) {
  DWORD cb = 0, count = 0;
  error = RasEnumConnectionsA(nullptr, &cb, &count);
  std::vector<RASCONNA> conns;
  if (error == ERROR_BUFFER_TOO_SMALL) {
    conns.resize(count);
    conns[0].dwSize = sizeof(RASCONNA);
    error = RasEnumConnectionsA(conns.data(), &cb, &count);
    conns.resize(error ? 0 : count);
  }
  return conns;
}

// The connections the command names: all of them, or those of the ENTRY argument.
std::vector<RASCONNA> selected_connections(DWORD& error) {
  auto conns = enum_connections(error);
  std::erase_if(conns, [](const RASCONNA& c) {
    return !g_args->entry.empty() && g_args->entry != c.szEntryName;
  });
  return conns;
}

int finish(DWORD error, const std::string& success_text) {
  nlohmann::json j{{"event", "result"}, {"error", error}};
  if (error) {
    j["name"] = std::string(openras::error_name(error));
    j["message"] = error_text(error);
    emit(j, "Remote Access error " + std::to_string(error) + " - " + error_text(error), true);
  } else {
    j["message"] = success_text;
    emit(j, success_text, true);
  }
  return static_cast<int>(error);
}

int list_connections() {
  DWORD error = 0;
  auto conns = enum_connections(error);
  if (error) return finish(error, "");
  if (g_args->json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : conns) {
      list.push_back({{"entry", c.szEntryName},
                      {"device_type", c.szDeviceType},
                      {"device_name", c.szDeviceName},
                      {"phonebook", c.szPhonebook}});
    }
    std::cout << dump(nlohmann::json{{"event", "connections"}, {"connections", list}}) << std::endl;
    return 0;
  }
  if (conns.empty()) {
    std::cout << "No connections" << std::endl;
  } else {
    std::cout << "Connected to" << std::endl;
    for (const auto& c : conns) std::cout << c.szEntryName << std::endl;
  }
  std::cout << "Command completed successfully." << std::endl;
  return 0;
}

// Waits, as Windows documents, until the handle is gone, so the port is really free on exit.
void wait_released(HRASCONN h) {
  for (int i = 0; i < 200; ++i) {
    RASCONNSTATUSA st{};
    st.dwSize = sizeof(st);
    if (RasGetConnectStatusA(h, &st) == ERROR_INVALID_HANDLE) return;
    usleep(50 * 1000);
  }
}

int disconnect() {
  DWORD error = 0;
  auto conns = selected_connections(error);
  if (error) return finish(error, "");
  if (conns.empty()) return finish(ERROR_NO_CONNECTION, "");
  for (const auto& c : conns) {
    if ((error = RasHangUpA(c.hrasconn))) return finish(error, "");
    wait_released(c.hrasconn);
  }
  return finish(0, "Command completed successfully.");
}

int show_status() {
  DWORD error = 0;
  auto conns = selected_connections(error);
  if (error) return finish(error, "");
  if (conns.empty()) return finish(ERROR_NO_CONNECTION, "");
  for (const auto& c : conns) {
    RASCONNSTATUSA st{};
    st.dwSize = sizeof(st);
    RasGetConnectStatusA(c.hrasconn, &st);
    RASPPPIPA ip{};
    ip.dwSize = sizeof(ip);
    DWORD cb = sizeof(ip);
    RasGetProjectionInfoA(c.hrasconn, RASP_PppIp, &ip, &cb);
    RASPPPLCPA lcp{};
    lcp.dwSize = sizeof(lcp);
    cb = sizeof(lcp);
    RasGetProjectionInfoA(c.hrasconn, RASP_PppLcp, &lcp, &cb);
    RAS_STATS stats{};
    stats.dwSize = sizeof(stats);
    RasGetConnectionStatistics(c.hrasconn, &stats);
    const char* auth = lcp.dwAuthenticationProtocol == RASLCPAP_PAP     ? "PAP"
                       : lcp.dwAuthenticationProtocol == RASLCPAP_EAP   ? "EAP"
                       : lcp.dwAuthenticationProtocol != RASLCPAP_CHAP  ? "none"
                       : lcp.dwAuthenticationData == RASLCPAD_CHAP_MSV2 ? "MS-CHAPv2"
                                                                        : "CHAP-MD5";
    nlohmann::json j{{"event", "status"},
                     {"entry", c.szEntryName},
                     {"state", std::string(openras::state_name(st.rasconnstate))},
                     {"device_type", st.szDeviceType},
                     {"device_name", st.szDeviceName},
                     {"ip", ip.szIpAddress},
                     {"server_ip", ip.szServerIpAddress},
                     {"authentication", auth},
                     {"bytes_sent", stats.dwBytesXmited},
                     {"bytes_received", stats.dwBytesRcved},
                     {"frames_sent", stats.dwFramesXmited},
                     {"frames_received", stats.dwFramesRcved},
                     {"crc_errors", stats.dwCrcErr},
                     {"bps", stats.dwBps},
                     {"duration_ms", stats.dwConnectDuration}};
    std::ostringstream text;
    text << c.szEntryName << ": " << openras::state_name(st.rasconnstate) << " on "
         << st.szDeviceType << " " << st.szDeviceName << "\n  address " << ip.szIpAddress
         << ", server " << ip.szServerIpAddress << ", authentication " << auth << "\n  sent "
         << stats.dwBytesXmited << " bytes in " << stats.dwFramesXmited << " frames, received "
         << stats.dwBytesRcved << " bytes in " << stats.dwFramesRcved << " frames, "
         << stats.dwCrcErr << " CRC errors\n  ";
    // A VPN link has no line speed (Windows shows none either); a serial line does.
    if (stats.dwBps) text << stats.dwBps << " bps, ";
    text << "connected " << stats.dwConnectDuration / 1000.0 << " s";
    emit(j, text.str(), true);
  }
  return 0;
}

void warn_phonebook() {
  std::vector<openras::phonebook::LoadedPhonebook> books;
  if (!g_args->phonebook.empty()) {
    openras::phonebook::LoadedPhonebook one;
    if (openras::phonebook::load_phonebook(g_args->phonebook, true, one) == 0) {
      books.push_back(std::move(one));
    }
  } else {
    books = openras::phonebook::load_default_phonebooks();
  }
  for (const auto& book : books) {
    for (const auto& d : book.file.diagnostics()) {
      std::cerr << "rasdial: " << book.path << ":" << d.line << ": " << d.message
                << (d.entry.empty() ? "" : " (entry \"" + d.entry + "\")") << std::endl;
    }
  }
}

int dial() {
  warn_phonebook();
  RASDIALPARAMSA params{};
  params.dwSize = sizeof(params);
  auto copy = [](auto& field, const std::string& v) {
    std::snprintf(field, sizeof(field), "%s", v.c_str());
  };
  copy(params.szEntryName, g_args->entry);
  copy(params.szPhoneNumber, g_args->phone);
  copy(params.szCallbackNumber, g_args->callback);
  copy(params.szDomain, g_args->domain);
  if (g_args->user) copy(params.szUserName, *g_args->user);
  if (g_args->password) {
    std::optional<std::string> password = *g_args->password;
    if (*password == "*") password = prompt_password();
    if (!password) return finish(ERROR_CANCELLED, "");
    copy(params.szPassword, *password);
    std::fill(password->begin(), password->end(), '\0');
  }
  if (!g_args->json && !g_args->quiet)
    std::cout << "Connecting to " << g_args->entry << "..." << std::endl;
  HRASCONN h = nullptr;
  DWORD error = RasDialA(nullptr, g_args->phonebook.empty() ? nullptr : g_args->phonebook.c_str(),
                         &params, 1, reinterpret_cast<LPVOID>(&on_state), &h);
  std::fill(std::begin(params.szPassword), std::end(params.szPassword), '\0');
  if (error) {
    if (h) RasHangUpA(h);
    return finish(error, "");
  }
  std::optional<openras::RedialStatus> announced;
  while (!g_done) {
    RasDispatchNotifications(100);
    // A redial pause is silent on the notifier: say what failed and when the next attempt is.
    auto redial = openras::redial_status(h);
    if (redial && (!announced || announced->next_attempt != redial->next_attempt)) {
      auto seconds = (redial->starts_in.count() + 999) / 1000;
      nlohmann::json j{{"event", "redial"},
                       {"error", redial->last_error},
                       {"name", std::string(openras::error_name(redial->last_error))},
                       {"attempt", redial->next_attempt},
                       {"attempts", redial->attempts},
                       {"seconds", seconds}};
      emit(j, "Remote Access error " + std::to_string(redial->last_error) + " - " +
                  error_text(redial->last_error) + "\nRedialing in " + std::to_string(seconds) +
                  " s (attempt " + std::to_string(redial->next_attempt) + " of " +
                  std::to_string(redial->attempts) + ")...");
    }
    announced = redial ? redial : announced;
    if (g_interrupted) {
      RasHangUpA(h);
      wait_released(h);
      return finish(ERROR_USER_DISCONNECTION, "");
    }
  }
  if (g_final_error) {
    RasHangUpA(h);  // required after an error, and it frees the port
    return finish(g_final_error, "");
  }
  return finish(
      0, "Successfully connected to " + g_args->entry + ".\nCommand completed successfully.");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = openras::cli::parse_rasdial_args(args);
  if (!parsed.args) {
    std::cerr << "rasdial: " << parsed.error << "\n" << openras::cli::rasdial_usage();
    return ERROR_INVALID_PARAMETER;
  }
  g_args = &*parsed.args;
  std::signal(SIGINT, [](int) { g_interrupted = 1; });
  std::signal(SIGTERM, [](int) { g_interrupted = 1; });
  switch (g_args->action) {
    case Action::Help:
      std::cout << openras::cli::rasdial_usage();
      return 0;
    case Action::List:
      return list_connections();
    case Action::Disconnect:
      return disconnect();
    case Action::Status:
      return show_status();
    case Action::Dial:
      return dial();
  }
  return 0;
}
