/* sandbox: a seccomp filter (libseccomp) for the unprivileged daemon. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <seccomp.h>

#include "sandbox.h"

/*
 * A deny list, not an allow list: rstmond runs glibc's NSS (user names),
 * posix_spawn (hooks) and libmnl on many kernels, and an allow list that
 * misses one call there kills a monitor silently in production.  What
 * is denied is what turns a memory-safety bug into more: debugging other
 * processes of the same user (the hooks), the kernel's attack surface
 * for unprivileged code (eBPF, userfaultfd, io_uring, perf, keyrings,
 * namespaces), and the administrative calls a process without
 * capabilities has no use for.
 */
/*
 * LeakSanitizer stops the world at exit with ptrace(): a sanitized build
 * (make SANITIZE=1, CI) keeps it, the real daemon does not.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

static const char *const denied[] = {
#ifndef SANITIZED
	"ptrace",
	"process_vm_readv",
#endif
	"process_vm_writev",
	"kcmp",
	"pidfd_getfd",
	"bpf",
	"userfaultfd",
	"perf_event_open",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"keyctl",
	"add_key",
	"request_key",
	"unshare",
	"setns",
	"mount",
	"umount2",
	"pivot_root",
	"chroot",
	"move_mount",
	"open_tree",
	"fsopen",
	"fsmount",
	"fsconfig",
	"open_by_handle_at",
	"name_to_handle_at",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"reboot",
	"swapon",
	"swapoff",
	"acct",
	"quotactl",
	"syslog",
	"settimeofday",
	"clock_settime",
	"adjtimex",
	"clock_adjtime",
	"iopl",
	"ioperm",
	"vhangup",
	"fanotify_init",
	"personality",
};

int sandbox_apply(char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	size_t i;
	int nr, ret;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		/* A call this kernel or libseccomp does not know is
		 * simply not there to deny. */
		nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		ret = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (ret < 0) {
			snprintf(err, errlen, "seccomp rule for %s: %s",
				 denied[i], strerror(-ret));
			seccomp_release(ctx);
			return -1;
		}
	}
	ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret < 0) {
		snprintf(err, errlen, "seccomp_load: %s", strerror(-ret));
		return -1;
	}
	return 0;
}
