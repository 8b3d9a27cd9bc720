/* privproto: pure — the helper's request and answer, and their check. */
#include <string.h>

#include "privproto.h"

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* The fields an op reads, as a mask of these bits. */
#define F_PID (1u << 0)
#define F_CURSOR (1u << 1)
#define F_BUDGET (1u << 2)
#define F_SET (1u << 3)
#define F_KEYS (1u << 4)
#define F_TIMEOUTS (1u << 5)

static const unsigned int fields[PRIVOP_MAX] = {
	[PRIVOP_FD_SOCKETS] = F_PID | F_CURSOR | F_BUDGET,
	[PRIVOP_NETNS] = F_PID,
	[PRIVOP_COUNTER] = 0,
	[PRIVOP_TABLE] = 0,
	[PRIVOP_SET_HANDLE] = F_SET,
	[PRIVOP_SET_ADD] = F_SET | F_KEYS | F_TIMEOUTS,
	[PRIVOP_SET_DEL] = F_SET | F_KEYS,
	[PRIVOP_RULES_INSTALL] = 0,
	[PRIVOP_RULES_REMOVE] = 0,
};

const char *privproto_check(const struct privop_req *r, size_t len)
{
	unsigned int f, i;
	size_t klen;

	if (len != sizeof(*r))
		return "wrong size";
	if (r->op == 0 || r->op >= PRIVOP_MAX)
		return "unknown op";
	f = fields[r->op];
	if (r->pad != 0)
		return "padding set";
	if (f & F_PID) {
		if (r->pid == 0 || r->pid > PRIVOP_PID_MAX)
			return "pid out of range";
	} else if (r->pid != 0) {
		return "pid given";
	}
	if (!(f & F_CURSOR) && r->cursor != 0)
		return "cursor given";
	if (f & F_BUDGET) {
		if (r->budget == 0 || r->budget > PRIVOP_BUDGET_MAX)
			return "budget out of range";
	} else if (r->budget != 0) {
		return "budget given";
	}
	if (f & F_SET) {
		if (r->set >= PRIVOPS_SET_MAX)
			return "unknown set";
	} else if (r->set != 0) {
		return "set given";
	}
	if (f & F_KEYS) {
		if (r->n == 0 || r->n > PRIVOP_KEYS)
			return "element count out of range";
	} else if (r->n != 0) {
		return "elements given";
	}
	klen = f & F_KEYS ? privops_set_keylen((enum privops_set)r->set) : 0;
	for (i = 0; i < PRIVOP_KEYS; i++) {
		bool used = i < r->n;

		/* An element's bytes beyond its key length, and unused
		 * elements, are zero. */
		if (!zero(r->keys[i] + (used ? klen : 0),
			  sizeof(r->keys[i]) - (used ? klen : 0)))
			return "stray key bytes";
		if ((f & F_TIMEOUTS) && used) {
			if (r->timeout_ms[i] == 0 ||
			    r->timeout_ms[i] > PRIVOP_TIMEOUT_MAX_MS)
				return "timeout out of range";
		} else if (r->timeout_ms[i] != 0) {
			return "stray timeout";
		}
	}
	return NULL;
}

size_t privops_set_keylen(enum privops_set set)
{
	return set == PRIVOPS_RATELIMIT6 || set == PRIVOPS_DROP6 ? 16 : 4;
}
