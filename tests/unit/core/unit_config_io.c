/* unit_config_io: config_io for the core's tests — small files read
 * whole, the hook checked with access(): what configfile_io does, which
 * belongs to the daemon and is tested with it (check_configfile). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

static int unit_read(const char *path, bool must_exist, char **text, char *err,
		     size_t errlen)
{
	static char buf[64 * 1024];
	size_t n;
	FILE *f;

	*text = NULL;
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	*text = strdup(buf);
	return *text != NULL ? 0 : -1;
}

static int unit_executable(const char *path)
{
	return access(path, X_OK);
}

const struct config_io unit_config_io = { unit_read, unit_executable };
