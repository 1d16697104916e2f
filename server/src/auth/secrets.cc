#include "auth/secrets.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace cutroom::server::auth {
namespace {

// See secrets.h: without a working CSPRNG there is no safe token to return.
void RequireSodium() {
  if (sodium_init() < 0) {
    std::fputs("cutroom: libsodium failed to initialise; refusing to issue tokens\n", stderr);
    std::abort();
  }
}

}  // namespace

std::string RandomToken(size_t bytes) {
  if (bytes == 0) return std::string();
  RequireSodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  // sodium_base64_ENCODED_LEN counts the terminating NUL.
  std::string encoded(sodium_base64_ENCODED_LEN(bytes, kVariant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), raw.data(), raw.size(), kVariant);
  sodium_memzero(raw.data(), raw.size());
  encoded.resize(encoded.size() - 1);
  return encoded;
}

std::string Sha256Hex(std::string_view data) {
  // SHA-256 needs no random source and no CPU dispatch, so it works even if initialisation fails.
  if (sodium_init() < 0) {
    // Nothing to do: see above.
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  static const unsigned char kEmpty = 0;
  const unsigned char* in =
      data.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(data.data());
  crypto_hash_sha256(digest, in, data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cutroom::server::auth
