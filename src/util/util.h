/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * util.h - small helpers shared by every layer (below src/hw in the stack).
 *
 * Nothing here holds state: logging formats into a caller's sink, the math
 * helpers are pure.  Keep it that way; per-instance state lives in hn_sim.
 */
#ifndef HN_UTIL_H
#define HN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hnuma/log.h>

#define HN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HN_MIN(a, b) ((a) < (b) ? (a) : (b))
#define HN_MAX(a, b) ((a) > (b) ? (a) : (b))
#define HN_CLAMP(v, lo, hi) HN_MIN(HN_MAX((v), (lo)), (hi))

#define HN_KiB (1024ULL)
#define HN_MiB (1024ULL * HN_KiB)
#define HN_GiB (1024ULL * HN_MiB)
#define HN_TiB (1024ULL * HN_GiB)

#if defined(__GNUC__)
#define HN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define hn_likely(x) __builtin_expect(!!(x), 1)
#define hn_unlikely(x) __builtin_expect(!!(x), 0)
#else
#define HN_PRINTF(f, a)
#define hn_likely(x) (x)
#define hn_unlikely(x) (x)
#endif

/* Format one line into @sink; a NULL sink or a sink without fn drops it. */
void hn_logf(const struct hn_log_sink *sink, enum hn_log_level level,
	     const char *fmt, ...) HN_PRINTF(3, 4);
void hn_vlogf(const struct hn_log_sink *sink, enum hn_log_level level,
	      const char *fmt, va_list ap) HN_PRINTF(3, 0);

static inline bool hn_is_power_of_2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Round down/up to a power-of-two @align (callers check the power). */
static inline uint64_t hn_align_down(uint64_t x, uint64_t align)
{
	return x & ~(align - 1);
}

static inline uint64_t hn_align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) & ~(align - 1);
}

static inline unsigned int hn_ilog2(uint64_t x)
{
	return 63u - (unsigned int)__builtin_clzll(x | 1);
}

/* The integer square root the kernel's int_sqrt() computes: floor(sqrt(x)). */
uint64_t hn_int_sqrt(uint64_t x);

/*
 * Parse a size with an optional binary suffix: "4096", "64K", "16M", "2G",
 * "1T", "1GiB", "512MB" (decimal suffixes are treated as binary, as QEMU and
 * the kernel command line do).  Returns 0 or -EINVAL; overflow is -EINVAL.
 */
HN_EXPORT int hn_parse_size(const char *s, uint64_t *out);

/*
 * A whole number as written: decimal or 0x hex, no sign, no suffix, with
 * '_' allowed between digits when @underscores (YAML 1.1), at most @max.
 * 0; -EDOM not such a number (empty too); -ERANGE above @max.
 */
int hn_parse_uint(const char *s, uint64_t max, bool underscores, uint64_t *out);

/* Format @bytes as "64 GiB", "512 MiB", "4 KiB" or "123 B" into @buf. */
const char *hn_format_size(uint64_t bytes, char *buf, size_t len);

/*
 * @v with the largest binary suffix that divides it exactly ("16G", "4K";
 * "1P" and up in P), else the plain number followed by @bytes_suffix ("" or
 * "B"): the form hn_parse_size() reads back.
 */
const char *hn_size_word(uint64_t v, const char *bytes_suffix, char *buf, size_t len);

/*
 * A list of non-negative integers such as "0-3,8,10-11" (the kernel's
 * cpulist/nodelist syntax) into a bitmap of @nbits bits.  Returns 0, or
 * -EINVAL for a syntax error, a reversed range or an id >= @nbits.
 */
int hn_parse_idlist(const char *s, uint64_t *bits, unsigned int nbits);

/*
 * The set bits of a bitmap of @nbits bits as an id list ("0-3,8"; "" when
 * none), snprintf style: at most @len bytes are written, NUL included
 * (@buf may be NULL when @len is 0), and the return value is the length
 * of the whole list, or -EINVAL when that exceeds INT_MAX.
 */
int hn_snprint_idlist(char *buf, size_t len, const uint64_t *bits, uint64_t nbits);

/* Print a bitmap as a compact id list ("0-3,8") into @buf; "" when empty. */
const char *hn_format_idlist(const uint64_t *bits, unsigned int nbits,
			     char *buf, size_t len);

static inline bool hn_bit_test(const uint64_t *bits, unsigned int i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static inline void hn_bit_set(uint64_t *bits, unsigned int i)
{
	bits[i / 64] |= 1ULL << (i % 64);
}

static inline void hn_bit_clear(uint64_t *bits, unsigned int i)
{
	bits[i / 64] &= ~(1ULL << (i % 64));
}

unsigned int hn_bitmap_weight(const uint64_t *bits, unsigned int nbits);

/*
 * The word of @words (@n of them, or up to a NULL) nearest to @word by edit
 * distance, if it is near enough to be a typo of it (at most a third of its
 * letters differ); NULL otherwise.  The first of equally near words wins.
 */
const char *hn_nearest_word(const char *word, const char *const *words, size_t n);

/* Duplicate at most @n bytes of @s into a fixed buffer, always terminated. */
void hn_strlcpy(char *dst, const char *src, size_t n);

#endif /* HN_UTIL_H */
