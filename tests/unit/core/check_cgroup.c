/* check_cgroup: /proc/PID/cgroup text -> path -> systemd unit, container. */
#include <string.h>

#include "cgroup.h"
#include "unit.h"

#define HEX64                              \
	"0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef"
#define HEX63                              \
	"0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcde"
#define SHORT "0123456789ab"
#define POD_UID "6f0e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
#define POD_SLICE "6f0e2c1a_3b4d_4e5f_8a9b_0c1d2e3f4a5b"

/* Bytes at and after len must survive any call. */
static void canary(char *buf, size_t size)
{
	memset(buf, 'X', size);
}

static void assert_canary(const char *buf, size_t from, size_t size)
{
	size_t i;

	for (i = from; i < size; i++)
		ck_assert_int_eq(buf[i], 'X');
}

static void path_is(const char *text, const char *want)
{
	char path[256];

	canary(path, sizeof(path));
	if (want == NULL) {
		ck_assert_int_eq(
			cgroup_path_from_proc(text, path, sizeof(path)), -1);
		ck_assert_str_eq(path, "");
	} else {
		ck_assert_int_eq(
			cgroup_path_from_proc(text, path, sizeof(path)), 0);
		ck_assert_str_eq(path, want);
	}
}

static void unit_is(const char *path, const char *want)
{
	char unit[128];

	canary(unit, sizeof(unit));
	ck_assert_int_eq(cgroup_unit(path, unit, sizeof(unit)),
			 want != NULL ? 0 : -1);
	ck_assert_str_eq(unit, want != NULL ? want : "");
}

static void container_is(const char *path, const char *want)
{
	char out[80];

	canary(out, sizeof(out));
	ck_assert_int_eq(cgroup_container(path, out, sizeof(out)),
			 want != NULL ? 0 : -1);
	ck_assert_str_eq(out, want != NULL ? want : "");
}

START_TEST(t_path_v2)
{
	path_is("0::/system.slice/redis-server.service\n",
		"/system.slice/redis-server.service");
	/* No final newline, as a short read may leave it. */
	path_is("0::/user.slice/user-1000.slice/session-3.scope",
		"/user.slice/user-1000.slice/session-3.scope");
	path_is("0::/\n", "/");
	/* A removed cgroup. */
	path_is("0::/system.slice/gone.service (deleted)\n",
		"/system.slice/gone.service");
	/* Names may hold ':'; only the first two separate fields. */
	path_is("0::/machine.slice/a:b.scope\n", "/machine.slice/a:b.scope");
}
END_TEST

START_TEST(t_path_v1)
{
	/* Hybrid: both trees agree. */
	path_is("12:pids:/system.slice/nginx.service\n"
		"4:memory:/system.slice/nginx.service\n"
		"1:name=systemd:/system.slice/nginx.service\n"
		"0::/system.slice/nginx.service\n",
		"/system.slice/nginx.service");
	/* Legacy v1 only. */
	path_is("11:memory:/user.slice\n"
		"3:cpu,cpuacct:/user.slice\n"
		"1:name=systemd:/user.slice/user-1000.slice/session-3.scope\n",
		"/user.slice/user-1000.slice/session-3.scope");
	/* v1 host where cgroup2 was once mounted: "0::/" says nothing. */
	path_is("9:name=systemd:/docker/" HEX64 "\n"
		"4:memory:/docker/" HEX64 "\n"
		"0::/\n",
		"/docker/" HEX64);
	/* Everything at the root (a container's own namespace). */
	path_is("9:name=systemd:/\n8:pids:/\n0::/\n", "/");
	/* Only other v1 controllers: no answer. */
	path_is("4:memory:/process_api/73b7\n1:cpu:/\n", NULL);
}
END_TEST

START_TEST(t_path_malformed)
{
	path_is("", NULL);
	path_is(NULL, NULL);
	path_is("garbage\n", NULL);
	path_is("0:/x\n", NULL);
	path_is("x::/y\n", NULL);
	path_is("0::relative\n", NULL);
	path_is("0::\n", NULL);
	path_is(":::\n::/\n", NULL);
	path_is("1:name=systemdX:/a\n", NULL);
	/* A bad line does not hide a good one. */
	path_is("bad\n\n0::/ok.slice\n", "/ok.slice");
}
END_TEST

START_TEST(t_path_tiny)
{
	static const char text[] = "0::/a.slice\n"; /* 8-char path */
	char buf[16];

	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_path_from_proc(text, buf, 0), -1);
	assert_canary(buf, 0, sizeof(buf));
	ck_assert_int_eq(cgroup_path_from_proc(text, buf, 1), -1);
	ck_assert_str_eq(buf, "");
	assert_canary(buf, 1, sizeof(buf));
	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_path_from_proc(text, buf, 8), -1);
	ck_assert_str_eq(buf, "");
	assert_canary(buf, 8, sizeof(buf));
	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_path_from_proc(text, buf, 9), 0);
	ck_assert_str_eq(buf, "/a.slice");
	assert_canary(buf, 9, sizeof(buf));
}
END_TEST

START_TEST(t_unit)
{
	unit_is("/system.slice/redis-server.service", "redis-server.service");
	unit_is("/user.slice/user-1000.slice/session-3.scope",
		"session-3.scope");
	unit_is("/user.slice/user-1000.slice/user@1000.service/app.slice/"
		"app-org.gnome.Terminal.slice/vte-spawn-1a2b.scope",
		"vte-spawn-1a2b.scope");
	/* A service or scope beats a slice below it. */
	unit_is("/user.slice/user-1000.slice/user@1000.service/app.slice",
		"user@1000.service");
	unit_is("/system.slice/system-getty.slice/getty@tty1.service",
		"getty@tty1.service");
	unit_is("/system.slice/docker-" HEX64 ".scope",
		"docker-" HEX64 ".scope");
	unit_is("/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod" POD_SLICE ".slice/"
		"cri-containerd-" HEX64 ".scope",
		"cri-containerd-" HEX64 ".scope");
	/* Delegated subtree below a service. */
	unit_is("/system.slice/foo.service/payload", "foo.service");
	unit_is("/machine.slice/machine-web.scope/payload/system.slice/"
		"sshd.service",
		"sshd.service");
	unit_is("/system.slice/dbus.socket", "dbus.socket");
	unit_is("/system.slice/dev-mqueue.mount", "dev-mqueue.mount");
	unit_is("/system.slice/swapfile.swap", "swapfile.swap");
	unit_is("/init.scope", "init.scope");
	/* Only slices: the innermost one. */
	unit_is("/system.slice", "system.slice");
	unit_is("/user.slice/user-1000.slice", "user-1000.slice");
}
END_TEST

START_TEST(t_unit_none)
{
	unit_is("/", NULL);
	unit_is("", NULL);
	unit_is(NULL, NULL);
	unit_is("/docker/" HEX64, NULL);
	unit_is("/kubepods/burstable/pod" POD_UID "/" HEX64, NULL);
	unit_is("/lxc.payload.web1", NULL);
	unit_is("/.service/.slice", NULL);
	unit_is("/servicex/a.services", NULL);
}
END_TEST

START_TEST(t_unit_tiny)
{
	const char *path = "/system.slice/redis-server.service";
	char buf[32];

	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_unit(path, buf, 0), -1);
	assert_canary(buf, 0, sizeof(buf));
	ck_assert_int_eq(cgroup_unit(path, buf, 20), -1);
	ck_assert_str_eq(buf, "");
	assert_canary(buf, 20, sizeof(buf));
	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_unit(path, buf, 21), 0);
	ck_assert_str_eq(buf, "redis-server.service");
	assert_canary(buf, 21, sizeof(buf));
}
END_TEST

START_TEST(t_container_docker)
{
	/* systemd cgroup driver, then cgroupfs driver. */
	container_is("/system.slice/docker-" HEX64 ".scope", SHORT);
	container_is("/docker/" HEX64, SHORT);
	container_is("/docker/" HEX63, NULL);
	container_is("/system.slice/docker-" HEX63 ".scope", NULL);
	container_is("/docker/buildkit", NULL);
	container_is("/system.slice/docker.service", NULL);
	container_is("/system.slice/containerd.service", NULL);
	/* Docker in an LXC container: the innermost wins. */
	container_is("/lxc.payload.c1/system.slice/docker-" HEX64 ".scope",
		     SHORT);
}
END_TEST

START_TEST(t_container_kube)
{
	container_is("/kubepods.slice/kubepods-burstable.slice/"
		     "kubepods-burstable-pod" POD_SLICE ".slice/"
		     "cri-containerd-" HEX64 ".scope",
		     SHORT);
	container_is("/kubepods.slice/kubepods-besteffort.slice/"
		     "kubepods-besteffort-pod" POD_SLICE ".slice/"
		     "crio-" HEX64 ".scope",
		     SHORT);
	/* cgroupfs driver: besteffort, burstable, guaranteed. */
	container_is("/kubepods/besteffort/pod" POD_UID "/" HEX64, SHORT);
	container_is("/kubepods/burstable/pod" POD_UID "/" HEX64, SHORT);
	container_is("/kubepods/pod" POD_UID "/" HEX64, SHORT);
	container_is("/kubepods/burstable/pod" POD_UID "/crio-" HEX64, SHORT);
	/* The pod itself is not a container; neither is conmon. */
	container_is("/kubepods/burstable/pod" POD_UID, NULL);
	container_is("/kubepods.slice/kubepods-besteffort.slice/"
		     "kubepods-besteffort-pod" POD_SLICE ".slice/"
		     "crio-conmon-" HEX64 ".scope",
		     NULL);
	/* Hex outside kubepods is only a name. */
	container_is("/system.slice/" HEX64, NULL);
}
END_TEST

START_TEST(t_container_named)
{
	container_is("/machine.slice/libpod-" HEX64 ".scope/container", SHORT);
	container_is("/user.slice/user-1000.slice/user@1000.service/"
		     "user.slice/libpod-" HEX64 ".scope",
		     SHORT);
	container_is("/machine.slice/libpod-conmon-" HEX64 ".scope", NULL);
	container_is("/lxc.payload.web1", "web1");
	container_is("/lxc.payload.web1/system.slice/nginx.service", "web1");
	container_is("/lxc.monitor.web1", NULL);
	container_is("/lxc.payload.", NULL);
	container_is("/machine.slice/machine-debian12.scope/payload/"
		     "system.slice/sshd.service",
		     "debian12");
	container_is("/machine.slice/machine-my\\x2dbox.scope", "my-box");
	container_is("/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope",
		     "qemu-1-vm1");
	container_is("/machine.slice/machine-.scope", NULL);
	container_is("/machine.slice", NULL);
}
END_TEST

START_TEST(t_container_none)
{
	container_is("/", NULL);
	container_is("", NULL);
	container_is(NULL, NULL);
	container_is("/system.slice/redis-server.service", NULL);
	container_is("/user.slice/user-1000.slice/session-3.scope", NULL);
	container_is("/init.scope", NULL);
}
END_TEST

START_TEST(t_container_tiny)
{
	const char *id = "/docker/" HEX64;
	const char *named = "/machine.slice/machine-my\\x2dbox.scope";
	char buf[24];

	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_container(id, buf, 0), -1);
	assert_canary(buf, 0, sizeof(buf));
	ck_assert_int_eq(cgroup_container(id, buf, 12), -1);
	ck_assert_str_eq(buf, "");
	assert_canary(buf, 12, sizeof(buf));
	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_container(id, buf, 13), 0);
	ck_assert_str_eq(buf, SHORT);
	assert_canary(buf, 13, sizeof(buf));
	/* "my-box": 6 bytes unescaped, 9 escaped. */
	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_container(named, buf, 6), -1);
	ck_assert_str_eq(buf, "");
	assert_canary(buf, 6, sizeof(buf));
	canary(buf, sizeof(buf));
	ck_assert_int_eq(cgroup_container(named, buf, 7), 0);
	ck_assert_str_eq(buf, "my-box");
	assert_canary(buf, 7, sizeof(buf));
}
END_TEST

Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, t_path_v2);
	tcase_add_test(tc, t_path_v1);
	tcase_add_test(tc, t_path_malformed);
	tcase_add_test(tc, t_path_tiny);
	tcase_add_test(tc, t_unit);
	tcase_add_test(tc, t_unit_none);
	tcase_add_test(tc, t_unit_tiny);
	tcase_add_test(tc, t_container_docker);
	tcase_add_test(tc, t_container_kube);
	tcase_add_test(tc, t_container_named);
	tcase_add_test(tc, t_container_none);
	tcase_add_test(tc, t_container_tiny);
	suite_add_tcase(s, tc);
	return s;
}
