// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mattr.c - the hierarchical-NUMA attribute word: cumulative value, text
 * form, and the quantisation of a device's figures into six levels.
 *
 * DOC: Quantisation (hn_mattr_from_memdev)
 *
 * Each figure goes on a half-octave scale: one level per factor sqrt(2),
 * sixteen levels spanning eight octaves, clamped at both ends.  With a
 * reference R = 2^r for the property,
 *
 *   lower is better  (latency, power):
 *        level = 16 - clamp(ceil(2 * log2(x / R)), 0, 15)
 *        so x <= R is level 16, x in (R, R*sqrt2] is 15, ...
 *   higher is better (bandwidth, density):
 *        level = 1 + clamp(floor(2 * log2(x / R)), 0, 15)
 *        so x < R*sqrt2 is level 1, x in [R*sqrt2, 2R) is 2, ...
 *   compute: 0 (no compute beside the memory) is level 1; any compute is
 *        level = 2 + clamp(floor(2 * log2(x / R)), 0, 14)
 *
 * Because R is a power of two, 2 * log2(x / R) = log2(x^2) - 2r, and the
 * floor and ceiling of log2 of an integer are exact integer operations:
 *   floor(log2(y)) = ilog2(y),   ceil(log2(y)) = y == 1 ? 0 : ilog2(y - 1) + 1.
 * x is at most 2^32 - 1, so x^2 fits in 64 bits: no floating point, no
 * rounding, the same level on every host.  Every step is monotone, so a
 * better figure never gives a worse level.
 *
 *   property     figure                                   R            dir
 *   latency      read_latency_ns (+ compress.compress_ns   64 ns        lower
 *                on a compressing device: every access
 *                goes through its engine)
 *   bandwidth    read_bw_mbps                             8192 MB/s    higher
 *   power        power_mw_per_gib                         16 mW/GiB    lower
 *   compute      compute_gops                             1024 Gops    higher (0: level 1)
 *   density      density_gbit                             1 Gbit       higher
 *   reliability  reliability, already 1..16 (above 16 counts as 16)
 *
 * Read figures stand for the device, as the idle-latency and stream
 * figures the catalogue quotes are reads; write asymmetry (Optane) is the
 * access-cost model's business, not the attribute's.
 *
 * A figure of 0 means "not given": latency, bandwidth, power and density
 * then take level 8 (the middle of the scale, claiming neither), compute
 * takes level 1 (no compute), reliability takes the kind's default from
 * the ordinal table of docs/hardware.md (DRAM 13, HBM 11, NVDIMM 10, GPU 11,
 * CXL 12, compressing CXL 11).
 *
 * A device's explicit mattr wins property by property: each property
 * present in d->mattr keeps its level, the absent ones are derived as
 * above, so the result always has all six present.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <hnuma/hw.h>
#include <hnuma/mattr.h>

#include "util/util.h"

#define MATTR_FIELD_MASK(p) ((hn_mattr_t)0xf << HN_MATTR_FIELD_SHIFT(p))

/* The level a figure of 0 ("not given") takes, where no better guess exists. */
#define MATTR_UNKNOWN_LEVEL 8

/* log2 of the reference R of each scale (see DOC above). */
#define LAT_REF_LOG2 6		/* 64 ns: level 16 at or below */
#define BW_REF_LOG2 13		/* 8192 MB/s: level 1 below R * sqrt2 */
#define PWR_REF_LOG2 4		/* 16 mW/GiB: level 16 at or below */
#define CMP_REF_LOG2 10		/* 1024 Gops: level 2 below R * sqrt2 */
#define DEN_REF_LOG2 0		/* 1 Gbit: level 1 below R * sqrt2 */

static const char *const prop_names[HN_MATTR_NR_PROPS] = {
	[HN_MATTR_LATENCY] = "latency",
	[HN_MATTR_BANDWIDTH] = "bandwidth",
	[HN_MATTR_RELIABILITY] = "reliability",
	[HN_MATTR_POWER] = "power",
	[HN_MATTR_COMPUTE] = "compute",
	[HN_MATTR_DENSITY] = "density",
};

/* The short names of the text form, in property order. */
static const char *const prop_short[HN_MATTR_NR_PROPS] = {
	[HN_MATTR_LATENCY] = "lat",
	[HN_MATTR_BANDWIDTH] = "bw",
	[HN_MATTR_RELIABILITY] = "rel",
	[HN_MATTR_POWER] = "pwr",
	[HN_MATTR_COMPUTE] = "cmp",
	[HN_MATTR_DENSITY] = "den",
};

/*
 * Reliability of a device that gives none: the ordinal table of
 * docs/hardware.md applied to what the kind usually is.
 */
static const uint8_t kind_reliability[HN_MEM_NR_KINDS] = {
	[HN_MEM_DRAM] = 13,		/* ECC RDIMM */
	[HN_MEM_HBM] = 11,		/* ECC, on-package (MCDRAM-like) */
	[HN_MEM_NVDIMM] = 10,		/* wearing media with ECC and remapping */
	[HN_MEM_GPU] = 11,		/* ECC with page retirement */
	[HN_MEM_CXL] = 12,		/* ECC plus link CRC/retry */
	[HN_MEM_CXL_COMPRESSED] = 11,	/* as CXL, plus metadata that can corrupt */
};

unsigned int hn_mattr_cumulative(hn_mattr_t m)
{
	unsigned int sum = 0;

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		sum += hn_mattr_level(m, (enum hn_mattr_prop)p);
	return sum;
}

unsigned int hn_mattr_nr_props(hn_mattr_t m)
{
	return (unsigned int)__builtin_popcount(m & HN_MATTR_ALL_PRESENT);
}

int hn_mattr_make(const unsigned int levels[HN_MATTR_NR_PROPS], hn_mattr_t *out)
{
	hn_mattr_t m = 0;

	if (!levels || !out)
		return -EINVAL;
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		if (levels[p] > HN_MATTR_LEVELS)
			return -EINVAL;
		if (levels[p])
			m |= hn_mattr_prop((enum hn_mattr_prop)p, levels[p]);
	}
	*out = m;
	return 0;
}

/* floor(2 * log2(x)) for x >= 1, exactly: floor(log2(x^2)). */
static int half_log2_floor(uint32_t x)
{
	return (int)hn_ilog2((uint64_t)x * x);
}

/* ceil(2 * log2(x)) for x >= 1, exactly: ceil(log2(x^2)). */
static int half_log2_ceil(uint32_t x)
{
	uint64_t sq = (uint64_t)x * x;

	return sq == 1 ? 0 : (int)hn_ilog2(sq - 1) + 1;
}

/* Lower is better: 16 at or below 2^ref_log2, one level less per sqrt2. */
static unsigned int level_lower_better(uint32_t x, int ref_log2)
{
	int steps;

	if (!x)
		return MATTR_UNKNOWN_LEVEL;
	steps = half_log2_ceil(x) - 2 * ref_log2;
	return HN_MATTR_LEVELS - (unsigned int)HN_CLAMP(steps, 0, HN_MATTR_LEVELS - 1);
}

/* Higher is better: @lowest below 2^ref_log2 * sqrt2, one level more per sqrt2. */
static unsigned int level_higher_better(uint32_t x, int ref_log2, unsigned int lowest)
{
	int steps;

	steps = half_log2_floor(x) - 2 * ref_log2;
	return lowest + (unsigned int)HN_CLAMP(steps, 0, (int)(HN_MATTR_LEVELS - lowest));
}

/* The derived level of one property from the device's figures. */
static unsigned int memdev_level(const struct hn_memdev_desc *d, enum hn_mattr_prop p)
{
	uint64_t lat;

	switch (p) {
	case HN_MATTR_LATENCY:
		if (!d->read_latency_ns)
			return MATTR_UNKNOWN_LEVEL;
		lat = d->read_latency_ns;
		if (d->kind == HN_MEM_CXL_COMPRESSED)
			lat += d->compress.compress_ns;
		/* Clamping keeps the square in 64 bits and the scale monotone. */
		return level_lower_better((uint32_t)HN_MIN(lat, UINT32_MAX), LAT_REF_LOG2);
	case HN_MATTR_BANDWIDTH:
		if (!d->read_bw_mbps)
			return MATTR_UNKNOWN_LEVEL;
		return level_higher_better(d->read_bw_mbps, BW_REF_LOG2, 1);
	case HN_MATTR_RELIABILITY:
		if (d->reliability)
			return HN_MIN(d->reliability, HN_MATTR_LEVELS);
		if ((unsigned int)d->kind < HN_MEM_NR_KINDS)
			return kind_reliability[d->kind];
		return MATTR_UNKNOWN_LEVEL;
	case HN_MATTR_POWER:
		return level_lower_better(d->power_mw_per_gib, PWR_REF_LOG2);
	case HN_MATTR_COMPUTE:
		if (!d->compute_gops)
			return 1;
		return level_higher_better(d->compute_gops, CMP_REF_LOG2, 2);
	case HN_MATTR_DENSITY:
		if (!d->density_gbit)
			return MATTR_UNKNOWN_LEVEL;
		return level_higher_better(d->density_gbit, DEN_REF_LOG2, 1);
	case HN_MATTR_NR_PROPS:
		break;
	}
	return MATTR_UNKNOWN_LEVEL;
}

hn_mattr_t hn_mattr_from_memdev(const struct hn_memdev_desc *d)
{
	/*
	 * A NULL device has no figures: every property "not given".  Callers
	 * should not pass one, but the result must still be a full word.
	 */
	static const struct hn_memdev_desc none = { .kind = HN_MEM_NR_KINDS };
	hn_mattr_t m = 0;

	if (!d)
		d = &none;
	for (int i = 0; i < HN_MATTR_NR_PROPS; i++) {
		enum hn_mattr_prop p = (enum hn_mattr_prop)i;

		if (d->mattr & HN_MATTR_PRESENT(p))
			m |= HN_MATTR_PRESENT(p) | (d->mattr & MATTR_FIELD_MASK(p));
		else
			m |= hn_mattr_prop(p, memdev_level(d, p));
	}
	return m;
}

const char *hn_mattr_prop_name(enum hn_mattr_prop p)
{
	if ((unsigned int)p >= HN_MATTR_NR_PROPS)
		return NULL;
	return prop_names[p];
}

/*
 * Append @s to @buf at *@used, truncating; @buf stays terminated.  *@used
 * never passes len - 1, so later appends are no-ops once full.
 */
static void buf_append(char *buf, unsigned long len, unsigned long *used, const char *s)
{
	while (*s && *used + 1 < len)
		buf[(*used)++] = *s++;
	buf[*used] = '\0';
}

const char *hn_mattr_format(hn_mattr_t m, char *buf, unsigned long len)
{
	unsigned long used = 0;
	bool first = true;

	if (!buf || !len)
		return buf;
	buf[0] = '\0';
	/* Only present properties have text; without any, the word means none. */
	if (!(m & HN_MATTR_ALL_PRESENT)) {
		buf_append(buf, len, &used, "none");
		return buf;
	}
	for (int i = 0; i < HN_MATTR_NR_PROPS; i++) {
		enum hn_mattr_prop p = (enum hn_mattr_prop)i;
		unsigned int level = hn_mattr_level(m, p);
		char num[4];

		if (!level)
			continue;
		if (!first)
			buf_append(buf, len, &used, ",");
		first = false;
		buf_append(buf, len, &used, prop_short[p]);
		buf_append(buf, len, &used, "=");
		num[0] = (char)(level >= 10 ? '1' : '0' + level);
		num[1] = level >= 10 ? (char)('0' + level - 10) : '\0';
		num[2] = '\0';
		buf_append(buf, len, &used, num);
	}
	return buf;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does the name in [s, s + n) equal @word, ignoring case? */
static bool name_is(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lower(s[i]) != word[i])
			return false;
	return word[i] == '\0';
}

/*
 * The grammar, blanks (space, tab) allowed around every token:
 *   text  := "none" | item ("," item)*
 *   item  := name "=" level
 *   name  := a long or short property name, any case
 *   level := decimal 1..16
 * Every byte is looked at once, left to right, and nothing is written
 * until the whole text is good, so any input is safe and *out is left
 * alone on error.
 */
int hn_mattr_parse(const char *s, hn_mattr_t *out)
{
	hn_mattr_t m = 0;

	if (!s || !out)
		return -EINVAL;
	s = skip_blanks(s);
	if (name_is(s, 4, "none") && *skip_blanks(s + 4) == '\0') {
		*out = 0;
		return 0;
	}
	for (;;) {
		const char *name = s;
		size_t n = 0;
		unsigned int level = 0, digits = 0;
		int p;

		while ((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z'))
			n++;
		for (p = 0; p < HN_MATTR_NR_PROPS; p++)
			if (name_is(name, n, prop_short[p]) || name_is(name, n, prop_names[p]))
				break;
		if (!n || p == HN_MATTR_NR_PROPS)
			return -EINVAL;
		if (m & HN_MATTR_PRESENT(p))
			return -EINVAL;		/* a property given twice */
		s = skip_blanks(name + n);
		if (*s++ != '=')
			return -EINVAL;
		s = skip_blanks(s);
		/* Stop accumulating past 16 so that no digit string can overflow. */
		for (; *s >= '0' && *s <= '9'; s++, digits++)
			if (level <= HN_MATTR_LEVELS)
				level = level * 10 + (unsigned int)(*s - '0');
		if (!digits || level < 1 || level > HN_MATTR_LEVELS)
			return -EINVAL;
		m |= hn_mattr_prop((enum hn_mattr_prop)p, level);
		s = skip_blanks(s);
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return -EINVAL;
		s = skip_blanks(s);
	}
	*out = m;
	return 0;
}
