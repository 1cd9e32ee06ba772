// tests/hcl/compat_test.cc: placeholder replaced below.
#include <gtest/gtest.h>
TEST(Compat, Placeholder) {}
