/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench/cost - the run engine's accesses per second with the cost model
 * static (the baseline, today's model), with every part but the LLC
 * filter on ("model": loaded, links, memcache), and with every part on
 * ("full").
 *
 * For each shipped scenario (the YAML files of examples/scenarios, given on the
 * command line), boots its machine once and runs the scenario --runs times
 * per model on a fresh instance, timing hn_run() alone (host wall time;
 * medians).  Accesses/s counts the scenario's accesses; the ratio is the
 * static rate over each model's in the same run (the slowdown).  The goal
 * (cost-model issue): within 1.3x of static.
 *
 * Usage: bench_cost [--runs N] SCENARIO.yaml...
 * Prints a table and `csv:scenario,model,accesses_per_s` lines, then
 * `csv:scenario,ratio-MODEL,slowdown`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

#include "bench.h"

#define MAX_RUNS 51

/* One timed hn_run() of @sc on a fresh instance of @m; the accesses it made in *@acc. */
static int one_run(const struct hn_machine *m, uint64_t seed, const struct hn_scenario *sc,
		   unsigned int parts, double *s, uint64_t *acc)
{
	struct hn_sim_config cfg = { .seed = seed };
	struct hn_run_control ctl = { .cost_set = true, .cost_parts = parts };
	struct hn_run_result *res = calloc(1, sizeof(*res));
	struct hn_sim *sim;
	double t0;
	int ret;

	if (!res)
		return -ENOMEM;
	ret = hn_sim_create(&sim, m, &cfg);
	if (ret) {
		free(res);
		return ret;
	}
	t0 = bench_now_s();
	ret = hn_run(sim, sc, res, &ctl);
	*s = bench_now_s() - t0;
	*acc = 0;
	for (unsigned int i = 0; i < res->nr_tasks; i++)
		*acc += res->task[i].accesses;
	hn_sim_destroy(sim);
	free(res);
	return ret;
}

int main(int argc, char **argv)
{
	int runs = 5, first = 1;

	if (argc > 2 && !strcmp(argv[1], "--runs")) {
		runs = atoi(argv[2]);
		first = 3;
	}
	if (runs < 1 || runs > MAX_RUNS || first >= argc) {
		fprintf(stderr, "usage: bench_cost [--runs N (1..%d)] SCENARIO.yaml...\n", MAX_RUNS);
		return 2;
	}
	printf("%-22s %-7s %14s %8s\n", "scenario", "model", "accesses/s", "ratio");
	for (int a = first; a < argc; a++) {
		struct hn_scenario *sc = calloc(1, sizeof(*sc));
		char machine[4096] = "";
		const char *name = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
		struct hn_machine *m = NULL;
		uint64_t seed = 0, acc = 0;
		static const char *const names[3] = { "static", "model", "full" };
		static const unsigned int parts[3] = { 0, HN_COST_LOADED | HN_COST_LINKS | HN_COST_MEMCACHE,
						       HN_COST_FULL };
		double rate[3];
		int ret;

		if (!sc)
			return 1;
		ret = hn_scenario_load_yaml(argv[a], sc, machine, sizeof(machine), &seed, NULL);
		if (!ret)
			ret = hn_machine_builtin(&m, machine[0] ? machine : "default");
		if (ret == -ENOENT)
			ret = hn_machine_load_yaml(&m, machine, NULL);
		if (ret) {
			fprintf(stderr, "bench_cost: %s: %s\n", argv[a], hn_strerror(ret));
			free(sc);
			return 1;
		}
		for (int k = 0; k < 3; k++) {
			double t[MAX_RUNS];

			for (int r = 0; r < runs; r++) {
				ret = one_run(m, seed, sc, parts[k], &t[r], &acc);
				if (ret) {
					fprintf(stderr, "bench_cost: %s: the run failed: %s\n", argv[a],
						hn_strerror(ret));
					return 1;
				}
			}
			rate[k] = (double)acc / bench_median(t, runs);
			printf("%-22s %-7s %14.0f %8.2f\n", name, names[k], rate[k], rate[0] / rate[k]);
			printf("csv:%s,%s,%.0f\n", name, names[k], rate[k]);
			if (k)
				printf("csv:%s,ratio-%s,%.3f\n", name, names[k], rate[0] / rate[k]);
		}
		hn_machine_free(m);
		free(sc);
	}
	return 0;
}
