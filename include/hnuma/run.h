/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hnuma/run.h - workloads on simulated tasks, timed by the machine's cost
 * model: what `hnuma-sim run` runs.
 *
 * A scenario is a set of tasks, each on a CPU, with a working set mapped
 * and bound by a memory policy, and one or more phases of accesses
 * (sequential, uniform random, zipfian, pointer chase) with a write share.
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

struct hn_run_phase {
	enum hn_workload_kind kind;
	uint64_t accesses;
	unsigned int write_pct;		/* 0..100 */
	double zipf_theta;		/* ZIPF: 0 < theta < 1; 0 means 0.99 */
};

struct hn_run_task {
	unsigned int cpu;
	int policy;			/* an MPOL_* mode with flags, for the working set */
	unsigned long nodes;		/* its nodes, 0..63 (ignored by DEFAULT and LOCAL) */
	uint64_t working_set;		/* bytes, rounded up to pages */
	unsigned int access_size;	/* bytes per access; 0 means 64 (a cache line) */
	unsigned int nr_phases;
	struct hn_run_phase phase[HN_RUN_MAX_PHASES];
};

struct hn_scenario {
	char name[64];
	unsigned int nr_tasks;
	struct hn_run_task task[HN_RUN_MAX_TASKS];
	uint64_t epoch_ns;		/* the contention window; 0 means 1000 */
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
};

struct hn_run_result {
	char name[64];
	uint64_t seed;
	unsigned int nr_tasks;
	int nr_nodes;
	uint64_t sim_ns;		/* the last task's end */
	struct hn_run_task_result task[HN_RUN_MAX_TASKS];
	uint64_t numa_hit[HN_RUN_MAX_NODES], numa_miss[HN_RUN_MAX_NODES];	/* during the run */
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
 * their phases, and exit (freeing everything).  @progress, if set, is
 * called now and then with the fraction done.  0; -EINVAL (NULL, no tasks,
 * a CPU the machine does not have, a policy the kernel would refuse, an
 * empty working set or phase, a write share over 100, a theta outside
 * (0, 1)); -EAGAIN before boot; -ENOMEM (the host, or simulated memory
 * too small for the working sets).
 */
HN_EXPORT int hn_run(struct hn_sim *sim, const struct hn_scenario *sc, struct hn_run_result *out,
		     void (*progress)(void *ctx, double done), void *ctx);

/*
 * Replay a trace (docs/trace-format.md): one directive per line, "task ID
 * cpu N", "mmap ID REGION SIZE", "mbind ID REGION POLICY", "mpol ID
 * POLICY", "munmap ID REGION", "r|w ID REGION OFFSET [SIZE]", and "#"
 * comments.  Directives run in trace order, each task on its own clock;
 * accesses cost as in hn_run().  The result is filled as hn_run() fills it;
 * the tasks exit at the end.  0; -EINVAL (NULL, a line that does not parse
 * or names an unknown task or region, an access outside its region, a
 * policy the kernel refuses), with the line number in the log; -EAGAIN
 * before boot; -ENOMEM; -EIO (reading @in).
 */
HN_EXPORT int hn_run_replay(struct hn_sim *sim, FILE *in, const char *name,
			    struct hn_run_result *out);

/*
 * A scenario file (YAML; docs/running.md): "scenario" (a name), "machine"
 * (a built-in name or a machine file, optional), "seed", "epoch-ns" and
 * "tasks", each with "cpu", "repeat" (copies on the next CPUs), "policy"
 * ("default", "local" or MODE:NODES), "working-set", "access-size" and
 * "phases" of "workload", "accesses", "write-pct", "theta".  @machine
 * receives the machine named ("" if none) and @seed the seed (0 if none);
 * both may be NULL.  0; -EINVAL (NULL, a file that does not parse or
 * holds a bad value, with the place in @log); -ENOENT (cannot open it);
 * -ENOMEM; -EOPNOTSUPP (built without YAML support).
 */
struct hn_log_sink;
HN_EXPORT int hn_scenario_load_yaml(const char *path, struct hn_scenario *sc, char *machine,
				    size_t machine_len, uint64_t *seed, const struct hn_log_sink *log);

/* The result as a table, or as one JSON object.  0, -EINVAL, -EIO. */
HN_EXPORT int hn_run_write_text(const struct hn_run_result *r, FILE *f);
HN_EXPORT int hn_run_write_json(const struct hn_run_result *r, FILE *f);

HN_END_DECLS

#endif /* HNUMA_RUN_H */
