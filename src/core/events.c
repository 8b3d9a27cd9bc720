/* events: one JSON line per reset (the -e output and the events verb). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addrfmt.h"
#include "events.h"
#include "json.h"
#include "tcp_states.h"

/*
 * The event line is written by hand into a buffer sized for the worst
 * case: it is the one text made per reset, and a generic writer (key
 * lookups, a length check and a call per byte, printf for addresses) cost
 * three quarters of the whole per-reset path.  Output is byte for byte
 * what the json writer makes.
 */

/* Longest possible line: every string escaped at 6 bytes per byte. */
#define OWNER_MAX                                           \
	(6 * (sizeof(((struct proc_owner *)0)->comm) +      \
	      sizeof(((struct proc_owner *)0)->unit) +      \
	      sizeof(((struct proc_owner *)0)->container) + \
	      sizeof(((struct proc_owner *)0)->cgroup)) +   \
	 256)
#define USER_MAX 64 /* users' names are 32 bytes at most */
#define EVENT_MAX (2 * OWNER_MAX + 6 * (USER_MAX + IFNAMSIZ_MAX + 16) + 1024)
#define IFNAMSIZ_MAX 16
_Static_assert(EVENT_MAX <= EVENTS_LINE_MAX, "event line may not fit");

struct out {
	char *p;
};

#define PUT_LIT(o, s) put((o), (s), sizeof(s) - 1)

static inline void put(struct out *o, const char *s, size_t n)
{
	memcpy(o->p, s, n);
	o->p += n;
}

static void put_u64(struct out *o, uint64_t v)
{
	o->p += json_fmt_u64(o->p, v);
}

/* A JSON string's contents: copied when nothing needs escaping. */
static void put_str(struct out *o, const char *s, size_t max)
{
	size_t n = strnlen(s, max), i;
	const unsigned char *u = (const unsigned char *)s;

	for (i = 0; i < n; i++)
		if (u[i] < 0x20 || u[i] >= 0x7f || u[i] == '"' || u[i] == '\\')
			break;
	if (i == n) {
		put(o, s, n);
		return;
	}
	/* Room: the caller sized the buffer for 6 bytes per byte. */
	o->p += json_escape(o->p, 6 * n + 1, s, n);
}

/* key (`,"name":"`), the escaped text (at most max bytes), '"'. */
static void put_text(struct out *o, const char *key, size_t keylen,
		     const char *s, size_t max)
{
	put(o, key, keylen);
	put_str(o, s, max);
	*o->p++ = '"';
}

#define PUT_TEXT(o, key, s, max) \
	put_text((o), (key), sizeof(key) - 1, (s), (max))
#define PUT_FIELD(o, key, f) PUT_TEXT((o), (key), (f), sizeof(f))

static void put_addr(struct out *o, uint8_t family, const uint8_t *addr)
{
	o->p = addrfmt_put(o->p, family, addr);
}

/* "1732400000.123456": seconds with microseconds, as a JSON number. */
static void put_ts(struct out *o, const struct rst_event *ev)
{
	long usec = ev->ts.tv_nsec / 1000;
	int i;

	if (usec < 0 || usec > 999999)
		usec = 0;
	put_u64(o, (uint64_t)ev->ts.tv_sec);
	*o->p++ = '.';
	for (i = 5; i >= 0; i--) {
		o->p[i] = (char)('0' + usec % 10);
		usec /= 10;
	}
	o->p += 6;
}

/* pid, comm, unit, container, cgroup of a process: those known. */
static void put_process(struct out *o, const struct proc_owner *p)
{
	PUT_LIT(o, "\"pid\":");
	put_u64(o, p->pid);
	if (p->comm[0])
		PUT_FIELD(o, ",\"comm\":\"", p->comm);
	if (p->unit[0])
		PUT_FIELD(o, ",\"unit\":\"", p->unit);
	if (p->container[0])
		PUT_FIELD(o, ",\"container\":\"", p->container);
	if (p->cgroup[0])
		PUT_FIELD(o, ",\"cgroup\":\"", p->cgroup);
}

/* A constant name (cause, reason, state): nothing to escape. */
static void put_name(struct out *o, const char *key, size_t keylen,
		     const char *name)
{
	put(o, key, keylen);
	put(o, name, strlen(name));
	*o->p++ = '"';
}

#define PUT_NAME(o, key, name) put_name((o), (key), sizeof(key) - 1, (name))

static void put_owner(struct out *o, const struct attribution *at)
{
	bool sep = false;

	PUT_LIT(o, ",\"owner\":{");
	if (at->has_pid) {
		put_process(o, &at->owner);
		sep = true;
	}
	if (at->has_uid) {
		if (sep)
			*o->p++ = ',';
		PUT_LIT(o, "\"uid\":");
		put_u64(o, at->uid);
		sep = true;
	}
	if (at->user != NULL) {
		if (sep)
			*o->p++ = ',';
		PUT_TEXT(o, "\"user\":\"", at->user, USER_MAX);
		sep = true;
	}
	if (at->state != 0) {
		if (sep)
			*o->p++ = ',';
		PUT_NAME(o, "\"state\":\"", tcp_state_name(at->state));
		sep = true;
	}
	if (at->has_last_owner) {
		if (sep)
			*o->p++ = ',';
		PUT_LIT(o, "\"last_owner\":{");
		put_process(o, &at->last);
		PUT_LIT(o, ",\"uid\":");
		put_u64(o, at->last_uid);
		PUT_LIT(o, ",\"last_seen\":");
		if (at->last_seen < 0) {
			*o->p++ = '-';
			put_u64(o, (uint64_t)0 - (uint64_t)at->last_seen);
		} else {
			put_u64(o, (uint64_t)at->last_seen);
		}
		*o->p++ = '}';
	}
	*o->p++ = '}';
}

static void put_attribution(struct out *o, const struct attribution *at)
{
	const char *kr = kreason_name(at->kreason);

	PUT_NAME(o, ",\"cause\":\"", cause_name(at->cause));
	if (at->has_owner || at->has_last_owner)
		put_owner(o, at);
	if (kr != NULL)
		PUT_NAME(o, ",\"kernel_reason\":\"", kr);
	if (at->has_actor) {
		PUT_LIT(o, ",\"actor\":{\"pid\":");
		put_u64(o, at->actor_pid);
		if (at->actor_comm[0])
			PUT_FIELD(o, ",\"comm\":\"", at->actor_comm);
		*o->p++ = '}';
	}
}

size_t events_line(char *buf, const struct rst_event *ev,
		   const struct event_extra *x)
{
	struct out o = { buf };
	char flags[9];

	PUT_LIT(&o, "{\"ts\":");
	put_ts(&o, ev);
	PUT_LIT(&o, ",\"family\":");
	*o.p++ = ev->family == AF_INET6 ? '6' : '4';
	PUT_LIT(&o, ",\"local\":\"");
	put_addr(&o, ev->family, ev->local);
	PUT_LIT(&o, "\",\"lport\":");
	put_u64(&o, ev->lport);
	PUT_LIT(&o, ",\"remote\":\"");
	put_addr(&o, ev->family, ev->remote);
	PUT_LIT(&o, "\",\"rport\":");
	put_u64(&o, ev->rport);
	PUT_NAME(&o, ",\"flags\":\"", packet_flags_str(ev->tcp_flags, flags));
	PUT_LIT(&o, ",\"seq\":");
	put_u64(&o, ev->seq);
	PUT_LIT(&o, ",\"ack\":");
	put_u64(&o, ev->ack);
	PUT_LIT(&o, ",\"window\":");
	put_u64(&o, ev->window);
	if (x != NULL && x->ifname != NULL)
		PUT_TEXT(&o, ",\"ifname\":\"", x->ifname, IFNAMSIZ_MAX);
	if (x != NULL && x->at != NULL) {
		put_attribution(&o, x->at);
	} else if (ev->has_uid) {
		PUT_LIT(&o, ",\"owner\":{\"uid\":");
		put_u64(&o, ev->uid);
		*o.p++ = '}';
	}
	*o.p++ = '}';
	*o.p = '\0';
	return (size_t)(o.p - buf);
}
