/* promtext: pure — the Prometheus text exposition format: HELP and TYPE
 * lines, samples, label values escaped.  The one writer of the format. */
#include <stdio.h>
#include <string.h>

#include "promtext.h"

void promtext_head(struct json *o, const char *name, const char *type,
		   const char *help)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "# HELP %s %s\n# TYPE %s %s\n", name,
			 help, name, type);

	json_raw(o, buf, (size_t)n);
}

/* A byte as the label text \xHH (the backslash itself escaped). */
static void label_hex(struct json *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	const char t[5] = { '\\', '\\', 'x', hex[c >> 4], hex[c & 15] };

	json_raw(o, t, sizeof(t));
}

void promtext_label(struct json *o, const char *v)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t n = strlen(v), i, len;

	for (i = 0; i < n; i += len) {
		len = json_utf8_len(v + i, n - i);
		if (len == 0) {
			/* One stray byte would make the whole scrape fail. */
			json_raw(o, "\xef\xbf\xbd", 3); /* U+FFFD */
			len = 1;
		} else if (u[i] == '\\') {
			json_raw(o, "\\\\", 2);
		} else if (u[i] == '"') {
			json_raw(o, "\\\"", 2);
		} else if (u[i] == '\n') {
			json_raw(o, "\\n", 2);
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			/* Valid, but not for a terminal (`rstmonctl metrics`,
			 * curl) or a graph's legend. */
			label_hex(o, u[i]);
		} else if (len == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0) {
			label_hex(o, u[i]); /* C1: U+0080-U+009F */
			label_hex(o, u[i + 1]);
		} else {
			json_raw(o, v + i, len);
		}
	}
}

/* name{label="value"} number */
void promtext_sample(struct json *o, const char *name, const char *label,
		     const char *value, const char *num)
{
	json_raw(o, name, strlen(name));
	if (label != NULL) {
		json_raw(o, "{", 1);
		json_raw(o, label, strlen(label));
		json_raw(o, "=\"", 2);
		promtext_label(o, value);
		json_raw(o, "\"}", 2);
	}
	json_raw(o, " ", 1);
	json_raw(o, num, strlen(num));
	json_raw(o, "\n", 1);
}

void promtext_u64(struct json *o, const char *name, const char *label,
		  const char *value, uint64_t v)
{
	char num[32];

	json_fmt_u64(num, v);
	promtext_sample(o, name, label, value, num);
}

void promtext_dbl(struct json *o, const char *name, const char *label,
		  const char *value, double v)
{
	char num[64];

	snprintf(num, sizeof(num), "%.3f", v);
	promtext_sample(o, name, label, value, num);
}
