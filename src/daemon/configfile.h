/* configfile: what reading the configuration does through the system —
 * the file read, the hook's program checked (config.h's config_io). */
#ifndef RSTMON_CONFIGFILE_H
#define RSTMON_CONFIGFILE_H

#include "config.h"

/* The daemon's: set c->io to it after config_defaults(). */
extern const struct config_io configfile_io;

#endif
