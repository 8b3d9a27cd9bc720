/* tracefmt: pure — the tcp:tcp_send_reset format file -> a layout, and a
 * raw sample -> a record, for every generation of the tracepoint. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tracefmt.h"

/*
 * enum trace_flag_type of include/linux/trace_events.h (not uapi, the
 * same since 4.15).  common_preempt_count cannot replace them: it keeps
 * only the low byte of preempt_count, without the softirq/hardirq bits
 * (checked on 6.18: a softirq record showed 0x02, a task one 0x01).
 */
#define TRACE_FLAG_HARDIRQ 0x08
#define TRACE_FLAG_SOFTIRQ 0x10
#define TRACE_FLAG_NMI 0x40

/* include/net/tcp_states.h */
#define TCP_TIME_WAIT 6
#define TCP_NEW_SYN_RECV 12

/* A struct sockaddr_in6 image. */
#define TRACE_SA_LEN 28

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = ENOENT;
	return -1;
}

/*
 * Offset and size of a "field:TYPE NAME[N]; offset:O; size:S;" line.
 * -1 when the field is absent.
 */
static int fmt_field(const char *fmt, const char *name, int *off, int *size)
{
	size_t nlen = strlen(name);
	const char *line, *p, *semi, *end, *start;

	for (line = fmt; *line; line = p) {
		p = strchr(line, '\n');
		p = p ? p + 1 : line + strlen(line);
		line += strspn(line, " \t");
		if (strncmp(line, "field:", 6) != 0)
			continue;
		line += 6;
		semi = strpbrk(line, ";\n");
		if (!semi || *semi != ';')
			continue;
		end = memchr(line, '[', (size_t)(semi - line));
		if (!end)
			end = semi;
		while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		start = end;
		while (start > line &&
		       (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
			start--;
		if ((size_t)(end - start) != nlen ||
		    memcmp(start, name, nlen) != 0)
			continue;
		if (sscanf(semi + 1, " offset:%d; size:%d;", off, size) != 2 ||
		    *off < 0 || *off > 4096 || *size <= 0 || *size > 4096)
			return -1;
		return 0;
	}
	return -1;
}

/*
 * The reason names, from `__print_symbolic(REC->reason, { 0,
 * "NOT_SPECIFIED" }, …)`: the enum is not ABI and keeps growing.
 * Returns how many values map to a reason we know.
 */
static int fmt_reasons(const char *fmt, enum kreason *map, size_t nmap)
{
	static const char key[] = "__print_symbolic(REC->reason,";
	const char *p, *q, *close;
	char name[64], *end;
	unsigned long long v;
	size_t len;
	int n = 0;

	p = strstr(fmt, key);
	if (!p)
		return 0;
	p += sizeof(key) - 1;
	for (;;) {
		p += strspn(p, " \t,");
		if (*p != '{')
			break;
		close = strchr(p, '}');
		if (!close)
			break;
		p++;
		v = strtoull(p, &end, 0);
		q = end + strspn(end, " \t");
		if (end == p || *q != ',')
			goto next; /* an unresolved enum name: skip */
		q++;
		q += strspn(q, " \t");
		if (*q != '"')
			goto next;
		q++;
		len = strcspn(q, "\"");
		if (q[len] != '"' || q + len > close || len >= sizeof(name))
			goto next;
		memcpy(name, q, len);
		name[len] = '\0';
		if (v < nmap) {
			map[v] = kreason_from_name(name);
			if (map[v] != KREASON_NONE)
				n++;
		}
	next:
		p = close + 1;
	}
	return n;
}

static void need(size_t *raw_min, int off, int size)
{
	if ((size_t)off + (size_t)size > *raw_min)
		*raw_min = (size_t)off + (size_t)size;
}

static bool int_size(int size)
{
	return size == 1 || size == 2 || size == 4;
}

/* 4.15–6.9: ports, then IPv4 arrays and IPv6 (or v4-mapped) arrays. */
static int parse_in6_arrays(struct trace_layout *l, const char *fmt)
{
	int sz_sport, sz_dport, sz_s6, sz_d6;

	if (fmt_field(fmt, "sport", &l->off_sport, &sz_sport) < 0 ||
	    fmt_field(fmt, "dport", &l->off_dport, &sz_dport) < 0 ||
	    fmt_field(fmt, "saddr_v6", &l->off_saddr, &sz_s6) < 0 ||
	    fmt_field(fmt, "daddr_v6", &l->off_daddr, &sz_d6) < 0 ||
	    sz_sport != 2 || sz_dport != 2 || sz_s6 != 16 || sz_d6 != 16)
		return -1;
	need(&l->raw_min, l->off_sport, 2);
	need(&l->raw_min, l->off_dport, 2);
	need(&l->raw_min, l->off_saddr, 16);
	need(&l->raw_min, l->off_daddr, 16);
	return 0;
}

int tracefmt_parse(struct trace_layout *l, const char *fmt, char *err,
		   size_t errlen)
{
	int sz_type, sz_flags, sz_saddr = 0, sz_daddr = 0;
	const char *p;

	memset(l, 0, sizeof(*l));
	if (strncmp(fmt, "ID:", 3) == 0) {
		p = fmt + 3;
	} else {
		p = strstr(fmt, "\nID:");
		if (p)
			p += 4;
	}
	if (!p || sscanf(p, "%u", &l->type_id) != 1)
		return fail(err, errlen, "tcp_send_reset format: no ID line");
	if (fmt_field(fmt, "common_type", &l->off_type, &sz_type) < 0 ||
	    fmt_field(fmt, "common_flags", &l->off_flags, &sz_flags) < 0 ||
	    fmt_field(fmt, "skaddr", &l->off_skaddr, &l->sz_skaddr) < 0 ||
	    sz_type != 2 || sz_flags != 1 ||
	    (l->sz_skaddr != 4 && l->sz_skaddr != 8))
		return fail(err, errlen,
			    "tcp:tcp_send_reset: unexpected layout");
	need(&l->raw_min, l->off_type, 2);
	need(&l->raw_min, l->off_flags, 1);
	need(&l->raw_min, l->off_skaddr, l->sz_skaddr);
	/* The state came after 4.19; a kernel without it reports 0. */
	if (fmt_field(fmt, "state", &l->off_state, &l->sz_state) == 0) {
		if (!int_size(l->sz_state))
			return fail(err, errlen,
				    "tcp:tcp_send_reset: unexpected state");
		need(&l->raw_min, l->off_state, l->sz_state);
	} else {
		l->sz_state = 0;
	}
	if (fmt_field(fmt, "saddr", &l->off_saddr, &sz_saddr) == 0 &&
	    fmt_field(fmt, "daddr", &l->off_daddr, &sz_daddr) == 0 &&
	    sz_saddr >= TRACE_SA_LEN && sz_daddr >= TRACE_SA_LEN) {
		l->sockaddrs = true;
		need(&l->raw_min, l->off_saddr, TRACE_SA_LEN);
		need(&l->raw_min, l->off_daddr, TRACE_SA_LEN);
	} else if (parse_in6_arrays(l, fmt) < 0) {
		return fail(err, errlen,
			    "tcp:tcp_send_reset: no addresses in its layout");
	}
	if (fmt_field(fmt, "reason", &l->off_reason, &l->sz_reason) == 0) {
		if (!int_size(l->sz_reason))
			return fail(err, errlen,
				    "tcp:tcp_send_reset: unexpected reason");
		need(&l->raw_min, l->off_reason, l->sz_reason);
		if (fmt_reasons(fmt, l->reason_map,
				sizeof(l->reason_map) /
					sizeof(l->reason_map[0])) == 0)
			return fail(err, errlen,
				    "tcp:tcp_send_reset: no reason names in "
				    "its print fmt");
	} else {
		l->sz_reason = 0;
	}
	return 0;
}

bool tracefmt_has_reason(const struct trace_layout *l)
{
	return l->sz_reason != 0;
}

static uint64_t raw_uint(const uint8_t *p, int size)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		return p[0];
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

/* A struct sockaddr_in or sockaddr_in6 image; -1 for any other family. */
static int decode_sockaddr(const uint8_t *sa, uint8_t *family, uint8_t *addr,
			   uint16_t *port)
{
	uint16_t fam;

	memcpy(&fam, sa, sizeof(fam));
	*port = (uint16_t)(sa[2] << 8 | sa[3]);
	if (fam == AF_INET)
		memcpy(addr, sa + 4, 4);
	else if (fam == AF_INET6)
		memcpy(addr, sa + 8, 16);
	else
		return -1;
	*family = (uint8_t)fam;
	return 0;
}

/* The IPv6 arrays of 4.15–6.9: an IPv4 socket's addresses come
 * v4-mapped (::ffff:a.b.c.d), an IPv6 socket's as they are. */
static uint8_t decode_in6(const uint8_t *a6, uint8_t *addr)
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (memcmp(a6, v4mapped, 12) == 0) {
		memcpy(addr, a6 + 12, 4);
		return AF_INET;
	}
	memcpy(addr, a6, 16);
	return AF_INET6;
}

int tracefmt_decode(const struct trace_layout *l, const uint8_t *raw,
		    size_t len, struct trace_record *r)
{
	uint8_t dfam, flags;
	uint64_t reason;

	if (len < l->raw_min || l->raw_min == 0)
		return -1;
	if (raw_uint(raw + l->off_type, 2) != (l->type_id & 0xffff))
		return -1;
	if (l->sockaddrs) {
		if (decode_sockaddr(raw + l->off_saddr, &r->family, r->saddr,
				    &r->sport) < 0 ||
		    decode_sockaddr(raw + l->off_daddr, &dfam, r->daddr,
				    &r->dport) < 0 ||
		    dfam != r->family)
			return -1;
	} else {
		r->family = decode_in6(raw + l->off_saddr, r->saddr);
		dfam = decode_in6(raw + l->off_daddr, r->daddr);
		/* A v4-mapped source with an all-zero peer (a listener
		 * bound to 0.0.0.0 has dport 0 and a :: peer). */
		if (dfam != r->family) {
			if (r->family == AF_INET)
				memset(r->daddr, 0, 16);
			else
				return -1;
		}
		r->sport = (uint16_t)raw_uint(raw + l->off_sport, 2);
		r->dport = (uint16_t)raw_uint(raw + l->off_dport, 2);
	}
	r->state = l->sz_state ? (int)(int32_t)raw_uint(raw + l->off_state,
							l->sz_state) :
				 0;
	/* Before 6.10 only full sockets fire it; since, a reset without a
	 * socket has skaddr 0, and timewait and request socks their state. */
	r->full_socket = raw_uint(raw + l->off_skaddr, l->sz_skaddr) != 0 &&
			 r->state != TCP_TIME_WAIT &&
			 r->state != TCP_NEW_SYN_RECV;
	r->reason = KREASON_NONE;
	if (l->sz_reason) {
		reason = raw_uint(raw + l->off_reason, l->sz_reason);
		if (reason < sizeof(l->reason_map) / sizeof(l->reason_map[0]))
			r->reason = l->reason_map[reason];
	}
	flags = raw[l->off_flags];
	r->in_task = !(flags & (TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ |
				TRACE_FLAG_NMI));
	return 0;
}
