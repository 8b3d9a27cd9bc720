/* unit_config_io: a fake config_io for the core's tests — one config
 * file held in memory, hooks checked with access().  The daemon's real
 * one (configfile.c) is tested in unit_edge (check_configfile). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

static const char *file_path, *file_text;

void unit_config_file(const char *path, const char *text)
{
	file_path = path;
	file_text = text;
}

static int unit_read(const char *path, bool must_exist, char **text, char *err,
		     size_t errlen)
{
	*text = NULL;
	if (file_path != NULL && strcmp(path, file_path) == 0) {
		*text = strdup(file_text);
		return *text != NULL ? 0 : -1;
	}
	if (!must_exist)
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(ENOENT));
	return -1;
}

static int unit_executable(const char *path)
{
	return access(path, X_OK);
}

const struct config_io unit_config_io = { unit_read, unit_executable };
