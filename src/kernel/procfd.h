/* procfd: the socket inodes one process holds, read from /proc/PID/fd in
 * resumable slices — the one step of naming owners that needs privilege
 * (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH for other users' processes). */
#ifndef RSTMON_PROCFD_H
#define RSTMON_PROCFD_H

#include <stdbool.h>
#include <stdint.h>

/*
 * From *cursor (0: the start), readlink at most budget entries of
 * root/PID/fd and store the inodes of sockets, at most max of them.
 * *cursor is where to go on (0: the directory is done), *links the
 * readlinks made.  Returns how many inodes were stored, or -1 with errno
 * when the process is gone (ENOENT) or not readable (EACCES).
 */
int procfd_sockets(const char *root, uint32_t pid, uint64_t *cursor,
		   unsigned int budget, uint64_t *inodes, unsigned int max,
		   unsigned int *links);

/* "socket:[12345]" (n bytes, not NUL-terminated) -> 12345. */
bool procfd_parse_socket(const char *s, size_t n, uint64_t *inode);

/*
 * Who answers procfd_sockets() for procscan: in this process (tests, a
 * fake proc root) or in the privileged helper (privops).
 */
struct procfd_ops {
	int (*sockets)(void *arg, uint32_t pid, uint64_t *cursor,
		       unsigned int budget, uint64_t *inodes, unsigned int max,
		       unsigned int *links);
	void *arg;
};

#endif
