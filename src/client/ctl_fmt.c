/* ctl_fmt: how rstmonctl prints what it is told — escaped names, grouped
 * digits, rates, durations.  Pure: no I/O, unit-tested. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"

/* Length of the printable UTF-8 character at s (NUL-terminated), or 0
 * for a byte to escape: not UTF-8, or a C1 control (U+0080-U+009F). */
static size_t utf8_printable(const unsigned char *s)
{
	unsigned int cp, n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = s[0] & (0x7fu >> n); /* the lead byte's value bits */
	/* A continuation byte is never NUL: no read past the end. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp < 0xa0)
		return 0;
	return n;
}

const char *ctl_safe(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	static char ring[CTL_SAFE_SLOTS][1024];
	static unsigned int next;
	const unsigned char *p = (const unsigned char *)s;
	char *buf;
	size_t o = 0, n;

	if (s == NULL)
		return NULL;
	buf = ring[next++ % CTL_SAFE_SLOTS];
	/* The backslash stays as it is: unit names carry \x2d already, and
	 * are shown as systemctl shows them. */
	while (*p != '\0') {
		n = *p >= 0x20 && *p < 0x7f ? 1 : utf8_printable(p);
		if (o + (n ? n : 4) >= sizeof(ring[0]))
			break;
		if (n > 0) {
			memcpy(buf + o, p, n);
			o += n;
			p += n;
			continue;
		}
		buf[o++] = '\\';
		buf[o++] = 'x';
		buf[o++] = hex[*p >> 4];
		buf[o++] = hex[*p & 15];
		p++;
	}
	buf[o] = '\0';
	return buf;
}

const char *ctl_group_digits(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	size_t n, i, o = 0;

	n = (size_t)snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *ctl_rate(double r, char *buf, size_t len)
{
	if (r >= 10000)
		snprintf(buf, len, "%.1fk/s", r / 1000);
	else if (r >= 100)
		snprintf(buf, len, "%.0f/s", r);
	else if (r >= 1)
		snprintf(buf, len, "%.1f/s", r);
	else
		snprintf(buf, len, "%.2f/s", r);
	return buf;
}

const char *ctl_duration(uint64_t s, char *buf, size_t len)
{
	unsigned long long v = s;

	if (v >= 86400)
		snprintf(buf, len, "%llud %lluh", v / 86400, v % 86400 / 3600);
	else if (v >= 3600)
		snprintf(buf, len, "%lluh %llum", v / 3600, v % 3600 / 60);
	else if (v >= 60)
		snprintf(buf, len, "%llum %llus", v / 60, v % 60);
	else
		snprintf(buf, len, "%llus", v);
	return buf;
}
