/* pidinfo: pid -> comm, uid and cgroup, read from /proc and cached briefly. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "pidinfo.h"
#include "procfile.h"

void pidinfo_init(struct pidinfo *p)
{
	memset(p, 0, sizeof(*p));
}

/* Effective uid from a /proc/PID/status text ("Uid: r e s f"). */
static bool status_euid(const char *text, uint32_t *uid)
{
	const char *l = strstr(text, "\nUid:");
	unsigned int r, e;

	if (l == NULL || sscanf(l + 5, "%u %u", &r, &e) != 2)
		return false;
	*uid = e;
	return true;
}

static bool pidinfo_read(struct pidinfo *p, struct procscan *ps, uint32_t pid,
			 struct proc_owner *o)
{
	char path[PATH_MAX], buf[4096];
	long n;

	p->reads++;
	memset(o, 0, sizeof(*o));
	o->pid = pid;
	snprintf(path, sizeof(path), "%s/%u/comm", procscan_root(ps), pid);
	n = procfile_read(path, buf, sizeof(buf));
	if (n <= 0)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(o->comm, sizeof(o->comm), "%.15s", buf);
	snprintf(path, sizeof(path), "%s/%u/status", procscan_root(ps), pid);
	if (procfile_read(path, buf, sizeof(buf)) <= 0 ||
	    !status_euid(buf, &o->uid))
		return false;
	procscan_fill_cgroup(ps, o);
	return true;
}

bool pidinfo_get(struct pidinfo *p, struct procscan *ps, uint32_t pid,
		 uint64_t now_ms, struct proc_owner *out)
{
	struct pidinfo_slot *s = &p->slot[pid % PIDINFO_SLOTS];

	if (s->pid != pid || s->expires_ms <= now_ms) {
		s->pid = pid;
		s->expires_ms = now_ms + PIDINFO_TTL_MS;
		s->ok = pidinfo_read(p, ps, pid, &s->o);
	}
	if (s->ok)
		*out = s->o;
	return s->ok;
}
