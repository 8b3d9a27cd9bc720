/* configfile: what reading the configuration does through the system —
 * the file read, the hook's program checked (config.h's config_io). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "configfile.h"

/* A configuration is a few KiB; more is a mistake (a binary, a log). */
#define CONFIGFILE_MAX (1u << 20)

static int read_text(const char *path, bool must_exist, char **textp, char *err,
		     size_t errlen)
{
	char *text = NULL, *t;
	size_t len = 0, cap = 0, n;
	FILE *f;

	*textp = NULL;
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > CONFIGFILE_MAX) {
				snprintf(err, errlen, "%s: file too large",
					 path);
				goto fail;
			}
			t = realloc(text, cap);
			if (t == NULL) {
				snprintf(err, errlen, "%s: out of memory",
					 path);
				goto fail;
			}
			text = t;
		}
		n = fread(text + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	text[len] = '\0';
	*textp = text;
	return 0;
fail:
	fclose(f);
	free(text);
	return -1;
}

static int executable(const char *path)
{
	return access(path, X_OK);
}

const struct config_io configfile_io = { read_text, executable };
