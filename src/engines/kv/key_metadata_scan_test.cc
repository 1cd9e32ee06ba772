// src/engines/kv/key_metadata_scan_test.cc: the canonical-record reader takes what Serialize
// writes and agrees with the general JSON reader on every record, canonical or not.
#include "engines/kv/key_metadata_scan.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace cellar::engines::kv {
namespace {

KeyMetadata Sample() {
  KeyMetadata m;
  m.created_ns = 1700000000123456789;
  m.updated_ns = 1700000000987654321;
  m.current_version = 12;
  m.oldest_version = 3;
  m.max_versions = 10;
  m.cas_required = true;
  m.delete_version_after = 3600;
  m.custom_metadata["owner"] = "ops";
  m.custom_metadata["tricky"] = "}\"{\\";
  m.versions[3] = {std::numeric_limits<int64_t>::max(), 0, false};
  m.versions[12] = {-5, std::numeric_limits<int64_t>::min(), true};
  return m;
}

TEST(ScanCanonicalKeyMetadataTest, ReadsWhatSerializeWrites) {
  KeyMetadata want = Sample();
  std::optional<KeyMetadata> got = ScanCanonicalKeyMetadata(want.Serialize());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->Serialize(), want.Serialize());
  EXPECT_EQ(got->versions.at(12).deletion_ns, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(got->custom_metadata.at("tricky").as_string(), "}\"{\\");
}

TEST(ScanCanonicalKeyMetadataTest, ReadsEmptyRecord) {
  std::optional<KeyMetadata> got = ScanCanonicalKeyMetadata(KeyMetadata{}.Serialize());
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->versions.empty());
  EXPECT_TRUE(got->custom_metadata.empty());
}

const char kPrefix[] =
    R"({"created":1,"updated":2,"current":1,"oldest":0,"max_versions":0,"cas_required":false,)"
    R"("delete_version_after":0,"custom_metadata":)";

std::string Record(std::string_view custom, std::string_view versions) {
  return std::string(kPrefix) + std::string(custom) + R"(,"versions":)" + std::string(versions) +
         "}";
}

std::string Nested(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) {
    s += R"({"a":)";
  }
  s += "1";
  s.append(depth, '}');
  return s;
}

// Records the scanner must leave to the general parser (which may accept or reject them).
const std::string kNotCanonical[] = {
    " " + Record("{}", "{}"),
    Record("{}", R"({"1":[01,0,false]})"),
    Record("{}", R"({"1":[-0,0,false]})"),
    Record("{}", R"({"1":[1.0,0,false]})"),
    Record("{}", R"({"1":[1e3,0,false]})"),
    Record("{}", R"({"1":[18446744073709551615,0,false]})"),
    Record("{}", R"({"1":[9223372036854775808,0,false]})"),
    Record("{}", R"({"1":[-9223372036854775809,0,false]})"),
    Record("{}", R"({"1":[123456789012345678901,0,false]})"),
    Record("{}", R"({"1":[-,0,false]})"),
    Record("{}", R"({"\u0031":[1,0,false]})"),
    Record("{}", R"({"x":[1,0,false]})"),
    Record("{}", R"({"1":[1,0,0]})"),
    Record("{}", R"({"1":[1,0,false,1]})"),
    Record(R"({"a":})", "{}"),
    Record(R"({"a":"b")", "{}"),
    Record("[]", "{}"),
    Record("{ }", "{}") + " ",
    Record("{}", "{}") + "x",
    R"({"updated":2,"created":1})",
};

TEST(ScanCanonicalKeyMetadataTest, LeavesOtherLayoutsToTheParser) {
  for (const std::string& record : kNotCanonical) {
    EXPECT_FALSE(ScanCanonicalKeyMetadata(record).has_value()) << record;
  }
}

// KeyMetadata::Parse of a record with a leading space always takes the general parser.
void ExpectReadersAgree(const std::string& record) {
  StatusOr<KeyMetadata> fast = KeyMetadata::Parse(record);
  StatusOr<KeyMetadata> general = KeyMetadata::Parse(" " + record);
  ASSERT_EQ(fast.ok(), general.ok()) << record;
  if (fast.ok()) {
    EXPECT_EQ(fast->Serialize(), general->Serialize()) << record;
  }
}

TEST(ScanCanonicalKeyMetadataTest, AgreesWithGeneralParser) {
  std::string records[] = {
      Sample().Serialize(),
      KeyMetadata{}.Serialize(),
      Record("{}", R"({"01":[1,0,false],"1":[2,3,true]})"),
      Record("{}", R"({"-4":[1,0,false]})"),
      Record(R"({"k":[1,{"x":"}"}]})", R"({"1":[1,0,false]})"),
      Record(Nested(30), "{}"),
      Record(Nested(31), "{}"),  // the deepest the whole record's parse accepts
      Record(Nested(32), "{}"),
  };
  for (const std::string& record : records) {
    ExpectReadersAgree(record);
  }
  for (const std::string& record : kNotCanonical) {
    ExpectReadersAgree(record);
  }
}

}  // namespace
}  // namespace cellar::engines::kv
