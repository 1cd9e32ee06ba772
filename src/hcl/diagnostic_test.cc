// src/hcl/diagnostic_test.cc: diagnostic formatting, carets and conversion to Status.
#include "hcl/diagnostic.h"

#include <gtest/gtest.h>

namespace cellar::hcl {
namespace {

Diagnostic At(int line, int col, std::string msg) {
  return Diagnostic{Severity::kError, Range{"f.hcl", Pos{line, col, 0}, Pos{line, col, 0}},
                    std::move(msg)};
}

TEST(FormatDiagnosticsTest, PrintsFileLineColumnAndMessage) {
  EXPECT_EQ(FormatDiagnostics({At(2, 5, "boom")}), "f.hcl:2:5: boom\n");
}

TEST(FormatDiagnosticsTest, AddsSourceLineAndCaretWhenSourceGiven) {
  EXPECT_EQ(FormatDiagnostics({At(2, 5, "boom")}, "a = 1\nb = ]\n"),
            "f.hcl:2:5: boom\n  b = ]\n      ^\n");
}

TEST(FormatDiagnosticsTest, CaretCountsCodePointsAndKeepsTabs) {
  EXPECT_EQ(FormatDiagnostics({At(1, 4, "x")}, "\té ]"), "f.hcl:1:4: x\n  \té ]\n  \t  ^\n");
}

TEST(FormatDiagnosticsTest, WarningsAreMarked) {
  Diagnostic d = At(1, 1, "careful");
  d.severity = Severity::kWarning;
  EXPECT_EQ(d.ToString(), "f.hcl:1:1: warning: careful");
  EXPECT_FALSE(HasErrors({d}));
}

TEST(DiagnosticsToStatusTest, OkWithoutErrors) { EXPECT_TRUE(DiagnosticsToStatus({}).ok()); }

TEST(DiagnosticsToStatusTest, JoinsErrorsAsInvalidArgument) {
  Status s = DiagnosticsToStatus({At(1, 2, "a"), At(3, 4, "b")});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "f.hcl:1:2: a; f.hcl:3:4: b");
}

TEST(InternFileNameTest, EqualNamesShareStorage) {
  std::string a = "same.hcl";
  std::string b = "same.hcl";
  EXPECT_EQ(InternFileName(a).data(), InternFileName(b).data());
}

}  // namespace
}  // namespace cellar::hcl
