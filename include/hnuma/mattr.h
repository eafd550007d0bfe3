/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/mattr.h - hierarchical-NUMA memory attributes (the "mattr" word of
 * ../shared/seeds/hierarchical-numa-slides.txt).
 *
 * A memory attribute word describes memory by six properties, each a level
 * from 1 (worst) to 16 (best), in 4-bit fields at the slides' shifts:
 *
 *   latency 0, bandwidth 4, reliability 8, power 12, device compute 16,
 *   density 20
 *
 * A field stores level - 1, so that the 4 bits hold all sixteen levels; the
 * bits above the fields (24 + property) say which properties are present.
 * A word of 0 therefore means "no attributes" (ordinary memory, or a request
 * that asks for none), and memory that has attributes has all six present.
 * "Best" is the direction a user wants: level 16 latency is the lowest
 * latency, level 16 power the lowest power, and so on (docs/hardware.md
 * gives the quantisation from device figures).
 *
 * The cumulative value of a word is the sum of the levels of its present
 * properties (6..96 for memory); attribute nodes are keyed by it.
 *
 * Requests carry attributes in the upper half of hn_gfp_t: the same six
 * 4-bit fields at bit 32 and the presence bits at bit 56, so that
 * GFP_LATENCY_n and friends compose with the kernel's flags by |.
 */
#ifndef HNUMA_MATTR_H
#define HNUMA_MATTR_H

#include <stdbool.h>
#include <stdint.h>

#include <hnuma/export.h>
#include <hnuma/gfp.h>

HN_BEGIN_DECLS

typedef uint32_t hn_mattr_t;

enum hn_mattr_prop {
	HN_MATTR_LATENCY,
	HN_MATTR_BANDWIDTH,
	HN_MATTR_RELIABILITY,
	HN_MATTR_POWER,
	HN_MATTR_COMPUTE,
	HN_MATTR_DENSITY,
	HN_MATTR_NR_PROPS,
};

#define HN_MATTR_LEVELS 16
#define HN_MATTR_FIELD_SHIFT(p) (4u * (unsigned int)(p))
#define HN_MATTR_PRESENT_SHIFT 24u
#define HN_MATTR_PRESENT(p) (1u << (HN_MATTR_PRESENT_SHIFT + (unsigned int)(p)))
#define HN_MATTR_ALL_PRESENT (0x3fu << HN_MATTR_PRESENT_SHIFT)

/* The slides' names for the shifts. */
#define MEM_LATENCY_SHIFT 0
#define MEM_BANDWIDTH_SHIFT 4
#define MEM_RELIABILITY_SHIFT 8
#define MEM_POWERVALUE_SHIFT 12
#define MEM_DEVICECOMPUTE_SHIFT 16
#define MEM_DENSITY_SHIFT 20

/*
 * One property at @level (1..16), as a word with only that property
 * present; 0 (no attribute) for a level out of range or an unknown property.
 */
static inline hn_mattr_t hn_mattr_prop(enum hn_mattr_prop p, unsigned int level)
{
	if (level < 1 || level > HN_MATTR_LEVELS || (unsigned int)p >= HN_MATTR_NR_PROPS)
		return 0;
	return HN_MATTR_PRESENT(p) | ((hn_mattr_t)(level - 1) << HN_MATTR_FIELD_SHIFT(p));
}

/* The level (1..16) of @p in @m, or 0 when @p is not present. */
static inline unsigned int hn_mattr_level(hn_mattr_t m, enum hn_mattr_prop p)
{
	if (!(m & HN_MATTR_PRESENT(p)))
		return 0;
	return ((m >> HN_MATTR_FIELD_SHIFT(p)) & 0xf) + 1;
}

/*
 * A well-formed word: nothing above the presence bits, and no level bits
 * for a property that is not present.  Every word this header builds is.
 */
static inline bool hn_mattr_valid(hn_mattr_t m)
{
	hn_mattr_t allowed = HN_MATTR_ALL_PRESENT;

	for (unsigned int p = 0; p < HN_MATTR_NR_PROPS; p++)
		if (m & HN_MATTR_PRESENT(p))
			allowed |= (hn_mattr_t)0xf << HN_MATTR_FIELD_SHIFT(p);
	return !(m & ~allowed);
}

/* The request half of hn_gfp_t. */
#define HN_GFP_MATTR_SHIFT 32
#define __GFP_MATTR_MASK ((hn_gfp_t)0x3fffffffULL << HN_GFP_MATTR_SHIFT)
/*
 * __GFP_MATTR_FALLBACK: a request with attributes may fall back to ordinary
 * memory when no attribute node can serve it.  Without it, such a request
 * fails rather than land on memory without the attributes asked for.
 */
#define __GFP_MATTR_FALLBACK ((hn_gfp_t)1 << 62)

static inline hn_gfp_t hn_gfp_mattr(enum hn_mattr_prop p, unsigned int level)
{
	return (hn_gfp_t)hn_mattr_prop(p, level) << HN_GFP_MATTR_SHIFT;
}

/* The attribute request carried by @gfp (0: none). */
static inline hn_mattr_t hn_gfp_to_mattr(hn_gfp_t gfp)
{
	return (hn_mattr_t)((gfp & __GFP_MATTR_MASK) >> HN_GFP_MATTR_SHIFT);
}

#define GFP_LATENCY(n) hn_gfp_mattr(HN_MATTR_LATENCY, (n))
#define GFP_BANDWIDTH(n) hn_gfp_mattr(HN_MATTR_BANDWIDTH, (n))
#define GFP_RELIABILITY(n) hn_gfp_mattr(HN_MATTR_RELIABILITY, (n))
#define GFP_POWERVALUE(n) hn_gfp_mattr(HN_MATTR_POWER, (n))
#define GFP_DEVICECOMP(n) hn_gfp_mattr(HN_MATTR_COMPUTE, (n))
#define GFP_DENSITY(n) hn_gfp_mattr(HN_MATTR_DENSITY, (n))

/*
 * The cumulative value: the sum of the levels of the present properties
 * (0 for a word without attributes).
 */
HN_EXPORT unsigned int hn_mattr_cumulative(hn_mattr_t m);

/* Number of properties present in @m. */
HN_EXPORT unsigned int hn_mattr_nr_props(hn_mattr_t m);

/*
 * A word from six levels (0 means "absent").  -EINVAL for a level above 16
 * or a NULL @levels or output.
 */
HN_EXPORT int hn_mattr_make(const unsigned int levels[HN_MATTR_NR_PROPS], hn_mattr_t *out);

/*
 * The attribute word of a memory device, from its figures, by the
 * documented quantisation (docs/hardware.md): latency and power on a
 * log2 scale (lower is better), bandwidth, compute and density on a log2
 * scale (higher is better), reliability as given (1..16).  A device's
 * explicit mattr wins when set.  Returns the word (never 0: every device
 * has all six properties).  A NULL @d counts as a device that gives no
 * figure: level 8 for each property, 1 for compute.
 */
struct hn_memdev_desc;
HN_EXPORT hn_mattr_t hn_mattr_from_memdev(const struct hn_memdev_desc *d);

/* The property's name ("latency", "bandwidth", ...), or NULL. */
HN_EXPORT const char *hn_mattr_prop_name(enum hn_mattr_prop p);

/*
 * Text: "lat=14,bw=10,rel=12,pwr=8,cmp=1,den=8" for present properties,
 * "none" for 0.  Returns @buf, truncated to @len and terminated when short;
 * a NULL @buf or @len 0 is returned untouched.
 */
HN_EXPORT const char *hn_mattr_format(hn_mattr_t m, char *buf, unsigned long len);

/*
 * Parse the same text (properties in any order, names "lat"/"latency",
 * "bw"/"bandwidth", "rel"/"reliability", "pwr"/"power", "cmp"/"compute",
 * "den"/"density").  0 or -EINVAL (NULL, an unknown property, a level
 * outside 1..16, empty text, a trailing comma, a property given twice).
 */
HN_EXPORT int hn_mattr_parse(const char *s, hn_mattr_t *out);

HN_END_DECLS

#endif /* HNUMA_MATTR_H */
