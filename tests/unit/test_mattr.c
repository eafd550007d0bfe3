/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_mattr.c - the hierarchical-NUMA attribute word (CMocka): encoding
 * at the slides' shifts, cumulative values, GFP requests, the text form and
 * its parser, and the quantisation of device figures (docs/hardware.md,
 * "Hierarchical-NUMA attributes (mattr)").
 *
 * Random scenarios draw from splitmix64; a failure prints the seed and
 * HN_TEST_SEED=<seed> replays it.  Only the public API is used.
 */
#include "hn_test.h"

#include <errno.h>
#include <inttypes.h>

#include <hnuma/hw.h>
#include <hnuma/mattr.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define FMT_LEN 64

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(splitmix64(s) % n);
}

static uint64_t random_seed(void)
{
	const char *e = getenv("HN_TEST_SEED");

	return e && *e ? strtoull(e, NULL, 0) : 0x6d61747472ull;	/* "mattr" */
}

/* A canonical word: a random subset of properties at random levels. */
static hn_mattr_t random_word(uint64_t *s)
{
	unsigned int levels[HN_MATTR_NR_PROPS];
	hn_mattr_t m;

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		levels[p] = rnd(s, 3) ? 1 + rnd(s, HN_MATTR_LEVELS) : 0;
	assert_int_equal(hn_mattr_make(levels, &m), 0);
	return m;
}

/* A device with every figure given, mid-range; tests change one at a time. */
static struct hn_memdev_desc figures(void)
{
	struct hn_memdev_desc d = {
		.kind = HN_MEM_DRAM,
		.size = 1ull << 30,
		.read_latency_ns = 100,
		.write_latency_ns = 100,
		.read_bw_mbps = 100000,
		.write_bw_mbps = 100000,
		.power_mw_per_gib = 200,
		.reliability = 13,
		.density_gbit = 16,
		.compute_gops = 0,
	};

	return d;
}

static unsigned int level_of(const struct hn_memdev_desc *d, enum hn_mattr_prop p)
{
	return hn_mattr_level(hn_mattr_from_memdev(d), p);
}

/*
 * The fields sit at the slides' shifts, 4 bits each, storing level - 1;
 * the presence bits are 24 + property.
 *
 *   bit  31..30  29..24    23..20 19..16 15..12 11..8 7..4 3..0
 *        unused  present   den    cmp    pwr    rel   bw   lat
 *
 * Expect every (property, level) to encode and decode exactly there.
 */
static void mattr_encoding_at_slides_shifts(void **state)
{
	(void)state;
	assert_int_equal(HN_MATTR_FIELD_SHIFT(HN_MATTR_LATENCY), MEM_LATENCY_SHIFT);
	assert_int_equal(HN_MATTR_FIELD_SHIFT(HN_MATTR_BANDWIDTH), MEM_BANDWIDTH_SHIFT);
	assert_int_equal(HN_MATTR_FIELD_SHIFT(HN_MATTR_RELIABILITY), MEM_RELIABILITY_SHIFT);
	assert_int_equal(HN_MATTR_FIELD_SHIFT(HN_MATTR_POWER), MEM_POWERVALUE_SHIFT);
	assert_int_equal(HN_MATTR_FIELD_SHIFT(HN_MATTR_COMPUTE), MEM_DEVICECOMPUTE_SHIFT);
	assert_int_equal(HN_MATTR_FIELD_SHIFT(HN_MATTR_DENSITY), MEM_DENSITY_SHIFT);
	assert_int_equal(HN_MATTR_ALL_PRESENT, 0x3f000000u);
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		enum hn_mattr_prop prop = (enum hn_mattr_prop)p;

		assert_int_equal(HN_MATTR_PRESENT(prop), 1u << (24 + p));
		for (unsigned int l = 1; l <= HN_MATTR_LEVELS; l++) {
			hn_mattr_t m = hn_mattr_prop(prop, l);

			assert_int_equal(m, (1u << (24 + p)) | ((l - 1) << (4 * p)));
			assert_int_equal(hn_mattr_level(m, prop), l);
			for (int q = 0; q < HN_MATTR_NR_PROPS; q++)
				if (q != p)
					assert_int_equal(hn_mattr_level(m, (enum hn_mattr_prop)q), 0);
		}
	}
	/* A field without its presence bit is not a level. */
	assert_int_equal(hn_mattr_level(0xfu, HN_MATTR_LATENCY), 0);
	assert_int_equal(hn_mattr_level(0, HN_MATTR_DENSITY), 0);
}

/*
 * Cumulative value and property count: the sum of present levels.
 * Expect 0 for no attributes, 6 for all six at level 1, 96 for all at 16,
 * and the plain sum for random words.
 */
static void mattr_cumulative_values(void **state)
{
	unsigned int ones[HN_MATTR_NR_PROPS] = { 1, 1, 1, 1, 1, 1 };
	unsigned int top[HN_MATTR_NR_PROPS] = { 16, 16, 16, 16, 16, 16 };
	unsigned int some[HN_MATTR_NR_PROPS] = { 14, 0, 12, 0, 0, 8 };
	hn_mattr_t m;
	uint64_t s = random_seed();

	(void)state;
	assert_int_equal(hn_mattr_cumulative(0), 0);
	assert_int_equal(hn_mattr_nr_props(0), 0);
	assert_int_equal(hn_mattr_make(ones, &m), 0);
	assert_int_equal(m, HN_MATTR_ALL_PRESENT);
	assert_int_equal(hn_mattr_cumulative(m), 6);
	assert_int_equal(hn_mattr_nr_props(m), 6);
	assert_int_equal(hn_mattr_make(top, &m), 0);
	assert_int_equal(m, HN_MATTR_ALL_PRESENT | 0xffffffu);
	assert_int_equal(hn_mattr_cumulative(m), 96);
	assert_int_equal(hn_mattr_make(some, &m), 0);
	assert_int_equal(hn_mattr_cumulative(m), 34);
	assert_int_equal(hn_mattr_nr_props(m), 3);
	/* Field bits of absent properties do not count. */
	assert_int_equal(hn_mattr_cumulative(0x00ffffffu), 0);
	assert_int_equal(hn_mattr_nr_props(0xc0000000u), 0);

	for (int i = 0; i < 10000; i++) {
		unsigned int lv[HN_MATTR_NR_PROPS], sum = 0, nr = 0;

		for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
			lv[p] = rnd(&s, HN_MATTR_LEVELS + 1);
			sum += lv[p];
			nr += lv[p] != 0;
		}
		assert_int_equal(hn_mattr_make(lv, &m), 0);
		if (hn_mattr_cumulative(m) != sum || hn_mattr_nr_props(m) != nr)
			fail_msg("word %#x: cumulative %u (want %u), props %u (want %u); "
				 "replay: HN_TEST_SEED=%#" PRIx64, m, hn_mattr_cumulative(m), sum,
				 hn_mattr_nr_props(m), nr, random_seed());
		if (nr == HN_MATTR_NR_PROPS)
			assert_in_range(hn_mattr_cumulative(m), 6, 96);
	}
}

/*
 * A request: GFP_LATENCY(3) | GFP_DENSITY(16) | GFP_KERNEL.
 *
 *   63   62        61..56    55..32 (fields)    31..0
 *   -    FALLBACK  present   den=16 ... lat=3   GFP_KERNEL
 *
 * Expect the kernel bits intact, the request to decode to exactly the two
 * properties, and every GFP_<prop>(n) to stay inside __GFP_MATTR_MASK.
 */
static void mattr_gfp_request_round_trip(void **state)
{
	hn_gfp_t gfp = GFP_LATENCY(3) | GFP_DENSITY(16) | GFP_KERNEL;
	hn_mattr_t want = hn_gfp_to_mattr(gfp);

	(void)state;
	assert_true((gfp & 0xffffffffull) == GFP_KERNEL);
	assert_true((gfp & ~__GFP_MATTR_MASK) == GFP_KERNEL);
	assert_int_equal(want, hn_mattr_prop(HN_MATTR_LATENCY, 3) |
			       hn_mattr_prop(HN_MATTR_DENSITY, 16));
	assert_int_equal(hn_mattr_nr_props(want), 2);
	assert_int_equal(hn_mattr_level(want, HN_MATTR_LATENCY), 3);
	assert_int_equal(hn_mattr_level(want, HN_MATTR_DENSITY), 16);
	assert_int_equal(hn_mattr_level(want, HN_MATTR_BANDWIDTH), 0);
	assert_int_equal(hn_mattr_cumulative(want), 19);
	assert_int_equal(hn_gfp_to_mattr(GFP_KERNEL), 0);
	assert_int_equal(hn_gfp_to_mattr(GFP_KERNEL | __GFP_MATTR_FALLBACK), 0);
	assert_true((__GFP_MATTR_FALLBACK & __GFP_MATTR_MASK) == 0);
	assert_true((__GFP_MATTR_MASK & 0xffffffffull) == 0);

	for (int p = 0; p < HN_MATTR_NR_PROPS; p++) {
		for (unsigned int l = 1; l <= HN_MATTR_LEVELS; l++) {
			hn_gfp_t g = hn_gfp_mattr((enum hn_mattr_prop)p, l);

			assert_true((g & ~__GFP_MATTR_MASK) == 0);
			assert_int_equal(hn_gfp_to_mattr(g | GFP_KERNEL),
					 hn_mattr_prop((enum hn_mattr_prop)p, l));
		}
	}
	/* Six properties at once: the whole word survives the round trip. */
	gfp = GFP_LATENCY(16) | GFP_BANDWIDTH(1) | GFP_RELIABILITY(7) | GFP_POWERVALUE(9) |
	      GFP_DEVICECOMP(2) | GFP_DENSITY(12) | GFP_KERNEL | __GFP_MATTR_FALLBACK;
	want = hn_gfp_to_mattr(gfp);
	assert_int_equal(hn_mattr_nr_props(want), 6);
	assert_int_equal(hn_mattr_cumulative(want), 16 + 1 + 7 + 9 + 2 + 12);
	assert_true((hn_gfp_t)want << HN_GFP_MATTR_SHIFT ==
		    (gfp & ~(hn_gfp_t)GFP_KERNEL & ~__GFP_MATTR_FALLBACK));
}

/*
 * hn_mattr_make() rejects a level above 16 and NULL pointers.
 * Expect -EINVAL and the output untouched.
 */
static void mattr_make_errors(void **state)
{
	unsigned int bad[HN_MATTR_NR_PROPS] = { 1, 2, 3, 4, 5, 17 };
	unsigned int big[HN_MATTR_NR_PROPS] = { 0xffffffffu, 0, 0, 0, 0, 0 };
	unsigned int ok[HN_MATTR_NR_PROPS] = { 0 };
	hn_mattr_t m = 0x1234;

	(void)state;
	assert_int_equal(hn_mattr_make(bad, &m), -EINVAL);
	assert_int_equal(hn_mattr_make(big, &m), -EINVAL);
	assert_int_equal(m, 0x1234);
	assert_int_equal(hn_mattr_make(NULL, &m), -EINVAL);
	assert_int_equal(hn_mattr_make(ok, NULL), -EINVAL);
	assert_int_equal(m, 0x1234);
	assert_int_equal(hn_mattr_make(ok, &m), 0);
	assert_int_equal(m, 0);
}

/*
 * Names: long, and their absence beyond the six.
 * Expect the six documented names and NULL out of range.
 */
static void mattr_prop_names(void **state)
{
	static const char *const want[] = {
		"latency", "bandwidth", "reliability", "power", "compute", "density",
	};

	(void)state;
	for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
		assert_string_equal(hn_mattr_prop_name((enum hn_mattr_prop)p), want[p]);
	assert_null(hn_mattr_prop_name(HN_MATTR_NR_PROPS));
	assert_null(hn_mattr_prop_name((enum hn_mattr_prop)-1));
	assert_null(hn_mattr_prop_name((enum hn_mattr_prop)1000));
}

/*
 * The text form of fixed words.
 * Expect the documented spelling, properties in field order, "none" for 0
 * and for a word whose only bits are fields of absent properties.
 */
static void mattr_format_fixed(void **state)
{
	unsigned int lv[HN_MATTR_NR_PROPS] = { 14, 10, 12, 8, 1, 8 };
	unsigned int top[HN_MATTR_NR_PROPS] = { 16, 16, 16, 16, 16, 16 };
	char buf[FMT_LEN];
	hn_mattr_t m;

	(void)state;
	assert_int_equal(hn_mattr_make(lv, &m), 0);
	assert_ptr_equal(hn_mattr_format(m, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "lat=14,bw=10,rel=12,pwr=8,cmp=1,den=8");
	assert_string_equal(hn_mattr_format(0, buf, sizeof(buf)), "none");
	assert_string_equal(hn_mattr_format(0x00abcdefu, buf, sizeof(buf)), "none");
	assert_string_equal(hn_mattr_format(hn_mattr_prop(HN_MATTR_DENSITY, 16), buf, sizeof(buf)),
			    "den=16");
	/* The longest text: 40 characters. */
	assert_int_equal(hn_mattr_make(top, &m), 0);
	assert_string_equal(hn_mattr_format(m, buf, sizeof(buf)),
			    "lat=16,bw=16,rel=16,pwr=16,cmp=16,den=16");
	assert_int_equal(strlen(buf), 40);
	/* Bits 30..31 are outside the word's meaning and are not printed. */
	assert_string_equal(hn_mattr_format(m | 0xc0000000u, buf, sizeof(buf)),
			    "lat=16,bw=16,rel=16,pwr=16,cmp=16,den=16");
}

/*
 * Buffer edges: every length from 0 to 45 for the longest text and for
 * "none", with a canary after the buffer.
 * Expect no byte written at or past len, a terminated prefix of the full
 * text whenever len > 0, and a NULL buffer returned as NULL.
 */
static void mattr_format_buffer_edges(void **state)
{
	unsigned int top[HN_MATTR_NR_PROPS] = { 16, 16, 16, 16, 16, 16 };
	hn_mattr_t words[2] = { 0, 0 };
	char full[FMT_LEN], buf[FMT_LEN + 8];

	(void)state;
	assert_int_equal(hn_mattr_make(top, &words[1]), 0);
	for (int w = 0; w < 2; w++) {
		hn_mattr_format(words[w], full, sizeof(full));
		for (unsigned long len = 0; len <= 45; len++) {
			memset(buf, '#', sizeof(buf));
			assert_ptr_equal(hn_mattr_format(words[w], buf, len), buf);
			for (unsigned long i = len; i < sizeof(buf); i++)
				assert_int_equal(buf[i], '#');
			if (!len)
				continue;
			assert_non_null(memchr(buf, '\0', len));
			assert_int_equal(strlen(buf), MIN(len - 1, strlen(full)));
			assert_memory_equal(buf, full, strlen(buf));
		}
	}
	assert_null(hn_mattr_format(words[1], NULL, 64));
	assert_null(hn_mattr_format(0, NULL, 0));
}

/*
 * Round trips over 20000 random words: format, parse back; and the same
 * properties written with long or short names in a shuffled order with
 * blanks.  Expect the word back every time.
 */
static void mattr_format_parse_round_trip(void **state)
{
	static const char *const longn[] = {
		"latency", "bandwidth", "reliability", "power", "compute", "density",
	};
	static const char *const shortn[] = { "lat", "bw", "rel", "pwr", "cmp", "den" };
	uint64_t s = random_seed() ^ 0x70617273ull;
	char buf[FMT_LEN], text[256];
	hn_mattr_t m, back;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		int order[HN_MATTR_NR_PROPS], n = 0;
		size_t used = 0;

		m = random_word(&s);
		hn_mattr_format(m, buf, sizeof(buf));
		back = ~0u;
		if (hn_mattr_parse(buf, &back) || back != m)
			fail_msg("'%s' parsed to %#x, want %#x; replay: HN_TEST_SEED=%#" PRIx64,
				 buf, back, m, random_seed());

		for (int p = 0; p < HN_MATTR_NR_PROPS; p++)
			if (hn_mattr_level(m, (enum hn_mattr_prop)p))
				order[n++] = p;
		for (int k = n; k > 1; k--) {
			int j = (int)rnd(&s, (unsigned int)k), t = order[k - 1];

			order[k - 1] = order[j];
			order[j] = t;
		}
		if (!n)
			used += (size_t)snprintf(text, sizeof(text), "%s", rnd(&s, 2) ? "none" : " NONE ");
		for (int k = 0; k < n; k++) {
			const char *name = rnd(&s, 2) ? longn[order[k]] : shortn[order[k]];

			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s%s=%s%u",
						 k ? "," : "", rnd(&s, 4) ? "" : " ", name,
						 rnd(&s, 4) ? "" : "\t",
						 hn_mattr_level(m, (enum hn_mattr_prop)order[k]));
		}
		back = ~0u;
		if (hn_mattr_parse(text, &back) || back != m)
			fail_msg("'%s' parsed to %#x, want %#x; replay: HN_TEST_SEED=%#" PRIx64,
				 text, back, m, random_seed());
	}
}

/*
 * Every kind of bad text.
 * Expect -EINVAL and *out untouched for each; NULL text or output too.
 */
static void mattr_parse_errors(void **state)
{
	static const char *const bad[] = {
		"", " ", "\t", ",", "lat", "lat=", "=3", "lat=0", "lat=17", "lat=016x",
		"lat=99999999999999999999999", "lat=-1", "lat=+1", "lat=1.5", "lat=0x3",
		"lat==1", "lat=1,", ",lat=1", "lat=1,,bw=2", "lat=1;bw=2", "lat=1 bw=2",
		"foo=1", "la=1", "late=1", "latencyy=1", "l=1", "lat=1,lat=2",
		"lat=1,latency=2", "den=3,bw=2,DEN=4", "none,lat=1", "lat=1,none", "nonee",
		"none x", "no", "non", "lat 1", "lat=1 x", "lat=1=2", "bw=16,cmp=", "\n",
		"lat=1\n", "lat=\xff", "\xc3\xa9=1", "cmp=1,,", "lat=1,bw=2,rel=3,pwr=4,cmp=5,den=6,lat=7",
	};
	hn_mattr_t m = 0xdeadbeefu;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (hn_mattr_parse(bad[i], &m) != -EINVAL)
			fail_msg("'%s' was accepted (%#x)", bad[i], m);
		assert_int_equal(m, 0xdeadbeefu);
	}
	assert_int_equal(hn_mattr_parse(NULL, &m), -EINVAL);
	assert_int_equal(hn_mattr_parse("lat=1", NULL), -EINVAL);
	assert_int_equal(m, 0xdeadbeefu);

	/* The good spellings next to them. */
	assert_int_equal(hn_mattr_parse("none", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(hn_mattr_parse("  lat = 016 ,  Bandwidth=1 ", &m), 0);
	assert_int_equal(m, hn_mattr_prop(HN_MATTR_LATENCY, 16) | hn_mattr_prop(HN_MATTR_BANDWIDTH, 1));
	assert_int_equal(hn_mattr_parse("den=3,bw=2,rel=4,pwr=5,cmp=6,lat=7", &m), 0);
	assert_int_equal(hn_mattr_cumulative(m), 27);
}

/*
 * Random bytes and mutated good texts, 50000 of each.
 * Expect no crash (run under the sanitizers), and whatever parses to
 * format back into text that parses to the same word.
 */
static void mattr_parse_never_crashes(void **state)
{
	static const char alphabet[] = "latbwrelpwrcmpdennoe=,0123456789 \tLAT16";
	uint64_t s = random_seed() ^ 0xf022ull;
	char text[48], buf[FMT_LEN];
	hn_mattr_t m, again;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		unsigned int n = rnd(&s, sizeof(text));

		if (i & 1) {
			for (unsigned int k = 0; k < n; k++)
				text[k] = (char)(1 + rnd(&s, 255));
		} else {
			for (unsigned int k = 0; k < n; k++)
				text[k] = alphabet[rnd(&s, sizeof(alphabet) - 1)];
		}
		text[n] = '\0';
		if (i % 4 == 2) {
			/* A good text with one byte changed or cut short. */
			hn_mattr_format(random_word(&s), text, sizeof(text));
			n = (unsigned int)strlen(text);
			if (rnd(&s, 2))
				text[rnd(&s, n)] = alphabet[rnd(&s, sizeof(alphabet) - 1)];
			else
				text[rnd(&s, n + 1)] = '\0';
		}
		if (hn_mattr_parse(text, &m))
			continue;
		hn_mattr_format(m, buf, sizeof(buf));
		if (hn_mattr_parse(buf, &again) || again != m)
			fail_msg("'%s' -> %#x -> '%s' does not round-trip; replay: HN_TEST_SEED=%#" PRIx64,
				 text, m, buf, random_seed());
	}
}

/*
 * Monotonicity of every scale, swept over each figure's range with the
 * other figures fixed.
 * Expect: latency 1..20000 ns and power 1..10000 mW/GiB never raise the
 * level as they grow; bandwidth 1..4 TB/s (sampled), compute and density
 * never lower it; every word full (six properties).
 */
static void mattr_quantisation_monotone(void **state)
{
	struct hn_memdev_desc d = figures();
	unsigned int prev;

	(void)state;
	prev = 16;
	for (uint32_t x = 1; x <= 20000; x++) {
		unsigned int l;

		d.read_latency_ns = x;
		l = level_of(&d, HN_MATTR_LATENCY);
		if (l > prev)
			fail_msg("latency %u ns: level %u after %u", x, l, prev);
		prev = l;
	}
	assert_int_equal(prev, 1);
	d = figures();
	prev = 16;
	for (uint32_t x = 1; x <= 10000; x++) {
		unsigned int l;

		d.power_mw_per_gib = x;
		l = level_of(&d, HN_MATTR_POWER);
		if (l > prev)
			fail_msg("power %u mW/GiB: level %u after %u", x, l, prev);
		prev = l;
	}
	assert_int_equal(prev, 1);
	d = figures();
	prev = 1;
	for (uint32_t x = 1; x <= 4000000; x += 1 + x / 1024) {
		unsigned int l;

		d.read_bw_mbps = x;
		l = level_of(&d, HN_MATTR_BANDWIDTH);
		if (l < prev)
			fail_msg("bandwidth %u MB/s: level %u after %u", x, l, prev);
		prev = l;
	}
	assert_int_equal(prev, 16);
	d = figures();
	prev = 1;
	for (uint32_t x = 0; x <= 300000; x++) {
		unsigned int l;

		d.compute_gops = x;
		l = level_of(&d, HN_MATTR_COMPUTE);
		if (l < prev)
			fail_msg("compute %u Gops: level %u after %u", x, l, prev);
		prev = l;
	}
	assert_int_equal(prev, 16);
	d = figures();
	prev = 1;
	for (uint32_t x = 1; x <= 1024; x++) {
		unsigned int l;

		d.density_gbit = x;
		l = level_of(&d, HN_MATTR_DENSITY);
		if (l < prev)
			fail_msg("density %u Gbit: level %u after %u", x, l, prev);
		prev = l;
	}
	assert_int_equal(prev, 16);
	d = figures();
	prev = 1;
	for (uint32_t x = 1; x <= 40; x++) {
		unsigned int l;

		d.reliability = x;
		l = level_of(&d, HN_MATTR_RELIABILITY);
		assert_true(l >= prev);
		assert_int_equal(l, MIN(x, 16u));
		prev = l;
	}
	/* The extremes of the field widths stay in range. */
	d = figures();
	d.read_latency_ns = UINT32_MAX;
	d.read_bw_mbps = UINT32_MAX;
	d.power_mw_per_gib = UINT32_MAX;
	d.compute_gops = UINT32_MAX;
	d.density_gbit = UINT32_MAX;
	d.reliability = UINT32_MAX;
	assert_int_equal(hn_mattr_from_memdev(&d),
			 hn_mattr_prop(HN_MATTR_LATENCY, 1) | hn_mattr_prop(HN_MATTR_BANDWIDTH, 16) |
			 hn_mattr_prop(HN_MATTR_RELIABILITY, 16) | hn_mattr_prop(HN_MATTR_POWER, 1) |
			 hn_mattr_prop(HN_MATTR_COMPUTE, 16) | hn_mattr_prop(HN_MATTR_DENSITY, 16));
	d.read_latency_ns = d.power_mw_per_gib = 1;
	d.read_bw_mbps = d.compute_gops = d.density_gbit = d.reliability = 1;
	assert_int_equal(hn_mattr_from_memdev(&d),
			 hn_mattr_prop(HN_MATTR_LATENCY, 16) | hn_mattr_prop(HN_MATTR_BANDWIDTH, 1) |
			 hn_mattr_prop(HN_MATTR_RELIABILITY, 1) | hn_mattr_prop(HN_MATTR_POWER, 16) |
			 hn_mattr_prop(HN_MATTR_COMPUTE, 2) | hn_mattr_prop(HN_MATTR_DENSITY, 1));
}

/*
 * The scale boundaries, as docs/hardware.md tabulates them: for a
 * lower-is-better figure the largest value of each level, for a
 * higher-is-better one the smallest.  An independent oracle (x^2 against
 * R^2 * 2^n, the definition squared) is checked over every value too.
 * Expect each boundary value to take its level and its neighbour the next.
 */
static unsigned int oracle_lower(uint64_t x, uint64_t ref)
{
	unsigned int n = 0;

	while (n < 15 && x * x > (ref * ref) << n)
		n++;
	return 16 - n;
}

static unsigned int oracle_higher(uint64_t x, uint64_t ref, unsigned int lowest)
{
	unsigned int n = 0;

	while (n < 16 - lowest && x * x >= (ref * ref) << (n + 1))
		n++;
	return lowest + n;
}

static void mattr_quantisation_boundaries(void **state)
{
	/* Largest latency (ns) / power (mW/GiB) of levels 16, 15, ..., 2. */
	static const uint32_t lat_max[15] = {
		64, 90, 128, 181, 256, 362, 512, 724, 1024, 1448, 2048, 2896, 4096, 5792, 8192,
	};
	static const uint32_t pwr_max[15] = {
		16, 22, 32, 45, 64, 90, 128, 181, 256, 362, 512, 724, 1024, 1448, 2048,
	};
	/* Smallest bandwidth (MB/s) of levels 2..16. */
	static const uint32_t bw_min[15] = {
		11586, 16384, 23171, 32768, 46341, 65536, 92682, 131072, 185364, 262144,
		370728, 524288, 741456, 1048576, 1482911,
	};
	/* Smallest compute (Gops) of levels 3..16 (any compute is level 2). */
	static const uint32_t cmp_min[14] = {
		1449, 2048, 2897, 4096, 5793, 8192, 11586, 16384, 23171, 32768, 46341, 65536,
		92682, 131072,
	};
	/* Smallest density (Gbit) of levels 2..16. */
	static const uint32_t den_min[15] = {
		2, 2, 3, 4, 6, 8, 12, 16, 23, 32, 46, 64, 91, 128, 182,
	};
	struct hn_memdev_desc d = figures();

	(void)state;
	for (unsigned int i = 0; i < 15; i++) {
		d = figures();
		d.read_latency_ns = lat_max[i];
		assert_int_equal(level_of(&d, HN_MATTR_LATENCY), 16 - i);
		d.read_latency_ns = lat_max[i] + 1;
		assert_int_equal(level_of(&d, HN_MATTR_LATENCY), 15 - i);
		d.power_mw_per_gib = pwr_max[i];
		assert_int_equal(level_of(&d, HN_MATTR_POWER), 16 - i);
		d.power_mw_per_gib = pwr_max[i] + 1;
		assert_int_equal(level_of(&d, HN_MATTR_POWER), 15 - i);
		d.read_bw_mbps = bw_min[i];
		assert_int_equal(level_of(&d, HN_MATTR_BANDWIDTH), 2 + i);
		d.read_bw_mbps = bw_min[i] - 1;
		assert_int_equal(level_of(&d, HN_MATTR_BANDWIDTH), 1 + i);
		/* Density 2 already reaches level 3 (2 log2 2 = 2); skip level 2. */
		if (i != 0) {
			d.density_gbit = den_min[i];
			assert_int_equal(level_of(&d, HN_MATTR_DENSITY), 2 + i);
			d.density_gbit = den_min[i] - 1;
			assert_int_equal(level_of(&d, HN_MATTR_DENSITY), 1 + i - (i == 1));
		}
		if (i < 14) {
			d.compute_gops = cmp_min[i];
			assert_int_equal(level_of(&d, HN_MATTR_COMPUTE), 3 + i);
			d.compute_gops = cmp_min[i] - 1;
			assert_int_equal(level_of(&d, HN_MATTR_COMPUTE), 2 + i);
		}
	}

	for (uint32_t x = 1; x <= 20000; x++) {
		d = figures();
		d.read_latency_ns = x;
		d.power_mw_per_gib = x;
		d.density_gbit = x;
		d.compute_gops = x * 10;
		d.read_bw_mbps = x * 100;
		if (level_of(&d, HN_MATTR_LATENCY) != oracle_lower(x, 64) ||
		    level_of(&d, HN_MATTR_POWER) != oracle_lower(x, 16) ||
		    level_of(&d, HN_MATTR_DENSITY) != oracle_higher(x, 1, 1) ||
		    level_of(&d, HN_MATTR_COMPUTE) != oracle_higher(x * 10ull, 1024, 2) ||
		    level_of(&d, HN_MATTR_BANDWIDTH) != oracle_higher(x * 100ull, 8192, 1))
			fail_msg("figure %u disagrees with the oracle", x);
	}
}

/*
 * Figures of 0 ("not given"): latency, bandwidth, power, density take the
 * middle level 8, compute takes 1, reliability the kind's default; a
 * compressing device's engine latency counts; NULL is a device without
 * figures.  Expect exactly those levels.
 */
static void mattr_quantisation_defaults(void **state)
{
	static const unsigned int kind_rel[HN_MEM_NR_KINDS] = {
		[HN_MEM_DRAM] = 13, [HN_MEM_HBM] = 11, [HN_MEM_NVDIMM] = 10,
		[HN_MEM_GPU] = 11, [HN_MEM_CXL] = 12, [HN_MEM_CXL_COMPRESSED] = 11,
	};
	struct hn_memdev_desc d;
	hn_mattr_t m;

	(void)state;
	for (int k = 0; k < HN_MEM_NR_KINDS; k++) {
		memset(&d, 0, sizeof(d));
		d.kind = (enum hn_mem_kind)k;
		m = hn_mattr_from_memdev(&d);
		assert_int_equal(hn_mattr_nr_props(m), 6);
		assert_int_equal(hn_mattr_level(m, HN_MATTR_LATENCY), 8);
		assert_int_equal(hn_mattr_level(m, HN_MATTR_BANDWIDTH), 8);
		assert_int_equal(hn_mattr_level(m, HN_MATTR_POWER), 8);
		assert_int_equal(hn_mattr_level(m, HN_MATTR_DENSITY), 8);
		assert_int_equal(hn_mattr_level(m, HN_MATTR_COMPUTE), 1);
		assert_int_equal(hn_mattr_level(m, HN_MATTR_RELIABILITY), kind_rel[k]);
	}
	m = hn_mattr_from_memdev(NULL);
	assert_int_equal(hn_mattr_nr_props(m), 6);
	assert_int_equal(hn_mattr_level(m, HN_MATTR_RELIABILITY), 8);
	memset(&d, 0, sizeof(d));
	d.kind = (enum hn_mem_kind)77;
	assert_int_equal(level_of(&d, HN_MATTR_RELIABILITY), 8);

	/* 250 ns alone is level 12; with a 300 ns engine, 550 ns is level 9. */
	d = figures();
	d.read_latency_ns = 250;
	d.compress.compress_ns = 300;
	assert_int_equal(level_of(&d, HN_MATTR_LATENCY), 12);
	d.kind = HN_MEM_CXL_COMPRESSED;
	assert_int_equal(level_of(&d, HN_MATTR_LATENCY), 9);
	d.compress.compress_ns = UINT32_MAX;
	d.read_latency_ns = UINT32_MAX;
	assert_int_equal(level_of(&d, HN_MATTR_LATENCY), 1);
	/* Writes do not count. */
	d = figures();
	d.write_latency_ns = 100000;
	d.write_bw_mbps = 1;
	assert_int_equal(hn_mattr_from_memdev(&d), hn_mattr_from_memdev(&(struct hn_memdev_desc){
		.kind = HN_MEM_DRAM, .read_latency_ns = 100, .read_bw_mbps = 100000,
		.power_mw_per_gib = 200, .reliability = 13, .density_gbit = 16 }));
}

/*
 * An explicit d->mattr wins property by property.
 * Expect a full explicit word back unchanged, a partial one completed from
 * the figures, and field bits of absent properties ignored.
 */
static void mattr_explicit_word_wins(void **state)
{
	struct hn_memdev_desc d = figures();
	hn_mattr_t derived = hn_mattr_from_memdev(&d), m;
	unsigned int lv[HN_MATTR_NR_PROPS] = { 3, 4, 5, 6, 7, 9 };

	(void)state;
	assert_int_equal(hn_mattr_make(lv, &d.mattr), 0);
	assert_int_equal(hn_mattr_from_memdev(&d), d.mattr);

	d.mattr = hn_mattr_prop(HN_MATTR_COMPUTE, 16);
	m = hn_mattr_from_memdev(&d);
	assert_int_equal(hn_mattr_level(m, HN_MATTR_COMPUTE), 16);
	assert_int_equal(m & ~(HN_MATTR_PRESENT(HN_MATTR_COMPUTE) | (0xfu << 16)),
			 derived & ~(HN_MATTR_PRESENT(HN_MATTR_COMPUTE) | (0xfu << 16)));

	/* Field bits without presence (and bits 30..31) are noise. */
	d.mattr = 0xc0000f00u | hn_mattr_prop(HN_MATTR_LATENCY, 1);
	m = hn_mattr_from_memdev(&d);
	assert_int_equal(hn_mattr_level(m, HN_MATTR_LATENCY), 1);
	assert_int_equal(hn_mattr_level(m, HN_MATTR_RELIABILITY), 13);
	assert_int_equal(m & 0xc0000000u, 0);
	assert_int_equal(hn_mattr_nr_props(m), 6);
}

/*
 * The built-in machines, device by device, as the table in
 * docs/hardware.md lists them.  Expect exactly these words, each with six
 * properties and a cumulative value in 6..96.
 */
static void mattr_builtin_machines_table(void **state)
{
	static const struct {
		const char *machine, *device, *text;
		unsigned int cum;
	} table[] = {
		{ "default", "s0-ddr5", "lat=14,bw=10,rel=14,pwr=10,cmp=1,den=9", 58 },
		{ "default", "s1-ddr5", "lat=14,bw=10,rel=14,pwr=10,cmp=1,den=9", 58 },
		{ "default", "s0-hbm2e", "lat=13,bw=14,rel=12,pwr=6,cmp=1,den=9", 55 },
		{ "default", "s1-hbm2e", "lat=13,bw=14,rel=12,pwr=6,cmp=1,den=9", 55 },
		{ "default", "cxl0-expander", "lat=12,bw=5,rel=12,pwr=10,cmp=1,den=9", 49 },
		{ "default", "cxl1-compress", "lat=9,bw=4,rel=11,pwr=8,cmp=1,den=9", 42 },
		{ "default", "gpu0-hbm3", "lat=10,bw=16,rel=11,pwr=7,cmp=14,den=9", 67 },
		{ "knl-flat", "ddr4", "lat=13,bw=7,rel=13,pwr=8,cmp=1,den=7", 49 },
		{ "knl-flat", "mcdram", "lat=13,bw=12,rel=11,pwr=5,cmp=1,den=5", 47 },
		{ "knl-cache", "ddr4", "lat=13,bw=7,rel=13,pwr=8,cmp=1,den=7", 49 },
		{ "knl-hybrid", "ddr4", "lat=13,bw=7,rel=13,pwr=8,cmp=1,den=7", 49 },
		{ "knl-hybrid", "mcdram-flat", "lat=13,bw=10,rel=11,pwr=5,cmp=1,den=5", 45 },
		{ "power9-v100", "chip0-ddr4", "lat=14,bw=9,rel=13,pwr=9,cmp=1,den=7", 53 },
		{ "power9-v100", "chip8-ddr4", "lat=14,bw=9,rel=13,pwr=9,cmp=1,den=7", 53 },
		{ "power9-v100", "gpu0-hbm2", "lat=10,bw=14,rel=11,pwr=7,cmp=9,den=7", 58 },
		{ "power9-v100", "gpu1-hbm2", "lat=10,bw=14,rel=11,pwr=7,cmp=9,den=7", 58 },
		{ "power9-v100", "gpu2-hbm2", "lat=10,bw=14,rel=11,pwr=7,cmp=9,den=7", 58 },
		{ "power9-v100", "gpu3-hbm2", "lat=10,bw=14,rel=11,pwr=7,cmp=9,den=7", 58 },
		{ "dram-nvdimm", "s0-ddr4", "lat=15,bw=8,rel=13,pwr=8,cmp=1,den=7", 52 },
		{ "dram-nvdimm", "s1-ddr4", "lat=15,bw=8,rel=13,pwr=8,cmp=1,den=7", 52 },
		{ "dram-nvdimm", "s0-pmem", "lat=11,bw=2,rel=10,pwr=10,cmp=1,den=15", 49 },
		{ "dram-nvdimm", "s1-pmem", "lat=11,bw=2,rel=10,pwr=10,cmp=1,den=15", 49 },
		{ "cxl-tiered", "s0-ddr5", "lat=14,bw=10,rel=14,pwr=10,cmp=1,den=9", 58 },
		{ "cxl-tiered", "s1-ddr5", "lat=14,bw=10,rel=14,pwr=10,cmp=1,den=9", 58 },
		{ "cxl-tiered", "cxl0-cmmd", "lat=12,bw=5,rel=12,pwr=10,cmp=1,den=9", 49 },
		{ "cxl-tiered", "cxl1-cz120", "lat=12,bw=5,rel=12,pwr=10,cmp=1,den=9", 49 },
	};
	unsigned int seen = 0, total = 0;
	const char *name;

	(void)state;
	for (int i = 0; (name = hn_machine_builtin_name(i, NULL)); i++) {
		struct hn_machine *mach;

		assert_int_equal(hn_machine_builtin(&mach, name), 0);
		for (int j = 0; j < hn_machine_nr_memdevs(mach); j++) {
			struct hn_memdev_desc d;
			char buf[FMT_LEN];
			hn_mattr_t m, parsed;
			size_t t;

			assert_int_equal(hn_machine_memdev(mach, j, &d), 0);
			total++;
			m = hn_mattr_from_memdev(&d);
			assert_int_equal(hn_mattr_nr_props(m), 6);
			assert_in_range(hn_mattr_cumulative(m), 6, 96);
			hn_mattr_format(m, buf, sizeof(buf));
			assert_int_equal(hn_mattr_parse(buf, &parsed), 0);
			assert_int_equal(parsed, m);
			for (t = 0; t < ARRAY_SIZE(table); t++)
				if (!strcmp(table[t].machine, name) && !strcmp(table[t].device, d.name))
					break;
			if (t == ARRAY_SIZE(table))
				fail_msg("%s/%s (%s) is not in the table", name, d.name, buf);
			if (strcmp(buf, table[t].text) || hn_mattr_cumulative(m) != table[t].cum)
				fail_msg("%s/%s: %s (cumulative %u), table says %s (%u)", name, d.name,
					 buf, hn_mattr_cumulative(m), table[t].text, table[t].cum);
			seen++;
		}
		hn_machine_free(mach);
	}
	assert_int_equal(seen, ARRAY_SIZE(table));
	assert_int_equal(total, ARRAY_SIZE(table));
}

/*
 * Within each built-in machine, devices of different kinds get different
 * words and different cumulative values, so the attribute tree tells them
 * apart.  Expect no two kinds of one machine to collide.
 */
static void mattr_builtin_kinds_are_distinct(void **state)
{
	const char *name;

	(void)state;
	for (int i = 0; (name = hn_machine_builtin_name(i, NULL)); i++) {
		struct hn_machine *mach;
		int n;

		assert_int_equal(hn_machine_builtin(&mach, name), 0);
		n = hn_machine_nr_memdevs(mach);
		for (int a = 0; a < n; a++) {
			for (int b = a + 1; b < n; b++) {
				struct hn_memdev_desc da, db;
				hn_mattr_t ma, mb;

				assert_int_equal(hn_machine_memdev(mach, a, &da), 0);
				assert_int_equal(hn_machine_memdev(mach, b, &db), 0);
				if (da.kind == db.kind)
					continue;
				ma = hn_mattr_from_memdev(&da);
				mb = hn_mattr_from_memdev(&db);
				if (ma == mb || hn_mattr_cumulative(ma) == hn_mattr_cumulative(mb))
					fail_msg("%s: %s and %s collide", name, da.name, db.name);
			}
		}
		hn_machine_free(mach);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mattr_encoding_at_slides_shifts),
		cmocka_unit_test(mattr_cumulative_values),
		cmocka_unit_test(mattr_gfp_request_round_trip),
		cmocka_unit_test(mattr_make_errors),
		cmocka_unit_test(mattr_prop_names),
		cmocka_unit_test(mattr_format_fixed),
		cmocka_unit_test(mattr_format_buffer_edges),
		cmocka_unit_test(mattr_format_parse_round_trip),
		cmocka_unit_test(mattr_parse_errors),
		cmocka_unit_test(mattr_parse_never_crashes),
		cmocka_unit_test(mattr_quantisation_monotone),
		cmocka_unit_test(mattr_quantisation_boundaries),
		cmocka_unit_test(mattr_quantisation_defaults),
		cmocka_unit_test(mattr_explicit_word_wins),
		cmocka_unit_test(mattr_builtin_machines_table),
		cmocka_unit_test(mattr_builtin_kinds_are_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
