// Random tokens, digests and comparisons for sessions, API keys and CSRF tokens.
//
// Initialisation: every function that needs libsodium calls sodium_init() itself (idempotent and
// thread-safe), as in password.h.
//
// Thread safety: every function is thread-safe and keeps no state between calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cutroom::server::auth {

// `bytes` bytes from libsodium's CSPRNG (the kernel's getrandom), encoded as URL-safe base64
// without padding: characters [A-Za-z0-9_-], length ceil(4 * bytes / 3). 32 bytes gives a
// 43-character token with 256 bits of entropy. RandomToken(0) is "".
// Aborts the process when libsodium cannot initialise: a server without a secure random source
// must not issue predictable tokens, and there is no safe value to return instead.
std::string RandomToken(size_t bytes);

// SHA-256 of `data` as 64 lower-case hex digits. Used to store tokens by digest, so that a leaked
// table of sessions or API keys cannot be replayed.
std::string Sha256Hex(std::string_view data);

// True when `a` and `b` hold the same bytes. The time taken depends on the lengths only, never on
// where the contents differ (sodium_memcmp); a length mismatch returns at once, so compare values
// of a fixed public length (digests, tokens of one size).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace cutroom::server::auth
