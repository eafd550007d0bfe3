/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_fault.c - fault injection, and the fail-nth sweep: every internal
 * step of every operation in a scripted scenario fails in turn, and each
 * time the operation returns a documented error, hn_sim_check() passes and
 * nothing leaks (the ASan build's LeakSanitizer checks the last part at
 * exit).
 */
#include "hn_test.h"

#include <errno.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Two sockets of 1 GiB and a CPU-less node that can go offline. */
static struct hn_machine *small_machine(void)
{
	struct hn_machine *m;
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, GiB), d1 = test_dram(1, HN_ADDR_AUTO, GiB);
	struct hn_memdev_desc d2 = test_dram(2, HN_ADDR_AUTO, GiB);
	struct hn_initiator_desc c0 = test_cpus(0, "0-1"), c1 = test_cpus(1, "2-3");

	assert_int_equal(hn_machine_new(&m, "small"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d0), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d1), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d2), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c0), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c1), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	return m;
}

static uint64_t failures(struct hn_sim *sim)
{
	uint64_t n = 0;

	for (int s = 0; s < HN_FAULT_NR_SITES; s++) {
		struct hn_fault_stats st;

		assert_int_equal(hn_fault_stats(sim, (enum hn_fault_site)s, &st), 0);
		n += st.failures;
	}
	return n;
}

/*
 * hn_sim_create() with its 1st, 2nd, ... internal step failing.  Every
 * step of boot is a host allocation here; each failure must give -ENOMEM
 * and free everything.  Expect more than ten steps, all -ENOMEM, then a
 * boot that passes hn_sim_check().  Done for a full boot and for the
 * two-phase boot (HN_SIM_STOP_BEFORE_MM + hn_sim_boot()).
 */
static void fail_nth_sweep_over_boot(void **state)
{
	struct hn_machine *m = small_machine();
	unsigned int steps = 0;

	(void)state;
	for (uint64_t n = 1;; n++) {
		struct hn_sim_config cfg = { .seed = 5, .fail_nth = n };
		struct hn_sim *sim = NULL;
		int ret = hn_sim_create(&sim, m, &cfg);

		if (ret) {
			if (ret != -ENOMEM)
				fail_msg("step %llu of boot: %s, expected -ENOMEM", (unsigned long long)n,
					 hn_strerror(ret));
			assert_null(sim);
			steps++;
			continue;
		}
		/* fail_nth beyond the last step: nothing failed, the boot is whole */
		assert_int_equal(failures(sim), 0);
		assert_int_equal(hn_sim_check(sim), 0);
		hn_sim_destroy(sim);
		break;
	}
	assert_true(steps > 10);

	steps = 0;
	for (uint64_t n = 1;; n++) {
		struct hn_sim_config cfg = { .seed = 5, .flags = HN_SIM_STOP_BEFORE_MM };
		struct hn_sim *sim = NULL;
		int ret;

		assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
		assert_int_equal(hn_fault_set_fail_nth(sim, n), 0);
		ret = hn_sim_boot(sim);
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			steps++;
			hn_sim_destroy(sim);
			continue;
		}
		assert_int_equal(hn_sim_check(sim), 0);
		hn_sim_destroy(sim);
		break;
	}
	assert_true(steps > 5);
	hn_machine_free(m);
}

struct script_ctx {
	struct hn_sim *sim;
	uint64_t held[64];
	unsigned int nr_held;
};

enum op_kind { OP_ALLOC0, OP_ALLOC3, OP_ALLOC9, OP_BULK, OP_FREE, OP_OFFLINE, OP_ONLINE, OP_ISOLATE,
	       OP_UNISOLATE, OP_DRAIN };

/* Run one scripted op; returns its result. */
static int run_op(struct script_ctx *c, enum op_kind op)
{
	uint64_t pfn, pfns[16];
	unsigned int n;
	int ret;

	switch (op) {
	case OP_ALLOC0:
	case OP_ALLOC3:
	case OP_ALLOC9: {
		unsigned int order = op == OP_ALLOC0 ? 0 : op == OP_ALLOC3 ? 3 : 9;

		ret = hn_alloc_pages(c->sim, op == OP_ALLOC9 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL, order,
				     HN_NUMA_NO_NODE, NULL, &pfn);
		if (!ret)
			c->held[c->nr_held++] = pfn | ((uint64_t)order << 56);
		return ret;
	}
	case OP_BULK:
		for (int i = 0; i < 16; i++)
			pfns[i] = HN_PFN_NONE;
		ret = hn_alloc_pages_bulk(c->sim, GFP_KERNEL, 0, NULL, 16, pfns, &n);
		for (unsigned int i = 0; i < 16; i++)
			if (pfns[i] != HN_PFN_NONE)
				assert_int_equal(hn_free_pages(c->sim, pfns[i], 0), 0);
		/* the bulk call itself fails by populating nothing */
		return ret ? ret : (n ? 0 : -ENOSPC);
	case OP_FREE:
		while (c->nr_held) {
			uint64_t v = c->held[--c->nr_held];

			ret = hn_free_pages(c->sim, v & ((1ULL << 56) - 1), (unsigned int)(v >> 56));
			if (ret)
				return ret;
		}
		return 0;
	case OP_OFFLINE:
		return hn_sim_set_node_online(c->sim, 2, false);
	case OP_ONLINE:
		return hn_sim_set_node_online(c->sim, 2, true);
	case OP_ISOLATE:
		/* node 1 starts at 1 GiB (pfn 0x40000), in its DMA32 zone */
		return hn_isolate_range(c->sim, 0x40000, 0x40000 + 1024);
	case OP_UNISOLATE:
		return hn_undo_isolate_range(c->sim, 0x40000, 0x40000 + 1024, HN_MIGRATE_MOVABLE);
	case OP_DRAIN:
		return hn_drain_all_pages(c->sim);
	}
	return -EINVAL;
}

/*
 * Each op of a scenario with its 1st, 2nd, ... step failing, until it goes
 * through with nothing failed.  Documented outcomes: allocations -ENOSPC
 * (the page-allocation site) or success (a failed pcp refill falls back to
 * the buddy); node online/offline -ENOMEM (rebuilding the zonelists).
 * After every attempt hn_sim_check() passes.
 */
static void fail_nth_sweep_over_operations(void **state)
{
	static const enum op_kind script[] = {
		OP_ALLOC0, OP_ALLOC0, OP_ALLOC3, OP_ALLOC9, OP_BULK, OP_OFFLINE, OP_ALLOC0, OP_ONLINE,
		OP_ISOLATE, OP_ALLOC3, OP_UNISOLATE, OP_DRAIN, OP_FREE,
	};
	struct hn_machine *m = small_machine();
	struct script_ctx c = { 0 };
	unsigned int injected = 0;

	(void)state;
	assert_int_equal(hn_sim_create(&c.sim, m, &(struct hn_sim_config){ .seed = 9 }), 0);
	for (unsigned int i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		for (uint64_t n = 1;; n++) {
			uint64_t before = failures(c.sim);
			int ret;

			assert_int_equal(hn_fault_set_fail_nth(c.sim, n), 0);
			ret = run_op(&c, script[i]);
			assert_int_equal(hn_sim_check(c.sim), 0);
			if (failures(c.sim) == before) {
				/* nothing failed: the op ran to its end */
				if (ret)
					fail_msg("op %u failed with nothing injected: %s", i, hn_strerror(ret));
				break;
			}
			injected++;
			if (ret && ret != -ENOSPC && ret != -ENOMEM)
				fail_msg("op %u, step %llu: undocumented %s", i, (unsigned long long)n,
					 hn_strerror(ret));
		}
	}
	assert_int_equal(hn_fault_set_fail_nth(c.sim, 0), 0);
	assert_true(injected > 5);
	assert_int_equal(run_op(&c, OP_FREE), 0);
	assert_int_equal(hn_drain_all_pages(c.sim), 0);
	for (int nid = 0; nid < 3; nid++) {
		struct hn_node_info ni;

		assert_int_equal(hn_sim_node_info(c.sim, nid, &ni), 0);
		assert_int_equal(ni.free_pages, ni.managed_pages);
	}
	hn_sim_destroy(c.sim);
	hn_machine_free(m);
}

/*
 * The attributes, as Documentation/fault-injection describes them:
 * probability 100 with times 3 fails three times; interval 4 fails every
 * fourth crossing; min_order spares smaller requests; ignore_gfp_reclaim
 * spares requests that may reclaim; __GFP_NOFAIL is never failed.
 */
static void attributes_behave_as_documented(void **state)
{
	struct hn_machine *m = small_machine();
	struct hn_sim *sim;
	struct hn_fault_stats st;
	uint64_t pfn;
	int fails = 0;

	(void)state;
	assert_int_equal(hn_sim_create(&sim, m, NULL), 0);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC,
				      &(struct hn_fault_attr){ .probability = 100, .times = 3 }), 0);
	for (int i = 0; i < 10; i++) {
		int ret = hn_alloc_pages(sim, GFP_KERNEL, 0, 0, NULL, &pfn);

		if (ret == -ENOSPC)
			fails++;
		else
			assert_int_equal(hn_free_pages(sim, pfn, 0), 0);
	}
	assert_int_equal(fails, 3);
	assert_int_equal(hn_fault_stats(sim, HN_FAULT_PAGE_ALLOC, &st), 0);
	assert_int_equal(st.failures, 3);
	assert_int_equal(st.crossings, 10);

	fails = 0;
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC,
				      &(struct hn_fault_attr){ .probability = 100, .interval = 4 }), 0);
	for (int i = 1; i <= 12; i++) {
		int ret = hn_alloc_pages(sim, GFP_KERNEL, 0, 0, NULL, &pfn);

		assert_int_equal(ret == -ENOSPC, i % 4 == 0);
		if (!ret)
			assert_int_equal(hn_free_pages(sim, pfn, 0), 0);
	}
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC,
				      &(struct hn_fault_attr){ .probability = 100, .min_order = 2 }), 0);
	assert_int_equal(hn_alloc_pages(sim, GFP_KERNEL, 1, 0, NULL, &pfn), 0);
	assert_int_equal(hn_free_pages(sim, pfn, 1), 0);
	assert_int_equal(hn_alloc_pages(sim, GFP_KERNEL, 2, 0, NULL, &pfn), -ENOSPC);
	assert_int_equal(hn_alloc_pages(sim, GFP_KERNEL | __GFP_NOFAIL, 2, 0, NULL, &pfn), 0);
	assert_int_equal(hn_free_pages(sim, pfn, 2), 0);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC,
				      &(struct hn_fault_attr){ .probability = 100,
							       .ignore_gfp_reclaim = true }), 0);
	assert_int_equal(hn_alloc_pages(sim, GFP_KERNEL, 0, 0, NULL, &pfn), 0);
	assert_int_equal(hn_free_pages(sim, pfn, 0), 0);
	assert_int_equal(hn_alloc_pages(sim, GFP_ATOMIC, 0, 0, NULL, &pfn), -ENOSPC);
	/* a failing pcp refill still allocates, from the buddy */
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC, &(struct hn_fault_attr){ 0 }), 0);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PCP_REFILL,
				      &(struct hn_fault_attr){ .probability = 100 }), 0);
	assert_int_equal(hn_drain_all_pages(sim), 0);
	assert_int_equal(hn_alloc_pages(sim, GFP_KERNEL, 0, 0, NULL, &pfn), 0);
	assert_int_equal(hn_fault_stats(sim, HN_FAULT_PCP_REFILL, &st), 0);
	assert_int_equal(st.failures, 1);
	assert_int_equal(hn_free_pages(sim, pfn, 0), 0);
	assert_int_equal(hn_sim_check(sim), 0);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Deterministic from the instance seed, and apart from the simulation's
 * own draws: the same seed fails the same requests; another seed fails
 * others; hn_sim_random() gives the same values with faults on or off.
 */
static uint64_t failure_pattern(struct hn_machine *m, uint64_t seed, uint64_t *first_random)
{
	struct hn_sim_config cfg = { .seed = seed };
	struct hn_sim *sim;
	uint64_t pattern = 0, pfn;

	cfg.faults[HN_FAULT_PAGE_ALLOC].probability = 30;
	assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
	for (int i = 0; i < 64; i++) {
		if (hn_alloc_pages(sim, GFP_KERNEL, 0, 0, NULL, &pfn) == -ENOSPC)
			pattern |= 1ULL << i;
		else
			assert_int_equal(hn_free_pages(sim, pfn, 0), 0);
	}
	*first_random = hn_sim_random(sim);
	hn_sim_destroy(sim);
	return pattern;
}

static void faults_are_seeded_and_separate(void **state)
{
	struct hn_machine *m = small_machine();
	struct hn_sim *plain;
	uint64_t r1, r2, r3, p1, p2, p3;

	(void)state;
	p1 = failure_pattern(m, 11, &r1);
	p2 = failure_pattern(m, 11, &r2);
	p3 = failure_pattern(m, 12, &r3);
	assert_int_equal(p1, p2);
	assert_int_not_equal(p1, 0);
	assert_int_not_equal(p1, p3);
	assert_int_equal(hn_sim_create(&plain, m, &(struct hn_sim_config){ .seed = 11 }), 0);
	assert_int_equal(hn_sim_random(plain), r1);
	hn_sim_destroy(plain);
	hn_machine_free(m);
}

static void fault_api_errors(void **state)
{
	struct hn_machine *m = small_machine();
	struct hn_sim *sim;
	struct hn_fault_stats st;
	struct hn_sim_config cfg = { 0 };

	(void)state;
	assert_int_equal(hn_sim_create(&sim, m, NULL), 0);
	assert_int_equal(hn_fault_set(NULL, HN_FAULT_PAGE_ALLOC, &(struct hn_fault_attr){ 0 }), -EINVAL);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC, NULL), -EINVAL);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_NR_SITES, &(struct hn_fault_attr){ 0 }), -EINVAL);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC,
				      &(struct hn_fault_attr){ .probability = 101 }), -EINVAL);
	assert_int_equal(hn_fault_set_fail_nth(NULL, 1), -EINVAL);
	assert_int_equal(hn_fault_stats(NULL, HN_FAULT_PAGE_ALLOC, &st), -EINVAL);
	assert_int_equal(hn_fault_stats(sim, HN_FAULT_PAGE_ALLOC, NULL), -EINVAL);
	assert_int_equal(hn_fault_stats(sim, (enum hn_fault_site)-1, &st), -EINVAL);
	assert_string_equal(hn_fault_site_name(HN_FAULT_PCP_REFILL), "pcp_refill");
	assert_null(hn_fault_site_name(HN_FAULT_NR_SITES));
	hn_sim_destroy(sim);
	cfg.faults[HN_FAULT_HOST_ALLOC].probability = 200;
	assert_int_equal(hn_sim_create(&sim, m, &cfg), -EINVAL);
	hn_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fail_nth_sweep_over_boot),
		cmocka_unit_test(fail_nth_sweep_over_operations),
		cmocka_unit_test(attributes_behave_as_documented),
		cmocka_unit_test(faults_are_seeded_and_separate),
		cmocka_unit_test(fault_api_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
