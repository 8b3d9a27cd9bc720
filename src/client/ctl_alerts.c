/* ctl_alerts: `rstmonctl alerts` — the active alerts, a table or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

/* Evidence as "k=v k=v", nested objects flattened ("last_owner.comm"). */
static void flatten(const json_t *obj, const char *prefix, char *buf,
		    size_t len)
{
	const char *key;
	json_t *v;
	char name[96], val[128];

	json_object_foreach((json_t *)(uintptr_t)obj, key, v)
	{
		size_t n = strlen(buf);

		snprintf(name, sizeof(name), "%s%s%s", prefix,
			 prefix[0] ? "." : "", ctl_safe(key));
		if (json_is_object(v)) {
			flatten(v, name, buf, len);
			continue;
		}
		if (json_is_string(v))
			snprintf(val, sizeof(val), "%s",
				 ctl_safe(json_string_value(v)));
		else if (json_is_integer(v))
			snprintf(val, sizeof(val), "%lld",
				 (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(val, sizeof(val), "%g", json_real_value(v));
		else if (json_is_array(v)) {
			size_t i;

			val[0] = '\0';
			for (i = 0; i < json_array_size(v) &&
				    strlen(val) + 8 < sizeof(val);
			     i++)
				snprintf(val + strlen(val),
					 sizeof(val) - strlen(val), "%s%lld",
					 i ? "," : "",
					 (long long)json_integer_value(
						 json_array_get(v, i)));
		} else
			continue;
		if (n + strlen(name) + strlen(val) + 3 < len)
			snprintf(buf + n, len - n, "%s%s=%s", n ? " " : "",
				 name, val);
	}
}

/* Under its alert, one indented line per action taken. */
static void print_actions(const json_t *list)
{
	char until[32];
	json_t *x;
	size_t i;

	json_array_foreach((json_t *)(uintptr_t)list, i, x)
	{
		const char *remote =
			json_string_value(json_object_get(x, "remote"));
		const char *set = json_string_value(json_object_get(x, "set"));
		json_t *exp = json_object_get(x, "expires");

		until[0] = '\0';
		if (json_is_integer(exp)) {
			time_t t = (time_t)json_integer_value(exp);
			struct tm tm;

			localtime_r(&t, &tm);
			strftime(until, sizeof(until), " until %H:%M:%S", &tm);
		}
		printf("  -> %s %s%s%s%s: %s%s\n", ctl_str(x, "action"),
		       remote ? ctl_safe(remote) : "", set ? " in " : "",
		       set ? ctl_safe(set) : "", until, ctl_str(x, "result"),
		       json_is_true(json_object_get(x, "dry_run")) ?
			       " (dry run)" :
			       "");
	}
}

int ctl_alerts(const struct ctl_opts *o)
{
	char *reply, when[32], ev[512];
	json_t *root, *a;
	size_t i;
	int kw = 3;

	root = ctl_fetch(o, "alerts", &reply);
	if (root == NULL)
		return 1;
	if (o->json) {
		fputs(reply, stdout);
		goto out;
	}
	if (!json_is_array(root) || json_array_size(root) == 0) {
		printf("no active alerts\n");
		goto out;
	}
	json_array_foreach(root, i, a)
	{
		const char *k = ctl_str(a, "key");
		int l = k != NULL ? (int)strlen(k) : 1;

		if (l > kw)
			kw = l < 40 ? l : 40;
	}
	printf("%-15s %-*s %-8s %-8s %s\n", "TYPE", kw, "KEY", "SINCE",
	       "SEVERITY", "EVIDENCE");
	json_array_foreach(root, i, a)
	{
		time_t t =
			(time_t)json_integer_value(json_object_get(a, "since"));
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		ev[0] = '\0';
		flatten(json_object_get(a, "evidence"), "", ev, sizeof(ev));
		printf("%-15s %-*.*s %-8s %-8s %s\n", ctl_str(a, "type"), kw,
		       kw, ctl_str(a, "key"), when, ctl_str(a, "severity"), ev);
		print_actions(json_object_get(a, "actions"));
	}
out:
	json_decref(root);
	free(reply);
	return 0;
}
