// The AppStore contract: a type-parameterised suite that every store must pass. A store's test
// instantiates it with a factory type providing
//   static std::unique_ptr<AppStore> Make(const std::string& dir);
// Two calls with the same `dir` must give two handles (connections, as two processes would have)
// on the same data, and a handle made after another was destroyed must see its data.
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, AppStoreContractTest, ::testing::Types<SqliteFactory>);
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cutroom/jobs/app_store.h"
#include "test_support.h"

namespace cutroom::jobs {

template <typename Factory>
class AppStoreContractTest : public ::testing::Test {
 protected:
  static constexpr int64_t kT0 = 1'700'000'000'000;

  std::unique_ptr<AppStore> Another() { return Factory::Make(dir_.path()); }

  int64_t MustCreateUser(const std::string& email, AppStore* store = nullptr) {
    User user;
    user.email = email;
    user.name = "Name of " + email;
    user.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
    user.created_at_ms = kT0;
    auto id = (store != nullptr ? store : store_.get())->CreateUser(user);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  int64_t MustCreateWorkspace(const std::string& name, int64_t owner) {
    auto id = store_->CreateWorkspace(name, owner, kT0);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  std::optional<Role> RoleOf(int64_t workspace, int64_t user) {
    auto role = store_->GetRole(workspace, user);
    EXPECT_TRUE(role.ok()) << role.status().ToString();
    return role.ok() ? *role : std::nullopt;
  }
  static ApiToken Token(int64_t user, const std::string& hash) {
    ApiToken token;
    token.user_id = user;
    token.name = "ci";
    token.token_hash = hash;
    token.prefix = hash.substr(0, 4);
    token.created_at_ms = kT0;
    return token;
  }
  static Upload AnUpload(int64_t workspace, int64_t user, const std::string& name) {
    Upload upload;
    upload.workspace_id = workspace;
    upload.user_id = user;
    upload.filename = name;
    upload.stored_path = "/data/uploads/" + name;
    upload.size_bytes = 1234;
    upload.media_json = R"({"duration_s":12.5})";
    upload.created_at_ms = kT0;
    return upload;
  }
  static Brand ABrand(int64_t workspace, const std::string& name) {
    Brand brand;
    brand.workspace_id = workspace;
    brand.name = name;
    brand.settings_json = R"({"font":"Inter"})";
    brand.created_at_ms = kT0;
    brand.updated_at_ms = kT0;
    return brand;
  }
  static Review AReview(int64_t workspace, int64_t user, const std::string& clip,
                        const std::string& decision, const std::string& reason) {
    Review review;
    review.workspace_id = workspace;
    review.clip_id = clip;
    review.user_id = user;
    review.decision = decision;
    review.reason = reason;
    review.created_at_ms = kT0;
    return review;
  }

  cutroom::testing::TempDir dir_;
  std::unique_ptr<AppStore> store_ = Factory::Make(dir_.path());
};

TYPED_TEST_SUITE_P(AppStoreContractTest);

TYPED_TEST_P(AppStoreContractTest, EmailsAreUniqueInAnyCase) {
  int64_t ann = this->MustCreateUser("Ann@Example.com");
  auto user = this->store_->GetUser(ann);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->email, "ann@example.com");
  EXPECT_EQ(user->name, "Name of Ann@Example.com");
  EXPECT_EQ(user->created_at_ms, this->kT0);
  User again;
  again.email = "ANN@example.COM";
  EXPECT_EQ(this->store_->CreateUser(again).status().code(), StatusCode::kAlreadyExists);
  auto found = this->store_->FindUserByEmail("ann@EXAMPLE.com");
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().ToString();
  EXPECT_EQ((*found)->id, ann);
  EXPECT_EQ((*found)->password_hash, user->password_hash);
  auto missing = this->store_->FindUserByEmail("bob@example.com");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(*this->store_->CountUsers(), 1);
  EXPECT_EQ(this->store_->GetUser(ann + 100).status().code(), StatusCode::kNotFound);
  User nameless;
  EXPECT_EQ(this->store_->CreateUser(nameless).status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(AppStoreContractTest, ExpiredSessionIsNotFoundAndLogoutEndsIt) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  Session session{"hash-1", ann, "csrf-1", this->kT0, this->kT0 + 3'600'000};
  ASSERT_TRUE(this->store_->CreateSession(session).ok());
  auto live = this->store_->FindSession("hash-1", this->kT0 + 3'599'999);
  ASSERT_TRUE(live.ok() && live->has_value()) << live.status().ToString();
  EXPECT_EQ((*live)->user_id, ann);
  EXPECT_EQ((*live)->csrf_token, "csrf-1");
  EXPECT_EQ((*live)->expires_at_ms, this->kT0 + 3'600'000);
  auto expired = this->store_->FindSession("hash-1", this->kT0 + 3'600'000);
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(expired->has_value()) << "a session is dead at its expiry time";
  EXPECT_FALSE(this->store_->FindSession("other", this->kT0)->has_value());

  ASSERT_TRUE(
      this->store_->CreateSession({"hash-2", ann, "csrf-2", this->kT0, this->kT0 + 1000}).ok());
  ASSERT_TRUE(this->store_->DeleteSession("hash-2").ok());
  EXPECT_FALSE(this->store_->FindSession("hash-2", this->kT0)->has_value());
  EXPECT_TRUE(this->store_->DeleteSession("hash-2").ok()) << "logging out twice is harmless";
  EXPECT_EQ(
      this->store_->CreateSession({"hash-3", ann + 100, "c", this->kT0, this->kT0 + 1000}).code(),
      StatusCode::kNotFound)
      << "a session of an unknown user";
}

TYPED_TEST_P(AppStoreContractTest, RevokedTokenNoLongerAuthenticatesAndOnlyItsOwnerRevokesIt) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t bob = this->MustCreateUser("bob@example.com");
  auto first = this->store_->CreateApiToken(this->Token(ann, "aaaa1111"));
  auto second = this->store_->CreateApiToken(this->Token(ann, "bbbb2222"));
  ASSERT_TRUE(first.ok() && second.ok()) << first.status().ToString();
  EXPECT_EQ(this->store_->CreateApiToken(this->Token(bob, "aaaa1111")).status().code(),
            StatusCode::kAlreadyExists);

  auto used = this->store_->UseApiToken("aaaa1111", this->kT0 + 5);
  ASSERT_TRUE(used.ok() && used->has_value()) << used.status().ToString();
  EXPECT_EQ((*used)->id, *first);
  EXPECT_EQ((*used)->user_id, ann);
  EXPECT_EQ((*used)->last_used_at_ms, this->kT0 + 5);
  EXPECT_FALSE(this->store_->UseApiToken("unknown", this->kT0)->has_value());

  EXPECT_EQ(this->store_->RevokeApiToken(bob, *first, this->kT0 + 6).code(), StatusCode::kNotFound);
  EXPECT_TRUE(this->store_->UseApiToken("aaaa1111", this->kT0 + 7)->has_value())
      << "another user's revoke attempt must not touch the token";
  ASSERT_TRUE(this->store_->RevokeApiToken(ann, *first, this->kT0 + 8).ok());
  auto after = this->store_->UseApiToken("aaaa1111", this->kT0 + 9);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value()) << "a revoked token still authenticates";
  EXPECT_TRUE(this->store_->UseApiToken("bbbb2222", this->kT0 + 9)->has_value());
  EXPECT_EQ(this->store_->RevokeApiToken(ann, *second + 100, this->kT0).code(),
            StatusCode::kNotFound);

  auto listed = this->store_->ListApiTokens(ann);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, *second) << "newest first";
  EXPECT_EQ((*listed)[0].revoked_at_ms, 0);
  EXPECT_EQ((*listed)[1].revoked_at_ms, this->kT0 + 8);
  EXPECT_EQ((*listed)[1].prefix, "aaaa");
  EXPECT_TRUE(this->store_->ListApiTokens(bob)->empty());
}

TYPED_TEST_P(AppStoreContractTest, MembersHaveRolesAndOthersHaveNone) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t bob = this->MustCreateUser("bob@example.com");
  int64_t eve = this->MustCreateUser("eve@example.com");
  int64_t ws = this->MustCreateWorkspace("Studio", ann);
  EXPECT_EQ(this->RoleOf(ws, ann), Role::kOwner) << "the creator owns the workspace";
  EXPECT_EQ(this->RoleOf(ws, eve), std::nullopt);
  EXPECT_EQ(this->RoleOf(ws + 100, ann), std::nullopt);
  ASSERT_TRUE(this->store_->AddMember(ws, bob, Role::kEditor, this->kT0 + 1).ok());
  EXPECT_EQ(this->RoleOf(ws, bob), Role::kEditor);
  EXPECT_EQ(this->store_->AddMember(ws, bob, Role::kViewer, this->kT0).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(this->store_->AddMember(ws, eve, Role::kInvalid, this->kT0).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(this->store_->AddMember(ws + 100, eve, Role::kViewer, this->kT0).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(this->store_->AddMember(ws, eve + 100, Role::kViewer, this->kT0).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(this->store_->SetMemberRole(ws, bob, Role::kAdmin).ok());
  EXPECT_EQ(this->RoleOf(ws, bob), Role::kAdmin);
  EXPECT_EQ(this->store_->SetMemberRole(ws, eve, Role::kAdmin).code(), StatusCode::kNotFound);

  auto members = this->store_->ListMembers(ws);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].email, "ann@example.com");
  EXPECT_EQ((*members)[0].role, Role::kOwner);
  EXPECT_EQ((*members)[1].email, "bob@example.com");
  EXPECT_EQ((*members)[1].role, Role::kAdmin);

  int64_t other = this->MustCreateWorkspace("Other", bob);
  auto of_bob = this->store_->ListWorkspacesOf(bob);
  ASSERT_TRUE(of_bob.ok());
  ASSERT_EQ(of_bob->size(), 2u);
  EXPECT_EQ((*of_bob)[0].first.id, ws);
  EXPECT_EQ((*of_bob)[0].first.name, "Studio");
  EXPECT_EQ((*of_bob)[0].second, Role::kAdmin);
  EXPECT_EQ((*of_bob)[1].first.id, other);
  EXPECT_EQ((*of_bob)[1].second, Role::kOwner);
  EXPECT_TRUE(this->store_->ListWorkspacesOf(eve)->empty());
  EXPECT_EQ(this->store_->GetWorkspace(other)->name, "Other");
  EXPECT_EQ(this->store_->GetWorkspace(other + 100).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->CreateWorkspace("Ghost", eve + 100, this->kT0).status().code(),
            StatusCode::kNotFound);
}

TYPED_TEST_P(AppStoreContractTest, TheLastOwnerCannotLeaveOrBeDemoted) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t bob = this->MustCreateUser("bob@example.com");
  int64_t ws = this->MustCreateWorkspace("Studio", ann);
  ASSERT_TRUE(this->store_->AddMember(ws, bob, Role::kAdmin, this->kT0).ok());
  EXPECT_EQ(this->store_->RemoveMember(ws, ann).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->SetMemberRole(ws, ann, Role::kAdmin).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->RoleOf(ws, ann), Role::kOwner) << "a refused change must change nothing";
  ASSERT_TRUE(this->store_->SetMemberRole(ws, bob, Role::kOwner).ok());
  ASSERT_TRUE(this->store_->RemoveMember(ws, ann).ok()) << "with two owners, one may leave";
  EXPECT_EQ(this->RoleOf(ws, ann), std::nullopt);
  EXPECT_EQ(this->store_->RemoveMember(ws, ann).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->RemoveMember(ws, bob).code(), StatusCode::kFailedPrecondition);
}

TYPED_TEST_P(AppStoreContractTest, AnotherWorkspacesResourcesAreNotFound) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t eve = this->MustCreateUser("eve@example.com");
  int64_t a = this->MustCreateWorkspace("A", ann);
  int64_t b = this->MustCreateWorkspace("B", eve);

  auto upload = this->store_->CreateUpload(this->AnUpload(a, ann, "talk.mp4"));
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  auto got = this->store_->GetUpload(a, *upload);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->stored_path, "/data/uploads/talk.mp4");
  EXPECT_EQ(got->media_json, R"({"duration_s":12.5})");
  EXPECT_EQ(this->store_->GetUpload(b, *upload).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->DeleteUpload(b, *upload).code(), StatusCode::kNotFound);
  EXPECT_TRUE(this->store_->ListUploads(b, 100, 0)->empty());
  EXPECT_TRUE(this->store_->GetUpload(a, *upload).ok()) << "B's delete must not touch A's upload";
  Upload moved = *got;
  moved.workspace_id = b;
  moved.media_json = R"({"state":"failed"})";
  EXPECT_EQ(this->store_->UpdateUpload(moved).code(), StatusCode::kNotFound) << "B cannot update A's upload";
  Upload ready = *got;
  ready.media_json = R"({"state":"ready"})";
  ready.size_bytes = 42;
  ASSERT_TRUE(this->store_->UpdateUpload(ready).ok());
  EXPECT_EQ(this->store_->GetUpload(a, *upload)->media_json, R"({"state":"ready"})");
  EXPECT_EQ(this->store_->GetUpload(a, *upload)->size_bytes, 42);

  auto brand = this->store_->CreateBrand(this->ABrand(a, "Acme"));
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_EQ(this->store_->GetBrand(b, *brand).status().code(), StatusCode::kNotFound);
  Brand hijack = this->ABrand(b, "Hijacked");
  hijack.id = *brand;
  EXPECT_EQ(this->store_->UpdateBrand(hijack).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->DeleteBrand(b, *brand).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->GetBrand(a, *brand)->name, "Acme");
  EXPECT_TRUE(this->store_->ListBrands(b)->empty());

  ASSERT_TRUE(this->store_->PutClipEdit({a, "12-1", "Title", "Desc", 0, this->kT0}).ok());
  EXPECT_TRUE(this->store_->GetClipEdit(a, "12-1")->has_value());
  auto edit = this->store_->GetClipEdit(b, "12-1");
  ASSERT_TRUE(edit.ok());
  EXPECT_FALSE(edit->has_value());

  ASSERT_TRUE(this->store_->AddReview(this->AReview(a, ann, "12-1", "approve", "")).ok());
  EXPECT_EQ(this->store_->ListReviews(a, "12-1")->size(), 1u);
  EXPECT_TRUE(this->store_->ListReviews(b, "12-1")->empty());

  ASSERT_TRUE(this->store_->DeleteUpload(a, *upload).ok());
  EXPECT_EQ(this->store_->GetUpload(a, *upload).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(this->store_->DeleteBrand(a, *brand).ok());
  EXPECT_EQ(this->store_->GetBrand(a, *brand).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->CreateUpload(this->AnUpload(b + 100, ann, "x.mp4")).status().code(),
            StatusCode::kNotFound);
}

TYPED_TEST_P(AppStoreContractTest, BrandNamesAreUniquePerWorkspace) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t a = this->MustCreateWorkspace("A", ann);
  int64_t b = this->MustCreateWorkspace("B", ann);
  auto acme = this->store_->CreateBrand(this->ABrand(a, "Acme"));
  ASSERT_TRUE(acme.ok()) << acme.status().ToString();
  EXPECT_EQ(this->store_->CreateBrand(this->ABrand(a, "Acme")).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(this->store_->CreateBrand(this->ABrand(b, "Acme")).ok())
      << "another workspace may reuse it";
  auto beta = this->store_->CreateBrand(this->ABrand(a, "Beta"));
  ASSERT_TRUE(beta.ok());
  Brand rename = this->ABrand(a, "Acme");
  rename.id = *beta;
  EXPECT_EQ(this->store_->UpdateBrand(rename).code(), StatusCode::kAlreadyExists);
  rename.name = "Aardvark";
  rename.settings_json = R"({"font":"Lato"})";
  rename.updated_at_ms = this->kT0 + 10;
  ASSERT_TRUE(this->store_->UpdateBrand(rename).ok());
  auto got = this->store_->GetBrand(a, *beta);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->settings_json, R"({"font":"Lato"})");
  EXPECT_EQ(got->updated_at_ms, this->kT0 + 10);
  EXPECT_EQ(got->created_at_ms, this->kT0);
  auto listed = this->store_->ListBrands(a);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "Aardvark") << "listed by name";
  EXPECT_EQ((*listed)[1].name, "Acme");
  EXPECT_EQ(this->store_->CreateBrand(this->ABrand(a, "")).status().code(),
            StatusCode::kInvalidArgument);
}

TYPED_TEST_P(AppStoreContractTest, ClipEditsAreReplacedAndReviewsKeptInOrder) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t bob = this->MustCreateUser("bob@example.com");
  int64_t ws = this->MustCreateWorkspace("A", ann);
  ASSERT_TRUE(this->store_->PutClipEdit({ws, "7-2", "First", "", 0, this->kT0}).ok());
  ASSERT_TRUE(this->store_->PutClipEdit({ws, "7-2", "Second", "More", 42, this->kT0 + 1}).ok());
  auto edit = this->store_->GetClipEdit(ws, "7-2");
  ASSERT_TRUE(edit.ok() && edit->has_value());
  EXPECT_EQ((*edit)->title, "Second");
  EXPECT_EQ((*edit)->description, "More");
  EXPECT_EQ((*edit)->render_job_id, 42);
  EXPECT_EQ((*edit)->updated_at_ms, this->kT0 + 1);
  EXPECT_FALSE(this->store_->GetClipEdit(ws, "7-3")->has_value());

  auto reject = this->store_->AddReview(this->AReview(ws, bob, "7-2", "reject", "bad_crop"));
  auto approve = this->store_->AddReview(this->AReview(ws, ann, "7-2", "approve", ""));
  ASSERT_TRUE(reject.ok() && approve.ok()) << reject.status().ToString();
  auto reviews = this->store_->ListReviews(ws, "7-2");
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 2u);
  EXPECT_EQ((*reviews)[0].id, *reject) << "oldest first";
  EXPECT_EQ((*reviews)[0].reason, "bad_crop");
  EXPECT_EQ((*reviews)[1].decision, "approve");
  EXPECT_EQ(this->store_->AddReview(this->AReview(ws, ann, "7-2", "maybe", "")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(this->store_->AddReview(this->AReview(ws, ann, "7-2", "reject", "")).status().code(),
            StatusCode::kInvalidArgument)
      << "a rejection needs its reason";
}

TYPED_TEST_P(AppStoreContractTest, UploadsAndAuditPageNewestFirst) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t a = this->MustCreateWorkspace("A", ann);
  int64_t b = this->MustCreateWorkspace("B", ann);
  std::vector<int64_t> uploads;
  for (int i = 0; i < 5; ++i) {
    uploads.push_back(
        *this->store_->CreateUpload(this->AnUpload(a, ann, std::to_string(i) + ".mp4")));
  }
  auto first = this->store_->ListUploads(a, 3, 0);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].id, uploads[4]);
  auto rest = this->store_->ListUploads(a, 3, first->back().id);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[1].id, uploads[0]);
  EXPECT_EQ(this->store_->ListUploads(a, 0, 0).status().code(), StatusCode::kInvalidArgument);

  for (int i = 0; i < 25; ++i) {
    AuditEntry entry;
    entry.at_ms = this->kT0 + i;
    entry.user_id = i % 4 == 0 ? 0 : ann;  // 0: anonymous
    entry.workspace_id = i % 2 == 0 ? a : b;
    entry.action = "job.create";
    entry.target = "job:" + std::to_string(i);
    entry.request_id = "req-" + std::to_string(i);
    entry.ip = "127.0.0.1";
    ASSERT_TRUE(this->store_->AppendAudit(entry).ok());
  }
  std::vector<std::string> seen;
  int64_t before = 0;
  for (int page = 0; page < 4; ++page) {
    auto entries = this->store_->ListAudit(0, 10, before);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    if (entries->empty()) break;
    for (const auto& e : *entries) seen.push_back(e.target);
    before = entries->back().id;
  }
  ASSERT_EQ(seen.size(), 25u) << "three pages of 10, 10 and 5";
  for (int i = 0; i < 25; ++i) EXPECT_EQ(seen[i], "job:" + std::to_string(24 - i));
  auto only_a = this->store_->ListAudit(a, 100, 0);
  ASSERT_TRUE(only_a.ok());
  ASSERT_EQ(only_a->size(), 13u);
  EXPECT_EQ((*only_a)[0].target, "job:24");
  EXPECT_EQ((*only_a)[0].request_id, "req-24");
  EXPECT_EQ((*only_a)[0].user_id, 0) << "anonymous";
  EXPECT_EQ((*only_a)[1].at_ms, this->kT0 + 22);
  for (const auto& e : *only_a) EXPECT_EQ(e.workspace_id, a);
  EXPECT_EQ(this->store_->ListAudit(0, 1001, 0).status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(AppStoreContractTest, DataSurvivesReopening) {
  int64_t ann = this->MustCreateUser("ann@example.com");
  int64_t ws = this->MustCreateWorkspace("Studio", ann);
  ASSERT_TRUE(this->store_->CreateSession({"s1", ann, "c1", this->kT0, this->kT0 + 1000}).ok());
  auto token = this->store_->CreateApiToken(this->Token(ann, "tok-hash"));
  auto brand = this->store_->CreateBrand(this->ABrand(ws, "Acme"));
  ASSERT_TRUE(token.ok() && brand.ok());
  this->store_.reset();
  this->store_ = this->Another();
  ASSERT_NE(this->store_, nullptr);
  EXPECT_EQ(this->store_->FindUserByEmail("ann@example.com")->value().id, ann);
  EXPECT_TRUE(this->store_->FindSession("s1", this->kT0)->has_value());
  EXPECT_TRUE(this->store_->UseApiToken("tok-hash", this->kT0)->has_value());
  EXPECT_EQ(this->RoleOf(ws, ann), Role::kOwner);
  EXPECT_EQ(this->store_->GetBrand(ws, *brand)->name, "Acme");
  EXPECT_EQ(this->MustCreateUser("bob@example.com"), ann + 1) << "ids continue";
}

TYPED_TEST_P(AppStoreContractTest, TwoHandlesSeeEachOthersWrites) {
  std::unique_ptr<AppStore> other = this->Another();
  ASSERT_NE(other, nullptr);
  int64_t ann = this->MustCreateUser("ann@example.com", other.get());
  EXPECT_TRUE(this->store_->FindUserByEmail("ann@example.com")->has_value());
  int64_t ws = this->MustCreateWorkspace("Studio", ann);
  EXPECT_EQ(other->GetRole(ws, ann)->value_or(Role::kInvalid), Role::kOwner);
  ASSERT_TRUE(other->CreateApiToken(this->Token(ann, "h1")).ok());
  ASSERT_TRUE(
      this->store_->RevokeApiToken(ann, this->store_->ListApiTokens(ann)->at(0).id, this->kT0)
          .ok());
  EXPECT_FALSE(other->UseApiToken("h1", this->kT0)->has_value());

  // Handles racing to sign up one address: exactly one wins, the others get AlreadyExists.
  constexpr int kHandles = 4;
  std::vector<std::unique_ptr<AppStore>> handles;
  for (int i = 0; i < kHandles; ++i) handles.push_back(this->Another());
  std::atomic<int> created{0}, taken{0}, other_errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kHandles; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 10; ++round) {
        User user;
        user.email = (i % 2 == 0 ? "Race" : "rACE") + std::to_string(round) + "@example.com";
        auto id = handles[i]->CreateUser(user);
        if (id.ok()) {
          ++created;
        } else if (id.status().code() == StatusCode::kAlreadyExists) {
          ++taken;
        } else {
          ++other_errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 10);
  EXPECT_EQ(taken.load(), 10 * (kHandles - 1));
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_EQ(*this->store_->CountUsers(), 11);
}

REGISTER_TYPED_TEST_SUITE_P(AppStoreContractTest, EmailsAreUniqueInAnyCase,
                            ExpiredSessionIsNotFoundAndLogoutEndsIt,
                            RevokedTokenNoLongerAuthenticatesAndOnlyItsOwnerRevokesIt,
                            MembersHaveRolesAndOthersHaveNone, TheLastOwnerCannotLeaveOrBeDemoted,
                            AnotherWorkspacesResourcesAreNotFound, BrandNamesAreUniquePerWorkspace,
                            ClipEditsAreReplacedAndReviewsKeptInOrder,
                            UploadsAndAuditPageNewestFirst, DataSurvivesReopening,
                            TwoHandlesSeeEachOthersWrites);

}  // namespace cutroom::jobs
