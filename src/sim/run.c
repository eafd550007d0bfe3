/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run.c - workloads on simulated tasks, timed by the cost model
 * (hnuma/run.h says what is measured and how).
 *
 * The loop: every task has a simulated clock; the task with the lowest
 * clock (the lowest pid on a tie) makes one access, whose cost advances its
 * clock.  An access is a page touch through the task's address space (so
 * first touches fault through the policy) and a charge from the cost
 * matrix built once from the machine's HMAT figures.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/cost.h>
#include <hnuma/hw.h>
#include <hnuma/mempolicy.h>
#include <hnuma/migrate.h>
#include <hnuma/numa.h>
#include <hnuma/run.h>

#include "core/mmzone.h"
#include "core/vmstat.h"
#include "hw/cost.h"
#include "mempolicy/mpol.h"
#include "util/util.h"

#define FAULT_BASE_NS 1000	/* the kernel's anonymous fault path, est. */
#define PROGRESS_EVERY 65536

static const char *const kind_names[HN_WL_NR_KINDS] = {
	[HN_WL_SEQUENTIAL] = "sequential",
	[HN_WL_UNIFORM] = "uniform",
	[HN_WL_ZIPF] = "zipf",
	[HN_WL_CHASE] = "chase",
};

const char *hn_workload_name(enum hn_workload_kind k)
{
	return (unsigned int)k < HN_WL_NR_KINDS ? kind_names[k] : NULL;
}

int hn_workload_parse(const char *name, enum hn_workload_kind *out)
{
	if (!name || !out)
		return -EINVAL;
	for (int k = 0; k < HN_WL_NR_KINDS; k++) {
		if (!strcmp(name, kind_names[k])) {
			*out = (enum hn_workload_kind)k;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- the cost model ------------------------------------------------------ */

struct cost {
	int nr;
	struct hn_cost_model *cm;	/* hnuma/cost.h: prices every access */
	uint64_t t0;		/* the instance's clock when the run began */
	/* migration: the engine's totals as last seen, and the node pairs' at the start */
	struct hn_migration_stats seen;
	uint64_t *pair_pages0, *pair_ns0;	/* [src * nr + dst] */
};

static void cost_free(struct cost *c)
{
	hn_cost_free(c->cm);
	free(c->pair_pages0);
	free(c->pair_ns0);
}

static int cost_init(struct hn_sim *sim, uint64_t epoch_ns, unsigned int parts, struct cost *c)
{
	int n = sim->nr_node_ids, ret;

	memset(c, 0, sizeof(*c));
	c->nr = n;
	c->t0 = sim->clock_ns;
	c->pair_pages0 = calloc((size_t)n * (size_t)n, sizeof(uint64_t));
	c->pair_ns0 = calloc((size_t)n * (size_t)n, sizeof(uint64_t));
	ret = c->pair_pages0 && c->pair_ns0 ? hn_cost_new(&c->cm, hn_sim_machine(sim), parts, epoch_ns) :
					      -ENOMEM;
	if (ret) {
		cost_free(c);
		return ret == -EINVAL ? -EINVAL : -ENOMEM;
	}
	hn_sim_migration_stats(sim, &c->seen);
	for (int i = 0; i < n * n; i++)
		hn_sim_migration_pair(sim, i / n, i % n, &c->pair_pages0[i], &c->pair_ns0[i]);
	return 0;
}

/* ---- the generators -------------------------------------------------------- */

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rand01(uint64_t *s)
{
	return (double)(next_rand(s) >> 11) * (1.0 / 9007199254740992.0);
}

struct trun {
	struct hn_task *t;
	const struct hn_run_task *d;
	struct hn_run_task_result *res;
	int node;
	uint64_t base, pages, slots;	/* the working set */
	unsigned int size, shift;
	unsigned int phase;
	uint64_t done;			/* accesses made in the phase */
	uint64_t clock;			/* ns */
	uint64_t rng;
	double clock_frac;		/* the sub-ns part of the clock */
	/* ZIPF */
	double zetan, alpha, eta, theta, half_pow;
	/* CHASE */
	uint64_t *next, cur;
	bool finished;
};

/* Gray et al.'s zipfian generator: the phase's constants over @n pages. */
static void zipf_prepare(struct trun *r, double theta)
{
	double zeta2 = 1.0 + pow(0.5, theta);

	r->theta = theta;
	r->zetan = 0;
	for (uint64_t i = 1; i <= r->pages; i++)
		r->zetan += pow((double)i, -theta);
	r->alpha = 1.0 / (1.0 - theta);
	r->eta = (1.0 - pow(2.0 / (double)r->pages, 1.0 - theta)) / (1.0 - zeta2 / r->zetan);
	r->half_pow = 1.0 + pow(0.5, theta);
}

static uint64_t zipf_page(struct trun *r)
{
	double u = rand01(&r->rng), uz = u * r->zetan;
	uint64_t rank;

	if (uz < 1.0)
		return 0;
	if (uz < r->half_pow)
		return r->pages > 1 ? 1 : 0;
	rank = (uint64_t)((double)r->pages * pow(r->eta * u - r->eta + 1.0, r->alpha));
	return rank < r->pages ? rank : r->pages - 1;
}

/* Sattolo's algorithm: one random cycle through every page. */
static int chase_prepare(struct trun *r)
{
	free(r->next);
	r->next = malloc(r->pages * sizeof(*r->next));
	if (!r->next)
		return -ENOMEM;
	for (uint64_t i = 0; i < r->pages; i++)
		r->next[i] = i;
	for (uint64_t i = r->pages - 1; i > 0; i--) {
		uint64_t j = next_rand(&r->rng) % i, tmp = r->next[i];

		r->next[i] = r->next[j];
		r->next[j] = tmp;
	}
	r->cur = 0;
	return 0;
}

static int enter_phase(struct trun *r)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];

	r->done = 0;
	if (p->action != HN_RUN_ACCESSES)
		return 0;	/* a call: made when the task's turn comes (step()) */
	if (p->kind == HN_WL_ZIPF)
		zipf_prepare(r, p->zipf_theta > 0 ? p->zipf_theta : 0.99);
	if (p->kind == HN_WL_CHASE)
		return chase_prepare(r);
	return 0;
}

/* The address of the phase's next access. */
static uint64_t next_addr(struct trun *r)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];
	uint64_t slots_per_page = r->slots / r->pages, page, slot;

	switch (p->kind) {
	case HN_WL_SEQUENTIAL:
		return r->base + (r->done % r->slots) * r->size;
	case HN_WL_UNIFORM:
		return r->base + (next_rand(&r->rng) % r->slots) * r->size;
	case HN_WL_ZIPF:
		page = zipf_page(r);
		slot = slots_per_page ? next_rand(&r->rng) % slots_per_page : 0;
		return r->base + (page << r->shift) + slot * r->size;
	case HN_WL_CHASE:
	default:
		r->cur = r->next[r->cur];
		return r->base + (r->cur << r->shift);
	}
}

/* ---- the run ------------------------------------------------------------------ */

static void node_numa_counts(const struct hn_sim *sim, uint64_t *hit, uint64_t *miss)
{
	for (int nid = 0; nid < sim->nr_node_ids && nid < HN_RUN_MAX_NODES; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		hit[nid] = miss[nid] = 0;
		for (int z = 0; pgdat && z < HN_MAX_NR_ZONES; z++) {
			hit[nid] += zone_numa_event_state(&pgdat->node_zones[z], NUMA_HIT);
			miss[nid] += zone_numa_event_state(&pgdat->node_zones[z], NUMA_MISS);
			for_each_attr_zone(&pgdat->node_zones[z], az, i) {
				hit[nid] += zone_numa_event_state(az, NUMA_HIT);
				miss[nid] += zone_numa_event_state(az, NUMA_MISS);
			}
		}
	}
}

/*
 * A refusal of task @i's @key, as one log line: "file:line:col: tasks[E].key:
 * ..." when the scenario came from a file and the position is known,
 * "tasks[I].key: ..." otherwise.
 */
static void task_err(struct hn_sim *sim, const struct hn_scenario *sc, unsigned int i,
		     const char *key, unsigned int line, unsigned int col, const char *fmt, ...)
	HN_PRINTF(7, 8);

static void task_err(struct hn_sim *sim, const struct hn_scenario *sc, unsigned int i,
		     const char *key, unsigned int line, unsigned int col, const char *fmt, ...)
{
	const struct hn_run_task *t = &sc->task[i];
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sc->src_file[0] && line)
		hn_logf(&sim->log, HN_LOG_ERR, "%.256s:%u:%u: tasks[%u].%s: %s%s", sc->src_file, line,
			col, t->src.entry, key, msg,
			t->src.copy ? " (a copy made by 'repeat')" : "");
	else
		hn_logf(&sim->log, HN_LOG_ERR, "%s%stasks[%u].%s: %s", sc->src_file,
			sc->src_file[0] ? ": " : "", i, key, msg);
}

/* The machine's CPUs as a list ("0-55,112-167"), for messages. */
static void cpu_list(const struct hn_sim *sim, char *buf, size_t len)
{
	uint64_t bits[HN_MAX_CPUS / 64] = { 0 };

	for (unsigned int c = 0; c < sim->nr_cpu_ids && c < HN_MAX_CPUS; c++)
		if (sim->cpu_to_node[c] >= 0)
			hn_bit_set(bits, c);
	hn_format_idlist(bits, HN_MAX_CPUS, buf, len);
}

static uint64_t scenario_accesses(const struct hn_scenario *sc)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < sc->nr_tasks; i++)
		for (unsigned int p = 0; p < sc->task[i].nr_phases && p < HN_RUN_MAX_PHASES; p++)
			if (sc->task[i].phase[p].action == HN_RUN_ACCESSES)
				total = sc->task[i].phase[p].accesses > UINT64_MAX - total ?
						UINT64_MAX : total + sc->task[i].phase[p].accesses;
	return total;
}

static int check_scenario(struct hn_sim *sim, const struct hn_scenario *sc, uint64_t limit)
{
	char cpus[256];
	uint64_t total;

	if (!sc->nr_tasks || sc->nr_tasks > HN_RUN_MAX_TASKS) {
		hn_logf(&sim->log, HN_LOG_ERR, "%s%s%u tasks: a scenario has 1..%d", sc->src_file,
			sc->src_file[0] ? ": " : "", sc->nr_tasks, HN_RUN_MAX_TASKS);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < sc->nr_tasks; i++) {
		const struct hn_run_task *d = &sc->task[i];

		if (d->cpu >= sim->nr_cpu_ids || sim->cpu_to_node[d->cpu] < 0) {
			cpu_list(sim, cpus, sizeof(cpus));
			task_err(sim, sc, i, "cpu", d->src.cpu_line, d->src.cpu_col,
				 "'%u' is not a CPU of machine '%s' (its CPUs: %s)", d->cpu,
				 hn_machine_name(hn_sim_machine(sim)), cpus);
			return -EINVAL;
		}
		if (!d->working_set) {
			task_err(sim, sc, i, "working-set", 0, 0, "'0' is empty");
			return -EINVAL;
		}
		if (!d->nr_phases || d->nr_phases > HN_RUN_MAX_PHASES) {
			task_err(sim, sc, i, "phases", 0, 0, "%u phases: a task has 1..%d",
				 d->nr_phases, HN_RUN_MAX_PHASES);
			return -EINVAL;
		}
		if (d->access_size && (d->access_size > sim->page_size ||
				       (d->access_size & (d->access_size - 1)))) {
			task_err(sim, sc, i, "access-size", 0, 0,
				 "'%u' is not a power of two up to the page size (%" PRIu64 ")",
				 d->access_size, sim->page_size);
			return -EINVAL;
		}
		for (unsigned int p = 0; p < d->nr_phases; p++) {
			const struct hn_run_phase *ph = &d->phase[p];
			char key[32];

			snprintf(key, sizeof(key), "phases[%u]", p);
			if ((unsigned int)ph->action >= HN_RUN_NR_ACTIONS) {
				task_err(sim, sc, i, key, 0, 0, "action %d: expected accesses, "
					 "move_pages, migrate_pages or mbind", (int)ph->action);
				return -EINVAL;
			}
			if (ph->action != HN_RUN_ACCESSES)
				continue;	/* the call itself judges its arguments */
			if ((unsigned int)ph->kind >= HN_WL_NR_KINDS || !ph->accesses ||
			    ph->write_pct > 100 ||
			    !(ph->zipf_theta >= 0 && ph->zipf_theta < 1)) {	/* NaN too */
				task_err(sim, sc, i, key, 0, 0,
					 "kind %d, %" PRIu64 " accesses, write share %u, theta %g: "
					 "expected a kind, 1 or more accesses, 0..100, [0, 1)",
					 (int)ph->kind, ph->accesses, ph->write_pct, ph->zipf_theta);
				return -EINVAL;
			}
		}
	}
	total = scenario_accesses(sc);
	if (total > limit) {
		hn_logf(&sim->log, HN_LOG_ERR,
			"%s%sthe scenario makes %" PRIu64 " accesses in all, more than the limit of %"
			PRIu64, sc->src_file, sc->src_file[0] ? ": " : "", total, limit);
		return -E2BIG;
	}
	return 0;
}

/* The nodes with memory as a list ("0-6"), for messages. */
static void memory_nodes(const struct hn_sim *sim, char *buf, size_t len)
{
	hn_format_idlist(sim->node_states[HN_N_MEMORY], (unsigned int)sim->nr_node_ids, buf, len);
}

static int setup_task(struct hn_sim *sim, const struct hn_scenario *sc, unsigned int i,
		      struct trun *r, struct hn_run_task_result *res, uint64_t seed)
{
	const struct hn_run_task *d = &sc->task[i];
	int ret = hn_task_create(sim, d->cpu, &r->t);

	if (ret)
		return ret;
	r->d = d;
	r->res = res;
	r->node = sim->cpu_to_node[d->cpu];
	r->shift = sim->page_shift;
	r->size = d->access_size ? d->access_size : 64;
	r->pages = (d->working_set + sim->page_size - 1) >> r->shift;
	r->slots = (r->pages << r->shift) / r->size;
	r->rng = seed ^ (0x5851f42d4c957f2dULL * (uint64_t)hn_task_pid(r->t));
	ret = hn_mmap(r->t, 0, r->pages << r->shift, HN_PROT_READ | HN_PROT_WRITE,
		      HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &r->base);
	if (ret == -ENOMEM) {
		char sz[32];

		task_err(sim, sc, i, "working-set", d->src.working_set_line, d->src.working_set_col,
			 "'%s' does not fit in the task's address space",
			 hn_size_word(d->working_set, "", sz, sizeof(sz)));
		return -EINVAL;
	}
	if (!ret && (d->policy & ~MPOL_MODE_FLAGS) != MPOL_DEFAULT) {
		ret = hn_mbind(r->t, r->base, r->pages << r->shift, d->policy, &d->nodes, 65, 0);
		if (ret == -EINVAL || ret == -EFAULT) {
			char nodes[128], mem[128];
			uint64_t mask = d->nodes;

			hn_format_idlist(&mask, 64, nodes, sizeof(nodes));
			memory_nodes(sim, mem, sizeof(mem));
			task_err(sim, sc, i, "policy", d->src.policy_line, d->src.policy_col,
				 "mbind() refuses mode %d with nodes '%s' on this machine "
				 "(its nodes with memory: %s)", d->policy & ~MPOL_MODE_FLAGS, nodes, mem);
			return -EINVAL;
		}
	}
	if (ret)
		return ret;
	res->pid = hn_task_pid(r->t);
	res->cpu = d->cpu;
	res->node = r->node;
	return enter_phase(r);
}

/* A task's clock: whole ns and the fraction below. */
struct clock {
	uint64_t ns;
	double frac;
};

static void advance(struct clock *k, double ns)
{
	k->frac += ns;
	k->ns += (uint64_t)k->frac;
	k->frac -= (double)(uint64_t)k->frac;
}

/*
 * The instance's clock follows the task that runs (the one with the
 * lowest clock, so it only moves forward): trace events carry simulated
 * time, and the kernel threads due meanwhile (kcompactd) run first.
 */
static void sim_time(struct hn_sim *sim, struct cost *c, uint64_t now)
{
	if (now <= sim->clock_ns)
		return;
	if (sim->daemon_next_ns > now) {
		sim->clock_ns = now;	/* nothing due: hn_sim_advance() would do only this */
		return;
	}
	hn_sim_advance(sim, now - sim->clock_ns);
	/* what the daemons moved is nobody's task's */
	hn_sim_migration_stats(sim, &c->seen);
}

/*
 * What migration cost the task since @charged (sim->charged_ns, which the
 * migration engine grows), and the pages it moved since c->seen: onto its
 * clock and into its result.
 */
static void migration_charge(struct hn_sim *sim, struct cost *c, uint64_t charged, struct clock *k,
			     struct hn_run_task_result *res)
{
	struct hn_migration_stats s1;
	uint64_t ns = sim->charged_ns - charged;

	if (!hn_sim_migration_stats(sim, &s1)) {
		res->migrated += s1.succeeded - c->seen.succeeded;
		res->migrate_failed += s1.failed - c->seen.failed;
		c->seen = s1;
	}
	res->migrate_ns += ns;
	advance(k, (double)ns);
}

/*
 * One access of @size bytes at @addr by @t (on @node): the page is touched
 * (faulting it in when it must), the cost charged to @k and counted in @res.
 */
static int charge(struct hn_sim *sim, struct cost *c, struct hn_task *t, int node, uint64_t addr,
		  bool write, unsigned int size, struct clock *k, struct hn_run_task_result *res)
{
	uint64_t pfn;
	unsigned int flags = 0;
	bool fault = hn_task_pte(t, addr, &pfn, &flags) == -ENOENT || (write && (flags & HN_PTE_ZERO));
	int target, ret;
	double ns, queue;
	struct hn_cost_charge ch;
	uint64_t charged;

	sim_time(sim, c, c->t0 + k->ns);
	charged = sim->charged_ns;
	ret = hn_task_fault(t, addr, write);
	/* direct compaction in the fault's allocation moved pages: the task waited */
	if (sim->charged_ns != charged)
		migration_charge(sim, c, charged, k, res);
	if (ret)
		return ret;
	ret = hn_task_pte(t, addr, &pfn, &flags);
	if (ret)
		return ret;
	if (flags & HN_PTE_ZERO) {
		/* the zero page, cache-hot and local */
		target = node;
		while (target < c->nr && !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)target))
			target++;
		if (target >= c->nr)
			target = 0;
	} else {
		target = pfn_to_nid(sim, pfn);
	}
	if (fault) {
		double f = FAULT_BASE_NS + (double)sim->page_size / hn_cost_write_bw(c->cm, node, target);

		res->faults++;
		res->fault_ns += (uint64_t)f;
		advance(k, f);
	}
	hn_cost_access(c->cm, node, target, (pfn << sim->page_shift) | (addr & (sim->page_size - 1)),
		       write, size, k->ns, &ch);
	ns = ch.ns;
	queue = ch.queue_ns;
	res->llc_hits += ch.llc_hit;
	res->mc_hits += ch.memcache == 1;
	res->mc_misses += ch.memcache == 0;
	advance(k, ns);
	res->access_ns += (uint64_t)(ns + 0.5);
	res->queue_ns += (uint64_t)(queue + 0.5);
	res->accesses++;
	res->writes += write;
	if (target == node)
		res->local++;
	else
		res->remote++;
	if (target < HN_RUN_MAX_NODES)
		res->bytes[target] += size;
	return 0;
}

static int next_phase(struct trun *r)
{
	if (++r->phase == r->d->nr_phases) {
		r->finished = true;
		r->res->runtime_ns = r->clock;
		return 0;
	}
	return enter_phase(r);
}

#define MOVE_CHUNK 4096		/* pages per move_pages() call of a MOVE_PAGES phase */

/* move_pages() of every page of @r's working set to @nid, MOVE_CHUNK at a time. */
static int move_working_set(struct trun *r, int nid)
{
	uint64_t *pages = malloc(MOVE_CHUNK * sizeof(*pages));
	int *nodes = malloc(MOVE_CHUNK * sizeof(*nodes)), *status = malloc(MOVE_CHUNK * sizeof(*status));
	int ret = pages && nodes && status ? 0 : -ENOMEM;

	for (uint64_t first = 0; !ret && first < r->pages; first += MOVE_CHUNK) {
		unsigned long n = (unsigned long)HN_MIN(r->pages - first, (uint64_t)MOVE_CHUNK);

		for (unsigned long i = 0; i < n; i++) {
			pages[i] = r->base + ((first + i) << r->shift);
			nodes[i] = nid;
		}
		/* pages left behind (a positive count) are counted by the engine's totals */
		ret = hn_move_pages(r->t, n, pages, nodes, status, HN_MPOL_MF_MOVE);
		if (ret > 0)
			ret = 0;
	}
	free(pages);
	free(nodes);
	free(status);
	return ret;
}

/* A move_pages/migrate_pages/mbind phase: the call, its cost on the task's clock. */
static int run_call(struct hn_sim *sim, const struct hn_scenario *sc, unsigned int i,
		    struct cost *c, struct trun *r)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];
	struct clock k = { r->clock, r->clock_frac };
	uint64_t charged;
	char key[48];
	int ret;

	sim_time(sim, c, c->t0 + k.ns);
	hn_sim_migration_stats(sim, &c->seen);
	charged = sim->charged_ns;
	switch (p->action) {
	case HN_RUN_MOVE_PAGES:
		snprintf(key, sizeof(key), "phases[%u].move-pages", r->phase);
		ret = move_working_set(r, p->node);
		break;
	case HN_RUN_MIGRATE_PAGES:
		snprintf(key, sizeof(key), "phases[%u].migrate-pages", r->phase);
		ret = hn_migrate_pages(r->t, 65, &p->from, &p->to);
		if (ret > 0)
			ret = 0;
		break;
	case HN_RUN_MBIND:
	default:
		snprintf(key, sizeof(key), "phases[%u].mbind", r->phase);
		ret = hn_mbind(r->t, r->base, r->pages << r->shift, p->policy, &p->nodes, 65,
			       (int)p->mbind_flags);
		break;
	}
	migration_charge(sim, c, charged, &k, r->res);
	r->clock = k.ns;
	r->clock_frac = k.frac;
	if (ret == -EINVAL || ret == -ENODEV || ret == -EACCES || ret == -EIO || ret == -EFAULT) {
		char mem[128];

		memory_nodes(sim, mem, sizeof(mem));
		task_err(sim, sc, i, key, 0, 0, "the call fails: %s (the machine's nodes with memory: %s)",
			 hn_strerror(ret), mem);
		return -EINVAL;
	}
	return ret;
}

/* The next access of @r's workload, or the call its phase makes. */
static int step(struct hn_sim *sim, const struct hn_scenario *sc, struct cost *c, struct trun *r,
		unsigned int i)
{
	const struct hn_run_phase *p = &r->d->phase[r->phase];
	bool write;
	uint64_t addr;
	struct clock k = { r->clock, r->clock_frac };
	int ret;

	if (p->action != HN_RUN_ACCESSES) {
		ret = run_call(sim, sc, i, c, r);
		return ret ? ret : next_phase(r);
	}
	write = p->write_pct && next_rand(&r->rng) % 100 < p->write_pct;
	addr = next_addr(r);
	ret = charge(sim, c, r->t, r->node, addr, write, r->size, &k, r->res);
	r->clock = k.ns;
	r->clock_frac = k.frac;
	if (ret)
		return ret;
	if (++r->done == p->accesses)
		return next_phase(r);
	return 0;
}

/* Simulated memory ran out in a fault: say where, and what the user can change. */
static void exhausted(struct hn_sim *sim, const struct hn_scenario *sc, unsigned int i,
		      const struct trun *r)
{
	char sz[32];

	task_err(sim, sc, i, "working-set", r->d->src.working_set_line, r->d->src.working_set_col,
		 "simulated memory exhausted after %" PRIu64 " faults of '%s' (pid %d on cpu %u): "
		 "the nodes of its policy cannot hold it",
		 r->res->faults, hn_size_word(r->d->working_set, "", sz, sizeof(sz)),
		 r->res->pid, r->d->cpu);
}

/*
 * The end of a run, before the tasks exit: the node pairs pages moved
 * between during it, and with page contents on, the integrity check of
 * every page the tasks map.
 */
static void run_end(struct hn_sim *sim, const struct cost *c, struct hn_run_result *out)
{
	int n = c->nr;

	out->nr_migration = 0;
	for (int i = 0; i < n * n && out->nr_migration < HN_RUN_MAX_MIGRATION_PAIRS; i++) {
		uint64_t pages, ns;

		if (hn_sim_migration_pair(sim, i / n, i % n, &pages, &ns) || pages == c->pair_pages0[i])
			continue;
		out->migration[out->nr_migration++] = (struct hn_run_migration){
			.src = i / n, .dst = i % n, .pages = pages - c->pair_pages0[i],
			.copy_ns = ns - c->pair_ns0[i],
		};
	}
	if (out->cost_parts) {
		for (int nid = 0; nid < out->nr_nodes; nid++) {
			hn_cost_node_stats(c->cm, nid, &out->cost_node[nid]);
			hn_cost_llc_stats(c->cm, nid, &out->cost_llc[nid]);
		}
		out->nr_cost_links = 0;
		while (out->nr_cost_links < HN_RUN_MAX_LINKS &&
		       !hn_cost_link_stats(c->cm, (int)out->nr_cost_links,
					   &out->cost_link[out->nr_cost_links]))
			out->nr_cost_links++;
	}
	out->contents = sim->contents != NULL;
	if (out->contents)
		hn_sim_integrity(sim, &out->integrity_checked, &out->integrity_lost);
}

int hn_run(struct hn_sim *sim, const struct hn_scenario *sc, struct hn_run_result *out,
	   const struct hn_run_control *ctl)
{
	static const struct hn_run_control none;
	struct trun *r = NULL;
	struct cost c;
	uint64_t hit0[HN_RUN_MAX_NODES], miss0[HN_RUN_MAX_NODES], total, made = 0;
	unsigned int n;
	bool access;
	int ret;

	if (!sim || !sc || !out)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	if (!ctl)
		ctl = &none;
	ret = check_scenario(sim, sc, ctl->max_accesses ? ctl->max_accesses :
							  HN_RUN_DEFAULT_MAX_ACCESSES);
	if (ret)
		return ret;
	total = scenario_accesses(sc);
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", sc->name[0] ? sc->name : "scenario");
	out->seed = sim->cfg.seed;
	out->nr_tasks = n = sc->nr_tasks;
	out->nr_nodes = sim->nr_node_ids < HN_RUN_MAX_NODES ? sim->nr_node_ids : HN_RUN_MAX_NODES;
	out->planned = total;
	out->cost_parts = ctl->cost_set ? ctl->cost_parts : sc->cost_parts;
	out->cost_window_ns = sc->epoch_ns ? sc->epoch_ns : 1000;
	ret = cost_init(sim, out->cost_window_ns, out->cost_parts, &c);
	if (ret)
		return ret;
	r = calloc(n, sizeof(*r));
	if (!r) {
		cost_free(&c);
		return -ENOMEM;
	}
	node_numa_counts(sim, hit0, miss0);
	for (unsigned int i = 0; i < n && !ret; i++)
		ret = setup_task(sim, sc, i, &r[i], &out->task[i], sim->cfg.seed);
	while (!ret) {
		struct trun *next = NULL;

		for (unsigned int i = 0; i < n; i++)
			if (!r[i].finished && (!next || r[i].clock < next->clock))
				next = &r[i];
		if (!next)
			break;
		access = next->d->phase[next->phase].action == HN_RUN_ACCESSES;
		ret = step(sim, sc, &c, next, (unsigned int)(next - r));
		if (ret == -ENOSPC)
			exhausted(sim, sc, (unsigned int)(next - r), next);
		if (!ret && access && ctl->progress && ++made % PROGRESS_EVERY == 0 &&
		    ctl->progress(ctl->ctx, made, total))
			ret = -EINTR;
	}
	if (!ret || ret == -EINTR) {
		uint64_t hit1[HN_RUN_MAX_NODES], miss1[HN_RUN_MAX_NODES];

		node_numa_counts(sim, hit1, miss1);
		for (int nid = 0; nid < out->nr_nodes; nid++) {
			out->numa_hit[nid] = hit1[nid] - hit0[nid];
			out->numa_miss[nid] = miss1[nid] - miss0[nid];
		}
		for (unsigned int i = 0; i < n; i++) {
			/* a task stopped midway: its clock so far */
			if (!r[i].finished)
				out->task[i].runtime_ns = r[i].clock;
			if (out->task[i].runtime_ns > out->sim_ns)
				out->sim_ns = out->task[i].runtime_ns;
		}
		out->interrupted = ret == -EINTR;
		sim_time(sim, &c, c.t0 + out->sim_ns);
		run_end(sim, &c, out);
		if (!ret && ctl->progress)
			ctl->progress(ctl->ctx, total, total);
	}
	for (unsigned int i = 0; i < n; i++) {
		hn_task_destroy(r[i].t);
		free(r[i].next);
	}
	free(r);
	cost_free(&c);
	return ret;
}

/* ---- the demo -------------------------------------------------------------------- */

static void phase(struct hn_run_task *t, enum hn_workload_kind k, uint64_t accesses,
		  unsigned int write_pct)
{
	t->phase[t->nr_phases++] = (struct hn_run_phase){ .kind = k, .accesses = accesses,
							  .write_pct = write_pct };
}

int hn_scenario_demo(const struct hn_sim *sim, struct hn_scenario *sc)
{
	int cpu_node[2] = { -1, -1 }, far = -1;
	unsigned int cpu[2] = { 0, 0 };
	uint64_t far_size = 0;
	unsigned long all = 0;

	if (!sim || !sc)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	for (unsigned int c = 0; c < sim->nr_cpu_ids; c++) {
		int nid = sim->cpu_to_node[c];

		if (nid < 0)
			continue;
		if (cpu_node[0] < 0) {
			cpu_node[0] = nid;
			cpu[0] = c;
		} else if (cpu_node[1] < 0 && nid != cpu_node[0]) {
			cpu_node[1] = nid;
			cpu[1] = c;
		}
	}
	if (cpu_node[0] < 0)
		return -ENODEV;
	if (cpu_node[1] < 0) {
		cpu_node[1] = cpu_node[0];
		cpu[1] = cpu[0];
	}
	for (int nid = 0; nid < sim->nr_node_ids && nid < 64; nid++) {
		const struct hn_pglist_data *pgdat = NODE_DATA(sim, nid);

		if (!pgdat || !hn_bit_test(sim->node_states[HN_N_MEMORY], (unsigned int)nid))
			continue;
		all |= 1UL << nid;
		if (!pgdat->nr_cpus && pgdat->node_present_pages > far_size) {
			far = nid;
			far_size = pgdat->node_present_pages;
		}
	}
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "demo");
	/* socket 0: uniform reads and writes over 64 MiB of its own memory */
	sc->task[0] = (struct hn_run_task){ .cpu = cpu[0], .policy = MPOL_DEFAULT,
					    .working_set = 64ULL << 20 };
	phase(&sc->task[0], HN_WL_UNIFORM, 300000, 30);
	/* socket 1: a zipfian key-value load interleaved over every node with memory */
	sc->task[1] = (struct hn_run_task){ .cpu = cpu[1], .policy = MPOL_INTERLEAVE, .nodes = all,
					    .working_set = 128ULL << 20 };
	phase(&sc->task[1], HN_WL_ZIPF, 300000, 10);
	/* socket 0 again: a pointer chase bound to the far memory, then a sequential sweep */
	sc->task[2] = (struct hn_run_task){ .cpu = cpu[0] + (cpu[0] + 1 < sim->nr_cpu_ids &&
								sim->cpu_to_node[cpu[0] + 1] == cpu_node[0]),
					    .policy = far >= 0 ? MPOL_BIND : MPOL_DEFAULT,
					    .nodes = far >= 0 ? 1UL << far : 0,
					    .working_set = 32ULL << 20 };
	phase(&sc->task[2], HN_WL_CHASE, 200000, 0);
	phase(&sc->task[2], HN_WL_SEQUENTIAL, 200000, 50);
	sc->nr_tasks = 3;
	return 0;
}

/* ---- reports ----------------------------------------------------------------------- */

static uint64_t total_accesses(const struct hn_run_result *r)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < r->nr_tasks; i++)
		n += r->task[i].accesses;
	return n;
}

/* What migration did during the run, when it did anything: per task, then per node pair. */
static void write_migration_text(const struct hn_run_result *r, FILE *f)
{
	bool any = false;

	for (unsigned int i = 0; i < r->nr_tasks; i++)
		any |= r->task[i].migrated || r->task[i].migrate_failed || r->task[i].migrate_ns;
	if (any) {
		fprintf(f, "\nmigration per task\n%4s %10s %10s %11s\n", "pid", "moved", "failed",
			"migrate_ms");
		for (unsigned int i = 0; i < r->nr_tasks; i++)
			fprintf(f, "%4d %10" PRIu64 " %10" PRIu64 " %11.3f\n", r->task[i].pid,
				r->task[i].migrated, r->task[i].migrate_failed,
				(double)r->task[i].migrate_ns / 1e6);
	}
	if (!r->nr_migration)
		return;
	fprintf(f, "\npages moved per node pair\n%4s %4s %10s %11s\n", "from", "to", "pages",
		"copy_ms");
	for (unsigned int i = 0; i < r->nr_migration; i++)
		fprintf(f, "%4d %4d %10" PRIu64 " %11.3f\n", r->migration[i].src, r->migration[i].dst,
			r->migration[i].pages, (double)r->migration[i].copy_ns / 1e6);
}

/*
 * What the cost model saw, when a part of it was on: each node's memory
 * (how loaded, how slow), its memory-side cache, the links, the sockets'
 * last-level caches.
 */
static void write_cost_text(const struct hn_run_result *r, FILE *f)
{
	char parts[48];
	bool mc = false, llc = false;

	if (!r->cost_parts)
		return;
	fprintf(f, "\ncost model: %s, window %" PRIu64 " ns\n",
		hn_cost_name(r->cost_parts, parts, sizeof(parts)), r->cost_window_ns);
	fprintf(f, "%4s %10s %9s %9s %9s %10s %10s\n", "node", "accesses", "mean_ns", "util_avg",
		"util_max", "read_MB", "write_MB");
	for (int nid = 0; nid < r->nr_nodes; nid++) {
		const struct hn_cost_node_stats *s = &r->cost_node[nid];

		mc |= s->memcache;
		if (!s->accesses && !s->read_bytes && !s->write_bytes)
			continue;
		fprintf(f, "%4d %10" PRIu64 " %9.1f %8.1f%% %8.1f%% %10.2f %10.2f\n", nid, s->accesses,
			s->accesses ? s->latency_ns / (double)s->accesses : 0,
			s->accesses ? 100.0 * s->util_sum / (double)s->accesses : 0, 100.0 * s->util_max,
			(double)s->read_bytes / 1e6, (double)s->write_bytes / 1e6);
	}
	if (mc) {
		fprintf(f, "\nmemory-side caches\n%4s %10s %10s %7s %10s %10s\n", "node", "hits",
			"misses", "hit%", "fill_MB", "wback_MB");
		for (int nid = 0; nid < r->nr_nodes; nid++) {
			const struct hn_cost_node_stats *s = &r->cost_node[nid];
			uint64_t all = s->mc_hits + s->mc_misses;

			if (!s->memcache)
				continue;
			fprintf(f, "%4d %10" PRIu64 " %10" PRIu64 " %6.1f%% %10.2f %10.2f\n", nid,
				s->mc_hits, s->mc_misses, all ? 100.0 * (double)s->mc_hits / (double)all : 0,
				(double)s->mc_fill_bytes / 1e6, (double)s->mc_writeback_bytes / 1e6);
		}
	}
	if (r->nr_cost_links && (r->cost_parts & HN_COST_LINKS)) {
		fprintf(f, "\nlinks\n%-10s %4s %4s %10s %9s\n", "link", "from", "to", "MB", "util_max");
		for (unsigned int i = 0; i < r->nr_cost_links; i++) {
			const struct hn_cost_link_stats *l = &r->cost_link[i];

			for (int d = 0; d < 2; d++)
				if (l->bytes[d])
					fprintf(f, "%-10s %4d %4d %10.2f %8.1f%%\n", l->d.name,
						d ? l->d.b : l->d.a, d ? l->d.a : l->d.b,
						(double)l->bytes[d] / 1e6, 100.0 * l->util_max[d]);
		}
	}
	if (r->cost_parts & (HN_COST_LLC | HN_COST_MEMCACHE)) {
		fprintf(f, "\ncaches per task\n%4s %10s %7s %10s %10s %7s\n", "pid", "llc_hits", "llc%",
			"mc_hits", "mc_misses", "mc_hit%");
		for (unsigned int i = 0; i < r->nr_tasks; i++) {
			const struct hn_run_task_result *t = &r->task[i];
			uint64_t both = t->mc_hits + t->mc_misses;

			fprintf(f, "%4d %10" PRIu64 " %6.1f%% %10" PRIu64 " %10" PRIu64 " %6.1f%%\n", t->pid,
				t->llc_hits, t->accesses ? 100.0 * (double)t->llc_hits / (double)t->accesses : 0,
				t->mc_hits, t->mc_misses, both ? 100.0 * (double)t->mc_hits / (double)both : 0);
		}
	}
	for (int nid = 0; nid < r->nr_nodes; nid++)
		llc |= r->cost_llc[nid].present;
	if (llc) {
		fprintf(f, "\nlast-level caches\n%4s %12s %12s %7s %10s\n", "node", "hits", "misses",
			"hit%", "wback_MB");
		for (int nid = 0; nid < r->nr_nodes; nid++) {
			const struct hn_cost_llc_stats *l = &r->cost_llc[nid];
			uint64_t all = l->hits + l->misses;

			if (l->present)
				fprintf(f, "%4d %12" PRIu64 " %12" PRIu64 " %6.1f%% %10.2f\n", nid, l->hits,
					l->misses, all ? 100.0 * (double)l->hits / (double)all : 0,
					(double)l->writeback_bytes / 1e6);
		}
	}
}

int hn_run_write_text(const struct hn_run_result *r, FILE *f)
{
	if (!r || !f)
		return -EINVAL;
	fprintf(f, "run \"%s\", seed %" PRIu64 ": %u task%s, %" PRIu64 " accesses, %.3f ms simulated\n\n",
		r->name, r->seed, r->nr_tasks, r->nr_tasks == 1 ? "" : "s", total_accesses(r),
		(double)r->sim_ns / 1e6);
	fprintf(f, "%4s %4s %4s %10s %8s %11s %8s %7s %7s %7s\n", "pid", "cpu", "node", "accesses",
		"faults", "runtime_ms", "mean_ns", "fault%", "queue%", "local%");
	for (unsigned int i = 0; i < r->nr_tasks; i++) {
		const struct hn_run_task_result *t = &r->task[i];
		double rt = t->runtime_ns ? (double)t->runtime_ns : 1;

		fprintf(f, "%4d %4u %4d %10" PRIu64 " %8" PRIu64 " %11.3f %8.1f %7.1f %7.1f %7.1f\n", t->pid,
			t->cpu, t->node, t->accesses, t->faults, (double)t->runtime_ns / 1e6,
			t->accesses ? (double)t->access_ns / (double)t->accesses : 0,
			100.0 * (double)t->fault_ns / rt,
			t->access_ns ? 100.0 * (double)t->queue_ns / (double)t->access_ns : 0,
			t->accesses ? 100.0 * (double)t->local / (double)t->accesses : 0);
	}
	fprintf(f, "\nMB accessed per node\n%4s", "pid");
	for (int nid = 0; nid < r->nr_nodes; nid++) {
		char head[16];

		snprintf(head, sizeof(head), "node%d", nid);
		fprintf(f, " %11s", head);
	}
	fputc('\n', f);
	for (unsigned int i = 0; i < r->nr_tasks; i++) {
		fprintf(f, "%4d", r->task[i].pid);
		for (int nid = 0; nid < r->nr_nodes; nid++)
			fprintf(f, " %11.2f", (double)r->task[i].bytes[nid] / (1024.0 * 1024.0));
		fputc('\n', f);
	}
	fprintf(f, "\n%4s %10s %10s\n", "node", "numa_hit", "numa_miss");
	for (int nid = 0; nid < r->nr_nodes; nid++)
		fprintf(f, "%4d %10" PRIu64 " %10" PRIu64 "\n", nid, r->numa_hit[nid], r->numa_miss[nid]);
	write_migration_text(r, f);
	write_cost_text(r, f);
	if (r->interrupted && r->planned)
		fprintf(f, "\ninterrupted at %" PRIu64 " of %" PRIu64 " accesses\n", total_accesses(r),
			r->planned);
	else if (r->interrupted)
		fprintf(f, "\ninterrupted after %" PRIu64 " accesses\n", total_accesses(r));
	if (r->contents)
		fprintf(f, "\nintegrity: %" PRIu64 " pages checked, %" PRIu64 " lost\n",
			r->integrity_checked, r->integrity_lost);
	return ferror(f) ? -EIO : 0;
}

int hn_run_write_json(const struct hn_run_result *r, FILE *f)
{
	if (!r || !f)
		return -EINVAL;
	fputs("{\"scenario\":\"", f);
	/* a JSON string: quotes, backslashes and control characters escaped */
	for (const unsigned char *c = (const unsigned char *)r->name; *c && c < (const unsigned char *)r->name + sizeof(r->name); c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c < 0x20)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fprintf(f, "\",\"seed\":%" PRIu64 ",\"simulated_ns\":%" PRIu64 ",\"tasks\":[", r->seed, r->sim_ns);
	for (unsigned int i = 0; i < r->nr_tasks; i++) {
		const struct hn_run_task_result *t = &r->task[i];

		fprintf(f, "%s{\"pid\":%d,\"cpu\":%u,\"node\":%d,\"accesses\":%" PRIu64 ",\"writes\":%" PRIu64
			",\"faults\":%" PRIu64 ",\"runtime_ns\":%" PRIu64 ",\"access_ns\":%" PRIu64
			",\"fault_ns\":%" PRIu64 ",\"queue_ns\":%" PRIu64 ",\"local\":%" PRIu64
			",\"remote\":%" PRIu64 ",\"migrated\":%" PRIu64 ",\"migrate_failed\":%" PRIu64
			",\"migrate_ns\":%" PRIu64 ",\"bytes_per_node\":[",
			i ? "," : "", t->pid, t->cpu, t->node, t->accesses, t->writes, t->faults,
			t->runtime_ns, t->access_ns, t->fault_ns, t->queue_ns, t->local, t->remote,
			t->migrated, t->migrate_failed, t->migrate_ns);
		for (int nid = 0; nid < r->nr_nodes; nid++)
			fprintf(f, "%s%" PRIu64, nid ? "," : "", t->bytes[nid]);
		fprintf(f, "]}");
	}
	fprintf(f, "],\"nodes\":[");
	for (int nid = 0; nid < r->nr_nodes; nid++)
		fprintf(f, "%s{\"nid\":%d,\"numa_hit\":%" PRIu64 ",\"numa_miss\":%" PRIu64 "}", nid ? "," : "",
			nid, r->numa_hit[nid], r->numa_miss[nid]);
	fprintf(f, "],\"migration\":[");
	for (unsigned int i = 0; i < r->nr_migration; i++)
		fprintf(f, "%s{\"from\":%d,\"to\":%d,\"pages\":%" PRIu64 ",\"copy_ns\":%" PRIu64 "}",
			i ? "," : "", r->migration[i].src, r->migration[i].dst, r->migration[i].pages,
			r->migration[i].copy_ns);
	fprintf(f, "]");
	if (r->cost_parts) {
		char parts[48];

		fprintf(f, ",\"cost_model\":{\"parts\":\"%s\",\"window_ns\":%" PRIu64 ",\"nodes\":[",
			hn_cost_name(r->cost_parts, parts, sizeof(parts)), r->cost_window_ns);
		for (int nid = 0; nid < r->nr_nodes; nid++) {
			const struct hn_cost_node_stats *s = &r->cost_node[nid];

			fprintf(f, "%s{\"nid\":%d,\"accesses\":%" PRIu64 ",\"latency_ns\":%.1f,"
				"\"util_sum\":%.4f,\"util_max\":%.4f,\"read_bytes\":%" PRIu64
				",\"write_bytes\":%" PRIu64 ",\"mc_hits\":%" PRIu64 ",\"mc_misses\":%" PRIu64 "}",
				nid ? "," : "", nid, s->accesses, s->latency_ns, s->util_sum, s->util_max,
				s->read_bytes, s->write_bytes, s->mc_hits, s->mc_misses);
		}
		fprintf(f, "],\"links\":[");
		for (unsigned int i = 0; i < r->nr_cost_links; i++)
			fprintf(f, "%s{\"a\":%d,\"b\":%d,\"bytes\":[%" PRIu64 ",%" PRIu64 "]}",
				i ? "," : "", r->cost_link[i].d.a, r->cost_link[i].d.b,
				r->cost_link[i].bytes[0], r->cost_link[i].bytes[1]);
		fprintf(f, "]}");
	}
	if (r->contents)
		fprintf(f, ",\"integrity\":{\"checked\":%" PRIu64 ",\"lost\":%" PRIu64 "}",
			r->integrity_checked, r->integrity_lost);
	if (r->interrupted)
		fprintf(f, ",\"interrupted\":true,\"accesses\":%" PRIu64 ",\"planned\":%" PRIu64,
			total_accesses(r), r->planned);
	fprintf(f, "}\n");
	return ferror(f) ? -EIO : 0;
}

/* ---- trace replay -------------------------------------------------------------------- */

/*
 * Tasks and regions are found by name through hash tables, so a line costs
 * the same whatever the number of regions before it: a region lookup used
 * to scan every region, which made a 200,000-region trace quadratic.
 * Regions live in one array whose slots are reused (a free list), chained
 * in power-of-two buckets that double when the chains would grow past one
 * region a bucket on average.  Nothing is ordered by hash: the tables only
 * answer lookups, so the replay stays deterministic.
 */

#define REPLAY_LINE 1024
#define REPLAY_NAME 32
#define REPLAY_FIELDS 6
#define TASK_SLOTS 128		/* open addressing over task ids: twice HN_RUN_MAX_TASKS */

struct rtask {
	long id;
	struct hn_task *t;
	int node;
	struct clock k;
};

struct rregion {
	char name[REPLAY_NAME];
	int task;		/* index into the tasks; -1: a free slot */
	uint32_t hash;
	int32_t next;		/* the bucket's chain (or the free list); -1 ends it */
	uint64_t addr, len;
};

struct replay {
	struct hn_sim *sim;
	struct cost c;
	struct rtask task[HN_RUN_MAX_TASKS];
	unsigned int nr_tasks;
	uint8_t task_slot[TASK_SLOTS];	/* 1 + an index into task[]; 0: empty */
	struct rregion *rg;
	size_t used_rg, cap_rg;		/* slots handed out, slots allocated */
	int32_t free_rg;
	int32_t *bucket;
	size_t nbucket;			/* a power of two, or 0 before the first region */
	size_t nr_rg;			/* regions mapped */
	const char *file;		/* for messages */
	unsigned long line;
	const char *text;		/* the line being read, for columns */
	const char *directive;
	struct hn_run_result *out;
	const struct hn_run_control *ctl;
	uint64_t made;
};

static const char *const directives[] = { "task", "mmap", "mbind", "mpol", "munmap", "r", "w", NULL };

/*
 * One message, "file:line:col: directive.field: 'value' reason"; a NULL
 * @tok (a field that is missing) points at the end of the line.
 */
static int replay_error(struct replay *p, const char *field, const char *tok, const char *fmt, ...)
	HN_PRINTF(4, 5);

static int replay_error(struct replay *p, const char *field, const char *tok, const char *fmt, ...)
{
	char msg[384], quoted[96] = "";
	size_t col = tok ? (size_t)(tok - p->text) + 1 : strcspn(p->text, "\r\n") + 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (tok)
		snprintf(quoted, sizeof(quoted), "'%.64s' ", tok);
	hn_logf(&p->sim->log, HN_LOG_ERR, "%s:%lu:%zu: %s%s%s%s%s%s", p->file, p->line, col,
		p->directive ? p->directive : "", p->directive && field ? "." : "", field ? field : "",
		p->directive || field ? ": " : "", quoted, msg);
	return -EINVAL;
}

static uint32_t name_hash(int task, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)task;	/* FNV-1a */

	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h;
}

static unsigned int task_hash(long id)
{
	uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(x >> 57);		/* 0..127 */
}

static int find_task_id(const struct replay *p, long id)
{
	for (unsigned int i = task_hash(id), n = 0; n < TASK_SLOTS; i = (i + 1) % TASK_SLOTS, n++) {
		if (!p->task_slot[i])
			return -1;
		if (p->task[p->task_slot[i] - 1].id == id)
			return p->task_slot[i] - 1;
	}
	return -1;
}

static void add_task_id(struct replay *p, long id, unsigned int idx)
{
	unsigned int i = task_hash(id);

	while (p->task_slot[i])
		i = (i + 1) % TASK_SLOTS;
	p->task_slot[i] = (uint8_t)(idx + 1);
}

/* A task number as written: 0 or more, decimal.  -1 for anything else. */
static long task_number(const char *tok)
{
	char *end;
	long id;

	if (!tok || *tok < '0' || *tok > '9')
		return -1;
	errno = 0;
	id = strtol(tok, &end, 10);
	return errno || *end ? -1 : id;
}

static int find_region(const struct replay *p, int task, const char *name)
{
	uint32_t h;

	if (!p->nbucket)
		return -1;
	h = name_hash(task, name);
	for (int32_t i = p->bucket[h & (p->nbucket - 1)]; i >= 0; i = p->rg[i].next)
		if (p->rg[i].hash == h && p->rg[i].task == task && !strcmp(p->rg[i].name, name))
			return i;
	return -1;
}

static int rehash(struct replay *p, size_t nbucket)
{
	int32_t *b = malloc(nbucket * sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < nbucket; i++)
		b[i] = -1;
	for (size_t i = 0; i < p->used_rg; i++) {
		struct rregion *r = &p->rg[i];

		if (r->task < 0)
			continue;
		r->next = b[r->hash & (nbucket - 1)];
		b[r->hash & (nbucket - 1)] = (int32_t)i;
	}
	free(p->bucket);
	p->bucket = b;
	p->nbucket = nbucket;
	return 0;
}

/* A slot for a new region (not yet in a bucket); -ENOMEM. */
static int new_region(struct replay *p)
{
	int32_t i;

	if (p->free_rg >= 0) {
		i = p->free_rg;
		p->free_rg = p->rg[i].next;
		return i;
	}
	if (p->used_rg == INT32_MAX)
		return -ENOMEM;
	if (p->used_rg == p->cap_rg) {
		size_t cap = p->cap_rg ? 2 * p->cap_rg : 64;
		struct rregion *g = realloc(p->rg, cap * sizeof(*g));

		if (!g)
			return -ENOMEM;
		p->rg = g;
		p->cap_rg = cap;
	}
	return (int)p->used_rg++;
}

static int link_region(struct replay *p, int32_t i)
{
	struct rregion *r = &p->rg[i];
	size_t b;

	if (p->nr_rg + 1 > p->nbucket) {
		int task = r->task, ret;

		/* the rehash links every live region: not this one, linked below */
		r->task = -1;
		ret = rehash(p, p->nbucket ? 2 * p->nbucket : 64);
		r->task = task;
		if (ret)
			return ret;
	}
	b = r->hash & (p->nbucket - 1);
	r->next = p->bucket[b];
	p->bucket[b] = i;
	p->nr_rg++;
	return 0;
}

static void unlink_region(struct replay *p, int32_t i)
{
	int32_t *link = &p->bucket[p->rg[i].hash & (p->nbucket - 1)];

	while (*link != i)
		link = &p->rg[*link].next;
	*link = p->rg[i].next;
	p->rg[i].task = -1;
	p->rg[i].next = p->free_rg;
	p->free_rg = i;
	p->nr_rg--;
}

/* "bind:0-1", "interleave:all", "default", ...: the mode and, in @mask, the nodes. */
static int replay_policy(struct replay *p, const char *spec, int *mode, unsigned long *mask)
{
	struct hn_bitmask *b = NULL;
	const char *nodes, *colon;
	char mem[128];

	memset(mask, 0, HN_MAX_NUMNODES / 8);
	if (!spec)
		return replay_error(p, "policy", NULL, "missing: expected default, local or MODE:NODES");
	colon = strchr(spec, ':');
	if (colon && !colon[1])
		return replay_error(p, "policy", spec, "names no nodes after the colon (e.g. %.*s0-1)",
				    (int)(colon - spec + 1), spec);
	if (hn_mpol_parse_spec(spec, mode, &nodes)) {
		return replay_error(p, "policy", spec, "is not a policy: expected default, local or "
				    "MODE:NODES (bind, interleave, preferred, preferred-many, weighted; "
				    "e.g. interleave:0-1)");
	}
	if (!nodes)
		return 0;
	if (hn_parse_nodestring_all(p->sim, nodes, &b)) {
		memory_nodes(p->sim, mem, sizeof(mem));
		return replay_error(p, "policy", spec, "names nodes this machine cannot use "
				    "(its nodes with memory: %s)", mem);
	}
	for (unsigned int n = 0; n < HN_MAX_NUMNODES; n++)
		if (hn_bitmask_isbitset(b, n))
			mask[n / (8 * sizeof(long))] |= 1UL << (n % (8 * sizeof(long)));
	hn_bitmask_free(b);
	return 0;
}

/* A size or offset field: 0 with *v, or -EINVAL after a message. */
static int replay_number(struct replay *p, const char *field, const char *tok, const char *usage,
			 uint64_t *v)
{
	if (!tok)
		return replay_error(p, field, NULL, "missing: expected '%s'", usage);
	if (*tok == '-')
		return replay_error(p, field, tok, "is negative: expected a number of bytes "
				    "(e.g. 4096, 64K, 0x1000)");
	if (hn_parse_size(tok, v))
		return replay_error(p, field, tok, "is not a number of bytes (e.g. 4096, 64K, 0x1000)");
	return 0;
}

static int replay_task_line(struct replay *p, char **tok, int n)
{
	long id = task_number(tok[1]);
	struct rtask *t;
	uint64_t v;
	char cpus[256];
	int ret;

	if (!tok[1])
		return replay_error(p, "id", NULL, "missing: expected 'task ID cpu N'");
	if (id < 0)
		return replay_error(p, "id", tok[1], "is not a task number (0 or more)");
	if (!tok[2] || strcmp(tok[2], "cpu"))
		return replay_error(p, "cpu", tok[2], "expected the word 'cpu' ('task ID cpu N')");
	if (replay_number(p, "cpu", tok[3], "task ID cpu N", &v))
		return -EINVAL;
	if (n > 4)
		return replay_error(p, NULL, tok[4], "is one field too many: expected 'task ID cpu N'");
	if (v >= p->sim->nr_cpu_ids || p->sim->cpu_to_node[v] < 0) {
		cpu_list(p->sim, cpus, sizeof(cpus));
		return replay_error(p, "cpu", tok[3], "is not a CPU of machine '%s' (its CPUs: %s)",
				    hn_machine_name(hn_sim_machine(p->sim)), cpus);
	}
	if (find_task_id(p, id) >= 0)
		return replay_error(p, "id", tok[1], "is already a task");
	if (p->nr_tasks == HN_RUN_MAX_TASKS)
		return replay_error(p, "id", tok[1], "is one task too many: a trace has at most %d",
				    HN_RUN_MAX_TASKS);
	t = &p->task[p->nr_tasks];
	ret = hn_task_create(p->sim, (unsigned int)v, &t->t);
	if (ret)
		return ret;
	t->id = id;
	t->node = p->sim->cpu_to_node[v];
	p->out->task[p->nr_tasks] = (struct hn_run_task_result){ .pid = hn_task_pid(t->t),
								 .cpu = (unsigned int)v,
								 .node = t->node };
	add_task_id(p, id, p->nr_tasks);
	p->nr_tasks++;
	return 0;
}

static int replay_mmap(struct replay *p, int ti, char **tok, int n)
{
	struct rregion *r;
	uint64_t v;
	int i, ret;

	if (!tok[2])
		return replay_error(p, "region", NULL, "missing: expected 'mmap TASK REGION SIZE'");
	if (strlen(tok[2]) >= REPLAY_NAME)
		return replay_error(p, "region", tok[2], "is longer than %d characters",
				    REPLAY_NAME - 1);
	if (replay_number(p, "size", tok[3], "mmap TASK REGION SIZE", &v))
		return -EINVAL;
	if (!v)
		return replay_error(p, "size", tok[3], "is empty: a region has 1 byte or more");
	if (n > 4)
		return replay_error(p, NULL, tok[4], "is one field too many: expected "
				    "'mmap TASK REGION SIZE'");
	if (find_region(p, ti, tok[2]) >= 0)
		return replay_error(p, "region", tok[2], "is already mapped by task %s", tok[1]);
	i = new_region(p);
	if (i < 0)
		return i;
	r = &p->rg[i];
	hn_strlcpy(r->name, tok[2], sizeof(r->name));
	r->task = ti;
	r->len = v;
	r->hash = name_hash(ti, r->name);
	ret = hn_mmap(p->task[ti].t, 0, v, HN_PROT_READ | HN_PROT_WRITE,
		      HN_MAP_PRIVATE | HN_MAP_ANONYMOUS, &r->addr);
	if (!ret)
		ret = link_region(p, i);
	if (ret) {
		r->task = -1;
		r->next = p->free_rg;
		p->free_rg = i;
	}
	if (ret == -ENOMEM)
		return replay_error(p, "size", tok[3], "does not fit in the task's address space "
				    "(or the task has %s mappings already)", "65530");
	return ret;
}

static int replay_line(struct replay *p, char *line)
{
	char *save = NULL, *tok[REPLAY_FIELDS + 1] = { NULL };
	unsigned long mask[HN_MAX_NUMNODES / (8 * sizeof(unsigned long))];
	int n = 0, ti, ri, mode, ret;
	const char *near;
	struct rregion *r;
	uint64_t v, size = 64;

	p->text = line;
	p->directive = NULL;
	for (char *s = strtok_r(line, " \t\r\n", &save); s && n <= REPLAY_FIELDS;
	     s = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = s;
	if (!n || tok[0][0] == '#')
		return 0;
	for (int d = 0; directives[d]; d++)
		if (!strcmp(tok[0], directives[d]))
			p->directive = directives[d];
	if (!p->directive) {
		near = hn_nearest_word(tok[0], directives, SIZE_MAX);
		return replay_error(p, NULL, tok[0], "is not a directive (task, mmap, mbind, mpol, "
				    "munmap, r, w)%s%s%s", near ? "; did you mean '" : "",
				    near ? near : "", near ? "'?" : "");
	}
	if (n > REPLAY_FIELDS)
		return replay_error(p, NULL, tok[REPLAY_FIELDS], "is one field too many");
	if (!strcmp(tok[0], "task"))
		return replay_task_line(p, tok, n);
	if (!tok[1])
		return replay_error(p, "task", NULL, "missing: expected a task number");
	ti = find_task_id(p, task_number(tok[1]));
	if (ti < 0)
		return replay_error(p, "task", tok[1], "is not a task (declare it first: 'task %.32s "
				    "cpu N')", tok[1]);
	if (!strcmp(tok[0], "mmap"))
		return replay_mmap(p, ti, tok, n);
	if (!strcmp(tok[0], "mpol")) {
		if (replay_policy(p, tok[2], &mode, mask))
			return -EINVAL;
		if (n > 3)
			return replay_error(p, NULL, tok[3], "is one field too many: expected "
					    "'mpol TASK POLICY'");
		ret = hn_set_mempolicy(p->task[ti].t, mode, mask, HN_MAX_NUMNODES + 1);
		if (ret == -EINVAL)
			return replay_error(p, "policy", tok[2], "is refused by set_mempolicy() on "
					    "this machine");
		return ret;
	}
	if (!tok[2])
		return replay_error(p, "region", NULL, "missing: expected a region name");
	ri = find_region(p, ti, tok[2]);
	if (ri < 0)
		return replay_error(p, "region", tok[2], "is not a region of task %s (map it first: "
				    "'mmap %s %.32s SIZE')", tok[1], tok[1], tok[2]);
	r = &p->rg[ri];
	if (!strcmp(tok[0], "munmap")) {
		if (n > 3)
			return replay_error(p, NULL, tok[3], "is one field too many: expected "
					    "'munmap TASK REGION'");
		ret = hn_munmap(p->task[ti].t, r->addr, r->len);
		unlink_region(p, ri);
		return ret;
	}
	if (!strcmp(tok[0], "mbind")) {
		if (replay_policy(p, tok[3], &mode, mask))
			return -EINVAL;
		if (n > 4)
			return replay_error(p, NULL, tok[4], "is one field too many: expected "
					    "'mbind TASK REGION POLICY'");
		ret = hn_mbind(p->task[ti].t, r->addr, r->len, mode, mask, HN_MAX_NUMNODES + 1, 0);
		if (ret == -EINVAL)
			return replay_error(p, "policy", tok[3], "is refused by mbind() on this machine");
		return ret;
	}
	/* r or w */
	if (replay_number(p, "offset", tok[3], "r|w TASK REGION OFFSET [SIZE]", &v))
		return -EINVAL;
	if (v >= r->len)
		return replay_error(p, "offset", tok[3], "is outside region '%s' (0..%" PRIu64 ")",
				    r->name, r->len - 1);
	if (tok[4] && replay_number(p, "size", tok[4], "r|w TASK REGION OFFSET [SIZE]", &size))
		return -EINVAL;
	if (!size || size > p->sim->page_size)
		return replay_error(p, "size", tok[4], "is not 1..%" PRIu64 " bytes (at most a page)",
				    p->sim->page_size);
	if (n > 5)
		return replay_error(p, NULL, tok[5], "is one field too many: expected "
				    "'r|w TASK REGION OFFSET [SIZE]'");
	ret = charge(p->sim, &p->c, p->task[ti].t, p->task[ti].node, r->addr + v, tok[0][0] == 'w',
		     (unsigned int)size, &p->task[ti].k, &p->out->task[ti]);
	if (ret == -ENOSPC)
		replay_error(p, "offset", tok[3], "cannot be faulted in: simulated memory exhausted "
			     "(region '%s' of task %s)", r->name, tok[1]);
	if (!ret && p->ctl->progress && ++p->made % PROGRESS_EVERY == 0 &&
	    p->ctl->progress(p->ctl->ctx, p->made, 0))
		ret = -EINTR;
	return ret;
}

int hn_run_replay(struct hn_sim *sim, FILE *in, const char *name, struct hn_run_result *out,
		  const struct hn_run_control *ctl)
{
	static const struct hn_run_control none;
	struct replay *p;
	uint64_t hit0[HN_RUN_MAX_NODES], miss0[HN_RUN_MAX_NODES];
	char line[REPLAY_LINE];
	const char *base;
	int ret = 0;

	if (!sim || !in || !out)
		return -EINVAL;
	if (!sim->booted)
		return -EAGAIN;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (!name)
		name = "replay";
	base = strrchr(name, '/');
	base = base && base[1] ? base + 1 : name;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", base);
	out->seed = sim->cfg.seed;
	out->nr_nodes = sim->nr_node_ids < HN_RUN_MAX_NODES ? sim->nr_node_ids : HN_RUN_MAX_NODES;
	p->sim = sim;
	p->out = out;
	p->file = name;
	p->ctl = ctl ? ctl : &none;
	p->free_rg = -1;
	out->cost_parts = p->ctl->cost_set ? p->ctl->cost_parts : 0;
	out->cost_window_ns = 1000;
	ret = cost_init(sim, 1000, out->cost_parts, &p->c);
	if (ret) {
		free(p);
		return ret;
	}
	node_numa_counts(sim, hit0, miss0);
	while (!ret && fgets(line, sizeof(line), in)) {
		p->line++;
		if (!strchr(line, '\n') && !feof(in)) {
			hn_logf(&sim->log, HN_LOG_ERR, "%s:%lu:%d: the line is longer than %d characters",
				name, p->line, REPLAY_LINE, REPLAY_LINE - 1);
			ret = -EINVAL;
			break;
		}
		ret = replay_line(p, line);
	}
	if (!ret && ferror(in))
		ret = -EIO;
	if (!ret || ret == -EINTR) {
		uint64_t hit1[HN_RUN_MAX_NODES], miss1[HN_RUN_MAX_NODES];

		out->nr_tasks = p->nr_tasks;
		out->interrupted = ret == -EINTR;
		node_numa_counts(sim, hit1, miss1);
		for (int nid = 0; nid < out->nr_nodes; nid++) {
			out->numa_hit[nid] = hit1[nid] - hit0[nid];
			out->numa_miss[nid] = miss1[nid] - miss0[nid];
		}
		for (unsigned int i = 0; i < p->nr_tasks; i++) {
			out->task[i].runtime_ns = p->task[i].k.ns;
			if (p->task[i].k.ns > out->sim_ns)
				out->sim_ns = p->task[i].k.ns;
		}
		sim_time(sim, &p->c, p->c.t0 + out->sim_ns);
		run_end(sim, &p->c, out);
	}
	for (unsigned int i = 0; i < p->nr_tasks; i++)
		hn_task_destroy(p->task[i].t);
	free(p->rg);
	free(p->bucket);
	cost_free(&p->c);
	free(p);
	return ret;
}
