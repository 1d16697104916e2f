// SHA-256 (FIPS 180-4), small and dependency-free: the step cache and the content-addressed
// artifact store key everything by it.
//
// Thread safety: a Sha256 object is used by one thread at a time; the free functions are safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "cutroom/cancel.h"
#include "cutroom/status.h"

namespace cutroom::jobs {

class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  void Update(std::string_view text) { Update(text.data(), text.size()); }
  // The digest as 64 lowercase hex characters. The object must not be used afterwards.
  std::string FinalHex();

 private:
  void Block(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string Sha256Hex(std::string_view data);

// Hashes a file's content. Errors name the path. `cancel` may be null.
Result<std::string> Sha256File(const std::string& path, const CancelToken* cancel = nullptr);

}  // namespace cutroom::jobs
