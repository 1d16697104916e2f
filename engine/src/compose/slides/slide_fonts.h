// Pango font maps for slides, pooled (see slide_fonts.cc for why they are never finalised).
// Internal to engine/src/compose/slides.
//
// Thread safety: LeaseFontMap may be called from any thread; a lease (and every Pango object made
// from its font map) is used by one thread at a time.
#pragma once

#include <pango/pango.h>

#include <string>

#include "cutroom/status.h"

namespace cutroom::compose {

struct PooledFontMap {
  PangoFontMap* map = nullptr;  // owned by the pool, never unreferenced
  std::string family;           // the font file's family; empty for the system map
};

// Lends a pooled font map to one render and gives it back on destruction.
// REQUIRES: every context and layout made from map() is destroyed before the lease.
class FontMapLease {
 public:
  FontMapLease() = default;
  FontMapLease(std::string key, PooledFontMap entry);
  FontMapLease(FontMapLease&& other) noexcept;
  FontMapLease& operator=(FontMapLease&& other) noexcept;  // gives back what this held
  FontMapLease(const FontMapLease&) = delete;
  FontMapLease& operator=(const FontMapLease&) = delete;
  ~FontMapLease();

  PangoFontMap* map() const { return entry_.map; }
  const std::string& family() const { return entry_.family; }

 private:
  std::string key_;
  PooledFontMap entry_;
};

// A font map for `font_file` (its own fontconfig configuration: system fonts plus the file), or
// for the system fonts when `font_file` is empty.
// Errors (InvalidArgument, naming the file): unreadable, or not a TrueType/OpenType font.
Result<FontMapLease> LeaseFontMap(const std::string& font_file);

}  // namespace cutroom::compose
