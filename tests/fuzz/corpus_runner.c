/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corpus_runner.c - replay fuzz corpora without libFuzzer.
 *
 * Linked with one harness, it feeds every file of each directory (or each
 * file) named on the command line to LLVMFuzzerTestOneInput, in name order
 * so a failure reproduces.  The harness aborts on a broken promise; the
 * runner fails when it found no input, so a wrong path cannot pass.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	uint8_t *buf;
	long len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -1;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv)
{
	long inputs = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **names;
		int n;

		if (!is_dir(argv[i])) {
			if (run_file(argv[i]))
				return 1;
			inputs++;
			continue;
		}
		n = scandir(argv[i], &names, NULL, alphasort);
		if (n < 0) {
			perror(argv[i]);
			return 1;
		}
		for (int j = 0; j < n; j++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[i], names[j]->d_name);
			if (names[j]->d_name[0] != '.' && !is_dir(path)) {
				printf("%s\n", path);
				fflush(stdout);
				if (run_file(path))
					return 1;
				inputs++;
			}
			free(names[j]);
		}
		free(names);
	}
	printf("%ld inputs\n", inputs);
	return inputs ? 0 : 1;
}
