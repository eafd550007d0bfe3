/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/run.h - workloads on simulated tasks, timed by the machine's cost
 * model: what `hnuma-sim run` runs.
 *
 * A scenario is a set of tasks, each on a CPU, with a working set mapped
 * and bound by a memory policy, and one or more phases of accesses
 * (sequential, uniform random, zipfian, pointer chase) with a write share,
 * or a system call that moves the working set's pages (move_pages(),
 * migrate_pages(), mbind() with MPOL_MF_MOVE: enum hn_run_action).
 * The run interleaves the tasks in simulated time: the task whose clock is
 * lowest makes its next access.  An access touches its page (faulting it
 * in through the policy the first time) and costs, by the HMAT figures from
 * the task's node to the page's node:
 *
 *   latency(initiator, target) + size / bandwidth(initiator, target)
 *   + the device's compression latency, for compressing CXL memory
 *   + queueing, when the accesses to a node within one epoch carry more
 *     bytes than its bandwidth moves in an epoch (the excess, at that
 *     bandwidth)
 *
 * A first-touch fault adds a fixed 1 us (the kernel's fault path, est.) and
 * the time to zero the page at the write bandwidth to its node.  Reads of
 * untouched pages hit the zero page, at local latency.  Everything is a
 * function of the scenario and the instance's seed.
 */
#ifndef HNUMA_RUN_H
#define HNUMA_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hnuma/cost.h>
#include <hnuma/export.h>

HN_BEGIN_DECLS

struct hn_sim;

enum hn_workload_kind {
	HN_WL_SEQUENTIAL,	/* slot after slot, wrapping */
	HN_WL_UNIFORM,		/* any slot, equally likely */
	HN_WL_ZIPF,		/* pages by a zipfian rank (theta), slots within uniform */
	HN_WL_CHASE,		/* a random cycle through the pages: each access depends on the last */
	HN_WL_NR_KINDS,
};

#define HN_RUN_MAX_PHASES 8
#define HN_RUN_MAX_TASKS 64
#define HN_RUN_MAX_NODES 64

/*
 * Bounds a scenario file is checked against (docs/running.md): accesses
 * per phase, the working set, the contention window.  A run is refused
 * when its accesses in all exceed the caller's limit, by default
 * HN_RUN_DEFAULT_MAX_ACCESSES (about an hour at today's speed).
 */
#define HN_RUN_MAX_PHASE_ACCESSES 1000000000000000ULL	/* 10^15 */
#define HN_RUN_MAX_WORKING_SET (1ULL << 46)		/* 64 TiB: fits a task's address space */
#define HN_RUN_MAX_EPOCH_NS 1000000000000ULL		/* 1000 s */
#define HN_RUN_DEFAULT_MAX_ACCESSES 10000000000ULL	/* 10^10 */

/*
 * What a phase does.  Most phases make accesses; the others are one
 * system call on the task's working set, made when the task reaches the
 * phase, its simulated cost (hnuma/migrate.h's cost model) added to the
 * task's clock:
 *   MOVE_PAGES     move_pages() of every page of the working set to @node
 *                  (pages never touched are left: their status is -ENOENT)
 *   MIGRATE_PAGES  migrate_pages() of the task from @from to @to
 *   MBIND          mbind() of the whole working set: @policy over @nodes
 *                  with @mbind_flags (HN_MPOL_MF_MOVE, _MOVE_ALL, _STRICT)
 */
enum hn_run_action {
	HN_RUN_ACCESSES,
	HN_RUN_MOVE_PAGES,
	HN_RUN_MIGRATE_PAGES,
	HN_RUN_MBIND,
	HN_RUN_NR_ACTIONS,
};

struct hn_run_phase {
	enum hn_workload_kind kind;
	uint64_t accesses;
	unsigned int write_pct;		/* 0..100 */
	double zipf_theta;		/* ZIPF: 0 < theta < 1; 0 means 0.99 */
	enum hn_run_action action;	/* HN_RUN_ACCESSES (0) for the fields above */
	int node;			/* MOVE_PAGES */
	unsigned long from, to;		/* MIGRATE_PAGES: nodes 0..63 */
	int policy;			/* MBIND: an MPOL_* mode with flags */
	unsigned long nodes;		/* MBIND: nodes 0..63 */
	unsigned int mbind_flags;	/* MBIND */
};

/*
 * Where a task came from, so that hn_run() can name the place of a value
 * only the machine can refuse (a CPU or a node it does not have).
 * hn_scenario_load_yaml() fills it; lines and columns count from 1, and 0
 * means "not from a file".
 */
struct hn_run_src {
	unsigned int entry;		/* its entry in the file's tasks[] */
	unsigned int copy;		/* which of that entry's repeat copies */
	unsigned int cpu_line, cpu_col;
	unsigned int policy_line, policy_col;
	unsigned int working_set_line, working_set_col;
};

struct hn_run_task {
	unsigned int cpu;
	int policy;			/* an MPOL_* mode with flags, for the working set */
	unsigned long nodes;		/* its nodes, 0..63 (ignored by DEFAULT and LOCAL) */
	uint64_t working_set;		/* bytes, rounded up to pages */
	unsigned int access_size;	/* bytes per access; 0 means 64 (a cache line) */
	unsigned int nr_phases;
	struct hn_run_phase phase[HN_RUN_MAX_PHASES];
	struct hn_run_src src;		/* for messages only */
};

struct hn_scenario {
	char name[64];
	unsigned int nr_tasks;
	struct hn_run_task task[HN_RUN_MAX_TASKS];
	uint64_t epoch_ns;		/* the contention window; 0 means 1000 */
	/*
	 * The cost model's parts (enum hn_cost_part; the file's "cost-model"):
	 * 0 is the static model described above.
	 */
	unsigned int cost_parts;
	char src_file[256];		/* the file it was loaded from, for messages ("": none) */
};

/*
 * How the caller follows and bounds a run (all optional; a NULL control is
 * all zeros).  The library installs no signal handler and reads no clock:
 * a caller that wants Ctrl-C to stop a run sets a flag in its handler and
 * returns non-zero from @progress when it sees it.
 */
struct hn_run_control {
	/*
	 * Called every 65536 accesses and at the end with the accesses made
	 * and the run's total (0 when it is not known in advance: a replay).
	 * Return non-zero to stop the run there: hn_run() then returns -EINTR
	 * with the partial result filled in and marked interrupted.
	 */
	int (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
	/*
	 * Refuse (-E2BIG, before anything runs) a scenario of more accesses
	 * in all; 0 means HN_RUN_DEFAULT_MAX_ACCESSES, UINT64_MAX no limit.
	 */
	uint64_t max_accesses;
	/* With @cost_set, the cost model's parts for this run, whatever the scenario says. */
	bool cost_set;
	unsigned int cost_parts;
};

struct hn_run_task_result {
	int pid;
	unsigned int cpu;
	int node;			/* the CPU's node */
	uint64_t accesses, writes, faults;
	uint64_t runtime_ns;		/* the task's simulated clock at its end */
	uint64_t access_ns;		/* time in accesses, faults apart */
	uint64_t fault_ns;
	uint64_t queue_ns;		/* the part of access_ns spent queueing */
	uint64_t local, remote;		/* accesses to its own node's memory or not */
	uint64_t bytes[HN_RUN_MAX_NODES];
	/*
	 * Migration on the task's behalf: its move_pages/migrate_pages/mbind
	 * phases, and direct compaction in its faults.  Pages moved, pages a
	 * call left behind, and the simulated time (in runtime_ns, apart from
	 * fault_ns and access_ns).
	 */
	uint64_t migrated, migrate_failed, migrate_ns;
	uint64_t llc_hits;		/* accesses its socket's last-level cache answered (LLC part) */
	uint64_t mc_hits, mc_misses;	/* its accesses to memory behind a memory-side cache */
};

/* Pages moved from one node to another during a run, and the copy time. */
struct hn_run_migration {
	int src, dst;
	uint64_t pages, copy_ns;
};

#define HN_RUN_MAX_MIGRATION_PAIRS 64
#define HN_RUN_MAX_LINKS 64

struct hn_run_result {
	char name[64];
	uint64_t seed;
	unsigned int nr_tasks;
	int nr_nodes;
	uint64_t sim_ns;		/* the last task's end */
	struct hn_run_task_result task[HN_RUN_MAX_TASKS];
	uint64_t numa_hit[HN_RUN_MAX_NODES], numa_miss[HN_RUN_MAX_NODES];	/* during the run */
	uint64_t planned;		/* the accesses the scenario asked for (0: a replay) */
	bool interrupted;		/* stopped by the caller's progress callback */
	/* the node pairs pages moved between, by source then destination */
	unsigned int nr_migration;
	struct hn_run_migration migration[HN_RUN_MAX_MIGRATION_PAIRS];
	/*
	 * With page contents on (hn_sim_config.contents), the integrity check
	 * at the end of the run (hn_sim_integrity()): every page the tasks
	 * map, read back.  @lost is 0 unless something is broken.
	 */
	bool contents;
	uint64_t integrity_checked, integrity_lost;
	/*
	 * With a cost model part on (@cost_parts non-zero), what the model saw:
	 * each node's memory (and memory-side cache), each link, each socket's
	 * last-level cache.
	 */
	unsigned int cost_parts;
	uint64_t cost_window_ns;
	struct hn_cost_node_stats cost_node[HN_RUN_MAX_NODES];
	unsigned int nr_cost_links;
	struct hn_cost_link_stats cost_link[HN_RUN_MAX_LINKS];
	struct hn_cost_llc_stats cost_llc[HN_RUN_MAX_NODES];
};

/*
 * A demonstration on the instance's machine: one task per socket doing
 * different work under different policies (the CPU nodes' memory by
 * default, interleaving over every node with memory, binding to the
 * largest node without CPUs), about a million accesses in all.
 * 0; -EINVAL (NULL); -EAGAIN before boot; -ENODEV (no CPU).
 */
HN_EXPORT int hn_scenario_demo(const struct hn_sim *sim, struct hn_scenario *sc);

/* "sequential", "uniform", "zipf", "chase"; NULL past the end. */
HN_EXPORT const char *hn_workload_name(enum hn_workload_kind k);
/* The kind named @name: 0 or -EINVAL. */
HN_EXPORT int hn_workload_parse(const char *name, enum hn_workload_kind *out);

/*
 * Run @sc on @sim: tasks are created, map and bind their working sets, run
 * their phases, and exit (freeing everything).  @ctl (may be NULL) follows
 * and bounds the run.  Each refusal is explained in one line to the
 * instance's log, naming the task's place in its file when the scenario
 * came from one ("file:line:col: tasks[0].cpu: '100000' is not a CPU of
 * this machine (0-223)").  0; -EINVAL (NULL, no tasks, a CPU the machine
 * does not have, a policy the kernel would refuse, an empty working set or
 * phase, a write share over 100, a theta outside (0, 1), an unknown
 * action, a move_pages/migrate_pages/mbind phase the kernel would refuse
 * with -EINVAL, -ENODEV or -EACCES, and mbind's -EIO); -E2BIG (more
 * accesses in all than @ctl allows); -EINTR (stopped by @ctl->progress:
 * @out holds the partial result, out->interrupted set); -EAGAIN before
 * boot; -ENOSPC (simulated memory ran out: a working set the policy's
 * nodes cannot hold); -ENOMEM (the host).
 */
HN_EXPORT int hn_run(struct hn_sim *sim, const struct hn_scenario *sc, struct hn_run_result *out,
		     const struct hn_run_control *ctl);

/*
 * Replay a trace (docs/trace-format.md): one directive per line, "task ID
 * cpu N", "mmap ID REGION SIZE", "mbind ID REGION POLICY", "mpol ID
 * POLICY", "munmap ID REGION", "r|w ID REGION OFFSET [SIZE]", and "#"
 * comments.  Directives run in trace order, each task on its own clock;
 * accesses cost as in hn_run(), and tasks and regions are found by name in
 * constant time, so a trace costs time linear in its lines.  @name names
 * the trace in messages ("name:line:col: mbind.policy: 'x' reason") and,
 * by its last path component, in the result.  @ctl as for hn_run() (its
 * total is 0; its limit does not apply).  The result is filled as hn_run()
 * fills it; the tasks exit at the end.  0; -EINVAL (NULL, a line that does
 * not parse or names an unknown task or region, an access outside its
 * region, a policy the kernel refuses), explained in the log; -EINTR
 * (stopped by @ctl, partial result); -EAGAIN before boot; -ENOSPC
 * (simulated memory ran out); -ENOMEM; -EIO (reading @in).
 */
HN_EXPORT int hn_run_replay(struct hn_sim *sim, FILE *in, const char *name,
			    struct hn_run_result *out, const struct hn_run_control *ctl);

/*
 * A scenario file (YAML; docs/running.md): "scenario" (a name), "machine"
 * (a built-in name or a machine file, optional), "seed", "epoch-ns" and
 * "tasks", each with "cpu", "repeat" (copies on the next CPUs), "policy"
 * ("default", "local" or MODE:NODES), "working-set", "access-size" and
 * "phases" of "workload", "accesses", "write-pct", "theta".  Every key,
 * kind and bound is checked before a value is used; the first problem is
 * one line to @log, "file:line:col: path.to.key: 'value' reason" (an
 * unknown key with the nearest known one, a number out of range with its
 * range).  @machine receives the machine named ("" if none) and @seed the
 * seed (0 if none); both may be NULL.  0; -EINVAL (NULL, a file that does
 * not parse or holds a bad value); -ENOENT, -EACCES, -EISDIR (cannot read
 * it); -EFBIG (over 16 MiB); -ENOMEM; -EOPNOTSUPP (built without YAML
 * support).
 */
struct hn_log_sink;
HN_EXPORT int hn_scenario_load_yaml(const char *path, struct hn_scenario *sc, char *machine,
				    size_t machine_len, uint64_t *seed, const struct hn_log_sink *log);

/*
 * The same from @len bytes at @text, named @name in messages (NULL:
 * "<string>"; e.g. "<stdin>").  0; -EINVAL (NULL text or scenario, a bad
 * document); -EFBIG (@len over 16 MiB); -ENOMEM; -EOPNOTSUPP.
 */
HN_EXPORT int hn_scenario_load_yaml_string(const char *name, const char *text, size_t len,
					   struct hn_scenario *sc, char *machine, size_t machine_len,
					   uint64_t *seed, const struct hn_log_sink *log);

/*
 * The result as a table, or as one JSON object.  An interrupted run's
 * table ends with "interrupted at N of M accesses" (a replay's: "interrupted
 * after N accesses"); its JSON carries "interrupted": true.  0, -EINVAL,
 * -EIO.
 */
HN_EXPORT int hn_run_write_text(const struct hn_run_result *r, FILE *f);
HN_EXPORT int hn_run_write_json(const struct hn_run_result *r, FILE *f);

HN_END_DECLS

#endif /* HNUMA_RUN_H */
