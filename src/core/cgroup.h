/* cgroup: pure parsing of cgroup paths into a systemd unit and a
 * container id. */
#ifndef RSTMON_CGROUP_H
#define RSTMON_CGROUP_H

#include <stddef.h>

/*
 * From the text of /proc/PID/cgroup, the cgroup v2 path ("0::/path");
 * with only v1 lines, the name=systemd path.  Returns 0 and fills path,
 * or -1 when none is found.
 */
int cgroup_path_from_proc(const char *text, char *path, size_t len);

/*
 * The systemd unit a cgroup path belongs to: the last component ending
 * in .service, .scope, .socket, .mount, .swap or .slice that is not a
 * slice when a service or scope is present — e.g.
 * "/system.slice/redis-server.service" -> "redis-server.service",
 * "/user.slice/user-1000.slice/session-3.scope" -> "session-3.scope".
 * Returns 0, or -1 (unit set to "") when none.
 */
int cgroup_unit(const char *path, char *unit, size_t len);

/*
 * A container id or name in a cgroup path: docker-<64 hex>.scope,
 * /docker/<64 hex>, cri-containerd-<hex>.scope, crio-<hex>.scope,
 * libpod-<hex>.scope, kubepods…/<hex>, lxc.payload.<name>,
 * machine-<name>.scope (systemd-nspawn).  Ids are shortened to 12
 * characters, as docker ps shows them.  Returns 0, or -1 (out "").
 */
int cgroup_container(const char *path, char *out, size_t len);

#endif
