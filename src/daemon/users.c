/* users: uid -> user name, cached (NSS lookups can be slow). */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

#define USERS_TTL_MS 60000
/* A failing NSS source (LDAP down) may come back: retry sooner than a
 * plain "no such user". */
#define USERS_ERR_TTL_MS 5000
#define USERS_BUF_MAX (1024 * 1024)

void users_init(struct users *u)
{
	memset(u, 0, sizeof(*u));
}

/* One getpwuid_r(); returns 0 (name filled, "" for none) or an errno. */
static int users_lookup(uint32_t uid, char *name, size_t len)
{
	char stackbuf[1024], *buf = stackbuf, *big = NULL;
	size_t size = sizeof(stackbuf);
	struct passwd pw, *res;
	size_t n;
	int err;

	name[0] = '\0';
	for (;;) {
		res = NULL;
		err = getpwuid_r((uid_t)uid, &pw, buf, size, &res);
		if (err != ERANGE || size >= USERS_BUF_MAX)
			break;
		/* A group-heavy passwd entry: grow on the heap, rarely. */
		size *= 4;
		free(big);
		big = malloc(size);
		if (big == NULL) {
			err = ENOMEM;
			break;
		}
		buf = big;
	}
	/* Some NSS modules say "not found" with an errno (man getpwuid_r). */
	if (err == ENOENT || err == ESRCH || err == EBADF || err == EPERM)
		err = 0;
	if (err == 0 && res != NULL && res->pw_name != NULL) {
		/* Names over 32 bytes are not valid POSIX user names. */
		n = strnlen(res->pw_name, len - 1);
		memcpy(name, res->pw_name, n);
		name[n] = '\0';
	}
	free(big);
	return err;
}

const char *users_name(struct users *u, uint32_t uid, uint64_t now_ms)
{
	struct users_slot *s, *stale = NULL;
	unsigned int i;

	for (i = 0; i < USERS_SLOTS; i++) {
		s = &u->slot[i];
		if (!s->used || s->uid != uid)
			continue;
		if (s->expires_ms > now_ms)
			return s->name[0] ? s->name : NULL;
		stale = s;
	}
	/* Miss: refresh the expired slot of this uid, else round-robin. */
	if (stale != NULL) {
		s = stale;
	} else {
		s = &u->slot[u->next];
		u->next = (u->next + 1) % USERS_SLOTS;
	}
	u->lookups++;
	s->used = 1;
	s->uid = uid;
	if (users_lookup(uid, s->name, sizeof(s->name)) != 0)
		s->expires_ms = now_ms + USERS_ERR_TTL_MS;
	else
		s->expires_ms = now_ms + USERS_TTL_MS;
	return s->name[0] ? s->name : NULL;
}
