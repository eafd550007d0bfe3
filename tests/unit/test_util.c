/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_util.c - the small shared helpers: size and id-list parsing, integer
 * square root (the min_free_kbytes formula depends on it) and the PRNG.
 */
#include "hn_test.h"

#include <errno.h>

#include "hw/rng.h"
#include "util/util.h"

static void parse_size_accepts_the_usual_spellings(void **state)
{
	static const struct {
		const char *in;
		uint64_t out;
	} ok[] = {
		{ "0", 0 }, { "4096", 4096 }, { "64K", 65536 }, { "64k", 65536 },
		{ "16M", 16ULL << 20 }, { "2G", 2ULL << 30 }, { "2GiB", 2ULL << 30 },
		{ "512MB", 512ULL << 20 }, { "1T", 1ULL << 40 }, { " 3 G ", 3ULL << 30 },
		{ "0x1000", 4096 }, { "1P", 1ULL << 50 }, { "100B", 100 },
		{ "18446744073709551615", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "G", "12Q", "1.5G", "-1", "0x", "16777216T", "18446744073709551616", "4K4",
	};
	uint64_t v;

	(void)state;
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(ok); i++) {
		assert_int_equal(hn_parse_size(ok[i].in, &v), 0);
		assert_int_equal(v, ok[i].out);
	}
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(bad); i++)
		if (hn_parse_size(bad[i], &v) != -EINVAL)
			fail_msg("'%s' parsed", bad[i]);
	assert_int_equal(hn_parse_size(NULL, &v), -EINVAL);
	assert_int_equal(hn_parse_size("1", NULL), -EINVAL);
}

static void idlist_round_trips(void **state)
{
	uint64_t bits[2];
	char buf[64];

	(void)state;
	assert_int_equal(hn_parse_idlist("0-3,8,10-11", bits, 128), 0);
	assert_int_equal(hn_bitmap_weight(bits, 128), 7);
	assert_string_equal(hn_format_idlist(bits, 128, buf, sizeof(buf)), "0-3,8,10-11");
	assert_int_equal(hn_parse_idlist("", bits, 128), 0);
	assert_int_equal(hn_bitmap_weight(bits, 128), 0);
	assert_string_equal(hn_format_idlist(bits, 128, buf, sizeof(buf)), "");
	assert_int_equal(hn_parse_idlist("127", bits, 128), 0);
	assert_true(hn_bit_test(bits, 127));
	assert_int_equal(hn_parse_idlist("128", bits, 128), -EINVAL);
	assert_int_equal(hn_parse_idlist("3-1", bits, 128), -EINVAL);
	assert_int_equal(hn_parse_idlist("1,,2", bits, 128), -EINVAL);
	assert_int_equal(hn_parse_idlist("a", bits, 128), -EINVAL);
	assert_int_equal(hn_parse_idlist("1-", bits, 128), -EINVAL);
	/* a buffer too small truncates at a whole element */
	assert_int_equal(hn_parse_idlist("0,2,4,6,8,10", bits, 128), 0);
	assert_string_equal(hn_format_idlist(bits, 128, buf, 6), "0,2,4");
}

static void int_sqrt_is_floor_sqrt(void **state)
{
	(void)state;
	assert_int_equal(hn_int_sqrt(0), 0);
	assert_int_equal(hn_int_sqrt(1), 1);
	assert_int_equal(hn_int_sqrt(15), 3);
	assert_int_equal(hn_int_sqrt(16), 4);
	assert_int_equal(hn_int_sqrt(15988032), 3998);
	assert_int_equal(hn_int_sqrt(UINT64_MAX), 4294967295ULL);
	for (uint64_t x = 2; x < 200000; x += 7) {
		uint64_t r = hn_int_sqrt(x);

		assert_true(r * r <= x && (r + 1) * (r + 1) > x);
	}
}

static void rng_is_seeded_and_bounded(void **state)
{
	struct hn_rng a, b, c;

	(void)state;
	hn_rng_seed(&a, 42);
	hn_rng_seed(&b, 42);
	hn_rng_seed(&c, 43);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = hn_rng_next(&a);

		assert_int_equal(x, hn_rng_next(&b));
		(void)hn_rng_next(&c);
	}
	assert_int_not_equal(hn_rng_next(&a), hn_rng_next(&c));
	for (int i = 0; i < 10000; i++)
		assert_true(hn_rng_below(&a, 7) < 7);
	assert_int_equal(hn_rng_below(&a, 0), 0);
}

static void strerror_names_every_code(void **state)
{
	/* every code a src/ file returns, and what file readers pass on from open(2) */
	static const int codes[] = { EINVAL, ENOMEM, ENOSPC, EBUSY, EAGAIN, ENOENT, EEXIST,
				     ENODEV, EFAULT, EPERM, EIO, EUCLEAN, EOPNOTSUPP, EFBIG, ERANGE,
				     EACCES, EISDIR, ENOTDIR, ENAMETOOLONG, ELOOP, EMFILE, ENFILE,
				     EBADF, E2BIG, EINTR, EDOM, ENODATA, ENOTSUP };

	(void)state;
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(codes); i++) {
		assert_string_not_equal(hn_strerror(-codes[i]), "unknown error");
		assert_string_equal(hn_strerror(-codes[i]), hn_strerror(codes[i]));
	}
	assert_string_equal(hn_strerror(-EISDIR), "is a directory, not a file");
	assert_string_equal(hn_strerror(-ENOSPC), "simulated memory exhausted");
	assert_string_not_equal(hn_strerror(-ENOSPC), hn_strerror(-ENOMEM));
	assert_string_equal(hn_strerror(0), "success");
	assert_string_equal(hn_strerror(-99999), "unknown error");
	assert_non_null(hn_version());
}

/* Numbers as written: checked as numbers (sign, digits, overflow) before any use. */
static void parse_uint_checks_before_converting(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(hn_parse_uint("0", 10, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hn_parse_uint("0x1F", 100, false, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(hn_parse_uint("18446744073709551615", UINT64_MAX, false, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(hn_parse_uint("1_000_000", UINT64_MAX, true, &v), 0);
	assert_int_equal(v, 1000000);
	v = 7;
	assert_int_equal(hn_parse_uint("1_000", UINT64_MAX, false, &v), -EDOM);
	assert_int_equal(hn_parse_uint("1__0", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("_1", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("1_", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("-5", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("0x", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("1.5", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("4K", UINT64_MAX, true, &v), -EDOM);
	assert_int_equal(hn_parse_uint("18446744073709551616", UINT64_MAX, false, &v), -ERANGE);
	assert_int_equal(hn_parse_uint("101", 100, false, &v), -ERANGE);
	assert_int_equal(v, 7);		/* untouched on error */
}

/* A typo is near its word; an unrelated word is near nothing. */
static void nearest_word_is_a_typo_or_nothing(void **state)
{
	static const char *const keys[] = { "cpu", "repeat", "policy", "working-set", "phases" };

	(void)state;
	assert_string_equal(hn_nearest_word("workingset", keys, 5), "working-set");
	assert_string_equal(hn_nearest_word("polcy", keys, 5), "policy");
	assert_string_equal(hn_nearest_word("cpus", keys, 5), "cpu");
	assert_null(hn_nearest_word("colour", keys, 5));
	assert_null(hn_nearest_word("x", keys, 0));
	/* a NULL ends the list early */
	assert_null(hn_nearest_word("phases", (const char *const[]){ "cpu", NULL, "phases" }, 3));
}

static void size_word_reads_back(void **state)
{
	static const uint64_t sizes[] = { 1, 4096, 4097, 16ULL << 30, 1ULL << 50, 3ULL << 40 };
	char buf[32];

	(void)state;
	assert_string_equal(hn_size_word(16ULL << 30, "", buf, sizeof(buf)), "16G");
	assert_string_equal(hn_size_word(1ULL << 50, "", buf, sizeof(buf)), "1P");
	assert_string_equal(hn_size_word(4097, "B", buf, sizeof(buf)), "4097B");
	assert_string_equal(hn_size_word(0, "", buf, sizeof(buf)), "0");
	for (unsigned int i = 0; i < HN_ARRAY_SIZE(sizes); i++) {
		uint64_t v;

		assert_int_equal(hn_parse_size(hn_size_word(sizes[i], "", buf, sizeof(buf)), &v), 0);
		assert_true(v == sizes[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_size_accepts_the_usual_spellings),
		cmocka_unit_test(idlist_round_trips),
		cmocka_unit_test(int_sqrt_is_floor_sqrt),
		cmocka_unit_test(rng_is_seeded_and_bounded),
		cmocka_unit_test(strerror_names_every_code),
		cmocka_unit_test(parse_uint_checks_before_converting),
		cmocka_unit_test(nearest_word_is_a_typo_or_nothing),
		cmocka_unit_test(size_word_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
