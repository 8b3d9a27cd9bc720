/* suites: the suites of unit_core — the pure parts, linked from
 * src/core/librstmon-core.a alone. */
#include <stddef.h>

#include "unit.h"

const unit_suite_fn unit_suites[] = { alertfmt_suite,
				      allowlist_suite,
				      attribrules_suite,
				      banlist_suite,
				      cgroup_suite,
				      claim_suite,
				      classify_suite,
				      config_suite,
				      config_actions_suite,
				      detect_suite,
				      detectors_suite,
				      events_suite,
				      hll_suite,
				      hookargs_suite,
				      inventory_suite,
				      json_suite,
				      netif_suite,
				      packet_suite,
				      privproto_suite,
				      procnet_suite,
				      proven_suite,
				      reconcile_suite,
				      seqtrack_suite,
				      stats_suite,
				      topk_suite,
				      tracefmt_suite,
				      tracejoin_suite,
				      NULL };
