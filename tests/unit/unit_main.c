/* unit_main: run every unit suite; the exit status says if any failed. */
#include <stdlib.h>

#include "unit.h"

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(packet_suite());
	srunner_add_suite(sr, json_suite());
	srunner_add_suite(sr, seqtrack_suite());
	srunner_add_suite(sr, reconcile_suite());
	srunner_add_suite(sr, procnet_suite());
	srunner_add_suite(sr, procfile_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, tracejoin_suite());
	srunner_add_suite(sr, procscan_suite());
	srunner_add_suite(sr, cgroup_suite());
	srunner_add_suite(sr, users_suite());
	srunner_add_suite(sr, classify_suite());
	srunner_add_suite(sr, inventory_suite());
	srunner_add_suite(sr, stats_suite());
	srunner_add_suite(sr, topk_suite());
	srunner_add_suite(sr, hll_suite());
	srunner_add_suite(sr, detect_suite());
	srunner_add_suite(sr, detectors_suite());
	srunner_add_suite(sr, claim_suite());
	srunner_add_suite(sr, alertfmt_suite());
	srunner_add_suite(sr, allowlist_suite());
	srunner_add_suite(sr, banlist_suite());
	srunner_add_suite(sr, hookargs_suite());
	srunner_add_suite(sr, hook_suite());
	srunner_add_suite(sr, tasknet_suite());
	srunner_add_suite(sr, config_actions_suite());
	srunner_add_suite(sr, events_suite());
	srunner_add_suite(sr, netif_suite());
	srunner_add_suite(sr, tracefmt_suite());
	srunner_add_suite(sr, privproto_suite());
	srunner_add_suite(sr, proven_suite());
	srunner_add_suite(sr, attribrules_suite());
	srunner_add_suite(sr, evsink_suite());
	srunner_add_suite(sr, hostile_suite());
	srunner_add_suite(sr, capture_suite());
	srunner_add_suite(sr, control_suite());
	srunner_add_suite(sr, ctl_fmt_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
