/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scenario_yaml.c - scenario files for `hnuma-sim run --scenario`
 * (docs/running.md gives the format).  libcyaml checks the structure,
 * types and unknown keys; the words (workload kinds, policies, sizes) are
 * checked here, each error naming its place as "tasks[1].phases[0].theta".
 */
#include <cyaml/cyaml.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hw.h>
#include <hnuma/log.h>
#include <hnuma/mempolicy.h>
#include <hnuma/run.h>

struct y_phase {
	char *workload;
	uint64_t accesses;
	unsigned int write_pct;
	char *theta;
};

struct y_task {
	unsigned int cpu;
	unsigned int repeat;
	char *policy;
	char *working_set;
	unsigned int access_size;
	struct y_phase *phases;
	unsigned int phases_count;
};

struct y_scenario {
	char *scenario;
	char *machine;
	uint64_t seed;
	uint64_t epoch_ns;
	struct y_task *tasks;
	unsigned int tasks_count;
};

#define OPT CYAML_FLAG_OPTIONAL
#define STR_OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

static const cyaml_schema_field_t phase_fields[] = {
	CYAML_FIELD_STRING_PTR("workload", CYAML_FLAG_POINTER, struct y_phase, workload, 1, 32),
	CYAML_FIELD_UINT("accesses", CYAML_FLAG_DEFAULT, struct y_phase, accesses),
	CYAML_FIELD_UINT("write-pct", OPT, struct y_phase, write_pct),
	CYAML_FIELD_STRING_PTR("theta", STR_OPT, struct y_phase, theta, 1, 32),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t phase_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_phase, phase_fields),
};

static const cyaml_schema_field_t task_fields[] = {
	CYAML_FIELD_UINT("cpu", CYAML_FLAG_DEFAULT, struct y_task, cpu),
	CYAML_FIELD_UINT("repeat", OPT, struct y_task, repeat),
	CYAML_FIELD_STRING_PTR("policy", STR_OPT, struct y_task, policy, 1, 256),
	CYAML_FIELD_STRING_PTR("working-set", CYAML_FLAG_POINTER, struct y_task, working_set, 1, 32),
	CYAML_FIELD_UINT("access-size", OPT, struct y_task, access_size),
	CYAML_FIELD_SEQUENCE("phases", CYAML_FLAG_POINTER, struct y_task, phases, &phase_schema, 1,
			     HN_RUN_MAX_PHASES),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t task_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_task, task_fields),
};

static const cyaml_schema_field_t scenario_fields[] = {
	CYAML_FIELD_STRING_PTR("scenario", STR_OPT, struct y_scenario, scenario, 1, 63),
	CYAML_FIELD_STRING_PTR("machine", STR_OPT, struct y_scenario, machine, 1, 4095),
	CYAML_FIELD_UINT("seed", OPT, struct y_scenario, seed),
	CYAML_FIELD_UINT("epoch-ns", OPT, struct y_scenario, epoch_ns),
	CYAML_FIELD_SEQUENCE("tasks", CYAML_FLAG_POINTER, struct y_scenario, tasks, &task_schema, 1,
			     HN_RUN_MAX_TASKS),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t scenario_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct y_scenario, scenario_fields),
};

struct ctx {
	const struct hn_log_sink *log;
	const char *file;
	char last[256];		/* libcyaml's last error line */
};

static void say(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const struct ctx *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!c->log || !c->log->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->log->fn(c->log->ctx, HN_LOG_ERR, buf);
}

static void cyaml_log_cb(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct ctx *c = ctx;
	size_t l;

	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(c->last, sizeof(c->last), fmt, args);
	l = strlen(c->last);
	while (l && c->last[l - 1] == '\n')
		c->last[--l] = '\0';
}

/* "0-3,5" or "all" (nodes 0..63) into a mask of the first 64 nodes. */
static int parse_nodes(const char *s, unsigned long *mask)
{
	*mask = 0;
	if (!strcmp(s, "all")) {
		*mask = ~0UL;
		return 0;
	}
	while (*s) {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s || a > 63)
			return -1;
		s = end;
		if (*s == '-') {
			b = strtoul(++s, &end, 10);
			if (end == s || b > 63 || b < a)
				return -1;
			s = end;
		}
		for (unsigned long n = a; n <= b; n++)
			*mask |= 1UL << n;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return *mask ? 0 : -1;
}

static int parse_policy(const char *spec, int *mode, unsigned long *nodes)
{
	const char *list;

	if (hn_mpol_parse_spec(spec, mode, &list))
		return -1;
	*nodes = 0;
	return list ? parse_nodes(list, nodes) : 0;
}

static int build(const struct ctx *c, const struct y_scenario *y, struct hn_scenario *sc)
{
	unsigned int n = 0;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "%s", y->scenario ? y->scenario : "scenario");
	sc->epoch_ns = y->epoch_ns;
	for (unsigned int i = 0; i < y->tasks_count; i++) {
		const struct y_task *yt = &y->tasks[i];
		unsigned int repeat = yt->repeat ? yt->repeat : 1;
		struct hn_run_task t = { .cpu = yt->cpu, .access_size = yt->access_size,
					 .nr_phases = yt->phases_count };

		if (yt->policy && parse_policy(yt->policy, &t.policy, &t.nodes)) {
			say(c, "%s: tasks[%u].policy: '%s' is not default, local or MODE:NODES", c->file, i,
			    yt->policy);
			return -EINVAL;
		}
		if (hn_parse_size(yt->working_set, &t.working_set) || !t.working_set) {
			say(c, "%s: tasks[%u].working-set: '%s' is not a size", c->file, i, yt->working_set);
			return -EINVAL;
		}
		for (unsigned int p = 0; p < yt->phases_count; p++) {
			const struct y_phase *yp = &yt->phases[p];
			struct hn_run_phase *ph = &t.phase[p];
			char *end;

			if (hn_workload_parse(yp->workload, &ph->kind)) {
				say(c, "%s: tasks[%u].phases[%u].workload: '%s' is not sequential, uniform, "
				    "zipf or chase", c->file, i, p, yp->workload);
				return -EINVAL;
			}
			ph->accesses = yp->accesses;
			ph->write_pct = yp->write_pct;
			if (yp->theta) {
				ph->zipf_theta = strtod(yp->theta, &end);
				if (*end || !(ph->zipf_theta > 0 && ph->zipf_theta < 1)) {
					say(c, "%s: tasks[%u].phases[%u].theta: '%s' is not in (0, 1)", c->file, i,
					    p, yp->theta);
					return -EINVAL;
				}
			}
		}
		for (unsigned int k = 0; k < repeat; k++) {
			if (n == HN_RUN_MAX_TASKS) {
				say(c, "%s: tasks[%u]: more than %d tasks in all", c->file, i, HN_RUN_MAX_TASKS);
				return -EINVAL;
			}
			sc->task[n] = t;
			sc->task[n++].cpu = yt->cpu + k;
		}
	}
	sc->nr_tasks = n;
	return 0;
}

int hn_scenario_load_yaml(const char *path, struct hn_scenario *sc, char *machine, size_t machine_len,
			  uint64_t *seed, const struct hn_log_sink *log)
{
	struct ctx c = { .log = log, .file = path };
	cyaml_config_t cfg = {
		.log_fn = cyaml_log_cb,
		.log_ctx = &c,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_WARNING,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	struct y_scenario *y = NULL;
	cyaml_err_t err;
	int ret;

	if (!path || !sc)
		return -EINVAL;
	err = cyaml_load_file(path, &cfg, &scenario_schema, (cyaml_data_t **)&y, NULL);
	if (err == CYAML_ERR_OOM)
		return -ENOMEM;
	if (err == CYAML_ERR_FILE_OPEN) {
		say(&c, "%s: cannot open the scenario file", path);
		return -ENOENT;
	}
	if (err != CYAML_OK || !y) {
		say(&c, "%s: %s", path, err != CYAML_OK ? (c.last[0] ? c.last : cyaml_strerror(err)) :
							    "empty document, expected 'tasks:'");
		return -EINVAL;
	}
	ret = build(&c, y, sc);
	if (!ret && machine && machine_len)
		snprintf(machine, machine_len, "%s", y->machine ? y->machine : "");
	if (!ret && seed)
		*seed = y->seed;
	cyaml_free(&cfg, &scenario_schema, y, 0);
	return ret;
}
