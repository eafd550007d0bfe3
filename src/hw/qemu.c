/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu.c - QEMU command lines as machine descriptions, in and out.
 *
 * DOC: what is understood (docs/machine-files.md has the full table)
 *
 *   -m [size=]SIZE[,slots=,maxmem=]      no suffix means MiB, as in QEMU
 *   -smp [cpus=]N[,maxcpus,sockets,dies,clusters,cores,threads]
 *   -object memory-backend-{ram,file,memfd},id=ID,size=SIZE   (bytes)
 *   -numa node[,nodeid][,cpus=A[-B]]...[,memdev=ID|,mem=SIZE][,initiator]
 *   -numa dist,src=,dst=,val=
 *   -numa cpu,node-id=[,socket-id,die-id,cluster-id,core-id,thread-id]
 *   -numa hmat-lb,initiator=,target=,hierarchy=,data-type=,latency=|bandwidth=
 *   -numa hmat-cache,node-id=,size=,level=,associativity=,policy=,line=
 *
 * Everything else on a QEMU line is skipped.  Where QEMU has a rule we
 * follow it and where it would refuse the line we refuse it too, with the
 * argument index: node ids must be 0..N-1, mem and memdev exclude each
 * other, node memory must add up to -m, a dist entry given one way holds
 * both ways, CPUs no option places go to node (socket-id % nodes) like
 * x86's default mapping, and with no memory on any node -m is split the
 * way numa_default_auto_assign_ram() did (8 MiB aligned, rest to the last).
 *
 * QEMU says nothing about device speeds.  Memory is DRAM at
 * QEMU_DRAM_LATENCY_NS / QEMU_DRAM_BW_MBPS unless hmat-lb gives figures for
 * the node from its local initiator (the node itself, or its initiator=),
 * which then become the device's own latency and bandwidth.
 *
 * Parsing is two-phase: the arguments are collected first, then resolved,
 * because QEMU accepts -smp after the -numa cpu lines that depend on it.
 */
#include "hw/machine.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define QEMU_DEFAULT_RAM (128 * HN_MiB)	/* x86 machines' default -m */
#define QEMU_RAM_ALIGN (8 * HN_KiB)		/* vl.c rounds -m up to this */
#define QEMU_SPLIT_ALIGN (8 * HN_MiB)		/* numa_mem_align_shift = 23 on x86 */
#define QEMU_DRAM_LATENCY_NS 100
#define QEMU_DRAM_BW_MBPS 20000
#define QEMU_ID_MAX 127
#define QEMU_VAL_MAX 255			/* longest option value we look at */
#define CPULIST_MAX (HN_MAX_CPUS * 6)		/* "0,2,4,..." at its longest */
/*
 * QEMU 7.2 has no initiator but CPUs (generic initiators came with 9.0's
 * acpi-generic-initiator object): the export gives a node whose initiator
 * is a GPU one stand-in vCPU and names its memory backend "gpuN", and the
 * import turns a node of exactly that shape (one CPU, backend "gpu" and
 * the node's id) back into the GPU initiator.
 */
#define GPU_MEMDEV_PREFIX "gpu"

enum q_lb_type {
	Q_ACCESS_LATENCY,
	Q_READ_LATENCY,
	Q_WRITE_LATENCY,
	Q_ACCESS_BANDWIDTH,
	Q_READ_BANDWIDTH,
	Q_WRITE_BANDWIDTH,
	Q_NR_LB_TYPES,
};

static const char *const lb_type_names[Q_NR_LB_TYPES] = {
	"access-latency", "read-latency", "write-latency",
	"access-bandwidth", "read-bandwidth", "write-bandwidth",
};

static const char *const hier_names[] = {
	"memory", "first-level", "second-level", "third-level",
};

static const char *const assoc_names[] = { "none", "direct", "complex" };
static const char *const policy_names[] = { "none", "write-back", "write-through" };

struct q_backend {
	char id[QEMU_ID_MAX + 1];
	uint64_t size;
	int argi;
	int used_by;		/* node id, or -1 */
};

struct q_node {
	bool present;
	bool has_mem;		/* mem= or memdev= */
	int argi;
	int backend;		/* resolved memdev=, or -1 */
	int initiator;		/* -1 if not given */
	uint64_t mem;
	char memdev[QEMU_ID_MAX + 1];
};

struct q_cpus {
	int node, argi;
	unsigned int lo, hi;
};

/* -numa cpu: -1 means "any". */
struct q_cpuopt {
	int node, argi;
	long socket, die, cluster, core, thread;
};

struct q_dist {
	int src, dst, val, argi;
};

struct q_lb {
	int initiator, target, hierarchy, argi;
	enum q_lb_type type;
	uint32_t value;		/* ns or MB/s */
};

struct q_cache {
	struct hn_memcache_desc d;
	int argi;
};

struct q_smp {
	bool given;
	int argi;
	unsigned long cpus, maxcpus, sockets, dies, clusters, cores, threads;
};

struct qctx {
	const struct hn_log_sink *log;
	const char *const *argv;
	uint64_t ram;
	int ram_argi;		/* -1 if no -m */
	struct q_smp smp;
	int nr_numa_nodes;	/* -numa node options seen, QEMU's nb_numa_nodes */
	struct q_node *nodes;	/* HN_MAX_NUMNODES entries */
	int16_t *cpu_node;	/* HN_MAX_CPUS entries, -1 = unplaced */
	struct q_backend *be;
	int nr_be, cap_be;
	struct q_cpus *cpus;
	int nr_cpus, cap_cpus;
	struct q_cpuopt *cpuopt;
	int nr_cpuopt, cap_cpuopt;
	struct q_dist *dist;
	int nr_dist, cap_dist;
	struct q_lb *lb;
	int nr_lb, cap_lb;
	struct q_cache *cache;
	int nr_cache, cap_cache;
};

static void qerr(const struct qctx *q, int argi, const char *fmt, ...) HN_PRINTF(3, 4);

/* "argv[5] 'node,nodeid=x': reason" - the index and text the user typed. */
static void qerr(const struct qctx *q, int argi, const char *fmt, ...)
{
	char msg[320], line[480];
	va_list ap;

	if (!q->log || !q->log->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (argi >= 0)
		snprintf(line, sizeof(line), "qemu: argv[%d] '%.96s': %s", argi, q->argv[argi],
			 msg);
	else
		snprintf(line, sizeof(line), "qemu: %s", msg);
	/* Arguments may hold anything; the sink was promised one line. */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	q->log->fn(q->log->ctx, HN_LOG_ERR, line);
}

static void *push(void *arrp, int *nr, int *cap, size_t sz)
{
	void **arr = arrp;
	char *p;

	if (*nr == *cap) {
		int ncap = *cap ? *cap * 2 : 8;

		p = realloc(*arr, (size_t)ncap * sz);
		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + (size_t)(*nr)++ * sz;
	memset(p, 0, sz);
	return p;
}

/* ------------------------------------------------------------------------ */
/* QemuOpts: "type,key=value,key=value" with ",," standing for a comma.     */
/* ------------------------------------------------------------------------ */

struct qopt {
	char key[32];
	char val[QEMU_VAL_MAX + 1];
	bool has_eq;
};

/* Returns 1 with @o filled, 0 at the end, -EINVAL for an oversized element. */
static int next_opt(const char **pp, struct qopt *o)
{
	const char *p = *pp;
	char buf[sizeof(o->key) + sizeof(o->val) + 1];
	size_t n = 0;
	char *eq;

	if (!*p)
		return 0;
	for (;;) {
		if (!*p)
			break;
		if (*p == ',') {
			if (p[1] != ',') {
				p++;
				break;
			}
			p++;	/* ",," is a literal comma */
		}
		if (n + 1 >= sizeof(buf))
			return -EINVAL;
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	*pp = p;
	eq = strchr(buf, '=');
	o->has_eq = eq != NULL;
	if (eq) {
		*eq = '\0';
		if (strlen(buf) >= sizeof(o->key) || strlen(eq + 1) >= sizeof(o->val))
			return -EINVAL;
		strcpy(o->key, buf);
		strcpy(o->val, eq + 1);
	} else {
		if (strlen(buf) >= sizeof(o->val))
			return -EINVAL;
		o->key[0] = '\0';
		strcpy(o->val, buf);
	}
	return 1;
}

/* Decimal or 0x-hex, at most @max: 0 or -EINVAL. */
static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
	return hn_parse_uint(s, max, false, out) ? -EINVAL : 0;
}

/*
 * A QEMU size: plain digits times @unit (MiB for -m and mem=, bytes
 * elsewhere), or a number with a suffix.  Like qemu_strtosz(), "1.5G" is
 * allowed when a suffix follows; the fraction of a byte is dropped.
 */
static int parse_qsize(const char *s, uint64_t unit, uint64_t *out)
{
	const char *dot = strchr(s, '.');
	uint64_t v;

	if (!*s)
		return -EINVAL;
	if (s[strspn(s, "0123456789")] == '\0') {
		if (parse_num(s, UINT64_MAX, &v) || (v && unit > UINT64_MAX / v))
			return -EINVAL;
		*out = v * unit;
		return 0;
	}
	if (dot) {
		uint64_t whole = 0, frac = 0, div = 1, mult;
		const char *p = s;
		char suffix[8];

		for (; *p >= '0' && *p <= '9'; p++) {
			if (whole > UINT64_MAX / 10 - 10)
				return -EINVAL;
			whole = whole * 10 + (uint64_t)(*p - '0');
		}
		if (p == s || *p != '.' || !(p[1] >= '0' && p[1] <= '9'))
			return -EINVAL;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (div < 1000000000ULL) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				div *= 10;
			}
		}
		snprintf(suffix, sizeof(suffix), "1%.5s", p);
		if (strlen(p) > 4 || hn_parse_size(suffix, &mult) || mult == 1)
			return -EINVAL;
		if (whole > UINT64_MAX / mult)
			return -EINVAL;
		v = whole * mult;
		/* frac < div <= 10^9 and mult <= 2^50: split to stay in 64 bits. */
		v += (mult / div) * frac + (mult % div) * frac / div;
		if (v < whole * mult)
			return -EINVAL;
		*out = v;
		return 0;
	}
	return hn_parse_size(s, out);
}

/* QEMU's id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
static bool id_wellformed(const char *id)
{
	if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z')))
		return false;
	for (; *id; id++)
		if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') ||
		      (*id >= '0' && *id <= '9') || *id == '-' || *id == '.' || *id == '_'))
			return false;
	return strlen(id) <= QEMU_ID_MAX;
}

static int word_index(const char *s, const char *const *words, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, words[i]))
			return i;
	return -1;
}

/* A key=value parser over a fixed key table; duplicates are refused. */
struct qkeys {
	const char *const *names;
	int nr;
	unsigned long seen;
	bool multi_last;	/* the last key may repeat (-numa node's cpus=) */
	bool ignore_unknown;	/* -object carries many keys we do not need */
};

static int key_of(struct qctx *q, int argi, struct qkeys *k, const struct qopt *o)
{
	int i = word_index(o->key, k->names, k->nr);

	if (i < 0) {
		if (k->ignore_unknown)
			return -ENOENT;
		qerr(q, argi, "unknown key '%s'", o->key);
		return -EINVAL;
	}
	if ((k->seen & (1UL << i)) && !(k->multi_last && i == k->nr - 1)) {
		qerr(q, argi, "'%s' given twice", o->key);
		return -EINVAL;
	}
	k->seen |= 1UL << i;
	return i;
}

static int num_opt(struct qctx *q, int argi, const struct qopt *o, uint64_t max, uint64_t *v)
{
	if (parse_num(o->val, max, v)) {
		qerr(q, argi, "%s: '%s' is not a number in 0..%" PRIu64, o->key, o->val, max);
		return -EINVAL;
	}
	return 0;
}

static int size_opt(struct qctx *q, int argi, const struct qopt *o, uint64_t unit, uint64_t *v)
{
	if (parse_qsize(o->val, unit, v)) {
		qerr(q, argi, "%s: '%s' is not a size", o->key[0] ? o->key : "size", o->val);
		return -EINVAL;
	}
	return 0;
}

static int missing(struct qctx *q, int argi, const struct qkeys *k, unsigned long need)
{
	for (int i = 0; i < k->nr; i++) {
		if ((need & (1UL << i)) && !(k->seen & (1UL << i))) {
			qerr(q, argi, "'%s' is required", k->names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Collecting the options.                                                  */
/* ------------------------------------------------------------------------ */

static int opt_m(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = { "size", "slots", "maxmem" };
	struct qkeys k = { .names = names, .nr = 3 };
	struct qopt o;
	uint64_t v;
	int ret;

	while ((ret = next_opt(&val, &o)) > 0) {
		if (!o.has_eq)
			strcpy(o.key, "size");	/* QEMU's implied key */
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		if (ret == 0) {
			if (size_opt(q, argi, &o, HN_MiB, &v))
				return -EINVAL;
			if (v > UINT64_MAX - QEMU_RAM_ALIGN || !v) {
				qerr(q, argi, "size: '%s' is out of range", o.val);
				return -EINVAL;
			}
			q->ram = hn_align_up(v, QEMU_RAM_ALIGN);
			q->ram_argi = argi;
		}
		/* slots= and maxmem= describe hotplug room: no memory yet. */
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if (!(k.seen & 1)) {
		qerr(q, argi, "no size given");
		return -EINVAL;
	}
	return 0;
}

static int opt_smp(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = {
		"cpus", "maxcpus", "sockets", "dies", "clusters", "cores", "threads",
	};
	struct qkeys k = { .names = names, .nr = 7 };
	unsigned long *dst[] = {
		&q->smp.cpus, &q->smp.maxcpus, &q->smp.sockets, &q->smp.dies,
		&q->smp.clusters, &q->smp.cores, &q->smp.threads,
	};
	struct qopt o;
	uint64_t v;
	int ret;

	memset(&q->smp, 0, sizeof(q->smp));
	q->smp.given = true;
	q->smp.argi = argi;
	while ((ret = next_opt(&val, &o)) > 0) {
		if (!o.has_eq)
			strcpy(o.key, "cpus");
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		if (num_opt(q, argi, &o, HN_MAX_CPUS, &v))
			return -EINVAL;
		/* QEMU 6.2+ refuses zero counts; cpus=0/maxcpus=0 mean "not given". */
		if (!v && ret >= 2) {
			qerr(q, argi, "%s must be greater than 0", o.key);
			return -EINVAL;
		}
		*dst[ret] = (unsigned long)v;
	}
	if (ret < 0)
		qerr(q, argi, "malformed option list");
	return ret;
}

static bool is_memory_backend(const char *type)
{
	return !strcmp(type, "memory-backend-ram") || !strcmp(type, "memory-backend-file") ||
	       !strcmp(type, "memory-backend-memfd");
}

static int opt_object(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = { "qom-type", "id", "size" };
	struct qkeys k = { .names = names, .nr = 3, .ignore_unknown = true };
	struct q_backend *b;
	char type[64] = "";
	char id[QEMU_ID_MAX + 1] = "";
	uint64_t size = 0;
	struct qopt o;
	int ret;

	if (val[0] == '{') {
		hn_logf(q->log, HN_LOG_WARNING, "qemu: argv[%d]: JSON -object syntax ignored",
			argi);
		return 0;
	}
	while ((ret = next_opt(&val, &o)) > 0) {
		if (!o.has_eq && !k.seen)
			strcpy(o.key, "qom-type");
		else if (!o.has_eq)
			continue;	/* a flag such as "share" */
		ret = key_of(q, argi, &k, &o);
		if (ret == -ENOENT)
			continue;
		if (ret < 0)
			return ret;
		if (ret == 0)
			hn_strlcpy(type, o.val, sizeof(type));
		else if (ret == 1)
			hn_strlcpy(id, o.val, sizeof(id));
		else if (size_opt(q, argi, &o, 1, &size))
			return -EINVAL;
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if (!is_memory_backend(type))
		return 0;
	if (!(k.seen & 2) || !id_wellformed(id)) {
		qerr(q, argi, "a memory backend needs a well-formed id= (a letter, then "
		     "letters, digits, '-', '.', '_')");
		return -EINVAL;
	}
	if (!(k.seen & 4) || !size) {
		qerr(q, argi, "a memory backend needs a non-zero size=");
		return -EINVAL;
	}
	for (int i = 0; i < q->nr_be; i++) {
		if (!strcmp(q->be[i].id, id)) {
			qerr(q, argi, "duplicate id '%s' (first at argv[%d])", id, q->be[i].argi);
			return -EINVAL;
		}
	}
	b = push(&q->be, &q->nr_be, &q->cap_be, sizeof(*b));
	if (!b)
		return -ENOMEM;
	hn_strlcpy(b->id, id, sizeof(b->id));
	b->size = size;
	b->argi = argi;
	b->used_by = -1;
	return 0;
}

static int numa_node(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = { "nodeid", "memdev", "mem", "initiator", "cpus" };
	struct qkeys k = { .names = names, .nr = 5, .multi_last = true };
	char memdev[QEMU_ID_MAX + 1] = "";
	uint64_t nodeid = (uint64_t)q->nr_numa_nodes, mem = 0, init = 0;
	int first_cpus = q->nr_cpus;
	struct q_node *n;
	struct qopt o;
	int ret;

	while ((ret = next_opt(&val, &o)) > 0) {
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		switch (ret) {
		case 0:
			if (num_opt(q, argi, &o, HN_MAX_NUMNODES - 1, &nodeid))
				return -EINVAL;
			break;
		case 1:
			hn_strlcpy(memdev, o.val, sizeof(memdev));
			break;
		case 2:
			if (size_opt(q, argi, &o, HN_MiB, &mem))	/* legacy: MiB */
				return -EINVAL;
			break;
		case 3:
			if (num_opt(q, argi, &o, HN_MAX_NUMNODES - 1, &init))
				return -EINVAL;
			break;
		default: {
			/* One range per cpus=; QEMU repeats the key for more. */
			char *dash = strchr(o.val, '-');
			struct q_cpus *c;
			uint64_t lo, hi;

			if (dash)
				*dash = '\0';
			if (parse_num(o.val, HN_MAX_CPUS - 1, &lo) ||
			    (dash && parse_num(dash + 1, HN_MAX_CPUS - 1, &hi)) ||
			    (dash && hi < lo)) {
				if (dash)
					*dash = '-';
				qerr(q, argi, "cpus: '%s' is not a cpu or range A-B (below %d)",
				     o.val,
				     HN_MAX_CPUS);
				return -EINVAL;
			}
			c = push(&q->cpus, &q->nr_cpus, &q->cap_cpus, sizeof(*c));
			if (!c)
				return -ENOMEM;
			c->lo = (unsigned int)lo;
			c->hi = (unsigned int)(dash ? hi : lo);
			c->argi = argi;
			c->node = -1;
			break;
		}
		}
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if ((k.seen & 2) && (k.seen & 4)) {
		qerr(q, argi, "mem= and memdev= exclude each other");
		return -EINVAL;
	}
	if (nodeid >= HN_MAX_NUMNODES) {
		qerr(q, argi, "nodeid %" PRIu64 " is beyond the highest node id %d", nodeid,
		     HN_MAX_NUMNODES - 1);
		return -EINVAL;
	}
	n = &q->nodes[nodeid];
	if (n->present) {
		qerr(q, argi, "node %" PRIu64 " is already defined at argv[%d]", nodeid, n->argi);
		return -EINVAL;
	}
	n->present = true;
	n->argi = argi;
	n->backend = -1;
	n->initiator = (k.seen & 8) ? (int)init : -1;
	if (k.seen & 2) {
		/* Looked up later: QEMU creates every -object before any node. */
		hn_strlcpy(n->memdev, memdev, sizeof(n->memdev));
		n->has_mem = true;
	}
	if (k.seen & 4) {
		n->has_mem = true;
		n->mem = mem;
	}
	for (int i = first_cpus; i < q->nr_cpus; i++)
		q->cpus[i].node = (int)nodeid;
	q->nr_numa_nodes++;
	return 0;
}

static int numa_dist(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = { "src", "dst", "val" };
	struct qkeys k = { .names = names, .nr = 3 };
	uint64_t v[3] = { 0 };
	struct q_dist *d;
	struct qopt o;
	int ret;

	while ((ret = next_opt(&val, &o)) > 0) {
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		if (num_opt(q, argi, &o, ret == 2 ? 255 : HN_MAX_NUMNODES - 1, &v[ret]))
			return -EINVAL;
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if (missing(q, argi, &k, 7))
		return -EINVAL;
	if (v[2] < HN_LOCAL_DISTANCE) {
		qerr(q, argi, "distance %" PRIu64 " is below %d", v[2], HN_LOCAL_DISTANCE);
		return -EINVAL;
	}
	if (v[0] == v[1] && v[2] != HN_LOCAL_DISTANCE) {
		qerr(q, argi, "the local distance of node %" PRIu64 " must be %d", v[0],
		     HN_LOCAL_DISTANCE);
		return -EINVAL;
	}
	d = push(&q->dist, &q->nr_dist, &q->cap_dist, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->src = (int)v[0];
	d->dst = (int)v[1];
	d->val = (int)v[2];
	d->argi = argi;
	return 0;
}

static int numa_cpu(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = {
		"node-id", "socket-id", "die-id", "cluster-id", "core-id", "thread-id",
	};
	struct qkeys k = { .names = names, .nr = 6 };
	uint64_t v[6] = { 0 };
	struct q_cpuopt *c;
	struct qopt o;
	int ret;

	while ((ret = next_opt(&val, &o)) > 0) {
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		if (num_opt(q, argi, &o, ret ? HN_MAX_CPUS - 1 : HN_MAX_NUMNODES - 1, &v[ret]))
			return -EINVAL;
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if (missing(q, argi, &k, 1))
		return -EINVAL;
	c = push(&q->cpuopt, &q->nr_cpuopt, &q->cap_cpuopt, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->node = (int)v[0];
	c->socket = (k.seen & 2) ? (long)v[1] : -1;
	c->die = (k.seen & 4) ? (long)v[2] : -1;
	c->cluster = (k.seen & 8) ? (long)v[3] : -1;
	c->core = (k.seen & 16) ? (long)v[4] : -1;
	c->thread = (k.seen & 32) ? (long)v[5] : -1;
	c->argi = argi;
	return 0;
}

static int numa_hmat_lb(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = {
		"initiator", "target", "hierarchy", "data-type", "latency", "bandwidth",
	};
	struct qkeys k = { .names = names, .nr = 6 };
	uint64_t init = 0, target = 0, lat = 0, bw = 0;
	int hier = 0, type = 0;
	struct q_lb *e;
	struct qopt o;
	int ret;

	while ((ret = next_opt(&val, &o)) > 0) {
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		switch (ret) {
		case 0:
			ret = num_opt(q, argi, &o, HN_MAX_NUMNODES - 1, &init);
			break;
		case 1:
			ret = num_opt(q, argi, &o, HN_MAX_NUMNODES - 1, &target);
			break;
		case 2:
			hier = word_index(o.val, hier_names, (int)HN_ARRAY_SIZE(hier_names));
			if (hier < 0) {
				qerr(q, argi, "hierarchy: '%s' is not memory, first-level, "
				     "second-level or third-level", o.val);
				ret = -EINVAL;
			}
			break;
		case 3:
			type = word_index(o.val, lb_type_names, Q_NR_LB_TYPES);
			if (type < 0) {
				qerr(q, argi, "data-type: '%s' is not one of access-, read-, "
				     "write-latency or -bandwidth", o.val);
				ret = -EINVAL;
			}
			break;
		case 4:
			ret = num_opt(q, argi, &o, UINT32_MAX, &lat);
			break;
		default:
			ret = size_opt(q, argi, &o, 1, &bw);
			break;
		}
		if (ret < 0)
			return -EINVAL;
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if (missing(q, argi, &k, 15))
		return -EINVAL;
	e = push(&q->lb, &q->nr_lb, &q->cap_lb, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->initiator = (int)init;
	e->target = (int)target;
	e->hierarchy = hier;
	e->type = (enum q_lb_type)type;
	e->argi = argi;
	if (type <= Q_WRITE_LATENCY) {
		if (!(k.seen & 16) || (k.seen & 32)) {
			qerr(q, argi, "data-type %s takes latency= and not bandwidth=",
			     lb_type_names[type]);
			return -EINVAL;
		}
		if (!lat) {
			qerr(q, argi, "latency must be at least 1 ns");
			return -EINVAL;
		}
		e->value = (uint32_t)lat;
	} else {
		if (!(k.seen & 32) || (k.seen & 16)) {
			qerr(q, argi, "data-type %s takes bandwidth= and not latency=",
			     lb_type_names[type]);
			return -EINVAL;
		}
		/*
		 * QEMU's bandwidth is bytes/s with binary suffixes (200M is
		 * 200 MiB/s); ours is MB/s (10^6 bytes/s), rounded to nearest.
		 */
		if (bw / 1000000 >= UINT32_MAX || (bw + 500000) / 1000000 == 0) {
			qerr(q, argi, "bandwidth %" PRIu64 " bytes/s is outside 1 MB/s .. 4 PB/s",
			     bw);
			return -EINVAL;
		}
		e->value = (uint32_t)((bw + 500000) / 1000000);
	}
	return 0;
}

static int numa_hmat_cache(struct qctx *q, int argi, const char *val)
{
	static const char *const names[] = {
		"node-id", "size", "level", "associativity", "policy", "line",
	};
	struct qkeys k = { .names = names, .nr = 6 };
	struct q_cache *c;
	struct hn_memcache_desc d;
	struct qopt o;
	uint64_t v;
	int ret, w;

	memset(&d, 0, sizeof(d));
	while ((ret = next_opt(&val, &o)) > 0) {
		ret = key_of(q, argi, &k, &o);
		if (ret < 0)
			return ret;
		switch (ret) {
		case 0:
			if (num_opt(q, argi, &o, HN_MAX_NUMNODES - 1, &v))
				return -EINVAL;
			d.nid = (int)v;
			break;
		case 1:
			if (size_opt(q, argi, &o, 1, &d.size))
				return -EINVAL;
			break;
		case 2:
			if (parse_num(o.val, 3, &v) || v < 1) {
				qerr(q, argi, "level: '%s' is not 1, 2 or 3", o.val);
				return -EINVAL;
			}
			d.level = (uint32_t)v;
			break;
		case 3:
			w = word_index(o.val, assoc_names, (int)HN_ARRAY_SIZE(assoc_names));
			if (w < 0) {
				qerr(q, argi, "associativity: '%s' is not none, direct or complex",
				     o.val);
				return -EINVAL;
			}
			d.assoc = (enum hn_cache_assoc)w;
			break;
		case 4:
			w = word_index(o.val, policy_names, (int)HN_ARRAY_SIZE(policy_names));
			if (w < 0) {
				qerr(q, argi,
				     "policy: '%s' is not none, write-back or write-through",
				     o.val);
				return -EINVAL;
			}
			d.policy = (enum hn_cache_policy)w;
			break;
		default:
			if (num_opt(q, argi, &o, UINT32_MAX, &v))
				return -EINVAL;
			d.line = (uint32_t)v;
			break;
		}
	}
	if (ret < 0) {
		qerr(q, argi, "malformed option list");
		return ret;
	}
	if (missing(q, argi, &k, 63))
		return -EINVAL;
	if (!d.size) {
		qerr(q, argi, "size must not be 0");
		return -EINVAL;
	}
	c = push(&q->cache, &q->nr_cache, &q->cap_cache, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->d = d;
	c->argi = argi;
	return 0;
}

static int opt_numa(struct qctx *q, int argi, const char *val)
{
	const char *rest = val;
	struct qopt o;
	int ret;

	ret = next_opt(&rest, &o);
	if (ret <= 0 || (o.has_eq && strcmp(o.key, "type"))) {
		qerr(q, argi, "expected node, dist, cpu, hmat-lb or hmat-cache first");
		return -EINVAL;
	}
	if (!strcmp(o.val, "node"))
		return numa_node(q, argi, rest);
	if (!strcmp(o.val, "dist"))
		return numa_dist(q, argi, rest);
	if (!strcmp(o.val, "cpu"))
		return numa_cpu(q, argi, rest);
	if (!strcmp(o.val, "hmat-lb"))
		return numa_hmat_lb(q, argi, rest);
	if (!strcmp(o.val, "hmat-cache"))
		return numa_hmat_cache(q, argi, rest);
	qerr(q, argi, "'%s' is not a -numa type (node, dist, cpu, hmat-lb, hmat-cache)", o.val);
	return -EINVAL;
}

/*
 * QEMU options that take a value we do not read.  Skipping the value keeps
 * a word such as "-append" "-m" from being taken for an option.
 */
static const char *const valued_options[] = {
	"accel", "acpitable", "action", "add-fd", "append", "audiodev", "bios", "blockdev",
	"boot", "cdrom", "chardev", "cpu", "D", "d", "device", "display", "dtb", "drive",
	"fda", "fdb", "fsdev", "fw_cfg", "global", "hda", "hdb", "hdc", "hdd", "icount",
	"incoming", "initrd", "iscsi", "k", "kernel", "L", "loadvm", "M", "machine",
	"mem-path", "mon", "monitor", "msg", "name", "net", "netdev", "nic", "option-rom",
	"overcommit", "parallel", "pflash", "pidfile", "plugin", "qmp", "qmp-pretty",
	"readconfig", "rtc", "run-with", "sandbox", "semihosting-config", "serial", "smbios",
	"spice", "tpmdev", "trace", "usbdevice", "uuid", "vga", "virtfs", "vnc",
	"watchdog-action", "writeconfig",
};

static int collect(struct qctx *q, int argc)
{
	for (int i = 0; i < argc; i++) {
		const char *a = q->argv[i], *opt;
		int ret;

		if (!a) {
			hn_logf(q->log, HN_LOG_ERR, "qemu: argv[%d] is NULL", i);
			return -EINVAL;
		}
		if (a[0] != '-')
			continue;	/* the disk image, or a value of a skipped option */
		opt = a[1] == '-' ? a + 2 : a + 1;	/* QEMU takes -numa and --numa */
		if (!strcmp(opt, "m") || !strcmp(opt, "smp") || !strcmp(opt, "object") ||
		    !strcmp(opt, "numa")) {
			const char *v;

			if (i + 1 >= argc || !q->argv[i + 1]) {
				qerr(q, i, "needs a value");
				return -EINVAL;
			}
			v = q->argv[++i];
			if (opt[0] == 'm')
				ret = opt_m(q, i, v);
			else if (opt[0] == 's')
				ret = opt_smp(q, i, v);
			else if (opt[0] == 'o')
				ret = opt_object(q, i, v);
			else
				ret = opt_numa(q, i, v);
			if (ret)
				return ret;
			continue;
		}
		if (!strncmp(opt, "m=", 2) || !strncmp(opt, "smp=", 4) ||
		    !strncmp(opt, "object=", 7) || !strncmp(opt, "numa=", 5)) {
			qerr(q, i, "QEMU takes the option and its value as two words");
			return -EINVAL;
		}
		for (size_t j = 0; j < HN_ARRAY_SIZE(valued_options); j++) {
			if (!strcmp(opt, valued_options[j])) {
				i++;
				break;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Resolving: topology, CPU placement, memory, HMAT.                        */
/* ------------------------------------------------------------------------ */

/*
 * machine_parse_smp_config() for machine types that prefer cores (QEMU 6.2
 * and later): omitted counts become 1, except the one that makes the
 * product match, which is cores unless cores were given.
 */
static int resolve_smp(struct qctx *q)
{
	struct q_smp *s = &q->smp;
	unsigned long dies, clusters, prod;

	if (!s->given) {
		s->cpus = s->maxcpus = s->sockets = s->cores = s->threads = 1;
		s->dies = s->clusters = 1;
		return 0;
	}
	dies = s->dies ? s->dies : 1;
	clusters = s->clusters ? s->clusters : 1;
	if (!s->cpus && !s->maxcpus) {
		s->sockets = s->sockets ? s->sockets : 1;
		s->cores = s->cores ? s->cores : 1;
		s->threads = s->threads ? s->threads : 1;
	} else {
		unsigned long max = s->maxcpus ? s->maxcpus : s->cpus;

		s->maxcpus = max;
		if (!s->cores) {
			s->sockets = s->sockets ? s->sockets : 1;
			s->threads = s->threads ? s->threads : 1;
			s->cores = max / (s->sockets * dies * clusters * s->threads);
		} else if (!s->sockets) {
			s->threads = s->threads ? s->threads : 1;
			s->sockets = max / (dies * clusters * s->cores * s->threads);
		}
		if (!s->threads)
			s->threads = max / (s->sockets * dies * clusters * s->cores);
	}
	s->dies = dies;
	s->clusters = clusters;
	prod = s->sockets * dies * clusters * s->cores * s->threads;
	s->maxcpus = s->maxcpus ? s->maxcpus : prod;
	s->cpus = s->cpus ? s->cpus : s->maxcpus;
	if (!prod || prod != s->maxcpus || s->cpus > s->maxcpus || s->maxcpus > HN_MAX_CPUS) {
		qerr(q, s->argi, "sockets (%lu) * dies (%lu) * clusters (%lu) * cores (%lu) * "
		     "threads (%lu) must equal maxcpus (%lu), at least cpus (%lu) and at most %d",
		     s->sockets, dies, clusters, s->cores, s->threads, s->maxcpus, s->cpus,
		     HN_MAX_CPUS);
		return -EINVAL;
	}
	return 0;
}

static int place_cpu(struct qctx *q, unsigned int cpu, int node, int argi)
{
	if (q->cpu_node[cpu] >= 0 && q->cpu_node[cpu] != node) {
		qerr(q, argi, "cpu %u is already in node %d", cpu, q->cpu_node[cpu]);
		return -EINVAL;
	}
	q->cpu_node[cpu] = (int16_t)node;
	return 0;
}

static int resolve_cpus(struct qctx *q, int nr_nodes)
{
	const struct q_smp *s = &q->smp;
	unsigned long unplaced = 0;

	for (int i = 0; i < q->nr_cpus; i++) {
		const struct q_cpus *c = &q->cpus[i];

		if (c->hi >= s->maxcpus) {
			qerr(q, c->argi, "cpu %u is beyond maxcpus %lu", c->hi, s->maxcpus);
			return -EINVAL;
		}
		for (unsigned int cpu = c->lo; cpu <= c->hi; cpu++)
			if (place_cpu(q, cpu, c->node, c->argi))
				return -EINVAL;
	}
	for (int i = 0; i < q->nr_cpuopt; i++) {
		const struct q_cpuopt *c = &q->cpuopt[i];
		bool any = false;

		if (c->node >= nr_nodes || !q->nodes[c->node].present) {
			qerr(q, c->argi, "node %d is not defined by -numa node", c->node);
			return -EINVAL;
		}
		for (unsigned long cpu = 0; cpu < s->maxcpus; cpu++) {
			unsigned long t = cpu;
			long thread = (long)(t % s->threads), core, cluster, die, socket;

			t /= s->threads;
			core = (long)(t % s->cores);
			t /= s->cores;
			cluster = (long)(t % s->clusters);
			t /= s->clusters;
			die = (long)(t % s->dies);
			socket = (long)(t / s->dies);
			if ((c->socket >= 0 && c->socket != socket) ||
			    (c->die >= 0 && c->die != die) ||
			    (c->cluster >= 0 && c->cluster != cluster) ||
			    (c->core >= 0 && c->core != core) ||
			    (c->thread >= 0 && c->thread != thread))
				continue;
			if (place_cpu(q, (unsigned int)cpu, c->node, c->argi))
				return -EINVAL;
			any = true;
		}
		if (!any) {
			qerr(q, c->argi, "matches no cpu of the -smp topology");
			return -EINVAL;
		}
	}
	/* x86_get_default_cpu_node_id(): socket-id % number of nodes. */
	for (unsigned long cpu = 0; cpu < s->maxcpus; cpu++) {
		unsigned long socket = cpu / (s->threads * s->cores * s->clusters * s->dies);

		if (q->cpu_node[cpu] >= 0)
			continue;
		q->cpu_node[cpu] = (int16_t)(nr_nodes ? socket % (unsigned long)nr_nodes : 0);
		unplaced++;
	}
	if (unplaced && nr_nodes)
		hn_logf(q->log, HN_LOG_WARNING,
			"qemu: %lu cpu(s) not in any -numa node; placed by socket-id %% %d "
			"as QEMU does",
			unplaced, nr_nodes);
	return 0;
}

static int resolve_memory(struct qctx *q, int nr_nodes, uint64_t *node_mem)
{
	bool any = false;
	uint64_t sum = 0;

	if (!nr_nodes) {
		node_mem[0] = q->ram_argi >= 0 ? q->ram : QEMU_DEFAULT_RAM;
		return 0;
	}
	for (int nid = 0; nid < nr_nodes; nid++)
		any |= q->nodes[nid].has_mem;
	if (!any) {
		/* numa_default_auto_assign_ram(): older QEMU's even split. */
		uint64_t ram = q->ram_argi >= 0 ? q->ram : QEMU_DEFAULT_RAM;
		uint64_t each = hn_align_down(ram / (uint64_t)nr_nodes, QEMU_SPLIT_ALIGN);

		for (int nid = 0; nid < nr_nodes - 1; nid++)
			node_mem[nid] = each;
		node_mem[nr_nodes - 1] = ram - each * (uint64_t)(nr_nodes - 1);
		return 0;
	}
	for (int nid = 0; nid < nr_nodes; nid++) {
		struct q_node *n = &q->nodes[nid];
		uint64_t sz = n->mem;

		if (n->memdev[0]) {
			struct q_backend *b = NULL;

			for (int j = 0; j < q->nr_be && !b; j++)
				if (!strcmp(q->be[j].id, n->memdev))
					b = &q->be[j];
			if (!b) {
				qerr(q, n->argi, "memdev '%s' is not a memory backend -object",
				     n->memdev);
				return -EINVAL;
			}
			if (b->used_by >= 0) {
				qerr(q, n->argi, "memdev '%s' is already used by node %d", b->id,
				     b->used_by);
				return -EINVAL;
			}
			b->used_by = nid;
			n->backend = (int)(b - q->be);
			sz = b->size;
		}
		if (sz % 4096) {
			qerr(q, n->argi, "node memory %" PRIu64 " is not a multiple of 4 KiB", sz);
			return -EINVAL;
		}
		if (sz > UINT64_MAX - sum) {
			qerr(q, n->argi, "node memory overflows");
			return -EINVAL;
		}
		sum += sz;
		node_mem[nid] = sz;
	}
	if (q->ram_argi >= 0 && sum != q->ram) {
		qerr(q, q->ram_argi, "the nodes' memory adds up to %" PRIu64
		     " bytes but -m is %" PRIu64, sum, q->ram);
		return -EINVAL;
	}
	return 0;
}

static bool node_has_cpus(const struct qctx *q, int nid)
{
	for (unsigned long cpu = 0; cpu < q->smp.maxcpus; cpu++)
		if (q->cpu_node[cpu] == nid)
			return true;
	return false;
}

static int check_hmat(struct qctx *q, int nr_nodes)
{
	for (int nid = 0; nid < nr_nodes; nid++) {
		const struct q_node *n = &q->nodes[nid];

		if (!n->present || n->initiator < 0)
			continue;
		if (n->initiator >= nr_nodes || !node_has_cpus(q, n->initiator)) {
			qerr(q, n->argi, "initiator %d is not a node with cpus", n->initiator);
			return -EINVAL;
		}
		if (node_has_cpus(q, nid) && n->initiator != nid) {
			qerr(q, n->argi, "a node with cpus is its own initiator");
			return -EINVAL;
		}
	}
	for (int i = 0; i < q->nr_lb; i++) {
		const struct q_lb *e = &q->lb[i];

		if (e->initiator >= nr_nodes || !node_has_cpus(q, e->initiator)) {
			qerr(q, e->argi, "initiator %d is not a node with cpus", e->initiator);
			return -EINVAL;
		}
		if (e->target >= nr_nodes) {
			qerr(q, e->argi, "target %d is not defined by -numa node", e->target);
			return -EINVAL;
		}
		for (int j = 0; j < i; j++) {
			const struct q_lb *o = &q->lb[j];

			if (o->initiator == e->initiator && o->target == e->target &&
			    o->hierarchy == e->hierarchy && o->type == e->type) {
				qerr(q, e->argi, "repeats argv[%d]", o->argi);
				return -EINVAL;
			}
		}
	}
	for (int i = 0; i < q->nr_cache; i++) {
		if (q->cache[i].d.nid >= nr_nodes) {
			qerr(q, q->cache[i].argi, "node %d is not defined by -numa node",
			     q->cache[i].d.nid);
			return -EINVAL;
		}
	}
	for (int i = 0; i < q->nr_dist; i++) {
		const struct q_dist *d = &q->dist[i];

		if (d->src >= nr_nodes || d->dst >= nr_nodes) {
			qerr(q, d->argi, "node %d is not defined by -numa node",
			     d->src >= nr_nodes ? d->src : d->dst);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The local figures of a memory node become its device's latency and
 * bandwidth: from the node's own CPUs, else from its initiator=, else the
 * best any initiator sees.  Unset fields stay 0 (the defaults apply).
 */
static void local_figures(const struct qctx *q, const struct hn_machine *m, int t,
			  struct hn_access_desc *out)
{
	int n = m->nr_node_ids, local = -1;

	memset(out, 0, sizeof(*out));
	if (node_has_cpus(q, t))
		local = t;
	else if (q->nodes[t].present && q->nodes[t].initiator >= 0)
		local = q->nodes[t].initiator;
	for (int i = 0; i < n; i++) {
		const struct hn_access_desc *e = &m->access[i * n + t];

		if (local >= 0 && i != local)
			continue;
		if (e->read_latency_ns && (!out->read_latency_ns ||
					   e->read_latency_ns < out->read_latency_ns))
			out->read_latency_ns = e->read_latency_ns;
		if (e->write_latency_ns && (!out->write_latency_ns ||
					    e->write_latency_ns < out->write_latency_ns))
			out->write_latency_ns = e->write_latency_ns;
		out->read_bw_mbps = HN_MAX(out->read_bw_mbps, e->read_bw_mbps);
		out->write_bw_mbps = HN_MAX(out->write_bw_mbps, e->write_bw_mbps);
	}
}

static int build(struct qctx *q, int nr_nodes, const uint64_t *node_mem,
		 struct hn_machine **out, const struct hn_log_sink *log)
{
	uint64_t *mask = NULL;
	struct hn_machine *m;
	int nodes = nr_nodes ? nr_nodes : 1;
	char *list = NULL;
	int ret;

	ret = hn_machine_new(&m, "qemu");
	if (ret)
		return ret;
	mask = calloc(HN_MAX_CPUS / 64, sizeof(*mask));
	list = malloc(CPULIST_MAX);
	if (!mask || !list) {
		ret = -ENOMEM;
		goto out;
	}
	/*
	 * Declare the highest node first: the machine's per-node tables grow to
	 * the highest id, copying what they hold, so declaring 0, 1, 2, ... one
	 * at a time costs O(nodes^3) (seconds for nodeid=1000).
	 */
	ret = hn_machine_add_node(m, nodes - 1);
	for (int nid = 0; nid < nodes && !ret; nid++) {
		struct hn_initiator_desc d;

		ret = hn_machine_add_node(m, nid);
		memset(mask, 0, HN_MAX_CPUS / 8);
		for (unsigned long cpu = 0; cpu < q->smp.maxcpus; cpu++)
			if (q->cpu_node[cpu] == nid)
				hn_bit_set(mask, (unsigned int)cpu);
		if (ret || !hn_bitmap_weight(mask, HN_MAX_CPUS))
			continue;
		memset(&d, 0, sizeof(d));
		d.nid = nid;
		snprintf(list, CPULIST_MAX, GPU_MEMDEV_PREFIX "%d", nid);
		if (!strcmp(q->nodes[nid].memdev, list) && hn_bitmap_weight(mask, HN_MAX_CPUS) == 1) {
			/* our export's stand-in vCPU for a GPU initiator: the GPU again */
			d.kind = HN_INIT_GPU;
			snprintf(d.name, sizeof(d.name), "gpu%d", nid);
			ret = hn_machine_add_initiator(m, &d);
			continue;
		}
		d.kind = HN_INIT_CPU;
		snprintf(d.name, sizeof(d.name), "socket%d", nid);
		hn_format_idlist(mask, HN_MAX_CPUS, list, CPULIST_MAX);
		if (strlen(list) >= sizeof(d.cpus)) {
			hn_logf(log, HN_LOG_ERR, "qemu: node %d: cpu list too fragmented for %zu "
				"characters", nid, sizeof(d.cpus) - 1);
			ret = -EINVAL;
			break;
		}
		hn_strlcpy(d.cpus, list, sizeof(d.cpus));
		ret = hn_machine_add_initiator(m, &d);
		if (ret == -EINVAL)
			hn_logf(log, HN_LOG_ERR, "qemu: node %d: cpus %s rejected by the machine "
				"builder", nid, d.cpus);
	}
	for (int i = 0; i < q->nr_lb && !ret; i++) {
		const struct q_lb *e = &q->lb[i];
		struct hn_access_desc a = { 0 };

		if (e->hierarchy) {
			hn_logf(log, HN_LOG_WARNING, "qemu: argv[%d]: hierarchy %s ignored",
				e->argi,
				hier_names[e->hierarchy]);
			continue;
		}
		switch (e->type) {
		case Q_ACCESS_LATENCY:
			a.read_latency_ns = a.write_latency_ns = e->value;
			break;
		case Q_READ_LATENCY:
			a.read_latency_ns = e->value;
			break;
		case Q_WRITE_LATENCY:
			a.write_latency_ns = e->value;
			break;
		case Q_ACCESS_BANDWIDTH:
			a.read_bw_mbps = a.write_bw_mbps = e->value;
			break;
		case Q_READ_BANDWIDTH:
			a.read_bw_mbps = e->value;
			break;
		default:
			a.write_bw_mbps = e->value;
			break;
		}
		ret = hn_machine_set_access(m, e->initiator, e->target, &a);
		if (ret == -EINVAL)
			qerr(q, e->argi, "rejected by the machine builder");
	}
	for (int nid = 0; nid < nodes && !ret; nid++) {
		struct hn_memdev_desc d;
		struct hn_access_desc a;

		if (!node_mem[nid])
			continue;
		memset(&d, 0, sizeof(d));
		local_figures(q, m, nid, &a);
		if (q->nodes[nid].present && q->nodes[nid].backend >= 0)
			hn_strlcpy(d.name, q->be[q->nodes[nid].backend].id, sizeof(d.name));
		else
			snprintf(d.name, sizeof(d.name), "ram%d", nid);
		d.kind = HN_MEM_DRAM;
		d.nid = nid;
		d.base = HN_ADDR_AUTO;
		d.size = node_mem[nid];
		d.read_latency_ns = a.read_latency_ns ? a.read_latency_ns : QEMU_DRAM_LATENCY_NS;
		d.write_latency_ns = a.write_latency_ns ? a.write_latency_ns : d.read_latency_ns;
		d.read_bw_mbps = a.read_bw_mbps ? a.read_bw_mbps : QEMU_DRAM_BW_MBPS;
		d.write_bw_mbps = a.write_bw_mbps ? a.write_bw_mbps : d.read_bw_mbps;
		ret = hn_machine_add_memdev(m, &d);
		if (ret == -EINVAL)
			hn_logf(log, HN_LOG_ERR, "qemu: node %d: memory of %" PRIu64
				" bytes rejected by the machine builder", nid, d.size);
	}
	for (int i = 0; i < q->nr_dist && !ret; i++) {
		ret = hn_machine_set_distance(m, q->dist[i].src, q->dist[i].dst,
					      (uint8_t)q->dist[i].val);
		if (ret == -EINVAL)
			qerr(q, q->dist[i].argi, "rejected by the machine builder");
	}
	for (int i = 0; i < q->nr_cache && !ret; i++) {
		ret = hn_machine_add_memcache(m, &q->cache[i].d);
		if (ret == -EINVAL)
			qerr(q, q->cache[i].argi, "rejected by the machine builder");
	}
	if (!ret)
		ret = hn_machine_validate(m, 0, log);
out:
	free(mask);
	free(list);
	if (ret) {
		hn_machine_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

int hn_machine_import_qemu(struct hn_machine **out, int argc, const char *const *argv,
			   const struct hn_log_sink *log)
{
	struct qctx q;
	uint64_t *node_mem = NULL;
	int nr_nodes = 0, ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (argc < 0 || (argc && !argv))
		return -EINVAL;
	memset(&q, 0, sizeof(q));
	q.log = log;
	q.argv = argv;
	q.ram_argi = -1;
	q.nodes = calloc(HN_MAX_NUMNODES, sizeof(*q.nodes));
	q.cpu_node = malloc(HN_MAX_CPUS * sizeof(*q.cpu_node));
	node_mem = calloc(HN_MAX_NUMNODES, sizeof(*node_mem));
	if (!q.nodes || !q.cpu_node || !node_mem) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < HN_MAX_CPUS; i++)
		q.cpu_node[i] = -1;
	ret = collect(&q, argc);
	if (!ret)
		ret = resolve_smp(&q);
	if (ret)
		goto out;
	nr_nodes = q.nr_numa_nodes;
	for (int nid = 0; nid < nr_nodes; nid++) {
		if (!q.nodes[nid].present) {
			hn_logf(log, HN_LOG_ERR, "qemu: -numa node: node %d is missing (QEMU needs "
				"node ids 0..%d)", nid, nr_nodes - 1);
			ret = -EINVAL;
			goto out;
		}
	}
	ret = resolve_cpus(&q, nr_nodes);
	if (!ret)
		ret = resolve_memory(&q, nr_nodes, node_mem);
	if (!ret)
		ret = check_hmat(&q, nr_nodes ? nr_nodes : 1);
	if (!ret)
		ret = build(&q, nr_nodes, node_mem, out, log);
out:
	free(q.nodes);
	free(q.cpu_node);
	free(q.be);
	free(q.cpus);
	free(q.cpuopt);
	free(q.dist);
	free(q.lb);
	free(q.cache);
	free(node_mem);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* Export.                                                                  */
/* ------------------------------------------------------------------------ */

static void node_cpumask(const struct hn_machine *m, int nid, uint64_t *mask)
{
	memset(mask, 0, HN_MAX_CPUS / 8);
	for (int i = 0; i < m->nr_inits; i++) {
		if (m->inits[i].d.nid != nid)
			continue;
		for (unsigned int w = 0; w < HN_MAX_CPUS / 64; w++)
			mask[w] |= m->inits[i].cpumask[w];
	}
}

/* For initiator=: the CPU node with the lowest read latency to @t. */
static int best_initiator(const struct hn_machine *m, int t, const bool *has_cpus)
{
	int n = m->nr_node_ids, best = -1;

	for (int i = 0; i < n; i++) {
		const struct hn_access_desc *e = &m->access[i * n + t];
		const struct hn_access_desc *b;

		if (!has_cpus[i])
			continue;
		if (best < 0) {
			best = i;
			continue;
		}
		b = &m->access[best * n + t];
		if ((e->read_latency_ns && (!b->read_latency_ns ||
					    e->read_latency_ns < b->read_latency_ns)) ||
		    (e->read_latency_ns == b->read_latency_ns &&
		     m->distance[i * n + t] < m->distance[best * n + t]))
			best = i;
	}
	return best;
}

/*
 * Bandwidth goes out as bytes/s without a suffix, in the units QEMU 7.2
 * accepts (hw/core/numa.c, parse_numa_hmat_lb()): every bandwidth of one
 * data type must be a multiple of 1 MiB/s, and together they must fit
 * 16-bit entries over a common base unit, 2^(lowest set bit of all of
 * them) ("should not differ from previously entered values on more than
 * 65534").  So each data type gets one unit, 2^k bytes/s with k at least
 * 20 and large enough that its largest value needs at most 15 bits, and
 * every value is rounded to the nearest unit (at least one).  Our MB/s
 * come back from an import within one such unit: QEMU's own resolution.
 */
struct lb_export {
	FILE *f;
	bool measure;			/* first pass: find each type's largest value */
	uint64_t max[3];		/* access-, read-, write-bandwidth */
};

static int bw_type(const char *type)
{
	return type[0] == 'a' ? 0 : type[0] == 'r' ? 1 : 2;
}

static unsigned int bw_shift(uint64_t max)
{
	unsigned int bits = max ? 64u - (unsigned int)__builtin_clzll(max) : 0;

	return HN_MAX(20u, bits > 15 ? bits - 15 : 0);
}

static void export_lb(void *ctx, int i, int t, const char *type, const char *key, uint64_t v)
{
	struct lb_export *x = ctx;

	if (key[0] == 'b') {
		int k = bw_type(type);

		if (x->measure) {
			x->max[k] = HN_MAX(x->max[k], v);
			return;
		}
		unsigned int shift = bw_shift(x->max[k]);
		uint64_t unit = 1ULL << shift;

		v = HN_MAX((v + unit / 2) >> shift, 1) << shift;
	} else if (x->measure) {
		return;
	}
	fprintf(x->f, "-numa\nhmat-lb,initiator=%d,target=%d,hierarchy=memory,data-type=%s,%s=%"
		PRIu64 "\n", i, t, type, key, v);
}

/* A node whose only initiators are GPUs: QEMU gets a stand-in vCPU for them. */
static bool gpu_initiator_node(const struct hn_machine *m, int nid, const bool *has_cpus)
{
	if (has_cpus[nid])
		return false;
	for (int i = 0; i < m->nr_inits; i++)
		if (m->inits[i].d.nid == nid && m->inits[i].d.kind == HN_INIT_GPU)
			return true;
	return false;
}

static void export_args(FILE *f, const struct hn_machine *m, uint64_t *mask, bool *has_cpus)
{
	int n = m->nr_node_ids;
	unsigned int ncpu = hn_machine_nr_cpu_ids(m), standins = 0, next_standin;
	bool hmat = m->nr_caches > 0;
	struct lb_export lbx = { .f = f };
	char sz[32];

	for (int i = 0; i < n; i++) {
		node_cpumask(m, i, mask);
		has_cpus[i] = hn_bitmap_weight(mask, HN_MAX_CPUS) > 0;
	}
	for (int i = 0; i < n * n; i++)
		if (m->access[i].read_latency_ns | m->access[i].read_bw_mbps |
		    m->access[i].write_latency_ns | m->access[i].write_bw_mbps)
			hmat = true;
	for (int i = 0; i < n; i++)
		standins += gpu_initiator_node(m, i, has_cpus);
	next_standin = ncpu;
	if (hmat)
		fputs("-machine\nhmat=on\n", f);
	fprintf(f, "-m\n%s\n", hn_size_word(hn_machine_total_memory(m), "B", sz, sizeof(sz)));
	/* QEMU always has a CPU; a CPU-less machine gains one on import. */
	fprintf(f, "-smp\n%u\n", ncpu + standins ? ncpu + standins : 1);
	for (int nid = 0; nid < n; nid++) {
		uint64_t size = 0;

		for (int i = 0; i < m->nr_memdevs; i++)
			if (m->memdevs[i].nid == nid)
				size += m->memdevs[i].size;
		if (size)
			fprintf(f, "-object\nmemory-backend-ram,id=%s%d,size=%s\n",
				gpu_initiator_node(m, nid, has_cpus) ? GPU_MEMDEV_PREFIX : "m", nid,
				hn_size_word(size, "B", sz, sizeof(sz)));
	}
	for (int nid = 0; nid < n; nid++) {
		unsigned int c = 0;

		/* QEMU wants ids 0..N-1: a gap becomes an empty node. */
		fprintf(f, "-numa\nnode,nodeid=%d", nid);
		node_cpumask(m, nid, mask);
		while (c < HN_MAX_CPUS) {
			unsigned int e;

			if (!hn_bit_test(mask, c)) {
				c++;
				continue;
			}
			for (e = c; e + 1 < HN_MAX_CPUS && hn_bit_test(mask, e + 1); e++)
				;
			if (e == c)
				fprintf(f, ",cpus=%u", c);
			else
				fprintf(f, ",cpus=%u-%u", c, e);
			c = e + 1;
		}
		if (gpu_initiator_node(m, nid, has_cpus))
			fprintf(f, ",cpus=%u", next_standin++);
		if (hn_machine_node_has_memory(m, nid)) {
			fprintf(f, ",memdev=%s%d",
				gpu_initiator_node(m, nid, has_cpus) ? GPU_MEMDEV_PREFIX : "m", nid);
			if (!has_cpus[nid] && !gpu_initiator_node(m, nid, has_cpus)) {
				int best = best_initiator(m, nid, has_cpus);

				if (best >= 0)
					fprintf(f, ",initiator=%d", best);
			}
		}
		fputc('\n', f);
	}
	for (int a = 0; a < n; a++)
		for (int b = a + 1; b < n; b++)
			if (m->node_declared[a] && m->node_declared[b])
				fprintf(f, "-numa\ndist,src=%d,dst=%d,val=%u\n", a, b,
					m->distance[a * n + b]);
	for (int pass = 0; pass < 2; pass++) {
		lbx.measure = pass == 0;
		for (int i = 0; i < n; i++) {
			/* QEMU's initiators are CPU nodes, and GPU ones through their stand-in */
			if (!has_cpus[i] && !gpu_initiator_node(m, i, has_cpus))
				continue;
			for (int t = 0; t < n; t++) {
				const struct hn_access_desc *e = &m->access[i * n + t];

				hn_access_for_each_lb(e, i, t, export_lb, &lbx);
			}
		}
	}
	for (int i = 0; i < m->nr_caches; i++) {
		const struct hn_memcache_desc *c = &m->caches[i];

		fprintf(f, "-numa\nhmat-cache,node-id=%d,size=%s,level=%" PRIu32
			",associativity=%s,policy=%s,line=%" PRIu32 "\n", c->nid,
			hn_size_word(c->size, "B", sz, sizeof(sz)), c->level, assoc_names[c->assoc],
			policy_names[c->policy], c->line);
	}
}

int hn_machine_export_qemu(const struct hn_machine *m, FILE *f)
{
	struct hn_machine *c = NULL;
	uint64_t *mask = NULL;
	bool *has_cpus = NULL;
	int ret;

	if (!m || !f)
		return -EINVAL;
	ret = hn_machine_clone(&c, m);
	if (ret)
		return ret;
	ret = hn_machine_validate(c, 0, NULL);
	if (ret)
		goto out;
	mask = calloc(HN_MAX_CPUS / 64, sizeof(*mask));
	has_cpus = calloc((size_t)c->nr_node_ids, sizeof(*has_cpus));
	if (!mask || !has_cpus) {
		ret = -ENOMEM;
		goto out;
	}
	export_args(f, c, mask, has_cpus);
	if (fflush(f) || ferror(f))
		ret = -EIO;
out:
	free(mask);
	free(has_cpus);
	hn_machine_free(c);
	return ret;
}
