/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc_walkthrough - watch the buddy allocator work, step by step.
 *
 * A one-node machine with 64 MiB, so every line of output fits a screen.
 * Each step allocates or frees something and prints /proc/buddyinfo, so
 * you can see expand() split blocks and __free_one_page() merge them back.
 * The event trace (the kernel's tracepoint names) says which function did
 * what.  Read it next to mm/page_alloc.c.
 */
#include <inttypes.h>
#include <stdio.h>

#include <hnuma/hnuma.h>

static void show(struct hn_sim *sim, const char *what)
{
	printf("\n== %s\n", what);
	hn_sim_show_buddyinfo(sim, stdout);
}

static void trace_line(void *ctx, const struct hn_trace_event *ev)
{
	char line[256];

	(void)ctx;
	if (hn_trace_format(ev, line, sizeof(line)) > 0)
		printf("   trace: %s\n", line);
}

int main(void)
{
	struct hn_memdev_desc dram = {
		.name = "dram0", .kind = HN_MEM_DRAM, .nid = 0, .base = 0, .size = 64 << 20,
		.read_latency_ns = 90, .read_bw_mbps = 20000,
	};
	/* No pcp lists and no kernel-image reservation: every request hits the buddy. */
	struct hn_sim_config cfg = { .seed = 1, .flags = HN_SIM_NO_PCP, .kernel_image_size = 1 << 20 };
	struct hn_machine *m;
	struct hn_sim *sim;
	uint64_t a, b, c;

	if (hn_machine_new(&m, "tiny") || hn_machine_set_arch(m, HN_ARCH_GENERIC) ||
	    hn_machine_add_memdev(m, &dram) || hn_sim_create(&sim, m, &cfg)) {
		fprintf(stderr, "could not boot the tiny machine\n");
		return 1;
	}
	hn_machine_free(m);
	hn_trace_set_sink(sim, trace_line, NULL);

	show(sim, "after boot: memory sits in order-10 (4 MiB) blocks, plus the odd pieces");

	/*
	 * The smallest free block that fits wins (__rmqueue_smallest); a larger
	 * block is split by expand(), its upper halves going back one order at a
	 * time.
	 */
	hn_alloc_pages(sim, GFP_HIGHUSER_MOVABLE, 0, HN_NUMA_NO_NODE, NULL, &a);
	printf("\nallocated one page at pfn %#" PRIx64 "\n", a);
	hn_alloc_pages(sim, GFP_HIGHUSER_MOVABLE, 3, HN_NUMA_NO_NODE, NULL, &b);
	printf("allocated 8 pages at pfn %#" PRIx64 "\n", b);
	show(sim, "two requests later");

	/*
	 * GFP_KERNEL is unmovable: there are no Unmovable pageblocks yet, so
	 * the allocator claims a whole Movable pageblock (mm_page_alloc_extfrag
	 * in the trace) rather than scatter unmovable pages.
	 */
	hn_alloc_pages(sim, GFP_KERNEL, 0, HN_NUMA_NO_NODE, NULL, &c);
	printf("\nan unmovable page at pfn %#" PRIx64 "\n", c);
	show(sim, "after the fallback");

	/* Frees merge with free buddies: pfn ^ (1 << order) at each order. */
	hn_free_pages(sim, a, 0);
	hn_free_pages(sim, b, 3);
	hn_free_pages(sim, c, 0);
	show(sim, "everything freed: the buddies merged back");

	printf("\nhn_sim_check: %s\n", hn_strerror(hn_sim_check(sim)));
	hn_sim_destroy(sim);
	return 0;
}
