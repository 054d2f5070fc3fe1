// Whole programs against a real rasmand: the Win32 samples compiled unchanged, and rasdial.
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

struct Output {
  int status = -1;
  std::string out;
};

Output run(const std::string& command) {
  Output r;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string sample(const std::string& name) {
  return (std::filesystem::path(OPENRAS_RASDIAL_PATH).parent_path() / ("sample_" + name)).string();
}

using ProgramsTest = DaemonTest;

// Each sample is built twice from one source: ANSI and UNICODE (the W API, wmain, _tprintf).
const char* const kForms[] = {"", "_w"};

TEST_F(ProgramsTest, SdkStyleAsyncSamplePrintsEveryState) {
  add_entry("Demo", kFullScript, 3);
  for (const char* form : kForms) {
    SCOPED_TRACE(form);
    Output r = run(sample(std::string("async_dial") + form) + " Demo " + phonebook());
    EXPECT_EQ(r.status, 0) << r.out;
    std::size_t last = 0;
    for (const char* line :
         {"RasDial returned at once", "RASCS_OpenPort = 0", "RASCS_PortOpened = 1",
          "RASCS_ConnectDevice = 2", "RASCS_Authenticate = 5", "RASCS_Projected = 18",
          "RASCS_Connected = 8192", "final error 0", "Calling RasHangUp"}) {
      auto at = r.out.find(line, last);
      ASSERT_NE(at, std::string::npos) << "missing or out of order: " << line << "\n" << r.out;
      last = at;
    }
    EXPECT_NE(r.out.find("Dialing Demo asynchronously"), std::string::npos) << r.out;
  }
}

TEST_F(ProgramsTest, UnicodeSampleDialsAnEntryNamedInManyScripts) {
  const std::string name = "Büro Москва 東京";
  add_entry(name, kFullScript, 3);
  Output r = run("LC_ALL=C.UTF-8 " + sample("async_dial_w") + " '" + name + "' " + phonebook());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Dialing " + name + " asynchronously"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RASCS_Connected = 8192"), std::string::npos) << r.out;
  r = run("LC_ALL=C.UTF-8 " + sample("enum_status_w") + " " + phonebook());
  EXPECT_NE(r.out.find("entry: " + name + "\n"), std::string::npos) << r.out;
}

TEST_F(ProgramsTest, SdkStyleAsyncSampleReportsTheError) {
  add_entry("Busy", "OpenPort,PortOpened,ConnectDevice!676", 3);
  for (const char* form : kForms) {
    SCOPED_TRACE(form);
    Output r = run(sample(std::string("async_dial") + form) + " Busy " + phonebook());
    EXPECT_EQ(r.status, 676 & 0xff);
    EXPECT_NE(r.out.find("Error: 676 - The phone line is busy."), std::string::npos) << r.out;
  }
}

TEST_F(ProgramsTest, SdkStyleSyncSampleReadsStatusProjectionAndStatistics) {
  add_entry("Demo", kFullScript, 1);
  for (const char* form : kForms) {
    SCOPED_TRACE(form);
    Output r = run(sample(std::string("sync_dial") + form) + " Demo " + phonebook());
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("status=0 state=8192 device=OpenRAS scripted test link"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("projection=0 ip=10.254.0.2 server=10.254.0.1"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("statistics=0"), std::string::npos);
    EXPECT_NE(r.out.find("hangup=0"), std::string::npos);
    EXPECT_NE(r.out.find("released=yes"), std::string::npos);
  }
}

TEST_F(ProgramsTest, SdkStyleEnumSampleListsEntriesAndConnections) {
  add_entry("One", kFullScript, 1);
  add_entry("Two", kFullScript, 1);
  auto params = params_for("Two");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  for (const char* form : kForms) {
    SCOPED_TRACE(form);
    Output r = run(sample(std::string("enum_status") + form) + " " + phonebook());
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("entry: One\nentry: Two\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("connection: Two\n"), std::string::npos) << r.out;
  }
  RasHangUpA(h);
}

TEST_F(ProgramsTest, RasdialConnectsListsAndDisconnects) {
  add_entry("Work", kFullScript, 1);
  std::string rasdial = OPENRAS_RASDIAL_PATH;
  Output r = run(rasdial + " Work alice secret /PHONEBOOK:" + phonebook());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("RASCS_Authenticate\n"), std::string::npos);
  EXPECT_NE(r.out.find("Command completed successfully."), std::string::npos);
  r = run(rasdial);
  EXPECT_NE(r.out.find("Connected to\nWork\n"), std::string::npos) << r.out;
  r = run(rasdial + " Work /DISCONNECT");
  EXPECT_EQ(r.status, 0) << r.out;
  r = run(rasdial);
  EXPECT_NE(r.out.find("No connections"), std::string::npos) << r.out;
  r = run(rasdial + " Work /DISCONNECT");
  EXPECT_EQ(r.status, ERROR_NO_CONNECTION & 0xff);
}

TEST_F(ProgramsTest, RasdialJsonAndExitCodes) {
  add_entry("Bad", "OpenPort,PortOpened,Authenticate!691", 1);
  std::string rasdial = OPENRAS_RASDIAL_PATH;
  Output r = run(rasdial + " Bad alice wrong /PHONEBOOK:" + phonebook() + " --json");
  EXPECT_EQ(r.status, ERROR_AUTHENTICATION_FAILURE & 0xff);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<nlohmann::json> events;
  while (std::getline(lines, line)) events.push_back(nlohmann::json::parse(line));
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[0]["state"], "RASCS_OpenPort");
  EXPECT_EQ(events.back()["event"], "result");
  EXPECT_EQ(events.back()["error"], 691);
  EXPECT_EQ(events.back()["name"], "ERROR_AUTHENTICATION_FAILURE");
  r = run(rasdial + " Missing /PHONEBOOK:" + phonebook() + " --json");
  EXPECT_EQ(r.status, ERROR_CANNOT_FIND_PHONEBOOK_ENTRY & 0xff);
  r = run(rasdial + " /NOSUCHSWITCH");
  EXPECT_EQ(r.status, ERROR_INVALID_PARAMETER);
}

// Issue 18: what rasdial met from real users' input.
TEST_F(ProgramsTest, RasdialRefusesAPasswordPromptThatMeetsTheEndOfInput) {
  add_entry("Office", kFullScript, 1);
  Output r = run(std::string(OPENRAS_RASDIAL_PATH) + " Office alice '*' /PHONEBOOK:" + phonebook() +
                 " </dev/null");
  EXPECT_EQ(r.status, ERROR_CANCELLED & 0xff) << r.out;
  EXPECT_TRUE(connections().empty()) << "it dialed with an empty password";
}

TEST_F(ProgramsTest, RasdialJsonSurvivesNamesThatAreNotUtf8) {
  add_entry("Caf\xe9", kFullScript, 1);  // Latin-1, as an old phonebook would hold it
  std::string rasdial = OPENRAS_RASDIAL_PATH;
  Output r = run(rasdial + " 'Caf\xe9' alice pw /PHONEBOOK:" + phonebook() + " --json");
  EXPECT_EQ(r.status, 0) << r.out;
  r = run(rasdial + " --json");
  EXPECT_EQ(r.status, 0) << r.out;
  auto listed = nlohmann::json::parse(r.out);
  ASSERT_EQ(listed["connections"].size(), 1u);
  EXPECT_EQ(listed["connections"][0]["entry"], "Caf\xef\xbf\xbd");  // U+FFFD
  r = run(rasdial + " 'Caf\xe9' --status --json");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NO_THROW(nlohmann::json::parse(r.out));
  run(rasdial + " /DISCONNECT");
}

TEST_F(ProgramsTest, RasdialTakesOnlyARegularFileAsAPhonebook) {
  std::string rasdial = OPENRAS_RASDIAL_PATH;
  Output r = run(rasdial + " Office /PHONEBOOK:/dev/zero");
  EXPECT_EQ(r.status, ERROR_CANNOT_OPEN_PHONEBOOK & 0xff) << r.out;
  std::string fifo = dir() + "/fifo.pbk";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  r = run(rasdial + " Office /PHONEBOOK:" + fifo);  // nobody writes: it must not wait
  EXPECT_EQ(r.status, ERROR_CANNOT_OPEN_PHONEBOOK & 0xff) << r.out;
}

// A redial is not silent: rasdial says what failed and when the next attempt comes.
TEST_F(ProgramsTest, RasdialAnnouncesEachRedial) {
  add_entry("Flaky", kFullScript, 1,
            "OpenRasTestFailAttempts=2\r\nOpenRasTestFailError=678\r\nRedialAttempts=3\r\n"
            "OpenRasRedialMs=800\r\n");
  std::string rasdial = OPENRAS_RASDIAL_PATH;
  Output r = run(rasdial + " Flaky alice pw /PHONEBOOK:" + phonebook());
  EXPECT_EQ(r.status, 0) << r.out;
  auto first = r.out.find("Remote Access error 678");
  ASSERT_NE(first, std::string::npos) << r.out;
  auto second = r.out.find("Redialing in 1 s (attempt 2 of 4)...", first);
  EXPECT_NE(second, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(attempt 3 of 4)", second), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("attempt 4 of 4"), std::string::npos) << "the third attempt connected";
  EXPECT_NE(r.out.find("Successfully connected to Flaky."), std::string::npos) << r.out;
  run(rasdial + " Flaky /DISCONNECT");

  r = run(rasdial + " Flaky alice pw /PHONEBOOK:" + phonebook() + " --json");
  std::istringstream lines(r.out);
  std::string line;
  int redials = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["event"] != "redial") continue;
    ++redials;
    EXPECT_EQ(j["error"], 678);
    EXPECT_EQ(j["name"], "ERROR_NO_ANSWER");
    EXPECT_EQ(j["attempt"], redials + 1);
    EXPECT_EQ(j["attempts"], 4);
  }
  EXPECT_EQ(redials, 2) << r.out;
  run(rasdial + " Flaky /DISCONNECT");
}

}  // namespace
}  // namespace openras::testing
