/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_nodestring.c - libFuzzer harness for the node-string decoder
 * (hn_parse_nodestring(), hn_parse_nodestring_all(), hn_nodestring_format()).
 *
 * Input: the first byte picks one of four machines (booted once and kept:
 * the decoder never changes an instance), the rest is the string, cut at
 * its first NUL.  Promises checked:
 *   - a failure is -EINVAL with *out NULL and one log line, no newline in it;
 *   - a success gives a mask of HN_MAX_NUMNODES bits holding configured
 *     nodes only, and for hn_parse_nodestring() without "!", usable nodes
 *     only (memory, mems_allowed, online);
 *   - format → hn_parse_nodestring_all() gives the same mask back (every
 *     configured node is possible), and the formatter's length is what
 *     snprintf would say;
 *   - both parsers agree where the usable nodes are all the possible ones.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>
#include <hnuma/numa.h>

#define NR_MACHINES 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_log(void *ctx, enum hn_log_level level, const char *msg)
{
	int *lines = ctx;

	if (level < HN_LOG_ERR || level > HN_LOG_DEBUG || !msg || strchr(msg, '\n'))
		abort();
	(*lines)++;
}

static int log_lines;

struct box {
	struct hn_machine *m;
	struct hn_sim *sim;
	int nr_nodes;
	unsigned int memoryless;	/* bit n: node n has CPUs only */
	unsigned int offline;		/* bit n: taken offline after boot */
};

/*
 * 1 node; 4 nodes; 4 nodes with node 2 memoryless; 8 nodes with nodes 1
 * and 6 memoryless and node 5 offline.
 */
static struct box *boxes(void)
{
	static struct box b[NR_MACHINES];
	static const struct {
		int nodes;
		unsigned int memoryless, offline;
	} shape[NR_MACHINES] = { { 1, 0, 0 }, { 4, 0, 0 }, { 4, 1u << 2, 0 }, { 8, 0x42, 1u << 5 } };
	static int ready;

	if (ready)
		return b;
	for (int k = 0; k < NR_MACHINES; k++) {
		struct hn_sim_config cfg = { .log = { check_log, &log_lines } };

		if (hn_machine_new(&b[k].m, "fuzz") || hn_machine_set_arch(b[k].m, HN_ARCH_GENERIC))
			abort();
		b[k].nr_nodes = shape[k].nodes;
		b[k].memoryless = shape[k].memoryless;
		b[k].offline = shape[k].offline;
		for (int n = 0; n < shape[k].nodes; n++) {
			struct hn_initiator_desc c = { .kind = HN_INIT_CPU, .nid = n };

			snprintf(c.name, sizeof(c.name), "s%d", n);
			snprintf(c.cpus, sizeof(c.cpus), "%d", n);
			if (hn_machine_add_initiator(b[k].m, &c))
				abort();
			if (!(shape[k].memoryless >> n & 1)) {
				struct hn_memdev_desc d = {
					.kind = HN_MEM_DRAM, .nid = n, .base = HN_ADDR_AUTO,
					.size = 64ULL << 20, .read_latency_ns = 90, .read_bw_mbps = 1000,
				};

				snprintf(d.name, sizeof(d.name), "d%d", n);
				if (hn_machine_add_memdev(b[k].m, &d))
					abort();
			}
			for (int o = 0; o < n; o++)
				if (hn_machine_set_distance(b[k].m, n, o, 20))
					abort();
		}
		if (hn_sim_create(&b[k].sim, b[k].m, &cfg))
			abort();
		for (int n = 0; n < shape[k].nodes; n++)
			if ((shape[k].offline >> n & 1) && hn_sim_set_node_online(b[k].sim, n, false))
				abort();
	}
	ready = 1;
	return b;
}

static void check_result(const struct box *b, const char *s, int ret, struct hn_bitmask *out,
			 bool usable_only, int lines_before)
{
	char buf[4096];
	struct hn_bitmask *back = NULL;
	int len;

	if (ret) {
		if (ret != -EINVAL || out || log_lines != lines_before + 1)
			abort();
		return;
	}
	if (!out || out->size != HN_MAX_NUMNODES || log_lines != lines_before)
		abort();
	for (unsigned int n = 0; n < HN_MAX_NUMNODES; n++) {
		if (!hn_bitmask_isbitset(out, n))
			continue;
		if ((int)n >= b->nr_nodes)
			abort();
		if (usable_only && s[0] != '!' && (((b->memoryless | b->offline) >> n) & 1))
			abort();
	}
	len = hn_nodestring_format(out, buf, sizeof(buf));
	if (len < 0 || (size_t)len >= sizeof(buf) || (size_t)len != strlen(buf) ||
	    hn_nodestring_format(out, NULL, 0) != len)
		abort();
	if (hn_parse_nodestring_all(b->sim, buf, &back) || !hn_bitmask_equal(out, back))
		abort();
	hn_bitmask_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct box *b;
	struct hn_bitmask *out = NULL, *all = NULL;
	char *s;
	int before, r1, r2;

	if (!size)
		return 0;
	b = &boxes()[data[0] % NR_MACHINES];
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	before = log_lines;
	r1 = hn_parse_nodestring(b->sim, s, &out);
	check_result(b, s, r1, out, true, before);
	before = log_lines;
	r2 = hn_parse_nodestring_all(b->sim, s, &all);
	check_result(b, s, r2, all, false, before);
	/* with every possible node usable, the two parsers are one */
	if (!b->memoryless && !b->offline && (r1 != r2 || (!r1 && !hn_bitmask_equal(out, all))))
		abort();
	hn_bitmask_free(out);
	hn_bitmask_free(all);
	free(s);
	return 0;
}
