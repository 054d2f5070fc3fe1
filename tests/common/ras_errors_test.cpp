#include <type_traits>
#include "common/ras_errors.hpp"

#include <gtest/gtest.h>

#include <set>

#include "common/ras_states.hpp"
#include "ras.h"

namespace openras {
namespace {

TEST(RasErrors, EveryRasCodeHasANameAndText) {
  std::set<std::string_view> names;
  for (std::uint32_t code = RASBASE; code <= RASBASEEND; ++code) {
    auto info = find_error(code);
    ASSERT_TRUE(info) << code;
    EXPECT_EQ(info->code, code);
    EXPECT_FALSE(info->text.empty());
    EXPECT_TRUE(names.insert(info->name).second) << "duplicate name " << info->name;
  }
}

TEST(RasErrors, NumbersMatchTheReference) {
  EXPECT_EQ(error_name(603), "ERROR_BUFFER_TOO_SMALL");
  EXPECT_EQ(error_name(623), "ERROR_CANNOT_FIND_PHONEBOOK_ENTRY");
  EXPECT_EQ(error_name(632), "ERROR_INVALID_SIZE");
  EXPECT_EQ(error_name(676), "ERROR_LINE_BUSY");
  EXPECT_EQ(error_name(678), "ERROR_NO_ANSWER");
  EXPECT_EQ(error_name(679), "ERROR_NO_CARRIER");
  EXPECT_EQ(error_name(691), "ERROR_AUTHENTICATION_FAILURE");
  EXPECT_EQ(error_name(718), "ERROR_PPP_TIMEOUT");
  EXPECT_EQ(error_name(756), "ERROR_DIAL_ALREADY_IN_PROGRESS");
  EXPECT_EQ(error_name(800), "ERROR_AUTOMATIC_VPN_FAILED");
  EXPECT_EQ(error_name(809), "ERROR_VPN_TIMEOUT");
  EXPECT_EQ(error_name(848), "ERROR_SSTP_COOKIE_SET_FAILURE");
  EXPECT_EQ(error_name(6), "ERROR_INVALID_HANDLE");
  EXPECT_EQ(error_name(87), "ERROR_INVALID_PARAMETER");
  EXPECT_EQ(error_name(122), "ERROR_INSUFFICIENT_BUFFER");
  EXPECT_EQ(error_name(183), "ERROR_ALREADY_EXISTS");
  EXPECT_EQ(error_name(99999), "ERROR_UNKNOWN_CODE");
  EXPECT_EQ(ERROR_LINE_BUSY, 676);
  EXPECT_EQ(PENDING, 600);
}

TEST(RasErrors, CategoryMessagesAreTheErrorStrings) {
  auto ec = make_ras_error(ERROR_PPP_TIMEOUT);
  EXPECT_STREQ(ec.category().name(), "ras");
  EXPECT_EQ(ec.message(), std::string(find_error(ERROR_PPP_TIMEOUT)->text));
  EXPECT_NE(make_ras_error(12345).message().find("12345"), std::string::npos);
}

TEST(RasStates, NumbersFollowTheHeadersNotTheDocPage) {
  EXPECT_EQ(RASCS_Projected, 18);
  EXPECT_EQ(RASCS_StartAuthentication, 19);
  EXPECT_EQ(RASCS_SubEntryConnected, 22);
  EXPECT_EQ(RASCS_ApplySettings, 24);
  EXPECT_EQ(RASCS_Interactive, 0x1000);
  EXPECT_EQ(RASCS_RetryAuthentication, 4097);
  EXPECT_EQ(RASCS_PasswordExpired, 4099);
  EXPECT_EQ(RASCS_InvokeEapUI, 4100);
  EXPECT_EQ(RASCS_Connected, 8192);
  EXPECT_EQ(RASCS_Disconnected, 8193);
  EXPECT_EQ(state_name(RASCS_AuthAck), "RASCS_AuthAck");
  EXPECT_EQ(state_from_name("AuthAck"), std::optional<std::uint32_t>(12));
  EXPECT_EQ(state_from_name("RASCS_Connected"), std::optional<std::uint32_t>(8192));
  EXPECT_FALSE(state_from_name("Nope"));
  EXPECT_TRUE(is_final_state(RASCS_Authenticate, 691));
  EXPECT_FALSE(is_final_state(RASCS_Authenticate, 0));
  EXPECT_TRUE(is_paused_state(RASCS_RetryAuthentication));
  EXPECT_FALSE(is_paused_state(RASCS_Connected));
}

TEST(RasAbi, LayoutsMatchWindowsOnThisAbi) {
  EXPECT_EQ(sizeof(DWORD), 4u);
  // WCHAR is the compiler's wchar_t (L"..." and wcs* work on it); 32-bit here.
  EXPECT_TRUE((std::is_same_v<WCHAR, wchar_t>));
  EXPECT_EQ(offsetof(RASDIALPARAMSW, szPhoneNumber), 4u + 257u * sizeof(wchar_t));
  // pack(4): the 8-byte ULONG_PTR sits at a 4-byte boundary.
  EXPECT_EQ(offsetof(RASDIALPARAMSA, dwSubEntry), 1052u);
  EXPECT_EQ(offsetof(RASDIALPARAMSA, dwCallbackId), 1056u);
  EXPECT_EQ(sizeof(RASDIALPARAMSA), 1076u);
  EXPECT_EQ(offsetof(RASCONNA, szEntryName), 12u);
  EXPECT_EQ(offsetof(RASDIALEXTENSIONS, hwndParent), 8u);
  EXPECT_EQ(sizeof(RAS_STATS), 60u);
  EXPECT_EQ(sizeof(RASIPADDR), 4u);
  EXPECT_EQ(sizeof(RASPPP_PROJECTION_INFO), 100u);
  EXPECT_EQ(sizeof(RASIKEV2_PROJECTION_INFO), 92u);
  EXPECT_EQ(sizeof(RAS_PROJECTION_INFO), 108u);  // all of ras.h is pack(4)
}

}  // namespace
}  // namespace openras
