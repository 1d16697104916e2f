#include "compose/slides/slide_fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace cutroom::compose {
namespace {

struct FcConfigRelease {
  void operator()(FcConfig* config) const { FcConfigDestroy(config); }
};
using FcConfigPtr = std::unique_ptr<FcConfig, FcConfigRelease>;

// Font maps are pooled for the life of the process and never finalised. Pango 1.50 finalising a
// font map while its fontconfig worker thread still holds patterns of it crashes that thread
// (SIGFPE in g_hash_table_lookup on the freed patterns table; seen about 1 run in 50 with a font
// map per slide). A font map serves one thread at a time (Pango objects are not thread-safe), so
// each key holds as many maps as there were concurrent renders; reuse also keeps glyph caches warm.
// Keys: "" for the system configuration; for a font file, its path, size and mtime, so an edited
// file gets a new map.
class FontMapPool {
 public:
  std::optional<PooledFontMap> Take(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<PooledFontMap>& free = free_[key];
    if (free.empty()) return std::nullopt;
    PooledFontMap entry = free.back();
    free.pop_back();
    return entry;
  }
  void Give(const std::string& key, PooledFontMap entry) {
    std::lock_guard<std::mutex> lock(mu_);
    free_[key].push_back(std::move(entry));
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<PooledFontMap>> free_;
};

FontMapPool& Pool() {
  static FontMapPool* pool = new FontMapPool;  // never destroyed: see FontMapPool
  return *pool;
}

// A new font map; with `file`, over a private fontconfig configuration (system fonts plus the
// file) so the process-wide configuration is never changed.
Result<PooledFontMap> NewFontMap(const std::string& file) {
  PooledFontMap entry;
  if (!file.empty()) {
    FcConfigPtr config(FcInitLoadConfigAndFonts());
    if (config == nullptr) return InternalError("fontconfig failed to load its configuration");
    if (FcConfigAppFontAddFile(config.get(), reinterpret_cast<const FcChar8*>(file.c_str()))) {
      FcFontSet* app = FcConfigGetFonts(config.get(), FcSetApplication);
      for (int i = 0; app != nullptr && i < app->nfont && entry.family.empty(); ++i) {
        FcChar8* name = nullptr;
        if (FcPatternGetString(app->fonts[i], FC_FAMILY, 0, &name) == FcResultMatch) {
          entry.family = reinterpret_cast<const char*>(name);
        }
      }
    }
    if (entry.family.empty()) {
      return InvalidArgumentError("SlideStyle.font_file '" + file +
                                  "' is not a TrueType/OpenType font");
    }
    entry.map = pango_cairo_font_map_new();
    if (!PANGO_IS_FC_FONT_MAP(entry.map)) {
      g_object_unref(entry.map);
      return UnimplementedError("font files need Pango's fontconfig backend");
    }
    // The font map takes its own reference to the configuration.
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(entry.map), config.get());
  } else {
    entry.map = pango_cairo_font_map_new();
  }
  return entry;
}

}  // namespace

FontMapLease::FontMapLease(std::string key, PooledFontMap entry)
    : key_(std::move(key)), entry_(std::move(entry)) {}

FontMapLease::FontMapLease(FontMapLease&& other) noexcept
    : key_(std::move(other.key_)), entry_(std::exchange(other.entry_, {})) {}

FontMapLease& FontMapLease::operator=(FontMapLease&& other) noexcept {
  std::swap(key_, other.key_);
  std::swap(entry_, other.entry_);
  return *this;
}

FontMapLease::~FontMapLease() {
  if (entry_.map != nullptr) Pool().Give(key_, std::move(entry_));
}

Result<FontMapLease> LeaseFontMap(const std::string& font_file) {
  std::string key;
  if (!font_file.empty()) {
    struct stat st {};
    if (stat(font_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        access(font_file.c_str(), R_OK) != 0) {
      return InvalidArgumentError("SlideStyle.font_file '" + font_file + "' cannot be read");
    }
    key = font_file + "\n" + std::to_string(st.st_size) + "\n" + std::to_string(st.st_mtim.tv_sec) +
          "." + std::to_string(st.st_mtim.tv_nsec);
  }
  std::optional<PooledFontMap> entry = Pool().Take(key);
  if (!entry.has_value()) {
    CR_ASSIGN_OR_RETURN(entry, NewFontMap(font_file));
  }
  return FontMapLease(std::move(key), std::move(*entry));
}

}  // namespace cutroom::compose
