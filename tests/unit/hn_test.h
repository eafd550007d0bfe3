/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hn_test.h - shared helpers for the CMocka unit tests: a log sink that
 * keeps the last messages, a report hook that counts, and small machines.
 */
#ifndef HN_TEST_H
#define HN_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hnuma/hnuma.h>

struct test_log {
	char last[512];
	char all[8192];
	int count;
};

static inline void test_log_fn(void *ctx, enum hn_log_level level, const char *msg)
{
	struct test_log *tl = ctx;
	size_t used = strlen(tl->all);

	(void)level;
	snprintf(tl->last, sizeof(tl->last), "%s", msg);
	if (used + strlen(msg) + 2 < sizeof(tl->all))
		snprintf(tl->all + used, sizeof(tl->all) - used, "%s\n", msg);
	tl->count++;
}

#define TEST_LOG_SINK(tl) ((struct hn_log_sink){ test_log_fn, (tl) })

struct test_reports {
	int count;
	char last_reason[64];
};

static inline void test_report_fn(void *ctx, const struct hn_report *r)
{
	struct test_reports *tr = ctx;

	tr->count++;
	snprintf(tr->last_reason, sizeof(tr->last_reason), "%s", r->reason);
}

/* A DRAM device with plausible figures; the caller sets nid/size/base. */
static inline struct hn_memdev_desc test_dram(int nid, uint64_t base, uint64_t size)
{
	struct hn_memdev_desc d = {
		.kind = HN_MEM_DRAM,
		.nid = nid,
		.base = base,
		.size = size,
		.read_latency_ns = 90,
		.read_bw_mbps = 50000,
	};

	snprintf(d.name, sizeof(d.name), "dram%d", nid);
	return d;
}

static inline struct hn_initiator_desc test_cpus(int nid, const char *cpus)
{
	struct hn_initiator_desc in = { .kind = HN_INIT_CPU, .nid = nid };

	snprintf(in.name, sizeof(in.name), "socket%d", nid);
	snprintf(in.cpus, sizeof(in.cpus), "%s", cpus);
	return in;
}

/*
 * Four nodes of @size bytes (generic architecture), node n with CPUs 2n
 * and 2n+1, every other node at distance 20.  0 or -1.
 */
static inline int test_four_nodes_sized(struct hn_machine **out, const char *name, uint64_t size)
{
	if (hn_machine_new(out, name) || hn_machine_set_arch(*out, HN_ARCH_GENERIC))
		return -1;
	for (int nid = 0; nid < 4; nid++) {
		char cpus[16];
		struct hn_initiator_desc c;
		struct hn_memdev_desc d = test_dram(nid, HN_ADDR_AUTO, size);

		snprintf(cpus, sizeof(cpus), "%d-%d", 2 * nid, 2 * nid + 1);
		c = test_cpus(nid, cpus);
		if (hn_machine_add_initiator(*out, &c) || hn_machine_add_memdev(*out, &d))
			return -1;
		for (int o = 0; o < nid; o++)
			if (hn_machine_set_distance(*out, nid, o, 20))
				return -1;
	}
	return 0;
}

/* The policy tests' machine: four nodes of 256 MiB (test_four_nodes_sized()). */
static inline int test_four_nodes(struct hn_machine **out, const char *name)
{
	return test_four_nodes_sized(out, name, 256ULL << 20);
}

/* A /proc/vmstat counter; the test fails if the name is unknown. */
static inline uint64_t test_vmstat(struct hn_sim *sim, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(hn_sim_vmstat(sim, name, &v), 0);
	return v;
}

/*
 * What @view (hn_sim_show_zoneinfo() and the like) prints, as a string to
 * free().  The stream's state lives on the heap: gcc 12 misreads a
 * stack-held one as dangling once this is inlined.
 */
static inline char *test_view(const struct hn_sim *sim, int (*view)(const struct hn_sim *, FILE *))
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

/* hn_sim_check() must pass; on failure the reason is in the message. */
#define assert_sim_ok(sim) assert_int_equal(hn_sim_check(sim), 0)

#endif /* HN_TEST_H */
