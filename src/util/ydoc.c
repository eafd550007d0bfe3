/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ydoc.c - YAML documents read with exact diagnostics (util/ydoc.h says
 * what and why): the path-aware libyaml walk, the located messages, and a
 * schema checker that machine and scenario files share.
 *
 * The walk is cheap enough to run again on the error path: a message names
 * a path, and yerr_at() walks the text once more to find where that path
 * starts, so no pass has to carry positions around.
 */
#include "util/ydoc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the walk ------------------------------------------------------------ */

void ywalk_fail(struct ywalk *w, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;

	w->err_mark = mark;
	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
}

static void ywalk_append(struct ywalk *w, const char *fmt, ...) HN_PRINTF(2, 3);

static void ywalk_append(struct ywalk *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(w->path + w->len, sizeof(w->path) - w->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->len = HN_MIN(w->len + (size_t)n, sizeof(w->path) - 1);
}

static int ywalk_node(struct ywalk *w, const yaml_event_t *ev, ywalk_fn fn, void *ctx)
{
	struct ywalk_frame *top = w->depth ? &w->frames[w->depth - 1] : NULL;
	enum ywalk_role role = YW_VALUE;
	int ret;

	if (ev->type == YAML_ALIAS_EVENT) {
		ywalk_fail(w, ev->start_mark, "aliases (*%.64s) are not supported",
			   (const char *)ev->data.alias.anchor);
		return -EINVAL;
	}
	if (top && top->is_map && top->want_key) {
		size_t klen;

		if (ev->type != YAML_SCALAR_EVENT) {
			ywalk_fail(w, ev->start_mark, "a mapping key must be a plain word");
			return -EINVAL;
		}
		klen = HN_MIN(ev->data.scalar.length, (size_t)YKEY_MAX);
		w->len = top->path_len;
		ywalk_append(w, "%s%.*s", w->len ? "." : "", (int)klen,
			     (const char *)ev->data.scalar.value);
		top->want_key = false;
		role = YW_KEY;
	} else if (top && !top->is_map) {
		w->len = top->path_len;
		ywalk_append(w, "[%lu]", top->next_index++);
	}
	/* A mapping value keeps the path its key set; the root's path is "". */
	w->path[w->len] = '\0';
	ret = fn ? fn(w, role, ev, ctx) : 0;
	if (ret || role == YW_KEY)
		return ret;
	if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
		struct ywalk_frame *f;

		if (w->depth == YAML_MAX_DEPTH) {
			ywalk_fail(w, ev->start_mark, "nesting deeper than %d levels",
				   YAML_MAX_DEPTH);
			return -EINVAL;
		}
		f = &w->frames[w->depth++];
		f->is_map = ev->type == YAML_MAPPING_START_EVENT;
		f->want_key = f->is_map;
		f->next_index = 0;
		f->path_len = w->len;
	} else if (top && top->is_map) {
		top->want_key = true;
	}
	return 0;
}

int ywalk_run(struct ywalk *w, const char *text, size_t len, ywalk_fn fn, void *ctx)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	bool in_doc = false, seen_doc = false, done = false;
	int ret = 0;

	w->len = 0;
	w->path[0] = '\0';
	w->depth = 0;
	w->err[0] = '\0';
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && !ret) {
		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_MEMORY_ERROR) {
				ret = -ENOMEM;
				break;
			}
			ywalk_fail(w, parser.problem_mark, "syntax error: %s%s%s",
				   parser.problem ? parser.problem : "malformed YAML",
				   parser.context ? " " : "",
				   parser.context ? parser.context : "");
			ret = -EINVAL;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (seen_doc) {
				ywalk_fail(w, ev.start_mark, "a %s holds one YAML document",
					   w->what ? w->what : "file");
				ret = -EINVAL;
			}
			in_doc = seen_doc = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
			in_doc = false;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_ALIAS_EVENT:
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (in_doc)
				ret = ywalk_node(w, &ev, fn, ctx);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (in_doc && w->want_ends && w->depth > 0 && fn) {
				/* the path of the container that closes */
				w->len = w->frames[w->depth - 1].path_len;
				w->path[w->len] = '\0';
				ret = fn(w, YW_END, &ev, ctx);
			}
			if (w->depth > 0 && --w->depth > 0 && w->frames[w->depth - 1].is_map)
				w->frames[w->depth - 1].want_key = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ret;
}

struct yfind {
	const char *path;
	enum ywalk_role role;
	int skip;		/* matches to pass over first (duplicate keys) */
	yaml_mark_t mark;
};

static int yfind_cb(struct ywalk *w, enum ywalk_role role, const yaml_event_t *ev, void *ctx)
{
	struct yfind *f = ctx;

	if (role != f->role || strcmp(w->path, f->path))
		return 0;
	if (f->skip-- > 0)
		return 0;
	f->mark = ev->start_mark;
	return 1;
}

/* ---- messages ------------------------------------------------------------ */

void ylog(const struct hn_log_sink *log, enum hn_log_level level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!log || !log->fn)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	log->fn(log->ctx, level, line);
}

void yerr_at(struct ydoc *ld, const char *path, enum ywalk_role role, int skip, const char *fmt,
	     ...)
{
	struct yfind f = { .path = path, .role = role, .skip = skip };
	char msg[384];
	va_list ap;

	if (!ld->log || !ld->log->fn)
		return;
	ld->walk.want_ends = false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ywalk_run(&ld->walk, ld->text, ld->len, yfind_cb, &f) == 1)
		ylog(ld->log, HN_LOG_ERR, "%s:%zu:%zu: %s%s%s", ld->file,
			f.mark.line + 1, f.mark.column + 1, path, *path ? ": " : "", msg);
	else
		ylog(ld->log, HN_LOG_ERR, "%s: %s%s%s", ld->file, path,
			*path ? ": " : "", msg);
}

void ydoc_report_walk(const struct ydoc *d)
{
	ylog(d->log, HN_LOG_ERR, "%s:%zu:%zu: %s", d->file, d->walk.err_mark.line + 1,
	     d->walk.err_mark.column + 1, d->walk.err);
}

static const char *errno_words(int e)
{
	switch (e) {
	case ENOENT: return "no such file";
	case EACCES: return "permission denied";
	case EISDIR: return "is a directory, not a file";
	case EFBIG: return "larger than 16 MiB";
	case ENOMEM: return "out of memory";
	default: return "cannot be read";
	}
}

int ydoc_read_file(const char *path, char **out, size_t *out_len, const struct hn_log_sink *log)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int ret = 0;

	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		goto fail;
	}
	if (fstat(fileno(f), &st)) {
		ret = -errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto fail;
	}
	if (S_ISREG(st.st_mode) && st.st_size > (off_t)YAML_MAX_BYTES) {
		ret = -EFBIG;
		goto fail;
	}
	/* Read to the end rather than trust st_size: pipes and /proc lie. */
	for (;;) {
		size_t n;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 64 * 1024;
			char *nb;

			if (cap > YAML_MAX_BYTES) {
				ret = -EFBIG;
				goto fail;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				ret = -ENOMEM;
				goto fail;
			}
			buf = nb;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				ret = errno ? -errno : -EIO;
				goto fail;
			}
			break;
		}
	}
	if (len > YAML_MAX_BYTES) {
		ret = -EFBIG;
		goto fail;
	}
	fclose(f);
	*out = buf;
	*out_len = len;
	return 0;
fail:
	ylog(log, HN_LOG_ERR, "%s: %s", path, errno_words(-ret));
	if (f)
		fclose(f);
	free(buf);
	return ret;
}

/* ---- schema checks ------------------------------------------------------- */

#define YC_MAX_FIELDS 64

struct ycframe {
	const struct ykey *schema;	/* the container's: YT_MAP or YT_SEQ */
	const struct ykey *cur;		/* MAP: the field of the key just read */
	uint64_t seen;			/* MAP: a bit per field */
	unsigned long n;		/* SEQ: entries so far */
	yaml_mark_t start;
};

struct ycheck {
	struct ydoc *d;
	const struct ykey *root;
	yset_fn set;
	void *ctx;
	bool seen_root;
	struct ycframe f[YAML_MAX_DEPTH];
};

static void ycheck_err(const struct ycheck *c, yaml_mark_t mark, const char *path, const char *fmt,
		       ...) HN_PRINTF(4, 5);

static void ycheck_err(const struct ycheck *c, yaml_mark_t mark, const char *path, const char *fmt,
		       ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ylog(c->d->log, HN_LOG_ERR, "%s:%zu:%zu: %s%s%s", c->d->file, mark.line + 1, mark.column + 1,
	     path, *path ? ": " : "", msg);
}

static void list_keys(const struct ykey *fields, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (const struct ykey *k = fields; k->key && off < len; k++) {
		int w = snprintf(buf + off, len - off, "%s%s", k == fields ? "" : ", ", k->key);

		if (w > 0)
			off = HN_MIN(off + (size_t)w, len - 1);
	}
}

static void list_words(const char *const *words, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; words[i] && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i ? ", " : "", words[i]);

		if (w > 0)
			off = HN_MIN(off + (size_t)w, len - 1);
	}
}

/* "a whole number (1..1000)", "a size (4K..4P)", ...: what @k takes. */
static const char *kind_words(const struct ykey *k, char *buf, size_t len)
{
	char a[32], b[32], w[256];

	switch (k->type) {
	case YT_MAP:
		return "a mapping (key: value, ...)";
	case YT_SEQ:
		return "a list";
	case YT_UINT:
		snprintf(buf, len, "a whole number (%" PRIu64 "..%" PRIu64 ")", k->min, k->max);
		return buf;
	case YT_SIZE:
		snprintf(buf, len, "a size (%s..%s, e.g. 64M)", hn_size_word(k->min, "", a, sizeof(a)),
			 hn_size_word(k->max, "", b, sizeof(b)));
		return buf;
	case YT_REAL:
		snprintf(buf, len, "a number strictly between %g and %g", k->rmin, k->rmax);
		return buf;
	case YT_WORD:
		list_words(k->words, w, sizeof(w));
		snprintf(buf, len, "one of: %s", w);
		return buf;
	case YT_STR:
	default:
		return k->what ? k->what : "a single value";
	}
}

static const char *event_words(const yaml_event_t *ev)
{
	if (ev->type == YAML_MAPPING_START_EVENT)
		return "a mapping";
	if (ev->type == YAML_SEQUENCE_START_EVENT)
		return "a list";
	return ev->data.scalar.length ? "a single value" : "nothing";
}

/* hn_parse_uint() with a sign: -ENOTSUP for a negative number, '+' accepted. */
static int parse_whole(const char *s, uint64_t *out)
{
	if (*s == '-')
		return s[1] >= '0' && s[1] <= '9' ? -ENOTSUP : -EDOM;
	if (*s == '+')
		s++;
	return hn_parse_uint(s, UINT64_MAX, true, out);
}

/* A plain decimal number: [+-]digits[.digits][e[+-]digits], nothing else (no nan, inf, hex). */
static int parse_real(const char *s, double *out)
{
	const char *p = s;
	char *end;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return -EDOM;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return -EDOM;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -EDOM;
	*out = strtod(s, &end);
	return 0;
}

/* Check a scalar against @k; 0 with @v filled, or -EINVAL after a message. */
static int check_scalar(const struct ycheck *c, const struct ykey *k, const char *path,
			const yaml_event_t *ev, struct yval *v)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t slen = ev->data.scalar.length;
	char kind[320];
	const char *near;
	int ret;

	v->text = s;
	if (strlen(s) != slen) {
		ycheck_err(c, ev->start_mark, path, "the value holds a NUL byte; expected %s",
			   kind_words(k, kind, sizeof(kind)));
		return -EINVAL;
	}
	if (!slen && k->type != YT_STR) {
		ycheck_err(c, ev->start_mark, path, "no value; expected %s",
			   kind_words(k, kind, sizeof(kind)));
		return -EINVAL;
	}
	switch (k->type) {
	case YT_UINT:
	case YT_SIZE:
		ret = parse_whole(s, &v->u);
		if (k->type == YT_SIZE && ret == -EDOM)
			ret = hn_parse_size(s, &v->u) ? (s[0] == '-' ? -ENOTSUP : -EDOM) : 0;
		if (ret == -ENOTSUP) {
			ycheck_err(c, ev->start_mark, path, "'%.64s' is negative; expected %s", s,
				   kind_words(k, kind, sizeof(kind)));
			return -EINVAL;
		}
		if (ret == -EDOM) {
			ycheck_err(c, ev->start_mark, path, "'%.64s' is not %s", s,
				   kind_words(k, kind, sizeof(kind)));
			return -EINVAL;
		}
		if (ret == -ERANGE || v->u < k->min || v->u > k->max) {
			ycheck_err(c, ev->start_mark, path, "'%.64s' is out of range; expected %s", s,
				   kind_words(k, kind, sizeof(kind)));
			return -EINVAL;
		}
		return 0;
	case YT_REAL:
		if (parse_real(s, &v->r)) {
			ycheck_err(c, ev->start_mark, path, "'%.64s' is not a number; expected %s", s,
				   kind_words(k, kind, sizeof(kind)));
			return -EINVAL;
		}
		if (!(v->r > k->rmin && v->r < k->rmax)) {
			ycheck_err(c, ev->start_mark, path, "'%.64s' is out of range; expected %s", s,
				   kind_words(k, kind, sizeof(kind)));
			return -EINVAL;
		}
		return 0;
	case YT_WORD:
		for (int i = 0; k->words[i]; i++) {
			if (!strcmp(s, k->words[i])) {
				v->word = i;
				return 0;
			}
		}
		near = hn_nearest_word(s, k->words, SIZE_MAX);
		ycheck_err(c, ev->start_mark, path, "'%.64s' is not %s%s%s%s", s,
			   kind_words(k, kind, sizeof(kind)), near ? "; did you mean '" : "",
			   near ? near : "", near ? "'?" : "");
		return -EINVAL;
	case YT_STR:
	default:
		if (slen < k->min || slen > k->max) {
			ycheck_err(c, ev->start_mark, path, "'%.64s%s' is %s; expected %s (%" PRIu64
				   "..%" PRIu64 " bytes)", s, slen > 64 ? "..." : "",
				   slen < k->min ? "too short" : "too long",
				   kind_words(k, kind, sizeof(kind)), k->min, k->max);
			return -EINVAL;
		}
		return 0;
	}
}

static int on_key(struct ycheck *c, struct ywalk *w, const yaml_event_t *ev)
{
	struct ycframe *f = &c->f[w->depth - 1];
	const char *key = (const char *)ev->data.scalar.value;
	const char *names[YC_MAX_FIELDS + 1];
	const char *near;
	char known[400];
	int i;

	for (i = 0; f->schema->fields[i].key; i++) {
		names[i] = f->schema->fields[i].key;
		if (!strcmp(key, names[i]))
			break;
	}
	if (!f->schema->fields[i].key) {
		names[i] = NULL;
		near = hn_nearest_word(key, names, SIZE_MAX);
		list_keys(f->schema->fields, known, sizeof(known));
		if (near)
			ycheck_err(c, ev->start_mark, w->path,
				   "unknown key '%.64s'; did you mean '%s'? (known here: %s)", key, near,
				   known);
		else
			ycheck_err(c, ev->start_mark, w->path, "unknown key '%.64s' (known here: %s)",
				   key, known);
		return -EINVAL;
	}
	if (f->seen & (1ULL << i)) {
		ycheck_err(c, ev->start_mark, w->path, "duplicate key '%.64s'", key);
		return -EINVAL;
	}
	f->seen |= 1ULL << i;
	f->cur = &f->schema->fields[i];
	return 0;
}

static int on_value(struct ycheck *c, struct ywalk *w, const yaml_event_t *ev)
{
	const struct ykey *k;
	struct yval v = { .mark = ev->start_mark };
	char kind[320], why[256];
	int ret;

	if (!w->depth) {
		k = c->root;
		c->seen_root = true;
	} else {
		struct ycframe *p = &c->f[w->depth - 1];

		if (p->schema->type == YT_MAP) {
			k = p->cur;
		} else {
			k = p->schema->entry;
			if (++p->n > p->schema->max) {
				char seq[YPATH_MAX];

				snprintf(seq, sizeof(seq), "%.*s", (int)w->frames[w->depth - 1].path_len,
					 w->path);
				ycheck_err(c, ev->start_mark, seq, "more than %" PRIu64 " entries",
					   p->schema->max);
				return -EINVAL;
			}
		}
	}
	if (k->type == YT_MAP || k->type == YT_SEQ) {
		enum yaml_event_type_e want = k->type == YT_MAP ? YAML_MAPPING_START_EVENT :
								 YAML_SEQUENCE_START_EVENT;

		if (ev->type != want) {
			if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length)
				ycheck_err(c, ev->start_mark, w->path, "'%.64s' is not %s", 
					   (const char *)ev->data.scalar.value,
					   kind_words(k, kind, sizeof(kind)));
			else
				ycheck_err(c, ev->start_mark, w->path, "expected %s, found %s",
					   kind_words(k, kind, sizeof(kind)), event_words(ev));
			return -EINVAL;
		}
		/* ywalk refuses nesting deeper than its frames before we get here */
		c->f[w->depth] = (struct ycframe){ .schema = k, .start = ev->start_mark };
		return 0;
	}
	if (ev->type != YAML_SCALAR_EVENT) {
		ycheck_err(c, ev->start_mark, w->path, "expected %s, found %s",
			   kind_words(k, kind, sizeof(kind)), event_words(ev));
		return -EINVAL;
	}
	ret = check_scalar(c, k, w->path, ev, &v);
	if (ret)
		return ret;
	for (int i = 0; i < w->depth; i++)
		if (c->f[i].schema->type == YT_SEQ)
			v.idx[v.nidx++] = c->f[i].n - 1;
	why[0] = '\0';
	ret = c->set ? c->set(c->ctx, k, &v, why, sizeof(why)) : 0;
	if (ret == -EINVAL)
		ycheck_err(c, ev->start_mark, w->path, "'%.64s' %s", v.text,
			   why[0] ? why : "is not accepted here");
	return ret;
}

static int on_end(struct ycheck *c, struct ywalk *w)
{
	const struct ycframe *f = &c->f[w->depth - 1];

	if (f->schema->type == YT_SEQ) {
		if (f->n < f->schema->min) {
			ycheck_err(c, f->start, w->path, "needs at least %" PRIu64 " entr%s",
				   f->schema->min, f->schema->min == 1 ? "y" : "ies");
			return -EINVAL;
		}
		return 0;
	}
	for (int i = 0; f->schema->fields[i].key; i++) {
		if (f->schema->fields[i].required && !(f->seen & (1ULL << i))) {
			ycheck_err(c, f->start, w->path, "missing required key '%s'",
				   f->schema->fields[i].key);
			return -EINVAL;
		}
	}
	return 0;
}

static int ycheck_cb(struct ywalk *w, enum ywalk_role role, const yaml_event_t *ev, void *ctx)
{
	struct ycheck *c = ctx;

	switch (role) {
	case YW_KEY:
		return on_key(c, w, ev);
	case YW_END:
		return on_end(c, w);
	case YW_VALUE:
	default:
		return on_value(c, w, ev);
	}
}

int ydoc_check(struct ydoc *d, const struct ykey *root, yset_fn set, void *ctx)
{
	struct ycheck *c = calloc(1, sizeof(*c));
	char keys[400];
	int ret;

	if (!c)
		return -ENOMEM;
	c->d = d;
	c->root = root;
	c->set = set;
	c->ctx = ctx;
	d->walk.want_ends = true;
	ret = ywalk_run(&d->walk, d->text, d->len, ycheck_cb, c);
	d->walk.want_ends = false;
	if (ret == -EINVAL && d->walk.err[0])
		ydoc_report_walk(d);
	if (!ret && !c->seen_root) {
		size_t off = 0;

		keys[0] = '\0';
		for (const struct ykey *k = root->fields; k->key; k++) {
			if (k->required) {
				int n = snprintf(keys + off, sizeof(keys) - off, "%s'%s:'", off ? ", " : "",
						 k->key);

				if (n > 0)
					off = HN_MIN(off + (size_t)n, sizeof(keys) - 1);
			}
		}
		ylog(d->log, HN_LOG_ERR, "%s:1:1: empty document, expected %s", d->file,
		     keys[0] ? keys : "a mapping");
		ret = -EINVAL;
	}
	free(c);
	return ret == 1 ? 0 : ret;
}
