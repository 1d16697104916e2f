#include "cutroom/status.h"

#include <gtest/gtest.h>

namespace cutroom {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  CR_ASSIGN_OR_RETURN(int h, Half(x));
  CR_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, ContextIsPrependedAndCodeKept) {
  Status s = NotFoundError("no such file").WithContext("open talk.mp4");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "open talk.mp4: no such file");
  EXPECT_EQ(s.ToString(), "NotFound: open talk.mp4: no such file");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, AssignOrReturnPropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
}

TEST(StatusTest, ResultFromOkStatusIsAnError) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace cutroom
