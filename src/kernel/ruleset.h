/* ruleset: install rstmon's nft rules file and remove its table (libnftables). */
#ifndef RSTMON_RULESET_H
#define RSTMON_RULESET_H

#include <stddef.h>

#define RSTMON_TABLE_FAMILY "inet"
#define RSTMON_TABLE "rstmon"
#define RSTMON_COUNTER "rsts_logged"

/*
 * Load an nft ruleset file in the current network namespace, as
 * `nft -f path` would.  Returns 0, or -1 with nft's own message in err.
 */
int ruleset_install(const char *path, char *err, size_t errlen);

/* Delete table inet rstmon.  Returns 0, or -1 with a message in err. */
int ruleset_remove(char *err, size_t errlen);

#endif
