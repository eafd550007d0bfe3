/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

void hn_vlogf(const struct hn_log_sink *sink, enum hn_log_level level,
	      const char *fmt, va_list ap)
{
	char line[512];

	if (!sink || !sink->fn)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	/*
	 * One message is one line: names and file text quoted into a message
	 * must not smuggle in a line break or a terminal escape.
	 */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	sink->fn(sink->ctx, level, line);
}

void hn_logf(const struct hn_log_sink *sink, enum hn_log_level level,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hn_vlogf(sink, level, fmt, ap);
	va_end(ap);
}

uint64_t hn_int_sqrt(uint64_t x)
{
	uint64_t r = 0, bit;

	if (x <= 1)
		return x;
	/* Digit-by-digit method: exact for the whole 64-bit range. */
	bit = 1ULL << (hn_ilog2(x) & ~1u);
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

int hn_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;
	int digits = 0;

	if (!s || !out)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		while (isxdigit((unsigned char)*p)) {
			unsigned int d = isdigit((unsigned char)*p) ?
				(unsigned int)(*p - '0') :
				(unsigned int)(tolower((unsigned char)*p) - 'a' + 10);
			if (v > (UINT64_MAX >> 4))
				return -EINVAL;
			v = (v << 4) | d;
			p++;
			digits++;
		}
	} else {
		while (isdigit((unsigned char)*p)) {
			unsigned int d = (unsigned int)(*p - '0');
			if (v > (UINT64_MAX - d) / 10)
				return -EINVAL;
			v = v * 10 + d;
			p++;
			digits++;
		}
	}
	if (!digits)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	switch (toupper((unsigned char)*p)) {
	case 'K': mult = HN_KiB; p++; break;
	case 'M': mult = HN_MiB; p++; break;
	case 'G': mult = HN_GiB; p++; break;
	case 'T': mult = HN_TiB; p++; break;
	case 'P': mult = 1024 * HN_TiB; p++; break;
	case 'B': p++; goto tail;
	default: break;
	}
	if (mult != 1) {
		if (*p == 'i' || *p == 'I')
			p++;
		if (*p == 'B' || *p == 'b')
			p++;
	}
tail:
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -EINVAL;
	if (v && mult > UINT64_MAX / v)
		return -EINVAL;
	*out = v * mult;
	return 0;
}

const char *hn_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned int u = 0;

	while (u + 1 < HN_ARRAY_SIZE(unit) && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", bytes, unit[u]);
	return buf;
}

static int parse_uint(const char **pp, unsigned long *out)
{
	const char *p = *pp;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		if (v > 100000000UL)
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
		p++;
	}
	*pp = p;
	*out = v;
	return 0;
}

int hn_parse_idlist(const char *s, uint64_t *bits, unsigned int nbits)
{
	const char *p = s;

	if (!s || !bits)
		return -EINVAL;
	memset(bits, 0, ((nbits + 63) / 64) * sizeof(uint64_t));
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return 0;
	for (;;) {
		unsigned long a, b;

		if (parse_uint(&p, &a))
			return -EINVAL;
		b = a;
		if (*p == '-') {
			p++;
			if (parse_uint(&p, &b))
				return -EINVAL;
		}
		if (b < a || b >= nbits)
			return -EINVAL;
		for (unsigned long i = a; i <= b; i++)
			hn_bit_set(bits, (unsigned int)i);
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			return 0;
		if (*p != ',')
			return -EINVAL;
		p++;
		while (isspace((unsigned char)*p))
			p++;
	}
}

int hn_snprint_idlist(char *buf, size_t len, const uint64_t *bits, uint64_t nbits)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (uint64_t i = 0; i < nbits; i++) {
		uint64_t j = i;
		char *at = n < len ? buf + n : NULL;
		size_t room = n < len ? len - n : 0;
		int w;

		if (!hn_bit_test(bits, (unsigned int)i))
			continue;
		while (j + 1 < nbits && hn_bit_test(bits, (unsigned int)(j + 1)))
			j++;
		w = j > i ? snprintf(at, room, "%s%" PRIu64 "-%" PRIu64, n ? "," : "", i, j) :
			    snprintf(at, room, "%s%" PRIu64, n ? "," : "", i);
		if (w < 0)
			return -EINVAL;
		n += (size_t)w;
		i = j;
	}
	return n > INT_MAX ? -EINVAL : (int)n;
}

const char *hn_format_idlist(const uint64_t *bits, unsigned int nbits,
			     char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i = 0;

	if (len)
		buf[0] = '\0';
	while (i < nbits) {
		unsigned int j;
		int n;

		if (!hn_bit_test(bits, i)) {
			i++;
			continue;
		}
		j = i;
		while (j + 1 < nbits && hn_bit_test(bits, j + 1))
			j++;
		if (j == i)
			n = snprintf(buf + off, len > off ? len - off : 0, "%s%u",
				     off ? "," : "", i);
		else
			n = snprintf(buf + off, len > off ? len - off : 0, "%s%u-%u",
				     off ? "," : "", i, j);
		if (n < 0 || (size_t)n >= (len > off ? len - off : 0))
			break;
		off += (size_t)n;
		i = j + 1;
	}
	return buf;
}

unsigned int hn_bitmap_weight(const uint64_t *bits, unsigned int nbits)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < nbits / 64; i++)
		w += (unsigned int)__builtin_popcountll(bits[i]);
	if (nbits % 64)
		w += (unsigned int)__builtin_popcountll(bits[nbits / 64] &
							((1ULL << (nbits % 64)) - 1));
	return w;
}

void hn_strlcpy(char *dst, const char *src, size_t n)
{
	size_t l;

	if (!n)
		return;
	l = src ? strlen(src) : 0;
	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(dst, src, l);
	dst[l] = '\0';
}

/*
 * Levenshtein distance, one row of the table at a time; words longer than
 * 63 bytes are compared on their first 63 (they are never a near miss of a
 * key or a directive).
 */
static unsigned int edit_distance(const char *a, const char *b)
{
	unsigned int row[64], la = (unsigned int)HN_MIN(strlen(a), (size_t)63),
			      lb = (unsigned int)HN_MIN(strlen(b), (size_t)63);

	for (unsigned int j = 0; j <= lb; j++)
		row[j] = j;
	for (unsigned int i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = i;
		for (unsigned int j = 1; j <= lb; j++) {
			unsigned int up = row[j];
			unsigned int best = diag + (a[i - 1] != b[j - 1]);

			best = HN_MIN(best, up + 1);
			best = HN_MIN(best, row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *hn_nearest_word(const char *word, const char *const *words, size_t n)
{
	const char *best = NULL;
	unsigned int best_d = UINT32_MAX, len = (unsigned int)strlen(word);
	/* a third of the word, at least one edit: "workingset" -> "working-set" */
	unsigned int limit = HN_MAX(1u, HN_MIN(len, 63u) / 3);

	for (size_t i = 0; i < n && words[i]; i++) {
		unsigned int d = edit_distance(word, words[i]);

		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

const char *hn_size_word(uint64_t v, const char *bytes_suffix, char *buf, size_t len)
{
	static const struct {
		uint64_t mult;
		char suffix;
	} units[] = {
		{ HN_TiB * 1024, 'P' }, { HN_TiB, 'T' }, { HN_GiB, 'G' }, { HN_MiB, 'M' }, { HN_KiB, 'K' },
	};

	for (unsigned int i = 0; v && i < HN_ARRAY_SIZE(units); i++) {
		if (v % units[i].mult == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", v / units[i].mult, units[i].suffix);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64 "%s", v, bytes_suffix);
	return buf;
}

int hn_parse_uint(const char *s, uint64_t max, bool underscores, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int base = 10;
	int digits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		unsigned int d;

		if (underscores && *s == '_' && digits && s[1] && s[1] != '_')
			continue;
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EDOM;
		if (d > max || v > (max - d) / base)
			return -ERANGE;
		v = v * base + d;
		digits++;
	}
	if (!digits)
		return -EDOM;
	*out = v;
	return 0;
}
