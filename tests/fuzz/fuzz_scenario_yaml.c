/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_scenario_yaml.c - libFuzzer harness for scenario files
 * (hn_scenario_load_yaml_string(), then hn_run() of what loads).
 *
 * Input: the bytes of a scenario file.  Promises checked:
 *   - a failure is a documented errno (-EINVAL, -ENOMEM) with *sc zeroed;
 *   - every -EINVAL carries at least one log line with a location and a
 *     reason: "<fuzz>:LINE:COL: ..." with something after the place, never
 *     a bare errno text; no line holds a newline;
 *   - a success stays inside the documented bounds: 1..64 tasks, CPUs below
 *     HN_MAX_CPUS, 1..8 phases, accesses 1..10^15, write share 0..100,
 *     theta in [0, 1), working sets 1..64 TiB, power-of-two access sizes;
 *   - a small one (few accesses, small working sets) runs on a booted
 *     machine: 0, or a refusal with a log line naming the task, or
 *     -ENOSPC/-E2BIG, each documented.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hnuma.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	int lines;
	int located;		/* lines with "<fuzz>:L:C: " and a reason after it */
	int tasks_named;	/* lines that name a task ("tasks[") */
};

static struct seen seen;

/* "<fuzz>:12:3: something" with a reason after the place. */
static bool located(const char *msg)
{
	const char *p;
	char *end;

	if (strncmp(msg, "<fuzz>:", 7))
		return false;
	p = msg + 7;
	if (strtoul(p, &end, 10) == 0 || *end != ':')
		return false;
	p = end + 1;
	if (strtoul(p, &end, 10) == 0 || strncmp(end, ": ", 2))
		return false;
	return strlen(end + 2) >= 8;	/* a reason, not an errno word */
}

static void check_log(void *ctx, enum hn_log_level level, const char *msg)
{
	(void)ctx;
	if (level < HN_LOG_ERR || level > HN_LOG_DEBUG || !msg || strchr(msg, '\n'))
		abort();
	if (level != HN_LOG_ERR)
		return;
	seen.lines++;
	seen.located += located(msg);
	seen.tasks_named += strstr(msg, "tasks[") != NULL || strstr(msg, "tasks:") != NULL ||
			    strstr(msg, "accesses in all") != NULL;
	if (getenv("FUZZ_SCENARIO_TRACE"))
		fprintf(stderr, "log: %s\n", msg);
}

static struct hn_sim *machine(void)
{
	static struct hn_sim *sim;
	struct hn_machine *m;
	struct hn_sim_config cfg = { .log = { check_log, NULL } };

	if (sim)
		return sim;
	if (hn_machine_builtin_scaled(&m, "cxl-tiered", 8ULL << 30) || hn_sim_create(&sim, m, &cfg))
		abort();
	hn_machine_free(m);
	return sim;
}

static void check_bounds(const struct hn_scenario *sc)
{
	if (!sc->nr_tasks || sc->nr_tasks > HN_RUN_MAX_TASKS)
		abort();
	for (unsigned int i = 0; i < sc->nr_tasks; i++) {
		const struct hn_run_task *t = &sc->task[i];

		if (t->cpu >= HN_MAX_CPUS + HN_RUN_MAX_TASKS || !t->working_set ||
		    t->working_set > HN_RUN_MAX_WORKING_SET || !t->nr_phases ||
		    t->nr_phases > HN_RUN_MAX_PHASES || (t->access_size & (t->access_size - 1)))
			abort();
		for (unsigned int p = 0; p < t->nr_phases; p++) {
			const struct hn_run_phase *ph = &t->phase[p];

			if ((unsigned int)ph->kind >= HN_WL_NR_KINDS || !ph->accesses ||
			    ph->accesses > HN_RUN_MAX_PHASE_ACCESSES || ph->write_pct > 100 ||
			    !(ph->zipf_theta >= 0 && ph->zipf_theta < 1))
				abort();
		}
	}
}

/* Small enough to run on every input that loads. */
static bool cheap(const struct hn_scenario *sc)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < sc->nr_tasks; i++) {
		if (sc->task[i].working_set > (64u << 20))
			return false;
		for (unsigned int p = 0; p < sc->task[i].nr_phases; p++)
			total += sc->task[i].phase[p].accesses;
	}
	return total <= 20000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hn_scenario sc;
	static struct hn_run_result res;
	static const struct hn_scenario zero;
	const struct hn_log_sink log = { check_log, NULL };
	char machine_name[64];
	uint64_t seed;
	int ret;

	memset(&seen, 0, sizeof(seen));
	ret = hn_scenario_load_yaml_string("<fuzz>", (const char *)data, size, &sc, machine_name,
					   sizeof(machine_name), &seed, &log);
	if (ret) {
		if (ret != -EINVAL && ret != -ENOMEM)
			abort();
		if (memcmp(&sc, &zero, sizeof(sc)))
			abort();
		/* the oracle: a rejection says where and why */
		if (ret == -EINVAL && !seen.located) {
			fprintf(stderr, "fuzz_scenario_yaml: -EINVAL without a located reason\n");
			abort();
		}
		return 0;
	}
	check_bounds(&sc);
	if (!cheap(&sc))
		return 0;
	memset(&seen, 0, sizeof(seen));
	ret = hn_run(machine(), &sc, &res, NULL);
	switch (ret) {
	case 0:
		break;
	case -EINVAL:
	case -ENOSPC:
		/* refusals and exhaustion name the task and its place in the file */
		if (!seen.located || !seen.tasks_named) {
			fprintf(stderr, "fuzz_scenario_yaml: hn_run %d without a located message\n", ret);
			abort();
		}
		break;
	case -ENOMEM:
		break;
	default:
		abort();
	}
	if (hn_sim_check(machine()))
		abort();
	return 0;
}
