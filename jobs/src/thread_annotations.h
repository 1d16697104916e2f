// Clang thread-safety annotations (no-ops with GCC, checked with clang -Wthread-safety).
#pragma once

#if defined(__clang__)
#define CR_GUARDED_BY(x) __attribute__((guarded_by(x)))
#define CR_REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define CR_EXCLUDES(...) __attribute__((locks_excluded(__VA_ARGS__)))
#else
#define CR_GUARDED_BY(x)
#define CR_REQUIRES(...)
#define CR_EXCLUDES(...)
#endif
