/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_machine.c - the machine-description builder (src/hw/machine.c):
 * every call's success and documented errors, the layout rules, and each
 * reason hn_machine_validate() gives for an impossible machine.
 */
#include "hn_test.h"

#include <errno.h>

#define GiB (1ULL << 30)

static void machine_new_and_free(void **state)
{
	struct hn_machine *m = NULL;

	(void)state;
	assert_int_equal(hn_machine_new(NULL, "x"), -EINVAL);
	assert_int_equal(hn_machine_new(&m, NULL), 0);
	assert_string_equal(hn_machine_name(m), "unnamed");
	assert_string_equal(hn_machine_description(m), "");
	assert_int_equal(hn_machine_set_description(m, "a box"), 0);
	assert_string_equal(hn_machine_description(m), "a box");
	assert_int_equal(hn_machine_set_description(m, NULL), -EINVAL);
	assert_int_equal(hn_machine_set_description(NULL, "x"), -EINVAL);
	hn_machine_free(m);
	hn_machine_free(NULL);
	/* names longer than HN_NAME_LEN are cut, never overflow */
	assert_int_equal(hn_machine_new(&m, "a-machine-name-that-is-much-longer-than-thirty-two"), 0);
	assert_int_equal(strlen(hn_machine_name(m)), HN_NAME_LEN - 1);
	hn_machine_free(m);
}

static void machine_add_memdev_errors(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, HN_ADDR_AUTO, GiB), bad;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "m"), 0);
	assert_int_equal(hn_machine_add_memdev(NULL, &d), -EINVAL);
	assert_int_equal(hn_machine_add_memdev(m, NULL), -EINVAL);
	bad = d, bad.kind = HN_MEM_NR_KINDS;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.nid = -1;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.nid = HN_MAX_NUMNODES;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.size = 0;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.size = 4097;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.base = 0x1234;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.base = UINT64_MAX - 4095, bad.size = 8192;	/* wraps */
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.read_latency_ns = 0;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.read_bw_mbps = 0;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.zone = (enum hn_zone_hint)9;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	/* compression only on a compressing device, and a ratio of at least 1 */
	bad = d, bad.compress.algo = HN_COMPRESS_LZ4, bad.compress.ratio_x100 = 200;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad = d, bad.kind = HN_MEM_CXL_COMPRESSED;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad.compress.algo = HN_COMPRESS_LZ4, bad.compress.ratio_x100 = 50;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad.compress.ratio_x100 = 250;
	assert_int_equal(hn_machine_add_memdev(m, &bad), 0);
	assert_int_equal(hn_machine_nr_memdevs(m), 1);
	/* a loaded-latency curve: utilisation rising, latency never falling, <= 12 points */
	bad = d, bad.nr_loaded = 2;
	bad.loaded[0] = (struct hn_curve_point){ 0, 90 };
	bad.loaded[1] = (struct hn_curve_point){ 1001, 200 };
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad.loaded[1] = (struct hn_curve_point){ 0, 200 };
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad.loaded[1] = (struct hn_curve_point){ 500, 89 };
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad.loaded[1] = (struct hn_curve_point){ 500, 0 };
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	bad.nr_loaded = HN_CURVE_MAX_POINTS + 1;
	assert_int_equal(hn_machine_add_memdev(m, &bad), -EINVAL);
	/* write figures default to the read figures */
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	assert_int_equal(hn_machine_memdev(m, 1, &bad), 0);
	assert_int_equal(bad.write_latency_ns, d.read_latency_ns);
	assert_int_equal(bad.write_bw_mbps, d.read_bw_mbps);
	assert_int_equal(hn_machine_memdev(m, 2, &bad), -ENOENT);
	assert_int_equal(hn_machine_memdev(m, -1, &bad), -ENOENT);
	assert_int_equal(hn_machine_memdev(m, 0, NULL), -EINVAL);
	hn_machine_free(m);
}

static void machine_add_initiator_errors(void **state)
{
	struct hn_machine *m;
	struct hn_initiator_desc c = test_cpus(0, "0-3"), bad;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "m"), 0);
	assert_int_equal(hn_machine_add_initiator(NULL, &c), -EINVAL);
	assert_int_equal(hn_machine_add_initiator(m, NULL), -EINVAL);
	bad = c, bad.nid = -2;
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad = test_cpus(0, "3-1");
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad = test_cpus(0, "0-3,x");
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad = test_cpus(0, "4096");
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad = test_cpus(0, "");		/* a CPU initiator needs CPUs */
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad.kind = HN_INIT_GPU;		/* a GPU does not */
	assert_int_equal(hn_machine_add_initiator(m, &bad), 0);
	/* an LLC filter: line a power of two, 1..64 ways, size a multiple of line * ways */
	bad = c, bad.llc_size = 32 << 20, bad.llc_line = 48, bad.llc_ways = 16;
	bad.llc_latency_ns = 20;
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad.llc_line = 64, bad.llc_ways = 0;
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad.llc_ways = 16, bad.llc_size = 1000000;
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	bad.llc_size = 32 << 20, bad.llc_latency_ns = 0;
	assert_int_equal(hn_machine_add_initiator(m, &bad), -EINVAL);
	assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	assert_int_equal(hn_machine_nr_initiators(m), 2);
	assert_int_equal(hn_machine_initiator(m, 1, &bad), 0);
	assert_string_equal(bad.cpus, "0-3");
	assert_int_equal(hn_machine_initiator(m, 2, &bad), -ENOENT);
	hn_machine_free(m);
}

static void machine_distances_and_access(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, GiB), d1 = test_dram(1, HN_ADDR_AUTO, GiB);
	struct hn_initiator_desc c0 = test_cpus(0, "0");
	struct hn_access_desc a;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "m"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d0), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d1), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c0), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 9), -EINVAL);
	assert_int_equal(hn_machine_set_distance(m, -1, 1, 20), -EINVAL);
	assert_int_equal(hn_machine_set_distance(NULL, 0, 1, 20), -EINVAL);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 30), 0);
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);
	/* the opposite direction is filled in symmetrically, local is 10 */
	assert_int_equal(hn_machine_distance(m, 1, 0), 30);
	assert_int_equal(hn_machine_distance(m, 1, 1), 10);
	assert_int_equal(hn_machine_distance(m, 0, 5), 0);
	/*
	 * Node 1 has no initiator of its own; its nearest is node 0 at 30,
	 * so node 0 sees node 1's own figures.
	 */
	assert_int_equal(hn_machine_access(m, 0, 1, &a), 0);
	assert_int_equal(a.read_latency_ns, 90);
	assert_int_equal(a.read_bw_mbps, 50000);
	assert_int_equal(hn_machine_access(m, 1, 0, &a), -ENOENT);	/* 1 is no initiator */
	assert_int_equal(hn_machine_access(m, 0, 9, &a), -ENODEV);
	assert_int_equal(hn_machine_access(m, 0, 1, NULL), -EINVAL);
	assert_int_equal(hn_machine_set_access(m, 0, 1, NULL), -EINVAL);
	assert_int_equal(hn_machine_set_access(m, 0, 1, &(struct hn_access_desc){ .read_latency_ns = 200 }), 0);
	assert_int_equal(hn_machine_access(m, 0, 1, &a), 0);
	assert_int_equal(a.read_latency_ns, 200);
	assert_int_equal(a.read_bw_mbps, 50000);	/* merged, not replaced */
	hn_machine_free(m);
}

/*
 * Layout: devices without an address are packed from 0 on 1 GiB boundaries
 * in node order, stepping over explicitly placed ones; on x86 the device at
 * 0 loses page 0 and the legacy window and has the PCI hole remapped above
 * 4 GiB.
 *
 *   node 0: 4G at 0  ->  [4K,636K) [1M,3G) [4G,5G)      span end 5G
 *   node 1: explicit 2G at 5G                            (stepped over)
 *   node 2: 2G auto  ->  7G
 */
static void machine_layout_packs_and_steps_over(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, 4 * GiB);
	struct hn_memdev_desc d1 = test_dram(1, 5 * GiB, 2 * GiB);
	struct hn_memdev_desc d2 = test_dram(2, HN_ADDR_AUTO, 2 * GiB), out;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "m"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d2), 0);	/* insertion order differs */
	assert_int_equal(hn_machine_add_memdev(m, &d0), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d1), 0);
	assert_int_equal(hn_machine_layout(m), 0);
	assert_int_equal(hn_machine_memdev(m, 1, &out), 0);
	assert_int_equal(out.base, 0);
	assert_int_equal(hn_machine_memdev(m, 0, &out), 0);
	assert_int_equal(out.base, 7 * GiB);
	assert_int_equal(hn_machine_validate(m, 4, NULL), 0);
	assert_int_equal(hn_machine_total_memory(m), 8 * GiB);
	assert_int_equal(hn_machine_layout(NULL), -EINVAL);
	hn_machine_free(m);
}

struct reject_case {
	const char *name;
	const char *expect;	/* a word the reason must contain */
	void (*build)(struct hn_machine *m);
};

static void add(struct hn_machine *m, struct hn_memdev_desc d)
{
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
}

static void build_overlap(struct hn_machine *m)
{
	add(m, test_dram(0, 0x100000000ULL, 4 * GiB));
	add(m, test_dram(1, 0x180000000ULL, 4 * GiB));
}

static void build_asymmetric(struct hn_machine *m)
{
	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	add(m, test_dram(1, HN_ADDR_AUTO, GiB));
	hn_machine_set_distance(m, 0, 1, 20);
	hn_machine_set_distance(m, 1, 0, 30);
}

static void build_remote_ten(struct hn_machine *m)
{
	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	add(m, test_dram(1, HN_ADDR_AUTO, GiB));
	hn_machine_set_distance(m, 0, 1, 10);
}

static void build_local_not_ten(struct hn_machine *m)
{
	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	hn_machine_set_distance(m, 0, 0, 12);
}

static void build_cpu_twice(struct hn_machine *m)
{
	struct hn_initiator_desc a = test_cpus(0, "0-7"), b = test_cpus(1, "7-15");

	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	assert_int_equal(hn_machine_add_initiator(m, &a), 0);
	assert_int_equal(hn_machine_add_initiator(m, &b), 0);
}

static void build_no_memory(struct hn_machine *m)
{
	struct hn_initiator_desc a = test_cpus(0, "0-7");

	assert_int_equal(hn_machine_add_initiator(m, &a), 0);
}

static void build_too_many_nodes(struct hn_machine *m)
{
	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	add(m, test_dram(9, HN_ADDR_AUTO, GiB));
}

static void build_access_without_initiator(struct hn_machine *m)
{
	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	add(m, test_dram(1, HN_ADDR_AUTO, GiB));
	hn_machine_set_access(m, 1, 0, &(struct hn_access_desc){ .read_latency_ns = 100 });
}

static void build_off_the_top(struct hn_machine *m)
{
	/* node 0 fills all but the top GiB; node 1's 2 GiB cannot fit after it */
	hn_machine_set_arch(m, HN_ARCH_GENERIC);
	add(m, test_dram(0, 0, 0xffffffffc0000000ULL));
	add(m, test_dram(1, HN_ADDR_AUTO, 2 * GiB));
}

static void build_link_to_undeclared(struct hn_machine *m)
{
	struct hn_link_desc l = { .name = "upi0", .a = 0, .b = 3, .bw_mbps = 1000 };

	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	assert_int_equal(hn_machine_add_link(m, &l), 0);
}

static void build_cache_over_memory(struct hn_machine *m)
{
	struct hn_memcache_desc c = { .nid = 0, .level = 1, .size = 2 * GiB, .line = 64 };

	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	assert_int_equal(hn_machine_add_memcache(m, &c), 0);
}

static void build_x86_remap_wraps(struct hn_machine *m)
{
	/* the PCI-hole remap pushes this device's end past 2^64 */
	add(m, test_dram(0, 0, 0xffffffffc0000000ULL));
}

static void machine_validate_rejects_impossible_machines(void **state)
{
	static const struct reject_case cases[] = {
		{ "overlapping devices", "overlap", build_overlap },
		{ "asymmetric distances", "asymmetric", build_asymmetric },
		{ "remote distance of 10", "exceed", build_remote_ten },
		{ "local distance of 12", "itself", build_local_not_ten },
		{ "a CPU in two nodes", "cpu 7", build_cpu_twice },
		{ "no memory", "no memory", build_no_memory },
		{ "more nodes than max_nodes", "maximum", build_too_many_nodes },
		{ "HMAT from a non-initiator", "no initiator", build_access_without_initiator },
		{ "layout past the top", "address space", build_off_the_top },
		{ "x86 remap past the top", "wraps", build_x86_remap_wraps },
		{ "a link to an undeclared node", "link upi0 joins node 3",
		  build_link_to_undeclared },
		{ "a cache larger than its memory", "larger than the memory behind it",
		  build_cache_over_memory },
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_log tl = { 0 };
		struct hn_log_sink sink = TEST_LOG_SINK(&tl);
		struct hn_machine *m;

		assert_int_equal(hn_machine_new(&m, cases[i].name), 0);
		cases[i].build(m);
		if (hn_machine_validate(m, 8, &sink) != -EINVAL)
			fail_msg("%s: accepted", cases[i].name);
		if (!strstr(tl.last, cases[i].expect))
			fail_msg("%s: reason '%s' lacks '%s'", cases[i].name, tl.last, cases[i].expect);
		hn_machine_free(m);
	}
	assert_int_equal(hn_machine_validate(NULL, 0, NULL), -EINVAL);
}

/*
 * Links between nodes, as the cost model's paths use them:
 *
 *   node 0 ==upi0== node 1
 *
 * Expect each builder error to leave the list alone, the link to read back
 * as added, and validation to accept it once both nodes exist.
 */
static void machine_links_check(void **state)
{
	struct hn_link_desc l = { .name = "upi0", .a = 0, .b = 1, .bw_mbps = 117130,
				  .latency_ns = 79 }, bad, out;
	struct hn_machine *m, *c;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "m"), 0);
	assert_int_equal(hn_machine_nr_links(m), 0);
	assert_int_equal(hn_machine_add_link(NULL, &l), -EINVAL);
	assert_int_equal(hn_machine_add_link(m, NULL), -EINVAL);
	bad = l, bad.a = -1;
	assert_int_equal(hn_machine_add_link(m, &bad), -EINVAL);
	bad = l, bad.b = HN_MAX_NUMNODES;
	assert_int_equal(hn_machine_add_link(m, &bad), -EINVAL);
	bad = l, bad.b = 0;
	assert_int_equal(hn_machine_add_link(m, &bad), -EINVAL);
	bad = l, bad.bw_mbps = 0;
	assert_int_equal(hn_machine_add_link(m, &bad), -EINVAL);
	assert_int_equal(hn_machine_nr_links(m), 0);
	/* a name without its NUL is cut, never read past */
	bad = l;
	memset(bad.name, 'x', sizeof(bad.name));
	assert_int_equal(hn_machine_add_link(m, &l), 0);
	assert_int_equal(hn_machine_add_link(m, &bad), 0);
	assert_int_equal(hn_machine_nr_links(m), 2);
	assert_int_equal(hn_machine_link(m, 0, &out), 0);
	assert_string_equal(out.name, "upi0");
	assert_int_equal(out.a, 0);
	assert_int_equal(out.b, 1);
	assert_int_equal(out.bw_mbps, 117130);
	assert_int_equal(out.latency_ns, 79);
	assert_int_equal(hn_machine_link(m, 1, &out), 0);
	assert_int_equal(strlen(out.name), HN_NAME_LEN - 1);
	assert_int_equal(hn_machine_link(m, 2, &out), -ENOENT);
	assert_int_equal(hn_machine_link(m, -1, &out), -ENOENT);
	assert_int_equal(hn_machine_link(m, 0, NULL), -EINVAL);
	assert_int_equal(hn_machine_link(NULL, 0, &out), -EINVAL);
	add(m, test_dram(0, HN_ADDR_AUTO, GiB));
	add(m, test_dram(1, HN_ADDR_AUTO, GiB));
	assert_int_equal(hn_machine_validate(m, 0, NULL), 0);
	assert_int_equal(hn_machine_clone(&c, m), 0);
	hn_machine_free(m);		/* the clone keeps its own links */
	assert_int_equal(hn_machine_nr_links(c), 2);
	assert_int_equal(hn_machine_link(c, 0, &out), 0);
	assert_string_equal(out.name, "upi0");
	hn_machine_free(c);
}

static void machine_clone_is_deep(void **state)
{
	struct hn_machine *m, *c;
	struct hn_memdev_desc d = test_dram(0, HN_ADDR_AUTO, GiB), out;
	struct hn_initiator_desc cpu = test_cpus(0, "0-1");

	(void)state;
	assert_int_equal(hn_machine_new(&m, "orig"), 0);
	assert_int_equal(hn_machine_set_description(m, "described"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	assert_int_equal(hn_machine_add_initiator(m, &cpu), 0);
	assert_int_equal(hn_machine_clone(NULL, m), -EINVAL);
	c = m;
	assert_int_equal(hn_machine_clone(&c, NULL), -EINVAL);
	assert_null(c);
	assert_int_equal(hn_machine_clone(&c, m), 0);
	hn_machine_free(m);		/* the clone must not share anything */
	assert_string_equal(hn_machine_name(c), "orig");
	assert_string_equal(hn_machine_description(c), "described");
	assert_int_equal(hn_machine_memdev(c, 0, &out), 0);
	assert_int_equal(out.size, GiB);
	assert_int_equal(hn_machine_validate(c, 0, NULL), 0);
	hn_machine_free(c);
}

static void machine_misc_setters(void **state)
{
	struct hn_machine *m;
	enum hn_mem_kind k;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "m"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_PPC64), 0);
	assert_int_equal(hn_machine_arch(m), HN_ARCH_PPC64);
	assert_int_equal(hn_machine_set_arch(m, (enum hn_arch)7), -EINVAL);
	assert_int_equal(hn_machine_set_page_size(m, 65536), 0);
	assert_int_equal(hn_machine_page_size(m), 65536);
	assert_int_equal(hn_machine_set_page_size(m, 3000), -EINVAL);
	assert_int_equal(hn_machine_set_page_size(m, 4 << 20), -EINVAL);
	assert_int_equal(hn_machine_set_page_size(m, 0), 0);
	assert_int_equal(hn_machine_add_node(m, 3), 0);
	assert_true(hn_machine_node_exists(m, 3));
	assert_false(hn_machine_node_exists(m, 2));
	assert_int_equal(hn_machine_nr_node_ids(m), 4);
	assert_int_equal(hn_machine_add_node(m, -1), -EINVAL);
	assert_int_equal(hn_machine_add_memcache(m, &(struct hn_memcache_desc){
		.nid = 0, .level = 1, .size = 1 << 20, .assoc = HN_CACHE_DIRECT,
		.policy = HN_CACHE_WRITE_BACK, .line = 64 }), 0);
	assert_int_equal(hn_machine_add_memcache(m, &(struct hn_memcache_desc){
		.nid = 0, .level = 4, .size = 1 << 20 }), -EINVAL);
	assert_int_equal(hn_machine_nr_memcaches(m), 1);
	assert_string_equal(hn_mem_kind_name(HN_MEM_CXL_COMPRESSED), "cxl-compressed");
	assert_null(hn_mem_kind_name(HN_MEM_NR_KINDS));
	assert_int_equal(hn_mem_kind_parse("mcdram", &k), 0);
	assert_int_equal(k, HN_MEM_HBM);
	assert_int_equal(hn_mem_kind_parse("pmem", &k), 0);
	assert_int_equal(k, HN_MEM_NVDIMM);
	assert_int_equal(hn_mem_kind_parse("flash", &k), -EINVAL);
	assert_int_equal(hn_mem_kind_parse(NULL, &k), -EINVAL);
	hn_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(machine_new_and_free),
		cmocka_unit_test(machine_add_memdev_errors),
		cmocka_unit_test(machine_add_initiator_errors),
		cmocka_unit_test(machine_distances_and_access),
		cmocka_unit_test(machine_layout_packs_and_steps_over),
		cmocka_unit_test(machine_validate_rejects_impossible_machines),
		cmocka_unit_test(machine_links_check),
		cmocka_unit_test(machine_clone_is_deep),
		cmocka_unit_test(machine_misc_setters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
