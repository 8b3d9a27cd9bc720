/* kcounters: the TCP counters of /proc/net/{snmp,netstat}, read cheaply
 * (files kept open, one pread each) to feed credits and firewall checks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kcounters.h"
#include "procnet.h"

int kcounters_open(struct kcounters *k, const char *proc_root)
{
	char path[PATH_MAX];

	memset(k, 0, sizeof(*k));
	snprintf(path, sizeof(path), "%s/net/snmp", proc_root);
	k->snmp_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/net/netstat", proc_root);
	k->netstat_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (k->snmp_fd < 0 || k->netstat_fd < 0) {
		int saved = errno;

		kcounters_close(k);
		errno = saved;
		return -1;
	}
	return 0;
}

void kcounters_close(struct kcounters *k)
{
	if (k->snmp_fd >= 0)
		close(k->snmp_fd);
	if (k->netstat_fd >= 0)
		close(k->netstat_fd);
	k->snmp_fd = k->netstat_fd = -1;
}

/* The whole file from offset 0: a seq_file regenerates it each time. */
static int read_all(struct kcounters *k, int fd)
{
	size_t len = 0;
	ssize_t n;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	/*
	 * A seq_file makes the whole text at each read, so a read that
	 * comes back short is the end: asking again to see 0 would make it
	 * all a second time (this runs per NFLOG batch).
	 */
	while (len + 1 < sizeof(k->buf)) {
		size_t want = sizeof(k->buf) - 1 - len;

		n = pread(fd, k->buf + len, want, (off_t)len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		len += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	k->buf[len] = '\0';
	k->reads++;
	return 0;
}

int kcounters_out_rsts_now(struct kcounters *k, uint64_t *v)
{
	static const char *const names[] = { "OutRsts" };

	*v = 0;
	if (read_all(k, k->snmp_fd) < 0)
		return -1;
	if (procnet_parse(k->buf, "Tcp", names, 1, v) != 1) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int kcounters_out_rsts(struct kcounters *k, uint64_t *delta)
{
	uint64_t v;

	if (kcounters_out_rsts_now(k, &v) < 0)
		return -1;
	*delta = k->primed_out && v >= k->out_rsts ? v - k->out_rsts : 0;
	k->out_rsts = v;
	k->primed_out = true;
	return 0;
}

int kcounters_credit(struct kcounters *k, struct credits *cr, uint64_t now_ms)
{
	uint64_t v[CR_MAX];
	int i;

	if (read_all(k, k->netstat_fd) < 0)
		return -1;
	memcpy(v, k->ext, sizeof(v));
	procnet_parse(k->buf, "TcpExt", credit_fields, CR_MAX, v);
	if (k->primed_ext)
		for (i = 0; i < CR_MAX; i++)
			if (v[i] > k->ext[i])
				credits_add(cr, (enum credit)i,
					    v[i] - k->ext[i], now_ms);
	memcpy(k->ext, v, sizeof(v));
	k->primed_ext = true;
	return 0;
}
