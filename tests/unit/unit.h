/* unit: what the two unit test programs share — the runner's suite list
 * and the suites themselves.  unit_core links the core archive alone
 * (tests/unit/core/); unit_edge the rest (tests/unit/edge/). */
#ifndef RSTMON_UNIT_H
#define RSTMON_UNIT_H

#include <check.h>

#include "config.h"

/* The suites of this program, NULL-terminated (core/ or edge/suites.c). */
typedef Suite *(*unit_suite_fn)(void);
extern const unit_suite_fn unit_suites[];

/* A fake config_io for the core's tests (core/unit_config_io.c): the
 * one file it knows is path, holding text (NULL, NULL: none). */
extern const struct config_io unit_config_io;
void unit_config_file(const char *path, const char *text);

/* The core's parts (tests/unit/core/). */
Suite *alertfmt_suite(void);
Suite *allowlist_suite(void);
Suite *attribrules_suite(void);
Suite *banlist_suite(void);
Suite *cgroup_suite(void);
Suite *claim_suite(void);
Suite *classify_suite(void);
Suite *config_suite(void);
Suite *config_actions_suite(void);
Suite *detect_suite(void);
Suite *detectors_suite(void);
Suite *events_suite(void);
Suite *hll_suite(void);
Suite *hookargs_suite(void);
Suite *inventory_suite(void);
Suite *json_suite(void);
Suite *netif_suite(void);
Suite *packet_suite(void);
Suite *privproto_suite(void);
Suite *procnet_suite(void);
Suite *proven_suite(void);
Suite *reconcile_suite(void);
Suite *seqtrack_suite(void);
Suite *stats_suite(void);
Suite *topk_suite(void);
Suite *tracefmt_suite(void);
Suite *tracejoin_suite(void);

/* The kernel edges, the daemon and the client (tests/unit/edge/). */
Suite *capture_suite(void);
Suite *control_suite(void);
Suite *ctl_fmt_suite(void);
Suite *evsink_suite(void);
Suite *hook_suite(void);
Suite *hostile_suite(void);
Suite *nflog_compat_suite(void);
Suite *procfile_suite(void);
Suite *procscan_suite(void);
Suite *tasknet_suite(void);
Suite *users_suite(void);
Suite *configfile_suite(void);
Suite *attrib_suite(void);

#endif
