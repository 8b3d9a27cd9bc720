/* procfile: a small /proc or /sys file read whole. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "procfile.h"

long procfile_read_at(int dirfd, const char *path, char *buf, size_t buflen)
{
	size_t len = 0;
	ssize_t n;
	int fd, saved;

	if (buflen == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < buflen) {
		n = read(fd, buf + len, buflen - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return (long)len;
}

long procfile_read(const char *path, char *buf, size_t buflen)
{
	return procfile_read_at(AT_FDCWD, path, buf, buflen);
}
