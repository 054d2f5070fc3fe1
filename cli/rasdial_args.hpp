// rasdial's command line: the Windows syntax plus Linux habits.
//   rasdial                                   list connections
//   rasdial ENTRY [USER [PASSWORD|*]] [/DOMAIN:d] [/PHONE:n] [/CALLBACK:n] [/PHONEBOOK:file]
//   rasdial [ENTRY] /DISCONNECT
//   rasdial [ENTRY] --status                  projection and statistics of connections
//   --json  one JSON object a line      --quiet  only the final line      --help
// Windows switches are case-insensitive and may be abbreviated as on Windows (/D, /PHONEB...).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace openras::cli {

enum class Action { List, Dial, Disconnect, Status, Help };

struct RasdialArgs {
  Action action = Action::List;
  std::string entry;
  std::optional<std::string> user;
  std::optional<std::string> password;  // "*" means: prompt
  std::string domain;
  std::string phone;
  std::string callback;
  std::string phonebook;
  bool json = false;
  bool quiet = false;
};

struct ParseResult {
  std::optional<RasdialArgs> args;
  std::string error;  // why the command line was refused
};

ParseResult parse_rasdial_args(const std::vector<std::string>& argv);
std::string rasdial_usage();

}  // namespace openras::cli
