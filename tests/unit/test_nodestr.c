/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_nodestr.c - libnuma-shaped bitmasks and node strings (hnuma/numa.h).
 *
 * The machine has four nodes: 0, 1 and 3 with 256 MiB each, node 2 with
 * CPUs only.  So "the nodes the caller may use" (numa_all_nodes_ptr) are
 * 0, 1, 3, and the possible nodes are 0-3.
 */
#include "hn_test.h"

#include <errno.h>
#include <string.h>

#include <hnuma/numa.h>

#define MiB (1ULL << 20)

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct hn_sim_config cfg = { 0 };

	if (!fx || hn_machine_new(&fx->m, "nodestr") || hn_machine_set_arch(fx->m, HN_ARCH_GENERIC))
		return -1;
	for (int nid = 0; nid < 4; nid++) {
		char cpus[16];
		struct hn_initiator_desc c;

		snprintf(cpus, sizeof(cpus), "%d", nid);
		c = test_cpus(nid, cpus);
		if (hn_machine_add_initiator(fx->m, &c))
			return -1;
		if (nid != 2) {
			struct hn_memdev_desc d = test_dram(nid, HN_ADDR_AUTO, 256 * MiB);

			if (hn_machine_add_memdev(fx->m, &d))
				return -1;
		}
	}
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			if (a != b && hn_machine_set_distance(fx->m, a, b, 20))
				return -1;
	if (hn_sim_create(&fx->sim, fx->m, &cfg))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

/* The mask as a string, through hn_nodestring_format(). */
static const char *fmt(const struct hn_bitmask *b, char *buf, size_t len)
{
	assert_true(hn_nodestring_format(b, buf, len) >= 0);
	return buf;
}

static void parses_as(struct fx *fx, bool all, const char *in, const char *want)
{
	struct hn_bitmask *b = NULL;
	char buf[128];
	int ret = all ? hn_parse_nodestring_all(fx->sim, in, &b) : hn_parse_nodestring(fx->sim, in, &b);

	if (ret)
		fail_msg("'%s': %s", in, hn_strerror(ret));
	assert_non_null(b);
	if (strcmp(fmt(b, buf, sizeof(buf)), want))
		fail_msg("'%s' parsed as '%s', expected '%s'", in, buf, want);
	assert_int_equal(b->size, HN_MAX_NUMNODES);
	hn_bitmask_free(b);
}

static void refused(struct fx *fx, bool all, const char *in)
{
	struct hn_bitmask *b = (struct hn_bitmask *)&b;
	int ret = all ? hn_parse_nodestring_all(fx->sim, in, &b) : hn_parse_nodestring(fx->sim, in, &b);

	if (ret != -EINVAL)
		fail_msg("'%s': %s, expected -EINVAL", in, ret ? hn_strerror(ret) : "accepted");
	assert_null(b);
}

static void nodestrings(void **state)
{
	struct fx *fx = *state;

	/* what libnuma's documentation and code accept */
	parses_as(fx, false, "", "");
	parses_as(fx, false, "all", "0-1,3");
	parses_as(fx, true, "all", "0-3");
	parses_as(fx, false, "1", "1");
	parses_as(fx, false, "0,3", "0,3");
	parses_as(fx, false, "0-3", "0-1,3");	/* a range keeps the usable nodes */
	parses_as(fx, true, "0-3", "0-3");
	parses_as(fx, false, "3,0,1", "0-1,3");
	parses_as(fx, false, "0x3", "3");	/* strtoul(, 0): hex */
	parses_as(fx, false, "01", "1");	/* ... and octal */
	parses_as(fx, false, "!1", "0,2-3");	/* inverts over the configured nodes */
	parses_as(fx, false, "!all", "2");
	parses_as(fx, false, "+0", "0");
	parses_as(fx, false, "+2", "3");	/* the third usable node */
	parses_as(fx, false, "+1-2", "1,3");
	parses_as(fx, false, "!+0", "1-3");
	parses_as(fx, false, "1,all", "0-1,3");
	parses_as(fx, false, "1-1", "1");

	refused(fx, false, "2");		/* memoryless: not usable */
	refused(fx, false, "4");
	refused(fx, true, "4");
	refused(fx, false, "1024");
	refused(fx, false, "99999999999999999999999");
	refused(fx, false, "3-1");
	refused(fx, false, "1-");
	refused(fx, false, "-1");
	refused(fx, false, "1,");
	refused(fx, false, ",1");
	refused(fx, false, "1,,3");
	refused(fx, false, "1 ");
	refused(fx, false, " 1");
	refused(fx, false, "!");
	refused(fx, false, "+");
	refused(fx, false, "+3");		/* only three usable nodes */
	refused(fx, false, "+!1");
	refused(fx, false, "eth0");
	refused(fx, false, "all,1");
	refused(fx, false, "1-2-3");
	refused(fx, false, "0-2");		/* a range end must be usable */
}

static void nodestring_errors(void **state)
{
	struct fx *fx = *state;
	struct hn_bitmask *b = (struct hn_bitmask *)&b;
	struct hn_sim *pre = NULL;
	struct hn_sim_config cfg = { .flags = HN_SIM_STOP_BEFORE_MM };

	assert_int_equal(hn_parse_nodestring(NULL, "1", &b), -EINVAL);
	assert_null(b);
	assert_int_equal(hn_parse_nodestring(fx->sim, NULL, &b), -EINVAL);
	assert_int_equal(hn_parse_nodestring(fx->sim, "1", NULL), -EINVAL);
	assert_int_equal(hn_parse_nodestring_all(fx->sim, NULL, &b), -EINVAL);
	assert_int_equal(hn_sim_create(&pre, fx->m, &cfg), 0);
	assert_int_equal(hn_parse_nodestring(pre, "1", &b), -EAGAIN);
	assert_int_equal(hn_parse_nodestring_all(pre, "1", &b), -EAGAIN);
	hn_sim_destroy(pre);
}

static void format(void **state)
{
	struct hn_bitmask *b = hn_bitmask_alloc(200);
	char buf[64];

	(void)state;
	assert_non_null(b);
	assert_int_equal(hn_nodestring_format(b, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	hn_bitmask_setbit(b, 0);
	hn_bitmask_setbit(b, 2);
	hn_bitmask_setbit(b, 3);
	hn_bitmask_setbit(b, 4);
	hn_bitmask_setbit(b, 63);
	hn_bitmask_setbit(b, 64);
	hn_bitmask_setbit(b, 199);
	assert_int_equal(hn_nodestring_format(b, buf, sizeof(buf)), 15);
	assert_string_equal(buf, "0,2-4,63-64,199");
	/* snprintf's contract: the length it needs, the text cut and terminated */
	assert_int_equal(hn_nodestring_format(b, buf, 5), 15);
	assert_string_equal(buf, "0,2-");
	assert_int_equal(hn_nodestring_format(b, NULL, 0), 15);
	assert_int_equal(hn_nodestring_format(b, NULL, 4), -EINVAL);
	assert_int_equal(hn_nodestring_format(NULL, buf, sizeof(buf)), -EINVAL);
	hn_bitmask_free(b);
}

/* Every mask of the possible nodes survives format → parse_all. */
static void format_parse_roundtrip(void **state)
{
	struct fx *fx = *state;

	for (unsigned int bits = 0; bits < 16; bits++) {
		struct hn_bitmask *b = hn_bitmask_alloc(HN_MAX_NUMNODES), *back = NULL;
		char buf[64];

		assert_non_null(b);
		for (unsigned int n = 0; n < 4; n++)
			if (bits >> n & 1)
				hn_bitmask_setbit(b, n);
		fmt(b, buf, sizeof(buf));
		assert_int_equal(hn_parse_nodestring_all(fx->sim, buf, &back), 0);
		assert_true(hn_bitmask_equal(b, back));
		hn_bitmask_free(back);
		hn_bitmask_free(b);
	}
}

static void bitmask_ops(void **state)
{
	struct hn_bitmask *a = hn_bitmask_alloc(65), *b = hn_bitmask_alloc(130);
	struct hn_nodemask m;

	(void)state;
	assert_null(hn_bitmask_alloc(0));
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(hn_bitmask_nbytes(a), 16);
	assert_int_equal(hn_bitmask_nbytes(b), 24);
	assert_int_equal(hn_bitmask_nbytes(NULL), 0);
	assert_ptr_equal(hn_bitmask_setbit(a, 64), a);
	assert_ptr_equal(hn_bitmask_setbit(a, 65), a);	/* past the size: ignored */
	assert_true(hn_bitmask_isbitset(a, 64));
	assert_false(hn_bitmask_isbitset(a, 65));
	assert_false(hn_bitmask_isbitset(NULL, 0));
	assert_int_equal(hn_bitmask_weight(a), 1);
	assert_false(hn_bitmask_equal(a, b));
	hn_bitmask_setbit(b, 64);
	assert_true(hn_bitmask_equal(a, b));	/* sizes differ, bits agree */
	hn_bitmask_setbit(b, 100);
	assert_false(hn_bitmask_equal(a, b));
	assert_ptr_equal(hn_bitmask_clearbit(b, 100), b);
	assert_true(hn_bitmask_equal(a, b));
	assert_ptr_equal(hn_bitmask_setall(a), a);
	assert_int_equal(hn_bitmask_weight(a), 65);
	assert_true(hn_bitmask_isbitset(a, 0) && hn_bitmask_isbitset(a, 64));
	assert_ptr_equal(hn_bitmask_clearall(a), a);
	assert_int_equal(hn_bitmask_weight(a), 0);
	assert_true(hn_bitmask_equal(a, NULL));
	assert_null(hn_bitmask_setbit(NULL, 1));
	assert_null(hn_bitmask_clearbit(NULL, 1));
	assert_null(hn_bitmask_setall(NULL));
	assert_null(hn_bitmask_clearall(NULL));
	assert_int_equal(hn_bitmask_weight(NULL), 0);

	/* to and from the kernel's nodemask_t: the bits both can hold */
	hn_bitmask_setbit(b, 3);
	hn_bitmask_setbit(b, 129);
	assert_int_equal(hn_bitmask_to_nodemask(b, &m), 0);
	assert_true(hn_nodemask_test(&m, 3) && hn_nodemask_test(&m, 64) && hn_nodemask_test(&m, 129));
	assert_false(hn_nodemask_test(&m, 4));
	hn_nodemask_set(&m, 7);
	assert_int_equal(hn_bitmask_from_nodemask(a, &m), 0);	/* a holds 65 bits: 129 drops */
	assert_int_equal(hn_bitmask_weight(a), 3);
	assert_true(hn_bitmask_isbitset(a, 7));
	assert_int_equal(hn_bitmask_to_nodemask(NULL, &m), -EINVAL);
	assert_int_equal(hn_bitmask_to_nodemask(a, NULL), -EINVAL);
	assert_int_equal(hn_bitmask_from_nodemask(NULL, &m), -EINVAL);
	assert_int_equal(hn_bitmask_from_nodemask(a, NULL), -EINVAL);
	hn_bitmask_free(a);
	hn_bitmask_free(b);
	hn_bitmask_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(nodestrings, setup, teardown),
		cmocka_unit_test_setup_teardown(nodestring_errors, setup, teardown),
		cmocka_unit_test(format),
		cmocka_unit_test_setup_teardown(format_parse_roundtrip, setup, teardown),
		cmocka_unit_test(bitmask_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
