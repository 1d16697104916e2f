// Password hashing for user accounts: argon2id (libsodium's crypto_pwhash_str_alg) in the PHC
// string format ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carries its own salt and cost
// so that a stored hash verifies after the default cost changes.
//
// Initialisation: every function calls libsodium's sodium_init() itself. sodium_init() is
// idempotent and thread-safe (it takes libsodium's own lock), so there is no InitCrypto() for
// main() to remember and no global object here.
//
// Thread safety: every function is thread-safe and keeps no state between calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cutroom/status.h"

namespace cutroom::server::auth {

// Passwords outside [kMinPasswordBytes, kMaxPasswordBytes] bytes are refused by HashPassword.
// The upper bound keeps request bodies and hashing time bounded; it is far above any passphrase.
inline constexpr size_t kMinPasswordBytes = 8;
inline constexpr size_t kMaxPasswordBytes = 1024;

// Work factors of one hash: argon2id passes over memory and the memory used, in bytes.
struct PasswordCost {
  uint64_t ops_limit = 0;
  size_t mem_limit_bytes = 0;
};

// libsodium's interactive cost (crypto_pwhash_OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE: 2 passes,
// 64 MiB, well under a second). The production default for logins.
PasswordCost Interactive();

// libsodium's minimum cost (1 pass, 8 KiB). Only for tests: it offers no protection.
PasswordCost ForTests();

// Hashes `password` with argon2id at `cost` and a fresh random salt; returns the PHC string
// (starts with "$argon2id$", shorter than 128 bytes, printable ASCII).
// Errors: InvalidArgument when the password is shorter than kMinPasswordBytes or longer than
// kMaxPasswordBytes (the message names the rule, never the password) or when `cost` is below
// libsodium's minimum; ResourceExhausted when the memory for the hash cannot be allocated;
// Internal when libsodium cannot initialise.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);

// True when `password` matches `hash` (a string from HashPassword, any cost). False for a wrong
// password and for any malformed, truncated, empty or unsupported hash; never crashes. Runs in
// time independent of where the password differs.
bool VerifyPassword(std::string_view password, const std::string& hash);

// True when `hash` should be replaced by a new HashPassword(password, cost) after the next
// successful login: it is not argon2id, its cost differs from `cost`, or it is malformed.
bool PasswordNeedsRehash(const std::string& hash, const PasswordCost& cost);

}  // namespace cutroom::server::auth
