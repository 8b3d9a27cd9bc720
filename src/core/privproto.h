/* privproto: pure — the helper's request and answer, fixed-size, and the
 * check every request passes before the helper acts on it. */
#ifndef RSTMON_PRIVPROTO_H
#define RSTMON_PRIVPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sets of table inet rstmon (rules/rstmon.nft), by number. */
enum privops_set {
	PRIVOPS_RATELIMIT4,
	PRIVOPS_RATELIMIT6,
	PRIVOPS_DROP4,
	PRIVOPS_DROP6,
	PRIVOPS_SET_MAX
};

enum privop {
	PRIVOP_FD_SOCKETS = 1, /* pid, cursor, budget -> inodes, cursor */
	PRIVOP_NETNS,	       /* pid (a tid) -> dev, ino of its netns */
	PRIVOP_COUNTER,	       /* -> packets of inet rstmon rsts_logged */
	PRIVOP_TABLE,	       /* -> handle of table inet rstmon, or none */
	PRIVOP_SET_HANDLE,     /* set -> its handle, or none */
	PRIVOP_SET_ADD,	       /* set, n keys with timeouts */
	PRIVOP_SET_DEL,	       /* set, n keys */
	PRIVOP_RULES_INSTALL,  /* the rules file given at start */
	PRIVOP_RULES_REMOVE,   /* delete table inet rstmon */
	PRIVOP_MAX
};

#define PRIVOP_KEYS 64		/* set elements per request */
#define PRIVOP_INODES 128	/* socket inodes per answer */
#define PRIVOP_BUDGET_MAX 65536 /* readlinks per request */
#define PRIVOP_PID_MAX 4194304	/* the kernel's PID_MAX_LIMIT */
#define PRIVOP_TIMEOUT_MAX_MS (7ull * 24 * 3600 * 1000)

struct privop_req {
	uint32_t op;
	uint32_t pid;
	uint64_t cursor;
	uint32_t budget;
	uint32_t set;
	uint32_t n;
	uint32_t pad;
	uint8_t keys[PRIVOP_KEYS][16];
	uint64_t timeout_ms[PRIVOP_KEYS];
};

struct privop_ans {
	int32_t ret;	 /* >= 0, or -1 */
	int32_t err;	 /* errno when ret < 0 */
	uint64_t value;	 /* packets, handle, dev */
	uint64_t value2; /* ino */
	uint64_t cursor;
	uint32_t links;
	uint32_t n;
	uint64_t inodes[PRIVOP_INODES];
	char msg[256]; /* nft's words, NUL-terminated */
};

/*
 * Is this a request the helper may act on?  len is what was received:
 * exactly one struct; the op known; every field within its bounds and
 * every unused field zero (so that nothing is carried that the helper
 * does not read).  Returns NULL, or why not.  Pure.
 */
const char *privproto_check(const struct privop_req *r, size_t len);

/* The key length of a set's elements (4 or 16). */
size_t privops_set_keylen(enum privops_set set);

#endif
