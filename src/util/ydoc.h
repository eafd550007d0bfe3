/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ydoc.h - reading a YAML document with exact diagnostics (libyaml), for
 * every input format that is YAML: machine files and scenario files.
 *
 * Map:
 *   struct ywalk     a libyaml event walk that knows the path of the node it
 *                    is at ("tasks[1].phases[0].theta"); ywalk_run() calls
 *                    back for every key, value and (optionally) container end
 *   struct ydoc      one document being loaded: its name for messages, its
 *                    bytes, the caller's log sink and a walk for scratch
 *   yerr_at()        one diagnostic, located by walking again to its path
 *   struct ykey      a schema: keys, types, ranges and the words a key takes;
 *                    ydoc_check() walks a document against it and hands every
 *                    checked scalar to the caller's setter
 *
 * Every diagnostic has one form, the one docs/errors.md documents:
 *
 *   FILE:LINE:COL: path.to.key: 'value' reason
 *
 * with the reason in words a user acts on: an unknown key names the nearest
 * known one, a number out of range gives the range, a value of the wrong
 * kind says what kind was expected.  Numbers are checked as numbers (sign,
 * digits, overflow) before any conversion, so "-5" is never a huge count.
 *
 * Nothing here keeps state between calls; every buffer is the caller's.
 * Only built with the yaml feature.
 */
#ifndef HN_UTIL_YDOC_H
#define HN_UTIL_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "util/util.h"

#define YAML_MAX_BYTES (16u << 20)	/* larger files are -EFBIG */
#define YAML_MAX_DEPTH 16		/* machine files need 5 levels, scenarios 4 */
#define YPATH_MAX 4096			/* > YAML_MAX_DEPTH * (YKEY_MAX + 2) */
#define YKEY_MAX 128			/* longer keys are cut in paths */

/* ---- the walk ------------------------------------------------------------ */

enum ywalk_role {
	YW_KEY,		/* a mapping key; w->path names it */
	YW_VALUE,	/* a value (scalar, or the start of a container) */
	YW_END,		/* a container ends (only with ywalk.want_ends) */
};

struct ywalk_frame {
	bool is_map;
	bool want_key;			/* mapping: the next node is a key */
	unsigned long next_index;	/* sequence: index of the next entry */
	size_t path_len;		/* length of this container's own path */
};

struct ywalk;

/* Return 0 to go on, 1 to stop the walk successfully, -errno to fail. */
typedef int (*ywalk_fn)(struct ywalk *w, enum ywalk_role role, const yaml_event_t *ev, void *ctx);

struct ywalk {
	const char *what;		/* "machine file": for "a %s holds one YAML document" */
	bool want_ends;			/* call back with YW_END when a container closes */
	char path[YPATH_MAX];		/* "nodes[0].memory[1].size" */
	size_t len;
	int depth;			/* open containers around the current node */
	struct ywalk_frame frames[YAML_MAX_DEPTH];
	/* Set when the walk fails with -EINVAL. */
	yaml_mark_t err_mark;
	char err[256];
};

void ywalk_fail(struct ywalk *w, yaml_mark_t mark, const char *fmt, ...) HN_PRINTF(3, 4);

/*
 * Walk the first document of @text calling @fn for every key and value
 * (and container end, with w->want_ends).  Returns 0 after a full walk, 1
 * if @fn stopped it, -EINVAL with w->err and w->err_mark set (syntax error,
 * alias, second document, nesting), -ENOMEM.
 */
int ywalk_run(struct ywalk *w, const char *text, size_t len, ywalk_fn fn, void *ctx);

/* ---- one document and its messages --------------------------------------- */

struct ydoc {
	const char *file;		/* name used in messages */
	const char *text;
	size_t len;
	const struct hn_log_sink *log;
	struct ywalk walk;		/* scratch for every walk; large, so here */
};

/*
 * One line to @log.  Every line names user text (keys, values, file names);
 * the sink was promised one line, so control characters become '?'.
 */
void ylog(const struct hn_log_sink *log, enum hn_log_level level, const char *fmt, ...)
	HN_PRINTF(3, 4);

/*
 * Report an error at the start of the node named by @path (a key when @role
 * is YW_KEY; @skip matches passed over first, for duplicate keys), as
 * "file:line:col: path: message".  Without a position (only if the path is
 * not in the file) the path alone locates it.
 */
void yerr_at(struct ydoc *d, const char *path, enum ywalk_role role, int skip, const char *fmt,
	     ...) HN_PRINTF(5, 6);

#define yerr(d, path, ...) yerr_at((d), (path), YW_VALUE, 0, __VA_ARGS__)

/* The walk's failure (ywalk_run() returned -EINVAL), as "file:line:col: reason". */
void ydoc_report_walk(const struct ydoc *d);

/*
 * Read @path whole into a malloc()ed buffer (*buf, *len).  0; -ENOENT,
 * -EACCES, ... from open; -EISDIR a directory; -EFBIG over YAML_MAX_BYTES;
 * -ENOMEM; -EIO.  On error one line "path: reason" goes to @log.
 */
int ydoc_read_file(const char *path, char **buf, size_t *len, const struct hn_log_sink *log);

/* ---- schemas ------------------------------------------------------------- */

enum ytype {
	YT_MAP,		/* fields: the keys */
	YT_SEQ,		/* entry: the schema of each entry; min..max entries */
	YT_UINT,	/* a whole number min..max (decimal, 0x hex, '_' between digits) */
	YT_SIZE,	/* bytes with an optional K/M/G/T/P suffix, min..max */
	YT_REAL,	/* a decimal number strictly between rmin and rmax */
	YT_STR,		/* text of min..max bytes */
	YT_WORD,	/* one of words[] */
};

struct ykey {
	const char *key;		/* NULL ends a field list */
	enum ytype type;
	bool required;
	uint64_t min, max;		/* UINT, SIZE: the value; STR: bytes; SEQ: entries */
	double rmin, rmax;		/* REAL: the open interval */
	const char *const *words;	/* WORD: NULL-terminated */
	const struct ykey *fields;	/* MAP */
	const struct ykey *entry;	/* SEQ */
	int id;				/* the caller's, handed to the setter */
	const char *what;		/* STR: what the text must be, for messages */
};

/* A checked scalar, as the setter receives it. */
struct yval {
	const char *text;		/* the scalar as written */
	uint64_t u;			/* UINT, SIZE */
	double r;			/* REAL */
	int word;			/* WORD: its index in words[] */
	/* Sequence indices on the path, outermost first ("tasks[2].phases[1]": 2, 1). */
	unsigned long idx[YAML_MAX_DEPTH];
	int nidx;
	yaml_mark_t mark;		/* where the value starts */
};

/*
 * The setter: store @v for @k.  0, or -EINVAL with a reason in @why (the
 * message's tail after the quoted value, e.g. "is not a policy"), or
 * another -errno to stop the load.
 */
typedef int (*yset_fn)(void *ctx, const struct ykey *k, const struct yval *v, char *why,
		       size_t whylen);

/*
 * Walk @d against @root (a YT_MAP), calling @set for every scalar that
 * passes its checks.  The first problem is reported through d->log and
 * makes it -EINVAL: a syntax error, an alias, an unknown key (with the
 * nearest known key), a duplicate key, a missing required key, a value of
 * the wrong kind, a number out of range, a word not in the list, too many
 * or too few entries.  -ENOMEM; another -errno from @set.
 */
int ydoc_check(struct ydoc *d, const struct ykey *root, yset_fn set, void *ctx);

#endif /* HN_UTIL_YDOC_H */
