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

static struct hn_sim *boot(struct hn_machine *m, const struct hn_sim_config *cfg)
{
	struct hn_sim *sim = NULL;
	struct test_log tl = { 0 };
	struct hn_sim_config c = cfg ? *cfg : (struct hn_sim_config){ 0 };
	int ret;

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
 * 249813; free blocks: 243 of order 10 and one of order 9 in the first free
 * range, then 469 pages = 256+128+64+16+4+1 in the second.
 * min_free_kbytes = int_sqrt(249813 * 4 * 16) = 3998; pages_min = 999;
 * the scale-factor step is max(999 >> 2, 249813 * 10 / 10000) = 249, so
 * min/low/high/promo = 999/1248/1497/1746.
 */
static void boot_generic_one_node_1g(void **state)
{
	struct hn_machine *m;
	struct hn_sim *sim;
	struct hn_memdev_desc d = test_dram(0, 0, GiB);
	struct hn_zone_info zi;
	struct hn_node_info ni;
	static const uint64_t expect_nr_free[11] = { 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 243 };

	(void)state;
	assert_int_equal(hn_machine_new(&m, "one"), 0);
	assert_int_equal(hn_machine_set_arch(m, HN_ARCH_GENERIC), 0);
	assert_int_equal(hn_machine_add_memdev(m, &d), 0);
	sim = boot(m, NULL);

	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_NORMAL, &zi), 0);
	assert_int_equal(zi.zone_start_pfn, 0);
	assert_int_equal(zi.spanned_pages, 262144);
	assert_int_equal(zi.present_pages, 262144);
	assert_int_equal(zi.managed_pages, 249813);
	assert_int_equal(zi.free_pages, 249813);
	for (int o = 0; o <= 10; o++)
		assert_int_equal(zi.nr_free[o], expect_nr_free[o]);
	assert_int_equal(hn_sim_min_free_kbytes(sim), 3998);
	assert_int_equal(zi.watermark_min, 999);
	assert_int_equal(zi.watermark_low, 1248);
	assert_int_equal(zi.watermark_high, 1497);
	assert_int_equal(zi.watermark_promo, 1746);
	for (int z = 0; z < HN_MAX_NR_ZONES; z++)
		assert_int_equal(zi.lowmem_reserve[z], 0);

	assert_int_equal(hn_sim_zone_info(sim, 0, HN_ZONE_DMA, &zi), 0);
	assert_int_equal(zi.spanned_pages, 0);
	assert_int_equal(hn_sim_node_info(sim, 0, &ni), 0);
	assert_int_equal(ni.node_present_pages, 262144);
	assert_int_equal(ni.managed_pages, 249813);
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
 * pages for a bigger box and a non-default scale factor.
 */
static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static void check_watermarks(struct hn_sim *sim, unsigned int wsf, uint64_t forced_min_kb)
{
	uint64_t lowmem = 0, gfp_user = 0, min_kb, pages_min;
	int n = hn_sim_nr_node_ids(sim);
	struct hn_zone_info zi;

	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi))
				continue;
			if (z != HN_ZONE_MOVABLE)
				lowmem += zi.managed_pages;
			if (z <= HN_ZONE_NORMAL)
				gfp_user += zi.managed_pages;
		}
	min_kb = isqrt(gfp_user * 4 * 16);
	min_kb = min_kb < 128 ? 128 : min_kb > 262144 ? 262144 : min_kb;
	if (forced_min_kb)
		min_kb = forced_min_kb;
	assert_int_equal(hn_sim_min_free_kbytes(sim), min_kb);
	pages_min = min_kb >> 2;
	for (int nid = 0; nid < n; nid++)
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			uint64_t tmp, min, step;

			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi))
				continue;
			tmp = pages_min * zi.managed_pages / lowmem;
			if (z == HN_ZONE_MOVABLE) {
				min = zi.managed_pages / 1024;
				min = min < 32 ? 32 : min > 128 ? 128 : min;
			} else {
				min = tmp;
			}
			step = (uint64_t)((__uint128_t)zi.managed_pages * wsf / 10000);
			if ((tmp >> 2) > step)
				step = tmp >> 2;
			assert_int_equal(zi.watermark_min, min);
			assert_int_equal(zi.watermark_low, min + step);
			assert_int_equal(zi.watermark_high, min + 2 * step);
			assert_int_equal(zi.watermark_promo, min + 3 * step);
		}
}

static void boot_watermarks_follow_the_formulas(void **state)
{
	struct hn_machine *m = two_socket_x86(64 * GiB);
	struct hn_sim_config cfg = { 0 };
	struct hn_sim *sim;

	(void)state;
	sim = boot(m, NULL);
	check_watermarks(sim, 10, 0);
	hn_sim_destroy(sim);

	cfg.watermark_scale_factor = 1000;	/* 10% of each zone */
	sim = boot(m, &cfg);
	check_watermarks(sim, 1000, 0);
	hn_sim_destroy(sim);

	cfg.watermark_scale_factor = 0;
	cfg.min_free_kbytes = 1 << 20;		/* above the clamp: a user's choice wins */
	sim = boot(m, &cfg);
	check_watermarks(sim, 10, 1 << 20);
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
		cmocka_unit_test(boot_movable_node_puts_hotplug_memory_in_movable),
		cmocka_unit_test(boot_device_zone_and_memoryless_node),
		cmocka_unit_test(boot_page_sizes_and_orders),
		cmocka_unit_test(boot_stop_before_mm_then_boot),
		cmocka_unit_test(boot_is_deterministic),
		cmocka_unit_test(create_rejects_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
