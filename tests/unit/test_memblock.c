/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_memblock.c - memblock unit tests (CMocka).
 *
 * Modelled on the kernel's tools/testing/memblock suite (basic_api, alloc_api,
 * alloc_helpers_api, alloc_nid_api, alloc_exact_nid_api): every scenario
 * carries a small picture and an "Expect ..." sentence, allocation scenarios
 * run top-down and bottom-up (the _top_down / _bottom_up entries), and the
 * validator runs after every operation.  Unlike the kernel suite there is no
 * global to reset: each test builds its own memblock.
 *
 * Host allocation failures are injected through -Wl,--wrap=malloc/calloc/
 * realloc (see meson.build.memblock).  The randomized test compares 100k
 * operations with a byte-map model and prints its seed on failure; set
 * HN_TEST_SEED to replay one.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hnuma/memblock.h>

#include "core/memblock.h"

#define SZ_2 2ull
#define SZ_4 4ull
#define SZ_8 8ull
#define SZ_16 16ull
#define SZ_32 32ull
#define SZ_64 64ull
#define SZ_128 128ull
#define SZ_256 256ull
#define SZ_512 512ull
#define SZ_1K 0x400ull
#define SZ_2K 0x800ull
#define SZ_4K 0x1000ull
#define SZ_8K 0x2000ull
#define SZ_16K 0x4000ull
#define SZ_32K 0x8000ull
#define SZ_64K 0x10000ull
#define SZ_128K 0x20000ull
#define SZ_256K 0x40000ull
#define SZ_1M 0x100000ull
#define SZ_2M 0x200000ull
#define SZ_4M 0x400000ull
#define SZ_8M 0x800000ull
#define SZ_16M 0x1000000ull
#define SZ_32M 0x2000000ull
#define SZ_1G 0x40000000ull
#define SZ_512K_ 0x80000ull
#define SZ_48M_ 0x3000000ull
#define SZ_64M_ 0x4000000ull
#define SZ_128M_ 0x8000000ull
#define SZ_256M_ 0x10000000ull
#define SZ_2G_ 0x80000000ull

#define PAGE_SIZE SZ_4K
#define MEM_SIZE SZ_32K
#define SMP_CACHE_BYTES 64ull
#define NUMA_NODES 8
#define MAX_NODES 64 /* default max_nodes: the nid of memblock_add()ed memory */

#define MEMORY HN_MEMBLOCK_MEMORY
#define RESERVED HN_MEMBLOCK_RESERVED

/* ------------------------------------------------------------------------ */
/* Host allocation failure injection                                         */

/*
 * Weak, so that the test still links without the --wrap flags; the
 * allocation-failure cases then skip themselves (alloc_wrap_active()).
 */
void *__real_malloc(size_t n) __attribute__((weak));
void *__real_calloc(size_t n, size_t m) __attribute__((weak));
void *__real_realloc(void *p, size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

/* Number of allocations to let through before failing one; -1 = never. */
static long alloc_fail_after = -1;
static unsigned long alloc_wrap_calls;

static bool alloc_should_fail(void)
{
	alloc_wrap_calls++;
	if (alloc_fail_after < 0)
		return false;
	if (alloc_fail_after == 0) {
		alloc_fail_after = -1;
		return true;
	}
	alloc_fail_after--;
	return false;
}

void *__wrap_malloc(size_t n)
{
	return alloc_should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	return alloc_should_fail() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	return alloc_should_fail() ? NULL : __real_realloc(p, n);
}

/* Whether the library's allocations really go through the wrappers. */
static bool alloc_wrap_active(void)
{
	static bool warned;
	unsigned long before = alloc_wrap_calls;
	struct hn_memblock *mb;

	if (hn_memblock_create(&mb, NULL) == 0)
		hn_memblock_destroy(mb);
	if (alloc_wrap_calls == before && !warned) {
		fprintf(stderr, "allocation wrappers not linked in: -ENOMEM cases skipped\n");
		warned = true;
	}
	return alloc_wrap_calls != before;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

struct logcap {
	int n;
	int warnings;
	enum hn_log_level last_level;
	char last[512];
};

static void logcap_fn(void *ctx, enum hn_log_level level, const char *msg)
{
	struct logcap *c = ctx;

	c->n++;
	if (level <= HN_LOG_WARNING)
		c->warnings++;
	c->last_level = level;
	snprintf(c->last, sizeof(c->last), "%s", msg);
}

struct opts {
	unsigned int init_regions;
	bool bottom_up;
	bool resize;
	bool movable_node;
	bool mirror;
	struct logcap *log;
};

static struct hn_memblock *mk_opts(struct opts o)
{
	struct hn_memblock_config cfg = { 0 };
	struct hn_memblock *mb = NULL;

	cfg.bottom_up = o.bottom_up;
	cfg.init_regions = o.init_regions;
	cfg.movable_node = o.movable_node;
	cfg.mirrored_kernelcore = o.mirror;
	if (o.log) {
		cfg.log.fn = logcap_fn;
		cfg.log.ctx = o.log;
	}
	assert_int_equal(hn_memblock_create(&mb, &cfg), 0);
	assert_non_null(mb);
	if (o.resize)
		hn_memblock_allow_resize(mb);
	assert_int_equal(hn_memblock_check(mb), 0);
	return mb;
}

static struct hn_memblock *mk(bool bottom_up)
{
	return mk_opts((struct opts){ .bottom_up = bottom_up });
}

#define CHECK(mb) assert_int_equal(hn_memblock_check(mb), 0)
/* Run an operation expected to succeed, then validate. */
#define OK(mb, expr)                                                       \
	do {                                                               \
		assert_int_equal((expr), 0);                               \
		CHECK(mb);                                                 \
	} while (0)
/* Run an operation expected to fail with @err, then validate. */
#define FAILS(mb, err, expr)                                               \
	do {                                                               \
		assert_int_equal((expr), (err));                           \
		CHECK(mb);                                                 \
	} while (0)

static struct hn_memblock_region rgn(const struct hn_memblock *mb,
				     enum hn_memblock_type_id t, unsigned long i)
{
	struct hn_memblock_region r;

	assert_int_equal(hn_memblock_region_get(mb, t, i, &r), 0);
	return r;
}

static uint64_t rend(struct hn_memblock_region r)
{
	return r.base + r.size;
}

static void assert_region(const struct hn_memblock *mb, enum hn_memblock_type_id t,
			  unsigned long i, uint64_t base, uint64_t size)
{
	struct hn_memblock_region r = rgn(mb, t, i);

	assert_int_equal(r.base, base);
	assert_int_equal(r.size, size);
}

static void assert_counts(const struct hn_memblock *mb, enum hn_memblock_type_id t,
			  unsigned long cnt, uint64_t total)
{
	assert_int_equal(hn_memblock_region_count(mb, t), cnt);
	assert_int_equal(t == MEMORY ? hn_memblock_phys_mem_size(mb)
				     : hn_memblock_reserved_size(mb),
			 total);
}

/* Both directions for an allocation scenario written as f(bool bottom_up). */
#define BOTH(fn)                                                           \
	static void fn##_top_down(void **state)                            \
	{                                                                  \
		(void)state;                                               \
		fn(false);                                                 \
	}                                                                  \
	static void fn##_bottom_up(void **state)                           \
	{                                                                  \
		(void)state;                                               \
		fn(true);                                                  \
	}
#define BOTH_ENTRIES(fn) cmocka_unit_test(fn##_top_down), cmocka_unit_test(fn##_bottom_up)

/* ======================================================================== */
/* Creation and trivial accessors                                            */

/*
 * A fresh memblock: both lists empty with their zero dummy region, 128-entry
 * arrays, top-down, no current limit.
 * Expect the kernel's static initial state.
 */
static void memblock_initialization(void **state)
{
	struct hn_memblock *mb;

	(void)state;
	assert_int_equal(hn_memblock_create(&mb, NULL), 0);
	CHECK(mb);
	assert_int_equal(mb->memory.cnt, 0);
	assert_int_equal(mb->memory.max, HN_MEMBLOCK_INIT_REGIONS);
	assert_string_equal(mb->memory.name, "memory");
	assert_int_equal(mb->reserved.cnt, 0);
	assert_int_equal(mb->reserved.max, HN_MEMBLOCK_INIT_REGIONS);
	assert_string_equal(mb->reserved.name, "reserved");
	assert_int_equal(mb->memory.regions[0].size, 0);
	assert_false(hn_memblock_bottom_up(mb));
	assert_int_equal(hn_memblock_get_current_limit(mb), HN_MEMBLOCK_ALLOC_ANYWHERE);
	assert_int_equal(mb->max_nodes, 64);
	assert_int_equal(mb->page_shift, 12);
	assert_int_equal(hn_memblock_region_count(mb, MEMORY), 0);
	assert_int_equal(hn_memblock_phys_mem_size(mb), 0);
	assert_int_equal(hn_memblock_reserved_size(mb), 0);
	hn_memblock_destroy(mb);
}

/*
 * Every configuration knob honoured, and every out-of-range one refused.
 * Expect -EINVAL for a NULL out pointer, max_nodes < 0 or > 1024, an absurd
 * init_regions and a page_shift outside 6..30; defaults for zeroes.
 */
static void memblock_create_config(void **state)
{
	struct hn_memblock_config cfg = { 0 };
	struct hn_memblock *mb = (struct hn_memblock *)&cfg; /* must stay untouched */

	(void)state;
	assert_int_equal(hn_memblock_create(NULL, NULL), -EINVAL);

	cfg.max_nodes = -1;
	assert_int_equal(hn_memblock_create(&mb, &cfg), -EINVAL);
	cfg.max_nodes = HN_MEMBLOCK_MAX_NODES_LIMIT + 1;
	assert_int_equal(hn_memblock_create(&mb, &cfg), -EINVAL);
	cfg.max_nodes = 0;
	cfg.init_regions = (1u << 20) + 1;
	assert_int_equal(hn_memblock_create(&mb, &cfg), -EINVAL);
	cfg.init_regions = 0;
	cfg.page_shift = 5;
	assert_int_equal(hn_memblock_create(&mb, &cfg), -EINVAL);
	cfg.page_shift = 31;
	assert_int_equal(hn_memblock_create(&mb, &cfg), -EINVAL);
	assert_ptr_equal(mb, (struct hn_memblock *)&cfg);

	cfg = (struct hn_memblock_config){ .bottom_up = true, .current_limit = SZ_1G,
					   .max_nodes = 1024, .init_regions = 3,
					   .page_shift = 16 };
	assert_int_equal(hn_memblock_create(&mb, &cfg), 0);
	CHECK(mb);
	assert_true(hn_memblock_bottom_up(mb));
	assert_int_equal(hn_memblock_get_current_limit(mb), SZ_1G);
	assert_int_equal(mb->max_nodes, 1024);
	assert_int_equal(mb->memory.max, 3);
	assert_int_equal(mb->page_shift, 16);
	hn_memblock_destroy(mb);
	hn_memblock_destroy(NULL);
}

/*
 * Host allocation failing at each of create's three allocations.
 * Expect -ENOMEM each time, nothing leaked (ASan would say), *out untouched.
 */
static void memblock_create_enomem(void **state)
{
	(void)state;
	if (!alloc_wrap_active())
		skip();
	for (long n = 0; n < 3; n++) {
		struct hn_memblock *mb = NULL;

		alloc_fail_after = n;
		assert_int_equal(hn_memblock_create(&mb, NULL), -ENOMEM);
		assert_null(mb);
	}
	alloc_fail_after = -1;
}

/*
 * The direction and limit accessors, including on NULL.
 * Expect set/get to round-trip and NULL to be ignored (false / 0).
 */
static void memblock_bottom_up_and_limit(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	hn_memblock_set_bottom_up(mb, true);
	assert_true(hn_memblock_bottom_up(mb));
	hn_memblock_set_bottom_up(mb, false);
	assert_false(hn_memblock_bottom_up(mb));
	hn_memblock_set_current_limit(mb, SZ_1M);
	assert_int_equal(hn_memblock_get_current_limit(mb), SZ_1M);
	hn_memblock_set_current_limit(mb, HN_MEMBLOCK_ALLOC_ANYWHERE);
	assert_int_equal(hn_memblock_get_current_limit(mb), HN_MEMBLOCK_ALLOC_ANYWHERE);
	hn_memblock_allow_resize(mb);
	assert_true(mb->can_resize);
	CHECK(mb);
	hn_memblock_destroy(mb);

	hn_memblock_set_bottom_up(NULL, true);
	hn_memblock_set_current_limit(NULL, 1);
	hn_memblock_allow_resize(NULL);
	assert_false(hn_memblock_bottom_up(NULL));
	assert_int_equal(hn_memblock_get_current_limit(NULL), 0);
}

/* ======================================================================== */
/* memblock_add / memblock_add_node                                          */

/*
 *  |        +--------+      |
 *  |        |  rgn   |      |
 *  +--------+--------+------+
 * Expect one region with the given base and size, nid == max_nodes (no
 * node), flags NONE; counters updated.
 */
static void memblock_add_simple(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_region r;

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1G, SZ_4M));
	assert_region(mb, MEMORY, 0, SZ_1G, SZ_4M);
	r = rgn(mb, MEMORY, 0);
	assert_int_equal(r.nid, MAX_NODES);
	assert_int_equal(r.flags, HN_MEMBLOCK_NONE);
	assert_int_equal(r.mattr, 0);
	assert_counts(mb, MEMORY, 1, SZ_4M);
	hn_memblock_destroy(mb);
}

/*
 * Same picture, through memblock_add_node with a node and HOTPLUG.
 * Expect the region to carry that nid and flag.
 */
static void memblock_add_node_simple(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_region r;

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_16M, 1, HN_MEMBLOCK_HOTPLUG));
	r = rgn(mb, MEMORY, 0);
	assert_int_equal(r.base, SZ_1M);
	assert_int_equal(r.size, SZ_16M);
	assert_int_equal(r.nid, 1);
	assert_int_equal(r.flags, HN_MEMBLOCK_HOTPLUG);
	assert_counts(mb, MEMORY, 1, SZ_16M);
	hn_memblock_destroy(mb);
}

/*
 * Argument checking of add/add_node.
 * Expect -EINVAL for NULL mb, nid < -1 or > max_nodes, unknown flag bits;
 * nid -1 and max_nodes accepted; size 0 is a successful no-op.
 */
static void memblock_add_errors(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	assert_int_equal(hn_memblock_add(NULL, 0, SZ_4K), -EINVAL);
	assert_int_equal(hn_memblock_add_node(NULL, 0, SZ_4K, 0, 0), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_add_node(mb, SZ_1M, SZ_4K, -2, 0));
	FAILS(mb, -EINVAL, hn_memblock_add_node(mb, SZ_1M, SZ_4K, MAX_NODES + 1, 0));
	FAILS(mb, -EINVAL, hn_memblock_add_node(mb, SZ_1M, SZ_4K, 0, 0x20));
	assert_counts(mb, MEMORY, 0, 0);
	OK(mb, hn_memblock_add(mb, SZ_1M, 0));
	assert_counts(mb, MEMORY, 0, 0);
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_4K, HN_NUMA_NO_NODE, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_2M, SZ_4K, MAX_NODES, 0));
	assert_int_equal(rgn(mb, MEMORY, 0).nid, HN_NUMA_NO_NODE);
	assert_int_equal(rgn(mb, MEMORY, 1).nid, MAX_NODES);
	hn_memblock_destroy(mb);
}

/*
 *  |   +--------+      +--------+  |
 *  |   |   r1   |      |   r2   |  |
 *  +---+--------+------+--------+--+
 * Expect two regions in address order, total the sum.
 */
static void memblock_add_disjoint(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1G, SZ_8K));
	OK(mb, hn_memblock_add(mb, SZ_1G / 2, SZ_16K));
	assert_region(mb, MEMORY, 0, SZ_1G / 2, SZ_16K);
	assert_region(mb, MEMORY, 1, SZ_1G, SZ_8K);
	assert_counts(mb, MEMORY, 2, SZ_8K + SZ_16K);
	hn_memblock_destroy(mb);
}

/*
 *  |    +----+----+------------+     |
 *  |    |    |r2  |   r1       |     |
 *  +----+----+----+------------+-----+
 *       ^    r2 overlaps the top of... the bottom of r1
 * Expect one merged region from r2.base to r1's end.
 */
static void memblock_add_overlap_top(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_512 * SZ_1M, SZ_1G));
	OK(mb, hn_memblock_add(mb, SZ_256 * SZ_1M, SZ_512 * SZ_1M));
	assert_region(mb, MEMORY, 0, SZ_256 * SZ_1M, SZ_1G + SZ_256 * SZ_1M);
	assert_counts(mb, MEMORY, 1, SZ_1G + SZ_256 * SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 *  |  +--------------+--+------+   |
 *  |  |     r1       |  |  r2  |   |
 *  +--+--------------+--+------+---+
 * r2 overlaps the top of r1.
 * Expect one merged region from r1.base to r2's end.
 */
static void memblock_add_overlap_bottom(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_128 * SZ_1M, SZ_512 * SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_256 * SZ_1M, SZ_1G));
	assert_region(mb, MEMORY, 0, SZ_128 * SZ_1M, SZ_1G + SZ_128 * SZ_1M);
	assert_counts(mb, MEMORY, 1, SZ_1G + SZ_128 * SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 *  |  +------+-----+------+   |
 *  |  |  r1  | r2  |      |   |
 *  +--+------+-----+------+---+
 * r2 lies inside r1.
 * Expect r1 unchanged.
 */
static void memblock_add_within(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_8M, SZ_32M));
	OK(mb, hn_memblock_add(mb, SZ_16M, SZ_1M));
	assert_region(mb, MEMORY, 0, SZ_8M, SZ_32M);
	assert_counts(mb, MEMORY, 1, SZ_32M);
	hn_memblock_destroy(mb);
}

/* Adding the same range twice.  Expect one region, size counted once. */
static void memblock_add_twice(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_16K, SZ_2M));
	OK(mb, hn_memblock_add(mb, SZ_16K, SZ_2M));
	assert_counts(mb, MEMORY, 1, SZ_2M);
	hn_memblock_destroy(mb);
}

/*
 *  |  +-------+-------+--------+  |
 *  |  |  r1   |  r3   |   r2   |  |
 *  +--+-------+-------+--------+--+
 * r3 fills exactly the gap between r1 and r2.
 * Expect all three merged into one region.
 */
static void memblock_add_between(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1G, SZ_8K));
	OK(mb, hn_memblock_add(mb, SZ_1G + SZ_16K, SZ_8K));
	assert_counts(mb, MEMORY, 2, SZ_16K);
	OK(mb, hn_memblock_add(mb, SZ_1G + SZ_8K, SZ_8K));
	assert_region(mb, MEMORY, 0, SZ_1G, SZ_8K * 3);
	assert_counts(mb, MEMORY, 1, SZ_8K * 3);
	hn_memblock_destroy(mb);
}

/*
 *                        +--------+
 *                        |    r   |  (runs past PHYS_ADDR_MAX)
 *  |                     +----+
 *  |                     | rgn|
 *  +---------------------+----+
 * Expect the size to be capped at PHYS_ADDR_MAX - base.
 */
static void memblock_add_near_max(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, HN_PHYS_ADDR_MAX - SZ_1M, SZ_2M));
	assert_region(mb, MEMORY, 0, HN_PHYS_ADDR_MAX - SZ_1M, SZ_1M);
	assert_counts(mb, MEMORY, 1, SZ_1M);
	OK(mb, hn_memblock_add(mb, HN_PHYS_ADDR_MAX, SZ_2M)); /* capped to 0 */
	assert_counts(mb, MEMORY, 1, SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 *  |  +------+------+------+  |
 *  |  | n0   | n1   | n0,H |  |
 *  +--+------+------+------+--+
 * Adjacent ranges that differ in nid, in flags, or in the attribute word.
 * Expect none of them to merge; equal neighbours do merge.
 */
static void memblock_add_no_merge_different(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_4K, 0, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_1M + SZ_4K, SZ_4K, 1, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_1M + 2 * SZ_4K, SZ_4K, 0, HN_MEMBLOCK_HOTPLUG));
	assert_counts(mb, MEMORY, 3, 3 * SZ_4K);
	OK(mb, hn_memblock_set_mattr(mb, SZ_1M + 2 * SZ_4K, SZ_4K, 0x21));
	OK(mb, hn_memblock_add_node(mb, SZ_1M + 3 * SZ_4K, SZ_4K, 0, HN_MEMBLOCK_HOTPLUG));
	/* same nid and flags, different mattr: separate */
	assert_counts(mb, MEMORY, 4, 4 * SZ_4K);
	OK(mb, hn_memblock_set_mattr(mb, SZ_1M + 3 * SZ_4K, SZ_4K, 0x21));
	assert_counts(mb, MEMORY, 3, 4 * SZ_4K);
	assert_region(mb, MEMORY, 2, SZ_1M + 2 * SZ_4K, 2 * SZ_4K);
	hn_memblock_destroy(mb);
}

/*
 *  |  +--+------+--+------+--+  |
 *  |  |n3|  n0  |n3|  n0  |n3|  |
 *  +--+--+------+--+------+--+--+
 * A node-3 range laid over two node-0 regions.
 * Expect the existing regions to keep node 0, only the holes to get node 3,
 * and a WARN line (the kernel's WARN_ON in memblock_add_range).
 */
static void memblock_add_node_over_existing(void **state)
{
	struct logcap log = { 0 };
	struct hn_memblock *mb = mk_opts((struct opts){ .log = &log });

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M + SZ_4K, SZ_4K, 0, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_1M + 3 * SZ_4K, SZ_4K, 0, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_1M, 5 * SZ_4K, 3, 0));
	assert_counts(mb, MEMORY, 5, 5 * SZ_4K);
	for (int i = 0; i < 5; i++) {
		assert_region(mb, MEMORY, (unsigned long)i, SZ_1M + (uint64_t)i * SZ_4K, SZ_4K);
		assert_int_equal(rgn(mb, MEMORY, (unsigned long)i).nid, i % 2 ? 0 : 3);
	}
	assert_true(log.warnings > 0);
	hn_memblock_destroy(mb);
}

/*
 * Adding the 129th region with the default 128-entry array.
 *
 *  |+--------+ +--+ +--+ ... +--+    |
 *  ||  arr   | |1 | |2 |     |128|   |
 *  ++--------+-+--+-+--+-----+--+----+
 * Expect memblock_double_array() to double memory.max to 256, to place the
 * new array in the big first block and reserve it (reserved: one region of
 * PAGE_ALIGN(256 * 24) bytes), and later adds to work normally.
 */
static void memblock_add_many(void **state)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .resize = true });
	uint64_t new_size = 2 * PAGE_SIZE; /* PAGE_ALIGN(128 * 2 * 24) */
	uint64_t base = SZ_1M, size = SZ_64, gap = SZ_64;

	(void)state;
	OK(mb, hn_memblock_add(mb, base, new_size));
	base += new_size + gap;
	for (unsigned int i = 0; i < HN_MEMBLOCK_INIT_REGIONS; i++) {
		OK(mb, hn_memblock_add(mb, base, size));
		base += size + gap;
		assert_counts(mb, MEMORY, i + 2, new_size + (i + 1) * size);
	}
	assert_int_equal(mb->memory.max, HN_MEMBLOCK_INIT_REGIONS * 2);
	assert_counts(mb, RESERVED, 1, new_size);
	assert_region(mb, RESERVED, 0, SZ_1M, new_size);
	assert_int_equal(mb->memory.array_phys, SZ_1M);

	OK(mb, hn_memblock_add(mb, SZ_16K, SZ_16K));
	assert_region(mb, MEMORY, 0, SZ_16K, SZ_16K);
	assert_counts(mb, MEMORY, HN_MEMBLOCK_INIT_REGIONS + 2,
		      HN_MEMBLOCK_INIT_REGIONS * size + new_size + SZ_16K);
	hn_memblock_destroy(mb);
}

/*
 * Growing the memory array twice with init_regions = 4.
 *
 *  |+----+----+ +-+ +-+ ... |      first array goes to the top page,
 *  ||pg0 |pg1 | |1| |2|     |      the second to page 0, then page 1
 *  ++----+----+-+-+-+-+-----+      is given back
 * Expect max 4 -> 8 -> 16; after the second doubling the first array's page
 * is freed and only the second array's page stays reserved.
 */
static void memblock_add_grow_twice(void **state)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 4, .resize = true });
	uint64_t base = SZ_1M + 2 * PAGE_SIZE + SZ_64;

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, 2 * PAGE_SIZE));
	for (int i = 0; i < 4; i++, base += 2 * SZ_64)
		OK(mb, hn_memblock_add(mb, base, SZ_64));
	assert_int_equal(mb->memory.max, 8);
	assert_counts(mb, RESERVED, 1, PAGE_SIZE);
	assert_region(mb, RESERVED, 0, SZ_1M + PAGE_SIZE, PAGE_SIZE);

	for (int i = 0; i < 4; i++, base += 2 * SZ_64)
		OK(mb, hn_memblock_add(mb, base, SZ_64));
	assert_int_equal(mb->memory.max, 16);
	assert_int_equal(hn_memblock_region_count(mb, MEMORY), 9);
	assert_counts(mb, RESERVED, 1, PAGE_SIZE);
	assert_region(mb, RESERVED, 0, SZ_1M, PAGE_SIZE);
	assert_int_equal(mb->memory.array_phys, SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 * A full array before memblock_allow_resize() (the kernel panics here).
 * Expect -ENOSPC, an error line in the log, and the map unchanged.
 */
static void memblock_add_no_resize(void **state)
{
	struct logcap log = { 0 };
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 4, .log = &log });

	(void)state;
	for (uint64_t i = 0; i < 4; i++)
		OK(mb, hn_memblock_add(mb, SZ_1M + i * SZ_8K, SZ_4K));
	FAILS(mb, -ENOSPC, hn_memblock_add(mb, SZ_2M, SZ_4K));
	assert_counts(mb, MEMORY, 4, 4 * SZ_4K);
	assert_int_equal(mb->memory.max, 4);
	assert_int_equal(log.last_level, HN_LOG_ERR);
	assert_non_null(strstr(log.last, "cannot resize memory"));
	/* Even an add that would merge away needs the room: the kernel inserts
	 * the piece first and merges afterwards. */
	FAILS(mb, -ENOSPC, hn_memblock_add(mb, SZ_1M + SZ_4K, SZ_4K));
	/* An add fully inside existing memory needs nothing. */
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_2K));
	assert_counts(mb, MEMORY, 4, 4 * SZ_4K);
	hn_memblock_destroy(mb);
}

/*
 * Resizing allowed but no free simulated memory to hold the new array.
 * Expect -ENOSPC and the map unchanged.
 */
static void memblock_add_grow_no_space(void **state)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 4, .resize = true });

	(void)state;
	for (uint64_t i = 0; i < 4; i++)
		OK(mb, hn_memblock_add(mb, SZ_1M + i * SZ_8K, SZ_1K));
	FAILS(mb, -ENOSPC, hn_memblock_add(mb, SZ_2M, SZ_1K));
	assert_counts(mb, MEMORY, 4, 4 * SZ_1K);
	assert_counts(mb, RESERVED, 0, 0);
	hn_memblock_destroy(mb);
}

/*
 * The host realloc of a doubling array fails.
 * Expect -ENOMEM and both lists exactly as before; the retry succeeds.
 */
static void memblock_add_grow_enomem(void **state)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 4, .resize = true });

	(void)state;
	if (!alloc_wrap_active()) {
		hn_memblock_destroy(mb);
		skip();
	}
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K));
	for (uint64_t i = 1; i < 4; i++)
		OK(mb, hn_memblock_add(mb, SZ_2M + i * SZ_8K, SZ_1K));
	alloc_fail_after = 0;
	FAILS(mb, -ENOMEM, hn_memblock_add(mb, SZ_4M, SZ_1K));
	alloc_fail_after = -1;
	assert_int_equal(mb->memory.max, 4);
	assert_counts(mb, MEMORY, 4, SZ_64K + 3 * SZ_1K);
	assert_counts(mb, RESERVED, 0, 0);
	OK(mb, hn_memblock_add(mb, SZ_4M, SZ_1K));
	assert_int_equal(mb->memory.max, 8);
	assert_counts(mb, RESERVED, 1, PAGE_SIZE);
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* memblock_reserve                                                          */

/*
 *  |     +--------+         |
 *  |     |  rsv   |         |
 *  +-----+--------+---------+
 * Expect one reserved region, nid max_nodes, and memory untouched (reserve
 * does not need memory underneath).
 */
static void memblock_reserve_simple(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	assert_int_equal(hn_memblock_reserve(NULL, SZ_2G_, SZ_128M_), -EINVAL);
	OK(mb, hn_memblock_reserve(mb, SZ_2G_, SZ_128M_));
	assert_region(mb, RESERVED, 0, SZ_2G_, SZ_128M_);
	assert_int_equal(rgn(mb, RESERVED, 0).nid, MAX_NODES);
	assert_counts(mb, RESERVED, 1, SZ_128M_);
	assert_counts(mb, MEMORY, 0, 0);
	OK(mb, hn_memblock_reserve(mb, SZ_1M, 0));
	assert_counts(mb, RESERVED, 1, SZ_128M_);
	hn_memblock_destroy(mb);
}

/*
 * The merge scenarios of memblock_add applied to "reserved": disjoint,
 * overlapping from below and above, within, twice, filling a gap.
 * Expect the same shapes as for memory.
 */
static void memblock_reserve_shapes(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	/* disjoint */
	OK(mb, hn_memblock_reserve(mb, SZ_256M_, SZ_16M));
	OK(mb, hn_memblock_reserve(mb, SZ_128M_, SZ_8M));
	assert_region(mb, RESERVED, 0, SZ_128M_, SZ_8M);
	assert_region(mb, RESERVED, 1, SZ_256M_, SZ_16M);
	/* overlap from below r2 */
	OK(mb, hn_memblock_reserve(mb, SZ_256M_ - SZ_4M, SZ_8M));
	assert_region(mb, RESERVED, 1, SZ_256M_ - SZ_4M, SZ_16M + SZ_4M);
	/* overlap the top of r2 */
	OK(mb, hn_memblock_reserve(mb, SZ_256M_ + SZ_8M, SZ_16M));
	assert_region(mb, RESERVED, 1, SZ_256M_ - SZ_4M, SZ_32M - SZ_4M);
	/* within and twice */
	OK(mb, hn_memblock_reserve(mb, SZ_256M_, SZ_1M));
	OK(mb, hn_memblock_reserve(mb, SZ_128M_, SZ_8M));
	assert_counts(mb, RESERVED, 2, SZ_8M + SZ_32M - SZ_4M);
	/* fill the gap: one region [128M, 280M) */
	OK(mb, hn_memblock_reserve(mb, SZ_128M_ + SZ_8M, SZ_256M_ - SZ_4M - SZ_128M_ - SZ_8M));
	assert_counts(mb, RESERVED, 1, SZ_128M_ + SZ_16M + SZ_8M);
	assert_region(mb, RESERVED, 0, SZ_128M_, SZ_128M_ + SZ_16M + SZ_8M);
	hn_memblock_destroy(mb);
}

/*
 * A reservation running past PHYS_ADDR_MAX.
 * Expect it capped at PHYS_ADDR_MAX - base.
 */
static void memblock_reserve_near_max(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_reserve(mb, HN_PHYS_ADDR_MAX - SZ_1M, SZ_2M));
	assert_region(mb, RESERVED, 0, HN_PHYS_ADDR_MAX - SZ_1M, SZ_1M);
	assert_counts(mb, RESERVED, 1, SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 * Reserving region number init+1 when the reserved array is full, for
 * init_regions 4 and the kernel's 128.
 *
 *  mem:                                        +--------------+
 *  rsv: +--+  +--+  +--+ ... +--+  +--+        |          arr |
 *       |1 |  |2 |  |3 |     |n |  |n+1|       +--------------+
 * Expect max doubled, the new array reserved at the top of memory, so
 * cnt == init + 2 and total == (init+1) * MEM_SIZE + the array's pages.
 */
static void reserve_many(unsigned int init)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = init, .resize = true });
	uint64_t memory_base = SZ_128K, mem = 16 * SZ_1M;
	uint64_t arr = (2 * init * 24 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	OK(mb, hn_memblock_add(mb, mem, MEM_SIZE));
	for (unsigned int i = 0; i < init; i++) {
		OK(mb, hn_memblock_reserve(mb, memory_base, MEM_SIZE));
		assert_counts(mb, RESERVED, i + 1, (i + 1) * MEM_SIZE);
		memory_base += 2 * MEM_SIZE;
	}
	OK(mb, hn_memblock_reserve(mb, memory_base, MEM_SIZE));
	assert_counts(mb, RESERVED, init + 2, (init + 1) * MEM_SIZE + arr);
	assert_int_equal(mb->reserved.max, 2 * init);
	assert_region(mb, RESERVED, init + 1, mem + MEM_SIZE - arr, arr);

	OK(mb, hn_memblock_reserve(mb, SZ_16K, SZ_16K));
	assert_region(mb, RESERVED, 0, SZ_16K, SZ_16K);
	assert_counts(mb, RESERVED, init + 3, (init + 1) * MEM_SIZE + arr + SZ_16K);
	hn_memblock_destroy(mb);
}

static void memblock_reserve_many(void **state)
{
	(void)state;
	reserve_many(4);
}

static void memblock_reserve_many_128(void **state)
{
	(void)state;
	reserve_many(HN_MEMBLOCK_INIT_REGIONS);
}

/*
 * The overflowing reservation inserted at every position of the full list.
 *
 *  0         1         2               init
 *  +-------+ +-------+ +-------+       +-------+
 *  |  32K  | |  32K  | |  32K  |  ...  |  32K  |
 *  +-------+-+-------+-+-------+       +-------+
 * Expect the same result wherever the new entry lands.
 */
static void memblock_reserve_all_locations(void **state)
{
	const unsigned int init = 8;
	uint64_t arr = PAGE_SIZE;

	(void)state;
	for (unsigned int skip = 0; skip < init + 1; skip++) {
		struct hn_memblock *mb =
			mk_opts((struct opts){ .init_regions = init, .resize = true });

		OK(mb, hn_memblock_add(mb, 16 * SZ_1M, MEM_SIZE));
		for (unsigned int i = 0; i < init + 1; i++) {
			if (i == skip)
				continue;
			OK(mb, hn_memblock_reserve(mb, SZ_128K + 2 * MEM_SIZE * i, MEM_SIZE));
		}
		assert_int_equal(mb->reserved.max, init);
		OK(mb, hn_memblock_reserve(mb, SZ_128K + 2 * MEM_SIZE * skip, MEM_SIZE));
		assert_counts(mb, RESERVED, init + 2, (init + 1) * MEM_SIZE + arr);
		assert_int_equal(mb->reserved.max, 2 * init);
		OK(mb, hn_memblock_reserve(mb, SZ_16K, SZ_16K));
		assert_region(mb, RESERVED, 0, SZ_16K, SZ_16K);
		assert_counts(mb, RESERVED, init + 3, (init + 1) * MEM_SIZE + arr + SZ_16K);
		hn_memblock_destroy(mb);
	}
}

/*
 * The kernel's regression for commit 48c3b583bbdd: the range being reserved
 * is free memory, and the new array must not land on it.
 *
 *  memory   +-------+                       +-------+
 *           |  32K  |                       |  32K  |   (the skipped slot)
 *           +-------+ ------+-------+-------+-------+
 *  reserved           +-------+       .......       +-------+
 *                     |  32K  |  ...  . 32K .  ...  |  32K  |
 * Expect the array at the top of memory region 0 whatever the slot.
 */
static void memblock_reserve_many_may_conflict(void **state)
{
	const unsigned int init = 8;
	const uint64_t off = SZ_1M;

	(void)state;
	for (unsigned int skip = 1; skip <= init + 1; skip++) {
		struct hn_memblock *mb =
			mk_opts((struct opts){ .init_regions = init, .resize = true });

		OK(mb, hn_memblock_add(mb, off, MEM_SIZE));
		OK(mb, hn_memblock_add(mb, off + 2 * MEM_SIZE * skip, MEM_SIZE));
		for (unsigned int i = 1; i <= init + 1; i++) {
			if (i == skip)
				continue;
			OK(mb, hn_memblock_reserve(mb, off + 2 * MEM_SIZE * i, MEM_SIZE));
		}
		OK(mb, hn_memblock_reserve(mb, off + 2 * MEM_SIZE * skip, MEM_SIZE));
		assert_counts(mb, RESERVED, init + 2, (init + 1) * MEM_SIZE + PAGE_SIZE);
		assert_int_equal(mb->reserved.max, 2 * init);
		assert_region(mb, RESERVED, 0, off + MEM_SIZE - PAGE_SIZE, PAGE_SIZE);
		hn_memblock_destroy(mb);
	}
}

/*
 * A full reserved list with resizing allowed but no memory at all.
 * Expect -ENOSPC and the list unchanged.
 */
static void memblock_reserve_grow_no_memory(void **state)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 4, .resize = true });

	(void)state;
	for (uint64_t i = 0; i < 4; i++)
		OK(mb, hn_memblock_reserve(mb, SZ_1M * (i + 1), SZ_4K));
	FAILS(mb, -ENOSPC, hn_memblock_reserve(mb, SZ_16M, SZ_4K));
	assert_counts(mb, RESERVED, 4, 4 * SZ_4K);
	assert_int_equal(mb->reserved.max, 4);
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* memblock_remove and memblock_phys_free (one scenario set, two lists)      */

static int put_range(struct hn_memblock *mb, enum hn_memblock_type_id t, uint64_t base,
		     uint64_t size)
{
	return t == MEMORY ? hn_memblock_add(mb, base, size) : hn_memblock_reserve(mb, base, size);
}

static int take_range(struct hn_memblock *mb, enum hn_memblock_type_id t, uint64_t base,
		      uint64_t size)
{
	return t == MEMORY ? hn_memblock_remove(mb, base, size) : hn_memblock_free(mb, base, size);
}

/*
 *  |  +--------+   +--------+  |
 *  |  |   r1   |   |  r2 X  |  |   -> r2 taken away
 *  +--+--------+---+--------+--+
 * Expect only r1 left.
 */
static void take_simple(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, SZ_2K, SZ_4K));
	OK(mb, put_range(mb, t, SZ_128K, SZ_4M));
	OK(mb, take_range(mb, t, SZ_128K, SZ_4M));
	assert_region(mb, t, 0, SZ_2K, SZ_4K);
	assert_counts(mb, t, 1, SZ_4K);
	hn_memblock_destroy(mb);
}

/*
 *  |  +----+     +XXXX+  |
 *  |  | r1 |     | r2 |  |   r2 not in the list
 *  +--+----+-----+----+--+
 * Expect nothing to change.
 */
static void take_absent(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, SZ_512K_, SZ_4M));
	OK(mb, take_range(mb, t, SZ_64M_, SZ_1G));
	assert_region(mb, t, 0, SZ_512K_, SZ_4M);
	assert_counts(mb, t, 1, SZ_4M);
	hn_memblock_destroy(mb);
}

/*
 *     +XXXXXX+
 *  |  |  +---+-----------+  |
 *  |  |  |   |    r1     |  |   r2 covers the bottom of r1
 *  +--+--+---+-----------+--+
 * Expect r1 to start where r2 ends.
 */
static void take_overlap_top(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, SZ_32M, SZ_32M));
	OK(mb, take_range(mb, t, SZ_16M, SZ_32M));
	assert_region(mb, t, 0, SZ_48M_, SZ_16M);
	assert_counts(mb, t, 1, SZ_16M);
	hn_memblock_destroy(mb);
}

/*
 *                  +XXXXXX+
 *  |  +-----------+---+  |  |
 *  |  |    r1     |   |  |  |   r2 covers the top of r1
 *  +--+-----------+---+--+--+
 * Expect r1 to end where r2 starts.
 */
static void take_overlap_bottom(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, SZ_2M, SZ_32M));
	OK(mb, take_range(mb, t, SZ_32M, SZ_256M_));
	assert_region(mb, t, 0, SZ_2M, SZ_32M - SZ_2M);
	assert_counts(mb, t, 1, SZ_32M - SZ_2M);
	hn_memblock_destroy(mb);
}

/*
 *  |  +-----+XXXX+-----+  |
 *  |  | r1a | r2 | r1b |  |   r2 inside r1
 *  +--+-----+----+-----+--+
 * Expect r1 split in two around r2.
 */
static void take_within(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, SZ_1M, SZ_32M));
	OK(mb, take_range(mb, t, SZ_16M, SZ_1M));
	assert_region(mb, t, 0, SZ_1M, SZ_16M - SZ_1M);
	assert_region(mb, t, 1, SZ_16M + SZ_1M, SZ_32M - SZ_16M);
	assert_counts(mb, t, 2, SZ_32M - SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 * Taking away the only region.
 * Expect an empty list whose dummy region is all zero but for nid, which
 * the kernel sets to MAX_NUMNODES; then adding again works.
 */
static void take_only_region(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);
	const struct hn_memblock_type *type = t == MEMORY ? &mb->memory : &mb->reserved;
	struct hn_memblock_region r;

	OK(mb, put_range(mb, t, SZ_2K, SZ_4K));
	OK(mb, take_range(mb, t, SZ_2K, SZ_4K));
	assert_counts(mb, t, 0, 0);
	assert_int_equal(type->regions[0].base, 0);
	assert_int_equal(type->regions[0].size, 0);
	assert_int_equal(type->regions[0].flags, 0);
	assert_int_equal(type->regions[0].nid, MAX_NODES);
	assert_int_equal(hn_memblock_region_get(mb, t, 0, &r), -ENOENT);
	OK(mb, put_range(mb, t, SZ_8K, SZ_4K));
	assert_region(mb, t, 0, SZ_8K, SZ_4K);
	hn_memblock_destroy(mb);
}

/*
 *                         +XXXXXXXXX+
 *  |         +-----------+----+     |   r2 runs past PHYS_ADDR_MAX
 *  |         |    r1     |    |     |
 *  +---------+-----------+----+-----+
 * Expect r1 to end at r2.base.
 */
static void take_near_max(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, HN_PHYS_ADDR_MAX - SZ_2K, SZ_2K));
	OK(mb, take_range(mb, t, HN_PHYS_ADDR_MAX - SZ_1K, SZ_2K));
	assert_region(mb, t, 0, HN_PHYS_ADDR_MAX - SZ_2K, SZ_1K);
	assert_counts(mb, t, 1, SZ_1K);
	hn_memblock_destroy(mb);
}

/*
 *           +XXXXXXXXXXX+
 *  |  +-----+---+   +---+-----+  |
 *  |  | r1  |   |   |   |  r2 |  |   r3 spans the gap between r1 and r2
 *  +--+-----+---+---+---+-----+--+
 * Expect r1's top and r2's bottom gone.
 */
static void take_overlap_two(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk(false);

	OK(mb, put_range(mb, t, SZ_16M, SZ_16M));
	OK(mb, put_range(mb, t, SZ_64M_, SZ_64M_));
	OK(mb, take_range(mb, t, SZ_16M + SZ_8M, SZ_64M_));
	assert_region(mb, t, 0, SZ_16M, SZ_8M);
	assert_region(mb, t, 1, SZ_64M_ + SZ_16M + SZ_8M, SZ_64M_ - SZ_16M - SZ_8M);
	assert_counts(mb, t, 2, SZ_48M_);
	hn_memblock_destroy(mb);
}

/*
 * A split needs two free slots; the array is full and cannot grow.
 * Expect -ENOSPC and no change; with resizing allowed the split succeeds.
 */
static void take_split_needs_room(enum hn_memblock_type_id t)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 4 });

	for (uint64_t i = 0; i < 3; i++)
		OK(mb, put_range(mb, t, SZ_1M + i * SZ_1M, SZ_64K));
	FAILS(mb, -ENOSPC, take_range(mb, t, SZ_1M + SZ_4K, SZ_4K));
	assert_counts(mb, t, 3, 3 * SZ_64K);
	hn_memblock_allow_resize(mb);
	if (t == RESERVED)
		OK(mb, hn_memblock_add(mb, SZ_16M, SZ_64K));
	OK(mb, take_range(mb, t, SZ_1M + SZ_4K, SZ_4K));
	assert_region(mb, t, 0, SZ_1M, SZ_4K);
	assert_region(mb, t, 1, SZ_1M + SZ_8K, SZ_64K - SZ_8K);
	/* taking a whole region needs no room, even before resizing */
	hn_memblock_destroy(mb);
}

#define TAKE_TESTS(x)                                                        \
	static void memblock_remove_##x(void **state)                        \
	{                                                                    \
		(void)state;                                                 \
		take_##x(MEMORY);                                            \
	}                                                                    \
	static void memblock_free_##x(void **state)                          \
	{                                                                    \
		(void)state;                                                 \
		take_##x(RESERVED);                                          \
	}
TAKE_TESTS(simple)
TAKE_TESTS(absent)
TAKE_TESTS(overlap_top)
TAKE_TESTS(overlap_bottom)
TAKE_TESTS(within)
TAKE_TESTS(only_region)
TAKE_TESTS(near_max)
TAKE_TESTS(overlap_two)
TAKE_TESTS(split_needs_room)
#define TAKE_ENTRIES(x) cmocka_unit_test(memblock_remove_##x), cmocka_unit_test(memblock_free_##x)

/* NULL handling of remove/free.  Expect -EINVAL. */
static void memblock_remove_free_errors(void **state)
{
	(void)state;
	assert_int_equal(hn_memblock_remove(NULL, 0, SZ_4K), -EINVAL);
	assert_int_equal(hn_memblock_free(NULL, 0, SZ_4K), -EINVAL);
}

/* ======================================================================== */
/* Flags, node ids and attribute words                                       */

/*
 *  |  +---------------------------+  |
 *  |  |            r              |  |
 *  +--+---------+=======+---------+--+
 *               hotplug
 * Expect mark_hotplug to split r in three with the flag on the middle, and
 * clear_hotplug to merge it back into one region.
 */
static void memblock_mark_clear_hotplug(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_1M, 2, 0));
	OK(mb, hn_memblock_mark_hotplug(mb, SZ_1M + SZ_64K, SZ_64K));
	assert_counts(mb, MEMORY, 3, SZ_1M);
	assert_int_equal(rgn(mb, MEMORY, 0).flags, 0);
	assert_int_equal(rgn(mb, MEMORY, 1).flags, HN_MEMBLOCK_HOTPLUG);
	assert_region(mb, MEMORY, 1, SZ_1M + SZ_64K, SZ_64K);
	assert_int_equal(rgn(mb, MEMORY, 1).nid, 2);
	assert_int_equal(rgn(mb, MEMORY, 2).flags, 0);
	/* marking again changes nothing */
	OK(mb, hn_memblock_mark_hotplug(mb, SZ_1M + SZ_64K, SZ_64K));
	assert_counts(mb, MEMORY, 3, SZ_1M);
	OK(mb, hn_memblock_clear_hotplug(mb, SZ_1M, SZ_1M));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	/* size 0 and ranges outside memory are no-ops */
	OK(mb, hn_memblock_mark_hotplug(mb, SZ_1M, 0));
	OK(mb, hn_memblock_mark_hotplug(mb, SZ_1G, SZ_1M));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	assert_int_equal(hn_memblock_mark_hotplug(NULL, 0, 1), -EINVAL);
	assert_int_equal(hn_memblock_clear_hotplug(NULL, 0, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 *  |  +------+=====+------+  |
 *  |  |  r   |nomap|  r   |  |
 *  +--+------+=====+------+--+
 * Expect NOMAP memory to be memory but not map memory, and clear_nomap to
 * merge it back.
 */
static void memblock_mark_clear_nomap(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_mark_nomap(mb, SZ_1M + SZ_4K, SZ_4K));
	assert_counts(mb, MEMORY, 3, SZ_1M);
	assert_int_equal(rgn(mb, MEMORY, 1).flags, HN_MEMBLOCK_NOMAP);
	assert_true(hn_memblock_is_memory(mb, SZ_1M + SZ_4K));
	assert_false(hn_memblock_is_map_memory(mb, SZ_1M + SZ_4K));
	assert_true(hn_memblock_is_map_memory(mb, SZ_1M));
	assert_false(hn_memblock_is_map_memory(mb, SZ_4M));
	OK(mb, hn_memblock_clear_nomap(mb, SZ_1M + SZ_4K, SZ_4K));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	assert_true(hn_memblock_is_map_memory(mb, SZ_1M + SZ_4K));
	assert_int_equal(hn_memblock_mark_nomap(NULL, 0, 1), -EINVAL);
	assert_int_equal(hn_memblock_clear_nomap(NULL, 0, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 * mark_mirror without and with "kernelcore=mirror".
 * Expect a silent no-op without it (the kernel's mirrored_kernelcore check),
 * the MIRROR flag with it.
 */
static void memblock_mark_mirror(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_mark_mirror(mb, SZ_1M, SZ_64K));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	assert_false(mb->system_has_some_mirror);
	hn_memblock_destroy(mb);

	mb = mk_opts((struct opts){ .mirror = true });
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_mark_mirror(mb, SZ_1M, SZ_64K));
	assert_counts(mb, MEMORY, 2, SZ_1M);
	assert_int_equal(rgn(mb, MEMORY, 0).flags, HN_MEMBLOCK_MIRROR);
	assert_true(mb->system_has_some_mirror);
	assert_int_equal(hn_memblock_mark_mirror(NULL, 0, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 *  rsv: |  +----+=====+----+  |
 *       |  |    |noinit    |  |
 * Expect RSRV_NOINIT on the middle piece of the reserved region only;
 * memory is untouched.
 */
static void memblock_reserved_mark_noinit(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_reserve(mb, SZ_1M, SZ_64K));
	OK(mb, hn_memblock_reserved_mark_noinit(mb, SZ_1M + SZ_4K, SZ_4K));
	assert_counts(mb, RESERVED, 3, SZ_64K);
	assert_int_equal(rgn(mb, RESERVED, 1).flags, HN_MEMBLOCK_RSRV_NOINIT);
	assert_counts(mb, MEMORY, 1, SZ_1M);
	/* a new overlapping reservation keeps the existing NOINIT piece */
	OK(mb, hn_memblock_reserve(mb, SZ_1M, SZ_64K));
	assert_counts(mb, RESERVED, 3, SZ_64K);
	assert_int_equal(hn_memblock_reserved_mark_noinit(NULL, 0, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 *  |  +------+-------+------+  |
 *  |  | m=0  | m=0x3 | m=0  |  |
 *  +--+------+-------+------+--+
 * Expect set_mattr to isolate and tag the middle, regions with different
 * words never to merge, and resetting the word to merge them again.
 */
static void memblock_set_mattr(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_1M, 0, 0));
	OK(mb, hn_memblock_set_mattr(mb, SZ_1M + SZ_256K, SZ_256K, 0x3));
	assert_counts(mb, MEMORY, 3, SZ_1M);
	assert_int_equal(rgn(mb, MEMORY, 1).mattr, 0x3);
	assert_int_equal(rgn(mb, MEMORY, 0).mattr, 0);
	/* widening with the same word merges with the tagged piece */
	OK(mb, hn_memblock_set_mattr(mb, SZ_1M + SZ_512K_, SZ_256K, 0x3));
	assert_counts(mb, MEMORY, 3, SZ_1M);
	assert_region(mb, MEMORY, 1, SZ_1M + SZ_256K, SZ_512K_);
	OK(mb, hn_memblock_set_mattr(mb, SZ_1M, SZ_1M, 0));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	assert_int_equal(hn_memblock_set_mattr(NULL, 0, 1, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 *  |  +-------------+-------------+  |
 *  |  |   x (none)  |   x (none)  |  |  -> set_node 0 on the lower half,
 *  +--+-------------+-------------+--+     then 1 on the upper half
 * Expect the halves to carry nodes 0 and 1; setting the whole range to one
 * node merges it back; nid -1 and max_nodes accepted, others refused.
 */
static void memblock_set_node(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_2M));
	OK(mb, hn_memblock_set_node(mb, SZ_1M, SZ_1M, 0));
	assert_counts(mb, MEMORY, 2, SZ_2M);
	assert_int_equal(rgn(mb, MEMORY, 0).nid, 0);
	assert_int_equal(rgn(mb, MEMORY, 1).nid, MAX_NODES);
	OK(mb, hn_memblock_set_node(mb, SZ_2M, SZ_1M, 1));
	assert_int_equal(rgn(mb, MEMORY, 1).nid, 1);
	OK(mb, hn_memblock_set_node(mb, 0, SZ_1G, 3));
	assert_counts(mb, MEMORY, 1, SZ_2M);
	assert_int_equal(rgn(mb, MEMORY, 0).nid, 3);
	OK(mb, hn_memblock_set_node(mb, 0, SZ_1G, HN_NUMA_NO_NODE));
	OK(mb, hn_memblock_set_node(mb, 0, SZ_1G, MAX_NODES));
	FAILS(mb, -EINVAL, hn_memblock_set_node(mb, 0, SZ_1G, MAX_NODES + 1));
	FAILS(mb, -EINVAL, hn_memblock_set_node(mb, 0, SZ_1G, -2));
	assert_int_equal(hn_memblock_set_node(NULL, 0, 1, 0), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 * Isolation needs room: marking the middle of a region with the array full.
 * Expect -ENOSPC before allow_resize and no change.
 */
static void memblock_mark_needs_room(void **state)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .init_regions = 2 });

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	FAILS(mb, -ENOSPC, hn_memblock_mark_hotplug(mb, SZ_1M + SZ_4K, SZ_4K));
	FAILS(mb, -ENOSPC, hn_memblock_set_node(mb, SZ_1M + SZ_4K, SZ_4K, 1));
	FAILS(mb, -ENOSPC, hn_memblock_set_mattr(mb, SZ_1M + SZ_4K, SZ_4K, 1));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	assert_int_equal(rgn(mb, MEMORY, 0).flags, 0);
	hn_memblock_destroy(mb);
}

/*
 * Every editing call when its list is full (init_regions = 2):
 *  mem: |  +-----m0-----+      +-----m1-----+               |
 *  rsv: |  +r0+                +r1+                          |
 * each edit below needs a new slot or a split.
 * Expect -ENOSPC before allow_resize, -ENOMEM when the host realloc fails
 * after it, and both lists byte-identical to before in either case.
 */
struct snap {
	unsigned long cnt[2];
	uint64_t total[2];
	struct hn_memblock_region r[2][4];
};

static void take_snap(const struct hn_memblock *mb, struct snap *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->cnt[0] = mb->memory.cnt;
	sn->cnt[1] = mb->reserved.cnt;
	sn->total[0] = mb->memory.total_size;
	sn->total[1] = mb->reserved.total_size;
	memcpy(sn->r[0], mb->memory.regions, mb->memory.cnt * sizeof(sn->r[0][0]));
	memcpy(sn->r[1], mb->reserved.regions, mb->reserved.cnt * sizeof(sn->r[1][0]));
}

enum edit_op {
	E_ADD_NODE, E_REMOVE, E_RESERVE, E_FREE, E_MARK_HOTPLUG, E_CLEAR_HOTPLUG,
	E_MARK_MIRROR, E_MARK_NOMAP, E_CLEAR_NOMAP, E_MARK_NOINIT, E_SET_MATTR,
	E_SET_NODE, E_ENFORCE_LIMIT, E_CAP_RANGE, E_LIMIT_REMOVE_MAP, E_NR
};

static int do_edit(struct hn_memblock *mb, enum edit_op op)
{
	const uint64_t mid = SZ_1M + SZ_128K;

	switch (op) {
	case E_ADD_NODE: return hn_memblock_add_node(mb, SZ_8M, SZ_4K, 0, 0);
	case E_REMOVE: return hn_memblock_remove(mb, mid, SZ_4K);
	case E_RESERVE: return hn_memblock_reserve(mb, SZ_8M, SZ_4K);
	case E_FREE: return hn_memblock_free(mb, SZ_1M + SZ_4K, SZ_4K);
	case E_MARK_HOTPLUG: return hn_memblock_mark_hotplug(mb, mid, SZ_4K);
	case E_CLEAR_HOTPLUG: return hn_memblock_clear_hotplug(mb, mid, SZ_4K);
	case E_MARK_MIRROR: return hn_memblock_mark_mirror(mb, mid, SZ_4K);
	case E_MARK_NOMAP: return hn_memblock_mark_nomap(mb, mid, SZ_4K);
	case E_CLEAR_NOMAP: return hn_memblock_clear_nomap(mb, mid, SZ_4K);
	case E_MARK_NOINIT: return hn_memblock_reserved_mark_noinit(mb, SZ_1M + SZ_4K, SZ_4K);
	case E_SET_MATTR: return hn_memblock_set_mattr(mb, mid, SZ_4K, 5);
	case E_SET_NODE: return hn_memblock_set_node(mb, mid, SZ_4K, 1);
	case E_ENFORCE_LIMIT: return hn_memblock_enforce_memory_limit(mb, SZ_512K_);
	case E_CAP_RANGE: return hn_memblock_cap_memory_range(mb, mid, SZ_4K);
	case E_LIMIT_REMOVE_MAP: return hn_memblock_mem_limit_remove_map(mb, SZ_512K_);
	case E_NR: break;
	}
	return -1;
}

static void memblock_edit_ops_no_room(void **state)
{
	bool wrap = alloc_wrap_active();

	(void)state;
	for (int op = 0; op < E_NR; op++) {
		for (int enomem = 0; enomem < (wrap ? 2 : 1); enomem++) {
			struct hn_memblock *mb =
				mk_opts((struct opts){ .init_regions = 2, .mirror = true });
			struct snap before, after;

			OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
			OK(mb, hn_memblock_add(mb, SZ_4M, SZ_1M));
			OK(mb, hn_memblock_reserve(mb, SZ_1M, SZ_64K));
			OK(mb, hn_memblock_reserve(mb, SZ_4M, SZ_64K));
			take_snap(mb, &before);
			if (enomem) {
				hn_memblock_allow_resize(mb);
				alloc_fail_after = 0;
			}
			FAILS(mb, enomem ? -ENOMEM : -ENOSPC, do_edit(mb, (enum edit_op)op));
			alloc_fail_after = -1;
			take_snap(mb, &after);
			if (memcmp(&before, &after, sizeof(before)))
				fail_msg("edit op %d (enomem %d) changed the map", op, enomem);
			/* with room it goes through */
			hn_memblock_allow_resize(mb);
			OK(mb, do_edit(mb, (enum edit_op)op));
			hn_memblock_destroy(mb);
		}
	}
}

/* ======================================================================== */
/* Queries                                                                   */

/*
 *  |  +------+     +------+  |
 *  |  |  r1  |     |  r2  |  |
 *  +--+------+-----+------+--+
 *  ^start_of_DRAM         ^end_of_DRAM
 * Expect the bounds of the lowest and highest regions; 0 on an empty map
 * (where the kernel would read before the array) and for NULL.
 */
static void memblock_dram_bounds(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	assert_int_equal(hn_memblock_start_of_DRAM(mb), 0);
	assert_int_equal(hn_memblock_end_of_DRAM(mb), 0);
	OK(mb, hn_memblock_add(mb, SZ_16M, SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	assert_int_equal(hn_memblock_start_of_DRAM(mb), SZ_1M);
	assert_int_equal(hn_memblock_end_of_DRAM(mb), SZ_16M + SZ_1M);
	assert_int_equal(hn_memblock_start_of_DRAM(NULL), 0);
	assert_int_equal(hn_memblock_end_of_DRAM(NULL), 0);
	assert_int_equal(hn_memblock_phys_mem_size(NULL), 0);
	assert_int_equal(hn_memblock_reserved_size(NULL), 0);
	hn_memblock_destroy(mb);
}

/*
 *  mem: |  +-------------+   +----+  |
 *  rsv: |      +---+                 |
 * Expect point and range membership answers as the kernel's
 * memblock_search() based helpers give them, including the edges.
 */
static void memblock_membership(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	assert_false(hn_memblock_is_memory(mb, 0));
	assert_false(hn_memblock_is_reserved(mb, 0));
	assert_false(hn_memblock_is_region_memory(mb, 0, 0));
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_4M, SZ_1M));
	OK(mb, hn_memblock_reserve(mb, SZ_1M + SZ_64K, SZ_64K));
	assert_true(hn_memblock_is_memory(mb, SZ_1M));
	assert_true(hn_memblock_is_memory(mb, SZ_2M - 1));
	assert_false(hn_memblock_is_memory(mb, SZ_2M));
	assert_false(hn_memblock_is_memory(mb, SZ_1M - 1));
	assert_true(hn_memblock_is_memory(mb, SZ_4M + 5));
	assert_true(hn_memblock_is_reserved(mb, SZ_1M + SZ_64K));
	assert_false(hn_memblock_is_reserved(mb, SZ_1M + SZ_128K));
	assert_true(hn_memblock_is_region_memory(mb, SZ_1M, SZ_1M));
	assert_false(hn_memblock_is_region_memory(mb, SZ_1M, SZ_1M + 1));
	assert_false(hn_memblock_is_region_memory(mb, SZ_1M, SZ_4M)); /* spans a hole */
	assert_true(hn_memblock_is_region_memory(mb, SZ_4M, HN_PHYS_ADDR_MAX)
		    == false);
	assert_true(hn_memblock_is_region_reserved(mb, SZ_1M, SZ_64K + 1));
	assert_false(hn_memblock_is_region_reserved(mb, SZ_1M, SZ_64K));
	assert_false(hn_memblock_is_region_reserved(mb, SZ_1M + SZ_128K, SZ_1M));
	assert_true(hn_memblock_is_region_reserved(mb, 0, HN_PHYS_ADDR_MAX));
	assert_false(hn_memblock_is_memory(NULL, SZ_1M));
	assert_false(hn_memblock_is_reserved(NULL, SZ_1M));
	assert_false(hn_memblock_is_map_memory(NULL, SZ_1M));
	assert_false(hn_memblock_is_region_memory(NULL, SZ_1M, 1));
	assert_false(hn_memblock_is_region_reserved(NULL, SZ_1M, 1));
	hn_memblock_destroy(mb);
}

/*
 *  |  +--------n1--------+ |      pfn 0x100..0x1ff on node 1
 * Expect search_pfn_nid to return the node and the region's pfn bounds,
 * -ENOENT outside memory, -EINVAL for NULL or a shift above 63.
 */
static void memblock_search_pfn_nid(void **state)
{
	struct hn_memblock *mb = mk(false);
	uint64_t s = 0, e = 0;

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_1M, 1, 0));
	OK(mb, hn_memblock_add(mb, SZ_4M, SZ_4K + 100));
	assert_int_equal(hn_memblock_search_pfn_nid(mb, 0x150, 12, &s, &e), 1);
	assert_int_equal(s, 0x100);
	assert_int_equal(e, 0x200);
	assert_int_equal(hn_memblock_search_pfn_nid(mb, 0x400, 12, &s, &e), MAX_NODES);
	assert_int_equal(e, 0x401);
	assert_int_equal(hn_memblock_search_pfn_nid(mb, 0x200, 12, NULL, NULL), -ENOENT);
	assert_int_equal(hn_memblock_search_pfn_nid(mb, 0x8, 17, NULL, NULL), 1);
	assert_int_equal(hn_memblock_search_pfn_nid(NULL, 0x150, 12, &s, &e), -EINVAL);
	assert_int_equal(hn_memblock_search_pfn_nid(mb, 0x150, 64, &s, &e), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 * region_count / region_get argument checking.
 * Expect 0 / -EINVAL for NULL and an unknown list, -ENOENT past the end.
 */
static void memblock_region_get_errors(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_region r;

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	assert_int_equal(hn_memblock_region_count(NULL, MEMORY), 0);
	assert_int_equal(hn_memblock_region_count(mb, (enum hn_memblock_type_id)7), 0);
	assert_int_equal(hn_memblock_region_get(NULL, MEMORY, 0, &r), -EINVAL);
	assert_int_equal(hn_memblock_region_get(mb, MEMORY, 0, NULL), -EINVAL);
	assert_int_equal(hn_memblock_region_get(mb, (enum hn_memblock_type_id)7, 0, &r),
			 -EINVAL);
	assert_int_equal(hn_memblock_region_get(mb, MEMORY, 1, &r), -ENOENT);
	assert_int_equal(hn_memblock_region_get(mb, RESERVED, 0, &r), -ENOENT);
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* memblock_trim_memory                                                      */

/*
 *  |  +--------+   +--------+  |   both page aligned
 * Expect nothing to change.
 */
static void memblock_trim_memory_aligned(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K));
	OK(mb, hn_memblock_add(mb, SZ_2M, SZ_64K));
	OK(mb, hn_memblock_trim_memory(mb, PAGE_SIZE));
	assert_counts(mb, MEMORY, 2, 2 * SZ_64K);
	hn_memblock_destroy(mb);
}

/*
 *  |  +--------+  +-+  +--------+  |   the middle one is smaller than a page
 * Expect the small region removed, the others untouched.
 */
static void memblock_trim_memory_too_small(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K));
	OK(mb, hn_memblock_add(mb, SZ_2M + SZ_1K, SZ_2K));
	OK(mb, hn_memblock_add(mb, SZ_4M, SZ_64K));
	OK(mb, hn_memblock_trim_memory(mb, PAGE_SIZE));
	assert_counts(mb, MEMORY, 2, 2 * SZ_64K);
	assert_region(mb, MEMORY, 1, SZ_4M, SZ_64K);
	hn_memblock_destroy(mb);
}

/*
 *  |  +--------+    +--+------+  |   r2 starts mid-page
 * Expect r2's base rounded up, its size shrunk, and total_size to follow
 * (the kernel leaves total_size stale here).
 */
static void memblock_trim_memory_unaligned_base(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K));
	OK(mb, hn_memblock_add(mb, SZ_2M + SZ_1K, SZ_64K));
	OK(mb, hn_memblock_trim_memory(mb, PAGE_SIZE));
	assert_region(mb, MEMORY, 1, SZ_2M + PAGE_SIZE, SZ_64K - PAGE_SIZE);
	assert_counts(mb, MEMORY, 2, 2 * SZ_64K - PAGE_SIZE);
	hn_memblock_destroy(mb);
}

/*
 *  |  +--------+    +------+--+  |   r2 ends mid-page
 * Expect r2's end rounded down.
 */
static void memblock_trim_memory_unaligned_end(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K));
	OK(mb, hn_memblock_add(mb, SZ_2M, SZ_64K + SZ_1K));
	OK(mb, hn_memblock_trim_memory(mb, PAGE_SIZE));
	assert_region(mb, MEMORY, 1, SZ_2M, SZ_64K);
	assert_counts(mb, MEMORY, 2, 2 * SZ_64K);
	hn_memblock_destroy(mb);
}

/*
 * The last region sits in the top page, unaligned, so rounding its base up
 * wraps to 0.  The kernel would turn it into [0, aligned end): a region
 * overlapping everything below.
 * Expect it dropped instead; bad alignments refused with -EINVAL.
 */
static void memblock_trim_memory_near_max(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K));
	OK(mb, hn_memblock_add(mb, HN_PHYS_ADDR_MAX - SZ_1K, SZ_1K));
	OK(mb, hn_memblock_trim_memory(mb, PAGE_SIZE));
	assert_counts(mb, MEMORY, 1, SZ_64K);
	FAILS(mb, -EINVAL, hn_memblock_trim_memory(mb, 0));
	FAILS(mb, -EINVAL, hn_memblock_trim_memory(mb, 3 * SZ_1K));
	assert_int_equal(hn_memblock_trim_memory(NULL, PAGE_SIZE), -EINVAL);
	/* trimming everything away leaves the empty dummy */
	OK(mb, hn_memblock_trim_memory(mb, SZ_1G));
	assert_counts(mb, MEMORY, 0, 0);
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* mem= style limits                                                         */

/*
 *  mem: |  +----+   +--------+   +----+  |
 *  rsv: |           |   +----+---+-+  |  |
 *                        ^ limit reached here
 * Expect memory and reserved cut at the address where the first @limit
 * bytes of memory end; limit 0 or above the total does nothing.
 */
static void memblock_enforce_memory_limit(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_4M, SZ_2M));
	OK(mb, hn_memblock_add(mb, SZ_8M, SZ_1M));
	OK(mb, hn_memblock_reserve(mb, SZ_4M + SZ_1M, SZ_4M));
	OK(mb, hn_memblock_enforce_memory_limit(mb, 0));
	OK(mb, hn_memblock_enforce_memory_limit(mb, SZ_8M));
	assert_counts(mb, MEMORY, 3, SZ_4M);
	OK(mb, hn_memblock_enforce_memory_limit(mb, SZ_2M + SZ_512K_));
	assert_counts(mb, MEMORY, 2, SZ_2M + SZ_512K_);
	assert_region(mb, MEMORY, 1, SZ_4M, SZ_1M + SZ_512K_);
	assert_counts(mb, RESERVED, 1, SZ_512K_);
	assert_int_equal(hn_memblock_enforce_memory_limit(NULL, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 *  mem: |  +----+  +===nomap===+  +--------------+  |
 *  cap:                   [=============]
 * Expect regions outside the cap gone except NOMAP ones, the straddling
 * region cut, reserved ranges outside the cap gone.
 */
static void memblock_cap_memory_range(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	FAILS(mb, -ENOENT, hn_memblock_cap_memory_range(mb, 0, SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_4M, SZ_1M));
	OK(mb, hn_memblock_mark_nomap(mb, SZ_4M, SZ_1M));
	OK(mb, hn_memblock_add(mb, SZ_8M, SZ_8M));
	OK(mb, hn_memblock_reserve(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_reserve(mb, SZ_8M, SZ_8M));
	OK(mb, hn_memblock_cap_memory_range(mb, SZ_8M + SZ_1M, SZ_2M));
	assert_counts(mb, MEMORY, 2, SZ_1M + SZ_2M);
	assert_region(mb, MEMORY, 0, SZ_4M, SZ_1M);
	assert_region(mb, MEMORY, 1, SZ_8M + SZ_1M, SZ_2M);
	assert_counts(mb, RESERVED, 1, SZ_2M);
	assert_region(mb, RESERVED, 0, SZ_8M + SZ_1M, SZ_2M);
	OK(mb, hn_memblock_cap_memory_range(mb, 0, 0));
	assert_int_equal(hn_memblock_cap_memory_range(NULL, 0, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/*
 * A cap range that lies in a hole between regions.
 * Expect every mappable region removed (isolate reports no region, so the
 * kernel's loops remove from both ends), NOMAP kept.
 */
static void memblock_cap_memory_range_hole(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_add_node(mb, SZ_4M, SZ_1M, 0, HN_MEMBLOCK_NOMAP));
	OK(mb, hn_memblock_add(mb, SZ_16M, SZ_1M));
	OK(mb, hn_memblock_cap_memory_range(mb, SZ_8M, SZ_1M));
	assert_counts(mb, MEMORY, 1, SZ_1M);
	assert_region(mb, MEMORY, 0, SZ_4M, SZ_1M);
	hn_memblock_destroy(mb);
}

/*
 *  mem: |  +--------+  +===nomap===+  +--------+  |
 *  limit reached inside the first region
 * Expect mem_limit_remove_map to cut like cap_memory_range(0, max_addr),
 * keeping the NOMAP region above the limit; limit 0 / too big do nothing.
 */
static void memblock_mem_limit_remove_map(void **state)
{
	struct hn_memblock *mb = mk(false);

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_add_node(mb, SZ_4M, SZ_1M, 0, HN_MEMBLOCK_NOMAP));
	OK(mb, hn_memblock_add(mb, SZ_8M, SZ_1M));
	OK(mb, hn_memblock_mem_limit_remove_map(mb, 0));
	OK(mb, hn_memblock_mem_limit_remove_map(mb, SZ_1G));
	assert_counts(mb, MEMORY, 3, 3 * SZ_1M);
	OK(mb, hn_memblock_mem_limit_remove_map(mb, SZ_512K_));
	assert_counts(mb, MEMORY, 2, SZ_1M + SZ_512K_);
	assert_region(mb, MEMORY, 0, SZ_1M, SZ_512K_);
	assert_region(mb, MEMORY, 1, SZ_4M, SZ_1M);
	assert_int_equal(hn_memblock_mem_limit_remove_map(NULL, 1), -EINVAL);
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* Iterators                                                                 */

/*
 *  mem: |  +---------n0---------+   +----n1----+  |
 *  rsv: |      +--+    +--+           +--+        |
 *  free:   [a ][  ][b ][  ][c ]     [d][  ][e ]
 * Expect next_free_range to return a..e in order with their nodes, the
 * cursor to stay finished, prev_free_range to return e..a, and the nid
 * filter to keep only node 1's pieces.
 */
static void memblock_free_range_iter(void **state)
{
	struct hn_memblock *mb = mk(false);
	const uint64_t exp[5][2] = {
		{ SZ_1M, SZ_1M + SZ_64K },
		{ SZ_1M + SZ_128K, SZ_1M + SZ_256K },
		{ SZ_1M + SZ_256K + SZ_64K, SZ_2M },
		{ SZ_4M, SZ_4M + SZ_64K },
		{ SZ_4M + SZ_128K, SZ_4M + SZ_1M },
	};
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e;
	int nid, n = 0;

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_1M, 0, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_4M, SZ_1M, 1, 0));
	OK(mb, hn_memblock_reserve(mb, SZ_1M + SZ_64K, SZ_64K));
	OK(mb, hn_memblock_reserve(mb, SZ_1M + SZ_256K, SZ_64K));
	OK(mb, hn_memblock_reserve(mb, SZ_4M + SZ_64K, SZ_64K));
	OK(mb, hn_memblock_reserve(mb, SZ_16M, SZ_64K)); /* outside memory */

	while (hn_memblock_next_free_range(mb, &it, HN_NUMA_NO_NODE, 0, &s, &e, &nid)) {
		assert_true(n < 5);
		assert_int_equal(s, exp[n][0]);
		assert_int_equal(e, exp[n][1]);
		assert_int_equal(nid, n < 3 ? 0 : 1);
		n++;
	}
	assert_int_equal(n, 5);
	assert_int_equal(it.idx, UINT64_MAX);
	assert_false(hn_memblock_next_free_range(mb, &it, HN_NUMA_NO_NODE, 0, &s, &e, &nid));

	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	while (hn_memblock_prev_free_range(mb, &it, HN_NUMA_NO_NODE, 0, &s, NULL, NULL)) {
		n--;
		assert_int_equal(s, exp[n][0]);
	}
	assert_int_equal(n, 0);
	assert_false(hn_memblock_prev_free_range(mb, &it, HN_NUMA_NO_NODE, 0, &s, &e, &nid));

	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	while (hn_memblock_next_free_range(mb, &it, 1, 0, &s, &e, &nid)) {
		assert_int_equal(nid, 1);
		n++;
	}
	assert_int_equal(n, 2);
	/* max_nodes means "all nodes" as well */
	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	n = 0;
	while (hn_memblock_prev_free_range(mb, &it, MAX_NODES, 0, NULL, NULL, NULL))
		n++;
	assert_int_equal(n, 5);
	hn_memblock_destroy(mb);
}

/*
 * The u64 cursor layout from the kernel's __next_mem_range() comment:
 * reserved 0:[0-16) 1:[32-48) 2:[128-130), memory [0-200).
 * Expect free ranges [16-32) [48-128) [130-200) with cursors whose high
 * half counts the reserved gaps and low half the memory region.
 */
static void memblock_free_range_iter_index(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e;

	(void)state;
	OK(mb, hn_memblock_add(mb, 0, 200));
	OK(mb, hn_memblock_reserve(mb, 0, 16));
	OK(mb, hn_memblock_reserve(mb, 32, 16));
	OK(mb, hn_memblock_reserve(mb, 128, 2));
	assert_true(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	assert_int_equal(s, 16);
	assert_int_equal(e, 32);
	assert_int_equal(it.idx, (uint64_t)2 << 32 | 0);
	assert_true(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	assert_int_equal(s, 48);
	assert_int_equal(e, 128);
	assert_int_equal(it.idx, (uint64_t)3 << 32 | 0);
	assert_true(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	assert_int_equal(s, 130);
	assert_int_equal(e, 200);
	assert_int_equal(it.idx, (uint64_t)3 << 32 | 1);
	assert_false(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	hn_memblock_destroy(mb);
}

/*
 *  mem: |  +--plain--+==nomap==+--hotplug--+==mirror==+--drv--+  |
 * Expect the walk to skip NOMAP and DRIVER_MANAGED unless asked, MIRROR to
 * keep only mirrored memory, HOTPLUG to be skipped only with movable_node;
 * an unknown flag bit or bad nid ends the walk at once.
 */
static void memblock_free_range_iter_flags(void **state)
{
	struct hn_memblock *mb;
	struct hn_memblock_iter it;
	uint64_t s;
	int n;

	(void)state;
	for (int movable = 0; movable < 2; movable++) {
		mb = mk_opts((struct opts){ .movable_node = movable, .mirror = true });
		OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
		OK(mb, hn_memblock_add_node(mb, SZ_2M, SZ_1M, MAX_NODES, HN_MEMBLOCK_NOMAP));
		OK(mb, hn_memblock_add_node(mb, 3 * SZ_1M, SZ_1M, MAX_NODES,
					    HN_MEMBLOCK_HOTPLUG));
		OK(mb, hn_memblock_add(mb, SZ_4M, SZ_1M));
		OK(mb, hn_memblock_mark_mirror(mb, SZ_4M, SZ_1M));
		OK(mb, hn_memblock_add_node(mb, 5 * SZ_1M, SZ_1M, MAX_NODES,
					    HN_MEMBLOCK_DRIVER_MANAGED));
		assert_counts(mb, MEMORY, 5, 5 * SZ_1M);

		n = 0;
		it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
		while (hn_memblock_next_free_range(mb, &it, -1, 0, &s, NULL, NULL))
			n++;
		assert_int_equal(n, movable ? 2 : 3);

		n = 0;
		it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
		while (hn_memblock_next_free_range(mb, &it, -1,
						   HN_MEMBLOCK_NOMAP | HN_MEMBLOCK_HOTPLUG |
							   HN_MEMBLOCK_DRIVER_MANAGED,
						   &s, NULL, NULL))
			n++;
		assert_int_equal(n, 5);

		it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
		assert_true(hn_memblock_next_free_range(mb, &it, -1, HN_MEMBLOCK_MIRROR, &s,
							NULL, NULL));
		assert_int_equal(s, SZ_4M);
		assert_false(hn_memblock_next_free_range(mb, &it, -1, HN_MEMBLOCK_MIRROR, &s,
							 NULL, NULL));

		it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
		assert_false(hn_memblock_next_free_range(mb, &it, -1, 0x40, &s, NULL, NULL));
		assert_false(hn_memblock_prev_free_range(mb, &it, -2, 0, &s, NULL, NULL));
		assert_false(hn_memblock_next_free_range(mb, &it, MAX_NODES + 1, 0, &s, NULL,
							 NULL));
		assert_false(hn_memblock_next_free_range(NULL, &it, -1, 0, &s, NULL, NULL));
		assert_false(hn_memblock_prev_free_range(mb, NULL, -1, 0, &s, NULL, NULL));
		hn_memblock_destroy(mb);
	}
}

/*
 *  mem: |  +-------------------------------------------+  |
 *  rsv: |  +--------A--------+--------B(NOINIT)---+       |
 *                            ^ A and B abut but do not merge
 * Expect the walk to yield a zero-length range at B.base between A and B,
 * exactly as __next_mem_range() does, and a size-0 top-down allocation (the
 * upper free piece has no aligned address) to return that address, inside
 * reserved memory: a kernel quirk kept on purpose.
 */
static void memblock_free_range_iter_empty_gap(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e, a;

	(void)state;
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_64K - SZ_512));
	OK(mb, hn_memblock_reserve(mb, SZ_1M, SZ_32K));
	OK(mb, hn_memblock_reserve(mb, SZ_1M + SZ_32K, SZ_32K - SZ_1K));
	OK(mb, hn_memblock_reserved_mark_noinit(mb, SZ_1M + SZ_32K, SZ_32K - SZ_1K));
	assert_counts(mb, RESERVED, 2, SZ_64K - SZ_1K);
	assert_true(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	assert_int_equal(s, SZ_1M + SZ_32K);
	assert_int_equal(e, SZ_1M + SZ_32K);
	assert_true(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	assert_int_equal(s, SZ_1M + SZ_64K - SZ_1K);
	assert_int_equal(e, SZ_1M + SZ_64K - SZ_512);
	assert_false(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	OK(mb, hn_memblock_phys_alloc(mb, 0, SZ_4K, &a));
	assert_int_equal(a, SZ_1M + SZ_32K);
	assert_true(hn_memblock_is_reserved(mb, a));
	hn_memblock_destroy(mb);
}

/*
 * Empty lists: no memory at all, then memory with nothing reserved.
 * Expect no range, then the whole region, both directions.
 */
static void memblock_free_range_iter_empty(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e;

	(void)state;
	assert_false(hn_memblock_next_free_range(mb, &it, -1, 0, &s, &e, NULL));
	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	assert_false(hn_memblock_prev_free_range(mb, &it, -1, 0, &s, &e, NULL));
	OK(mb, hn_memblock_add(mb, HN_PHYS_ADDR_MAX - SZ_1M, SZ_1M));
	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	assert_true(hn_memblock_prev_free_range(mb, &it, -1, 0, &s, &e, NULL));
	assert_int_equal(s, HN_PHYS_ADDR_MAX - SZ_1M);
	assert_int_equal(e, HN_PHYS_ADDR_MAX);
	assert_false(hn_memblock_prev_free_range(mb, &it, -1, 0, &s, &e, NULL));
	hn_memblock_destroy(mb);
}

/*
 *  mem: |  +-n0-+ +sub-page+ +---n1(unaligned)---+  |
 * Expect for_each_mem_pfn_range to round inwards, skip the region that
 * holds no whole page, filter by node, and refuse bad arguments.
 */
static void memblock_mem_pfn_range_iter(void **state)
{
	struct hn_memblock *mb = mk(false);
	struct hn_memblock_iter it = HN_MEMBLOCK_ITER_INIT;
	uint64_t s, e;
	int nid;

	(void)state;
	OK(mb, hn_memblock_add_node(mb, SZ_1M, SZ_64K, 0, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_2M + 100, SZ_2K, 0, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_4M + 1, SZ_64K, 1, 0));
	assert_true(hn_memblock_next_mem_pfn_range(mb, &it, -1, 12, &s, &e, &nid));
	assert_int_equal(s, 0x100);
	assert_int_equal(e, 0x110);
	assert_int_equal(nid, 0);
	assert_true(hn_memblock_next_mem_pfn_range(mb, &it, -1, 12, &s, &e, &nid));
	assert_int_equal(s, 0x401);
	assert_int_equal(e, 0x410);
	assert_int_equal(nid, 1);
	assert_false(hn_memblock_next_mem_pfn_range(mb, &it, -1, 12, &s, &e, &nid));
	assert_false(hn_memblock_next_mem_pfn_range(mb, &it, -1, 12, &s, &e, &nid));

	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	assert_true(hn_memblock_next_mem_pfn_range(mb, &it, 1, 12, NULL, NULL, &nid));
	assert_int_equal(nid, 1);
	assert_false(hn_memblock_next_mem_pfn_range(mb, &it, 1, 12, NULL, NULL, NULL));

	it = (struct hn_memblock_iter)HN_MEMBLOCK_ITER_INIT;
	assert_false(hn_memblock_next_mem_pfn_range(mb, &it, -1, 64, &s, &e, &nid));
	assert_false(hn_memblock_next_mem_pfn_range(mb, &it, -3, 12, &s, &e, &nid));
	assert_false(hn_memblock_next_mem_pfn_range(NULL, &it, -1, 12, &s, &e, &nid));
	assert_false(hn_memblock_next_mem_pfn_range(mb, NULL, -1, 12, &s, &e, &nid));
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* Dump and validator                                                        */

/*
 *  mem: |+--n0--+==n1 HOTPLUG|NOMAP==+   +--x--+|
 *  rsv: |    +x+                                |
 * Expect the debugfs text byte for byte: index "%4d: ", %pa..%pa, node or
 * "   x", flag names joined with '|' or NONE.
 */
static void memblock_dump(void **state)
{
	struct hn_memblock *mb = mk(false);
	const char *expect =
		"memory:\n"
		"   0: 0x0000000000001000..0x0000000000002fff    0 NONE\n"
		"   1: 0x0000000000003000..0x0000000000003fff    1 HOTPLUG|NOMAP\n"
		"   2: 0x0000000000010000..0x0000000000010fff    x DRV_MNG\n"
		"reserved:\n"
		"   0: 0x0000000000002000..0x00000000000020ff    x RSV_NIT\n"
		"   1: 0x0000000000030000..0x0000000000030fff    x NONE\n";
	char *buf = NULL, ro[8] = "";
	size_t len = 0;
	FILE *f;

	(void)state;
	OK(mb, hn_memblock_add_node(mb, 0x1000, 0x2000, 0, 0));
	OK(mb, hn_memblock_add_node(mb, 0x3000, 0x1000, 1,
				    HN_MEMBLOCK_HOTPLUG | HN_MEMBLOCK_NOMAP));
	OK(mb, hn_memblock_add_node(mb, 0x10000, 0x1000, MAX_NODES,
				    HN_MEMBLOCK_DRIVER_MANAGED));
	OK(mb, hn_memblock_reserve(mb, 0x2000, 0x100));
	OK(mb, hn_memblock_reserved_mark_noinit(mb, 0x2000, 0x100));
	OK(mb, hn_memblock_reserve(mb, 0x30000, 0x1000));
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(hn_memblock_dump(mb, f), 0);
	fclose(f);
	assert_string_equal(buf, expect);
	free(buf);

	assert_int_equal(hn_memblock_dump(NULL, stdout), -EINVAL);
	assert_int_equal(hn_memblock_dump(mb, NULL), -EINVAL);
	f = fmemopen(ro, sizeof(ro), "r");
	assert_non_null(f);
	assert_int_equal(hn_memblock_dump(mb, f), -EIO);
	fclose(f);
	hn_memblock_destroy(mb);
}

/*
 * Corrupt the lists by hand, one way at a time.
 * Expect hn_memblock_check to answer -EUCLEAN and name the reason in the log
 * each time, and 0 again once repaired.
 */
static void memblock_check_detects(void **state)
{
	struct logcap log = { 0 };
	struct hn_memblock *mb = mk_opts((struct opts){ .log = &log });
	struct hn_memblock_region *r;
	struct hn_memblock_region saved[3];

	(void)state;
	assert_int_equal(hn_memblock_check(NULL), -EINVAL);
	OK(mb, hn_memblock_add(mb, SZ_1M, SZ_1M));
	OK(mb, hn_memblock_add_node(mb, SZ_4M, SZ_1M, 1, 0));
	OK(mb, hn_memblock_add_node(mb, SZ_8M, SZ_1M, 2, 0));
	r = mb->memory.regions;
	memcpy(saved, r, sizeof(saved));

#define EXPECT_CORRUPT(what)                                               \
	do {                                                               \
		assert_int_equal(hn_memblock_check(mb), -EUCLEAN);         \
		assert_int_equal(log.last_level, HN_LOG_ERR);              \
		assert_non_null(strstr(log.last, what));                   \
		memcpy(r, saved, sizeof(saved));                           \
		mb->memory.total_size = 3 * SZ_1M;                         \
		mb->memory.cnt = 3;                                        \
		CHECK(mb);                                                 \
	} while (0)

	r[1].base = SZ_1M + SZ_512K_;
	EXPECT_CORRUPT("overlaps");
	r[1].base = SZ_2M;
	r[1].nid = MAX_NODES;
	mb->memory.total_size = 3 * SZ_1M;
	EXPECT_CORRUPT("mergeable");
	r[1].mattr = 7;
	r[2].base = SZ_1M;
	EXPECT_CORRUPT("overlaps");
	mb->memory.total_size++;
	EXPECT_CORRUPT("total_size");
	r[2].size = 0;
	EXPECT_CORRUPT("zero size");
	r[2].flags = 0x100;
	EXPECT_CORRUPT("unknown flags");
	r[2].nid = MAX_NODES + 1;
	EXPECT_CORRUPT("nid");
	r[2].base = HN_PHYS_ADDR_MAX - 1;
	EXPECT_CORRUPT("wraps");
	mb->memory.cnt = mb->memory.max + 1;
	EXPECT_CORRUPT("cnt");
	mb->memory.cnt = 0;
	mb->memory.total_size = 0;
	EXPECT_CORRUPT("dummy");
	mb->memory.cnt = 0;
	r[0] = (struct hn_memblock_region){ 0 };
	mb->memory.total_size = 5;
	EXPECT_CORRUPT("total_size");
#undef EXPECT_CORRUPT
	hn_memblock_destroy(mb);
}

/* ======================================================================== */
/* Allocation: memblock_phys_alloc (alloc_api)                               */

#define MEM_BASE SZ_1M
#define MEM_END (MEM_BASE + MEM_SIZE)

/* setup_memblock(): one MEM_SIZE block of memory at MEM_BASE. */
static struct hn_memblock *setup_memblock(bool bottom_up)
{
	struct hn_memblock *mb = mk(bottom_up);

	OK(mb, hn_memblock_add(mb, MEM_BASE, MEM_SIZE));
	return mb;
}

static uint64_t phys_alloc_ok(struct hn_memblock *mb, uint64_t size, uint64_t align)
{
	uint64_t a = 0;

	OK(mb, hn_memblock_phys_alloc(mb, size, align, &a));
	return a;
}

/*
 *  |        +------------------------------+
 *  |        |  TD: new at the top  / BU: at the bottom
 *  +--------+------------------------------+
 * Expect an aligned block at the end (top-down) or start (bottom-up) of
 * memory, one reserved region.
 */
static void alloc_simple(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a = phys_alloc_ok(mb, SZ_2, SMP_CACHE_BYTES);

	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SMP_CACHE_BYTES);
	assert_region(mb, RESERVED, 0, a, SZ_2);
	assert_counts(mb, RESERVED, 1, SZ_2);
	hn_memblock_destroy(mb);
}
BOTH(alloc_simple)

/*
 *  |    +----+        +-------+      +---+  |
 *  |    |new |        |  r1   |      |new|  |   BU            TD
 *  +----+----+--------+-------+------+---+--+
 * Expect the new block away from r1: two reserved regions.
 */
static void alloc_disjoint(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_8K, SZ_1K));
	a = phys_alloc_ok(mb, SZ_16, SMP_CACHE_BYTES);
	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SMP_CACHE_BYTES);
	assert_counts(mb, RESERVED, 2, SZ_1K + SZ_16);
	hn_memblock_destroy(mb);
}
BOTH(alloc_disjoint)

/*
 *  |                    +----+-------+  |
 *  |                    |new |  r1   |  |   r1 reserved at the top
 *  +--------------------+----+-------+--+
 * Expect top-down to place the block right below r1 and merge with it;
 * bottom-up to place it at the start of memory.
 */
static void alloc_before(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_END - SZ_512, SZ_512));
	a = phys_alloc_ok(mb, SZ_128, SMP_CACHE_BYTES);
	if (bu) {
		assert_int_equal(a, MEM_BASE);
		assert_counts(mb, RESERVED, 2, SZ_512 + SZ_128);
	} else {
		assert_int_equal(a, MEM_END - SZ_512 - SZ_128);
		assert_region(mb, RESERVED, 0, a, SZ_512 + SZ_128);
		assert_counts(mb, RESERVED, 1, SZ_512 + SZ_128);
	}
	hn_memblock_destroy(mb);
}
BOTH(alloc_before)

/*
 *  |  +-------+----+                    |
 *  |  |  r1   |new |                    |   r1 reserved at the bottom
 *  +--+-------+----+--------------------+
 * Expect bottom-up to place the block right after r1 and merge with it;
 * top-down to place it at the end.
 */
static void alloc_after(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_512));
	a = phys_alloc_ok(mb, SZ_128, SMP_CACHE_BYTES);
	if (bu) {
		assert_int_equal(a, MEM_BASE + SZ_512);
		assert_counts(mb, RESERVED, 1, SZ_512 + SZ_128);
	} else {
		assert_int_equal(a, MEM_END - SZ_128);
		assert_counts(mb, RESERVED, 2, SZ_512 + SZ_128);
	}
	hn_memblock_destroy(mb);
}
BOTH(alloc_after)

/*
 *  |           +-----+----+--+------+  |
 *  |           | new | r2 |  |  r1  |  |   the 64-byte gap is too small
 *  +-----------+-----+----+--+------+--+
 * Expect top-down to skip the gap and merge the block below r2; bottom-up
 * to take the start of memory.
 */
static void alloc_second_fit(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_END - SZ_512, SZ_512));
	OK(mb, hn_memblock_reserve(mb, MEM_END - SZ_1K, SZ_512 - SZ_64));
	a = phys_alloc_ok(mb, SZ_128, SMP_CACHE_BYTES);
	if (bu) {
		assert_int_equal(a, MEM_BASE);
		assert_counts(mb, RESERVED, 3, SZ_1K - SZ_64 + SZ_128);
	} else {
		assert_int_equal(a, MEM_END - SZ_1K - SZ_128);
		assert_region(mb, RESERVED, 0, a, SZ_512 - SZ_64 + SZ_128);
		assert_counts(mb, RESERVED, 2, SZ_1K - SZ_64 + SZ_128);
	}
	hn_memblock_destroy(mb);
}
BOTH(alloc_second_fit)

/*
 *  |  +--------+-------+---------+  |
 *  |  |   r1   |  new  |   r2    |  |   the gap is exactly the size
 *  +--+--------+-------+---------+--+
 * Expect the block in the gap, all three merged.
 */
static void alloc_in_between(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_16K));
	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_16K + SZ_1K, MEM_SIZE - SZ_16K - SZ_1K));
	a = phys_alloc_ok(mb, SZ_1K, SMP_CACHE_BYTES);
	assert_int_equal(a, MEM_BASE + SZ_16K);
	assert_counts(mb, RESERVED, 1, MEM_SIZE);
	hn_memblock_destroy(mb);
}
BOTH(alloc_in_between)

/*
 *  |  +--+  +--+  +--+  ...  +--+  |   gaps of 256 between reservations
 * Expect a 512-byte request to fail with -ENOSPC, nothing reserved.
 */
static void alloc_small_gaps(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a = 7;

	for (uint64_t p = MEM_BASE; p < MEM_END; p += SZ_512)
		OK(mb, hn_memblock_reserve(mb, p, SZ_256));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_512, SMP_CACHE_BYTES, &a));
	assert_int_equal(a, 7);
	assert_counts(mb, RESERVED, MEM_SIZE / SZ_512, MEM_SIZE / 2);
	hn_memblock_destroy(mb);
}
BOTH(alloc_small_gaps)

/* All of memory reserved.  Expect -ENOSPC. */
static void alloc_all_reserved(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, MEM_SIZE));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_256, SMP_CACHE_BYTES, &a));
	assert_counts(mb, RESERVED, 1, MEM_SIZE);
	hn_memblock_destroy(mb);
}
BOTH(alloc_all_reserved)

/*
 *  |  +----------+   +-------------+  |
 *  |  |    r1    |gap|     r2      |  |   gap one byte short of the size
 * Expect -ENOSPC.
 */
static void alloc_no_space(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_8K));
	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_8K + SZ_1K - 1, MEM_SIZE));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_1K, 1, &a));
	hn_memblock_destroy(mb);
}
BOTH(alloc_no_space)

/*
 *  |  +----------+---+-------------+  |
 *  |  |    r1    |new|     r2      |  |   exactly enough, at an odd place
 * Expect the block in that place.
 */
static void alloc_limited_space(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_8K + SZ_64));
	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_8K + SZ_64 + SZ_1K,
				   MEM_SIZE - SZ_8K - SZ_64 - SZ_1K));
	a = phys_alloc_ok(mb, SZ_1K, SZ_64);
	assert_int_equal(a, MEM_BASE + SZ_8K + SZ_64);
	assert_counts(mb, RESERVED, 1, MEM_SIZE);
	hn_memblock_destroy(mb);
}
BOTH(alloc_limited_space)

/* No memory at all (added then removed).  Expect -ENOSPC. */
static void alloc_no_memory(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_remove(mb, MEM_BASE, MEM_SIZE));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_1K, SMP_CACHE_BYTES, &a));
	assert_counts(mb, RESERVED, 0, 0);
	hn_memblock_destroy(mb);
}
BOTH(alloc_no_memory)

/* A request larger than all memory.  Expect -ENOSPC. */
static void alloc_too_large(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, MEM_SIZE + 1, SMP_CACHE_BYTES, &a));
	hn_memblock_destroy(mb);
}
BOTH(alloc_too_large)

/*
 *  |+--page 0--+--page 1--+|
 *  ||  never   |          ||
 * Expect the first page never handed out: bottom-up starts at PAGE_SIZE,
 * and memory that is only page 0 gives -ENOSPC.
 */
static void alloc_skips_first_page(bool bu)
{
	struct hn_memblock *mb = mk(bu);
	uint64_t a;

	OK(mb, hn_memblock_add(mb, 0, PAGE_SIZE));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_64, SZ_64, &a));
	OK(mb, hn_memblock_add(mb, PAGE_SIZE, PAGE_SIZE));
	a = phys_alloc_ok(mb, SZ_64, SZ_64);
	assert_int_equal(a, bu ? PAGE_SIZE : 2 * PAGE_SIZE - SZ_64);
	hn_memblock_destroy(mb);
}
BOTH(alloc_skips_first_page)

/*
 *                                  +------------------+
 *  |                               |  memory          |PHYS_ADDR_MAX
 *  +-------------------------------+------------------+
 * Expect top-down to end on the highest page boundary below PHYS_ADDR_MAX
 * and bottom-up to start on the first page boundary of the region.
 */
static void alloc_near_max(bool bu)
{
	struct hn_memblock *mb = mk(bu);
	uint64_t a;

	OK(mb, hn_memblock_add(mb, HN_PHYS_ADDR_MAX - SZ_1M, SZ_2M));
	a = phys_alloc_ok(mb, SZ_4K, SZ_4K);
	assert_int_equal(a, bu ? 0xfffffffffff00000ull : 0xffffffffffffe000ull);
	assert_region(mb, RESERVED, 0, a, SZ_4K);
	hn_memblock_destroy(mb);
}
BOTH(alloc_near_max)

/*
 * Memory in the last 100 bytes below PHYS_ADDR_MAX, page alignment asked.
 * Expect -ENOSPC: top-down finds no aligned start inside, and bottom-up's
 * round-up wraps to 0, which is the kernel's "not found".
 */
static void alloc_near_max_unaligned(bool bu)
{
	struct hn_memblock *mb = mk(bu);
	uint64_t a;

	OK(mb, hn_memblock_add(mb, HN_PHYS_ADDR_MAX - 100, 100));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_32, SZ_4K, &a));
	a = phys_alloc_ok(mb, SZ_32, SZ_4);
	assert_int_equal(a, bu ? HN_PHYS_ADDR_MAX - 99 : HN_PHYS_ADDR_MAX - 35);
	hn_memblock_destroy(mb);
}
BOTH(alloc_near_max_unaligned)

/*
 * Alignment 0, which the kernel answers with a stack dump and
 * SMP_CACHE_BYTES.
 * Expect a warning in the log and a 64-byte aligned block.
 */
static void alloc_align_zero(bool bu)
{
	struct logcap log = { 0 };
	struct hn_memblock *mb = mk_opts((struct opts){ .bottom_up = bu, .log = &log });
	uint64_t a;

	OK(mb, hn_memblock_add(mb, MEM_BASE + 8, MEM_SIZE - 16));
	a = phys_alloc_ok(mb, SZ_2, 0);
	assert_int_equal(a % SMP_CACHE_BYTES, 0);
	assert_int_equal(a, bu ? MEM_BASE + SMP_CACHE_BYTES : MEM_END - SMP_CACHE_BYTES);
	assert_true(log.warnings > 0);
	hn_memblock_destroy(mb);
}
BOTH(alloc_align_zero)

/*
 * Size 0, which the kernel does not reject: it finds an address and
 * reserves nothing (top-down that address is the end of the free range).
 * Expect success, no reservation.
 */
static void alloc_size_zero(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a = phys_alloc_ok(mb, 0, SZ_64);

	assert_int_equal(a, bu ? MEM_BASE : MEM_END);
	assert_counts(mb, RESERVED, 0, 0);
	hn_memblock_destroy(mb);
}
BOTH(alloc_size_zero)

/*
 *  |  +---------------+-----------+  |
 *  |  |   below limit |  above    |  |
 *  +--+---------------+-----------+--+
 *                     ^ current_limit
 * Expect phys_alloc to stay below the limit, phys_alloc_range with an
 * explicit end to ignore it, and a limit of 0 to make nothing accessible.
 */
static void alloc_current_limit(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	hn_memblock_set_current_limit(mb, MEM_BASE + SZ_16K);
	a = phys_alloc_ok(mb, SZ_64, SZ_64);
	assert_int_equal(a, bu ? MEM_BASE : MEM_BASE + SZ_16K - SZ_64);
	OK(mb, hn_memblock_phys_alloc_range(mb, SZ_64, SZ_64, MEM_BASE + SZ_16K,
					    HN_MEMBLOCK_ALLOC_ANYWHERE, &a));
	assert_int_equal(a, bu ? MEM_BASE + SZ_16K : MEM_END - SZ_64);
	hn_memblock_set_current_limit(mb, 0);
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_64, SZ_64, &a));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc_range(mb, SZ_64, SZ_64, 0,
							HN_MEMBLOCK_ALLOC_NOLEAKTRACE, &a));
	hn_memblock_destroy(mb);
}
BOTH(alloc_current_limit)

/*
 * Argument checking of every allocation entry point.
 * Expect -EINVAL for NULL mb, NULL out, an alignment that is not a power of
 * two and a node id out of range; nothing reserved.
 */
static void alloc_errors(void **state)
{
	struct hn_memblock *mb = setup_memblock(false);
	uint64_t a;

	(void)state;
	assert_int_equal(hn_memblock_phys_alloc(NULL, 8, 8, &a), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc(mb, 8, 8, NULL));
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc(mb, 8, 24, &a));
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc_range(mb, 8, 3, 0, ~0ull, &a));
	assert_int_equal(hn_memblock_phys_alloc_range(NULL, 8, 8, 0, ~0ull, &a), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc_range(mb, 8, 8, 0, ~0ull, NULL));
	assert_int_equal(hn_memblock_phys_alloc_try_nid(NULL, 8, 8, 0, &a), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc_try_nid(mb, 8, 8, -2, &a));
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc_try_nid(mb, 8, 8, MAX_NODES + 1, &a));
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc_try_nid(mb, 8, 6, 0, &a));
	FAILS(mb, -EINVAL, hn_memblock_phys_alloc_try_nid(mb, 8, 8, 0, NULL));
	assert_int_equal(hn_memblock_alloc_try_nid(NULL, 8, 8, 0, 0, 0, &a), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_alloc_try_nid(mb, 8, 8, 0, 0, 99, &a));
	FAILS(mb, -EINVAL, hn_memblock_alloc_try_nid(mb, 8, 5, 0, 0, 0, &a));
	FAILS(mb, -EINVAL, hn_memblock_alloc_try_nid(mb, 8, 8, 0, 0, 0, NULL));
	assert_int_equal(hn_memblock_alloc_exact_nid_raw(NULL, 8, 8, 0, 0, 0, &a), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_alloc_exact_nid_raw(mb, 8, 8, 0, 0, -5, &a));
	FAILS(mb, -EINVAL, hn_memblock_alloc_exact_nid_raw(mb, 8, 12, 0, 0, 0, &a));
	FAILS(mb, -EINVAL, hn_memblock_alloc_exact_nid_raw(mb, 8, 8, 0, 0, 0, NULL));
	assert_int_equal(hn_memblock_alloc_range_nid(NULL, 8, 8, 0, 0, 0, false, &a), -EINVAL);
	FAILS(mb, -EINVAL, hn_memblock_alloc_range_nid(mb, 8, 8, 0, 0, 65, false, &a));
	FAILS(mb, -EINVAL, hn_memblock_alloc_range_nid(mb, 8, 7, 0, 0, 0, false, &a));
	FAILS(mb, -EINVAL, hn_memblock_alloc_range_nid(mb, 8, 8, 0, 0, 0, true, NULL));
	assert_counts(mb, RESERVED, 0, 0);
	hn_memblock_destroy(mb);
}

/*
 * Allocating when the reserved array is full (init_regions = 4).
 *  rsv: |+--+ +--+ +--+ +--+          |  + the allocation = 5th entry
 * Expect -ENOSPC before allow_resize (the reserve inside the allocation
 * fails and every attempt is exhausted), -ENOMEM when the host realloc
 * fails, and after that success with the doubled array reserved too.
 */
static void alloc_reserved_growth(bool bu)
{
	struct hn_memblock *mb = mk_opts((struct opts){ .bottom_up = bu, .init_regions = 4 });
	uint64_t a;

	OK(mb, hn_memblock_add(mb, MEM_BASE, MEM_SIZE));
	for (uint64_t i = 0; i < 4; i++)
		OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_8K + i * SZ_2K, SZ_1K));
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_64, SZ_64, &a));
	hn_memblock_allow_resize(mb);
	if (alloc_wrap_active()) {
		alloc_fail_after = 0;
		FAILS(mb, -ENOMEM, hn_memblock_phys_alloc(mb, SZ_64, SZ_64, &a));
		alloc_fail_after = -1;
	}
	assert_counts(mb, RESERVED, 4, 4 * SZ_1K);
	a = phys_alloc_ok(mb, SZ_64, SZ_64);
	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SZ_64);
	assert_int_equal(mb->reserved.max, 8);
	/* the array: bottom-up at the lowest page above the allocation's
	 * range, top-down at the top page below it */
	/* bottom-up the array page touches the first old reservation */
	assert_counts(mb, RESERVED, bu ? 5 : 6, 4 * SZ_1K + SZ_64 + PAGE_SIZE);
	assert_true(hn_memblock_is_reserved(mb, mb->reserved.array_phys));
	assert_int_equal(mb->reserved.array_phys,
			 bu ? MEM_BASE + PAGE_SIZE : MEM_END - 2 * PAGE_SIZE);
	hn_memblock_destroy(mb);
}
BOTH(alloc_reserved_growth)

/* ======================================================================== */
/* Allocation with a lower bound (alloc_helpers_api: memblock_alloc_from)    */

static uint64_t alloc_from(struct hn_memblock *mb, uint64_t size, uint64_t align,
			   uint64_t min_addr)
{
	uint64_t a = 0;

	OK(mb, hn_memblock_alloc_try_nid(mb, size, align, min_addr,
					 HN_MEMBLOCK_ALLOC_ACCESSIBLE, HN_NUMA_NO_NODE, &a));
	return a;
}

/*
 *  |        +------------+-----+-----+   |
 *  |        |            |BU   |  TD |   |
 *  +--------+------------+-----+-----+---+
 *                        ^min_addr
 * Expect bottom-up to start at min_addr, top-down to end at the top.
 */
static void alloc_from_simple(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_16K;
	uint64_t a = alloc_from(mb, SZ_16, SMP_CACHE_BYTES, min);

	assert_int_equal(a, bu ? min : MEM_END - SMP_CACHE_BYTES);
	assert_region(mb, RESERVED, 0, a, SZ_16);
	hn_memblock_destroy(mb);
}
BOTH(alloc_from_simple)

/* min_addr not aligned.  Expect bottom-up to round it up to the alignment. */
static void alloc_from_misaligned(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_16K + 1;
	uint64_t a = alloc_from(mb, SZ_16, SMP_CACHE_BYTES, min);

	assert_int_equal(a, bu ? MEM_BASE + SZ_16K + SMP_CACHE_BYTES
			       : MEM_END - SMP_CACHE_BYTES);
	hn_memblock_destroy(mb);
}
BOTH(alloc_from_misaligned)

/*
 * min_addr above all memory.
 * Expect the bound to be dropped: top-down at the top, bottom-up at the
 * start.
 */
static void alloc_from_high_addr(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a = alloc_from(mb, SZ_16, SMP_CACHE_BYTES, MEM_END + SZ_1M);

	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SMP_CACHE_BYTES);
	hn_memblock_destroy(mb);
}
BOTH(alloc_from_high_addr)

/*
 *  |  +-----------+---------------------+  |
 *  |  |    new    |     r1 (reserved)   |  |
 *  +--+-----------+---------------------+--+
 *                 ^min_addr
 * Everything above min_addr is reserved.
 * Expect the bound to be dropped: top-down right below min_addr (merging
 * with r1), bottom-up at the start of memory.
 */
static void alloc_from_no_space_above(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_16K;
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, min, MEM_END - min));
	a = alloc_from(mb, SZ_1K, SMP_CACHE_BYTES, min);
	assert_int_equal(a, bu ? MEM_BASE : min - SZ_1K);
	assert_counts(mb, RESERVED, bu ? 2 : 1, MEM_END - min + SZ_1K);
	hn_memblock_destroy(mb);
}
BOTH(alloc_from_no_space_above)

/* min_addr below memory.  Expect start/end of memory as without a bound. */
static void alloc_from_min_addr_cap(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a = alloc_from(mb, SZ_1K, SMP_CACHE_BYTES, MEM_BASE - SZ_64K);

	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SZ_1K);
	hn_memblock_destroy(mb);
}
BOTH(alloc_from_min_addr_cap)

/* ======================================================================== */
/* memblock_alloc_try_nid within [min_addr, max_addr) (alloc_nid_api)        */

static uint64_t try_nid(struct hn_memblock *mb, uint64_t size, uint64_t min, uint64_t max,
			int nid)
{
	uint64_t a = 0;

	OK(mb, hn_memblock_alloc_try_nid(mb, size, SMP_CACHE_BYTES, min, max, nid, &a));
	return a;
}

/*
 *        +                   +
 *   |    +       +-----------+      |
 *   |    |       |    rgn    |      |
 *   +----+-------+-----------+------+
 *        ^min_addr           ^max_addr
 * Expect top-down to end at max_addr, bottom-up to start at min_addr.
 */
static void alloc_nid_simple(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_4K, max = MEM_END - SZ_4K;
	uint64_t a = try_nid(mb, SZ_256, min, max, HN_NUMA_NO_NODE);

	assert_int_equal(a, bu ? min : max - SZ_256);
	assert_counts(mb, RESERVED, 1, SZ_256);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_simple)

/*
 * max_addr (top-down) and min_addr (bottom-up) not aligned.
 * Expect top-down to round the start down, bottom-up to round it up.
 */
static void alloc_nid_misaligned(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_4K + 7, max = MEM_END - SZ_4K - 7;
	uint64_t a = try_nid(mb, SZ_256, min, max, HN_NUMA_NO_NODE);

	assert_int_equal(a, bu ? MEM_BASE + SZ_4K + SMP_CACHE_BYTES
			       : MEM_END - SZ_4K - SZ_256 - SMP_CACHE_BYTES);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_misaligned)

/* [min_addr, max_addr) exactly the size.  Expect exactly that block. */
static void alloc_nid_exact_address(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_4K;

	assert_int_equal(try_nid(mb, SZ_1K, min, min + SZ_1K, HN_NUMA_NO_NODE), min);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_exact_address)

/*
 * [min_addr, max_addr) narrower than the size.
 * Expect min_addr dropped: top-down ends at max_addr, bottom-up starts at
 * the beginning of memory.
 */
static void alloc_nid_narrow_range(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_8K, max = min + SZ_512;
	uint64_t a = try_nid(mb, SZ_1K, min, max, HN_NUMA_NO_NODE);

	assert_int_equal(a, bu ? MEM_BASE : max - SZ_1K);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_narrow_range)

/*
 * max_addr below the start of memory, or current_limit lower than it.
 * Expect -ENOSPC.
 */
static void alloc_nid_low_max(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	FAILS(mb, -ENOSPC, hn_memblock_alloc_try_nid(mb, SZ_1K, SMP_CACHE_BYTES, 0,
						     MEM_BASE, HN_NUMA_NO_NODE, &a));
	hn_memblock_set_current_limit(mb, MEM_BASE + SZ_512);
	FAILS(mb, -ENOSPC, hn_memblock_alloc_try_nid(mb, SZ_1K, SMP_CACHE_BYTES, 0,
						     HN_MEMBLOCK_ALLOC_ANYWHERE,
						     HN_NUMA_NO_NODE, &a));
	assert_counts(mb, RESERVED, 0, 0);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_low_max)

/*
 *  |    +-------+-------+------------------+   |
 *  |    |  r1   |  new  |                  |   |   r1 ends at min_addr
 *  +----+-------+-------+------------------+---+
 *               ^min_addr              max_addr^
 * (and the mirror: r2 starting at max_addr)
 * Expect the block to merge with the reservation on its side: bottom-up
 * with r1 below min_addr, top-down with r2 at max_addr.
 */
static void alloc_nid_border_reserved(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE + SZ_4K, max = MEM_END - SZ_4K;
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_4K));
	OK(mb, hn_memblock_reserve(mb, max, SZ_4K));
	a = try_nid(mb, SZ_512, min, max, HN_NUMA_NO_NODE);
	assert_int_equal(a, bu ? min : max - SZ_512);
	assert_counts(mb, RESERVED, 2, 2 * SZ_4K + SZ_512);
	assert_region(mb, RESERVED, bu ? 0 : 1, bu ? MEM_BASE : max - SZ_512, SZ_4K + SZ_512);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_border_reserved)

/*
 *  |   +--------+----+------+----+------+   |
 *  |   |  r2    |    |  r1  |    |      |   |
 *  +---+--------+----+------+----+------+---+
 *      ^min                             ^max
 * Two free gaps in the range, both big enough.
 * Expect top-down to use the upper gap (right below max, above r1),
 * bottom-up the lower one (right after r2).
 */
static void alloc_nid_reserved_with_space(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t min = MEM_BASE, max = MEM_END;
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_8K));
	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_16K, SZ_8K));
	a = try_nid(mb, SZ_1K, min, max, HN_NUMA_NO_NODE);
	assert_int_equal(a, bu ? MEM_BASE + SZ_8K : MEM_END - SZ_1K);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_reserved_with_space)

/*
 *  |  +----+-------+-----+  |
 *  |  | r2 |  new  | r1  |  |   min..max is exactly r2.end..r1.base
 *  +--+----+-------+-----+--+
 * Expect one merged reservation.
 */
static void alloc_nid_reserved_full_merge(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_4K, SZ_4K));
	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_16K, SZ_4K));
	a = try_nid(mb, SZ_8K, MEM_BASE + SZ_8K, MEM_BASE + SZ_16K, HN_NUMA_NO_NODE);
	assert_int_equal(a, MEM_BASE + SZ_8K);
	assert_counts(mb, RESERVED, 1, SZ_16K);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_reserved_full_merge)

/*
 *  |  +----+--+--+-----+  |
 *  |  | r2 |  |  | r1  |  |   the free gap in range is smaller than size,
 *  +--+----+--+--+-----+--+   and so is everything else
 * Expect -ENOSPC.
 */
static void alloc_nid_reserved_no_space(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, SZ_8K));
	OK(mb, hn_memblock_reserve(mb, MEM_BASE + SZ_8K + SZ_512, MEM_SIZE - SZ_8K - SZ_512));
	FAILS(mb, -ENOSPC, hn_memblock_alloc_try_nid(mb, SZ_1K, SMP_CACHE_BYTES, MEM_BASE,
						     MEM_END, HN_NUMA_NO_NODE, &a));
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_reserved_no_space)

/*
 * max_addr above memory, min_addr below it.
 * Expect both to be capped to memory.
 */
static void alloc_nid_cap(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a = try_nid(mb, SZ_256, MEM_BASE - SZ_1M + SZ_4K, MEM_END + SZ_1M,
			     HN_NUMA_NO_NODE);

	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SZ_256);
	hn_memblock_destroy(mb);
}
BOTH(alloc_nid_cap)

/* ======================================================================== */
/* NUMA: try_nid and exact_nid                                               */

/* The kernel suite's node sizes, in basis points of MEM_SIZE. */
static const unsigned int node_fractions[NUMA_NODES] = {
	2500, 625, 1250, 1250, 625, 625, 2500, 625,
};

/*
 *  |+--n0--+n1+-n2-+-n3-+n4+n5+--n6--+n7+|  at MEM_BASE, HOTPLUG on all
 *  (flagged like the kernel's setup_numa_memblock without movable_node)
 */
static struct hn_memblock *setup_numa(bool bu)
{
	struct hn_memblock *mb = mk(bu);
	uint64_t base = MEM_BASE;

	for (int i = 0; i < NUMA_NODES; i++) {
		uint64_t size = MEM_SIZE * node_fractions[i] / 10000;

		OK(mb, hn_memblock_add_node(mb, base, size, i, HN_MEMBLOCK_HOTPLUG));
		base += size;
	}
	assert_counts(mb, MEMORY, NUMA_NODES, MEM_SIZE);
	return mb;
}

static struct hn_memblock_region node(const struct hn_memblock *mb, int nid)
{
	return rgn(mb, MEMORY, (unsigned long)nid);
}

/* Allocate through try_nid or exact_nid_raw; returns the errno. */
static int numa_alloc(struct hn_memblock *mb, bool exact, uint64_t size, uint64_t min,
		      uint64_t max, int nid, uint64_t *a)
{
	int ret = exact ? hn_memblock_alloc_exact_nid_raw(mb, size, SMP_CACHE_BYTES, min, max,
							  nid, a)
			: hn_memblock_alloc_try_nid(mb, size, SMP_CACHE_BYTES, min, max, nid,
						    a);
	CHECK(mb);
	return ret;
}

/*
 * Node 3 has room for a quarter of its size.
 * Expect the block at the end (TD) / start (BU) of node 3, with either API.
 */
static void numa_simple(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 3);
	uint64_t a;

	assert_int_equal(numa_alloc(mb, exact, req.size / 4, hn_memblock_start_of_DRAM(mb),
				    hn_memblock_end_of_DRAM(mb), 3, &a), 0);
	assert_int_equal(a, bu ? req.base : rend(req) - req.size / 4);
	assert_counts(mb, RESERVED, 1, req.size / 4);
	hn_memblock_destroy(mb);
}

/*
 *  |   +-----+          +------------------+     |
 *  |   | req |          |     expected     |     |
 *  +---+-----+----------+------------------+-----+
 * Node 1 is too small.
 * Expect try_nid to fall back: the end of node 6 (TD, the highest node that
 * fits) or the start of node 0 (BU); exact_nid to fail with -ENOSPC.
 */
static void numa_small_node(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t size = 2 * node(mb, 1).size, a;
	int ret = numa_alloc(mb, exact, size, hn_memblock_start_of_DRAM(mb),
			     hn_memblock_end_of_DRAM(mb), 1, &a);

	if (exact) {
		assert_int_equal(ret, -ENOSPC);
		assert_counts(mb, RESERVED, 0, 0);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, 6)) - size);
	}
	hn_memblock_destroy(mb);
}

/*
 *  |              +---------+            +------------------+     |
 *  |              |requested|            |     expected     |     |
 *  |              | reserved|                     |   new   |     |
 * Node 2 fully reserved.
 * Expect the fallback placement of numa_small_node, or -ENOSPC exact.
 */
static void numa_node_reserved(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 2);
	uint64_t a;
	int ret;

	OK(mb, hn_memblock_reserve(mb, req.base, req.size));
	ret = numa_alloc(mb, exact, req.size, hn_memblock_start_of_DRAM(mb),
			 hn_memblock_end_of_DRAM(mb), 2, &a);
	if (exact) {
		assert_int_equal(ret, -ENOSPC);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, 6)) - req.size);
		assert_counts(mb, RESERVED, 2, 2 * req.size);
	}
	hn_memblock_destroy(mb);
}

/*
 *  |           +---------------------------------------+          |
 *  |           |               requested               |          |
 *  |           +------------------+              +-----+          |
 *  |           |     reserved     |              | new |          |
 * Node 4's lower half reserved; room above.
 * Expect the block inside node 4: its end (TD), or right after the
 * reservation, merged with it (BU).
 */
static void numa_part_reserved(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 4);
	uint64_t r1 = req.size / 2, size = r1 / 4, a;

	OK(mb, hn_memblock_reserve(mb, req.base, r1));
	assert_int_equal(numa_alloc(mb, exact, size, hn_memblock_start_of_DRAM(mb),
				    hn_memblock_end_of_DRAM(mb), 4, &a), 0);
	if (bu) {
		assert_int_equal(a, req.base + r1);
		assert_counts(mb, RESERVED, 1, r1 + size);
	} else {
		assert_int_equal(a, rend(req) - size);
		assert_counts(mb, RESERVED, 2, r1 + size);
	}
	hn_memblock_destroy(mb);
}

/*
 *  |           +-----------------------+         +----------------------|
 *  |           |       requested       |         |       expected       |
 *  |                 +----------+                           +-----------|
 *  |                 | reserved |                           |    new    |
 * Node 4's middle reserved: no piece big enough.
 * Expect try_nid to fall back to node 7's end (TD) / node 0's start (BU);
 * exact_nid to fail.
 */
static void numa_part_reserved_fallback(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 4);
	uint64_t size = req.size / 2, a;
	int ret;

	OK(mb, hn_memblock_reserve(mb, req.base + size / 2, size));
	ret = numa_alloc(mb, exact, size, hn_memblock_start_of_DRAM(mb),
			 hn_memblock_end_of_DRAM(mb), 4, &a);
	if (exact) {
		assert_int_equal(ret, -ENOSPC);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, NUMA_NODES - 1)) - size);
		assert_counts(mb, RESERVED, 2, 2 * size);
	}
	hn_memblock_destroy(mb);
}

/*
 *                                min_addr
 *                                |           max_addr
 *  |           +-----------------------+-----------+              |
 *  |           |       requested       |   node3   |              |
 * The range straddles node 2's end.
 * Expect min_addr dropped and the block at the end (TD) / start (BU) of
 * node 2, for both APIs.
 */
static void numa_split_range_low(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 2);
	uint64_t min = rend(req) - SZ_256, a;

	assert_int_equal(numa_alloc(mb, exact, SZ_512, min, min + SZ_512, 2, &a), 0);
	assert_int_equal(a, bu ? req.base : rend(req) - SZ_512);
	hn_memblock_destroy(mb);
}

/*
 *                               min_addr
 *                               |         max_addr
 *  |      +--------------------------+---------+                |
 *  |      |         expected         |requested|                |
 * The range straddles node 3's start.
 * Expect try_nid to end up in node 2's top (TD) or node 0's start (BU);
 * exact_nid to fail.
 */
static void numa_split_range_high(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t min = node(mb, 3).base - SZ_256, a;
	int ret = numa_alloc(mb, exact, SZ_512, min, min + SZ_512, 3, &a);

	if (exact) {
		assert_int_equal(ret, -ENOSPC);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, 2)) - SZ_512);
	}
	hn_memblock_destroy(mb);
}

/*
 *                                          min_addr
 *                                         |         max_addr
 *  |    +---------------+        +-------------+---------+         |
 *  |    |   requested   |        |    node5    |  node6  |         |
 * The range straddles nodes 5/6, far above node 2.
 * Expect min_addr dropped and the block at node 2's end (TD) / start (BU).
 */
static void numa_no_overlap_split(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 2);
	uint64_t min = node(mb, 6).base - SZ_256, a;

	assert_int_equal(numa_alloc(mb, exact, SZ_512, min, min + SZ_512, 2, &a), 0);
	assert_int_equal(a, bu ? req.base : rend(req) - SZ_512);
	hn_memblock_destroy(mb);
}

/*
 *                          min_addr                          max_addr
 *  |-----------+           +----------+----...----+----------+      |
 *  | requested |           | min node |    ...    | max node |      |
 * The range covers nodes 2..5; node 0 lies below it.
 * Expect try_nid to fall back inside the range (its top TD, its start BU);
 * exact_nid to drop min_addr and use node 0 (its end TD, start BU).
 */
static void numa_no_overlap_low(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t min = node(mb, 2).base, max = rend(node(mb, 5)), a;

	assert_int_equal(numa_alloc(mb, exact, SZ_64, min, max, 0, &a), 0);
	if (exact)
		assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, 0)) - SZ_64);
	else
		assert_int_equal(a, bu ? min : max - SZ_64);
	hn_memblock_destroy(mb);
}

/*
 *        min_addr                          max_addr
 *  |     +----------+----...----+----------+        +-----------+   |
 *  |     | min node |    ...    | max node |        | requested |   |
 * The range covers nodes 2..5; node 7 lies above it.
 * Expect try_nid to fall back inside the range; exact_nid to fail.
 */
static void numa_no_overlap_high(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t min = node(mb, 2).base, max = rend(node(mb, 5)), a;
	int ret = numa_alloc(mb, exact, SZ_64, min, max, 7, &a);

	if (exact) {
		assert_int_equal(ret, -ENOSPC);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(a, bu ? min : max - SZ_64);
	}
	hn_memblock_destroy(mb);
}

/* Half of all memory in one piece: no node has it.  Expect -ENOSPC. */
static void numa_large_region(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t a;

	assert_int_equal(numa_alloc(mb, exact, MEM_SIZE / 2, hn_memblock_start_of_DRAM(mb),
				    hn_memblock_end_of_DRAM(mb), 3, &a), -ENOSPC);
	assert_counts(mb, RESERVED, 0, 0);
	hn_memblock_destroy(mb);
}

/*
 *  |      +-----------+-----------------------+-----------------------|
 *  |      |   node5   |       requested       |         node7         |
 *  |             +----+-----------------------+----+                  |
 *  |             | r2 |          new          | r1 |                  |
 * Expect the whole of node 6 allocated and merged with r1 and r2.
 */
static void numa_reserved_full_merge(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	struct hn_memblock_region req = node(mb, 6);
	uint64_t r1 = node(mb, 7).base, r2 = r1 - req.size - SZ_128, a;

	OK(mb, hn_memblock_reserve(mb, r1, SZ_128));
	OK(mb, hn_memblock_reserve(mb, r2, SZ_128));
	assert_int_equal(numa_alloc(mb, exact, req.size, r2 + SZ_128, r1, 6, &a), 0);
	assert_int_equal(a, req.base);
	assert_counts(mb, RESERVED, 1, req.size + 2 * SZ_128);
	assert_region(mb, RESERVED, 0, r2, req.size + 2 * SZ_128);
	hn_memblock_destroy(mb);
}

/*
 *                         +-----------+
 *                         |    new    |
 *  |      +---------------------+-----------|
 *  |      |      prev node      | next node |
 *  |----------------------+           +-----|
 *  |          r1          |           |  r2 |
 * The only free bytes straddle nodes 6 and 7 (separate regions).
 * Expect -ENOSPC even with NUMA_NO_NODE.
 */
static void numa_split_all_reserved(bool bu, bool exact)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t r2 = node(mb, 7).base + SZ_128;
	uint64_t r2_size = hn_memblock_end_of_DRAM(mb) - r2;
	uint64_t r1_size = MEM_SIZE - (r2_size + SZ_256), a;

	OK(mb, hn_memblock_reserve(mb, MEM_BASE, r1_size));
	OK(mb, hn_memblock_reserve(mb, r2, r2_size));
	assert_int_equal(numa_alloc(mb, exact, SZ_256, MEM_BASE + r1_size, r2, HN_NUMA_NO_NODE,
				    &a), -ENOSPC);
	hn_memblock_destroy(mb);
}

#define NUMA_CASE(x)                                                          \
	static void alloc_nid_numa_##x##_top_down(void **s)                   \
	{                                                                     \
		(void)s;                                                      \
		numa_##x(false, false);                                       \
	}                                                                     \
	static void alloc_nid_numa_##x##_bottom_up(void **s)                  \
	{                                                                     \
		(void)s;                                                      \
		numa_##x(true, false);                                        \
	}                                                                     \
	static void alloc_exact_nid_numa_##x##_top_down(void **s)             \
	{                                                                     \
		(void)s;                                                      \
		numa_##x(false, true);                                        \
	}                                                                     \
	static void alloc_exact_nid_numa_##x##_bottom_up(void **s)            \
	{                                                                     \
		(void)s;                                                      \
		numa_##x(true, true);                                         \
	}
#define NUMA_ENTRIES(x)                                                       \
	cmocka_unit_test(alloc_nid_numa_##x##_top_down),                      \
		cmocka_unit_test(alloc_nid_numa_##x##_bottom_up),             \
		cmocka_unit_test(alloc_exact_nid_numa_##x##_top_down),        \
		cmocka_unit_test(alloc_exact_nid_numa_##x##_bottom_up)
NUMA_CASE(simple)
NUMA_CASE(small_node)
NUMA_CASE(node_reserved)
NUMA_CASE(part_reserved)
NUMA_CASE(part_reserved_fallback)
NUMA_CASE(split_range_low)
NUMA_CASE(split_range_high)
NUMA_CASE(no_overlap_split)
NUMA_CASE(no_overlap_low)
NUMA_CASE(no_overlap_high)
NUMA_CASE(large_region)
NUMA_CASE(reserved_full_merge)
NUMA_CASE(split_all_reserved)

/*
 * memblock_phys_alloc_try_nid: node 1 too small, then node 3 fine.
 * Expect the fallback placement, then node 3's end (TD) / start (BU).
 */
static void phys_alloc_try_nid(bool bu)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t a, size = 2 * node(mb, 1).size;

	OK(mb, hn_memblock_phys_alloc_try_nid(mb, size, SMP_CACHE_BYTES, 1, &a));
	assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, 6)) - size);
	OK(mb, hn_memblock_phys_alloc_try_nid(mb, SZ_64, SMP_CACHE_BYTES, 3, &a));
	assert_int_equal(a, bu ? node(mb, 3).base : rend(node(mb, 3)) - SZ_64);
	/* MAX_NUMNODES is "any node" as well */
	OK(mb, hn_memblock_phys_alloc_try_nid(mb, SZ_64, SMP_CACHE_BYTES, MAX_NODES, &a));
	hn_memblock_destroy(mb);
}
BOTH(phys_alloc_try_nid)

/*
 * memblock_alloc_range_nid with exact_nid: no lower-bound drop here.
 * Expect node 1 (too small) to fail exactly and succeed with fallback.
 */
static void alloc_range_nid_exact(bool bu)
{
	struct hn_memblock *mb = setup_numa(bu);
	uint64_t a, size = 2 * node(mb, 1).size;

	FAILS(mb, -ENOSPC, hn_memblock_alloc_range_nid(mb, size, SMP_CACHE_BYTES, 0,
						       HN_MEMBLOCK_ALLOC_ACCESSIBLE, 1, true, &a));
	OK(mb, hn_memblock_alloc_range_nid(mb, size, SMP_CACHE_BYTES, 0,
					   HN_MEMBLOCK_ALLOC_ACCESSIBLE, 1, false, &a));
	assert_int_equal(a, bu ? node(mb, 0).base : rend(node(mb, 6)) - size);
	/* within a range that excludes node 0 and 6, bottom-up lands in 2 */
	OK(mb, hn_memblock_alloc_range_nid(mb, SZ_64, SMP_CACHE_BYTES, node(mb, 2).base,
					   rend(node(mb, 3)), 5, false, &a));
	assert_int_equal(a, bu ? node(mb, 2).base : rend(node(mb, 3)) - SZ_64);
	hn_memblock_destroy(mb);
}
BOTH(alloc_range_nid_exact)

/* ======================================================================== */
/* Memory attributes during allocation                                       */

/*
 *  |  +==mirror==+---------------------------+  |
 * With kernelcore=mirror and a mirrored range.
 * Expect small allocations to come from mirrored memory first; a request
 * that mirrored memory cannot hold to fall back to any memory with a
 * warning.
 */
static void alloc_mirror_first(bool bu)
{
	struct logcap log = { 0 };
	struct hn_memblock *mb =
		mk_opts((struct opts){ .bottom_up = bu, .mirror = true, .log = &log });
	uint64_t a;

	OK(mb, hn_memblock_add(mb, MEM_BASE, MEM_SIZE));
	OK(mb, hn_memblock_mark_mirror(mb, MEM_BASE + SZ_8K, SZ_4K));
	a = phys_alloc_ok(mb, SZ_64, SZ_64);
	assert_int_equal(a, bu ? MEM_BASE + SZ_8K : MEM_BASE + SZ_8K + SZ_4K - SZ_64);
	assert_int_equal(log.warnings, 0);
	a = phys_alloc_ok(mb, SZ_8K, SZ_64);
	assert_int_equal(a, bu ? MEM_BASE : MEM_END - SZ_8K);
	assert_true(log.warnings > 0);
	assert_non_null(strstr(log.last, "mirrored memory"));
	hn_memblock_destroy(mb);
}
BOTH(alloc_mirror_first)

/*
 *  |  +--------------+====hotplug====+  |
 * Expect allocations to avoid HOTPLUG memory only with movable_node.
 */
static void alloc_movable_node(bool bu)
{
	for (int movable = 0; movable < 2; movable++) {
		struct hn_memblock *mb =
			mk_opts((struct opts){ .bottom_up = bu, .movable_node = movable });
		uint64_t a;

		OK(mb, hn_memblock_add(mb, MEM_BASE, MEM_SIZE));
		OK(mb, hn_memblock_mark_hotplug(mb, MEM_BASE, SZ_16K));
		a = phys_alloc_ok(mb, SZ_64, SZ_64);
		if (bu)
			assert_int_equal(a, movable ? MEM_BASE + SZ_16K : MEM_BASE);
		else
			assert_int_equal(a, MEM_END - SZ_64);
		hn_memblock_destroy(mb);
	}
}
BOTH(alloc_movable_node)

/*
 *  |  +--------------+===nomap===+==drv_mng==+  |
 * Expect allocations never to use NOMAP or DRIVER_MANAGED memory.
 */
static void alloc_skips_nomap(bool bu)
{
	struct hn_memblock *mb = setup_memblock(bu);
	uint64_t a;

	OK(mb, hn_memblock_mark_nomap(mb, MEM_BASE + SZ_8K, SZ_8K));
	OK(mb, hn_memblock_add_node(mb, MEM_END, SZ_8K, 0, HN_MEMBLOCK_DRIVER_MANAGED));
	a = phys_alloc_ok(mb, SZ_16K, SZ_64);
	assert_int_equal(a, MEM_BASE + SZ_16K);
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_16K, SZ_64, &a));
	a = phys_alloc_ok(mb, SZ_8K, SZ_64);
	assert_int_equal(a, MEM_BASE);
	FAILS(mb, -ENOSPC, hn_memblock_phys_alloc(mb, SZ_64, SZ_64, &a));
	hn_memblock_destroy(mb);
}
BOTH(alloc_skips_nomap)

/* ======================================================================== */
/* Randomized differential test against a byte-map model                     */

/*
 * The model: NPAGES units of UNIT bytes starting at 0.  For each unit it
 * records whether it is memory (with nid, flags, attribute word) and whether
 * it is reserved (with flags).  Every operation is applied to both; after
 * each one the memblock's lists are expanded into the same arrays and
 * compared, along with the totals, and hn_memblock_check() must pass.  That
 * pins down membership, attributes and -- with the validator's minimality
 * rule -- the exact region boundaries.  Allocations are predicted by walking
 * the model's free runs with the kernel's placement rules.
 */
#define UNIT SZ_4K
#define NPAGES 256u
#define RMAX_NODES 8
#define GROWTH_SPLIT (NPAGES / 2)
#define CLAMP(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))

struct model {
	bool mem[NPAGES], rsv[NPAGES];
	int nid[NPAGES];
	uint32_t flags[NPAGES], mattr[NPAGES], rflags[NPAGES];
	bool mirror_seen;
};

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

/* A memory unit is free for the allocator when no skip rule applies. */
static bool model_eligible(const struct model *m, unsigned int u, int nid, uint32_t flags)
{
	if (!m->mem[u] || m->rsv[u])
		return false;
	if (nid >= 0 && nid < RMAX_NODES && m->nid[u] != nid)
		return false;
	/* movable_node is on in this test */
	if ((m->flags[u] & HN_MEMBLOCK_HOTPLUG) && !(flags & HN_MEMBLOCK_HOTPLUG))
		return false;
	if ((flags & HN_MEMBLOCK_MIRROR) && !(m->flags[u] & HN_MEMBLOCK_MIRROR))
		return false;
	if (m->flags[u] & (HN_MEMBLOCK_NOMAP | HN_MEMBLOCK_DRIVER_MANAGED))
		return false;
	return true;
}

/* Free ranges split where the memory region changes (any attribute). */
static bool same_region(const struct model *m, unsigned int a, unsigned int b)
{
	return m->nid[a] == m->nid[b] && m->flags[a] == m->flags[b] && m->mattr[a] == m->mattr[b];
}

static uint64_t model_find(const struct model *m, bool bu, uint64_t size, uint64_t align,
			   uint64_t start, uint64_t end, int nid, uint32_t flags)
{
	uint64_t rs[NPAGES][2];
	unsigned int n = 0;

	if (end == 0 || end == 1)
		end = HN_MEMBLOCK_ALLOC_ANYWHERE;
	start = start > PAGE_SIZE ? start : PAGE_SIZE;
	end = end > start ? end : start;

	for (unsigned int u = 0; u < NPAGES; u++) {
		if (!model_eligible(m, u, nid, flags))
			continue;
		if (n && rs[n - 1][1] == (uint64_t)u * UNIT && same_region(m, u - 1, u))
			rs[n - 1][1] += UNIT;
		else {
			rs[n][0] = (uint64_t)u * UNIT;
			rs[n][1] = (uint64_t)(u + 1) * UNIT;
			n++;
		}
	}
	for (unsigned int k = 0; k < n; k++) {
		unsigned int i = bu ? k : n - 1 - k;
		uint64_t s = CLAMP(rs[i][0], start, end), e = CLAMP(rs[i][1], start, end);

		if (bu) {
			uint64_t cand = (s + align - 1) & ~(align - 1);

			if (cand < e && e - cand >= size)
				return cand;
		} else {
			uint64_t cand;

			if (e < size)
				continue;
			cand = (e - size) & ~(align - 1);
			if (cand >= s)
				return cand;
		}
	}
	return 0;
}

static uint64_t model_alloc(const struct model *m, bool bu, uint64_t size, uint64_t align,
			    uint64_t start, uint64_t end, int nid, bool exact)
{
	uint32_t flags = m->mirror_seen ? HN_MEMBLOCK_MIRROR : 0;
	uint64_t f;

	for (;;) {
		f = model_find(m, bu, size, align, start, end, nid, flags);
		if (f)
			return f;
		if (nid >= 0 && nid < RMAX_NODES && !exact) {
			f = model_find(m, bu, size, align, start, end, -1, flags);
			if (f)
				return f;
		}
		if (!flags)
			return 0;
		flags = 0;
	}
}

struct rcase {
	uint64_t seed;
	unsigned long op;
	const char *what;
};

static void rfail(const struct rcase *rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report a divergence with everything needed to replay it. */
static void rfail(const struct rcase *rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("random: seed 0x%016" PRIx64 " (HN_TEST_SEED) op %lu (%s): %s", rc->seed,
		 rc->op, rc->what, msg);
}
#define RFAIL(rc, ...) rfail((rc), __VA_ARGS__)

static void model_compare(const struct hn_memblock *mb, const struct model *m,
			  const struct rcase *rc, bool exact_reserved)
{
	static bool mem[NPAGES], rsv[NPAGES];
	static int nid[NPAGES];
	static uint32_t flags[NPAGES], mattr[NPAGES], rflags[NPAGES];
	uint64_t mem_total = 0, rsv_total = 0;

	if (hn_memblock_check(mb))
		RFAIL(rc, "validator failed");
	memset(mem, 0, sizeof(mem));
	memset(rsv, 0, sizeof(rsv));
	for (unsigned long i = 0; i < mb->memory.cnt; i++) {
		const struct hn_memblock_region *r = &mb->memory.regions[i];

		if (r->base % UNIT || r->size % UNIT || r->base + r->size > NPAGES * UNIT)
			RFAIL(rc, "memory[%lu] off the unit grid", i);
		for (uint64_t u = r->base / UNIT; u < (r->base + r->size) / UNIT; u++) {
			mem[u] = true;
			nid[u] = r->nid;
			flags[u] = r->flags;
			mattr[u] = r->mattr;
		}
	}
	for (unsigned long i = 0; i < mb->reserved.cnt; i++) {
		const struct hn_memblock_region *r = &mb->reserved.regions[i];

		if (r->base % UNIT || r->size % UNIT || r->base + r->size > NPAGES * UNIT)
			RFAIL(rc, "reserved[%lu] off the unit grid", i);
		if (r->nid != RMAX_NODES)
			RFAIL(rc, "reserved[%lu] nid %d", i, r->nid);
		for (uint64_t u = r->base / UNIT; u < (r->base + r->size) / UNIT; u++) {
			rsv[u] = true;
			rflags[u] = r->flags;
		}
	}
	for (unsigned int u = 0; u < NPAGES; u++) {
		if (mem[u] != m->mem[u])
			RFAIL(rc, "unit %u memory %d, model %d", u, mem[u], m->mem[u]);
		if (mem[u] && (nid[u] != m->nid[u] || flags[u] != m->flags[u] ||
			       mattr[u] != m->mattr[u]))
			RFAIL(rc, "unit %u attributes %d/%#x/%#x, model %d/%#x/%#x", u, nid[u],
			      flags[u], mattr[u], m->nid[u], m->flags[u], m->mattr[u]);
		if ((exact_reserved || u < GROWTH_SPLIT) && rsv[u] != m->rsv[u])
			RFAIL(rc, "unit %u reserved %d, model %d", u, rsv[u], m->rsv[u]);
		if ((exact_reserved || u < GROWTH_SPLIT) && rsv[u] && rflags[u] != m->rflags[u])
			RFAIL(rc, "unit %u reserved flags %#x, model %#x", u, rflags[u],
			      m->rflags[u]);
		mem_total += m->mem[u] ? UNIT : 0;
		rsv_total += rsv[u] ? UNIT : 0;
	}
	if (hn_memblock_phys_mem_size(mb) != mem_total)
		RFAIL(rc, "memory total_size");
	if (hn_memblock_reserved_size(mb) != rsv_total)
		RFAIL(rc, "reserved total_size");
	for (unsigned int k = 0; k < 8; k++) {
		unsigned int u = (unsigned int)((rc->op * 37 + k * 101) % NPAGES);
		uint64_t a = (uint64_t)u * UNIT + 17;

		if (hn_memblock_is_memory(mb, a) != m->mem[u] ||
		    hn_memblock_is_reserved(mb, a) != rsv[u] ||
		    (u < GROWTH_SPLIT && rsv[u] != m->rsv[u]) ||
		    hn_memblock_is_map_memory(mb, a) !=
			    (m->mem[u] && !(m->flags[u] & HN_MEMBLOCK_NOMAP)))
			RFAIL(rc, "point query at unit %u", u);
	}
}

static void run_random(uint64_t seed, unsigned long nops, bool growth)
{
	static struct model m, saved;
	struct hn_memblock_config cfg = { .max_nodes = RMAX_NODES, .movable_node = true,
					  .mirrored_kernelcore = true,
					  .init_regions = growth ? 2 : NPAGES + 8 };
	struct hn_memblock *mb;
	struct rcase rc = { .seed = seed };
	uint64_t s = seed;
	static const uint32_t fl[] = { HN_MEMBLOCK_HOTPLUG, HN_MEMBLOCK_MIRROR,
				       HN_MEMBLOCK_NOMAP, HN_MEMBLOCK_DRIVER_MANAGED };

	memset(&m, 0, sizeof(m));
	assert_int_equal(hn_memblock_create(&mb, &cfg), 0);
	if (growth) {
		/*
		 * The arrays live in simulated memory the model does not know
		 * about, and freeing an old array also frees any user
		 * reservation laid over it (as in the kernel).  So the upper
		 * half is plain memory the random ops never touch: the arrays
		 * land there, top-down, and the lower half must match exactly.
		 * No mirror marking here: it would draw the arrays into
		 * mirrored memory below.
		 */
		hn_memblock_allow_resize(mb);
		assert_int_equal(hn_memblock_add(mb, GROWTH_SPLIT * UNIT,
						 (NPAGES - GROWTH_SPLIT) * UNIT), 0);
		for (unsigned int u = GROWTH_SPLIT; u < NPAGES; u++) {
			m.mem[u] = true;
			m.nid[u] = RMAX_NODES;
		}
	}

	for (rc.op = 0; rc.op < nops; rc.op++) {
		unsigned int lim = growth ? GROWTH_SPLIT : NPAGES;
		unsigned int u0 = rnd(&s, lim), len = rnd(&s, 24);
		unsigned int u1 = u0 + len > lim ? lim : u0 + len;
		uint64_t base = (uint64_t)u0 * UNIT, size = (uint64_t)(u1 - u0) * UNIT;
		unsigned int op = rnd(&s, growth ? 90 : 100);
		int nid = (int)rnd(&s, RMAX_NODES + 2) - 1;
		uint32_t f = fl[rnd(&s, 4)];
		int ret = 0;

		saved = m;
		if (op < 14) {
			rc.what = "add";
			ret = hn_memblock_add(mb, base, size);
			for (unsigned int u = u0; u < u1; u++)
				if (!m.mem[u]) {
					m.mem[u] = true;
					m.nid[u] = RMAX_NODES;
					m.flags[u] = 0;
					m.mattr[u] = 0;
				}
		} else if (op < 24) {
			uint32_t af = rnd(&s, 4) ? 0 : f;

			rc.what = "add_node";
			ret = hn_memblock_add_node(mb, base, size, nid, af);
			for (unsigned int u = u0; u < u1; u++)
				if (!m.mem[u]) {
					m.mem[u] = true;
					m.nid[u] = nid;
					m.flags[u] = af;
					m.mattr[u] = 0;
				}
		} else if (op < 32) {
			rc.what = "remove";
			ret = hn_memblock_remove(mb, base, size);
			for (unsigned int u = u0; u < u1; u++)
				m.mem[u] = false;
		} else if (op < 46) {
			rc.what = "reserve";
			ret = hn_memblock_reserve(mb, base, size);
			for (unsigned int u = u0; u < u1; u++)
				if (!m.rsv[u]) {
					m.rsv[u] = true;
					m.rflags[u] = 0;
				}
		} else if (op < 56) {
			rc.what = "free";
			ret = hn_memblock_free(mb, base, size);
			for (unsigned int u = u0; u < u1; u++)
				m.rsv[u] = false;
		} else if (op < 62) {
			rc.what = "set_node";
			ret = hn_memblock_set_node(mb, base, size, nid);
			for (unsigned int u = u0; u < u1; u++)
				m.nid[u] = m.mem[u] ? nid : m.nid[u];
		} else if (op < 70) {
			bool set = rnd(&s, 2);

			rc.what = "mark/clear";
			if (f == HN_MEMBLOCK_HOTPLUG)
				ret = set ? hn_memblock_mark_hotplug(mb, base, size)
					  : hn_memblock_clear_hotplug(mb, base, size);
			else if (f == HN_MEMBLOCK_NOMAP)
				ret = set ? hn_memblock_mark_nomap(mb, base, size)
					  : hn_memblock_clear_nomap(mb, base, size);
			else if (f == HN_MEMBLOCK_MIRROR && set && !growth && rnd(&s, 4) == 0)
				ret = hn_memblock_mark_mirror(mb, base, size),
				m.mirror_seen = true;
			else
				set = false, f = 0;
			for (unsigned int u = u0; u < u1; u++)
				if (m.mem[u])
					m.flags[u] = set ? m.flags[u] | f : m.flags[u] & ~f;
		} else if (op < 77) {
			uint32_t ma = rnd(&s, 3);

			rc.what = "set_mattr";
			ret = hn_memblock_set_mattr(mb, base, size, ma);
			for (unsigned int u = u0; u < u1; u++)
				if (m.mem[u])
					m.mattr[u] = ma;
		} else if (op < 80) {
			rc.what = "reserved_mark_noinit";
			ret = hn_memblock_reserved_mark_noinit(mb, base, size);
			for (unsigned int u = u0; u < u1; u++)
				if (m.rsv[u])
					m.rflags[u] |= HN_MEMBLOCK_RSRV_NOINIT;
		} else if (op < 90) {
			rc.what = "trim/limit";
			/* rare whole-map operations, kept page aligned */
			if (!growth && rnd(&s, 8) == 0) {
				uint64_t limit = (uint64_t)rnd(&s, NPAGES) * UNIT;
				uint64_t total = 0, max_addr = HN_PHYS_ADDR_MAX;

				for (unsigned int u = 0; u < NPAGES && limit; u++)
					if (m.mem[u] && (total += UNIT) == limit) {
						max_addr = (uint64_t)(u + 1) * UNIT;
						break;
					}
				ret = hn_memblock_enforce_memory_limit(mb, limit);
				for (unsigned int u = 0; u < NPAGES; u++)
					if ((uint64_t)u * UNIT >= max_addr)
						m.mem[u] = m.rsv[u] = false;
			} else {
				/* trim to two-unit boundaries, region by region */
				unsigned int a = 0;

				ret = hn_memblock_trim_memory(mb, 2 * UNIT);
				while (a < NPAGES) {
					unsigned int b = a + 1;

					if (!m.mem[a]) {
						a++;
						continue;
					}
					while (b < NPAGES && m.mem[b] && same_region(&m, a, b))
						b++;
					if (a % 2)
						m.mem[a] = false;
					if (b % 2)
						m.mem[b - 1] = false;
					a = b;
				}
			}
		} else {
			bool bu = rnd(&s, 2), exact = rnd(&s, 2);
			/* size 0 can land in a zero-length gap between abutting
			 * reserved regions (see memblock_free_range_iter_empty_gap),
			 * which this model does not produce */
			uint64_t asz = (uint64_t)(1 + rnd(&s, 8)) * UNIT;
			uint64_t align = UNIT << rnd(&s, 3);
			uint64_t start = rnd(&s, 2) ? 0 : (uint64_t)rnd(&s, NPAGES) * UNIT;
			uint64_t end = rnd(&s, 2) ? HN_MEMBLOCK_ALLOC_ACCESSIBLE
						  : (uint64_t)rnd(&s, NPAGES + 1) * UNIT;
			uint64_t want = model_alloc(&m, bu, asz, align, start, end, nid, exact);
			uint64_t got = 0;

			rc.what = "alloc_range_nid";
			hn_memblock_set_bottom_up(mb, bu);
			ret = hn_memblock_alloc_range_nid(mb, asz, align, start, end, nid, exact,
							  &got);
			if (want ? (ret != 0 || got != want) : ret != -ENOSPC) {
				fprintf(stderr, "alloc size %#" PRIx64 " align %#" PRIx64
					" [%#" PRIx64 ", %#" PRIx64 ") nid %d exact %d %s\n",
					asz, align, start, end, nid, exact,
					bu ? "bottom-up" : "top-down");
				hn_memblock_dump(mb, stderr);
				RFAIL(&rc, "got %d/0x%" PRIx64 ", model wants 0x%" PRIx64, ret, got,
				      want);
			}
			for (uint64_t u = want / UNIT; want && u < (want + asz) / UNIT; u++)
				if (!m.rsv[u]) {
					m.rsv[u] = true;
					m.rflags[u] = 0;
				}
			ret = 0;
		}
		/* With growing arrays an edit may fail for want of simulated room
		 * for the new array; it must then leave the map as it was. */
		if (growth && ret == -ENOSPC) {
			m = saved;
			ret = 0;
		}
		if (ret)
			RFAIL(&rc, "returned %d", ret);
		model_compare(mb, &m, &rc, !growth);
	}
	if (growth) {
		/* the run really did move both arrays several times */
		assert_true(mb->memory.max >= 16 && !mb->memory.array_static);
		assert_true(mb->reserved.max >= 16 && !mb->reserved.array_static);
		assert_true(hn_memblock_is_reserved(mb, mb->memory.array_phys));
		assert_true(hn_memblock_is_reserved(mb, mb->reserved.array_phys));
	}
	hn_memblock_destroy(mb);
}

static uint64_t random_seed(void)
{
	const char *e = getenv("HN_TEST_SEED");

	return e ? strtoull(e, NULL, 0) : 0x686e756d61ull; /* "hnuma" */
}

/*
 * 100k random operations on a 1 MiB space of 256 pages, arrays large enough
 * never to grow.
 * Expect the memblock to agree with the model after every operation.
 */
static void memblock_random_ops(void **state)
{
	(void)state;
	run_random(random_seed(), 100000, false);
}

/*
 * 20k random operations (no allocations) with init_regions = 2 and resizing
 * allowed, so arrays double, move and get freed all the time.  The ops stay
 * in the lower half; the upper half is memory that holds the arrays.
 * Expect memory to match the model exactly, and reserved to match it
 * exactly in the lower half.
 */
static void memblock_random_ops_growth(void **state)
{
	(void)state;
	run_random(random_seed() ^ 0x9e3779b9ull, 20000, true);
}

/* ======================================================================== */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memblock_initialization),
		cmocka_unit_test(memblock_create_config),
		cmocka_unit_test(memblock_create_enomem),
		cmocka_unit_test(memblock_bottom_up_and_limit),

		cmocka_unit_test(memblock_add_simple),
		cmocka_unit_test(memblock_add_node_simple),
		cmocka_unit_test(memblock_add_errors),
		cmocka_unit_test(memblock_add_disjoint),
		cmocka_unit_test(memblock_add_overlap_top),
		cmocka_unit_test(memblock_add_overlap_bottom),
		cmocka_unit_test(memblock_add_within),
		cmocka_unit_test(memblock_add_twice),
		cmocka_unit_test(memblock_add_between),
		cmocka_unit_test(memblock_add_near_max),
		cmocka_unit_test(memblock_add_no_merge_different),
		cmocka_unit_test(memblock_add_node_over_existing),
		cmocka_unit_test(memblock_add_many),
		cmocka_unit_test(memblock_add_grow_twice),
		cmocka_unit_test(memblock_add_no_resize),
		cmocka_unit_test(memblock_add_grow_no_space),
		cmocka_unit_test(memblock_add_grow_enomem),

		cmocka_unit_test(memblock_reserve_simple),
		cmocka_unit_test(memblock_reserve_shapes),
		cmocka_unit_test(memblock_reserve_near_max),
		cmocka_unit_test(memblock_reserve_many),
		cmocka_unit_test(memblock_reserve_many_128),
		cmocka_unit_test(memblock_reserve_all_locations),
		cmocka_unit_test(memblock_reserve_many_may_conflict),
		cmocka_unit_test(memblock_reserve_grow_no_memory),

		TAKE_ENTRIES(simple),
		TAKE_ENTRIES(absent),
		TAKE_ENTRIES(overlap_top),
		TAKE_ENTRIES(overlap_bottom),
		TAKE_ENTRIES(within),
		TAKE_ENTRIES(only_region),
		TAKE_ENTRIES(near_max),
		TAKE_ENTRIES(overlap_two),
		TAKE_ENTRIES(split_needs_room),
		cmocka_unit_test(memblock_remove_free_errors),

		cmocka_unit_test(memblock_mark_clear_hotplug),
		cmocka_unit_test(memblock_mark_clear_nomap),
		cmocka_unit_test(memblock_mark_mirror),
		cmocka_unit_test(memblock_reserved_mark_noinit),
		cmocka_unit_test(memblock_set_mattr),
		cmocka_unit_test(memblock_set_node),
		cmocka_unit_test(memblock_mark_needs_room),
		cmocka_unit_test(memblock_edit_ops_no_room),

		cmocka_unit_test(memblock_dram_bounds),
		cmocka_unit_test(memblock_membership),
		cmocka_unit_test(memblock_search_pfn_nid),
		cmocka_unit_test(memblock_region_get_errors),
		cmocka_unit_test(memblock_trim_memory_aligned),
		cmocka_unit_test(memblock_trim_memory_too_small),
		cmocka_unit_test(memblock_trim_memory_unaligned_base),
		cmocka_unit_test(memblock_trim_memory_unaligned_end),
		cmocka_unit_test(memblock_trim_memory_near_max),
		cmocka_unit_test(memblock_enforce_memory_limit),
		cmocka_unit_test(memblock_cap_memory_range),
		cmocka_unit_test(memblock_cap_memory_range_hole),
		cmocka_unit_test(memblock_mem_limit_remove_map),

		cmocka_unit_test(memblock_free_range_iter),
		cmocka_unit_test(memblock_free_range_iter_index),
		cmocka_unit_test(memblock_free_range_iter_flags),
		cmocka_unit_test(memblock_free_range_iter_empty),
		cmocka_unit_test(memblock_free_range_iter_empty_gap),
		cmocka_unit_test(memblock_mem_pfn_range_iter),
		cmocka_unit_test(memblock_dump),
		cmocka_unit_test(memblock_check_detects),

		BOTH_ENTRIES(alloc_simple),
		BOTH_ENTRIES(alloc_disjoint),
		BOTH_ENTRIES(alloc_before),
		BOTH_ENTRIES(alloc_after),
		BOTH_ENTRIES(alloc_second_fit),
		BOTH_ENTRIES(alloc_in_between),
		BOTH_ENTRIES(alloc_small_gaps),
		BOTH_ENTRIES(alloc_all_reserved),
		BOTH_ENTRIES(alloc_no_space),
		BOTH_ENTRIES(alloc_limited_space),
		BOTH_ENTRIES(alloc_no_memory),
		BOTH_ENTRIES(alloc_too_large),
		BOTH_ENTRIES(alloc_skips_first_page),
		BOTH_ENTRIES(alloc_near_max),
		BOTH_ENTRIES(alloc_near_max_unaligned),
		BOTH_ENTRIES(alloc_align_zero),
		BOTH_ENTRIES(alloc_size_zero),
		BOTH_ENTRIES(alloc_current_limit),
		cmocka_unit_test(alloc_errors),
		BOTH_ENTRIES(alloc_reserved_growth),

		BOTH_ENTRIES(alloc_from_simple),
		BOTH_ENTRIES(alloc_from_misaligned),
		BOTH_ENTRIES(alloc_from_high_addr),
		BOTH_ENTRIES(alloc_from_no_space_above),
		BOTH_ENTRIES(alloc_from_min_addr_cap),

		BOTH_ENTRIES(alloc_nid_simple),
		BOTH_ENTRIES(alloc_nid_misaligned),
		BOTH_ENTRIES(alloc_nid_exact_address),
		BOTH_ENTRIES(alloc_nid_narrow_range),
		BOTH_ENTRIES(alloc_nid_low_max),
		BOTH_ENTRIES(alloc_nid_border_reserved),
		BOTH_ENTRIES(alloc_nid_reserved_with_space),
		BOTH_ENTRIES(alloc_nid_reserved_full_merge),
		BOTH_ENTRIES(alloc_nid_reserved_no_space),
		BOTH_ENTRIES(alloc_nid_cap),

		NUMA_ENTRIES(simple),
		NUMA_ENTRIES(small_node),
		NUMA_ENTRIES(node_reserved),
		NUMA_ENTRIES(part_reserved),
		NUMA_ENTRIES(part_reserved_fallback),
		NUMA_ENTRIES(split_range_low),
		NUMA_ENTRIES(split_range_high),
		NUMA_ENTRIES(no_overlap_split),
		NUMA_ENTRIES(no_overlap_low),
		NUMA_ENTRIES(no_overlap_high),
		NUMA_ENTRIES(large_region),
		NUMA_ENTRIES(reserved_full_merge),
		NUMA_ENTRIES(split_all_reserved),
		BOTH_ENTRIES(phys_alloc_try_nid),
		BOTH_ENTRIES(alloc_range_nid_exact),

		BOTH_ENTRIES(alloc_mirror_first),
		BOTH_ENTRIES(alloc_movable_node),
		BOTH_ENTRIES(alloc_skips_nomap),

		cmocka_unit_test(memblock_random_ops),
		cmocka_unit_test(memblock_random_ops_growth),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
