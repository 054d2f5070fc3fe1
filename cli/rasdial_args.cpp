#include "cli/rasdial_args.hpp"

#include <algorithm>
#include <cctype>

namespace openras::cli {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// Does `given` (upper-cased, without '/') abbreviate `name`, at least `min` letters long?
bool abbreviates(const std::string& given, const std::string& name, std::size_t min) {
  return given.size() >= min && given.size() <= name.size() &&
         name.compare(0, given.size(), given) == 0;
}

}  // namespace

std::string rasdial_usage() {
  return "USAGE:\n"
         "  rasdial ENTRY [USER [PASSWORD|*]] [/DOMAIN:domain] [/PHONE:number]\n"
         "          [/CALLBACK:number] [/PHONEBOOK:file]\n"
         "  rasdial [ENTRY] /DISCONNECT\n"
         "  rasdial                     (lists the connections)\n"
         "  rasdial [ENTRY] --status    (projection and statistics of connections)\n"
         "Options: --json (one JSON object a line), --quiet, --help\n"
         "The exit status is the Win32 error code (0 on success; the shell keeps its low 8 "
         "bits, --json prints it whole).\n";
}

ParseResult parse_rasdial_args(const std::vector<std::string>& argv) {
  RasdialArgs a;
  std::vector<std::string> positional;
  bool disconnect = false;
  bool status = false;
  for (const auto& arg : argv) {
    if (arg == "--json") {
      a.json = true;
    } else if (arg == "--status") {
      status = true;
    } else if (arg == "--quiet" || arg == "-q") {
      a.quiet = true;
    } else if (arg == "--help" || arg == "-h" || arg == "/?") {
      a.action = Action::Help;
      return {a, ""};
    } else if (arg.size() > 1 && arg[0] == '/') {
      auto colon = arg.find(':');
      std::string name =
          upper(arg.substr(1, colon == std::string::npos ? std::string::npos : colon - 1));
      std::string value = colon == std::string::npos ? "" : arg.substr(colon + 1);
      bool has_value = colon != std::string::npos;
      if (abbreviates(name, "DISCONNECT", 1) && !has_value) {
        disconnect = true;
      } else if (abbreviates(name, "DOMAIN", 3) && has_value) {
        a.domain = value;
      } else if (abbreviates(name, "PHONEBOOK", 6) && has_value) {
        a.phonebook = value;
      } else if (abbreviates(name, "PHONE", 5) && has_value) {
        a.phone = value;
      } else if (abbreviates(name, "CALLBACK", 2) && has_value) {
        a.callback = value;
      } else if (abbreviates(name, "PREFIXSUFFIX", 6) && !has_value) {
        // Dialing rules are off by default; accepted for compatibility.
      } else {
        return {std::nullopt, "unknown switch " + arg};
      }
    } else if (arg.rfind("--", 0) == 0) {
      return {std::nullopt, "unknown option " + arg};
    } else {
      positional.push_back(arg);
    }
  }
  if (disconnect) {
    if (positional.size() > 1) return {std::nullopt, "/DISCONNECT takes at most an entry name"};
    a.action = Action::Disconnect;
    if (!positional.empty()) a.entry = positional[0];
    return {a, ""};
  }
  if (status) {
    if (positional.size() > 1) return {std::nullopt, "--status takes at most an entry name"};
    a.action = Action::Status;
    if (!positional.empty()) a.entry = positional[0];
    return {a, ""};
  }
  if (positional.empty()) {
    a.action = Action::List;
    return {a, ""};
  }
  if (positional.size() > 3) return {std::nullopt, "too many arguments"};
  a.action = Action::Dial;
  a.entry = positional[0];
  if (positional.size() > 1) a.user = positional[1];
  if (positional.size() > 2) a.password = positional[2];
  return {a, ""};
}

}  // namespace openras::cli
