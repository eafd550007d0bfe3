/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scenario_yaml.c - scenario files for `hnuma-sim run --scenario`
 * (docs/running.md gives the format and the bounds).
 *
 * One pass: ydoc_check() walks the document against the schema below, so
 * every key, kind and range is checked with its exact place before any
 * value is used, and each checked value lands here through set_value().
 * Then the tasks' repeat copies are expanded.  Every message has the form
 * "file:line:col: tasks[0].phases[1].accesses: '-5' is negative; expected
 * a whole number (1..1000000000000000)".
 *
 * What depends on the machine (does it have CPU 100000? node 5?) cannot be
 * known here: the positions of those values travel with the scenario
 * (struct hn_run_src), and hn_run() names them when it refuses one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hw.h>
#include <hnuma/log.h>
#include <hnuma/mempolicy.h>
#include <hnuma/run.h>

#include "util/util.h"
#include "util/ydoc.h"

enum {
	K_SCENARIO, K_MACHINE, K_SEED, K_EPOCH, K_COST_MODEL, K_TASKS,
	K_CPU, K_REPEAT, K_POLICY, K_WSS, K_ACCESS_SIZE, K_PHASES,
	K_WORKLOAD, K_ACCESSES, K_WRITE_PCT, K_THETA,
	K_MOVE_PAGES, K_MIGRATE_PAGES, K_MIGRATE_FROM, K_MIGRATE_TO, K_MBIND, K_MBIND_POLICY,
	K_MBIND_FLAGS,
	K_NR_IDS,
};

/* A phase is accesses (workload:) or one of these calls on the working set. */
#define PHASE_KINDS ((1u << K_WORKLOAD) | (1u << K_MOVE_PAGES) | (1u << K_MIGRATE_PAGES) | \
		     (1u << K_MBIND))
#define ACCESS_KEYS ((1u << K_ACCESSES) | (1u << K_WRITE_PCT) | (1u << K_THETA))

static const char *const workload_words[] = { "sequential", "uniform", "zipf", "chase", NULL };

static const struct ykey migrate_fields[] = {
	{ .key = "from", .type = YT_STR, .required = true, .min = 1, .max = 255,
	  .id = K_MIGRATE_FROM, .what = "nodes such as '0-1'" },
	{ .key = "to", .type = YT_STR, .required = true, .min = 1, .max = 255,
	  .id = K_MIGRATE_TO, .what = "nodes such as '2'" },
	{ .key = NULL },
};

static const struct ykey mbind_fields[] = {
	{ .key = "policy", .type = YT_STR, .required = true, .min = 1, .max = 255,
	  .id = K_MBIND_POLICY, .what = "a policy (default, local or MODE:NODES)" },
	{ .key = "flags", .type = YT_STR, .min = 1, .max = 255, .id = K_MBIND_FLAGS,
	  .what = "mbind flags: move, move-all, strict, comma-separated" },
	{ .key = NULL },
};

static const struct ykey phase_fields[] = {
	{ .key = "workload", .type = YT_WORD, .words = workload_words, .id = K_WORKLOAD },
	{ .key = "accesses", .type = YT_UINT, .min = 1, .max = HN_RUN_MAX_PHASE_ACCESSES,
	  .id = K_ACCESSES },
	{ .key = "write-pct", .type = YT_UINT, .min = 0, .max = 100, .id = K_WRITE_PCT },
	{ .key = "theta", .type = YT_REAL, .rmin = 0, .rmax = 1, .id = K_THETA },
	{ .key = "move-pages", .type = YT_UINT, .min = 0, .max = HN_RUN_MAX_NODES - 1,
	  .id = K_MOVE_PAGES },
	{ .key = "migrate-pages", .type = YT_MAP, .fields = migrate_fields, .id = K_MIGRATE_PAGES },
	{ .key = "mbind", .type = YT_MAP, .fields = mbind_fields, .id = K_MBIND },
	{ .key = NULL },
};

static const struct ykey phase_entry = { .type = YT_MAP, .fields = phase_fields };

static const struct ykey task_fields[] = {
	{ .key = "cpu", .type = YT_UINT, .required = true, .min = 0, .max = HN_MAX_CPUS - 1,
	  .id = K_CPU },
	{ .key = "repeat", .type = YT_UINT, .min = 1, .max = HN_RUN_MAX_TASKS, .id = K_REPEAT },
	{ .key = "policy", .type = YT_STR, .min = 1, .max = 255, .id = K_POLICY,
	  .what = "a policy (default, local or MODE:NODES)" },
	{ .key = "working-set", .type = YT_SIZE, .required = true, .min = 1,
	  .max = HN_RUN_MAX_WORKING_SET, .id = K_WSS },
	{ .key = "access-size", .type = YT_UINT, .min = 1, .max = 2u << 20, .id = K_ACCESS_SIZE },
	{ .key = "phases", .type = YT_SEQ, .required = true, .min = 1, .max = HN_RUN_MAX_PHASES,
	  .entry = &phase_entry, .id = K_PHASES },
	{ .key = NULL },
};

static const struct ykey task_entry = { .type = YT_MAP, .fields = task_fields };

static const struct ykey scenario_fields[] = {
	{ .key = "scenario", .type = YT_STR, .min = 1, .max = 63, .id = K_SCENARIO,
	  .what = "a name" },
	{ .key = "machine", .type = YT_STR, .min = 1, .max = 4095, .id = K_MACHINE,
	  .what = "a built-in machine or a machine file" },
	{ .key = "seed", .type = YT_UINT, .min = 0, .max = UINT64_MAX, .id = K_SEED },
	{ .key = "epoch-ns", .type = YT_UINT, .min = 1, .max = HN_RUN_MAX_EPOCH_NS, .id = K_EPOCH },
	{ .key = "cost-model", .type = YT_STR, .min = 1, .max = 63, .id = K_COST_MODEL,
	  .what = "the cost model's parts" },
	{ .key = "tasks", .type = YT_SEQ, .required = true, .min = 1, .max = HN_RUN_MAX_TASKS,
	  .entry = &task_entry, .id = K_TASKS },
	{ .key = NULL },
};

static const struct ykey scenario_schema = { .type = YT_MAP, .fields = scenario_fields };

/* The file's tasks before their repeat copies are made. */
struct load {
	struct hn_scenario *sc;		/* tasks[] holds the file's entries, in order */
	unsigned int repeat[HN_RUN_MAX_TASKS];
	unsigned int repeat_line[HN_RUN_MAX_TASKS], repeat_col[HN_RUN_MAX_TASKS];
	char machine[4096];
	uint64_t seed;
	/* the keys each phase has (1 << K_*), checked once the walk is done */
	uint32_t phase_keys[HN_RUN_MAX_TASKS][HN_RUN_MAX_PHASES];
};

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
		unsigned long a, b;

		if (*s < '0' || *s > '9')
			return -1;
		a = b = strtoul(s, &end, 10);
		if (a > 63)
			return -1;
		s = end;
		if (*s == '-') {
			if (s[1] < '0' || s[1] > '9')
				return -1;
			b = strtoul(++s, &end, 10);
			if (b > 63 || b < a)
				return -1;
			s = end;
		}
		for (unsigned long n = a; n <= b; n++)
			*mask |= 1UL << n;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -1;
	}
	return *mask ? 0 : -1;
}

/* "move", "move-all", "strict", comma-separated, into HN_MPOL_MF_* bits. */
static int parse_mbind_flags(const char *s, unsigned int *flags)
{
	static const struct {
		const char *word;
		unsigned int flag;
	} words[] = {
		{ "move", HN_MPOL_MF_MOVE },
		{ "move-all", HN_MPOL_MF_MOVE_ALL },
		{ "strict", HN_MPOL_MF_STRICT },
	};

	*flags = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		unsigned int i;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].word) == n && !strncmp(s, words[i].word, n))
				break;
		if (i == sizeof(words) / sizeof(words[0]))
			return -1;
		*flags |= words[i].flag;
		s += n;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

static int set_value(void *ctx, const struct ykey *k, const struct yval *v, char *why, size_t len)
{
	struct load *ld = ctx;
	struct hn_run_task *t = v->nidx ? &ld->sc->task[v->idx[0]] : NULL;
	struct hn_run_phase *ph = v->nidx > 1 ? &t->phase[v->idx[1]] : NULL;
	const char *list;

	switch (k->id) {
	case K_SCENARIO:
		hn_strlcpy(ld->sc->name, v->text, sizeof(ld->sc->name));
		break;
	case K_MACHINE:
		hn_strlcpy(ld->machine, v->text, sizeof(ld->machine));
		break;
	case K_SEED:
		ld->seed = v->u;
		break;
	case K_EPOCH:
		ld->sc->epoch_ns = v->u;
		break;
	case K_COST_MODEL:
		if (hn_cost_parse(v->text, &ld->sc->cost_parts)) {
			snprintf(why, len, "is not a cost model: expected static, full, or loaded, "
				 "links, memcache and llc joined by commas (docs/cost-model.md)");
			return -EINVAL;
		}
		break;
	case K_CPU:
		t->cpu = (unsigned int)v->u;
		t->src.cpu_line = (unsigned int)v->mark.line + 1;
		t->src.cpu_col = (unsigned int)v->mark.column + 1;
		break;
	case K_REPEAT:
		ld->repeat[v->idx[0]] = (unsigned int)v->u;
		ld->repeat_line[v->idx[0]] = (unsigned int)v->mark.line + 1;
		ld->repeat_col[v->idx[0]] = (unsigned int)v->mark.column + 1;
		break;
	case K_POLICY:
		if (hn_mpol_parse_spec(v->text, &t->policy, &list)) {
			snprintf(why, len, "is not a policy: expected default, local or MODE:NODES "
				 "(bind, interleave, preferred, preferred-many, weighted; e.g. bind:0-1)");
			return -EINVAL;
		}
		if (list && parse_nodes(list, &t->nodes)) {
			snprintf(why, len, "has no usable node list: expected nodes 0-63 such as "
				 "'0-3,5' or 'all' after the colon");
			return -EINVAL;
		}
		t->src.policy_line = (unsigned int)v->mark.line + 1;
		t->src.policy_col = (unsigned int)v->mark.column + 1;
		break;
	case K_WSS:
		t->working_set = v->u;
		t->src.working_set_line = (unsigned int)v->mark.line + 1;
		t->src.working_set_col = (unsigned int)v->mark.column + 1;
		break;
	case K_ACCESS_SIZE:
		if (!hn_is_power_of_2(v->u)) {
			snprintf(why, len, "is not a power of two (1..2097152, at most the page size)");
			return -EINVAL;
		}
		t->access_size = (unsigned int)v->u;
		break;
	case K_WORKLOAD:
		ph->action = HN_RUN_ACCESSES;
		ph->kind = (enum hn_workload_kind)v->word;
		break;
	case K_ACCESSES:
		ph->accesses = v->u;
		break;
	case K_WRITE_PCT:
		ph->write_pct = (unsigned int)v->u;
		break;
	case K_THETA:
		ph->zipf_theta = v->r;
		break;
	case K_MOVE_PAGES:
		ph->action = HN_RUN_MOVE_PAGES;
		ph->node = (int)v->u;
		break;
	case K_MIGRATE_FROM:
	case K_MIGRATE_TO:
		ph->action = HN_RUN_MIGRATE_PAGES;
		if (parse_nodes(v->text, k->id == K_MIGRATE_FROM ? &ph->from : &ph->to)) {
			snprintf(why, len, "is not a node list: expected nodes 0-63 such as '0-3,5' or 'all'");
			return -EINVAL;
		}
		break;
	case K_MBIND_POLICY:
		ph->action = HN_RUN_MBIND;
		if (hn_mpol_parse_spec(v->text, &ph->policy, &list)) {
			snprintf(why, len, "is not a policy: expected default, local or MODE:NODES "
				 "(bind, interleave, preferred, preferred-many, weighted; e.g. bind:0-1)");
			return -EINVAL;
		}
		if (list && parse_nodes(list, &ph->nodes)) {
			snprintf(why, len, "has no usable node list: expected nodes 0-63 such as "
				 "'0-3,5' or 'all' after the colon");
			return -EINVAL;
		}
		break;
	case K_MBIND_FLAGS:
		if (parse_mbind_flags(v->text, &ph->mbind_flags)) {
			snprintf(why, len, "is not a list of mbind flags: expected move, move-all and "
				 "strict, comma-separated");
			return -EINVAL;
		}
		break;
	default:
		break;
	}
	if (ph) {
		int id = k->id == K_MIGRATE_FROM || k->id == K_MIGRATE_TO ? K_MIGRATE_PAGES :
			 k->id == K_MBIND_POLICY || k->id == K_MBIND_FLAGS ? K_MBIND : k->id;

		ld->phase_keys[v->idx[0]][v->idx[1]] |= 1u << id;
		if (v->idx[1] + 1 > t->nr_phases)
			t->nr_phases = (unsigned int)v->idx[1] + 1;
	}
	if (t && v->idx[0] + 1 > ld->sc->nr_tasks)
		ld->sc->nr_tasks = (unsigned int)v->idx[0] + 1;
	return 0;
}

/*
 * Each phase is one thing: accesses (workload and accesses, with write-pct
 * and theta if wanted) or one call (move-pages, migrate-pages, mbind).
 */
static int check_phases(struct ydoc *d, const struct load *ld)
{
	static const char *const kind_key[K_NR_IDS] = {
		[K_WORKLOAD] = "workload", [K_MOVE_PAGES] = "move-pages",
		[K_MIGRATE_PAGES] = "migrate-pages", [K_MBIND] = "mbind",
	};

	for (unsigned int i = 0; i < ld->sc->nr_tasks; i++) {
		for (unsigned int j = 0; j < ld->sc->task[i].nr_phases; j++) {
			uint32_t keys = ld->phase_keys[i][j], kinds = keys & PHASE_KINDS;
			char path[48];
			int a = -1, b = -1;

			snprintf(path, sizeof(path), "tasks[%u].phases[%u]", i, j);
			for (int id = 0; id < K_NR_IDS; id++) {
				if (!(kinds & (1u << id)))
					continue;
				if (a < 0)
					a = id;
				else if (b < 0)
					b = id;
			}
			if (a < 0) {
				yerr(d, path, "a phase needs one of 'workload', 'move-pages', "
				     "'migrate-pages' or 'mbind'");
				return -EINVAL;
			}
			if (b >= 0) {
				yerr(d, path, "'%s' and '%s' in one phase: a phase does one thing",
				     kind_key[a], kind_key[b]);
				return -EINVAL;
			}
			if (a == K_WORKLOAD && !(keys & (1u << K_ACCESSES))) {
				yerr(d, path, "missing required key 'accesses' (a workload phase's length)");
				return -EINVAL;
			}
			if (a != K_WORKLOAD && (keys & ACCESS_KEYS)) {
				yerr(d, path, "'accesses', 'write-pct' and 'theta' go with 'workload', "
				     "not with '%s'", kind_key[a]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Each entry's repeat copies, on the CPUs after its own. */
static int expand(struct ydoc *d, struct load *ld)
{
	struct hn_scenario *sc = ld->sc;
	unsigned int entries = sc->nr_tasks, n = 0;
	struct hn_run_task *t;

	for (unsigned int i = 0; i < entries; i++)
		n += ld->repeat[i] ? ld->repeat[i] : 1;
	if (n > HN_RUN_MAX_TASKS) {
		unsigned int i = entries - 1, sum = 0;

		/* blame the entry whose copies cross the limit */
		for (unsigned int j = 0; j < entries; j++) {
			sum += ld->repeat[j] ? ld->repeat[j] : 1;
			if (sum > HN_RUN_MAX_TASKS) {
				i = j;
				break;
			}
		}
		if (ld->repeat[i])
			ylog(d->log, HN_LOG_ERR, "%s:%u:%u: tasks[%u].repeat: '%u' makes %u tasks in all; "
			     "a scenario has at most %d", d->file, ld->repeat_line[i], ld->repeat_col[i],
			     i, ld->repeat[i], n, HN_RUN_MAX_TASKS);
		else
			yerr(d, "tasks", "%u tasks in all after 'repeat'; a scenario has at most %d", n,
			     HN_RUN_MAX_TASKS);
		return -EINVAL;
	}
	t = malloc(entries * sizeof(*t));
	if (!t)
		return -ENOMEM;
	memcpy(t, sc->task, entries * sizeof(*t));
	n = 0;
	for (unsigned int i = 0; i < entries; i++) {
		unsigned int copies = ld->repeat[i] ? ld->repeat[i] : 1;

		for (unsigned int k = 0; k < copies; k++) {
			sc->task[n] = t[i];
			sc->task[n].cpu = t[i].cpu + k;
			sc->task[n].src.entry = i;
			sc->task[n++].src.copy = k;
		}
	}
	sc->nr_tasks = n;
	free(t);
	return 0;
}

static int load_text(const char *file, const char *text, size_t len, struct hn_scenario *sc,
		     char *machine, size_t machine_len, uint64_t *seed, const struct hn_log_sink *log)
{
	struct ydoc *d = calloc(1, sizeof(*d));
	struct load *ld = calloc(1, sizeof(*ld));
	int ret;

	if (!d || !ld) {
		ret = -ENOMEM;
		goto out;
	}
	memset(sc, 0, sizeof(*sc));
	ld->sc = sc;
	d->file = file;
	d->text = text;
	d->len = len;
	d->log = log;
	d->walk.what = "scenario file";
	ret = ydoc_check(d, &scenario_schema, set_value, ld);
	if (!ret)
		ret = check_phases(d, ld);
	if (!ret)
		ret = expand(d, ld);
	if (ret) {
		memset(sc, 0, sizeof(*sc));
		goto out;
	}
	if (!sc->name[0])
		hn_strlcpy(sc->name, "scenario", sizeof(sc->name));
	hn_strlcpy(sc->src_file, file, sizeof(sc->src_file));
	if (machine && machine_len)
		hn_strlcpy(machine, ld->machine, machine_len);
	if (seed)
		*seed = ld->seed;
out:
	free(d);
	free(ld);
	return ret;
}

int hn_scenario_load_yaml(const char *path, struct hn_scenario *sc, char *machine, size_t machine_len,
			  uint64_t *seed, const struct hn_log_sink *log)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (!path || !sc)
		return -EINVAL;
	ret = ydoc_read_file(path, &buf, &len, log);
	if (ret)
		return ret;
	ret = load_text(path, buf, len, sc, machine, machine_len, seed, log);
	free(buf);
	return ret;
}

int hn_scenario_load_yaml_string(const char *name, const char *text, size_t len,
				 struct hn_scenario *sc, char *machine, size_t machine_len,
				 uint64_t *seed, const struct hn_log_sink *log)
{
	if (!text || !sc)
		return -EINVAL;
	if (!name)
		name = "<string>";
	if (len > YAML_MAX_BYTES) {
		ylog(log, HN_LOG_ERR, "%s: %zu bytes is more than the %u MiB limit", name, len,
		     YAML_MAX_BYTES >> 20);
		return -EFBIG;
	}
	return load_text(name, text, len, sc, machine, machine_len, seed, log);
}
