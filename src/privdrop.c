/* privdrop: give up root once the sockets are open (libcap-ng). */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include <cap-ng.h>

#include "privdrop.h"

int privdrop(const char *user, char *err, size_t errlen)
{
	struct passwd *pw = NULL;
	int ret;

	if (geteuid() != 0)
		return 0;
	if (user != NULL && *user != '\0') {
		pw = getpwnam(user);
		if (pw == NULL) {
			snprintf(err, errlen, "user %s: no such user", user);
			return -1;
		}
	}
	capng_clear(CAPNG_SELECT_BOTH);
	capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		      CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, -1);
	if (pw != NULL)
		ret = capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
				      CAPNG_DROP_SUPP_GRP |
					      CAPNG_CLEAR_BOUNDING);
	else
		ret = capng_apply(CAPNG_SELECT_BOTH);
	if (ret < 0) {
		snprintf(err, errlen, "cannot drop privileges (libcap-ng "
			 "error %d)", ret);
		return -1;
	}
	return 0;
}
