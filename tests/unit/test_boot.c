/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_boot.c - from a machine description to nodes, zones and free areas.
 *
 * Each scenario draws the physical layout, then says what free_area_init(),
 * memblock_free_all() and the watermark code must have produced.  The
 * numbers are worked out by hand in the comments so that a reader can check
 * the arithmetic without running anything.
 */
#include "hn_test.h"

#include <errno.h>
#include <stdlib.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/*
 * The log sink must outlive the call: the instance keeps logging after
 * boot (khugepaged's lines on a knob write), so its buffer is static.
 */
static struct hn_sim *boot(struct hn_machine *m, const struct hn_sim_config *cfg)
{
	static struct test_log tl;
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

/*
 * One node, generic architecture (a single Normal zone), 1 GiB at 0.
 *
 *   0        32M                          0x3ee00000   0x3fe00000  0x3ffd5000  1G
 *   |kernel  |            free             |  memmap   |   free    | NODE_DATA|
 *
 * Reservations, top-down after the image: NODE_DATA (0x2b000 bytes) at the
 * top, then the memory map of 8 sections x 32768 pages x 64 bytes = 16 MiB,
 * aligned to 2 MiB, ending below NODE_DATA.
 *
 * Expect present = 262144, reserved = 8192 + 4096 + 43 pages, managed =
 * 249813 until the end of the boot; free blocks: 243 of order 10 and one
 * of order 9 in the first free range, then 469 pages = 256+128+64+16+4+1
 * in the second.
 * At the postcore step min_free_kbytes = int_sqrt(249813 * 4 * 16) =
 * 3998.  khugepaged (THP always) then asks for 512 * 1 zone * (2 + 3 * 3)
 * = 5632 pages = 22528 KiB, under 5% of lowmem ((249813 - 1497) / 20 =
 * 12415 pages), so pages_min = 5632; the scale-factor step is
 * max(5632 >> 2, 249813 * 10 / 10000) = 1408, so min/low/high/promo =
 * 5632/7040/8448/9856.
 * Last, free_initmem() frees the image's init tenth, [24M, 24M + 3355443
 * bytes): 819 whole pages, as blocks of order 9, 8, 5, 4, 1 and 0, so
 * managed ends at 250632 and the watermarks stay.
 */
static void boot_generic_one_node_1g(void **state)
{
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_memdev_desc d = test_dram(0, 0, GiB);
	struct hn_zone_info zi;
	struct hn_node_info ni;
	static const uint64_t expect_nr_free[11] = { 2, 1, 1, 0, 2, 1, 1, 1, 2, 2, 243 };

	(void)state;
	assert_int_equal(hn_machine_new(&m, "one"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	sim = boot(m, NULL);

	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.zone_start_pfn, 0);
	assert_int_equal(zi.spanned_pages, 262144);
	assert_int_equal(zi.present_pages, 262144);
	assert_int_equal(zi.managed_pages, 249813 + 819);
	assert_int_equal(zi.free_pages, 249813 + 819);
	for (int o = 0; o <= 10; o++)
		assert_int_equal(zi.nr_free[o], expect_nr_free[o]);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 22528);
	assert_int_equal(zi.watermark_min, 5632);
	assert_int_equal(zi.watermark_low, 7040);
	assert_int_equal(zi.watermark_high, 8448);
	assert_int_equal(zi.watermark_promo, 9856);
	for (int z = 0; z < HN_MAX_NR_ZONES; z++)
		assert_int_equal(zi.lowmem_reserve[z], 0);

	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA, &zi), 0);
	assert_int_equal(zi.spanned_pages, 0);
	assert_int_equal(hn_sim_node_info(sim, 0, &ni), 0);
	assert_int_equal(ni.node_present_pages, 262144);
	assert_int_equal(ni.managed_pages, 249813 + 819);
	assert_true(hn_sim_node_state(sim, 0, HN_N_MEMORY));
	assert_true(hn_sim_node_state(sim, 0, HN_N_NORMAL_MEMORY));
	assert_false(hn_sim_node_state(sim, 0, HN_N_CPU));
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

static struct hn_machine *two_socket_x86(uint64_t per_node)
{
	struct hn_machine *m;
	struct hn_memdev_desc d0 = test_dram(0, HN_ADDR_AUTO, per_node);
	struct hn_memdev_desc d1 = test_dram(1, HN_ADDR_AUTO, per_node);
	struct hn_initiator_desc c0 = test_cpus(0, "0-3"), c1 = test_cpus(1, "4-7");

	assert_int_equal(hn_machine_new(&m, "two"), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d0), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d1), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c0), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c1), 0);
	assert_int_equal(hn_machine_set_distance(m, 0, 1, 21), 0);
	return m;
}

/*
 * Two x86 sockets with 4 GiB each.  Node 0's DRAM starts at 0 and loses
 * page 0 and [0x9f000, 1M) to firmware; the GiB under the PCI hole is
 * remapped above 4 GiB:
 *
 *   node 0: [0x1000-0x9efff] [0x100000-0xbfffffff] [4G-5G)     node 1: [5G-9G)
 *   zones:  DMA < 16M <= DMA32 < 4G <= Normal
 *
 * Expect DMA: start_pfn 1, spanned 4095, present 1 + ... = 158 + 3840 = 3998,
 * managed 3840 (the whole first MiB is reserved); DMA32: start 4096,
 * spanned 1044480, present 782336; Normal: 262144 present on node 0,
 * 1048576 on node 1; two "unavailable ranges" lines for the DMA holes.
 */
static void boot_x86_two_sockets(void **state)
{
	struct hn_machine *m = two_socket_x86(4 * GiB);
	struct hn_sim *sim;
	struct hn_zone_info zi;
	char *log;

	(void)state;
	sim = boot(m, NULL);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA, &zi), 0);
	assert_int_equal(zi.zone_start_pfn, 1);
	assert_int_equal(zi.spanned_pages, 4095);
	assert_int_equal(zi.present_pages, 3998);
	assert_int_equal(zi.managed_pages, 3840);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA32, &zi), 0);
	assert_int_equal(zi.zone_start_pfn, 4096);
	assert_int_equal(zi.spanned_pages, 1044480);
	assert_int_equal(zi.present_pages, 782336);
	/* lowmem_reserve of DMA32 toward Normal: Normal's managed / 256 */
	{
		struct hn_zone_info normal;

		assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &normal), 0);
		assert_int_equal(normal.present_pages, 262144);
		assert_int_equal(zi.lowmem_reserve[HN_ZONE_NORMAL], normal.managed_pages / 256);
		assert_int_equal(zi.lowmem_reserve[HN_ZONE_DMA32], 0);
	}
	assert_int_equal(hn_sim_zone_info(sim, 1, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.zone_start_pfn, 5 * GiB >> 12);
	assert_int_equal(zi.present_pages, 1048576);
	assert_int_equal(hn_sim_zone_info(sim, 1, HN_ZONE_DMA32, &zi), 0);
	assert_int_equal(zi.spanned_pages, 0);

	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n"));
	assert_non_null(strstr(log, "  node   0: [mem 0x0000000000100000-0x00000000bfffffff]\n"));
	assert_non_null(strstr(log, "  node   1: [mem 0x0000000140000000-0x000000023fffffff]\n"));
	assert_non_null(strstr(log, "On node 0, zone DMA: 1 pages in unavailable ranges\n"));
	assert_non_null(strstr(log, "On node 0, zone DMA: 97 pages in unavailable ranges\n"));
	assert_non_null(strstr(log, "Initmem setup node 1 [mem 0x0000000140000000-0x000000023fffffff]\n"));
	free(log);
	assert_true(hn_sim_node_state(sim, 1, HN_N_CPU));
	assert_int_equal(hn_sim_cpu_to_node(sim, 5), 1);
	assert_int_equal(hn_sim_cpu_to_node(sim, 8), -EINVAL);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * The watermark formulas, recomputed independently from the zones' managed
 * pages for a bigger box and a non-default scale factor, through the
 * boot's steps in the kernel's order:
 *
 *   postcore  init_per_zone_wmark_min(): min_free_kbytes =
 *             clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144) over the
 *             managed pages of the zones up to Normal, watermarks zero
 *   subsys    hugepage_init(): THP always, so khugepaged raises it to
 *             pageblock_nr_pages * populated zones up to Normal * (2 + 3*3)
 *             pages, at most 5% of lowmem less the high watermarks now set,
 *             and never lowers it; THP never instead recomputes the
 *             postcore formula with the high watermarks subtracted; the
 *             watermarks are set again
 *   late      free_initmem(): the image's init tenth (819 pages of the 32
 *             MiB image at 16 MiB + 24 MiB, in node 0's DMA32) joins the
 *             managed pages, the watermarks stay
 *   sysctl    a forced vm.min_free_kbytes, and the watermarks once more,
 *             from the final managed pages
 */
static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

#define WM_MAX_NODES 8
/* the default image: 32 MiB at 16 MiB on x86, at the start of DRAM (0) elsewhere */
#define X86_INIT_BEGIN (16 * MiB + 24 * MiB)
#define INIT_BYTES 3355443	/* 32 MiB * 10 / 100 */

struct wm {
	uint64_t managed[WM_MAX_NODES][HN_MAX_NR_ZONES];
	uint64_t min[WM_MAX_NODES][HN_MAX_NR_ZONES], step[WM_MAX_NODES][HN_MAX_NR_ZONES];
};

/* __setup_per_zone_wmarks() for every zone of @w, given min_free_kbytes. */
static void wm_setup(struct wm *w, int n, uint64_t min_kb, unsigned int wsf, unsigned int shift)
{
	uint64_t lowmem = 0, pages_min = min_kb >> (shift - 10);

	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z < HN_MAX_NR_ZONES; z++)
			if (z != HN_ZONE_MOVABLE)
				lowmem += w->managed[nid][z];
	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			uint64_t managed = w->managed[nid][z];
			uint64_t tmp = pages_min * managed / lowmem, step;

			if (z == HN_ZONE_MOVABLE) {
				uint64_t m = managed / 1024;

				w->min[nid][z] = m < 32 ? 32 : m > 128 ? 128 : m;
			} else {
				w->min[nid][z] = tmp;
			}
			step = (uint64_t)((__uint128_t)managed * wsf / 10000);
			w->step[nid][z] = (tmp >> 2) > step ? tmp >> 2 : step;
		}
}

/* nr_free_buffer_pages(): managed above the high watermark, zones up to Normal. */
static uint64_t wm_buffer_pages(const struct wm *w, int n)
{
	uint64_t sum = 0;

	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z <= HN_ZONE_NORMAL; z++) {
			uint64_t high = w->min[nid][z] + 2 * w->step[nid][z];

			if (w->managed[nid][z] > high)
				sum += w->managed[nid][z] - high;
		}
	return sum;
}

static void check_watermarks_init(struct hn_sim *sim, unsigned int wsf, uint64_t forced_min_kb,
				  bool thp, uint64_t init_begin)
{
	static struct wm w;
	unsigned int shift = hn_sim_page_shift(sim);
	uint64_t min_kb = 0, rec, init_pfn = (init_begin + (1ULL << shift) - 1) >> shift;
	uint64_t init_pages = ((init_begin + INIT_BYTES) >> shift) - init_pfn;
	int n = hn_sim_nr_node_ids(sim), nr_zones = 0, init_nid = -1, init_z = -1;
	struct hn_zone_info zi;

	memset(&w, 0, sizeof(w));
	assert_true(n <= WM_MAX_NODES);
	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi))
				continue;
			w.managed[nid][z] = zi.managed_pages;
			if (z <= HN_ZONE_NORMAL && zi.present_pages)
				nr_zones++;
			if (zi.spanned_pages && zi.zone_start_pfn <= init_pfn &&
			    init_pfn < zi.zone_start_pfn + zi.spanned_pages) {
				init_nid = nid;
				init_z = z;
			}
		}
	/* before free_initmem(): the init pages were still reserved */
	assert_true(init_nid >= 0);
	w.managed[init_nid][init_z] -= init_pages;

	/* postcore: watermarks still zero */
	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z <= HN_ZONE_NORMAL; z++)
			min_kb += w.managed[nid][z];
	min_kb = isqrt((min_kb << (shift - 10)) * 16);
	min_kb = min_kb < 128 ? 128 : min_kb > 262144 ? 262144 : min_kb;
	wm_setup(&w, n, min_kb, wsf, shift);
	/* subsys: khugepaged; pageblock_nr_pages is 2 MiB of pages */
	if (thp) {
		uint64_t pb = 1ULL << (21 - shift);

		rec = pb * (uint64_t)nr_zones * 2 + pb * (uint64_t)nr_zones * 3 * 3;
		if (rec > wm_buffer_pages(&w, n) / 20)
			rec = wm_buffer_pages(&w, n) / 20;
		rec <<= shift - 10;
		if (rec > min_kb)
			min_kb = rec;
	} else {
		min_kb = isqrt((wm_buffer_pages(&w, n) << (shift - 10)) * 16);
		min_kb = min_kb < 128 ? 128 : min_kb > 262144 ? 262144 : min_kb;
	}
	wm_setup(&w, n, min_kb, wsf, shift);
	/* free_initmem(), then the sysctl from the command line */
	w.managed[init_nid][init_z] += init_pages;
	if (forced_min_kb) {
		min_kb = forced_min_kb;
		wm_setup(&w, n, min_kb, wsf, shift);
	}
	assert_int_equal(hn_sim_min_free_kbytes(sim), min_kb);
	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi))
				continue;
			assert_int_equal(zi.watermark_min, w.min[nid][z]);
			assert_int_equal(zi.watermark_low, w.min[nid][z] + w.step[nid][z]);
			assert_int_equal(zi.watermark_high, w.min[nid][z] + 2 * w.step[nid][z]);
			assert_int_equal(zi.watermark_promo, w.min[nid][z] + 3 * w.step[nid][z]);
		}
}

static void check_watermarks(struct hn_sim *sim, unsigned int wsf, uint64_t forced_min_kb, bool thp)
{
	check_watermarks_init(sim, wsf, forced_min_kb, thp, X86_INIT_BEGIN);
}

/*
 * Every built-in machine, THP always (the default) and never: the
 * watermarks of each zone as the steps above derive them.  The x86
 * machines load the image at 16 MiB, POWER9 at the start of its DRAM.
 */
static void boot_builtin_watermarks_follow_the_formulas(void **state)
{
	const char *name;

	(void)state;
	for (int i = 0; (name = hn_machine_builtin_name(i, NULL)); i++) {
		struct hn_machine *m;

		assert_int_equal(hn_machine_builtin(&m, name), 0);
		for (int never = 0; never <= 1; never++) {
			struct hn_sim_config cfg = { .thp_enabled = never ? HN_THP_NEVER : 0 };
			struct hn_sim *sim = boot(m, &cfg);
			bool x86 = hn_machine_arch(m) == HN_ARCH_X86_64;

			print_message("%s, THP %s\n", name, never ? "never" : "always");
			check_watermarks_init(sim, 10, 0, !never, x86 ? X86_INIT_BEGIN : 24 * MiB);
			hn_sim_destroy(sim);
		}
		hn_machine_free(m);
	}
}

static void boot_watermarks_follow_the_formulas(void **state)
{
	struct hn_machine *m = two_socket_x86(64 * GiB);
	struct hn_sim_config cfg = { 0 };
	struct hn_sim *sim;

	(void)state;
	sim = boot(m, NULL);
	check_watermarks(sim, 10, 0, true);
	hn_sim_destroy(sim);

	cfg.thp_enabled = HN_THP_NEVER;
	sim = boot(m, &cfg);
	check_watermarks(sim, 10, 0, false);
	hn_sim_destroy(sim);

	cfg.thp_enabled = HN_THP_MADVISE;
	cfg.watermark_scale_factor = 1000;	/* 10% of each zone */
	sim = boot(m, &cfg);
	check_watermarks(sim, 1000, 0, true);
	hn_sim_destroy(sim);

	cfg.thp_enabled = HN_THP_DEFAULT;
	cfg.watermark_scale_factor = 0;
	cfg.min_free_kbytes = 1 << 20;		/* above the clamp: a user's choice wins */
	sim = boot(m, &cfg);
	check_watermarks(sim, 10, 1 << 20, true);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * The transparent_hugepage/enabled knob after boot, on the 1 GiB generic
 * machine of boot_generic_one_node_1g (min_free_kbytes 22528 from
 * khugepaged; min/low/high 5632/7040/8448 with 250632 managed pages).
 *
 * Writing never stops khugepaged and recomputes the plain formula, which
 * now sees the high watermark subtracted: int_sqrt((250632 - 8448) * 4 *
 * 16) = int_sqrt(15499776) = 3936; then min = 3936 >> 2 = 984, step = max(984 >> 2, 250632 *
 * 10 / 10000) = 250.  Writing always again raises it back to 22528, with
 * no "raising" line, since nobody wrote vm.min_free_kbytes.  With
 * sysctl.vm.min_free_kbytes=1000 on the command line, the boot ends at
 * 1000 (do_sysctl_args() runs last), and the next write to the knob
 * raises it with the kernel's line; never then keeps the user's value
 * when the formula gives less, with the kernel's warning.
 * Expect exactly these values and lines.
 */
static void boot_thp_knob_recomputes_watermarks(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, 0, GiB);
	struct hn_sim_config cfg = { 0 };
	struct hn_zone_info zi;
	struct hn_sim *sim;
	char *log;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "one"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	sim = boot(m, NULL);
	assert_int_equal(hn_sim_thp_enabled(sim), HN_THP_ALWAYS);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 22528);

	assert_int_equal(hn_sim_set_thp_enabled(sim, HN_THP_NEVER), 0);
	assert_int_equal(hn_sim_thp_enabled(sim), HN_THP_NEVER);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 3936);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.watermark_min, 984);
	assert_int_equal(zi.watermark_low, 984 + 250);
	assert_int_equal(zi.watermark_high, 984 + 500);

	assert_int_equal(hn_sim_set_thp_enabled(sim, HN_THP_ALWAYS), 0);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 22528);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.watermark_min, 5632);
	log = test_view(sim, hn_sim_dmesg);
	assert_null(strstr(log, "raising min_free_kbytes"));
	assert_non_null(strstr(log, "] Freeing unused kernel image (initmem) memory: 3276K\n"));
	free(log);
	assert_int_equal(hn_sim_set_thp_enabled(sim, HN_THP_DEFAULT), -EINVAL);
	assert_int_equal(hn_sim_set_thp_enabled(sim, (enum hn_thp_enabled)7), -EINVAL);
	hn_sim_destroy(sim);

	cfg.min_free_kbytes = 1000;
	sim = boot(m, &cfg);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 1000);
	assert_int_equal(hn_sim_set_thp_enabled(sim, HN_THP_MADVISE), 0);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 22528);
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "] raising min_free_kbytes from 1000 to 22528 to help "
				    "transparent hugepage allocations\n"));
	free(log);
	hn_sim_destroy(sim);

	cfg.min_free_kbytes = 100000;
	sim = boot(m, &cfg);
	assert_int_equal(hn_sim_set_thp_enabled(sim, HN_THP_NEVER), 0);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 100000);
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "] min_free_kbytes is not updated to "));
	assert_non_null(strstr(log, " because user defined value 100000 is preferred\n"));
	free(log);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * hugepage_init() turns THP off on a machine with less than 512 MiB
 * managed: 256 MiB here.  Expect the knob to read never and
 * min_free_kbytes to stay at the postcore value, int_sqrt(managed * 4 *
 * 16) with managed counted before free_initmem().
 */
static void boot_thp_off_below_512m(void **state)
{
	struct hn_machine *m;
	struct hn_memdev_desc d = test_dram(0, 0, 256 * MiB);
	struct hn_sim_config cfg = { .kernel_image_size = 8192 };
	struct hn_zone_info zi;
	struct hn_sim *sim;

	(void)state;
	assert_int_equal(hn_machine_new(&m, "small"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	sim = boot(m, &cfg);
	assert_int_equal(hn_sim_thp_enabled(sim), HN_THP_NEVER);
	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(hn_sim_min_free_kbytes(sim), isqrt(zi.managed_pages * 4 * 16));
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * A CPU-less CXL expander marked hotpluggable, booted with and without
 * movable_node.
 *
 * Expect with movable_node: node 2's memory entirely in ZONE_MOVABLE, its
 * Movable min watermark clamped to 32..128 pages, N_MEMORY but not
 * N_NORMAL_MEMORY, and the boot log's "Movable zone start" naming it.
 * Without: an ordinary Normal zone.
 */
static void boot_movable_node_puts_hotplug_memory_in_movable(void **state)
{
	struct hn_machine *m = two_socket_x86(4 * GiB);
	struct hn_memdev_desc cxl = test_dram(2, HN_ADDR_AUTO, 8 * GiB);
	struct hn_sim_config cfg = { .flags = HN_SIM_MOVABLE_NODE };
	struct hn_zone_info zi;
	struct hn_sim *sim;
	char *log;

	(void)state;
	cxl.kind = HN_MEM_CXL;
	cxl.hotplug = true;
	assert_int_equal(hn_machine_add_memdev(m, &cxl), 0);

	sim = boot(m, &cfg);
	assert_int_equal(hn_sim_zone_info(sim, 2, HN_ZONE_MOVABLE, &zi), 0);
	assert_int_equal(zi.present_pages, 8 * GiB >> 12);
	assert_in_range(zi.watermark_min, 32, 128);
	assert_int_equal(hn_sim_zone_info(sim, 2, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.spanned_pages, 0);
	assert_true(hn_sim_node_state(sim, 2, HN_N_MEMORY));
	assert_false(hn_sim_node_state(sim, 2, HN_N_NORMAL_MEMORY));
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "Movable zone start for each node\n"));
	assert_non_null(strstr(log, "  Node 2: 0x0000000240000000\n"));
	free(log);
	hn_sim_destroy(sim);

	sim = boot(m, NULL);
	assert_int_equal(hn_sim_zone_info(sim, 2, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.present_pages, 8 * GiB >> 12);
	assert_true(hn_sim_node_state(sim, 2, HN_N_NORMAL_MEMORY));
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Device memory that asks for ZONE_DEVICE (zone: device) and a node with
 * CPUs but no memory.
 *
 * Expect ZONE_DEVICE to span the device with no present or managed pages
 * (memremap_pages() never onlines them), the node without N_MEMORY; the
 * CPU-only node "as memoryless" in the log, online, with N_CPU.
 */
static void boot_device_zone_and_memoryless_node(void **state)
{
	struct hn_machine *m = two_socket_x86(4 * GiB);
	struct hn_memdev_desc gpu = test_dram(2, 0x100000000000ULL, 16 * GiB);
	struct hn_initiator_desc c3 = test_cpus(3, "8-11");
	struct hn_zone_info zi;
	struct hn_node_info ni;
	struct hn_sim *sim;
	char *log;

	(void)state;
	gpu.kind = HN_MEM_GPU;
	gpu.zone = HN_ZONE_HINT_DEVICE;
	assert_int_equal(hn_machine_add_memdev(m, &gpu), 0);
	assert_int_equal(hn_machine_add_initiator(m, &c3), 0);
	sim = boot(m, NULL);

	assert_int_equal(hn_sim_zone_info(sim, 2, HN_ZONE_DEVICE, &zi), 0);
	assert_int_equal(zi.zone_start_pfn, 0x100000000000ULL >> 12);
	assert_int_equal(zi.spanned_pages, 16 * GiB >> 12);
	assert_int_equal(zi.present_pages, 0);
	assert_int_equal(zi.managed_pages, 0);
	assert_false(hn_sim_node_state(sim, 2, HN_N_MEMORY));

	assert_int_equal(hn_sim_node_info(sim, 3, &ni), 0);
	assert_int_equal(ni.node_present_pages, 0);
	assert_int_equal(ni.nr_cpus, 4);
	assert_true(hn_sim_node_state(sim, 3, HN_N_ONLINE));
	assert_true(hn_sim_node_state(sim, 3, HN_N_CPU));
	assert_false(hn_sim_node_state(sim, 3, HN_N_MEMORY));
	log = test_view(sim, hn_sim_dmesg);
	assert_non_null(strstr(log, "Initmem setup node 3 as memoryless\n"));
	free(log);
	log = test_view(sim, hn_sim_show_hardware);
	assert_non_null(strstr(log, "node 3 cpus: 8 9 10 11\nnode 3 size: 0 MB\nnode 3 free: 0 MB\n"));
	free(log);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/*
 * Page size and MAX_PAGE_ORDER are per instance.  Expect 64 KiB pages to
 * give pageblock order 5 (2 MiB), 2 MiB pages pageblock order 0, and the
 * free areas to hold every managed page in each geometry.
 */
static void boot_page_sizes_and_orders(void **state)
{
	static const struct {
		unsigned int shift, max_order, expect_pb;
	} cases[] = {
		{ 12, 10, 9 }, { 12, 5, 5 }, { 13, 10, 8 }, { 16, 8, 5 }, { 21, 10, 0 }, { 12, 15, 9 },
	};
	struct hn_machine *m = two_socket_x86(8 * GiB);

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hn_sim_config cfg = { .page_shift = cases[i].shift,
					     .max_page_order = cases[i].max_order };
		struct hn_sim *sim = boot(m, &cfg);

		assert_int_equal(hn_sim_page_shift(sim), cases[i].shift);
		assert_int_equal(hn_sim_max_page_order(sim), cases[i].max_order);
		assert_int_equal(hn_sim_pageblock_order(sim), cases[i].expect_pb);
		for (int nid = 0; nid < 2; nid++) {
			for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
				struct hn_zone_info zi;
				uint64_t sum = 0;

				assert_int_equal(hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi), 0);
				for (unsigned int o = 0; o <= cases[i].max_order; o++)
					sum += zi.nr_free[o] << o;
				assert_int_equal(sum, zi.free_pages);
				assert_int_equal(zi.free_pages, zi.managed_pages);
			}
		}
		hn_sim_destroy(sim);
	}
	hn_machine_free(m);
}

/*
 * HN_SIM_STOP_BEFORE_MM stops after memblock, so a caller can reserve more
 * (like a driver's early reservation) before the zones are sized.
 * Expect views and accessors to say -EAGAIN before hn_sim_boot(), the
 * extra reservation to come out of managed pages, and a second boot -EBUSY.
 */
static void boot_stop_before_mm_then_boot(void **state)
{
	struct hn_machine *m = two_socket_x86(4 * GiB);
	struct hn_sim_config cfg = { .flags = HN_SIM_STOP_BEFORE_MM };
	struct hn_sim *sim, *plain;
	struct hn_node_info ni, ni_plain;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(hn_sim_create(&sim, m, &cfg), 0);
	assert_false(hn_sim_booted(sim));
	assert_int_equal(hn_sim_node_info(sim, 0, &ni), -EAGAIN);
	f = open_memstream(&buf, &len);
	assert_int_equal(hn_sim_show_zoneinfo(sim, f), -EAGAIN);
	assert_int_equal(hn_sim_show_hardware(sim, f), -EAGAIN);
	assert_int_equal(hn_sim_show_summary(sim, f), -EAGAIN);
	assert_int_equal(hn_sim_show_memblock(sim, f), 0);
	fclose(f);
	free(buf);
	/* 64 MiB on node 1, as a driver might take early */
	assert_int_equal(hn_memblock_reserve(hn_sim_memblock(sim), 6 * GiB, 64 * MiB), 0);
	assert_int_equal(hn_sim_boot(sim), 0);
	assert_true(hn_sim_booted(sim));
	assert_sim_ok(sim);
	assert_int_equal(hn_sim_boot(sim), -EBUSY);

	plain = boot(m, NULL);
	assert_int_equal(hn_sim_node_info(sim, 1, &ni), 0);
	assert_int_equal(hn_sim_node_info(plain, 1, &ni_plain), 0);
	assert_int_equal(ni_plain.managed_pages - ni.managed_pages, 64 * MiB >> 12);
	hn_sim_destroy(plain);
	hn_sim_destroy(sim);
	hn_machine_free(m);
}

/* Same machine, same seed: byte-identical boot log, zoneinfo and memblock. */
static void boot_is_deterministic(void **state)
{
	struct hn_machine *m = two_socket_x86(16 * GiB);
	struct hn_sim_config cfg = { .seed = 1234 };
	struct hn_sim *a, *b;
	int (*views[])(const struct hn_sim *, FILE *) = {
		hn_sim_dmesg, hn_sim_show_zoneinfo, hn_sim_show_memblock, hn_sim_show_hardware,
		hn_sim_show_summary,
	};

	(void)state;
	a = boot(m, &cfg);
	b = boot(m, &cfg);
	for (unsigned int i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		char *x = test_view(a, views[i]), *y = test_view(b, views[i]);

		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	assert_int_equal(hn_sim_random(a), hn_sim_random(b));
	hn_sim_destroy(a);
	hn_sim_destroy(b);
	hn_machine_free(m);
}

/* Every documented error of hn_sim_create() and the accessors. */
static void create_rejects_bad_arguments(void **state)
{
	struct hn_machine *m = two_socket_x86(4 * GiB), *bad;
	struct hn_sim *sim = (struct hn_sim *)0x1;
	struct test_log tl = { 0 };
	struct hn_sim_config cfg;
	struct hn_memdev_desc far = test_dram(2, 0x10000000000ULL, 4 * GiB);
	struct hn_memdev_desc over = test_dram(3, 0x10080000000ULL, 4 * GiB);
	static const struct {
		const char *what;
		struct hn_sim_config cfg;
	} bad_cfgs[] = {
		{ "page_shift 11", { .page_shift = 11 } },
		{ "page_shift 22", { .page_shift = 22 } },
		{ "max_page_order 21", { .max_page_order = 21 } },
		{ "pageblock above max order", { .max_page_order = 4, .pageblock_order = 5 } },
		{ "max_nodes 1025", { .max_nodes = 1025 } },
		{ "max_nodes -1", { .max_nodes = -1 } },
		{ "max_nodes below the machine", { .max_nodes = 1 } },
		{ "watermark_scale_factor 3001", { .watermark_scale_factor = 3001 } },
		{ "struct_page_size 8192", { .struct_page_size = 8192 } },
		{ "unknown flag", { .flags = 1u << 30 } },
		{ "min_free_kbytes absurd", { .min_free_kbytes = 1ULL << 41 } },
	};

	(void)state;
	assert_int_equal(hn_sim_create(NULL, m, NULL), -EINVAL);
	assert_int_equal(hn_sim_create(&sim, NULL, NULL), -EINVAL);
	assert_null(sim);
	for (unsigned int i = 0; i < sizeof(bad_cfgs) / sizeof(bad_cfgs[0]); i++) {
		cfg = bad_cfgs[i].cfg;
		cfg.log = TEST_LOG_SINK(&tl);
		tl.count = 0;
		sim = (struct hn_sim *)0x1;
		if (hn_sim_create(&sim, m, &cfg) != -EINVAL)
			fail_msg("%s was accepted", bad_cfgs[i].what);
		assert_null(sim);
		assert_true(tl.count > 0);	/* each rejection says why */
	}
	/* A kernel image larger than the machine: -ENOSPC */
	cfg = (struct hn_sim_config){ .kernel_image_size = 64 * GiB, .log = TEST_LOG_SINK(&tl) };
	assert_int_equal(hn_sim_create(&sim, m, &cfg), -ENOSPC);
	/* A machine that does not validate: -EINVAL with the reason */
	assert_int_equal(hn_machine_clone(&bad, m), 0);
	assert_int_equal(hn_machine_add_memdev(bad, &far), 0);
	assert_int_equal(hn_machine_add_memdev(bad, &over), 0);
	cfg = (struct hn_sim_config){ .log = TEST_LOG_SINK(&tl) };
	assert_int_equal(hn_sim_create(&sim, bad, &cfg), -EINVAL);
	assert_non_null(strstr(tl.last, "overlap"));
	hn_machine_free(bad);

	sim = boot(m, NULL);
	{
		struct hn_node_info ni;
		struct hn_zone_info zi;

		assert_int_equal(hn_sim_node_info(NULL, 0, &ni), -EINVAL);
		assert_int_equal(hn_sim_node_info(sim, 0, NULL), -EINVAL);
		assert_int_equal(hn_sim_node_info(sim, -1, &ni), -ENODEV);
		assert_int_equal(hn_sim_node_info(sim, 2, &ni), -ENODEV);
		assert_int_equal(hn_sim_zone_info(sim, 0, HN_MAX_NR_ZONES, &zi), -EINVAL);
		assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA, NULL), -EINVAL);
		assert_int_equal(hn_sim_zone_info(sim, 7, HN_ZONE_DMA, &zi), -ENODEV);
		assert_false(hn_sim_node_state(sim, 0, HN_NR_NODE_STATES));
		assert_false(hn_sim_node_state(sim, 99, HN_N_ONLINE));
		assert_int_equal(hn_sim_show_zoneinfo(sim, NULL), -EINVAL);
		assert_int_equal(hn_sim_show_zoneinfo(NULL, stdout), -EINVAL);
		assert_int_equal(hn_sim_dmesg(NULL, stdout), -EINVAL);
		assert_int_equal(hn_sim_show_memblock(NULL, stdout), -EINVAL);
		assert_int_equal(hn_sim_check(NULL), -EINVAL);
		assert_int_equal(hn_sim_boot(NULL), -EINVAL);
	}
	assert_null(hn_zone_name(HN_MAX_NR_ZONES));
	assert_string_equal(hn_zone_name(HN_ZONE_DMA32), "DMA32");
	assert_null(hn_migratetype_name(HN_MIGRATE_TYPES));
	assert_string_equal(hn_migratetype_name(HN_MIGRATE_HIGHATOMIC), "HighAtomic");
	hn_sim_destroy(sim);
	hn_sim_destroy(NULL);
	hn_machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boot_generic_one_node_1g),
		cmocka_unit_test(boot_x86_two_sockets),
		cmocka_unit_test(boot_watermarks_follow_the_formulas),
		cmocka_unit_test(boot_builtin_watermarks_follow_the_formulas),
		cmocka_unit_test(boot_thp_knob_recomputes_watermarks),
		cmocka_unit_test(boot_thp_off_below_512m),
		cmocka_unit_test(boot_movable_node_puts_hotplug_memory_in_movable),
		cmocka_unit_test(boot_device_zone_and_memoryless_node),
		cmocka_unit_test(boot_page_sizes_and_orders),
		cmocka_unit_test(boot_stop_before_mm_then_boot),
		cmocka_unit_test(boot_is_deterministic),
		cmocka_unit_test(create_rejects_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
