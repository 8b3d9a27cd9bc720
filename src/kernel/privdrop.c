/* privdrop: give up root once the sockets are open (libcap-ng). */
#include <errno.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cap-ng.h>

#include "privdrop.h"

/* What the running daemon still needs (privdrop.h says why). */
static const int kept[] = { CAP_NET_ADMIN, CAP_SYS_PTRACE,
			    CAP_DAC_READ_SEARCH };

/*
 * Started without root but with capabilities (systemd's
 * AmbientCapabilities=, or file capabilities): keep the needed ones we
 * have, drop the rest, ambient ones included (a hook must not inherit
 * them).
 */
static int reduce(char *err, size_t errlen)
{
	bool have[sizeof(kept) / sizeof(kept[0])];
	size_t i;
	int ret;

	capng_get_caps_process();
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		have[i] = capng_have_capability(CAPNG_PERMITTED, kept[i]);
	capng_clear(CAPNG_SELECT_ALL);
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (have[i])
			capng_update(CAPNG_ADD,
				     CAPNG_EFFECTIVE | CAPNG_PERMITTED,
				     kept[i]);
	/* Changing the bounding set needs CAP_SETPCAP, which we may not
	 * have: caps and ambient only. */
	ret = capng_apply(CAPNG_SELECT_CAPS);
	if (ret == 0)
		ret = capng_apply(CAPNG_SELECT_AMBIENT);
	if (ret < 0) {
		snprintf(err, errlen,
			 "cannot drop capabilities (libcap-ng "
			 "error %d)",
			 ret);
		return -1;
	}
	return 0;
}

/*
 * The user to become: none (*pw NULL) when user is empty; only root may
 * switch.  0, or -1 with a message.
 */
static int target_user(const char *user, struct passwd **pw, char *err,
		       size_t errlen)
{
	*pw = NULL;
	if (user == NULL || *user == '\0')
		return 0;
	if (geteuid() != 0) {
		snprintf(err, errlen,
			 "user %s: only root can switch users (rstmond runs "
			 "as uid %u)",
			 user, (unsigned int)geteuid());
		return -1;
	}
	*pw = getpwnam(user);
	if (*pw == NULL) {
		snprintf(err, errlen, "user %s: no such user", user);
		return -1;
	}
	return 0;
}

/* Switch to pw's uid and gids, with the capabilities selected so far. */
static int become(const struct passwd *pw)
{
	return capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
			       CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
}

/* libcap-ng's verdict, then: nothing we exec (a hook) may gain
 * privileges — no setuid, no file capabilities. */
static int finish(int ret, char *err, size_t errlen)
{
	if (ret < 0) {
		snprintf(err, errlen,
			 "cannot drop privileges (libcap-ng error %d)", ret);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

int privdrop(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;
	size_t i;

	if (target_user(user, &pw, err, errlen) < 0)
		return -1;
	if (geteuid() != 0) {
		if (reduce(err, errlen) < 0)
			return -1;
		return finish(0, err, errlen);
	}
	capng_clear(CAPNG_SELECT_ALL);
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		capng_update(CAPNG_ADD,
			     CAPNG_EFFECTIVE | CAPNG_PERMITTED |
				     CAPNG_BOUNDING_SET,
			     kept[i]);
	if (pw != NULL)
		return finish(become(pw), err, errlen);
	return finish(capng_apply(CAPNG_SELECT_ALL), err, errlen);
}

int privdrop_all(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	if (target_user(user, &pw, err, errlen) < 0)
		return -1;
	capng_clear(CAPNG_SELECT_ALL);
	if (pw != NULL)
		return finish(become(pw), err, errlen);
	if (geteuid() == 0)
		return finish(capng_apply(CAPNG_SELECT_ALL), err, errlen);
	/* No CAP_SETPCAP: the bounding set stays as it is. */
	return finish(capng_apply(CAPNG_SELECT_CAPS) < 0 ?
			      -1 :
			      capng_apply(CAPNG_SELECT_AMBIENT),
		      err, errlen);
}
