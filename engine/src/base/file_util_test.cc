#include "cutroom/file_util.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"

namespace cutroom {
namespace {

TEST(FileUtilTest, WritesWholeFileAndReplacesAtomically) {
  testing::TempDir dir;
  std::string path = dir.File("a.json");
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "new content").ok());
  auto read = ReadSmallFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "new content");
  // No temporary files are left beside it.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(FileUtilTest, ErrorsNameThePath) {
  testing::TempDir dir;
  Status s = WriteFileAtomically(dir.File("missing/a.json"), "x");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("missing/a.json"), std::string::npos);
  EXPECT_EQ(ReadSmallFile(dir.File("nope")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadSmallFile(dir.path()).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(WriteFileAtomically(dir.File("big"), std::string(100, 'x')).ok());
  EXPECT_FALSE(ReadSmallFile(dir.File("big"), 10).ok());
}

}  // namespace
}  // namespace cutroom
