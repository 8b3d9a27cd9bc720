/* procnet: the counters of /proc/net/snmp and /proc/net/netstat, parsed. */
#include <stdlib.h>
#include <string.h>

#include "procnet.h"

/* Start of the line after p, or NULL at the end of the text. */
static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p != NULL ? p + 1 : NULL;
}

/* Length of the token at p (up to blank or end of line). */
static size_t token_len(const char *p)
{
	return strcspn(p, " \t\n");
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int procnet_parse(const char *text, const char *prefix,
		  const char *const *names, int n, uint64_t *out)
{
	size_t plen = strlen(prefix);
	const char *hdr, *val, *h, *v;
	int found = 0, i;

	for (hdr = text; hdr != NULL && *hdr != '\0'; hdr = next_line(hdr)) {
		if (strncmp(hdr, prefix, plen) != 0 || hdr[plen] != ':')
			continue;
		val = next_line(hdr);
		if (val == NULL || strncmp(val, prefix, plen) != 0 ||
		    val[plen] != ':')
			return found;
		h = hdr + plen + 1;
		v = val + plen + 1;
		for (;;) {
			size_t hl, vl;

			h = skip_blanks(h);
			v = skip_blanks(v);
			hl = token_len(h);
			vl = token_len(v);
			if (hl == 0 || vl == 0)
				break;
			for (i = 0; i < n; i++) {
				if (strlen(names[i]) == hl &&
				    memcmp(names[i], h, hl) == 0) {
					/* Counters are unsigned; a "-1"
					 * (Tcp: MaxConn) reads as 0. */
					out[i] = *v == '-' ?
							 0 :
							 strtoull(v, NULL, 10);
					found++;
				}
			}
			h += hl;
			v += vl;
		}
		return found;
	}
	return found;
}
