/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_run.c - workloads and the cost model (hnuma/run.h).
 *
 * Machine: the built-in cxl-tiered, scaled to 16 GiB: two DDR5 sockets
 * (nodes 0 and 1, CPUs 0-51 and 104-155 on node 0) and two CXL expanders
 * (nodes 2 and 3, no CPUs).  Expect local DRAM to be the cheapest, CXL the
 * dearest, and every figure to follow from the scenario and the seed.
 */
#include "hn_test.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <hnuma/mempolicy.h>
#include <hnuma/run.h>

#define MiB (1ULL << 20)

struct fx {
	struct hn_machine *m;
	struct hn_sim *sim;
};

static int make(struct fx *fx, uint64_t seed)
{
	struct hn_sim_config cfg = { .seed = seed };

	return hn_sim_create(&fx->sim, fx->m, &cfg);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || hn_machine_builtin_scaled(&fx->m, "cxl-tiered", 16ULL << 30) || make(fx, 1))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	assert_sim_ok(fx->sim);
	hn_sim_destroy(fx->sim);
	hn_machine_free(fx->m);
	free(fx);
	return 0;
}

static struct hn_scenario one_task(int policy, unsigned long nodes, enum hn_workload_kind k,
				   unsigned int write_pct, uint64_t accesses)
{
	struct hn_scenario sc = { .name = "t", .nr_tasks = 1 };

	sc.task[0] = (struct hn_run_task){ .cpu = 0, .policy = policy, .nodes = nodes,
					   .working_set = 8 * MiB, .nr_phases = 1 };
	sc.task[0].phase[0] = (struct hn_run_phase){ .kind = k, .accesses = accesses,
						     .write_pct = write_pct };
	return sc;
}

static void local_cheaper_than_cxl(void **state)
{
	struct fx *fx = *state;
	struct hn_scenario local = one_task(MPOL_DEFAULT, 0, HN_WL_UNIFORM, 100, 20000);
	struct hn_scenario far = one_task(MPOL_BIND, 1UL << 2, HN_WL_UNIFORM, 100, 20000);
	struct hn_run_result a, b;

	assert_int_equal(hn_run(fx->sim, &local, &a, NULL), 0);
	assert_int_equal(hn_run(fx->sim, &far, &b, NULL), 0);
	/* all writes: every access is on the policy's node */
	assert_int_equal(a.task[0].accesses, 20000);
	assert_int_equal(a.task[0].writes, 20000);
	assert_int_equal(a.task[0].local, 20000);
	assert_int_equal(a.task[0].bytes[0], 20000 * 64);
	assert_int_equal(b.task[0].remote, 20000);
	assert_int_equal(b.task[0].bytes[2], 20000 * 64);
	assert_true(b.task[0].access_ns > a.task[0].access_ns * 2);
	assert_true(b.task[0].runtime_ns > a.task[0].runtime_ns);
	/* the first touches: at most one fault per page of the 8 MiB */
	assert_true(a.task[0].faults > 0 && a.task[0].faults <= 2048);
	assert_int_equal(b.numa_hit[2], b.task[0].faults);
	assert_int_equal(a.numa_hit[2], 0);
}

static void interleave_spreads(void **state)
{
	struct fx *fx = *state;
	struct hn_scenario sc = one_task(MPOL_INTERLEAVE, 0xf, HN_WL_SEQUENTIAL, 100, 4 * 2048 * 64);
	struct hn_run_result r;

	/* sequential writes over the whole set, four times: each page on node (pgoff % 4) */
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), 0);
	assert_int_equal(r.task[0].faults, 2048);
	for (int nid = 0; nid < 4; nid++)
		assert_int_equal(r.task[0].bytes[nid], 4 * 512 * 4096);
}

/* The demo, a hundredth of its length, on a fresh instance booted with @seed: its JSON and text. */
static char *run_demo(struct fx *fx, uint64_t seed)
{
	struct hn_scenario sc;
	struct hn_run_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hn_sim_destroy(fx->sim);
	assert_int_equal(make(fx, seed), 0);
	assert_int_equal(hn_scenario_demo(fx->sim, &sc), 0);
	for (unsigned int i = 0; i < sc.nr_tasks; i++)
		for (unsigned int p = 0; p < sc.task[i].nr_phases; p++)
			sc.task[i].phase[p].accesses /= 100;
	assert_non_null(f);
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), 0);
	assert_int_equal(hn_run_write_json(&r, f), 0);
	assert_int_equal(hn_run_write_text(&r, f), 0);
	fclose(f);
	return buf;
}

static void same_seed_same_result(void **state)
{
	struct fx *fx = *state;
	char *a = run_demo(fx, 1), *b = run_demo(fx, 1), *c = run_demo(fx, 2);

	assert_string_equal(a, b);
	/* another seed: another access sequence */
	assert_string_not_equal(a, c);
	assert_non_null(strstr(a, "{\"scenario\":\"demo\",\"seed\":1,"));
	assert_non_null(strstr(c, "\"seed\":2,"));
	assert_non_null(strstr(a, "\nMB accessed per node\n"));
	free(a);
	free(b);
	free(c);
}

static void contention_queues(void **state)
{
	struct fx *fx = *state;
	struct hn_scenario sc = { .name = "crowd", .nr_tasks = 8, .epoch_ns = 1000 };
	struct hn_run_result r;
	uint64_t queued = 0;

	/* eight tasks streaming 4 KiB writes into one expander: more than it moves */
	for (unsigned int i = 0; i < 8; i++) {
		sc.task[i] = (struct hn_run_task){ .cpu = i, .policy = MPOL_BIND, .nodes = 1UL << 3,
						   .working_set = 4 * MiB, .access_size = 4096,
						   .nr_phases = 1 };
		sc.task[i].phase[0] = (struct hn_run_phase){ .kind = HN_WL_SEQUENTIAL, .accesses = 3000,
							     .write_pct = 100 };
	}
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), 0);
	for (unsigned int i = 0; i < 8; i++)
		queued += r.task[i].queue_ns;
	assert_true(queued > 0);
	/* alone, the same task never waits */
	sc.nr_tasks = 1;
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), 0);
	assert_int_equal(r.task[0].queue_ns, 0);
}

static void phases_and_kinds(void **state)
{
	struct fx *fx = *state;
	struct hn_scenario sc = one_task(MPOL_DEFAULT, 0, HN_WL_CHASE, 0, 1000);
	struct hn_run_result r;

	sc.task[0].phase[sc.task[0].nr_phases++] = (struct hn_run_phase){ .kind = HN_WL_ZIPF,
									  .accesses = 1000,
									  .write_pct = 50,
									  .zipf_theta = 0.5 };
	sc.task[0].phase[sc.task[0].nr_phases++] = (struct hn_run_phase){ .kind = HN_WL_SEQUENTIAL,
									  .accesses = 1000 };
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), 0);
	assert_int_equal(r.task[0].accesses, 3000);
	assert_true(r.task[0].writes > 300 && r.task[0].writes < 700);
	for (int k = 0; k < HN_WL_NR_KINDS; k++) {
		enum hn_workload_kind back;

		assert_int_equal(hn_workload_parse(hn_workload_name((enum hn_workload_kind)k), &back), 0);
		assert_int_equal(back, k);
	}
	assert_null(hn_workload_name(HN_WL_NR_KINDS));
}

/*
 * Call phases (hn_run_action): 8 MiB written on node 0 (bind:0), moved to
 * node 1 by move_pages, brought back to node 0 by migrate_pages, then
 * rebound to CXL node 2 with mbind(MPOL_MF_MOVE).  Expect every page moved
 * each time (2048 x 3), the node pairs in the result, the migration's
 * time on the task's clock, and the accesses after each move landing on
 * the new node.  A call the kernel refuses fails the run with -EINVAL.
 */
static void call_phases(void **state)
{
	struct fx *fx = *state;
	struct hn_scenario sc = one_task(MPOL_BIND, 1UL << 0, HN_WL_SEQUENTIAL, 100, 2048);
	struct hn_run_task *t = &sc.task[0];
	struct hn_run_result *r = calloc(1, sizeof(*r)), *plain = calloc(1, sizeof(*plain));
	uint64_t pairs[4][4] = { { 0 } };

	assert_non_null(r);
	assert_non_null(plain);
	t->access_size = 4096;
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .action = HN_RUN_MOVE_PAGES, .node = 1 };
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .kind = HN_WL_UNIFORM, .accesses = 1000 };
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .action = HN_RUN_MIGRATE_PAGES,
							  .from = 1UL << 1, .to = 1UL << 0 };
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .kind = HN_WL_UNIFORM, .accesses = 1000 };
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .action = HN_RUN_MBIND,
							  .policy = MPOL_BIND, .nodes = 1UL << 2,
							  .mbind_flags = HN_MPOL_MF_MOVE };
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .kind = HN_WL_UNIFORM, .accesses = 1000 };
	assert_int_equal(hn_run(fx->sim, &sc, r, NULL), 0);
	assert_int_equal(r->task[0].accesses, 5048);
	assert_int_equal(r->task[0].migrated, 3 * 2048);
	assert_int_equal(r->task[0].migrate_failed, 0);
	assert_true(r->task[0].migrate_ns > 0);
	assert_int_equal(r->nr_migration, 3);
	for (unsigned int i = 0; i < r->nr_migration; i++)
		pairs[r->migration[i].src][r->migration[i].dst] = r->migration[i].pages;
	assert_int_equal(pairs[0][1], 2048);
	assert_int_equal(pairs[1][0], 2048);
	assert_int_equal(pairs[0][2], 2048);
	/* 1000 accesses of 4 KiB on each node the set lived on after a move */
	assert_int_equal(r->task[0].bytes[1], 1000 * 4096);
	assert_int_equal(r->task[0].bytes[2], 1000 * 4096);
	assert_false(r->contents);
	/* the same accesses without the calls: the calls' time is the difference's part */
	sc.task[0].phase[1] = (struct hn_run_phase){ .kind = HN_WL_UNIFORM, .accesses = 1 };
	sc.task[0].nr_phases = 2;
	assert_int_equal(hn_run(fx->sim, &sc, plain, NULL), 0);
	assert_int_equal(plain->task[0].migrate_ns, 0);
	assert_int_equal(plain->nr_migration, 0);
	assert_true(r->task[0].runtime_ns > plain->task[0].runtime_ns + r->task[0].migrate_ns);

	/* refusals: a node out of range, an action past the enum, STRICT with pages left */
	sc = one_task(MPOL_DEFAULT, 0, HN_WL_SEQUENTIAL, 100, 100);
	sc.task[0].phase[sc.task[0].nr_phases++] = (struct hn_run_phase){
		.action = HN_RUN_MOVE_PAGES, .node = 60 };
	assert_int_equal(hn_run(fx->sim, &sc, r, NULL), -EINVAL);
	sc.task[0].phase[1].action = HN_RUN_NR_ACTIONS;
	assert_int_equal(hn_run(fx->sim, &sc, r, NULL), -EINVAL);
	free(r);
	free(plain);
}

/* With contents on, the run ends with the integrity check of every mapped page. */
static void call_phases_keep_contents(void **state)
{
	struct fx *fx = *state;
	struct hn_sim *sim;
	struct hn_sim_config cfg = { .seed = 1, .contents = HN_CONTENTS_RANDOM };
	struct hn_scenario sc = one_task(MPOL_BIND, 1UL << 0, HN_WL_SEQUENTIAL, 100, 2048);
	struct hn_run_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	assert_int_equal(hn_sim_create(&sim, fx->m, &cfg), 0);
	sc.task[0].access_size = 4096;
	sc.task[0].phase[sc.task[0].nr_phases++] = (struct hn_run_phase){
		.action = HN_RUN_MOVE_PAGES, .node = 3 };
	sc.task[0].phase[sc.task[0].nr_phases++] = (struct hn_run_phase){
		.kind = HN_WL_UNIFORM, .accesses = 5000, .write_pct = 50 };
	sc.task[0].phase[sc.task[0].nr_phases++] = (struct hn_run_phase){
		.action = HN_RUN_MIGRATE_PAGES, .from = 1UL << 3, .to = 1UL << 1 };
	assert_int_equal(hn_run(sim, &sc, r, NULL), 0);
	assert_true(r->contents);
	assert_int_equal(r->integrity_checked, 2048);
	assert_int_equal(r->integrity_lost, 0);
	assert_int_equal(r->task[0].migrated, 2 * 2048);
	assert_sim_ok(sim);
	hn_sim_destroy(sim);
	free(r);
}

static int replay_text(struct fx *fx, const char *text, struct hn_run_result *r)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(in);
	ret = hn_run_replay(fx->sim, in, "t", r, NULL);
	fclose(in);
	return ret;
}

/*
 * Regions by name through the hash table: 5000 regions over two tasks
 * (the table rehashes seven times), each written once, every other one
 * unmapped and mapped again smaller, then looked up once more; a name
 * that was never mapped must be refused, not looped on.
 *
 * Found by fuzz_trace: the first region was linked twice when the table
 * grew, so a lookup of another name in its bucket never ended.
 */
static int replay_many_regions(struct fx *fx, struct hn_run_result *r)
{
	size_t cap = 5000 * 64, off = 0;
	char *text = malloc(cap);
	int ret;

	assert_non_null(text);
	off += (size_t)snprintf(text + off, cap - off, "task 1 cpu 0\ntask 2 cpu 52\n");
	for (int i = 0; i < 5000; i++)
		off += (size_t)snprintf(text + off, cap - off, "mmap %d r%d 8K\nw %d r%d 4096\n",
					1 + i % 2, i, 1 + i % 2, i);
	for (int i = 0; i < 5000; i += 2)
		off += (size_t)snprintf(text + off, cap - off, "munmap 1 r%d\nmmap 1 r%d 4K\n", i, i);
	for (int i = 0; i < 5000; i++)
		off += (size_t)snprintf(text + off, cap - off, "r %d r%d 0\n", 1 + i % 2, i);
	ret = replay_text(fx, text, r);
	assert_int_equal(ret, 0);
	assert_int_equal(r->task[0].accesses + r->task[1].accesses, 10000);
	snprintf(text + off, cap - off, "r 1 never-mapped 0\n");
	ret = replay_text(fx, text, r);
	assert_int_equal(ret, -EINVAL);
	free(text);
	return 0;
}

static void replay(void **state)
{
	struct fx *fx = *state;
	struct hn_run_result r;
	static const char trace[] =
		"# two tasks\n"
		"task 7 cpu 0\n"
		"task 9 cpu 52\n"
		"\n"
		"mmap 7 a 16K\n"
		"mbind 7 a bind:2\n"
		"w 7 a 0\n"
		"w 7 a 4096 128\n"
		"r 7 a 8192\n"
		"mmap 9 b 8K\n"
		"mpol 9 interleave:0-1\n"
		"w 9 b 0x1000\n"
		"munmap 9 b\n";

	assert_int_equal(replay_text(fx, trace, &r), 0);
	assert_int_equal(r.nr_tasks, 2);
	assert_int_equal(r.task[0].accesses, 3);
	assert_int_equal(r.task[0].writes, 2);
	assert_int_equal(r.task[0].faults, 3);		/* two writes, one zero-page read */
	assert_int_equal(r.task[0].bytes[2], 64 + 128);	/* the bound writes on node 2 */
	assert_int_equal(r.task[0].bytes[0], 64);	/* the zero page: local */
	assert_int_equal(r.task[1].node, 1);
	assert_int_equal(r.task[1].accesses, 1);
	assert_true(r.task[0].runtime_ns > 1000);
	assert_int_equal(r.numa_hit[2], 2);
	/* errors name their line; each is -EINVAL */
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nfly 1 a\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 100000\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\ntask 1 cpu 1\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "mmap 1 a 4K\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nmmap 1 a 4K\nw 1 a 4096\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nmmap 1 a 4K\nw 1 b 0\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nmmap 1 a 4K\nmbind 1 a sideways:1\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nmmap 1 a 4K\nmbind 1 a bind:40\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nmmap 1 a 4K extra\n", &r), -EINVAL);
	assert_int_equal(replay_text(fx, "task 1 cpu 0\nmmap 1 a 4K\nmmap 1 a 4K\n", &r), -EINVAL);
	assert_int_equal(replay_many_regions(fx, &r), 0);
	assert_int_equal(hn_run_replay(NULL, stdin, "t", &r, NULL), -EINVAL);
	assert_int_equal(hn_run_replay(fx->sim, NULL, "t", &r, NULL), -EINVAL);
	assert_int_equal(hn_run_replay(fx->sim, stdin, "t", NULL, NULL), -EINVAL);
}

/* @text into a temporary file, loaded as a scenario. */
static int load_scenario(const char *text, struct hn_scenario *sc, char *machine, uint64_t *seed)
{
	char path[] = "/tmp/hnuma-scenario-XXXXXX";
	int fd = mkstemp(path), ret;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	ret = hn_scenario_load_yaml(path, sc, machine, machine ? 64 : 0, seed, NULL);
	unlink(path);
	return ret;
}

static void scenario_files(void **state)
{
	struct hn_scenario sc;
	char machine[64];
	uint64_t seed = 1;

	(void)state;
#ifndef HNUMA_HAVE_YAML
	assert_int_equal(hn_scenario_load_yaml("/dev/null", &sc, NULL, 0, NULL, NULL), -EOPNOTSUPP);
	skip();
#endif
	assert_int_equal(load_scenario("scenario: two\nmachine: cxl-tiered\nseed: 9\nepoch-ns: 500\n"
				       "tasks:\n"
				       "  - cpu: 3\n    repeat: 2\n    policy: bind:2-3\n"
				       "    working-set: 16M\n    access-size: 256\n    phases:\n"
				       "      - { workload: zipf, accesses: 10, write-pct: 5, theta: 0.5 }\n"
				       "      - { workload: chase, accesses: 20 }\n",
				       &sc, machine, &seed), 0);
	assert_string_equal(sc.name, "two");
	assert_string_equal(machine, "cxl-tiered");
	assert_int_equal(seed, 9);
	assert_int_equal(sc.epoch_ns, 500);
	assert_int_equal(sc.nr_tasks, 2);
	assert_int_equal(sc.task[0].cpu, 3);
	assert_int_equal(sc.task[1].cpu, 4);
	assert_int_equal(sc.task[1].policy, MPOL_BIND);
	assert_int_equal(sc.task[1].nodes, 0xc);
	assert_int_equal(sc.task[1].working_set, 16 * MiB);
	assert_int_equal(sc.task[1].access_size, 256);
	assert_int_equal(sc.task[1].nr_phases, 2);
	assert_int_equal(sc.task[1].phase[0].kind, HN_WL_ZIPF);
	assert_int_equal(sc.task[1].phase[0].write_pct, 5);
	assert_true(sc.task[1].phase[0].zipf_theta == 0.5);
	assert_int_equal(sc.task[1].phase[1].kind, HN_WL_CHASE);
	assert_int_equal(sc.task[1].phase[1].accesses, 20);
	/* the least a file can say */
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, phases: [ { workload: uniform, "
				       "accesses: 1 } ] }\n", &sc, machine, &seed), 0);
	assert_string_equal(sc.name, "scenario");
	assert_string_equal(machine, "");
	assert_int_equal(seed, 0);
	assert_int_equal(sc.task[0].policy, MPOL_DEFAULT);
	/* what it must not say */
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, phases: [ { workload: walk, "
				       "accesses: 1 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, policy: bind, phases: [ { "
				       "workload: uniform, accesses: 1 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, policy: bind:64, phases: [ { "
				       "workload: uniform, accesses: 1 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: big, phases: [ { "
				       "workload: uniform, accesses: 1 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, phases: [ { "
				       "workload: zipf, accesses: 1, theta: 1.5 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, colour: red, phases: [ { "
				       "workload: uniform, accesses: 1 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks:\n  - { cpu: 0, working-set: 4K, repeat: 65, phases: [ { "
				       "workload: uniform, accesses: 1 } ] }\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("tasks: [\n", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(load_scenario("", &sc, NULL, NULL), -EINVAL);
	assert_int_equal(hn_scenario_load_yaml("/nonexistent/s.yaml", &sc, NULL, 0, NULL, NULL), -ENOENT);
	assert_int_equal(hn_scenario_load_yaml(NULL, &sc, NULL, 0, NULL, NULL), -EINVAL);
	assert_int_equal(hn_scenario_load_yaml("/dev/null", NULL, NULL, 0, NULL, NULL), -EINVAL);
}

static void bad_scenarios(void **state)
{
	struct fx *fx = *state;
	struct hn_scenario sc = one_task(MPOL_DEFAULT, 0, HN_WL_UNIFORM, 0, 10);
	struct hn_run_result r;
	enum hn_workload_kind k;

	assert_int_equal(hn_run(NULL, &sc, &r, NULL), -EINVAL);
	assert_int_equal(hn_run(fx->sim, NULL, &r, NULL), -EINVAL);
	assert_int_equal(hn_run(fx->sim, &sc, NULL, NULL), -EINVAL);
	sc.nr_tasks = 0;
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.nr_tasks = 1;
	sc.task[0].cpu = 100000;
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.task[0].cpu = 0;
	sc.task[0].phase[0].write_pct = 101;
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.task[0].phase[0].write_pct = 0;
	sc.task[0].phase[0].zipf_theta = 1.0;
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.task[0].phase[0].zipf_theta = NAN;	/* found by fuzz_ops: NaN passed both bounds */
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.task[0].phase[0].zipf_theta = 0;
	sc.task[0].access_size = 3;
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.task[0].access_size = 0;
	sc.task[0].policy = MPOL_BIND;
	sc.task[0].nodes = 1UL << 40;		/* no such node */
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -EINVAL);
	sc.task[0].policy = MPOL_DEFAULT;
	/* no simulated memory left for a fault: the run stops with -ENOMEM */
	sc.task[0].phase[0].write_pct = 100;
	assert_int_equal(hn_fault_set(fx->sim, HN_FAULT_PAGE_ALLOC,
				      &(struct hn_fault_attr){ .probability = 100 }), 0);
	assert_int_equal(hn_run(fx->sim, &sc, &r, NULL), -ENOSPC);
	assert_int_equal(hn_fault_set(fx->sim, HN_FAULT_PAGE_ALLOC, &(struct hn_fault_attr){ 0 }), 0);
	assert_int_equal(hn_workload_parse("random", &k), -EINVAL);
	assert_int_equal(hn_workload_parse(NULL, &k), -EINVAL);
	assert_int_equal(hn_scenario_demo(NULL, &sc), -EINVAL);
	assert_int_equal(hn_run_write_text(NULL, stdout), -EINVAL);
	assert_int_equal(hn_run_write_json(&r, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(local_cheaper_than_cxl, setup, teardown),
		cmocka_unit_test_setup_teardown(interleave_spreads, setup, teardown),
		cmocka_unit_test_setup_teardown(same_seed_same_result, setup, teardown),
		cmocka_unit_test_setup_teardown(contention_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(phases_and_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(call_phases, setup, teardown),
		cmocka_unit_test_setup_teardown(call_phases_keep_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(replay, setup, teardown),
		cmocka_unit_test(scenario_files),
		cmocka_unit_test_setup_teardown(bad_scenarios, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
