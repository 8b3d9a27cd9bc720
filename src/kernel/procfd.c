/* procfd: the socket inodes one process holds, read from /proc/PID/fd in
 * resumable slices. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procfd.h"

bool procfd_parse_socket(const char *s, size_t n, uint64_t *inode)
{
	static const char pfx[] = "socket:[";
	size_t i, pl = sizeof(pfx) - 1;
	uint64_t v = 0;

	if (n < pl + 2 || memcmp(s, pfx, pl) != 0 || s[n - 1] != ']')
		return false;
	for (i = pl; i < n - 1; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*inode = v;
	return true;
}

int procfd_sockets(const char *root, uint32_t pid, uint64_t *cursor,
		   unsigned int budget, uint64_t *inodes, unsigned int max,
		   unsigned int *links)
{
	char buf[4096] __attribute__((aligned(8)));
	char path[4096], target[64];
	struct dirent64 *de;
	ssize_t n, len, pos;
	unsigned int found = 0;
	int fd, e;

	*links = 0;
	if (snprintf(path, sizeof(path), "%s/%u/fd", root, pid) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* /proc's directory offsets are positions: seekable, stable. */
	if (*cursor != 0 && lseek(fd, (off_t)*cursor, SEEK_SET) < 0)
		goto fail;
	for (;;) {
		len = getdents64(fd, buf, sizeof(buf));
		if (len < 0)
			goto fail;
		if (len == 0) {
			*cursor = 0; /* the whole directory was read */
			break;
		}
		for (pos = 0; pos < len; pos += de->d_reclen) {
			de = (struct dirent64 *)(void *)(buf + pos);
			if (*links >= budget || found >= max)
				goto out;
			*cursor = (uint64_t)de->d_off;
			if (de->d_name[0] == '.')
				continue;
			n = readlinkat(fd, de->d_name, target, sizeof(target));
			(*links)++;
			if (n > 0 && (size_t)n < sizeof(target) &&
			    procfd_parse_socket(target, (size_t)n,
						&inodes[found]))
				found++;
		}
	}
out:
	close(fd);
	return (int)found;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}
