/* users: uid -> user name, cached (NSS lookups can be slow). */
#ifndef RSTMON_USERS_H
#define RSTMON_USERS_H

#include <stdint.h>

#define USERS_SLOTS 256

struct users_slot {
	uint32_t uid;
	uint64_t expires_ms;
	char name[33]; /* "" when the uid has no name */
	char used;
};

struct users {
	struct users_slot slot[USERS_SLOTS];
	unsigned int next;
	uint64_t lookups;
};

void users_init(struct users *u);
/* The name, or NULL when the uid has none (cached either way). */
const char *users_name(struct users *u, uint32_t uid, uint64_t now_ms);

#endif
