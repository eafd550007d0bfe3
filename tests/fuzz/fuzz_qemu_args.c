/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_qemu_args.c - libFuzzer harness for the QEMU argument importer.
 *
 * The input is split into words at newlines (one argument per line, the
 * exporter's format).  A failed import leaves *out NULL with -EINVAL or
 * -ENOMEM; a successful one exports, the export imports again, and the
 * second export equals the first byte for byte.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hw.h>

#define MAX_WORDS 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_log(void *ctx, enum hn_log_level level, const char *msg)
{
	size_t *total = ctx;

	if (level < HN_LOG_ERR || level > HN_LOG_DEBUG || !msg || strchr(msg, '\n'))
		abort();
	*total += strlen(msg);
}

static char *export(const struct hn_machine *m, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	if (hn_machine_export_qemu(m, f))
		abort();
	fclose(f);
	return buf;
}

static int split(char *text, const char **argv, int max)
{
	int argc = 0;

	for (char *p = strtok(text, "\n"); p && argc < max; p = strtok(NULL, "\n"))
		argv[argc++] = p;
	return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hn_machine *m = (struct hn_machine *)1, *r = (struct hn_machine *)1;
	size_t total = 0, l1, l2;
	struct hn_log_sink sink = { .fn = check_log, .ctx = &total };
	const char *argv[MAX_WORDS];
	const char **eargv;
	size_t words;
	char *text, *once, *copy, *twice;
	int argc = 0, ret;

	text = malloc(size + 1);
	if (!text)
		return 0;
	/* NUL bytes end a word as newlines do: argv strings cannot hold them. */
	for (size_t i = 0; i < size; i++)
		text[i] = data[i] ? (char)data[i] : '\n';
	text[size] = '\0';
	argc = split(text, argv, MAX_WORDS);
	ret = hn_machine_import_qemu(&m, argc, argv, &sink);
	if (ret) {
		if (m || (ret != -EINVAL && ret != -ENOMEM))
			abort();
		free(text);
		return 0;
	}
	once = export(m, &l1);
	copy = strdup(once);
	/*
	 * The export of a machine with many nodes runs past MAX_WORDS (an
	 * hmat-lb pair per CPU node and target): size its argv to fit, or the
	 * re-import would miss the tail and the round trip fail falsely.
	 */
	words = 1;
	for (const char *c = once; *c; c++)
		words += *c == '\n';
	eargv = calloc(words, sizeof(*eargv));
	if (!copy || !eargv)
		abort();
	argc = split(copy, eargv, (int)words);
	if (hn_machine_import_qemu(&r, argc, eargv, &sink)) {
		fprintf(stderr, "export does not import:\n%s\n", once);
		abort();
	}
	twice = export(r, &l2);
	if (l1 != l2 || memcmp(once, twice, l1)) {
		fprintf(stderr, "export is not a fixed point:\n%s\n---\n%s\n", once, twice);
		abort();
	}
	free(text);
	free(once);
	free(copy);
	free(eargv);
	free(twice);
	hn_machine_free(r);
	hn_machine_free(m);
	return 0;
}
