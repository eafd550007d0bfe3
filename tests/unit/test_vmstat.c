/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_vmstat.c - the allocator's /proc views and counters, byte for byte:
 * buddyinfo, pagetypeinfo, vmstat, the debugfs extfrag and unusable
 * indices, and zoneinfo's NUMA and pagesets sections.
 *
 * Most scenarios boot the one-node generic machine of test_boot.c, whose
 * free blocks are worked out there:
 *
 *   0    24M  27.2M 32M                    0x3ee00000   0x3fe00000  0x3ffd5000  1G
 *   |kernel|init|kern|       free           |  memmap   |   free    | NODE_DATA|
 *
 *   first free range:  243 blocks of order 10 and one of order 9
 *   second free range: 469 pages = 256 + 128 + 64 + 16 + 4 + 1
 *   init, freed by free_initmem() at the end of the boot: [0x1800, 0x1b33),
 *     819 pages = 512 + 256 + 32 + 16 + 2 + 1
 *   nr_free[0..10] = 2 1 1 0 2 1 1 1 2 2 243, 250632 free pages in 256 blocks
 *
 * memblock.memory covers all of [0, 1G), so memmap_init() makes every one
 * of the 512 pageblocks Movable and every free block sits on a Movable list.
 * The expected texts are spelled out so the formats can be read here.
 */
#include "hn_test.h"

#include <errno.h>
#include <inttypes.h>

#include <hnuma/alloc.h>

#include "core/mmzone.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct hn_machine *one_node_1g(const char *cpus)
{
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, 0, GiB);

	assert_int_equal(hn_machine_new(&m, "one"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	if (cpus) {
		struct hn_initiator_desc c = test_cpus(0, cpus);

		assert_int_equal(hn_machine_add_initiator(m, &c), 0);
	}
	return m;
}

static struct hn_sim *boot(struct hn_machine *m, const struct hn_sim_config *cfg)
{
	static struct test_log tl;	/* the instance logs after boot too: outlive the call */
	struct hn_sim *sim = NULL;
	struct hn_sim_config c = cfg ? *cfg : (struct hn_sim_config){ 0 };
	int ret;

	memset(&tl, 0, sizeof(tl));
	c.log = TEST_LOG_SINK(&tl);
	ret = hn_sim_create(&sim, m, &c);
	if (ret)
		print_error("hn_sim_create: %s; last message: %s\n", hn_strerror(ret), tl.last);
	assert_int_equal(ret, 0);
	assert_sim_ok(sim);
	return sim;
}

typedef int (*view_fn)(const struct hn_sim *, FILE *);

/*
 * The stream's buffer pointer lives on the heap: gcc 12 mistakes the text
 * of a stack-held open_memstream() pointer for a dangling stack address.
 */
static char *capture(view_fn view, const struct hn_sim *sim)
{
	struct {
		char *buf;
		size_t len;
	} *out = calloc(1, sizeof(*out));
	char *text;
	FILE *f;

	assert_non_null(out);
	f = open_memstream(&out->buf, &out->len);
	assert_non_null(f);
	assert_int_equal(view(sim, f), 0);
	fclose(f);
	text = out->buf;
	free(out);
	return text;
}

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("expected to find:\n%s\nin:\n%s", needle, text);
}

static int count_of(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/*
 * One node, 1 GiB: the free blocks above.
 * Expect one line, the zone name right-aligned in 8 columns and each count
 * in 6, every field followed by a space.
 */
static void buddyinfo_one_node_1g(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim = boot(m, NULL);
	char *text = capture(hn_sim_show_buddyinfo, sim);

	(void)state;
	assert_string_equal(text,
		"Node 0, zone   Normal      2      1      1      0      2      1      1      1      2      2    243 \n");
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Same machine.  Every free block is on a Movable list and all 512
 * pageblocks are Movable (memory covers the first pfn of each).
 * Expect the kernel's header, the per-type table with the Movable row
 * equal to buddyinfo, and the block counts 0 / 512 / 0 / 0 / 0.
 */
static void pagetypeinfo_one_node_1g(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim = boot(m, NULL);
	char *text = capture(hn_sim_show_pagetypeinfo, sim);

	(void)state;
	assert_string_equal(text,
		"Page block order: 9\n"
		"Pages per block:  512\n"
		"\n"
		"Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 \n"
		"Node    0, zone   Normal, type    Unmovable      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone   Normal, type      Movable      2      1      1      0      2      1      1      1      2      2    243 \n"
		"Node    0, zone   Normal, type  Reclaimable      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone   Normal, type   HighAtomic      0      0      0      0      0      0      0      0      0      0      0 \n"
		"Node    0, zone   Normal, type      Isolate      0      0      0      0      0      0      0      0      0      0      0 \n"
		"\n"
		"Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"
		"Node 0, zone   Normal            0          512            0            0            0 \n");
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Two x86 sockets of 4 GiB.  Node 0's DRAM loses page 0, so ZONE_DMA spans
 * pfns [1, 4096) and its first pageblock starts on a pfn no memory range
 * covers:
 *
 *   pfn 0   512  1024                   4096
 *   |pb 0 |pb 1 |pb 2 | ... |pb 7       |     DMA zone_start_pfn = 1
 *    Unmov  Mov   Mov         Mov
 *
 * The kernel's walk steps 512 pages from pfn 1 (1, 513, ..., 3585), which
 * lands once in each of the 8 pageblocks.
 * Expect the familiar "1 7" DMA line, and the whole header printed again
 * for node 1 (pagetypeinfo_show() runs once per node).
 */
static void pagetypeinfo_x86_dma_first_pageblock_is_unmovable(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, 4 * GiB);
	struct hn_memdev_desc d1 = test_dram(1, HN_ADDR_AUTO, 4 * GiB);
	struct hn_sim *sim;
	char *text, *buddy;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "two"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d0), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d1), 0);
	sim = boot(m, NULL);
	text = capture(hn_sim_show_pagetypeinfo, sim);
	assert_contains(text, "\nNode 0, zone      DMA            1            7            0            0            0 \n");
	assert_int_equal(count_of(text, "Page block order: 9\nPages per block:  512\n\n"), 2);
	assert_int_equal(count_of(text, "Number of blocks type "), 2);
	assert_contains(text, "\nNode    1, zone   Normal, type      Movable ");
	/* node 1 has 4 GiB = 2048 pageblocks, all Movable */
	assert_contains(text, "\nNode 1, zone   Normal            0         2048            0            0            0 \n");
	buddy = capture(hn_sim_show_buddyinfo, sim);
	/* DMA, DMA32 and Normal on node 0, Normal on node 1: populated zones only */
	assert_int_equal(count_of(buddy, "\n"), 4);
	assert_true(strncmp(buddy, "Node 0, zone      DMA ", 22) == 0);
	assert_contains(buddy, "\nNode 0, zone    DMA32 ");
	assert_contains(buddy, "\nNode 0, zone   Normal ");
	assert_contains(buddy, "\nNode 1, zone   Normal ");
	free(buddy);
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * 1 GiB with MAX_PAGE_ORDER 1: the 249813 free pages are about 125000
 * order-1 blocks on one Movable list.
 * Expect the kernel's cap: counting stops at 100000 and prints ">100000".
 */
static void pagetypeinfo_caps_long_lists(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim_config cfg = { .max_page_order = 1 };
	struct hn_sim *sim = boot(m, &cfg);
	struct hn_zone_info zi;
	char *text = capture(hn_sim_show_pagetypeinfo, sim);

	(void)state;
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	assert_true(zi.nr_free[1] > 100000);
	assert_contains(text, "Page block order: 1\nPages per block:  2\n");
	assert_contains(text, ", type      Movable ");
	assert_contains(text, " >100000 \n");
	assert_int_equal(count_of(text, ">"), 1);
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/* The names /proc/vmstat prints, in the kernel's vmstat_text order. */
static const char *const vmstat_names[] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon",
	"nr_zone_inactive_file", "nr_zone_active_file", "nr_zone_unevictable",
	"nr_zone_write_pending", "nr_mlock", "nr_bounce", "nr_zspages", "nr_free_cma",
	"nr_unaccepted",
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
	"nr_isolated_anon", "nr_anon_pages", "nr_foll_pin_acquired", "nr_foll_pin_released",
	"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable", "pgalloc_device",
	"allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_movable",
	"allocstall_device",
	"pgfree", "pgmigrate_success", "pgmigrate_fail", "compact_migrate_scanned",
	"compact_free_scanned", "compact_isolated", "compact_stall", "compact_fail",
	"compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
	"compact_daemon_free_scanned",
	"nr_unstable",
};

/*
 * Same machine, freshly booted.
 * Expect "name value" lines in vmstat_text order, only for counters the
 * simulation keeps (no LRU counters such as nr_inactive_anon), the free
 * pages of the zone, no NUMA allocation yet, the kernel's constant
 * "nr_unstable 0" last, and every printed value equal to hn_sim_vmstat().
 */
static void vmstat_one_node_1g_after_boot(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim = boot(m, NULL);
	char *text = capture(hn_sim_show_vmstat, sim);
	const char *p = text;
	size_t n = sizeof(vmstat_names) / sizeof(vmstat_names[0]);

	(void)state;
	assert_contains(text, "nr_free_pages 250632\n");
	assert_contains(text, "\nnuma_hit 0\n");
	assert_null(strstr(text, "nr_inactive_anon"));
	assert_null(strstr(text, "pgskip"));
	for (size_t i = 0; i < n; i++) {
		char name[64];
		uint64_t printed, looked_up;
		int used = 0;

		assert_int_equal(sscanf(p, "%63s %" SCNu64 "\n%n", name, &printed, &used), 2);
		assert_string_equal(name, vmstat_names[i]);
		assert_int_equal(hn_sim_vmstat(sim, name, &looked_up), 0);
		assert_int_equal(printed, looked_up);
		p += used;
	}
	assert_string_equal(p, "");
	assert_true(strlen(text) > 14);
	assert_string_equal(text + strlen(text) - 14, "nr_unstable 0\n");
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Lookups by /proc/vmstat name.
 * Expect the machine's values, -ENOENT for a name the simulation does not
 * keep (a node counter) or that does not exist, -EINVAL for NULL
 * arguments and -EAGAIN before the mm is booted.
 */
static void vmstat_lookup_by_name(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim_config cfg = { .flags = HN_SIM_STOP_BEFORE_MM };
	struct hn_sim *sim = boot(m, NULL), *early;
	uint64_t v = 12345;

	(void)state;
	assert_int_equal(hn_sim_vmstat(sim, "nr_free_pages", &v), 0);
	assert_int_equal(v, 250632);
	assert_int_equal(hn_sim_vmstat(sim, "numa_hit", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hn_sim_vmstat(sim, "pgalloc_normal", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hn_sim_vmstat(sim, "compact_success", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hn_sim_vmstat(sim, "nr_unstable", &v), 0);
	assert_int_equal(v, 0);

	v = 777;
	assert_int_equal(hn_sim_vmstat(sim, "nr_inactive_anon", &v), -ENOENT);
	assert_int_equal(hn_sim_vmstat(sim, "pgskip_normal", &v), -ENOENT);
	assert_int_equal(hn_sim_vmstat(sim, "no_such_counter", &v), -ENOENT);
	assert_int_equal(hn_sim_vmstat(sim, "", &v), -ENOENT);
	assert_int_equal(hn_sim_vmstat(sim, "NR_FREE_PAGES", &v), -ENOENT);
	assert_int_equal(v, 777);

	assert_int_equal(hn_sim_vmstat(NULL, "nr_free_pages", &v), -EINVAL);
	assert_int_equal(hn_sim_vmstat(sim, NULL, &v), -EINVAL);
	assert_int_equal(hn_sim_vmstat(sim, "nr_free_pages", NULL), -EINVAL);

	assert_int_equal(hn_sim_create(&early, m, &cfg), 0);
	assert_int_equal(hn_sim_vmstat(early, "nr_free_pages", &v), -EAGAIN);
	assert_int_equal(hn_sim_boot(early), 0);
	assert_int_equal(hn_sim_vmstat(early, "nr_free_pages", &v), 0);
	assert_int_equal(v, 250632);
	hn_sim_destroy(early);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Same machine at boot: 250632 free pages in 256 blocks.
 *
 * extfrag: a block of order >= o exists for every o (243 of order 10), so
 * every order would succeed and __fragmentation_index() is -1000, printed
 * as (-1000 / 1000).(-1000 % 1000) = "-1.000" with "%2d.%03d".
 *
 * unusable: (free - pages in blocks of order >= o) * 1000 / free, with
 * pages in blocks of order < o = 2, 4, 8, 8, 40, 72, 136, 264, 776, 1800
 * for o = 1..10 (2 x 1, +2, +4, +0, 2 x 16, +32, +64, +128, 2 x 256,
 * 2 x 512):
 *   o <= 7: at most 136000 / 250632 = 0     -> 0.000
 *   o = 8:  264000 / 250632 = 1             -> 0.001
 *   o = 9:  776000 / 250632 = 3             -> 0.003
 *   o = 10: 1800000 / 250632 = 7            -> 0.007
 * Expect exactly these lines.
 */
static void extfrag_and_unusable_one_node_1g_at_boot(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim = boot(m, NULL);
	char *ext = capture(hn_sim_show_extfrag_index, sim);
	char *unu = capture(hn_sim_show_unusable_index, sim);

	(void)state;
	assert_string_equal(ext,
		"Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 \n");
	assert_string_equal(unu,
		"Node 0, zone   Normal 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.001 0.003 0.007 \n");
	free(ext);
	free(unu);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Boot with an 8 KiB image and the first 32 MiB reserved by hand, after
 * @extra reservations: the 32 MiB image's picture without the pages its
 * init tenth would give back at the end of the boot.
 */
static struct hn_sim *tiny_image_boot(struct hn_machine *m, const uint64_t (*extra)[2], int n)
{
	struct hn_sim_config cfg = { .flags = HN_SIM_STOP_BEFORE_MM, .kernel_image_size = 8192 };
	struct hn_sim *sim;

	assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
	assert_int_equal(hn_memblock_reserve(hn_sim_memblock(sim), 0, 32 * MiB), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(hn_memblock_reserve(hn_sim_memblock(sim), extra[i][0], extra[i][1]),
				 0);
	assert_int_equal(hn_sim_boot(sim), 0);
	assert_sim_ok(sim);
	return sim;
}

/*
 * The same machine with [32M, 0x3ee00000) reserved before the mm boots:
 * the big free range is gone and only the 469 pages below NODE_DATA are
 * left, as blocks of order 8, 7, 6, 4, 2 and 0 (6 blocks).  These crafted
 * pictures boot an 8 KiB kernel image, whose init tenth is less than a
 * page, so free_initmem() frees nothing, and reserve the first 32 MiB
 * themselves (tiny_image_boot()).
 *
 *   0        32M                          0x3ee00000   0x3fe00000  0x3ffd5000  1G
 *   |kernel  |  reserved by the test       |  memmap   | 469 free  | NODE_DATA|
 *
 * extfrag, for o <= 8 a block of order >= o exists: -1.000.  For o = 9,
 * 10 none does:
 *   o = 9:  1000 - (1000 + 469000 / 512) / 6  = 1000 - 1916 / 6 = 1000 - 319 = 681
 *   o = 10: 1000 - (1000 + 469000 / 1024) / 6 = 1000 - 1458 / 6 = 1000 - 243 = 757
 * unusable, pages in blocks of order < o over 469:
 *   o = 0: 0 -> 0.000      o = 1, 2: 1000 / 469 = 2 -> 0.002
 *   o = 3, 4: 5000 / 469 = 10 -> 0.010     o = 5, 6: 21000 / 469 = 44 -> 0.044
 *   o = 7: 85000 / 469 = 181 -> 0.181      o = 8: 213000 / 469 = 454 -> 0.454
 *   o = 9, 10: 469000 / 469 = 1000 -> 1.000
 * Expect exactly these lines.
 */
static void extfrag_and_unusable_fragmented_zone(void **state)
{
	static const uint64_t expect_nr_free[11] = { 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0 };
	static const uint64_t extra[][2] = { { 32 * MiB, 0x3ee00000 - 32 * MiB } };
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim;
	struct hn_zone_info zi;
	char *ext, *unu;

	(void)state;
	sim = tiny_image_boot(m, extra, 1);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	for (int o = 0; o <= 10; o++)
		assert_int_equal(zi.nr_free[o], expect_nr_free[o]);

	ext = capture(hn_sim_show_extfrag_index, sim);
	unu = capture(hn_sim_show_unusable_index, sim);
	assert_string_equal(ext,
		"Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000  0.681  0.757 \n");
	assert_string_equal(unu,
		"Node 0, zone   Normal 0.000 0.002 0.002 0.010 0.010 0.044 0.044 0.181 0.454 1.000 1.000 \n");
	free(ext);
	free(unu);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Both free ranges reserved before boot: the zone is populated but has no
 * free page.
 * Expect buddyinfo all zeros, extfrag 0 for every order (no free block at
 * all: __fragmentation_index() returns 0, printed " 0.000") and unusable
 * 1000 (no free memory counts as all of it unusable: "1.000").
 */
static void extfrag_and_unusable_zone_without_free_pages(void **state)
{
	static const uint64_t extra[][2] = { { 32 * MiB, 0x3ee00000 - 32 * MiB },
					     { 0x3fe00000, 0x3ffd5000 - 0x3fe00000 } };
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim;
	char *buddy, *ext, *unu;

	(void)state;
	sim = tiny_image_boot(m, extra, 2);

	buddy = capture(hn_sim_show_buddyinfo, sim);
	ext = capture(hn_sim_show_extfrag_index, sim);
	unu = capture(hn_sim_show_unusable_index, sim);
	assert_string_equal(buddy,
		"Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      0 \n");
	assert_string_equal(ext,
		"Node 0, zone   Normal  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000  0.000 \n");
	assert_string_equal(unu,
		"Node 0, zone   Normal 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n");
	free(buddy);
	free(ext);
	free(unu);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Everything reserved but the first 256 pages of the second free range
 * (0x3fe00000 is 2 MiB aligned): one free block, of order 8.
 *
 * __fragmentation_index() assumes enough free blocks; with one block
 * smaller than the request its quotient passes 1000 and the index goes
 * negative:
 *   o = 9:  1000 - (1000 + 256000 / 512) / 1  = 1000 - 1500 = -500
 *   o = 10: 1000 - (1000 + 256000 / 1024) / 1 = 1000 - 1250 = -250
 * printed by "%2d.%03d" as (-500 / 1000).(-500 % 1000) = " 0.-500".
 * Expect the kernel's odd text reproduced, not "fixed".
 */
static void extfrag_index_goes_negative_with_one_free_block(void **state)
{
	static const uint64_t extra[][2] = { { 32 * MiB, 0x3ee00000 - 32 * MiB },
					     { 0x3fe00000 + 256 * 4096,
					       0x3ffd5000 - 0x3fe00000 - 256 * 4096 } };
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim;
	char *buddy, *ext, *unu;

	(void)state;
	sim = tiny_image_boot(m, extra, 2);

	buddy = capture(hn_sim_show_buddyinfo, sim);
	ext = capture(hn_sim_show_extfrag_index, sim);
	unu = capture(hn_sim_show_unusable_index, sim);
	assert_string_equal(buddy,
		"Node 0, zone   Normal      0      0      0      0      0      0      0      0      1      0      0 \n");
	assert_string_equal(ext,
		"Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000  0.-500  0.-250 \n");
	assert_string_equal(unu,
		"Node 0, zone   Normal 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 1.000 1.000 \n");
	free(buddy);
	free(ext);
	free(unu);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/* zoneinfo's per-CPU entry as zoneinfo_show_print() prints it. */
static size_t pageset_text(char *buf, size_t len, unsigned int cpu, int count, int high,
			   int batch, int threshold)
{
	int n = snprintf(buf, len,
			 "\n    cpu: %u"
			 "\n              count: %d"
			 "\n              high:  %d"
			 "\n              batch: %d"
			 "\n  vm stats threshold: %d",
			 cpu, count, high, batch, threshold);

	assert_true(n > 0 && (size_t)n < len);
	return (size_t)n;
}

/* The expected pagesets section for @zone with the CPUs in @cpus[]. */
static void expect_pagesets(char *buf, size_t len, const struct hn_zone *zone,
			    const unsigned int *cpus, int nr_cpus, int threshold)
{
	size_t off = (size_t)snprintf(buf, len, "\n  pagesets");

	for (int i = 0; i < nr_cpus; i++) {
		unsigned int cpu = cpus[i];

		if (zone->per_cpu_pageset)
			off += pageset_text(buf + off, len - off, cpu,
					    zone->per_cpu_pageset[cpu].count,
					    zone->per_cpu_pageset[cpu].high,
					    zone->per_cpu_pageset[cpu].batch, threshold);
		else	/* the kernel's boot_pageset */
			off += pageset_text(buf + off, len - off, cpu, 0, 0, 1, threshold);
	}
	snprintf(buf + off, len - off, "\n  node_unreclaimable:  0\n");
}

/*
 * One node, 1 GiB, CPUs 0 and 2 (CPU 1 does not exist).
 *
 * After the zone counters, a populated zone prints the six NUMA events,
 * then one pageset per online CPU.  calculate_normal_threshold():
 *   mem = 249813 managed >> (27 - 12) = 7 (128 MiB units), fls(7) = 3
 *   2 * fls(2 online CPUs) * (1 + fls(mem)) = 2 * 2 * 4 = 16 (cap 125)
 * Expect the NUMA lines at 0 after boot, entries for CPUs 0 and 2 only,
 * the zone's own per-CPU values (the kernel's boot pageset 0/0/1 where the
 * zone has none), and unpopulated zones with neither section.
 */
static void zoneinfo_numa_and_pagesets_sections(void **state)
{
	static const unsigned int cpus[] = { 0, 2 };
	struct hn_machine *m = one_node_1g("0,2");
	struct hn_sim *sim = boot(m, NULL);
	struct hn_zone *zone = &sim->node_data[0]->node_zones[HN_ZONE_NORMAL];
	struct hn_per_cpu_pages fake[3], *saved;
	char expect[1024];
	char *text = capture(hn_sim_show_zoneinfo, sim);

	(void)state;
	assert_int_equal(hn_sim_nr_cpu_ids(sim), 3);
	assert_contains(text,
		"\n      nr_unaccepted 0"
		"\n      numa_hit     0"
		"\n      numa_miss    0"
		"\n      numa_foreign 0"
		"\n      numa_interleave 0"
		"\n      numa_local   0"
		"\n      numa_other   0"
		"\n  pagesets\n    cpu: 0\n");
	expect_pagesets(expect, sizeof(expect), zone, cpus, 2, 16);
	assert_contains(text, expect);
	assert_null(strstr(text, "cpu: 1\n"));
	/* five zones, only Normal is populated */
	assert_int_equal(count_of(text, "\n  pagesets"), 1);
	assert_int_equal(count_of(text, "numa_hit"), 1);
	free(text);

	/* A zone's own per-CPU lists are what zoneinfo shows. */
	memset(fake, 0, sizeof(fake));
	fake[0] = (struct hn_per_cpu_pages){ .count = 31, .high = 372, .batch = 63 };
	fake[2] = (struct hn_per_cpu_pages){ .count = 0, .high = 744, .batch = 63 };
	saved = zone->per_cpu_pageset;
	zone->per_cpu_pageset = fake;
	text = capture(hn_sim_show_zoneinfo, sim);
	zone->per_cpu_pageset = saved;
	assert_contains(text,
		"\n  pagesets"
		"\n    cpu: 0"
		"\n              count: 31"
		"\n              high:  372"
		"\n              batch: 63"
		"\n  vm stats threshold: 16"
		"\n    cpu: 2"
		"\n              count: 0"
		"\n              high:  744"
		"\n              batch: 63"
		"\n  vm stats threshold: 16"
		"\n  node_unreclaimable:  0"
		"\n  start_pfn:           0\n");
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

static uint64_t vmstat_of(const struct hn_sim *sim, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(hn_sim_vmstat(sim, name, &v), 0);
	return v;
}

/*
 * One node, 1 GiB, per-CPU lists off (HN_SIM_NO_PCP) so every request
 * goes to the buddy lists, all of them Movable.  Allocate orders 0, 1, 3
 * and 10 with GFP_HIGHUSER_MOVABLE; __rmqueue_smallest() takes the
 * smallest free block that fits and expand() returns the rest:
 *
 *   order 0:  one of the two order-0 blocks     nr_free[0] 2 -> 1
 *   order 1:  the order-1 block (initmem's)     nr_free[1] 1 -> 0
 *   order 3:  an order-4 block, split 3 + 3     nr_free[4] 2 -> 1, [3] 0 -> 1
 *   order 10: one of the 243                    nr_free[10] 243 -> 242
 *
 * Expect buddyinfo and pagetypeinfo's Movable row to show exactly that,
 * pgalloc_normal and nr_free_pages to move by 1 + 2 + 8 + 1024 = 1035
 * pages, numa_hit by 4 allocations; and after freeing everything, the
 * blocks to merge back into the boot-time line.
 */
static void buddyinfo_follows_allocations(void **state)
{
	static const unsigned int orders[] = { 0, 1, 3, 10 };
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim_config cfg = { .flags = HN_SIM_NO_PCP };
	struct hn_sim *sim = boot(m, &cfg);
	uint64_t pfn[4], pgalloc = vmstat_of(sim, "pgalloc_normal");
	uint64_t hit = vmstat_of(sim, "numa_hit"), pgfree;
	char *text;

	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(hn_alloc_pages(sim, GFP_HIGHUSER_MOVABLE, orders[i], 0, NULL,
						&pfn[i]), 0);
		assert_sim_ok(sim);
	}
	text = capture(hn_sim_show_buddyinfo, sim);
	assert_string_equal(text,
		"Node 0, zone   Normal      1      0      1      1      1      1      1      1      2      2    242 \n");
	free(text);
	text = capture(hn_sim_show_pagetypeinfo, sim);
	assert_contains(text,
		"Node    0, zone   Normal, type      Movable      1      0      1      1      1      1      1      1      2      2    242 \n");
	assert_contains(text, "Node 0, zone   Normal            0          512            0            0            0 \n");
	free(text);
	assert_int_equal(vmstat_of(sim, "pgalloc_normal") - pgalloc, 1035);
	assert_int_equal(vmstat_of(sim, "nr_free_pages"), 250632 - 1035);
	assert_int_equal(vmstat_of(sim, "numa_hit") - hit, 4);

	pgfree = vmstat_of(sim, "pgfree");
	for (int i = 3; i >= 0; i--) {
		assert_int_equal(hn_free_pages(sim, pfn[i], orders[i]), 0);
		assert_sim_ok(sim);
	}
	assert_int_equal(vmstat_of(sim, "pgfree") - pgfree, 1035);
	text = capture(hn_sim_show_buddyinfo, sim);
	assert_string_equal(text,
		"Node 0, zone   Normal      2      1      1      0      2      1      1      1      2      2    243 \n");
	free(text);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

static const struct {
	const char *name;
	view_fn fn;
} views[] = {
	{ "buddyinfo", hn_sim_show_buddyinfo },
	{ "pagetypeinfo", hn_sim_show_pagetypeinfo },
	{ "vmstat", hn_sim_show_vmstat },
	{ "extfrag_index", hn_sim_show_extfrag_index },
	{ "unusable_index", hn_sim_show_unusable_index },
	{ "zoneinfo", hn_sim_show_zoneinfo },
};
#define NR_VIEWS (sizeof(views) / sizeof(views[0]))

/*
 * Misuse and timing.
 * Expect -EINVAL for a NULL instance or stream, -EAGAIN while the instance
 * is stopped before the mm (HN_SIM_STOP_BEFORE_MM) with nothing written,
 * and 0 once it has booted.
 */
static void views_reject_null_and_unbooted(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim_config cfg = { .flags = HN_SIM_STOP_BEFORE_MM };
	struct hn_sim *sim;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
	for (size_t i = 0; i < NR_VIEWS; i++) {
		if (views[i].fn(NULL, f) != -EINVAL || views[i].fn(sim, NULL) != -EINVAL)
			fail_msg("%s: NULL argument not refused", views[i].name);
		if (views[i].fn(sim, f) != -EAGAIN)
			fail_msg("%s: not -EAGAIN before boot", views[i].name);
	}
	fflush(f);
	assert_int_equal(len, 0);
	assert_int_equal(hn_sim_boot(sim), 0);
	for (size_t i = 0; i < NR_VIEWS; i++)
		if (views[i].fn(sim, f) != 0)
			fail_msg("%s: failed after boot", views[i].name);
	fclose(f);
	assert_true(len > 0);
	free(buf);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * A stream that cannot be written (opened for reading).
 * Expect every view to report -EIO.
 */
static void views_report_write_errors(void **state)
{
	struct hn_machine *m = one_node_1g(NULL);
	struct hn_sim *sim = boot(m, NULL);

	(void)state;
	for (size_t i = 0; i < NR_VIEWS; i++) {
		FILE *f = fopen("/dev/null", "r");

		assert_non_null(f);
		if (views[i].fn(sim, f) != -EIO)
			fail_msg("%s: write error not reported", views[i].name);
		fclose(f);
	}
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buddyinfo_one_node_1g),
		cmocka_unit_test(pagetypeinfo_one_node_1g),
		cmocka_unit_test(pagetypeinfo_x86_dma_first_pageblock_is_unmovable),
		cmocka_unit_test(pagetypeinfo_caps_long_lists),
		cmocka_unit_test(vmstat_one_node_1g_after_boot),
		cmocka_unit_test(vmstat_lookup_by_name),
		cmocka_unit_test(extfrag_and_unusable_one_node_1g_at_boot),
		cmocka_unit_test(extfrag_and_unusable_fragmented_zone),
		cmocka_unit_test(extfrag_and_unusable_zone_without_free_pages),
		cmocka_unit_test(extfrag_index_goes_negative_with_one_free_block),
		cmocka_unit_test(zoneinfo_numa_and_pagesets_sections),
		cmocka_unit_test(buddyinfo_follows_allocations),
		cmocka_unit_test(views_reject_null_and_unbooted),
		cmocka_unit_test(views_report_write_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
