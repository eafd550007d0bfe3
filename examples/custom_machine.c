/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * custom_machine - describe a machine in code and boot it.
 *
 * Two CPU sockets with DRAM and one CPU-less CXL expander, the shape of a
 * tiered-memory server.  The expander is hotpluggable; booted with
 * HN_SIM_MOVABLE_NODE (the movable_node kernel parameter) its memory lands
 * in ZONE_MOVABLE, so the node has memory but no "normal" memory, exactly
 * as on a real machine.  Prints what `numactl --hardware` would show.
 */
#include <stdio.h>

#include <hnuma/hnuma.h>

static int build(struct hn_machine **out)
{
	struct hn_machine *m;
	int ret = hn_machine_new(&m, "two-sockets-and-cxl");

	if (ret)
		return ret;
	for (int s = 0; s < 2; s++) {
		struct hn_memdev_desc dram = {
			.kind = HN_MEM_DRAM, .nid = s, .base = HN_ADDR_AUTO,
			.size = 16ULL << 30,
			.read_latency_ns = 90, .read_bw_mbps = 100000,
		};
		struct hn_initiator_desc cpu = { .kind = HN_INIT_CPU, .nid = s };

		snprintf(dram.name, sizeof(dram.name), "dram%d", s);
		snprintf(cpu.name, sizeof(cpu.name), "socket%d", s);
		snprintf(cpu.cpus, sizeof(cpu.cpus), "%d-%d", s * 8, s * 8 + 7);
		ret = hn_machine_add_memdev(m, &dram);
		if (!ret)
			ret = hn_machine_add_initiator(m, &cpu);
		if (ret)
			goto fail;
	}
	ret = hn_machine_add_memdev(m, &(struct hn_memdev_desc){
		.name = "cxl0", .kind = HN_MEM_CXL, .nid = 2, .base = HN_ADDR_AUTO,
		.size = 32ULL << 30, .read_latency_ns = 250, .read_bw_mbps = 30000,
		.hotplug = true,
	});
	/* SLIT: sockets 21 apart, the expander 14 from socket 0 and 24 from 1. */
	if (!ret)
		ret = hn_machine_set_distance(m, 0, 1, 21);
	if (!ret)
		ret = hn_machine_set_distance(m, 0, 2, 14);
	if (!ret)
		ret = hn_machine_set_distance(m, 1, 2, 24);
	if (ret)
		goto fail;
	*out = m;
	return 0;
fail:
	hn_machine_free(m);
	return ret;
}

int main(void)
{
	struct hn_sim_config cfg = { .seed = 7, .flags = HN_SIM_MOVABLE_NODE };
	struct hn_machine *m;
	struct hn_sim *sim;
	int ret;

	ret = build(&m);
	if (!ret)
		ret = hn_sim_create(&sim, m, &cfg);
	if (ret) {
		fprintf(stderr, "custom machine failed: %s\n", hn_strerror(ret));
		return 1;
	}
	hn_machine_free(m);
	hn_sim_show_hardware(sim, stdout);
	printf("node 2 has memory: %d, normal memory: %d\n",
	       hn_sim_node_state(sim, 2, HN_N_MEMORY),
	       hn_sim_node_state(sim, 2, HN_N_NORMAL_MEMORY));
	hn_sim_destroy(sim);
	return 0;
}
