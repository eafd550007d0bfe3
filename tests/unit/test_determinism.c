/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_determinism.c - one machine, one seed, one scenario: byte-identical
 * views and an identical event-trace digest (XXH64), run after run; another
 * seed gives another trace.  On failure the seed is printed with the one
 * command that replays it (docs/testing.md).
 */
#include "hn_test.h"

#include <errno.h>
#include <inttypes.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

struct digest {
	XXH64_state_t *state;
	uint64_t events;
};

static void digest_sink(void *ctx, const struct hn_trace_event *ev)
{
	struct digest *d = ctx;
	char line[512];
	int n = hn_trace_format(ev, line, sizeof(line));

	assert_true(n > 0 && (size_t)n < sizeof(line));
	XXH64_update(d->state, line, (size_t)n);
	d->events++;
}

/* The scenario: seeded allocations and frees of every kind on every CPU. */
static void scenario(struct hn_sim *sim, uint64_t ops)
{
	static const hn_gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_ATOMIC,
					 GFP_KERNEL | __GFP_RECLAIMABLE };
	uint64_t live[512][2];
	unsigned int nr = 0, ncpu = hn_sim_nr_cpu_ids(sim);

	for (uint64_t i = 0; i < ops; i++) {
		uint64_t r = hn_sim_random(sim), pfn;
		unsigned int order = (unsigned int)__builtin_ctzll((r >> 20) | (1ULL << 10));

		assert_int_equal(hn_sim_set_cpu(sim, (unsigned int)(r % ncpu)), 0);
		if (nr == 512 || (nr && (r >> 8) % 3 == 0)) {
			unsigned int k = (unsigned int)((r >> 16) % nr);

			assert_int_equal(hn_free_pages(sim, live[k][0], (unsigned int)live[k][1]), 0);
			live[k][0] = live[nr - 1][0];
			live[k][1] = live[--nr][1];
			continue;
		}
		if (hn_alloc_pages(sim, gfps[(r >> 40) % 4] | __GFP_NOWARN, order, HN_NUMA_NO_NODE, NULL,
				   &pfn) == 0) {
			live[nr][0] = pfn;
			live[nr++][1] = order;
		}
	}
}

struct run {
	uint64_t trace_digest;
	uint64_t events;
	uint64_t views_digest;
};

static struct run run_once(uint64_t seed)
{
	int (*views[])(const struct hn_sim *, FILE *) = {
		hn_sim_dmesg, hn_sim_show_buddyinfo, hn_sim_show_pagetypeinfo, hn_sim_show_zoneinfo,
		hn_sim_show_vmstat, hn_sim_show_extfrag_index,
	};
	struct digest d = { XXH64_createState(), 0 };
	XXH64_state_t *vs = XXH64_createState();
	struct hn_machine *m;
	struct hn_sim *sim;
	struct run r;

	XXH64_reset(d.state, 0);
	XXH64_reset(vs, 0);
	assert_int_equal(hn_machine_builtin_scaled(&m, "default", 16ULL << 30), 0);
	assert_int_equal(hn_sim_create(&sim, m, &(struct hn_sim_config){ .seed = seed }), 0);
	assert_int_equal(hn_trace_set_sink(sim, digest_sink, &d), 0);
	scenario(sim, 8000);
	assert_int_equal(hn_sim_check(sim), 0);
	for (unsigned int i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		char *text = test_view(sim, views[i]);

		XXH64_update(vs, text, strlen(text));
		free(text);
	}
	r.trace_digest = XXH64_digest(d.state);
	r.events = d.events;
	r.views_digest = XXH64_digest(vs);
	XXH64_freeState(d.state);
	XXH64_freeState(vs);
	hn_sim_destroy(sim);
	hn_machine_free(m);
	return r;
}

static uint64_t test_seed(void)
{
	const char *e = getenv("HN_TEST_SEED");

	return e ? strtoull(e, NULL, 0) : 0x5eed;
}

static void same_seed_same_trace_and_views(void **state)
{
	uint64_t seed = test_seed();
	struct run a = run_once(seed), b = run_once(seed);

	(void)state;
	if (a.trace_digest != b.trace_digest || a.views_digest != b.views_digest || a.events != b.events)
		fail_msg("seed %#" PRIx64 " is not deterministic: trace %016" PRIx64 "/%016" PRIx64
			 " views %016" PRIx64 "/%016" PRIx64 "; replay: HN_TEST_SEED=%#" PRIx64
			 " build/tests/unit/test_determinism", seed, a.trace_digest, b.trace_digest,
			 a.views_digest, b.views_digest, seed);
	assert_true(a.events > 8000);
}

static void other_seed_other_trace(void **state)
{
	uint64_t seed = test_seed();
	struct run a = run_once(seed), b = run_once(seed + 1);

	(void)state;
	if (a.trace_digest == b.trace_digest)
		fail_msg("seeds %#" PRIx64 " and %#" PRIx64 " gave the same trace", seed, seed + 1);
}

static void trace_api(void **state)
{
	struct hn_trace_event ev = { .id = HN_TRACE_MM_PAGE_FREE, .pfn = 0x1234, .order = 3, .cpu = 2,
				     .nid = 1, .zone = HN_ZONE_NORMAL };
	char buf[128];

	(void)state;
	assert_int_equal(hn_trace_set_sink(NULL, NULL, NULL), -EINVAL);
	assert_true(hn_trace_format(&ev, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "hnuma-0 [002]     0.000000: mm_page_free: pfn=0x1234 order=3 node=1 "
			    "zone=Normal");
	/* a failed allocation concerns no zone */
	ev.nid = -1;
	ev.zone = -1;
	assert_true(hn_trace_format(&ev, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "hnuma-0 [002]     0.000000: mm_page_free: pfn=0x1234 order=3 node=-1 "
			    "zone=none");
	assert_int_equal(hn_trace_format(NULL, buf, sizeof(buf)), -EINVAL);
	ev.id = HN_TRACE_NR_EVENTS;
	assert_int_equal(hn_trace_format(&ev, buf, sizeof(buf)), -EINVAL);
	assert_string_equal(hn_trace_event_name(HN_TRACE_MM_PAGE_ALLOC), "mm_page_alloc");
	assert_null(hn_trace_event_name(HN_TRACE_NR_EVENTS));
	/* a tiny buffer is cut, never overrun, and the needed length returned */
	ev.id = HN_TRACE_MM_PAGE_FREE;
	assert_int_equal(hn_trace_format(&ev, buf, 8),
			 (int)strlen("hnuma-0 [002]     0.000000: mm_page_free: pfn=0x1234 order=3 "
				     "node=-1 zone=none"));
	assert_string_equal(buf, "hnuma-0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_seed_same_trace_and_views),
		cmocka_unit_test(other_seed_other_trace),
		cmocka_unit_test(trace_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
