/* unit: the Check suites of the pure modules, run by unit_main.c. */
#ifndef RSTMON_UNIT_H
#define RSTMON_UNIT_H

#include <check.h>

#include "config.h"

/* config_io for tests that read files (unit_config_io.c). */
extern const struct config_io unit_config_io;

Suite *packet_suite(void);
Suite *json_suite(void);
Suite *seqtrack_suite(void);
Suite *reconcile_suite(void);
Suite *procnet_suite(void);
Suite *procfile_suite(void);
Suite *config_suite(void);
Suite *tracejoin_suite(void);
Suite *procscan_suite(void);
Suite *cgroup_suite(void);
Suite *users_suite(void);
Suite *classify_suite(void);
Suite *inventory_suite(void);
Suite *stats_suite(void);
Suite *topk_suite(void);
Suite *hll_suite(void);
Suite *detect_suite(void);
Suite *detectors_suite(void);
Suite *claim_suite(void);
Suite *alertfmt_suite(void);
Suite *allowlist_suite(void);
Suite *banlist_suite(void);
Suite *hookargs_suite(void);
Suite *hook_suite(void);
Suite *config_actions_suite(void);
Suite *tasknet_suite(void);
Suite *events_suite(void);
Suite *netif_suite(void);
Suite *tracefmt_suite(void);
Suite *privproto_suite(void);
Suite *proven_suite(void);
Suite *attribrules_suite(void);
Suite *evsink_suite(void);
Suite *hostile_suite(void);
Suite *capture_suite(void);
Suite *control_suite(void);
Suite *ctl_fmt_suite(void);

#endif
