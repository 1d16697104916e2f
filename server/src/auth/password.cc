#include "auth/password.h"

#include <sodium.h>

#include <string>

namespace cutroom::server::auth {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";
// crypto_pwhash_str always writes a 32-byte tag: 43 unpadded base64 characters.
constexpr size_t kDigestChars = 43;

// sodium_init() returns 0 the first time, 1 when already done, -1 on failure; it is thread-safe.
bool SodiumReady() { return sodium_init() >= 0; }

// libsodium reads passwords through a pointer even when the length is 0; never hand it nullptr.
const char* PasswordData(std::string_view password) {
  return password.empty() ? "" : password.data();
}

}  // namespace

PasswordCost Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost ForTests() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  if (password.size() < kMinPasswordBytes) {
    return InvalidArgumentError("password must be at least " + std::to_string(kMinPasswordBytes) +
                                " bytes long");
  }
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgumentError("password must be at most " + std::to_string(kMaxPasswordBytes) +
                                " bytes long");
  }
  if (cost.ops_limit < crypto_pwhash_OPSLIMIT_MIN || cost.ops_limit > crypto_pwhash_OPSLIMIT_MAX ||
      cost.mem_limit_bytes < crypto_pwhash_MEMLIMIT_MIN ||
      cost.mem_limit_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    return InvalidArgumentError("password cost out of range: ops_limit " +
                                std::to_string(cost.ops_limit) + ", mem_limit_bytes " +
                                std::to_string(cost.mem_limit_bytes));
  }
  if (!SodiumReady()) return InternalError("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str_alg(out, PasswordData(password), password.size(), cost.ops_limit,
                            cost.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // The only runtime failure left after the checks above is the memory allocation.
    return ResourceExhaustedError("password hashing failed: cannot allocate " +
                                  std::to_string(cost.mem_limit_bytes) + " bytes");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  // libsodium reads the hash as a C string of fewer than crypto_pwhash_STRBYTES bytes; a longer
  // or empty one is malformed, and an embedded NUL would make it verify a prefix.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      hash.find('\0') != std::string::npos) {
    return false;
  }
  if (!SodiumReady()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), PasswordData(password), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& hash, const PasswordCost& cost) {
  if (hash.size() >= crypto_pwhash_STRBYTES || hash.find('\0') != std::string::npos ||
      hash.compare(0, kArgon2idPrefix.size(), kArgon2idPrefix) != 0) {
    return true;
  }
  // libsodium parses a shortened digest whose dropped bits happen to be zero as a shorter tag
  // (1 truncation in 16); such a hash is not one of ours and must be replaced.
  const size_t last_dollar = hash.rfind('$');
  if (hash.size() - last_dollar - 1 != kDigestChars) return true;
  if (!SodiumReady()) return true;
  // 0: same algorithm and cost; 1: different cost; -1: malformed.
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost.ops_limit, cost.mem_limit_bytes) != 0;
}

}  // namespace cutroom::server::auth
