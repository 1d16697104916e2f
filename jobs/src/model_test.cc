#include "cutroom/jobs/model.h"

#include <gtest/gtest.h>

#include "cutroom/jobs/retry_policy.h"
#include "sha256.h"
#include "test_support.h"

namespace cutroom::jobs {
namespace {

TEST(JobModel, StateNamesRoundTrip) {
  for (JobState s : {JobState::kQueued, JobState::kRunning, JobState::kPaused, JobState::kReview,
                     JobState::kPublishing, JobState::kCompleted, JobState::kFailed, JobState::kCancelled}) {
    EXPECT_EQ(*ParseJobState(JobStateName(s)), s);
  }
  for (StepState s : {StepState::kPending, StepState::kRunning, StepState::kSucceeded,
                      StepState::kFailed, StepState::kSkipped, StepState::kCancelled}) {
    EXPECT_EQ(*ParseStepState(StepStateName(s)), s);
  }
  EXPECT_EQ(ParseJobState("done").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseStatusCode("DataLoss"), StatusCode::kDataLoss);
}

TEST(JobModel, TransitionsFollowTheLifecycle) {
  EXPECT_TRUE(CheckJobTransition(JobState::kQueued, JobState::kRunning).ok());
  EXPECT_TRUE(CheckJobTransition(JobState::kRunning, JobState::kCompleted).ok());
  EXPECT_TRUE(CheckJobTransition(JobState::kFailed, JobState::kQueued).ok());
  EXPECT_TRUE(CheckJobTransition(JobState::kPaused, JobState::kQueued).ok());
  Status s = CheckJobTransition(JobState::kCompleted, JobState::kQueued);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "job cannot go from completed to queued");
  EXPECT_FALSE(CheckJobTransition(JobState::kCancelled, JobState::kRunning).ok());
  EXPECT_FALSE(CheckJobTransition(JobState::kRunning, JobState::kRunning).ok());
  EXPECT_TRUE(CheckStepTransition(StepState::kRunning, StepState::kPending).ok());
  EXPECT_FALSE(CheckStepTransition(StepState::kSucceeded, StepState::kPending).ok());
  EXPECT_FALSE(CheckStepTransition(StepState::kPending, StepState::kSucceeded).ok());
}

TEST(JobModel, StepGraphsAreValidated) {
  EXPECT_TRUE(ValidateStepGraph({{"probe", {}}, {"render[0]", {"probe"}}}).ok());
  EXPECT_FALSE(ValidateStepGraph({{"Probe!", {}}}).ok());
  EXPECT_FALSE(ValidateStepGraph({{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}}).ok());
  EXPECT_FALSE(ValidateStepGraph({{"a", {}, 0}}).ok());
}

TEST(Sha256, MatchesTheStandardVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.Update(chunk);
  EXPECT_EQ(million.FinalHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, HashesFilesLikeTheSha256sumTool) {
  cutroom::testing::TempDir dir;
  std::string content(3 * 1024 * 1024 + 17, 'x');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31 % 251);
  cutroom::testing::WriteFile(dir.File("f.bin"), content);
  auto tool = cutroom::testing::Run("sha256sum '" + dir.File("f.bin") + "'");
  ASSERT_EQ(tool.exit_code, 0);
  EXPECT_EQ(*Sha256File(dir.File("f.bin")), tool.output.substr(0, 64));
  EXPECT_EQ(Sha256File(dir.File("missing")).status().code(), StatusCode::kNotFound);
}

TEST(RetryPolicy, TransientErrorsBackOffExponentiallyWithJitter) {
  BackoffOptions b{1000, 60'000};
  auto first = DecideRetry(StatusCode::kUnavailable, 1, 5, b, 0.0);
  EXPECT_EQ(first.action, RetryAction::kRetry);
  EXPECT_EQ(first.delay_ms, 500);
  EXPECT_EQ(DecideRetry(StatusCode::kUnavailable, 1, 5, b, 0.999).delay_ms, 999);
  EXPECT_EQ(DecideRetry(StatusCode::kResourceExhausted, 3, 5, b, 0.0).delay_ms, 2000);
  EXPECT_EQ(DecideRetry(StatusCode::kUnavailable, 30, 50, b, 0.0).delay_ms, 30'000) << "capped";
  EXPECT_EQ(DecideRetry(StatusCode::kDeadlineExceeded, 1, 2, b, 0.5).action, RetryAction::kRetry);
}

TEST(RetryPolicy, PermanentErrorsAndExhaustedAttemptsFail) {
  BackoffOptions b;
  for (StatusCode c : {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kDataLoss,
                       StatusCode::kFailedPrecondition, StatusCode::kInternal}) {
    EXPECT_EQ(DecideRetry(c, 1, 5, b, 0.5).action, RetryAction::kFail) << StatusCodeName(c);
  }
  EXPECT_EQ(DecideRetry(StatusCode::kUnavailable, 3, 3, b, 0.5).action, RetryAction::kFail);
  EXPECT_EQ(DecideRetry(StatusCode::kCancelled, 1, 3, b, 0.5).action, RetryAction::kCancel);
}

}  // namespace
}  // namespace cutroom::jobs
