/* ctl_metrics: `rstmonctl metrics` — the Prometheus text, as the daemon
 * serves it. */
#include <stdio.h>
#include <stdlib.h>

#include "ctl.h"

int ctl_metrics(const struct ctl_opts *o)
{
	char *reply = ctl_request(o->socket_path, "metrics");

	if (reply == NULL)
		return 1;
	/* Text, not JSON: an error would be a JSON object. */
	if (reply[0] == '{') {
		json_t *root = ctl_parse(reply);

		json_decref(root);
		free(reply);
		return 1;
	}
	fputs(reply, stdout);
	free(reply);
	return 0;
}
