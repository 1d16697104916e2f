#include <gtest/gtest.h>

#include <set>
#include <string>

#include "auth/password.h"
#include "auth/secrets.h"

namespace cutroom::server::auth {
namespace {

TEST(PasswordTest, HashThenVerify) {
  Result<std::string> hash = HashPassword("correct horse battery", ForTests());
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery ", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordTest, InteractiveCostHashesVerify) {
  Result<std::string> hash = HashPassword("a longer passphrase", Interactive());
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(VerifyPassword("a longer passphrase", *hash));
  EXPECT_FALSE(PasswordNeedsRehash(*hash, Interactive()));
  EXPECT_TRUE(PasswordNeedsRehash(*hash, ForTests()));
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  Result<std::string> a = HashPassword("same password", ForTests());
  Result<std::string> b = HashPassword("same password", ForTests());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same password", *a));
  EXPECT_TRUE(VerifyPassword("same password", *b));
}

TEST(PasswordTest, MalformedHashesNeverVerify) {
  Result<std::string> hash = HashPassword("password123", ForTests());
  ASSERT_TRUE(hash.ok());
  const std::string& h = *hash;
  // The digest's last base64 character carries padding bits that decoders ignore ('A' and 'B'
  // can decode alike: one run in 16 failed), so damage the one before it, all data bits.
  std::string flipped = h;
  char& digit = flipped[flipped.size() - 2];
  digit = digit == 'A' ? 'B' : 'A';
  // One character shorter, with the dropped bits zero: libsodium reads this as a 31-byte tag
  // (a plain truncation does so one time in 16).
  std::string short_tag = h.substr(0, h.size() - 1);
  short_tag.back() = 'A';
  std::string with_nul = h;
  with_nul.insert(with_nul.size() / 2, 1, '\0');
  for (const std::string& bad :
       {std::string(), std::string("$argon2id$"), h.substr(0, h.size() / 2),
        h.substr(0, h.size() - 1), short_tag, with_nul, std::string("not a hash at all"),
        std::string(500, '$'), std::string("$argon2id$v=19$m=8,t=1,p=1$$"),
        std::string("$2b$12$abcdefghijklmnopqrstuv"),
        std::string("$argon2id$v=19$m=xx,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA")}) {
    EXPECT_FALSE(VerifyPassword("password123", bad)) << bad;
    EXPECT_TRUE(PasswordNeedsRehash(bad, ForTests())) << bad;
  }
  // A damaged digest still parses (same cost, so no rehash) but never verifies.
  EXPECT_FALSE(VerifyPassword("password123", flipped));
  EXPECT_TRUE(VerifyPassword("password123", h));
  EXPECT_FALSE(PasswordNeedsRehash(h, ForTests()));
}

TEST(PasswordTest, RefusesPasswordsOutsideTheLengthRule) {
  Result<std::string> short_one = HashPassword("1234567", ForTests());
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_one.status().message().find("at least 8"), std::string::npos)
      << short_one.status().message();
  EXPECT_EQ(HashPassword("", ForTests()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HashPassword("12345678", ForTests()).ok());
  EXPECT_TRUE(HashPassword(std::string(1024, 'x'), ForTests()).ok());
  Result<std::string> long_one = HashPassword(std::string(1025, 'x'), ForTests());
  ASSERT_FALSE(long_one.ok());
  EXPECT_EQ(long_one.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(long_one.status().message().find("at most 1024"), std::string::npos);
}

TEST(PasswordTest, RefusesCostBelowTheMinimum) {
  EXPECT_EQ(HashPassword("password123", {0, ForTests().mem_limit_bytes}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(HashPassword("password123", {1, 1024}).status().code(), StatusCode::kInvalidArgument);
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

TEST(SecretsTest, RandomTokenLengthAndAlphabet) {
  EXPECT_EQ(RandomToken(0), "");
  EXPECT_EQ(RandomToken(1).size(), 2u);
  EXPECT_EQ(RandomToken(3).size(), 4u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_EQ(RandomToken(32).size(), 43u);
  for (size_t bytes = 1; bytes <= 64; ++bytes) {
    const std::string token = RandomToken(bytes);
    EXPECT_EQ(token.size(), (4 * bytes + 2) / 3) << bytes;
    for (char c : token) EXPECT_TRUE(IsBase64UrlChar(c)) << token;
  }
}

TEST(SecretsTest, RandomTokensAreDistinctAndUseTheWholeAlphabet) {
  std::set<std::string> tokens;
  std::set<char> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string token = RandomToken(32);
    seen.insert(token.begin(), token.end());
    tokens.insert(std::move(token));
  }
  EXPECT_EQ(tokens.size(), 1000u);
  // 43,000 characters drawn from 64: every one of them, '-' and '_' included, shows up.
  EXPECT_EQ(seen.size(), 64u);
  EXPECT_TRUE(seen.count('-') && seen.count('_'));
}

TEST(SecretsTest, Sha256KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(std::string_view("a\0b", 3)).size(), 64u);
  EXPECT_NE(Sha256Hex(std::string_view("a\0b", 3)), Sha256Hex("a"));
}

TEST(SecretsTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("token-123", "token-123"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "token-124"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "Token-123"));
  EXPECT_FALSE(ConstantTimeEquals("token-123", "token-12"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
  const std::string digest = Sha256Hex("session");
  EXPECT_TRUE(ConstantTimeEquals(digest, Sha256Hex("session")));
}

}  // namespace
}  // namespace cutroom::server::auth
