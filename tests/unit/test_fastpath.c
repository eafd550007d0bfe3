/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_fastpath.c - the order-0 fast paths of page_alloc.c change nothing
 * but speed.
 *
 * Two instances boot the same machine with the same seed; one has its fast
 * paths switched off (sim->fastpath_disabled, an internal knob), so every
 * request there takes the general path.  A long random sequence of calls
 * goes to both: allocations of every order with the usual GFP
 * compositions, preferred nodes and nodemasks, frees in random order, bad
 * frees, CPU switches, drains, nodes going offline and online and attribute
 * ranges coming and going, with phases that hold enough memory to push
 * zones below their high and low watermarks (where the fast path must
 * stand aside) and back.  Every call must return the same code and pfn on
 * both; every so often, and at the end, the kernel views that show the
 * allocator's state (/proc/zoneinfo with its pcp lines, buddyinfo,
 * pagetypeinfo, vmstat) must match byte for byte, and hn_sim_check() must
 * pass on both.
 *
 * Machines: two nodes of 192 MiB (generic architecture, one Normal zone
 * each) with and without per-CPU lists, the built-in default machine
 * scaled to 8 GiB (x86: DMA, DMA32 and Normal zones), and the DRAM+NVDIMM
 * machine with HN_SIM_HNUMA (attribute nodes; attribute requests always
 * take the general path).  In debug_vm builds
 * the test also checks that the fast path served most order-0 calls, so
 * that the comparison is not vacuous.
 */
#include "hn_test.h"

#include <errno.h>
#include <inttypes.h>

#include <hnuma/alloc.h>

#include "core/mmzone.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define MAX_HELD 70000

struct blk {
	uint64_t pfn;
	unsigned int order;
};

struct pair {
	struct hn_machine *m;
	struct hn_sim *fast, *slow;
	struct test_reports tr_fast, tr_slow;
	struct blk *held;
	size_t nr_held;
	uint64_t rng;
	uint64_t order0_calls;
	uint64_t attr_start;	/* the last attribute range added, or 0 */
};

static uint64_t next_rand(struct pair *p)
{
	/* xorshift64*: deterministic, independent of the library's PRNG */
	p->rng ^= p->rng >> 12;
	p->rng ^= p->rng << 25;
	p->rng ^= p->rng >> 27;
	return p->rng * 0x2545F4914F6CDD1DULL;
}

static struct hn_machine *two_nodes(void)
{
	struct hn_machine *m = NULL;

	assert_int_equal(hn_machine_new(&m, "fastpath"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	for (int nid = 0; nid < 2; nid++) {
		struct hn_memdev_desc d = test_dram(nid, HN_ADDR_AUTO, 192 * MiB);
		struct hn_initiator_desc c = test_cpus(nid, nid ? "2-3" : "0-1");

		assert_int_equal(hn_machine_add_initiator(m, &c), 0);
		assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	}
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	return m;
}

static struct hn_sim *boot_one(const struct hn_machine *m, unsigned int flags, struct test_reports *tr)
{
	struct hn_sim_config cfg = { .seed = 7, .flags = flags, .kernel_image_size = 4 * MiB };
	struct hn_sim *sim = NULL;

	cfg.report = test_report_fn;
	cfg.report_ctx = tr;
	assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
	return sim;
}

static void pair_init(struct pair *p, struct hn_machine *m, unsigned int flags)
{
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->fast = boot_one(m, flags, &p->tr_fast);
	p->slow = boot_one(m, flags, &p->tr_slow);
	p->slow->fastpath_disabled = true;
	hn_fastpath_update(p->slow);
	assert_true(p->fast->fastpath);
	assert_false(p->slow->fastpath);
	p->held = calloc(MAX_HELD, sizeof(*p->held));
	assert_non_null(p->held);
	p->rng = 0x9e3779b97f4a7c15ULL;
}

static void same_view(struct pair *p, int (*show)(const struct hn_sim *, FILE *), const char *what,
		      uint64_t step)
{
	char *a = test_view(p->fast, show), *b = test_view(p->slow, show);

	if (strcmp(a, b)) {
		/* name the first line that differs */
		size_t i = 0, line = 1;

		while (a[i] && a[i] == b[i])
			line += a[i++] == '\n';
		fail_msg("%s differs at step %" PRIu64 ", line %zu", what, step, line);
	}
	free(a);
	free(b);
}

static void same_state(struct pair *p, uint64_t step)
{
	assert_int_equal(hn_sim_check(p->fast), 0);
	assert_int_equal(hn_sim_check(p->slow), 0);
	same_view(p, hn_sim_show_zoneinfo, "zoneinfo", step);
	same_view(p, hn_sim_show_buddyinfo, "buddyinfo", step);
	same_view(p, hn_sim_show_pagetypeinfo, "pagetypeinfo", step);
	same_view(p, hn_sim_show_vmstat, "vmstat", step);
	assert_int_equal(p->tr_fast.count, p->tr_slow.count);
}


static void op_alloc(struct pair *p, uint64_t r, uint64_t step)
{
	/* attribute words are built by a function, so the table lives here */
	const hn_gfp_t gfps[] = {
		GFP_KERNEL, GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER_MOVABLE, GFP_USER,
		GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_DMA32, GFP_KERNEL | __GFP_THISNODE,
		GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, GFP_KERNEL | __GFP_HIGH, GFP_KERNEL | __GFP_MEMALLOC,
		__GFP_DMA | __GFP_DMA32,	/* invalid: both paths refuse it */
		/* attribute requests: served by attribute nodes with HN_SIM_HNUMA, plain otherwise */
		GFP_KERNEL | GFP_LATENCY(8) | __GFP_MATTR_FALLBACK,
		GFP_HIGHUSER_MOVABLE | GFP_DENSITY(12) | __GFP_MATTR_FALLBACK,
		GFP_KERNEL | GFP_BANDWIDTH(3),
	};
	hn_gfp_t gfp = gfps[(r >> 8) % HN_ARRAY_SIZE(gfps)] | __GFP_NOWARN;
	int nr_nodes = hn_sim_nr_node_ids(p->fast);
	unsigned int order = 0;
	struct hn_nodemask mask = { 0 };
	const struct hn_nodemask *nm = NULL;
	uint64_t pf = 0, ps = 0;
	int nid = HN_NUMA_NO_NODE, rf, rs;

	if ((r >> 16) % 16 == 0)
		order = 1 + (unsigned int)((r >> 20) % 3);
	else if ((r >> 16) % 64 == 1)
		order = 9;
	if ((r >> 24) % 4 == 0)
		nid = (int)((r >> 28) % (uint64_t)nr_nodes);
	if ((r >> 32) % 8 == 0) {
		hn_nodemask_set(&mask, (int)((r >> 36) % (uint64_t)nr_nodes));
		nm = &mask;
	}
	if (!order)
		p->order0_calls++;
	rf = hn_alloc_pages(p->fast, gfp, order, nid, nm, &pf);
	rs = hn_alloc_pages(p->slow, gfp, order, nid, nm, &ps);
	if (rf != rs || pf != ps)
		fail_msg("step %" PRIu64 ": alloc gfp %#" PRIx64 " order %u nid %d: %d/%#" PRIx64
			 " fast, %d/%#" PRIx64 " general", step, (uint64_t)gfp, order, nid, rf, pf, rs, ps);
	if (!rf && p->nr_held < MAX_HELD)
		p->held[p->nr_held++] = (struct blk){ pf, order };
	else if (!rf) {
		assert_int_equal(hn_free_pages(p->fast, pf, order), 0);
		assert_int_equal(hn_free_pages(p->slow, ps, order), 0);
	}
}

static void op_free(struct pair *p, uint64_t r, uint64_t step)
{
	size_t i;
	struct blk b;
	int rf, rs;

	if (!p->nr_held)
		return;
	i = (size_t)((r >> 8) % p->nr_held);
	b = p->held[i];
	p->held[i] = p->held[--p->nr_held];
	rf = hn_free_pages(p->fast, b.pfn, b.order);
	rs = hn_free_pages(p->slow, b.pfn, b.order);
	if (rf || rs)
		fail_msg("step %" PRIu64 ": free %#" PRIx64 " order %u: %d fast, %d general", step, b.pfn,
			 b.order, rf, rs);
	/* now and then, the same block again: both must refuse it alike */
	if ((r >> 40) % 64 == 0) {
		rf = hn_free_pages(p->fast, b.pfn, b.order);
		rs = hn_free_pages(p->slow, b.pfn, b.order);
		assert_int_equal(rf, -EINVAL);
		assert_int_equal(rs, -EINVAL);
		assert_string_equal(p->tr_fast.last_reason, p->tr_slow.last_reason);
	}
}

/*
 * Memory hotplug of an attribute range (HN_SIM_HNUMA; -EOPNOTSUPP
 * elsewhere): it drains the pcp lists, moves free blocks and changes the
 * watermarks and every pcp's high_min/high_max, after which pcp->high may
 * lie outside them until the next clamp.
 */
static void op_attr_hotplug(struct pair *p, uint64_t r, uint64_t step)
{
	const unsigned int levels[HN_MATTR_NR_PROPS] = { 8, 6, 11, 9, 1, 10 };
	uint64_t block = 1ULL << hn_sim_max_page_order(p->fast), start;
	int nid = (int)((r >> 12) % (uint64_t)hn_sim_nr_node_ids(p->fast));
	struct hn_node_info ni;
	hn_mattr_t word = 0;
	uint64_t pf, ps;
	unsigned int cpu;
	int ret;

	assert_int_equal(hn_mattr_make(levels, &word), 0);
	if (p->attr_start && (r >> 20) & 1) {
		assert_int_equal(hn_sim_attr_range_remove(p->fast, p->attr_start),
				 hn_sim_attr_range_remove(p->slow, p->attr_start));
		p->attr_start = 0;
		return;
	}
	if (hn_sim_node_info(p->fast, nid, &ni) || ni.node_spanned_pages < 2 * block)
		return;
	start = (ni.node_start_pfn + block - 1) & ~(block - 1);
	start += block * ((r >> 24) % (ni.node_spanned_pages / block - 1));
	ret = hn_sim_attr_range_add(p->fast, start, start + block, word);
	assert_int_equal(hn_sim_attr_range_add(p->slow, start, start + block, word), ret);
	if (ret)
		return;
	p->attr_start = start;
	/*
	 * A page allocated here and freed on another CPU, whose pcp->high the
	 * new limits left unclamped: the free must clamp it, fast or not.
	 */
	cpu = (unsigned int)((r >> 32) % hn_sim_nr_cpu_ids(p->fast));
	ret = hn_alloc_pages(p->fast, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &pf);
	assert_int_equal(hn_alloc_pages(p->slow, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &ps), ret);
	if (ret)
		return;
	assert_int_equal(pf, ps);
	assert_int_equal(hn_sim_set_cpu(p->fast, cpu), hn_sim_set_cpu(p->slow, cpu));
	assert_int_equal(hn_free_pages(p->fast, pf, 0), 0);
	assert_int_equal(hn_free_pages(p->slow, ps, 0), 0);
	same_state(p, step);
}

static void op_other(struct pair *p, uint64_t r, uint64_t step)
{
	switch ((r >> 8) % 6) {
	case 5:
		op_attr_hotplug(p, r, step);
		break;
	case 0:
	case 1: {
		unsigned int cpu = (unsigned int)((r >> 12) % hn_sim_nr_cpu_ids(p->fast));

		assert_int_equal(hn_sim_set_cpu(p->fast, cpu), hn_sim_set_cpu(p->slow, cpu));
		break;
	}
	case 2:
		assert_int_equal(hn_drain_local_pages(p->fast), hn_drain_local_pages(p->slow));
		break;
	case 3: {
		/* offline (refused while a page of the node is held) or online again */
		int nid = (int)((r >> 12) % (uint64_t)hn_sim_nr_node_ids(p->fast));
		bool online = (r >> 20) & 1;

		assert_int_equal(hn_sim_set_node_online(p->fast, nid, online),
				 hn_sim_set_node_online(p->slow, nid, online));
		break;
	}
	default:
		assert_int_equal(hn_drain_all_pages(p->fast), hn_drain_all_pages(p->slow));
		break;
	}
}

static void step_once(struct pair *p, uint64_t step, size_t cap, unsigned int alloc_pct)
{
	uint64_t r = next_rand(p);
	unsigned int pick = (unsigned int)(r % 100);

	if (pick < alloc_pct && p->nr_held < cap)
		op_alloc(p, r, step);
	else if (pick < 97)
		op_free(p, r, step);
	else
		op_other(p, r, step);
}

static void free_all(struct pair *p, uint64_t step)
{
	while (p->nr_held)
		op_free(p, next_rand(p) & ~(0xffULL << 40), step);
}

/*
 * With nothing held and the lists drained, the last node can go offline:
 * its CPUs and requests naming it then go through the paths for an
 * offline node while the others carry on.
 */
static void offline_phase(struct pair *p, uint64_t step)
{
	int nid = hn_sim_nr_node_ids(p->fast) - 1;

	free_all(p, step);
	assert_int_equal(hn_drain_all_pages(p->fast), 0);
	assert_int_equal(hn_drain_all_pages(p->slow), 0);
	assert_int_equal(hn_sim_set_node_online(p->fast, nid, false), 0);
	assert_int_equal(hn_sim_set_node_online(p->slow, nid, false), 0);
	same_state(p, step);
	for (int i = 0; i < 3000; i++)
		step_once(p, step, 3000, 55);
	same_state(p, step);
	free_all(p, step);
	assert_int_equal(hn_sim_set_node_online(p->fast, nid, true), 0);
	assert_int_equal(hn_sim_set_node_online(p->slow, nid, true), 0);
}

/*
 * Phases: a light one (a few thousand pages held), one with a node
 * offline, a heavy one that holds up to nearly everything (zones cross
 * high, low and min), and a drain.
 */
static void run_pair(struct pair *p, uint64_t steps)
{
	uint64_t heavy_from = steps / 3, heavy_to = 2 * steps / 3;

	for (uint64_t step = 0; step < steps; step++) {
		bool heavy = step >= heavy_from && step < heavy_to;

		if (step == steps / 6)
			offline_phase(p, step);
		step_once(p, step, heavy ? MAX_HELD : 3000, heavy ? 75u : 55u);
		if (step % 1024 == 0)
			same_state(p, step);
	}
	free_all(p, steps);
	same_state(p, steps);
	assert_int_equal(hn_drain_all_pages(p->fast), 0);
	assert_int_equal(hn_drain_all_pages(p->slow), 0);
	same_state(p, steps + 1);
	if (HN_DEBUG_VM_ENABLED)
		assert_true(p->fast->fastpath_hits > p->order0_calls / 2);
	assert_int_equal(p->slow->fastpath_hits, 0);
}

static void pair_fini(struct pair *p)
{
	hn_sim_destroy(p->fast);
	hn_sim_destroy(p->slow);
	hn_machine_free(p->m);
	free(p->held);
}

static void same_results_with_pcp(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, two_nodes(), 0);
	run_pair(&p, 60000);
	pair_fini(&p);
}

static void same_results_without_pcp(void **state)
{
	struct pair p;

	(void)state;
	pair_init(&p, two_nodes(), HN_SIM_NO_PCP);
	run_pair(&p, 60000);
	pair_fini(&p);
}

static void same_results_on_x86_zones(void **state)
{
	struct hn_machine *m = NULL;
	struct pair p;

	(void)state;
	assert_int_equal(hn_machine_builtin_scaled(&m, "default", 8 * GiB), 0);
	pair_init(&p, m, 0);
	run_pair(&p, 40000);
	pair_fini(&p);
}

static void ignore_event(void *ctx, const struct hn_trace_event *ev)
{
	(void)ctx;
	(void)ev;
}

/*
 * Hierarchical NUMA: attribute requests and frees into attribute nodes
 * always take the general path, plain ones may be fast; both must leave
 * the same state.
 */
static void same_results_with_attribute_nodes(void **state)
{
	struct hn_machine *m = NULL;
	struct pair p;

	(void)state;
	assert_int_equal(hn_machine_builtin_scaled(&m, "dram-nvdimm", 4 * GiB), 0);
	pair_init(&p, m, HN_SIM_HNUMA);
	run_pair(&p, 30000);
	pair_fini(&p);
}

/* Tracing and armed fault sites turn the fast paths off, and back on. */
static void fastpath_follows_tracing_and_faults(void **state)
{
	struct test_reports tr = { 0 };
	struct hn_machine *m = two_nodes();
	struct hn_sim *sim = boot_one(m, 0, &tr);
	struct hn_fault_attr attr = { .probability = 100 };
	struct hn_fault_attr none = { 0 };

	(void)state;
	assert_true(sim->fastpath);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC, &attr), 0);
	assert_false(sim->fastpath);
	assert_int_equal(hn_fault_set(sim, HN_FAULT_PAGE_ALLOC, &none), 0);
	assert_true(sim->fastpath);
	assert_int_equal(hn_trace_set_sink(sim, ignore_event, NULL), 0);
	assert_false(sim->fastpath);
	assert_int_equal(hn_trace_set_sink(sim, NULL, NULL), 0);
	assert_true(sim->fastpath);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_results_with_pcp),
		cmocka_unit_test(same_results_without_pcp),
		cmocka_unit_test(same_results_on_x86_zones),
		cmocka_unit_test(same_results_with_attribute_nodes),
		cmocka_unit_test(fastpath_follows_tracing_and_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
