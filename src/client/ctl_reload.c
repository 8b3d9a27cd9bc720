/* ctl_reload: `rstmonctl reload` — the daemon reopens its events file and
 * rereads its config. */
#include <stdio.h>
#include <stdlib.h>

#include "ctl.h"

int ctl_reload(const struct ctl_opts *o)
{
	char *reply;
	json_t *root = ctl_fetch(o, "reload", &reply);

	if (root == NULL)
		return 1;
	if (o->json)
		fputs(reply, stdout);
	else
		printf("rstmond: reload done\n");
	json_decref(root);
	free(reply);
	return 0;
}
