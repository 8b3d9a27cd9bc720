/* suites: the suites of unit_edge — kernel edges, daemon, client. */
#include <stddef.h>

#include "unit.h"

const unit_suite_fn unit_suites[] = {
	capture_suite,	control_suite, ctl_fmt_suite,	   evsink_suite,
	hook_suite,	hostile_suite, nflog_compat_suite, procfile_suite,
	procscan_suite, tasknet_suite, users_suite,	   configfile_suite,
	attrib_suite,	NULL
};
