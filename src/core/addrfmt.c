/* addrfmt: addresses as text, RFC 5952 as glibc's inet_ntop writes it. */
#include <string.h>
#include <sys/socket.h>

#include "addrfmt.h"

/* "0." to "255.": each octet's text and dot, made once. */
static char octet_text[256][4];
static uint8_t octet_len[256];

static void octets_init(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		char *p = octet_text[v];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = '.';
		octet_len[v] = (uint8_t)(p - octet_text[v]);
	}
}

static char *fmt_ipv4(char *p, const uint8_t *a)
{
	int i;

	if (octet_len[0] == 0)
		octets_init();
	/* Four bytes copied whatever the length: the buffer has room. */
	for (i = 0; i < 4; i++) {
		memcpy(p, octet_text[a[i]], 4);
		p += octet_len[a[i]];
	}
	return p - 1; /* no dot after the last */
}

/* RFC 5952 text, as glibc's inet_ntop writes it (its tests hold us to
 * that): the longest run of two or more zero groups, the first of
 * equals, becomes "::"; ::ffff:0:0/96 and ::/96 end in dotted IPv4. */
static char *fmt_ipv6(char *p, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int w[8], i, best = 8, best_len = 0, run = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
		run = w[i] == 0 ? run + 1 : 0;
		if (run > best_len) {
			best_len = run;
			best = i + 1 - run;
		}
	}
	if (best_len < 2)
		best = 8;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			if (best + best_len == 8)
				*p++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i > 0)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return fmt_ipv4(p, a + 12);
		if (w[i] >= 0x1000)
			*p++ = hex[w[i] >> 12];
		if (w[i] >= 0x100)
			*p++ = hex[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*p++ = hex[w[i] >> 4 & 15];
		*p++ = hex[w[i] & 15];
	}
	return p;
}

char *addrfmt_put(char *p, uint8_t family, const uint8_t *addr)
{
	return family == AF_INET6 ? fmt_ipv6(p, addr) : fmt_ipv4(p, addr);
}

const char *addrfmt_str(uint8_t family, const uint8_t *addr, char *buf)
{
	char *end = family == AF_INET6 ? fmt_ipv6(buf, addr) :
		    family == AF_INET  ? fmt_ipv4(buf, addr) :
					 (memcpy(buf, "?", 1), buf + 1);

	*end = '\0';
	return buf;
}
