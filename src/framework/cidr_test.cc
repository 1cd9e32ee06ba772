// src/framework/cidr_test.cc: CIDR validation and address matching, IPv4 and IPv6.
#include "framework/cidr.h"

#include <gtest/gtest.h>

namespace cellar::framework {
namespace {

struct AllowCase {
  std::string_view remote;
  std::vector<std::string> cidrs;
  bool want;
};

class AddressAllowedTest : public testing::TestWithParam<AllowCase> {};

TEST_P(AddressAllowedTest, Matches) {
  EXPECT_EQ(AddressAllowed(GetParam().remote, GetParam().cidrs), GetParam().want)
      << GetParam().remote;
}

INSTANTIATE_TEST_SUITE_P(All, AddressAllowedTest,
                         testing::Values(AllowCase{"10.1.2.3", {}, true},
                                         AllowCase{"10.1.2.3", {"10.0.0.0/8"}, true},
                                         AllowCase{"10.1.2.3:5555", {"10.0.0.0/8"}, true},
                                         AllowCase{"11.1.2.3", {"10.0.0.0/8"}, false},
                                         AllowCase{"192.168.1.130", {"192.168.1.128/25"}, true},
                                         AllowCase{"192.168.1.127", {"192.168.1.128/25"}, false},
                                         AllowCase{"127.0.0.1", {"127.0.0.1"}, true},
                                         AllowCase{"127.0.0.2", {"127.0.0.1"}, false},
                                         AllowCase{"0.0.0.1", {"0.0.0.0/0"}, true},
                                         AllowCase{"::1", {"::1/128"}, true},
                                         AllowCase{"[2001:db8::5]:80", {"2001:db8::/32"}, true},
                                         AllowCase{"2001:db9::5", {"2001:db8::/32"}, false},
                                         AllowCase{"10.1.2.3", {"::/0"}, false},
                                         AllowCase{"not-an-ip", {"0.0.0.0/0"}, false},
                                         AllowCase{"10.1.2.3", {"bogus", "10.1.2.3/32"}, true}));

struct CidrCase {
  std::string_view cidr;
  bool ok;
};

class ValidateCidrTest : public testing::TestWithParam<CidrCase> {};

TEST_P(ValidateCidrTest, AcceptsBlocksAndAddresses) {
  EXPECT_EQ(ValidateCidr(GetParam().cidr).ok(), GetParam().ok) << GetParam().cidr;
}

INSTANTIATE_TEST_SUITE_P(All, ValidateCidrTest,
                         testing::Values(CidrCase{"10.0.0.0/8", true}, CidrCase{"1.2.3.4", true},
                                         CidrCase{"::/0", true}, CidrCase{"10.0.0.0/33", false},
                                         CidrCase{"10.0.0.0/", false}, CidrCase{"10.0.0/8", false},
                                         CidrCase{"fe80::/129", false}, CidrCase{"", false}));

}  // namespace
}  // namespace cellar::framework
