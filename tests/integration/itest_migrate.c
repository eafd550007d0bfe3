/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * itest_migrate.c - migration under stress (Check, fork mode).
 *
 * ping_pong_soak: 1024 pages of one task bounce between two nodes with
 * move_pages() until 10^6 pages have moved (HN_SOAK_MOVES to change it),
 * page contents on, while the fault sites make targets vanish (-ENOMEM),
 * pages busy and unexpectedly referenced (-EAGAIN), and real long-term
 * pins keep some pages where they are.  A flat model knows where each
 * page must be: after every call each page is on its old node or the one
 * asked for, never elsewhere, and a pinned page has not moved.  Every 64
 * rounds hn_sim_check() passes and hn_sim_integrity() reads back every
 * page with nothing lost.
 *
 * fail_nth_over_migration: the kernel's fail-nth over one script of
 * migration and compaction calls (move_pages, migrate_pages, mbind MOVE,
 * compact_node, alloc_contig_pages, kcompactd's turn), failing the 1st,
 * 2nd, ... crossing of any site until a run crosses no more.  Each call
 * may fail only with the errors it documents; afterwards the instance is
 * consistent and no page's contents are lost.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

#define PG 4096ULL
#define RW (HN_PROT_READ | HN_PROT_WRITE)
#define ANON (HN_MAP_PRIVATE | HN_MAP_ANONYMOUS)

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : dflt;
}

/* Two nodes of @mib MiB, one CPU each. */
static struct hn_machine *two_nodes(uint64_t mib)
{
	struct hn_machine *m;

	ck_assert_int_eq(hn_machine_new(&m, "two-nodes"), 0);
	for (int nid = 0; nid < 2; nid++) {
		struct hn_memdev_desc d = { .kind = HN_MEM_DRAM, .nid = nid, .base = HN_ADDR_AUTO,
					    .size = mib << 20, .read_latency_ns = 90,
					    .read_bw_mbps = 40000 };
		struct hn_initiator_desc c = { .kind = HN_INIT_CPU, .nid = nid };

		snprintf(d.name, sizeof(d.name), "dram%d", nid);
		snprintf(c.name, sizeof(c.name), "socket%d", nid);
		snprintf(c.cpus, sizeof(c.cpus), "%d", nid);
		ck_assert_int_eq(hn_machine_add_memdev(m, &d), 0);
		ck_assert_int_eq(hn_machine_add_initiator(m, &c), 0);
	}
	return m;
}

static void integrity_ok(struct hn_sim *sim, uint64_t pages)
{
	uint64_t checked = 0, lost = 1;

	ck_assert_int_eq(hn_sim_integrity(sim, &checked, &lost), 0);
	ck_assert_uint_eq(checked, pages);
	ck_assert_uint_eq(lost, 0);
}

#define SOAK_PAGES 1024

START_TEST(ping_pong_soak)
{
	struct hn_machine *m = two_nodes(64);
	struct hn_sim_config cfg = { .seed = 11, .contents = HN_CONTENTS_RANDOM,
				     .kernel_image_size = 1 << 20 };
	/* a missing target ends the whole call: rarer than the page-level -EAGAINs */
	const struct hn_fault_attr target = { .probability = 1, .interval = 50 },
				   busy = { .probability = 2 }, pinned = { .probability = 2 };
	uint64_t want = env_u64("HN_SOAK_MOVES", 1000000), moved = 0, rounds = 0, rng = 99;
	uint64_t *va = calloc(SOAK_PAGES, sizeof(*va)), pins[8], a;
	int *nodes = calloc(SOAK_PAGES, sizeof(*nodes)), *status = calloc(SOAK_PAGES, sizeof(int));
	int *where = calloc(SOAK_PAGES, sizeof(int)), *pinned_at = calloc(SOAK_PAGES, sizeof(int));
	struct hn_fault_stats st[3];
	struct hn_sim *sim;
	struct hn_task *t;
	uint64_t v;

	ck_assert(va && nodes && status && where && pinned_at);
	ck_assert_int_eq(hn_sim_create(&sim, m, &cfg), 0);
	ck_assert_int_eq(hn_task_create(sim, 0, &t), 0);
	ck_assert_int_eq(hn_mmap(t, 0, SOAK_PAGES * PG, RW, ANON, &a), 0);
	for (int i = 0; i < SOAK_PAGES; i++) {
		va[i] = a + (uint64_t)i * PG;
		ck_assert_int_eq(hn_task_touch(t, va[i], true), 0);
	}
	ck_assert_int_eq(hn_move_pages(t, SOAK_PAGES, va, NULL, where, 0), 0);
	ck_assert_int_eq(hn_fault_set(sim, HN_FAULT_MIGRATE_TARGET, &target), 0);
	ck_assert_int_eq(hn_fault_set(sim, HN_FAULT_MIGRATE_BUSY, &busy), 0);
	ck_assert_int_eq(hn_fault_set(sim, HN_FAULT_MIGRATE_PINNED, &pinned), 0);
	while (moved < want) {
		unsigned int nr_pins = 0;
		int ret;

		/* a few pages pinned for the round, as a DMA transfer would */
		for (int k = 0; k < 8; k++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((rng >> 60) < 8) {
				uint64_t i = (rng >> 20) % SOAK_PAGES;

				if (pinned_at[i])
					continue;
				ck_assert_int_eq(hn_pin_user_pages(t, va[i], 1, HN_FOLL_WRITE, &pins[nr_pins]), 0);
				pinned_at[i] = 1 + (int)nr_pins++;
			}
		}
		for (int i = 0; i < SOAK_PAGES; i++)
			nodes[i] = 1 - where[i];
		ret = hn_move_pages(t, SOAK_PAGES, va, nodes, status, HN_MPOL_MF_MOVE);
		ck_assert_msg(ret >= 0 || ret == -ENOMEM, "round %" PRIu64 ": move_pages %d", rounds, ret);
		ck_assert_int_eq(hn_move_pages(t, SOAK_PAGES, va, NULL, status, 0), 0);
		for (int i = 0; i < SOAK_PAGES; i++) {
			ck_assert_msg(status[i] == where[i] || status[i] == nodes[i],
				      "round %" PRIu64 ": page %d on node %d, was %d, asked %d", rounds, i,
				      status[i], where[i], nodes[i]);
			if (pinned_at[i])
				ck_assert_msg(status[i] == where[i], "a pinned page moved");
			if (status[i] != where[i])
				moved++;
			where[i] = status[i];
		}
		if (nr_pins)
			ck_assert_int_eq(hn_unpin_user_pages(sim, pins, nr_pins), 0);
		memset(pinned_at, 0, SOAK_PAGES * sizeof(int));
		/* a write now and then: its bytes must travel with the page from here on */
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		ck_assert_int_eq(hn_task_touch(t, va[(rng >> 33) % SOAK_PAGES], true), 0);
		if (++rounds % 64 == 0) {
			ck_assert_int_eq(hn_sim_check(sim), 0);
			integrity_ok(sim, SOAK_PAGES);
		}
	}
	ck_assert_int_eq(hn_sim_check(sim), 0);
	integrity_ok(sim, SOAK_PAGES);
	/* the injections happened, or the soak tested less than it claims */
	for (int s = 0; s < 3; s++) {
		ck_assert_int_eq(hn_fault_stats(sim, (enum hn_fault_site)(HN_FAULT_MIGRATE_TARGET + s),
						&st[s]), 0);
		ck_assert_msg(st[s].failures > 0, "site %s never failed",
			      hn_fault_site_name((enum hn_fault_site)(HN_FAULT_MIGRATE_TARGET + s)));
	}
	ck_assert_int_eq(hn_sim_vmstat(sim, "pgmigrate_success", &v), 0);
	ck_assert_uint_ge(v, moved);
	ck_assert_int_eq(hn_sim_vmstat(sim, "nr_isolated_anon", &v), 0);
	ck_assert_uint_eq(v, 0);
	fprintf(stderr, "migrate soak: %" PRIu64 " pages moved in %" PRIu64 " rounds; failures injected: "
		"target %" PRIu64 ", busy %" PRIu64 ", pinned %" PRIu64 "\n", moved, rounds,
		st[0].failures, st[1].failures, st[2].failures);
	hn_task_destroy(t);
	hn_sim_destroy(sim);
	hn_machine_free(m);
	free(va);
	free(nodes);
	free(status);
	free(where);
	free(pinned_at);
}
END_TEST

static bool documented(int ret, const int *allowed)
{
	if (ret >= 0)
		return true;
	for (; *allowed; allowed++)
		if (ret == *allowed)
			return true;
	return false;
}

#define NTH_PAGES 64

/* One pass of the script; the number of fault-site failures it saw. */
static uint64_t nth_pass(struct hn_machine *m, uint64_t nth)
{
	static const int nomem_busy[] = { -ENOMEM, -EBUSY, -EAGAIN, 0 };
	struct hn_sim_config cfg = { .seed = 3, .contents = HN_CONTENTS_TEXT,
				     .kernel_image_size = 1 << 20 };
	uint64_t va[NTH_PAGES], a, failed = 0, pfn;
	unsigned long node0 = 1, node1 = 2;
	int nodes[NTH_PAGES], status[NTH_PAGES], ret;
	struct hn_sim *sim;
	struct hn_task *t;

	ck_assert_int_eq(hn_sim_create(&sim, m, &cfg), 0);
	ck_assert_int_eq(hn_task_create(sim, 0, &t), 0);
	ck_assert_int_eq(hn_mmap(t, 0, NTH_PAGES * PG, RW, ANON, &a), 0);
	ck_assert_int_eq(hn_mbind(t, a, NTH_PAGES * PG, MPOL_BIND, &node0, 65, 0), 0);
	for (int i = 0; i < NTH_PAGES; i++) {
		va[i] = a + (uint64_t)i * PG;
		nodes[i] = 1;
		ck_assert_int_eq(hn_task_touch(t, va[i], true), 0);
	}
	ck_assert_int_eq(hn_fault_set_fail_nth(sim, nth), 0);

	ret = hn_move_pages(t, NTH_PAGES, va, nodes, status, HN_MPOL_MF_MOVE);
	ck_assert_msg(documented(ret, nomem_busy), "nth %" PRIu64 ": move_pages %d", nth, ret);
	ret = hn_migrate_pages(t, 65, &node1, &node0);
	ck_assert_msg(documented(ret, nomem_busy), "nth %" PRIu64 ": migrate_pages %d", nth, ret);
	ret = hn_mbind(t, a, NTH_PAGES * PG, MPOL_BIND, &node1, 65, HN_MPOL_MF_MOVE);
	ck_assert_msg(documented(ret, nomem_busy), "nth %" PRIu64 ": mbind %d", nth, ret);
	for (int nid = 0; nid < 2; nid++) {
		ret = hn_compact_node(sim, nid);
		ck_assert_msg(documented(ret, nomem_busy), "nth %" PRIu64 ": compact_node %d", nth, ret);
	}
	ret = hn_alloc_contig_pages(sim, 64, GFP_KERNEL, 0, NULL, &pfn);
	ck_assert_msg(documented(ret, nomem_busy), "nth %" PRIu64 ": alloc_contig_pages %d", nth, ret);
	if (!ret)
		ck_assert_int_eq(hn_free_contig_range(sim, pfn, 64), 0);
	ret = hn_sim_advance(sim, 2000000000ULL);
	ck_assert_msg(documented(ret, nomem_busy), "nth %" PRIu64 ": advance %d", nth, ret);

	ck_assert_int_eq(hn_fault_set_fail_nth(sim, 0), 0);
	for (int s = 0; s < HN_FAULT_NR_SITES; s++) {
		struct hn_fault_stats st;

		ck_assert_int_eq(hn_fault_stats(sim, (enum hn_fault_site)s, &st), 0);
		failed += st.failures;
	}
	ck_assert_msg(hn_sim_check(sim) == 0, "nth %" PRIu64 ": hn_sim_check", nth);
	integrity_ok(sim, NTH_PAGES);
	ck_assert_int_eq(hn_move_pages(t, NTH_PAGES, va, NULL, status, 0), 0);
	for (int i = 0; i < NTH_PAGES; i++)
		ck_assert_msg(status[i] == 0 || status[i] == 1, "nth %" PRIu64 ": page %d status %d",
			      nth, i, status[i]);
	hn_task_destroy(t);
	hn_sim_destroy(sim);
	return failed;
}

START_TEST(fail_nth_over_migration)
{
	struct hn_machine *m = two_nodes(32);
	uint64_t steps = 0;

	for (uint64_t n = 1;; n++) {
		if (!nth_pass(m, n))
			break;	/* the nth crossing never came: the script ran whole */
		steps++;
	}
	ck_assert_msg(steps > 50, "only %" PRIu64 " crossings: the script reaches too few sites", steps);
	fprintf(stderr, "migrate fail-nth: %" PRIu64 " crossings failed one by one\n", steps);
	hn_machine_free(m);
}
END_TEST

static Suite *migrate_suite(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("stress");

	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, ping_pong_soak);
	tcase_add_test(tc, fail_nth_over_migration);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(migrate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
