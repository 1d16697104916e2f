#include "cutroom/media_time.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>

namespace cutroom {
namespace {

__extension__ typedef __int128 i128;  // GCC/Clang extension; exact tick arithmetic

int64_t Clamp64(i128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

// a / b rounded as asked. REQUIRES: b > 0.
i128 DivRound(i128 a, i128 b, Rounding rounding) {
  i128 q = a / b;
  i128 r = a % b;
  if (r == 0) return q;
  if (r < 0) {  // make the remainder non-negative so q is the floor
    q -= 1;
    r += b;
  }
  switch (rounding) {
    case Rounding::kDown:
      return q;
    case Rounding::kUp:
      return q + 1;
    case Rounding::kNearest:
    case Rounding::kInvalid:
      return (2 * r >= b) ? q + 1 : q;
  }
  return q;
}

// Parses an unsigned decimal "123.456" into an exact fraction; false on anything else.
bool ParseDecimal(std::string_view s, int64_t* num, int64_t* den) {
  if (s.empty()) return false;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  i128 n = 0, d = 1;
  bool seen_dot = false, seen_digit = false;
  for (char c : s) {
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    seen_digit = true;
    n = n * 10 + (c - '0');
    if (seen_dot) d *= 10;
    if (n > std::numeric_limits<int64_t>::max() / 10 ||
        d > std::numeric_limits<int64_t>::max() / 10) {
      return false;
    }
  }
  if (!seen_digit) return false;
  *num = static_cast<int64_t>(negative ? -n : n);
  *den = static_cast<int64_t>(d);
  return true;
}

}  // namespace

Rational Rational::Make(int64_t num, int64_t den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int64_t g = std::gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  return Rational{num, den};
}

std::string Rational::ToString() const {
  if (den == 1) return std::to_string(num);
  return std::to_string(num) + "/" + std::to_string(den);
}

Result<Rational> Rational::Parse(std::string_view text) {
  auto slash = text.find('/');
  int64_t n = 0, d = 1;
  if (slash == std::string_view::npos) {
    if (!ParseDecimal(text, &n, &d)) {
      return InvalidArgumentError("not a number: '" + std::string(text) + "'");
    }
    return Rational::Make(n, d);
  }
  int64_t n1, d1, n2, d2;
  if (!ParseDecimal(text.substr(0, slash), &n1, &d1) ||
      !ParseDecimal(text.substr(slash + 1), &n2, &d2) || d1 != 1 || d2 != 1) {
    return InvalidArgumentError("not a fraction of integers: '" + std::string(text) + "'");
  }
  if (n2 == 0) return InvalidArgumentError("zero denominator in '" + std::string(text) + "'");
  return Rational::Make(n1, n2);
}

std::strong_ordering Rational::operator<=>(const Rational& o) const {
  i128 a = static_cast<i128>(num) * o.den;
  i128 b = static_cast<i128>(o.num) * den;
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

MediaTime MediaTime::FromSecondsApprox(double seconds) {
  return MediaTime(static_cast<int64_t>(std::llround(seconds * 1e6)), {1, 1000000});
}

Result<MediaTime> MediaTime::Parse(std::string_view text) {
  auto r = Rational::Parse(text);
  if (!r.ok()) return InvalidArgumentError("not a time in seconds: '" + std::string(text) + "'");
  return FromRational(*r);
}

int64_t MediaTime::Rescale(Rational base, Rounding rounding) const {
  // ticks * tb.num / tb.den = x * base.num / base.den  =>  x = ticks * tb.num * base.den / (tb.den
  // * base.num)
  i128 num = static_cast<i128>(ticks_) * time_base_.num * base.den;
  i128 den = static_cast<i128>(time_base_.den) * base.num;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  return Clamp64(DivRound(num, den, rounding));
}

Rational MediaTime::Seconds() const {
  i128 num = static_cast<i128>(ticks_) * time_base_.num;
  i128 den = time_base_.den;
  // Reduce in 128 bits, then narrow.
  i128 a = num < 0 ? -num : num, b = den;
  while (b != 0) {
    i128 t = a % b;
    a = b;
    b = t;
  }
  if (a > 1) {
    num /= a;
    den /= a;
  }
  return Rational{Clamp64(num), Clamp64(den)};
}

double MediaTime::ToSeconds() const {
  return static_cast<double>(ticks_) * time_base_.num / static_cast<double>(time_base_.den);
}

std::string MediaTime::ToString() const {
  Rational s = Seconds();
  // Finite decimal form exists when den has only factors 2 and 5.
  int64_t d = s.den;
  int places = 0;
  i128 scale = 1;
  while (places <= 9 && scale % d != 0) {
    scale *= 10;
    ++places;
  }
  if (places > 9) return s.ToString();
  i128 scaled = static_cast<i128>(s.num) * (scale / d);
  bool negative = scaled < 0;
  if (negative) scaled = -scaled;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(scaled % 10)));
    scaled /= 10;
  } while (scaled > 0);
  while (static_cast<int>(digits.size()) <= places) digits.insert(digits.begin(), '0');
  if (places > 0) digits.insert(digits.end() - places, '.');
  return negative ? "-" + digits : digits;
}

namespace {
Rational CommonBase(Rational a, Rational b) {
  if (a == b) return a;
  // Finest base that represents both exactly: 1 / lcm(a.den/a.num...) kept simple for the
  // common case of time bases of the form 1/N.
  if (a.num == 1 && b.num == 1) {
    i128 l = std::lcm(static_cast<int64_t>(a.den), static_cast<int64_t>(b.den));
    if (l <= std::numeric_limits<int64_t>::max()) return Rational{1, static_cast<int64_t>(l)};
  }
  return Rational{1, static_cast<int64_t>(1000000000)};
}
}  // namespace

MediaTime MediaTime::operator+(const MediaTime& o) const {
  Rational base = CommonBase(time_base_, o.time_base_);
  return MediaTime(Rescale(base) + o.Rescale(base), base);
}

MediaTime MediaTime::operator-(const MediaTime& o) const {
  Rational base = CommonBase(time_base_, o.time_base_);
  return MediaTime(Rescale(base) - o.Rescale(base), base);
}

std::strong_ordering MediaTime::operator<=>(const MediaTime& o) const {
  i128 a = static_cast<i128>(ticks_) * time_base_.num * o.time_base_.den;
  i128 b = static_cast<i128>(o.ticks_) * o.time_base_.num * time_base_.den;
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

}  // namespace cutroom
