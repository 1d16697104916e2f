// Exact media times: integer ticks in a rational time base (like AVRational timestamps).
// Core APIs never use double seconds; ToSeconds() exists for display and for signal processing
// that is inherently approximate.
//
// Thread safety: value types.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "cutroom/status.h"

namespace cutroom {

// A reduced fraction with a positive denominator.
struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  // Reduces and normalises the sign. REQUIRES: den != 0.
  static Rational Make(int64_t num, int64_t den);
  double ToDouble() const { return static_cast<double>(num) / static_cast<double>(den); }
  // "30000/1001", or "30" when den == 1.
  std::string ToString() const;
  // Parses "30", "29.97", "30000/1001". Exact: "29.97" is 2997/100.
  static Result<Rational> Parse(std::string_view text);

  friend bool operator==(const Rational& a, const Rational& b) {
    return a.num == b.num && a.den == b.den;
  }
  std::strong_ordering operator<=>(const Rational& other) const;
};

enum class Rounding { kInvalid = 0, kDown, kUp, kNearest };

class MediaTime {
 public:
  MediaTime() = default;  // zero in 1/1
  MediaTime(int64_t ticks, Rational time_base) : ticks_(ticks), time_base_(time_base) {}

  static MediaTime Zero() { return MediaTime(); }
  static MediaTime FromMicroseconds(int64_t us) { return MediaTime(us, {1, 1000000}); }
  static MediaTime FromRational(Rational seconds) {
    return MediaTime(seconds.num, {1, seconds.den});
  }
  // Nearest microsecond; for values computed by signal processing.
  static MediaTime FromSecondsApprox(double seconds);
  // Parses exact decimal or fractional seconds: "12", "12.480", "1001/30000".
  static Result<MediaTime> Parse(std::string_view text);

  int64_t ticks() const { return ticks_; }
  Rational time_base() const { return time_base_; }

  // Ticks of this time in `base`, rounded as asked. Uses 128-bit arithmetic: no overflow for
  // any time below 2^63 ticks of the coarser base.
  int64_t Rescale(Rational base, Rounding rounding = Rounding::kNearest) const;
  MediaTime ConvertTo(Rational base, Rounding rounding = Rounding::kNearest) const {
    return MediaTime(Rescale(base, rounding), base);
  }
  // Exact value in seconds as a reduced fraction.
  Rational Seconds() const;
  double ToSeconds() const;
  int64_t ToMicroseconds() const { return Rescale({1, 1000000}); }
  // Exact: "12.48" when the value has a finite decimal form of up to 9 places, else "n/d".
  std::string ToString() const;

  // Exact arithmetic in a common base (the finer of the two when one divides the other, else
  // their product's reduced form).
  MediaTime operator+(const MediaTime& other) const;
  MediaTime operator-(const MediaTime& other) const;
  friend bool operator==(const MediaTime& a, const MediaTime& b) {
    return (a <=> b) == std::strong_ordering::equal;
  }
  std::strong_ordering operator<=>(const MediaTime& other) const;

 private:
  int64_t ticks_ = 0;
  Rational time_base_{1, 1};
};

}  // namespace cutroom
