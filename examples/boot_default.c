/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * boot_default - the smallest complete hnuma program.
 *
 * Boots the built-in default machine and walks what boot built: for every
 * node, each zone's span, present and managed pages and its watermarks.
 * Read it next to mm/mm_init.c free_area_init() and mm/page_alloc.c
 * __setup_per_zone_wmarks(): these are the numbers those functions compute.
 */
#include <inttypes.h>
#include <stdio.h>

#include <hnuma/hnuma.h>

int main(void)
{
	struct hn_machine *m;
	struct hn_sim *sim;
	int ret;

	ret = hn_machine_builtin(&m, "default");
	if (ret) {
		fprintf(stderr, "no default machine: %s\n", hn_strerror(ret));
		return 1;
	}
	/* A zeroed config means "kernel defaults": 4 KiB pages, MAX_PAGE_ORDER 10. */
	ret = hn_sim_create(&sim, m, &(struct hn_sim_config){ .seed = 1 });
	hn_machine_free(m);	/* the instance keeps its own copy */
	if (ret) {
		fprintf(stderr, "boot failed: %s\n", hn_strerror(ret));
		return 1;
	}

	printf("min_free_kbytes = %" PRIu64 "\n", hn_sim_min_free_kbytes(sim));
	for (int nid = 0; nid < hn_sim_nr_node_ids(sim); nid++) {
		struct hn_node_info ni;

		if (hn_sim_node_info(sim, nid, &ni))
			continue;
		printf("node %d: %u cpus, %" PRIu64 " pages present, %" PRIu64 " managed%s\n",
		       nid, ni.nr_cpus, ni.node_present_pages, ni.managed_pages,
		       hn_sim_node_state(sim, nid, HN_N_NORMAL_MEMORY) ? "" :
		       " (no normal memory: a movable-only node)");
		for (int z = 0; z < HN_MAX_NR_ZONES; z++) {
			struct hn_zone_info zi;

			if (hn_sim_zone_info(sim, nid, (enum hn_zone_type)z, &zi) || !zi.spanned_pages)
				continue;
			printf("  %-8s start_pfn %#10" PRIx64 " spanned %9" PRIu64
			       " present %9" PRIu64 " managed %9" PRIu64
			       "  wmark min/low/high %" PRIu64 "/%" PRIu64 "/%" PRIu64 "\n",
			       zi.name, zi.zone_start_pfn, zi.spanned_pages, zi.present_pages,
			       zi.managed_pages, zi.watermark_min, zi.watermark_low,
			       zi.watermark_high);
		}
	}
	/* Every invariant of every subsystem, checked in one call. */
	ret = hn_sim_check(sim);
	printf("hn_sim_check: %s\n", hn_strerror(ret));
	hn_sim_destroy(sim);
	return ret ? 1 : 0;
}
