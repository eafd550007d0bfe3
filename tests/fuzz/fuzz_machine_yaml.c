/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_machine_yaml.c - libFuzzer harness for YAML machine files.
 *
 * Besides "no crash, no leak, no undefined behaviour" (the sanitizers), the
 * harness checks the loader's promises: a failed load leaves *out NULL and
 * returns a documented error; a successful load saves; what is saved loads
 * again and saves byte for byte the same.  The QEMU exporter and importer
 * are exercised on every loaded machine as well.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hnuma/hw.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every message must be a terminated, single-line string. */
static void check_log(void *ctx, enum hn_log_level level, const char *msg)
{
	size_t *total = ctx;

	if (level < HN_LOG_ERR || level > HN_LOG_DEBUG || !msg || strchr(msg, '\n'))
		abort();
	*total += strlen(msg);
}

static char *save(const struct hn_machine *m, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	if (hn_machine_save_yaml(m, f))
		abort();
	fclose(f);
	return buf;
}

/* export -> import must not crash; the QEMU fuzzer checks the fixed point. */
static void poke_qemu(const struct hn_machine *m)
{
	const char *argv[4096];
	char *buf = NULL, *p;
	size_t len = 0;
	struct hn_machine *r = NULL;
	FILE *f = open_memstream(&buf, &len);
	int argc = 0;

	if (!f)
		abort();
	if (hn_machine_export_qemu(m, f))
		abort();
	fclose(f);
	for (p = strtok(buf, "\n"); p && argc < 4096; p = strtok(NULL, "\n"))
		argv[argc++] = p;
	if (!hn_machine_import_qemu(&r, argc, argv, NULL))
		hn_machine_free(r);
	else if (r)
		abort();
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hn_machine *m = (struct hn_machine *)1, *r = (struct hn_machine *)1;
	size_t total = 0, l1, l2;
	struct hn_log_sink sink = { .fn = check_log, .ctx = &total };
	char *once, *twice;
	int ret;

	ret = hn_machine_load_yaml_string(&m, (const char *)data, size, &sink);
	if (ret == -EOPNOTSUPP)
		return 0;
	if (ret) {
		if (m || (ret != -EINVAL && ret != -ENOMEM && ret != -EFBIG))
			abort();
		return 0;
	}
	once = save(m, &l1);
	if (hn_machine_load_yaml_string(&r, once, l1, &sink)) {
		fprintf(stderr, "saved form does not load:\n%s\n", once);
		abort();
	}
	twice = save(r, &l2);
	if (l1 != l2 || memcmp(once, twice, l1)) {
		fprintf(stderr, "save is not a fixed point:\n%s\n---\n%s\n", once, twice);
		abort();
	}
	poke_qemu(m);
	free(once);
	free(twice);
	hn_machine_free(r);
	hn_machine_free(m);
	return 0;
}
