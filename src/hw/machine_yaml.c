/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machine_yaml.c - YAML machine files (docs/machine-files.md is the format
 * reference; machines/example.yaml a commented sample).
 *
 * DOC: how a file is read
 *
 * Three passes over the same bytes, each doing what it is good at:
 *
 *   1. a libyaml event walk (ywalk_run, util/ydoc.h: shared with scenario
 *      files) rejects what the schema cannot see
 *      (syntax errors, aliases, several documents, absurd nesting) with the
 *      exact position, and collects the "distance" matrix, because libcyaml
 *      cannot load a sequence of variable-length sequences;
 *   2. libcyaml loads everything else into the plain structs below (struct
 *      y_*) and checks structure, types, enum words and unknown keys;
 *   3. build_machine() turns the structs into hn_machine_* builder calls and
 *      finishes with hn_machine_validate().
 *
 * libcyaml's own diagnostics name the *path* to the problem ("in mapping
 * field 'size'", "in sequence entry '2'") but their line/column are those of
 * whatever event the parser last read, often the previous line.  So we turn
 * its backtrace into a path such as "nodes[0].memory[1].size" and walk the
 * file once more to find where that node starts (yerr_at()).  Semantic
 * errors of pass 3 are located the same way.  The extra walks only happen on
 * the error path.
 *
 * Saving does not use libcyaml: the canonical form wants flow-style rows, a
 * matrix (which libcyaml cannot emit) and a header comment, and fprintf of
 * numbers plus one careful string quoter is simpler than bending the
 * emitter.
 *
 * Nothing here keeps state between calls; every buffer is per call.
 */
#include "hw/machine.h"

#include <cyaml/cyaml.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "util/ydoc.h"

#define YDESC_MAX 4096
#define YMAX_PER_NODE 256		/* devices or initiators on one node */
#define YMAX_ENTRIES (1u << 20)		/* dist / hmat-lb entries */
#define YMAX_CACHES 4096
#define YMAX_LINKS 4096
/* Curve points libcyaml takes; build_curve() refuses more than HN_CURVE_MAX_POINTS, located. */
#define YMAX_POINTS 1024
/*
 * Validation compares devices and initiators pairwise; these keep a 16 MiB
 * file of one-line devices from taking minutes.  Real machines are far below.
 */
#define YMAX_MEMDEVS 16384
#define YMAX_INITIATORS HN_MAX_CPUS

/* ------------------------------------------------------------------------ */
/* The file as libcyaml sees it.                                            */
/* ------------------------------------------------------------------------ */

struct y_compress {
	int algo;
	char *ratio;
	uint32_t compress_bw;
	uint32_t decompress_bw;
	uint32_t latency;
};

/* An initiator's last-level-cache filter (the cost model's). */
struct y_llc {
	char *size;
	uint32_t *line;
	uint32_t ways;
	uint32_t latency;
};

struct y_initiator {
	char *name;
	int type;
	char *cpus;
	struct y_llc *llc;
};

/* One point of a loaded-latency curve; util is a fraction, kept as text. */
struct y_point {
	char *util;
	uint32_t latency;
};

struct y_memory {
	char *name;
	char *type;
	char *size;
	char *addr;
	uint32_t read_latency;
	uint32_t write_latency;
	uint32_t read_bw;
	uint32_t write_bw;
	uint32_t power;
	uint32_t reliability;
	uint32_t density;
	uint32_t compute;
	int persistent;
	int hotplug;
	int zone;
	char *mattr;
	struct y_compress *compression;
	struct y_point *loaded;
	unsigned int loaded_count;
	char *write_cost;
};

struct y_node {
	uint32_t nodeid;
	char *cpus;
	struct y_initiator *initiators;
	unsigned int initiators_count;
	struct y_memory *memory;
	unsigned int memory_count;
	struct y_llc *llc;		/* for the 'cpus' shorthand's initiator */
};

struct y_dist {
	uint32_t src;
	uint32_t dst;
	uint32_t val;
};

enum y_hierarchy { Y_HIER_MEMORY, Y_HIER_L1, Y_HIER_L2, Y_HIER_L3 };

enum y_data_type {
	Y_ACCESS_LATENCY,
	Y_READ_LATENCY,
	Y_WRITE_LATENCY,
	Y_ACCESS_BANDWIDTH,
	Y_READ_BANDWIDTH,
	Y_WRITE_BANDWIDTH,
};

struct y_hmat_lb {
	uint32_t initiator;
	uint32_t target;
	int hierarchy;
	int data_type;
	uint32_t *latency;
	char *bandwidth;
};

struct y_hmat_cache {
	uint32_t node_id;
	char *size;
	uint32_t level;
	int assoc;
	int policy;
	uint32_t *line;
	uint32_t *hit_latency;
	uint32_t *hit_bw;
};

struct y_link {
	char *name;
	uint32_t *nodes;
	unsigned int nodes_count;
	uint32_t bandwidth;
	uint32_t latency;
};

struct y_machine {
	char *machine;
	char *description;
	int arch;
	char *page_size;
	struct y_node *nodes;
	unsigned int nodes_count;
	struct y_dist *dist;
	unsigned int dist_count;
	struct y_hmat_lb *hmat_lb;
	unsigned int hmat_lb_count;
	struct y_hmat_cache *hmat_cache;
	unsigned int hmat_cache_count;
	struct y_link *links;
	unsigned int links_count;
};

/*
 * libcyaml reads any word but a few as "true", so booleans go through an
 * enum: a typo is an error rather than a silent true.
 */
static const cyaml_strval_t bool_words[] = {
	{ "false", 0 }, { "true", 1 }, { "no", 0 }, { "yes", 1 },
	{ "off", 0 }, { "on", 1 },
};

static const cyaml_strval_t arch_words[] = {
	{ "x86_64", HN_ARCH_X86_64 },
	{ "ppc64", HN_ARCH_PPC64 },
	{ "generic", HN_ARCH_GENERIC },
};

static const cyaml_strval_t zone_words[] = {
	{ "auto", HN_ZONE_HINT_AUTO },
	{ "normal", HN_ZONE_HINT_NORMAL },
	{ "movable", HN_ZONE_HINT_MOVABLE },
	{ "device", HN_ZONE_HINT_DEVICE },
};

static const cyaml_strval_t algo_words[] = {
	{ "lz4", HN_COMPRESS_LZ4 },
	{ "zstd", HN_COMPRESS_ZSTD },
	{ "deflate", HN_COMPRESS_DEFLATE },
	{ "model", HN_COMPRESS_MODEL },
};

static const cyaml_strval_t init_words[] = {
	{ "cpu", HN_INIT_CPU },
	{ "gpu", HN_INIT_GPU },
};

/* QEMU's -numa hmat-lb words. */
static const cyaml_strval_t hier_words[] = {
	{ "memory", Y_HIER_MEMORY },
	{ "first-level", Y_HIER_L1 },
	{ "second-level", Y_HIER_L2 },
	{ "third-level", Y_HIER_L3 },
};

static const cyaml_strval_t dtype_words[] = {
	{ "access-latency", Y_ACCESS_LATENCY },
	{ "read-latency", Y_READ_LATENCY },
	{ "write-latency", Y_WRITE_LATENCY },
	{ "access-bandwidth", Y_ACCESS_BANDWIDTH },
	{ "read-bandwidth", Y_READ_BANDWIDTH },
	{ "write-bandwidth", Y_WRITE_BANDWIDTH },
};

static const cyaml_strval_t assoc_words[] = {
	{ "none", HN_CACHE_NONE },
	{ "direct", HN_CACHE_DIRECT },
	{ "complex", HN_CACHE_COMPLEX },
};

static const cyaml_strval_t policy_words[] = {
	{ "none", HN_CACHE_POLICY_NONE },
	{ "write-back", HN_CACHE_WRITE_BACK },
	{ "write-through", HN_CACHE_WRITE_THROUGH },
};

#define OPT CYAML_FLAG_OPTIONAL
#define STR_OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)
#define ENUM_OPT (CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT)

static const cyaml_schema_field_t compress_fields[] = {
	CYAML_FIELD_ENUM("algo", CYAML_FLAG_STRICT, struct y_compress, algo, algo_words,
			 CYAML_ARRAY_LEN(algo_words)),
	CYAML_FIELD_STRING_PTR("ratio", CYAML_FLAG_POINTER, struct y_compress, ratio, 1, 32),
	CYAML_FIELD_UINT("compress-bandwidth", OPT, struct y_compress, compress_bw),
	CYAML_FIELD_UINT("decompress-bandwidth", OPT, struct y_compress, decompress_bw),
	CYAML_FIELD_UINT("latency", OPT, struct y_compress, latency),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t llc_fields[] = {
	CYAML_FIELD_STRING_PTR("size", CYAML_FLAG_POINTER, struct y_llc, size, 0, 64),
	CYAML_FIELD_UINT_PTR("line", STR_OPT, struct y_llc, line),
	CYAML_FIELD_UINT("ways", CYAML_FLAG_DEFAULT, struct y_llc, ways),
	CYAML_FIELD_UINT("latency", CYAML_FLAG_DEFAULT, struct y_llc, latency),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t initiator_fields[] = {
	CYAML_FIELD_STRING_PTR("name", STR_OPT, struct y_initiator, name, 0, HN_NAME_LEN - 1),
	CYAML_FIELD_ENUM("type", ENUM_OPT, struct y_initiator, type, init_words,
			 CYAML_ARRAY_LEN(init_words)),
	CYAML_FIELD_STRING_PTR("cpus", STR_OPT, struct y_initiator, cpus, 0,
			       sizeof(((struct hn_initiator_desc *)0)->cpus) - 1),
	CYAML_FIELD_MAPPING_PTR("llc", STR_OPT, struct y_initiator, llc, llc_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t initiator_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_initiator, initiator_fields),
};

static const cyaml_schema_field_t point_fields[] = {
	CYAML_FIELD_STRING_PTR("util", CYAML_FLAG_POINTER, struct y_point, util, 0, 32),
	CYAML_FIELD_UINT("latency", CYAML_FLAG_DEFAULT, struct y_point, latency),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t point_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_point, point_fields),
};

static const cyaml_schema_field_t memory_fields[] = {
	CYAML_FIELD_STRING_PTR("name", STR_OPT, struct y_memory, name, 0, HN_NAME_LEN - 1),
	CYAML_FIELD_STRING_PTR("type", CYAML_FLAG_POINTER, struct y_memory, type, 0, 32),
	CYAML_FIELD_STRING_PTR("size", CYAML_FLAG_POINTER, struct y_memory, size, 0, 64),
	CYAML_FIELD_STRING_PTR("addr", STR_OPT, struct y_memory, addr, 0, 64),
	CYAML_FIELD_UINT("read-latency", CYAML_FLAG_DEFAULT, struct y_memory, read_latency),
	CYAML_FIELD_UINT("write-latency", OPT, struct y_memory, write_latency),
	CYAML_FIELD_UINT("read-bandwidth", CYAML_FLAG_DEFAULT, struct y_memory, read_bw),
	CYAML_FIELD_UINT("write-bandwidth", OPT, struct y_memory, write_bw),
	CYAML_FIELD_UINT("power", OPT, struct y_memory, power),
	CYAML_FIELD_UINT("reliability", OPT, struct y_memory, reliability),
	CYAML_FIELD_UINT("density", OPT, struct y_memory, density),
	CYAML_FIELD_UINT("compute", OPT, struct y_memory, compute),
	CYAML_FIELD_ENUM("persistent", ENUM_OPT, struct y_memory, persistent, bool_words,
			 CYAML_ARRAY_LEN(bool_words)),
	CYAML_FIELD_ENUM("hotplug", ENUM_OPT, struct y_memory, hotplug, bool_words,
			 CYAML_ARRAY_LEN(bool_words)),
	CYAML_FIELD_ENUM("zone", ENUM_OPT, struct y_memory, zone, zone_words,
			 CYAML_ARRAY_LEN(zone_words)),
	CYAML_FIELD_STRING_PTR("mattr", STR_OPT, struct y_memory, mattr, 0, 64),
	CYAML_FIELD_MAPPING_PTR("compression", STR_OPT, struct y_memory, compression,
				compress_fields),
	CYAML_FIELD_SEQUENCE("loaded-latency", STR_OPT, struct y_memory, loaded, &point_schema,
			     0, YMAX_POINTS),
	CYAML_FIELD_STRING_PTR("write-cost", STR_OPT, struct y_memory, write_cost, 1, 32),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t memory_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_memory, memory_fields),
};

static const cyaml_schema_field_t node_fields[] = {
	CYAML_FIELD_UINT("nodeid", CYAML_FLAG_DEFAULT, struct y_node, nodeid),
	CYAML_FIELD_STRING_PTR("cpus", STR_OPT, struct y_node, cpus, 0,
			       sizeof(((struct hn_initiator_desc *)0)->cpus) - 1),
	CYAML_FIELD_SEQUENCE("initiators", STR_OPT, struct y_node, initiators,
			     &initiator_schema, 0, YMAX_PER_NODE),
	CYAML_FIELD_SEQUENCE("memory", STR_OPT, struct y_node, memory,
			     &memory_schema, 0, YMAX_PER_NODE),
	CYAML_FIELD_MAPPING_PTR("llc", STR_OPT, struct y_node, llc, llc_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t node_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_node, node_fields),
};

static const cyaml_schema_field_t dist_fields[] = {
	CYAML_FIELD_UINT("src", CYAML_FLAG_DEFAULT, struct y_dist, src),
	CYAML_FIELD_UINT("dst", CYAML_FLAG_DEFAULT, struct y_dist, dst),
	CYAML_FIELD_UINT("val", CYAML_FLAG_DEFAULT, struct y_dist, val),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t dist_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_dist, dist_fields),
};

static const cyaml_schema_field_t hmat_lb_fields[] = {
	CYAML_FIELD_UINT("initiator", CYAML_FLAG_DEFAULT, struct y_hmat_lb, initiator),
	CYAML_FIELD_UINT("target", CYAML_FLAG_DEFAULT, struct y_hmat_lb, target),
	CYAML_FIELD_ENUM("hierarchy", ENUM_OPT, struct y_hmat_lb, hierarchy, hier_words,
			 CYAML_ARRAY_LEN(hier_words)),
	CYAML_FIELD_ENUM("data-type", CYAML_FLAG_STRICT, struct y_hmat_lb, data_type,
			 dtype_words, CYAML_ARRAY_LEN(dtype_words)),
	CYAML_FIELD_UINT_PTR("latency", STR_OPT, struct y_hmat_lb, latency),
	CYAML_FIELD_STRING_PTR("bandwidth", STR_OPT, struct y_hmat_lb, bandwidth, 0, 64),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t hmat_lb_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_hmat_lb, hmat_lb_fields),
};

static const cyaml_schema_field_t hmat_cache_fields[] = {
	CYAML_FIELD_UINT("node-id", CYAML_FLAG_DEFAULT, struct y_hmat_cache, node_id),
	CYAML_FIELD_STRING_PTR("size", CYAML_FLAG_POINTER, struct y_hmat_cache, size, 0, 64),
	CYAML_FIELD_UINT("level", CYAML_FLAG_DEFAULT, struct y_hmat_cache, level),
	CYAML_FIELD_ENUM("associativity", ENUM_OPT, struct y_hmat_cache, assoc,
			 assoc_words, CYAML_ARRAY_LEN(assoc_words)),
	CYAML_FIELD_ENUM("policy", ENUM_OPT, struct y_hmat_cache, policy, policy_words,
			 CYAML_ARRAY_LEN(policy_words)),
	CYAML_FIELD_UINT_PTR("line", STR_OPT, struct y_hmat_cache, line),
	CYAML_FIELD_UINT_PTR("hit-latency", STR_OPT, struct y_hmat_cache, hit_latency),
	CYAML_FIELD_UINT_PTR("hit-bandwidth", STR_OPT, struct y_hmat_cache, hit_bw),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t hmat_cache_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_hmat_cache, hmat_cache_fields),
};

static const cyaml_schema_value_t link_node_schema = {
	CYAML_VALUE_UINT(CYAML_FLAG_DEFAULT, uint32_t),
};

static const cyaml_schema_field_t link_fields[] = {
	CYAML_FIELD_STRING_PTR("name", STR_OPT, struct y_link, name, 0, HN_NAME_LEN - 1),
	CYAML_FIELD_SEQUENCE("nodes", CYAML_FLAG_POINTER, struct y_link, nodes,
			     &link_node_schema, 2, 2),
	CYAML_FIELD_UINT("bandwidth", CYAML_FLAG_DEFAULT, struct y_link, bandwidth),
	CYAML_FIELD_UINT("latency", CYAML_FLAG_DEFAULT, struct y_link, latency),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t link_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct y_link, link_fields),
};

static const cyaml_schema_field_t machine_fields[] = {
	CYAML_FIELD_STRING_PTR("machine", STR_OPT, struct y_machine, machine, 1, HN_NAME_LEN - 1),
	CYAML_FIELD_STRING_PTR("description", STR_OPT, struct y_machine, description, 0,
			       YDESC_MAX),
	CYAML_FIELD_ENUM("arch", ENUM_OPT, struct y_machine, arch, arch_words,
			 CYAML_ARRAY_LEN(arch_words)),
	CYAML_FIELD_STRING_PTR("page-size", STR_OPT, struct y_machine, page_size, 0, 64),
	CYAML_FIELD_SEQUENCE("nodes", CYAML_FLAG_POINTER, struct y_machine, nodes,
			     &node_schema, 1, HN_MAX_NUMNODES),
	/* Read by the libyaml pass: libcyaml has no sequence of sequences. */
	CYAML_FIELD_IGNORE("distance", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_SEQUENCE("dist", STR_OPT, struct y_machine, dist, &dist_schema, 0,
			     YMAX_ENTRIES),
	CYAML_FIELD_SEQUENCE("hmat-lb", STR_OPT, struct y_machine, hmat_lb, &hmat_lb_schema, 0,
			     YMAX_ENTRIES),
	CYAML_FIELD_SEQUENCE("hmat-cache", STR_OPT, struct y_machine, hmat_cache,
			     &hmat_cache_schema, 0, YMAX_CACHES),
	CYAML_FIELD_SEQUENCE("links", STR_OPT, struct y_machine, links, &link_schema, 0,
			     YMAX_LINKS),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t machine_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct y_machine, machine_fields),
};

/* ------------------------------------------------------------------------ */
/* Loading: context, messages.                                              */
/* ------------------------------------------------------------------------ */

struct yload {
	struct ydoc doc;		/* the file, its text, the log, a scratch walk */
	/* The "distance" matrix from pass 1: row r is dist[r * HN_MAX_NUMNODES ...]. */
	bool have_matrix;
	bool in_matrix;			/* the walk is inside the "distance" value */
	unsigned int nrows;
	unsigned int row_len[HN_MAX_NUMNODES];
	uint8_t *matrix;
};


/* Pass 1 callback: collect the distance matrix, which libcyaml skips. */
static int prepass_cb(struct ywalk *w, enum ywalk_role role, const yaml_event_t *ev, void *ctx)
{
	struct yload *ld = ctx;
	unsigned long v = 0;
	const char *s, *p;

	if (w->depth == 1) {
		bool is = !strcmp(w->path, "distance");

		if (role == YW_KEY) {
			/* libcyaml does not catch a repeated key whose value it ignores. */
			if (is && ld->have_matrix) {
				ywalk_fail(w, ev->start_mark, "duplicate key 'distance'");
				return -EINVAL;
			}
			return 0;
		}
		ld->in_matrix = is;
	}
	if (!ld->in_matrix || w->depth < 1 || role == YW_KEY)
		return 0;
	switch (w->depth) {
	case 1:
		if (ev->type != YAML_SEQUENCE_START_EVENT) {
			ywalk_fail(w, ev->start_mark,
				   "distance: expected a matrix, one row per node such as "
				   "[10, 21]");
			return -EINVAL;
		}
		ld->have_matrix = true;
		return 0;
	case 2:
		if (ev->type != YAML_SEQUENCE_START_EVENT) {
			ywalk_fail(w, ev->start_mark, "%s: expected a row such as [10, 21]",
				   w->path);
			return -EINVAL;
		}
		if (ld->nrows == HN_MAX_NUMNODES) {
			ywalk_fail(w, ev->start_mark, "distance: more than %d rows",
				   HN_MAX_NUMNODES);
			return -EINVAL;
		}
		ld->row_len[ld->nrows++] = 0;
		return 0;
	case 3:
		break;
	default:
		return 0;	/* deeper nodes were rejected at depth 3 */
	}
	if (ev->type != YAML_SCALAR_EVENT) {
		ywalk_fail(w, ev->start_mark, "%s: expected a distance (10..255)", w->path);
		return -EINVAL;
	}
	s = (const char *)ev->data.scalar.value;
	for (p = s; *p >= '0' && *p <= '9' && v <= 255; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s || *p || v > 255 || ev->data.scalar.length != (size_t)(p - s)) {
		ywalk_fail(w, ev->start_mark, "%s: '%.32s' is not a distance (10..255)",
			   w->path, s);
		return -EINVAL;
	}
	if (ld->row_len[ld->nrows - 1] == HN_MAX_NUMNODES) {
		ywalk_fail(w, ev->start_mark, "%s: more than %d columns", w->path,
			   HN_MAX_NUMNODES);
		return -EINVAL;
	}
	if (!ld->matrix) {
		ld->matrix = calloc((size_t)HN_MAX_NUMNODES * HN_MAX_NUMNODES, 1);
		if (!ld->matrix)
			return -ENOMEM;
	}
	ld->matrix[(size_t)(ld->nrows - 1) * HN_MAX_NUMNODES +
		   ld->row_len[ld->nrows - 1]++] = (uint8_t)v;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* libcyaml diagnostics into one positioned line.                           */
/* ------------------------------------------------------------------------ */

#define YCAP_LINES 48
#define YCAP_LEN 200

struct ycapture {
	const struct hn_log_sink *log;
	int n;
	char line[YCAP_LINES][YCAP_LEN];
};

static void cyaml_log_cb(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct ycapture *cap = ctx;
	char buf[YCAP_LEN];
	size_t l;

	vsnprintf(buf, sizeof(buf), fmt, args);
	l = strlen(buf);
	while (l && buf[l - 1] == '\n')
		buf[--l] = '\0';
	if (level >= CYAML_LOG_ERROR && cap->n < YCAP_LINES)
		memcpy(cap->line[cap->n++], buf, l + 1);
	ylog(cap->log, HN_LOG_DEBUG, "libcyaml: %s", buf);
}

/* One step of a libcyaml backtrace, outermost first once reversed. */
struct ycomp {
	enum { YC_FIELD, YC_MAPPING, YC_ENTRY } kind;
	char key[64];
	unsigned long index;	/* 0-based */
};

static int parse_backtrace(const struct ycapture *cap, struct ycomp *comp, int max)
{
	int n = 0;

	/* libcyaml prints the innermost state first. */
	for (int i = cap->n - 1; i >= 0 && n < max; i--) {
		const char *l = cap->line[i];
		struct ycomp *c = &comp[n];
		const char *q;

		if (!strncmp(l, "  in mapping field '", 20)) {
			l += 20;
			q = strstr(l, "' (line:");
			if (!q)
				continue;
			c->kind = YC_FIELD;
			snprintf(c->key, sizeof(c->key), "%.*s", (int)(q - l), l);
			n++;
		} else if (!strncmp(l, "  in mapping (", 14)) {
			c->kind = YC_MAPPING;
			n++;
		} else if (!strncmp(l, "  in sequence entry '", 21)) {
			unsigned long v = strtoul(l + 21, NULL, 10);

			c->kind = YC_ENTRY;
			c->index = v ? v - 1 : 0;	/* libcyaml counts from 1 */
			n++;
		}
	}
	return n;
}

static void path_of(const struct ycomp *comp, int n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && off < len; i++) {
		int w = 0;

		if (comp[i].kind == YC_FIELD)
			w = snprintf(buf + off, len - off, "%s%s", off ? "." : "", comp[i].key);
		else if (comp[i].kind == YC_ENTRY)
			w = snprintf(buf + off, len - off, "[%lu]", comp[i].index);
		if (w > 0)
			off = HN_MIN(off + (size_t)w, len - 1);
	}
}

/* The schema of the value a component path names, for messages. */
static const cyaml_schema_value_t *schema_at(const struct ycomp *comp, int n)
{
	const cyaml_schema_value_t *s = &machine_schema;

	for (int i = 0; i < n && s; i++) {
		if (comp[i].kind == YC_FIELD) {
			const cyaml_schema_field_t *f;

			if (s->type != CYAML_MAPPING)
				return NULL;
			for (f = s->mapping.fields; f->key; f++)
				if (!strcmp(f->key, comp[i].key))
					break;
			s = f->key ? &f->value : NULL;
		} else if (comp[i].kind == YC_ENTRY) {
			if (s->type != CYAML_SEQUENCE)
				return NULL;
			s = s->sequence.entry;
		}
	}
	return s;
}

static void list_words(const cyaml_schema_value_t *s, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!s)
		return;
	if (s->type == CYAML_ENUM) {
		for (uint32_t i = 0; i < s->enumeration.count && off < len; i++) {
			int w = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
					 s->enumeration.strings[i].str);
			if (w > 0)
				off = HN_MIN(off + (size_t)w, len - 1);
		}
	} else if (s->type == CYAML_MAPPING) {
		const cyaml_schema_field_t *f;

		for (f = s->mapping.fields; f->key && off < len; f++) {
			int w = snprintf(buf + off, len - off, "%s%s",
					 f == s->mapping.fields ? "" : ", ", f->key);
			if (w > 0)
				off = HN_MIN(off + (size_t)w, len - 1);
		}
	}
}

/* The key of mapping schema @s nearest to @key, when it looks like a typo of it. */
static const char *nearest_field(const cyaml_schema_value_t *s, const char *key)
{
	const char *names[32];
	size_t n = 0;

	if (!s || s->type != CYAML_MAPPING)
		return NULL;
	for (const cyaml_schema_field_t *f = s->mapping.fields; f->key && n < HN_ARRAY_SIZE(names); f++)
		names[n++] = f->key;
	return hn_nearest_word(key, names, n);
}

static const char *type_words(const cyaml_schema_value_t *s)
{
	if (!s)
		return "another kind of value";
	switch (s->type) {
	case CYAML_MAPPING:
		return "a mapping (key: value, ...)";
	case CYAML_SEQUENCE:
		return "a list";
	case CYAML_UINT:
		return "an unsigned integer";
	default:
		return "a single value";
	}
}

static const char *event_words(const char *ev)
{
	if (!strncmp(ev, "MAPPING", 7))
		return "a mapping";
	if (!strncmp(ev, "SEQUENCE", 8))
		return "a list";
	return "a single value";
}

static void report_cyaml(struct yload *ld, cyaml_err_t err, const struct ycapture *cap)
{
	struct ycomp comp[YAML_MAX_DEPTH * 2 + 2];
	const cyaml_schema_value_t *s;
	char path[YPATH_MAX], words[320];
	const char *msg = "", *near;
	int n;

	for (int i = 0; i < cap->n; i++) {
		if (!strncmp(cap->line[i], "Load: ", 6) && strcmp(cap->line[i],
		    "Load: Backtrace:")) {
			msg = cap->line[i] + 6;
			break;
		}
	}
	n = parse_backtrace(cap, comp, (int)HN_ARRAY_SIZE(comp));

	if (!strncmp(msg, "Unexpected key: ", 16)) {
		/* Innermost is "in mapping": the key itself is the culprit. */
		while (n && comp[n - 1].kind == YC_MAPPING)
			n--;
		s = schema_at(comp, n);
		list_words(s, words, sizeof(words));
		near = nearest_field(s, msg + 16);
		path_of(comp, n, path, sizeof(path));
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s%.*s",
			 *path ? "." : "", YKEY_MAX, msg + 16);
		yerr_at(&ld->doc, path, YW_KEY, 0, "unknown key '%.64s'%s%s%s (known here: %s)",
			msg + 16, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "",
			words);
		return;
	}
	if (!strncmp(msg, "Missing required mapping field: ", 32)) {
		/* The mapping is to blame; its last field entry is stale. */
		if (n && comp[n - 1].kind != YC_ENTRY)
			n--;
		path_of(comp, n, path, sizeof(path));
		yerr(&ld->doc, path, "missing required key '%s'", msg + 32);
		return;
	}
	if (!strncmp(msg, "Mapping field already seen: ", 28)) {
		path_of(comp, n, path, sizeof(path));
		yerr_at(&ld->doc, path, YW_KEY, 1, "duplicate key");
		return;
	}
	if (!strncmp(msg, "Excessive entries", 17) ||
	    !strncmp(msg, "Insufficient entries", 20)) {
		if (n && comp[n - 1].kind == YC_ENTRY)
			n--;
		s = schema_at(comp, n);
		path_of(comp, n, path, sizeof(path));
		if (s && s->type == CYAML_SEQUENCE && msg[0] == 'E')
			yerr(&ld->doc, path, "more than %" PRIu32 " entries", s->sequence.max);
		else if (s && s->type == CYAML_SEQUENCE)
			yerr(&ld->doc, path, "needs at least %" PRIu32 " entr%s", s->sequence.min,
			     s->sequence.min == 1 ? "y" : "ies");
		else
			yerr(&ld->doc, path, "%s", msg);
		return;
	}

	s = schema_at(comp, n);
	path_of(comp, n, path, sizeof(path));
	if (!strncmp(msg, "Expecting ", 10)) {
		const char *got = strstr(msg, "got event: ");

		yerr(&ld->doc, path, "expected %s, found %s", type_words(s),
		     got ? event_words(got + 11) : "something else");
	} else if (!strncmp(msg, "Invalid ENUM value: ", 20)) {
		list_words(s, words, sizeof(words));
		yerr(&ld->doc, path, "'%.64s' is not one of: %s", msg + 20, words);
	} else if (!strncmp(msg, "Invalid UINT value: ", 20) ||
		   !strncmp(msg, "Invalid INT value: ", 19)) {
		const char *v = strchr(msg, '\'');

		yerr(&ld->doc, path, "%s is not an unsigned integer below 2^%u", v ? v : "the value",
		     s ? s->data_size * 8 : 32);
	} else if (!strncmp(msg, "STRING length > ", 16)) {
		yerr(&ld->doc, path, "too long (at most %lu bytes)", strtoul(msg + 16, NULL, 10));
	} else if (!strncmp(msg, "STRING length < ", 16)) {
		yerr(&ld->doc, path, "must not be empty");
	} else if (err == CYAML_ERR_OOM) {
		ylog(ld->doc.log, HN_LOG_ERR, "%s: out of memory", ld->doc.file);
	} else {
		yerr(&ld->doc, path, "%s", *msg ? msg : cyaml_strerror(err));
	}
}

/* ------------------------------------------------------------------------ */
/* Pass 3: builder calls.                                                   */
/* ------------------------------------------------------------------------ */

/* "2.5" -> 250: the ratio in hundredths, rounded to the nearest. */
static int parse_ratio(const char *s, uint32_t *out)
{
	uint64_t whole = 0, frac = 0;
	int fdigits = 0, digits = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > 1000000)
			return -EINVAL;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			/* Keep three digits: two for the value, one to round. */
			if (fdigits < 3) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fdigits++;
			}
		}
	}
	if (*p || !digits)
		return -EINVAL;
	while (fdigits < 3) {
		frac *= 10;
		fdigits++;
	}
	*out = (uint32_t)(whole * 100 + (frac + 5) / 10);
	return 0;
}

/*
 * "0.5" -> 500: a fraction of 0..1 in per mille, rounded to the nearest.
 * Values above 1 parse (the caller names the range); only the syntax, a
 * plain decimal such as 0, 1, 0.85 or .85, is refused here.
 */
static int parse_fraction(const char *s, uint32_t *out)
{
	uint32_t whole = 0, frac = 0;
	int fdigits = 0, digits = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, digits++)
		whole = HN_MIN(whole * 10 + (uint32_t)(*p - '0'), 10u);
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			/* Keep four digits: three for per mille, one to round. */
			if (fdigits < 4) {
				frac = frac * 10 + (uint32_t)(*p - '0');
				fdigits++;
			}
		}
	}
	if (*p || !digits)
		return -EINVAL;
	while (fdigits < 4) {
		frac *= 10;
		fdigits++;
	}
	*out = whole * 1000 + (frac + 5) / 10;
	return 0;
}

/* 500 -> "0.5", 1000 -> "1": the shortest decimal that parses back the same. */
static const char *fraction_word(uint32_t permille, char *buf, size_t len)
{
	size_t n;

	if (permille % 1000 == 0) {
		snprintf(buf, len, "%" PRIu32, permille / 1000);
		return buf;
	}
	snprintf(buf, len, "%" PRIu32 ".%03" PRIu32, permille / 1000, permille % 1000);
	n = strlen(buf);
	while (n && buf[n - 1] == '0')
		buf[--n] = '\0';
	return buf;
}

struct prefix_ctx {
	const struct hn_log_sink *log;
	const char *file;
};

/* hn_machine_validate()'s reasons, prefixed with the file they concern. */
static void prefix_log(void *ctx, enum hn_log_level level, const char *msg)
{
	const struct prefix_ctx *pc = ctx;

	ylog(pc->log, level, "%s: %s", pc->file, msg);
}

/*
 * nodes[].memory[].loaded-latency into @d.  Each point is checked where it
 * stands (util in 0..1, latency > 0); the order rules are hn_curve_check()'s,
 * and the message says which of the two a point breaks and against which
 * neighbour.
 */
static int build_curve(struct yload *ld, const char *path, const struct y_memory *y,
		       struct hn_memdev_desc *d)
{
	char p[160], a[16], b[16];
	int bad;

	if (y->loaded_count > HN_CURVE_MAX_POINTS) {
		snprintf(p, sizeof(p), "%s.loaded-latency[%d]", path, HN_CURVE_MAX_POINTS);
		yerr(&ld->doc, p, "%u points: a curve has at most %d", y->loaded_count,
		     HN_CURVE_MAX_POINTS);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < y->loaded_count; i++) {
		const struct y_point *yp = &y->loaded[i];
		uint32_t u;

		snprintf(p, sizeof(p), "%s.loaded-latency[%u].util", path, i);
		if (parse_fraction(yp->util, &u) || u > 1000) {
			yerr(&ld->doc, p, "'%.32s' is not a utilisation from 0 to 1 (the "
			     "fraction of peak read bandwidth in use, e.g. 0.5)", yp->util);
			return -EINVAL;
		}
		if (!yp->latency) {
			snprintf(p, sizeof(p), "%s.loaded-latency[%u].latency", path, i);
			yerr(&ld->doc, p, "0 is not a latency (ns, > 0)");
			return -EINVAL;
		}
		d->loaded[i].util_permille = u;
		d->loaded[i].latency_ns = yp->latency;
	}
	d->nr_loaded = y->loaded_count;
	bad = hn_curve_check(d->loaded, d->nr_loaded);
	if (bad < 0)
		return 0;
	if (bad == 0 || bad >= (int)d->nr_loaded) {
		/* Nothing above lets this through; say where at least. */
		snprintf(p, sizeof(p), "%s.loaded-latency", path);
		yerr(&ld->doc, p, "point %d is refused by the machine builder", bad);
		return -EINVAL;
	}
	if (d->loaded[bad].util_permille <= d->loaded[bad - 1].util_permille) {
		const char *yu = y->loaded[bad].util;
		char shown[64] = "";

		/* Per mille can make two written values one: show the rounding. */
		if (strcmp(fraction_word(d->loaded[bad].util_permille, a, sizeof(a)), yu))
			snprintf(shown, sizeof(shown), " (%s to the nearest thousandth)", a);
		snprintf(p, sizeof(p), "%s.loaded-latency[%d].util", path, bad);
		yerr(&ld->doc, p, "'%.32s'%s is not above point %d's %s: utilisation must "
		     "strictly increase from point to point", yu, shown, bad - 1,
		     fraction_word(d->loaded[bad - 1].util_permille, b, sizeof(b)));
	} else {
		snprintf(p, sizeof(p), "%s.loaded-latency[%d].latency", path, bad);
		yerr(&ld->doc, p, "%" PRIu32 " is below point %d's %" PRIu32 " ns: latency must "
		     "never fall as utilisation rises", d->loaded[bad].latency_ns, bad - 1,
		     d->loaded[bad - 1].latency_ns);
	}
	return -EINVAL;
}

static int build_memory(struct yload *ld, struct hn_machine *m, const struct y_node *yn,
			unsigned int i, unsigned int j, const struct y_memory *y)
{
	struct hn_memdev_desc d;
	char path[96], p[128];
	uint64_t v;
	int ret;

	snprintf(path, sizeof(path), "nodes[%u].memory[%u]", i, j);
	memset(&d, 0, sizeof(d));
	d.nid = (int)yn->nodeid;
	if (y->name)
		hn_strlcpy(d.name, y->name, sizeof(d.name));
	else
		snprintf(d.name, sizeof(d.name), "mem%d.%u", d.nid, j);
	snprintf(p, sizeof(p), "%s.type", path);
	if (hn_mem_kind_parse(y->type, &d.kind)) {
		yerr(&ld->doc, p, "'%.32s' is not a memory type (dram, hbm, nvdimm, gpu, cxl, "
		     "cxl-compressed)", y->type);
		return -EINVAL;
	}
	snprintf(p, sizeof(p), "%s.size", path);
	if (hn_parse_size(y->size, &d.size)) {
		yerr(&ld->doc, p, "'%.64s' is not a size (e.g. 4096, 512M, 64G)", y->size);
		return -EINVAL;
	}
	if (!d.size) {
		yerr(&ld->doc, p, "a device cannot have zero size");
		return -EINVAL;
	}
	if (d.size % 4096) {
		yerr(&ld->doc, p, "%" PRIu64 " is not a multiple of 4 KiB", d.size);
		return -EINVAL;
	}
	d.base = HN_ADDR_AUTO;
	if (y->addr) {
		snprintf(p, sizeof(p), "%s.addr", path);
		if (hn_parse_size(y->addr, &d.base) || d.base == HN_ADDR_AUTO) {
			yerr(&ld->doc, p, "'%.64s' is not an address (e.g. 0x100000000 or 4G)", y->addr);
			return -EINVAL;
		}
		if (d.base % 4096) {
			yerr(&ld->doc, p, "%#" PRIx64 " is not 4 KiB aligned", d.base);
			return -EINVAL;
		}
		if (d.size > UINT64_MAX - d.base) {
			yerr(&ld->doc, p, "the device would end beyond 2^64");
			return -EINVAL;
		}
	}
	d.read_latency_ns = y->read_latency;
	d.write_latency_ns = y->write_latency;
	d.read_bw_mbps = y->read_bw;
	d.write_bw_mbps = y->write_bw;
	if (!d.read_latency_ns || !d.read_bw_mbps) {
		snprintf(p, sizeof(p), "%s.%s", path,
			 d.read_latency_ns ? "read-bandwidth" : "read-latency");
		yerr(&ld->doc, p, "must be greater than 0");
		return -EINVAL;
	}
	d.power_mw_per_gib = y->power;
	if (y->reliability > 16) {
		snprintf(p, sizeof(p), "%s.reliability", path);
		yerr(&ld->doc, p, "%" PRIu32 " is out of range (1..16, 0 = not given)", y->reliability);
		return -EINVAL;
	}
	d.reliability = y->reliability;
	d.density_gbit = y->density;
	d.compute_gops = y->compute;
	d.persistent = y->persistent;
	d.hotplug = y->hotplug;
	d.zone = (enum hn_zone_hint)y->zone;
	if (y->mattr) {
		snprintf(p, sizeof(p), "%s.mattr", path);
		if (hn_parse_uint(y->mattr, UINT32_MAX, false, &v)) {
			yerr(&ld->doc, p, "'%.64s' is not a 32-bit attribute word", y->mattr);
			return -EINVAL;
		}
		d.mattr = (uint32_t)v;
	}
	if ((d.kind == HN_MEM_CXL_COMPRESSED) != !!y->compression) {
		if (y->compression) {
			snprintf(p, sizeof(p), "%s.compression", path);
			yerr(&ld->doc, p, "only a cxl-compressed device compresses");
		} else {
			yerr(&ld->doc, path, "a cxl-compressed device needs a 'compression' entry");
		}
		return -EINVAL;
	}
	if (y->compression) {
		d.compress.algo = (enum hn_compress_algo)y->compression->algo;
		snprintf(p, sizeof(p), "%s.compression.ratio", path);
		if (parse_ratio(y->compression->ratio, &d.compress.ratio_x100) ||
		    d.compress.ratio_x100 < 100) {
			yerr(&ld->doc, p, "'%.32s' is not a ratio of at least 1.0 (e.g. 2.5)",
			     y->compression->ratio);
			return -EINVAL;
		}
		d.compress.compress_mbps = y->compression->compress_bw;
		d.compress.decompress_mbps = y->compression->decompress_bw;
		d.compress.compress_ns = y->compression->latency;
	}
	if (y->write_cost) {
		snprintf(p, sizeof(p), "%s.write-cost", path);
		if (parse_ratio(y->write_cost, &d.write_cost_x100) || d.write_cost_x100 < 100) {
			yerr(&ld->doc, p, "'%.32s' is not a write cost of at least 1.0 (the read "
			     "bandwidth a written byte uses, e.g. 1.45)", y->write_cost);
			return -EINVAL;
		}
	}
	ret = build_curve(ld, path, y, &d);
	if (ret)
		return ret;
	ret = hn_machine_add_memdev(m, &d);
	if (ret == -EINVAL)
		yerr(&ld->doc, path, "rejected by the machine builder");
	return ret;
}

/*
 * An llc mapping into @d.  hn_llc_problem() owns the rules; its reason
 * starts "the <field> ...", which says which key to point at.
 */
static int build_llc(struct yload *ld, const char *path, const struct y_llc *y,
		     struct hn_initiator_desc *d)
{
	static const struct {
		const char *subject, *key;
	} keys[] = {
		{ "the line", "line" }, { "the ways", "ways" }, { "the size", "size" },
		{ "the hit latency", "latency" },
	};
	const char *why, *key = NULL;
	char p[160], v[72];

	snprintf(p, sizeof(p), "%s.llc.size", path);
	if (hn_parse_size(y->size, &d->llc_size) || !d->llc_size) {
		yerr(&ld->doc, p, "'%.64s' is not a cache size (e.g. 32M)", y->size);
		return -EINVAL;
	}
	d->llc_line = y->line ? *y->line : 64;
	d->llc_ways = y->ways;
	d->llc_latency_ns = y->latency;
	if (!y->latency) {
		snprintf(p, sizeof(p), "%s.llc.latency", path);
		yerr(&ld->doc, p, "0 is not a latency (ns, > 0)");
		return -EINVAL;
	}
	why = hn_llc_problem(d);
	if (!why)
		return 0;
	for (size_t i = 0; i < HN_ARRAY_SIZE(keys) && !key; i++)
		if (!strncmp(why, keys[i].subject, strlen(keys[i].subject)))
			key = keys[i].key;
	if (!key) {
		snprintf(p, sizeof(p), "%s.llc", path);
		yerr(&ld->doc, p, "%s", why);
	} else {
		snprintf(p, sizeof(p), "%s.llc.%s", path, key);
		if (!strcmp(key, "size"))
			snprintf(v, sizeof(v), "'%.32s' (line %" PRIu32 ", %" PRIu32 " ways)",
				 y->size, d->llc_line, d->llc_ways);
		else
			snprintf(v, sizeof(v), "%" PRIu32, !strcmp(key, "line") ? d->llc_line :
				 !strcmp(key, "ways") ? d->llc_ways : d->llc_latency_ns);
		yerr(&ld->doc, p, "%s is refused: %s", v, why);
	}
	return -EINVAL;
}

static int build_initiator(struct yload *ld, struct hn_machine *m, int nid, const char *path,
			   const char *name, enum hn_initiator_kind kind, const char *cpus,
			   const struct y_llc *llc)
{
	struct hn_initiator_desc d;
	uint64_t *mask;
	char p[128];
	int ret;

	memset(&d, 0, sizeof(d));
	d.nid = nid;
	d.kind = kind;
	hn_strlcpy(d.name, name, sizeof(d.name));
	hn_strlcpy(d.cpus, cpus ? cpus : "", sizeof(d.cpus));
	snprintf(p, sizeof(p), "%s%scpus", path, *path ? "." : "");
	if (kind == HN_INIT_CPU && !cpus) {
		yerr(&ld->doc, path, "a cpu initiator needs 'cpus'");
		return -EINVAL;
	}
	mask = calloc(HN_MAX_CPUS / 64, sizeof(*mask));
	if (!mask)
		return -ENOMEM;
	ret = hn_parse_idlist(d.cpus, mask, HN_MAX_CPUS);
	if (!ret && kind == HN_INIT_CPU && !hn_bitmap_weight(mask, HN_MAX_CPUS))
		ret = -ENODATA;
	free(mask);
	if (ret == -EINVAL) {
		yerr(&ld->doc, p, "'%s' is not a cpu list (ids below %d, e.g. 0-15,32-47)", d.cpus,
		     HN_MAX_CPUS);
		return -EINVAL;
	}
	if (ret) {
		yerr(&ld->doc, p, "a cpu initiator needs at least one cpu");
		return -EINVAL;
	}
	if (llc && (ret = build_llc(ld, path, llc, &d)))
		return ret;
	ret = hn_machine_add_initiator(m, &d);
	if (ret == -EINVAL)
		yerr(&ld->doc, path, "rejected by the machine builder");
	return ret;
}

static int cmp_uint(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int build_distance(struct yload *ld, struct hn_machine *m, const struct y_machine *y)
{
	uint32_t *ids;
	unsigned int n = y->nodes_count;
	char p[64];
	int ret = 0;

	if (!ld->have_matrix)
		return 0;
	if (ld->nrows != n) {
		yerr(&ld->doc, "distance", "%u row%s for %u listed node%s", ld->nrows,
		     ld->nrows == 1 ? "" : "s", n, n == 1 ? "" : "s");
		return -EINVAL;
	}
	ids = malloc(n * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		ids[i] = y->nodes[i].nodeid;
	qsort(ids, n, sizeof(*ids), cmp_uint);
	for (unsigned int r = 0; r < n && !ret; r++) {
		if (ld->row_len[r] != n) {
			snprintf(p, sizeof(p), "distance[%u]", r);
			yerr(&ld->doc, p, "%u value%s for %u listed node%s", ld->row_len[r],
			     ld->row_len[r] == 1 ? "" : "s", n, n == 1 ? "" : "s");
			ret = -EINVAL;
			break;
		}
		for (unsigned int c = 0; c < n; c++) {
			uint8_t v = ld->matrix[(size_t)r * HN_MAX_NUMNODES + c];

			if (v < HN_LOCAL_DISTANCE) {
				snprintf(p, sizeof(p), "distance[%u][%u]", r, c);
				yerr(&ld->doc, p, "%u is below the local distance %d", v,
				     HN_LOCAL_DISTANCE);
				ret = -EINVAL;
				break;
			}
			ret = hn_machine_set_distance(m, (int)ids[r], (int)ids[c], v);
			if (ret)
				break;
		}
	}
	free(ids);
	return ret;
}

static int build_hmat_lb(struct yload *ld, struct hn_machine *m, unsigned int i,
			 const struct y_hmat_lb *y)
{
	struct hn_access_desc a = { 0 };
	bool is_lat = y->data_type <= Y_WRITE_LATENCY;
	char path[48], p[64];
	uint32_t v;
	int ret;

	snprintf(path, sizeof(path), "hmat-lb[%u]", i);
	if (y->initiator >= HN_MAX_NUMNODES || y->target >= HN_MAX_NUMNODES) {
		snprintf(p, sizeof(p), "%s.%s", path,
			 y->initiator >= HN_MAX_NUMNODES ? "initiator" : "target");
		yerr(&ld->doc, p, "node ids go up to %d", HN_MAX_NUMNODES - 1);
		return -EINVAL;
	}
	if (is_lat ? !y->latency || y->bandwidth : !y->bandwidth || y->latency) {
		yerr(&ld->doc, path, "data-type %s takes '%s' and not '%s'",
		     dtype_words[y->data_type].str, is_lat ? "latency" : "bandwidth",
		     is_lat ? "bandwidth" : "latency");
		return -EINVAL;
	}
	if (is_lat) {
		v = *y->latency;
		if (!v) {
			snprintf(p, sizeof(p), "%s.latency", path);
			yerr(&ld->doc, p, "must be greater than 0 ns");
			return -EINVAL;
		}
	} else {
		uint64_t bps;

		/*
		 * Bytes per second with QEMU's binary suffixes (200M is 200 MiB/s),
		 * stored as MB/s (10^6 bytes/s) rounded to the nearest.
		 */
		snprintf(p, sizeof(p), "%s.bandwidth", path);
		if (hn_parse_size(y->bandwidth, &bps)) {
			yerr(&ld->doc, p, "'%.64s' is not a bandwidth in bytes/s (e.g. 20G)",
			     y->bandwidth);
			return -EINVAL;
		}
		if (bps / 1000000 >= UINT32_MAX || (bps + 500000) / 1000000 == 0) {
			yerr(&ld->doc, p, "%" PRIu64 " bytes/s is outside 1 MB/s .. 4 PB/s", bps);
			return -EINVAL;
		}
		v = (uint32_t)((bps + 500000) / 1000000);
	}
	if (y->hierarchy != Y_HIER_MEMORY) {
		/* hnuma models no per-level cache latencies; QEMU lines carry them. */
		ylog(ld->doc.log, HN_LOG_WARNING, "%s: %s: hierarchy %s ignored", ld->doc.file, path,
			hier_words[y->hierarchy].str);
		return 0;
	}
	switch (y->data_type) {
	case Y_ACCESS_LATENCY:
		a.read_latency_ns = a.write_latency_ns = v;
		break;
	case Y_READ_LATENCY:
		a.read_latency_ns = v;
		break;
	case Y_WRITE_LATENCY:
		a.write_latency_ns = v;
		break;
	case Y_ACCESS_BANDWIDTH:
		a.read_bw_mbps = a.write_bw_mbps = v;
		break;
	case Y_READ_BANDWIDTH:
		a.read_bw_mbps = v;
		break;
	default:
		a.write_bw_mbps = v;
		break;
	}
	ret = hn_machine_set_access(m, (int)y->initiator, (int)y->target, &a);
	if (ret == -EINVAL)
		yerr(&ld->doc, path, "rejected by the machine builder");
	return ret;
}

/*
 * Called while only the nodes listed in 'nodes' are declared (before dist
 * and hmat-lb can declare more), so an unknown end is named here, at its
 * key, rather than by hn_machine_validate() without a position.
 */
static int build_link(struct yload *ld, struct hn_machine *m, unsigned int i,
		      const struct y_link *y)
{
	struct hn_link_desc l;
	char p[64];
	int ret;

	memset(&l, 0, sizeof(l));
	if (y->name)
		hn_strlcpy(l.name, y->name, sizeof(l.name));
	else
		snprintf(l.name, sizeof(l.name), "link%u", i);
	for (unsigned int e = 0; e < 2; e++) {
		uint32_t nid = y->nodes[e];

		snprintf(p, sizeof(p), "links[%u].nodes[%u]", i, e);
		if (nid >= HN_MAX_NUMNODES) {
			yerr(&ld->doc, p, "%" PRIu32 " is beyond the highest node id %d", nid,
			     HN_MAX_NUMNODES - 1);
			return -EINVAL;
		}
		if (!hn_machine_node_exists(m, (int)nid)) {
			yerr(&ld->doc, p, "node %" PRIu32 " is not declared in 'nodes'", nid);
			return -EINVAL;
		}
	}
	l.a = (int)y->nodes[0];
	l.b = (int)y->nodes[1];
	if (l.a == l.b) {
		snprintf(p, sizeof(p), "links[%u].nodes", i);
		yerr(&ld->doc, p, "both ends are node %d: a link joins two different nodes", l.a);
		return -EINVAL;
	}
	if (!y->bandwidth) {
		snprintf(p, sizeof(p), "links[%u].bandwidth", i);
		yerr(&ld->doc, p, "0 is not a bandwidth (MB/s each way, > 0)");
		return -EINVAL;
	}
	l.bw_mbps = y->bandwidth;
	l.latency_ns = y->latency;
	ret = hn_machine_add_link(m, &l);
	if (ret == -EINVAL) {
		snprintf(p, sizeof(p), "links[%u]", i);
		yerr(&ld->doc, p, "rejected by the machine builder");
	}
	return ret;
}

static int build_machine(struct yload *ld, const struct y_machine *y, const char *defname,
			 struct hn_machine **out)
{
	struct prefix_ctx pc = { .log = ld->doc.log, .file = ld->doc.file };
	struct hn_log_sink sink = { .fn = prefix_log, .ctx = &pc };
	struct hn_machine *m;
	uint64_t v;
	char p[96];
	int ret;

	ret = hn_machine_new(&m, y->machine ? y->machine : defname);
	if (ret)
		return ret;
	if (y->description)
		ret = hn_machine_set_description(m, y->description);
	if (!ret)
		ret = hn_machine_set_arch(m, (enum hn_arch)y->arch);
	if (!ret && y->page_size) {
		if (hn_parse_size(y->page_size, &v) || v > UINT32_MAX ||
		    hn_machine_set_page_size(m, (uint32_t)v)) {
			yerr(&ld->doc, "page-size", "'%.64s' is not a page size (a power of two, 4K..2M)",
			     y->page_size);
			ret = -EINVAL;
		}
	}
	if (!ret) {
		unsigned long devs = 0, inits = 0;

		for (unsigned int i = 0; i < y->nodes_count; i++) {
			devs += y->nodes[i].memory_count;
			inits += y->nodes[i].initiators_count + !!y->nodes[i].cpus;
		}
		if (devs > YMAX_MEMDEVS || inits > YMAX_INITIATORS) {
			bool d = devs > YMAX_MEMDEVS;

			yerr(&ld->doc, "nodes", "more than %d %s", d ? YMAX_MEMDEVS : YMAX_INITIATORS,
			     d ? "memory devices" : "initiators");
			ret = -EINVAL;
		}
	}
	/* Declare every listed node first: an empty node is a node too. */
	for (unsigned int i = 0; i < y->nodes_count && !ret; i++) {
		const struct y_node *yn = &y->nodes[i];

		snprintf(p, sizeof(p), "nodes[%u].nodeid", i);
		if (yn->nodeid >= HN_MAX_NUMNODES) {
			yerr(&ld->doc, p, "%" PRIu32 " is beyond the highest node id %d", yn->nodeid,
			     HN_MAX_NUMNODES - 1);
			ret = -EINVAL;
			break;
		}
		if (hn_machine_node_exists(m, (int)yn->nodeid)) {
			yerr(&ld->doc, p, "node %" PRIu32 " is listed twice", yn->nodeid);
			ret = -EINVAL;
			break;
		}
		ret = hn_machine_add_node(m, (int)yn->nodeid);
	}
	for (unsigned int i = 0; i < y->nodes_count && !ret; i++) {
		const struct y_node *yn = &y->nodes[i];
		int nid = (int)yn->nodeid;

		if (yn->cpus) {
			char name[HN_NAME_LEN];

			snprintf(p, sizeof(p), "nodes[%u]", i);
			snprintf(name, sizeof(name), "socket%d", nid);
			ret = build_initiator(ld, m, nid, p, name, HN_INIT_CPU, yn->cpus, yn->llc);
		} else if (yn->llc) {
			snprintf(p, sizeof(p), "nodes[%u].llc", i);
			yerr(&ld->doc, p, "a node's llc is that of its 'cpus' initiator, and "
			     "node %d has no 'cpus' (give each initiator its own llc instead)",
			     nid);
			ret = -EINVAL;
		}
		for (unsigned int j = 0; j < yn->initiators_count && !ret; j++) {
			const struct y_initiator *yi = &yn->initiators[j];
			char name[HN_NAME_LEN];

			snprintf(p, sizeof(p), "nodes[%u].initiators[%u]", i, j);
			snprintf(name, sizeof(name), "%s%d",
				 yi->type == HN_INIT_GPU ? "gpu" : "socket",
				 nid);
			ret = build_initiator(ld, m, nid, p, yi->name ? yi->name : name,
					      (enum hn_initiator_kind)yi->type, yi->cpus, yi->llc);
		}
		for (unsigned int j = 0; j < yn->memory_count && !ret; j++)
			ret = build_memory(ld, m, yn, i, j, &yn->memory[j]);
	}
	for (unsigned int i = 0; i < y->links_count && !ret; i++)
		ret = build_link(ld, m, i, &y->links[i]);
	if (!ret)
		ret = build_distance(ld, m, y);
	for (unsigned int i = 0; i < y->dist_count && !ret; i++) {
		const struct y_dist *d = &y->dist[i];

		if (d->src >= HN_MAX_NUMNODES || d->dst >= HN_MAX_NUMNODES) {
			snprintf(p, sizeof(p), "dist[%u].%s", i,
				 d->src >= HN_MAX_NUMNODES ? "src" : "dst");
			yerr(&ld->doc, p, "node ids go up to %d", HN_MAX_NUMNODES - 1);
			ret = -EINVAL;
		} else if (d->val < HN_LOCAL_DISTANCE || d->val > 255) {
			snprintf(p, sizeof(p), "dist[%u].val", i);
			yerr(&ld->doc, p, "%" PRIu32 " is not a distance (10..255)", d->val);
			ret = -EINVAL;
		} else {
			ret = hn_machine_set_distance(m, (int)d->src, (int)d->dst, (uint8_t)d->val);
		}
	}
	for (unsigned int i = 0; i < y->hmat_lb_count && !ret; i++)
		ret = build_hmat_lb(ld, m, i, &y->hmat_lb[i]);
	for (unsigned int i = 0; i < y->hmat_cache_count && !ret; i++) {
		const struct y_hmat_cache *yc = &y->hmat_cache[i];
		struct hn_memcache_desc c = {
			.nid = (int)yc->node_id,
			.level = yc->level,
			.assoc = (enum hn_cache_assoc)yc->assoc,
			.policy = (enum hn_cache_policy)yc->policy,
			.line = yc->line ? *yc->line : 64,
			.hit_latency_ns = yc->hit_latency ? *yc->hit_latency : 0,
			.hit_bw_mbps = yc->hit_bw ? *yc->hit_bw : 0,
		};

		snprintf(p, sizeof(p), "hmat-cache[%u].size", i);
		if (hn_parse_size(yc->size, &c.size) || !c.size) {
			yerr(&ld->doc, p, "'%.64s' is not a cache size (e.g. 16G)", yc->size);
			ret = -EINVAL;
		} else if (yc->node_id >= HN_MAX_NUMNODES) {
			snprintf(p, sizeof(p), "hmat-cache[%u].node-id", i);
			yerr(&ld->doc, p, "node ids go up to %d", HN_MAX_NUMNODES - 1);
			ret = -EINVAL;
		} else if (yc->level < 1 || yc->level > 3) {
			snprintf(p, sizeof(p), "hmat-cache[%u].level", i);
			yerr(&ld->doc, p, "%" PRIu32 " is not a cache level (1..3)", yc->level);
			ret = -EINVAL;
		} else if ((yc->hit_latency && !*yc->hit_latency) || (yc->hit_bw && !*yc->hit_bw)) {
			bool lat = yc->hit_latency && !*yc->hit_latency;

			snprintf(p, sizeof(p), "hmat-cache[%u].hit-%s", i,
				 lat ? "latency" : "bandwidth");
			yerr(&ld->doc, p, "0 is refused: a hit %s must be above 0 (leave the key "
			     "out for the node's own memory figures)",
			     lat ? "latency (ns)" : "bandwidth (MB/s)");
			ret = -EINVAL;
		} else {
			ret = hn_machine_add_memcache(m, &c);
		}
	}
	if (!ret)
		ret = hn_machine_validate(m, 0, &sink);
	if (ret) {
		hn_machine_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Entry points.                                                            */
/* ------------------------------------------------------------------------ */

static int load_text(struct hn_machine **out, const char *file, const char *defname,
		     const char *text, size_t len, const struct hn_log_sink *log)
{
	struct ycapture *cap = NULL;
	struct y_machine *y = NULL;
	struct yload *ld;
	cyaml_config_t cfg = {
		.log_fn = cyaml_log_cb,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_WARNING,
		/* Aliases could expand exponentially; pass 1 already refuses them. */
		.flags = CYAML_CFG_NO_ALIAS,
	};
	cyaml_err_t err;
	int ret;

	ld = calloc(1, sizeof(*ld));
	cap = calloc(1, sizeof(*cap));
	if (!ld || !cap) {
		ret = -ENOMEM;
		goto out;
	}
	ld->doc.file = file;
	ld->doc.text = text;
	ld->doc.len = len;
	ld->doc.log = log;
	cap->log = log;
	cfg.log_ctx = cap;

	ld->doc.walk.what = "machine file";
	ret = ywalk_run(&ld->doc.walk, text, len, prepass_cb, ld);
	if (ret == -EINVAL) {
		ydoc_report_walk(&ld->doc);
		goto out;
	}
	if (ret)
		goto out;

	err = cyaml_load_data((const uint8_t *)text, len, &cfg, &machine_schema,
			      (cyaml_data_t **)&y, NULL);
	if (err == CYAML_ERR_OOM) {
		ret = -ENOMEM;
		goto out;
	}
	if (err != CYAML_OK) {
		report_cyaml(ld, err, cap);
		ret = -EINVAL;
		goto out;
	}
	if (!y) {
		ylog(log, HN_LOG_ERR, "%s:1:1: empty document, expected 'nodes:'", file);
		ret = -EINVAL;
		goto out;
	}
	ret = build_machine(ld, y, defname, out);
	cyaml_free(&cfg, &machine_schema, y, 0);
out:
	if (ld)
		free(ld->matrix);
	free(ld);
	free(cap);
	return ret;
}

int hn_machine_load_yaml_string(struct hn_machine **out, const char *text, size_t len,
				const struct hn_log_sink *log)
{
	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!text)
		return -EINVAL;
	if (len > YAML_MAX_BYTES) {
		ylog(log, HN_LOG_ERR, "<string>: %zu bytes is more than the %u MiB limit", len,
			YAML_MAX_BYTES >> 20);
		return -EFBIG;
	}
	return load_text(out, "<string>", "unnamed", text, len, log);
}

/* The file's base name without its extension, cut at a character boundary. */
static void default_name(const char *path, char *buf, size_t len)
{
	const char *b = strrchr(path, '/'), *dot;
	size_t n;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	if (n >= len)
		n = len - 1;
	while (n && ((unsigned char)b[n] & 0xc0) == 0x80)
		n--;
	memcpy(buf, b, n);
	buf[n] = '\0';
	if (!n)
		hn_strlcpy(buf, "unnamed", len);
}

int hn_machine_load_yaml(struct hn_machine **out, const char *path,
			 const struct hn_log_sink *log)
{
	char name[HN_NAME_LEN];
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!path)
		return -EINVAL;
	ret = ydoc_read_file(path, &buf, &len, log);
	if (ret)
		return ret;
	default_name(path, name, sizeof(name));
	ret = load_text(out, path, name, buf, len, log);
	free(buf);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* Saving: the canonical form.                                              */
/* ------------------------------------------------------------------------ */

/* Decode one UTF-8 character; 0 bytes for an invalid sequence. */
static int utf8_next(const unsigned char *s, uint32_t *cp)
{
	int n;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p) {
		int n = utf8_next(p, &cp);

		if (!n)
			return false;
		p += n;
	}
	return true;
}

/*
 * A double-quoted YAML scalar.  Characters YAML does not allow raw in a
 * stream (controls, C1, the BOM) and the ones it folds as line breaks
 * (NEL, U+2028, U+2029) are escaped, so whatever a load produced loads back
 * the same.
 */
static void emit_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		uint32_t c;
		int n = utf8_next(p, &c);

		if (!n) {
			/* Callers check validity first; never loop on a bad byte. */
			fprintf(f, "\\x%02X", *p++);
			continue;
		}
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", (char)c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff &&
						       c != 0x2028 && c != 0x2029) ||
			 (c >= 0xe000 && c <= 0xfffd && c != 0xfeff) || c >= 0x10000)
			fwrite(p, 1, (size_t)n, f);
		else if (c < 0x100)
			fprintf(f, "\\x%02X", (unsigned int)c);
		else
			fprintf(f, "\\u%04X", (unsigned int)c);
		p += n;
	}
	fputc('"', f);
}

static const char *word_of(const cyaml_strval_t *w, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].val == v)
			return w[i].str;
	return w[0].str;
}

#define WORD(w, v) word_of(w, HN_ARRAY_SIZE(w), (int)(v))

static void emit_memdev(FILE *f, const struct hn_memdev_desc *d)
{
	char sz[32];

	fputs("      - name: ", f);
	emit_str(f, d->name);
	fprintf(f, "\n        type: %s\n", hn_mem_kind_name(d->kind));
	fprintf(f, "        size: %s\n", hn_size_word(d->size, "", sz, sizeof(sz)));
	fprintf(f, "        addr: 0x%" PRIx64 "\n", d->base);
	fprintf(f, "        read-latency: %" PRIu32 "\n", d->read_latency_ns);
	fprintf(f, "        write-latency: %" PRIu32 "\n", d->write_latency_ns);
	fprintf(f, "        read-bandwidth: %" PRIu32 "\n", d->read_bw_mbps);
	fprintf(f, "        write-bandwidth: %" PRIu32 "\n", d->write_bw_mbps);
	fprintf(f, "        power: %" PRIu32 "\n", d->power_mw_per_gib);
	fprintf(f, "        reliability: %" PRIu32 "\n", d->reliability);
	fprintf(f, "        density: %" PRIu32 "\n", d->density_gbit);
	fprintf(f, "        compute: %" PRIu32 "\n", d->compute_gops);
	fprintf(f, "        persistent: %s\n", d->persistent ? "true" : "false");
	fprintf(f, "        hotplug: %s\n", d->hotplug ? "true" : "false");
	fprintf(f, "        zone: %s\n", WORD(zone_words, d->zone));
	fprintf(f, "        mattr: 0x%" PRIx32 "\n", d->mattr);
	if (d->compress.algo != HN_COMPRESS_NONE)
		fprintf(f, "        compression: { algo: %s, ratio: %" PRIu32 ".%02" PRIu32
			", compress-bandwidth: %" PRIu32 ", decompress-bandwidth: %" PRIu32
			", latency: %" PRIu32 " }\n",
			WORD(algo_words, d->compress.algo), d->compress.ratio_x100 / 100,
			d->compress.ratio_x100 % 100, d->compress.compress_mbps,
			d->compress.decompress_mbps, d->compress.compress_ns);
	/* 0 (derive) and an empty curve have no spelling: left out, as on load. */
	if (d->write_cost_x100)
		fprintf(f, "        write-cost: %" PRIu32 ".%02" PRIu32 "\n",
			d->write_cost_x100 / 100, d->write_cost_x100 % 100);
	if (d->nr_loaded)
		fputs("        loaded-latency:\n", f);
	for (uint32_t i = 0; i < d->nr_loaded; i++)
		fprintf(f, "          - { util: %s, latency: %" PRIu32 " }\n",
			fraction_word(d->loaded[i].util_permille, sz, sizeof(sz)),
			d->loaded[i].latency_ns);
}

static void emit_lb(void *ctx, int i, int t, const char *type, const char *key, uint64_t v)
{
	fprintf(ctx, "  - { initiator: %d, target: %d, hierarchy: memory, data-type: %s, "
		"%s: %" PRIu64 " }\n", i, t, type, key, v);
}

/*
 * What a file can say: strings in UTF-8, and a write cost of at least 1.0
 * (the loader refuses less; the builder takes any).
 */
static bool machine_savable(const struct hn_machine *m)
{
	if (!utf8_valid(m->name) || (m->description && !utf8_valid(m->description)))
		return false;
	for (int i = 0; i < m->nr_memdevs; i++)
		if (!utf8_valid(m->memdevs[i].name) ||
		    (m->memdevs[i].write_cost_x100 && m->memdevs[i].write_cost_x100 < 100))
			return false;
	for (int i = 0; i < m->nr_inits; i++)
		if (!utf8_valid(m->inits[i].d.name) || !utf8_valid(m->inits[i].d.cpus))
			return false;
	for (int i = 0; i < m->nr_links; i++)
		if (!utf8_valid(m->links[i].name))
			return false;
	return true;
}

static void emit_machine(FILE *f, const struct hn_machine *m)
{
	int n = m->nr_node_ids;
	bool first;
	char sz[32];

	fputs("# hnuma machine file, canonical form (docs/machine-files.md).\n"
	      "# hmat-lb bandwidths are bytes/s; other bandwidths MB/s; latencies ns.\n", f);
	fputs("machine: ", f);
	emit_str(f, m->name);
	fputc('\n', f);
	if (m->description && *m->description) {
		fputs("description: ", f);
		emit_str(f, m->description);
		fputc('\n', f);
	}
	fprintf(f, "arch: %s\n", WORD(arch_words, m->arch));
	if (m->page_size)
		fprintf(f, "page-size: %s\n", hn_size_word(m->page_size, "", sz, sizeof(sz)));
	fputs("nodes:\n", f);
	for (int nid = 0; nid < n; nid++) {
		if (!m->node_declared[nid])
			continue;
		fprintf(f, "  - nodeid: %d\n", nid);
		first = true;
		for (int i = 0; i < m->nr_inits; i++) {
			const struct hn_initiator_desc *d = &m->inits[i].d;

			if (d->nid != nid)
				continue;
			if (first)
				fputs("    initiators:\n", f);
			first = false;
			fputs("      - { name: ", f);
			emit_str(f, d->name);
			fprintf(f, ", type: %s", WORD(init_words, d->kind));
			if (d->cpus[0] || d->kind == HN_INIT_CPU) {
				fputs(", cpus: ", f);
				emit_str(f, d->cpus);
			}
			if (d->llc_size)
				fprintf(f, ",\n          llc: { size: %s, line: %" PRIu32
					", ways: %" PRIu32 ", latency: %" PRIu32 " }",
					hn_size_word(d->llc_size, "", sz, sizeof(sz)), d->llc_line,
					d->llc_ways, d->llc_latency_ns);
			fputs(" }\n", f);
		}
		first = true;
		for (int i = 0; i < m->nr_memdevs; i++) {
			if (m->memdevs[i].nid != nid)
				continue;
			if (first)
				fputs("    memory:\n", f);
			first = false;
			emit_memdev(f, &m->memdevs[i]);
		}
	}
	fputs("distance:\n", f);
	for (int a = 0; a < n; a++) {
		if (!m->node_declared[a])
			continue;
		fputs("  - [", f);
		first = true;
		for (int b = 0; b < n; b++) {
			if (!m->node_declared[b])
				continue;
			fprintf(f, "%s%u", first ? "" : ", ", m->distance[a * n + b]);
			first = false;
		}
		fputs("]\n", f);
	}
	if (m->nr_links)
		fputs("links:\n", f);
	for (int i = 0; i < m->nr_links; i++) {
		const struct hn_link_desc *l = &m->links[i];

		fputs("  - { name: ", f);
		emit_str(f, l->name);
		fprintf(f, ", nodes: [%d, %d], bandwidth: %" PRIu32 ", latency: %" PRIu32 " }\n",
			l->a, l->b, l->bw_mbps, l->latency_ns);
	}
	first = true;
	for (int i = 0; i < n; i++) {
		for (int t = 0; t < n; t++) {
			const struct hn_access_desc *e = &m->access[i * n + t];

			if (!(e->read_latency_ns | e->write_latency_ns | e->read_bw_mbps |
			      e->write_bw_mbps))
				continue;
			if (first)
				fputs("hmat-lb:\n", f);
			first = false;
			/* Zero fields stay out: they are "not given" on load as well. */
			hn_access_for_each_lb(e, i, t, emit_lb, f);
		}
	}
	if (m->nr_caches)
		fputs("hmat-cache:\n", f);
	for (int i = 0; i < m->nr_caches; i++) {
		const struct hn_memcache_desc *c = &m->caches[i];

		fprintf(f, "  - { node-id: %d, size: %s, level: %" PRIu32 ", associativity: %s, "
			"policy: %s, line: %" PRIu32, c->nid,
			hn_size_word(c->size, "", sz, sizeof(sz)), c->level, WORD(assoc_words, c->assoc),
			WORD(policy_words, c->policy), c->line);
		if (c->hit_latency_ns)
			fprintf(f, ", hit-latency: %" PRIu32, c->hit_latency_ns);
		if (c->hit_bw_mbps)
			fprintf(f, ", hit-bandwidth: %" PRIu32, c->hit_bw_mbps);
		fputs(" }\n", f);
	}
}

int hn_machine_save_yaml(const struct hn_machine *m, FILE *f)
{
	struct hn_machine *c;
	int ret;

	if (!m || !f)
		return -EINVAL;
	/* The canonical form is the validated one: addresses, matrix, HMAT. */
	ret = hn_machine_clone(&c, m);
	if (ret)
		return ret;
	ret = hn_machine_validate(c, 0, NULL);
	if (!ret && !machine_savable(c))
		ret = -EINVAL;
	if (!ret) {
		emit_machine(f, c);
		if (fflush(f) || ferror(f))
			ret = -EIO;
	}
	hn_machine_free(c);
	return ret;
}
