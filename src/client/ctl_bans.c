/* ctl_bans: `rstmonctl bans` (the addresses rstmond listed in its nft
 * sets) and `rstmonctl unban ADDR`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

int ctl_bans(const struct ctl_opts *o)
{
	char *reply, left[32];
	json_t *root, *b;
	size_t i;

	root = ctl_fetch(o, "bans", &reply);
	if (root == NULL)
		return 1;
	if (o->json) {
		fputs(reply, stdout);
	} else if (!json_is_array(root) || json_array_size(root) == 0) {
		printf("no address listed\n");
	} else {
		printf("%-39s %-11s %-5s %-11s %s\n", "REMOTE", "SET", "MODE",
		       "ALERT", "EXPIRES IN");
		json_array_foreach(root, i, b)
		{
			ctl_duration(ctl_u64(b, "remaining_s"), left,
				     sizeof(left));
			printf("%-39s %-11s %-5s %-11s %s%s\n",
			       ctl_str(b, "remote"), ctl_str(b, "set"),
			       ctl_str(b, "mode"), ctl_str(b, "alert"), left,
			       json_is_true(json_object_get(b, "dry_run")) ?
				       " (dry run)" :
				       "");
		}
	}
	json_decref(root);
	free(reply);
	return 0;
}

int ctl_unban(const struct ctl_opts *o)
{
	char line[128], *reply;
	json_t *root;

	if (o->argc != 2 || strlen(o->argv[1]) > 64 ||
	    strpbrk(o->argv[1], " \t\r\n") != NULL) {
		fprintf(stderr, "rstmonctl: usage: rstmonctl unban ADDRESS\n");
		return 2;
	}
	snprintf(line, sizeof(line), "unban %s", o->argv[1]);
	root = ctl_fetch(o, line, &reply);
	if (root == NULL)
		return 1;
	if (o->json)
		fputs(reply, stdout);
	else if (json_is_true(json_object_get(root, "was_listed")))
		printf("rstmond: %s unlisted\n", ctl_safe(o->argv[1]));
	else
		printf("rstmond: %s was not listed\n", ctl_safe(o->argv[1]));
	json_decref(root);
	free(reply);
	return 0;
}
