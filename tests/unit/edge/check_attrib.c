/* check_attrib: attrib end to end on a replayed host — a /proc tree in a
 * scratch directory (attrib_params.proc_root) and recorded sock_diag
 * answers (attrib_params.sockdiag): the evidence gathered, the firewall
 * told apart by Tcp: OutRsts, the owner named from /proc. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "attrib.h"
#include "nlbuild.h"
#include "tcp_states.h"
#include "unit.h"

#define LOCAL "10.0.0.1"
#define PEER "10.0.0.2"
#define REDIS_PID 4242
#define LISTEN_INODE 777
#define CONN_INODE 778
#define APP_UID 1000

static char root[64];
static uint64_t out_rsts;

/* --- the replayed /proc ---------------------------------------------- */

static void put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void put_dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

/* Tcp: OutRsts as the stack counts it; attrib keeps the file open and
 * reads it again from offset 0, as a seq_file. */
static void set_out_rsts(uint64_t v)
{
	char text[64];

	out_rsts = v;
	snprintf(text, sizeof(text), "Tcp: RtoAlgorithm OutRsts\nTcp: 1 %llu\n",
		 (unsigned long long)v);
	put_file("net/snmp", text);
}

static void proc_tree(void)
{
	char path[256], target[32];

	snprintf(root, sizeof(root), "/tmp/rstmon-attrib-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	put_dir("net");
	put_dir("sys");
	put_dir("sys/net");
	put_dir("sys/net/ipv4");
	/* Client ports from 20000: a seam the default (32768) would hide. */
	put_file("sys/net/ipv4/ip_local_port_range", "20000\t60999\n");
	set_out_rsts(0);
	put_file("net/netstat", "TcpExt: ListenOverflows TCPAbortOnData\n"
				"TcpExt: 0 0\n");
	put_dir("4242");
	put_dir("4242/fd");
	put_file("4242/comm", "redis-server\n");
	put_file("4242/status", "Name:\tredis-server\nUid:\t1000\t1000\t1000"
				"\t1000\n");
	put_file("4242/cgroup", "0::/system.slice/redis.service\n");
	snprintf(target, sizeof(target), "socket:[%u]", LISTEN_INODE);
	snprintf(path, sizeof(path), "%s/4242/fd/6", root);
	ck_assert_int_eq(symlink(target, path), 0);
	snprintf(target, sizeof(target), "socket:[%u]", CONN_INODE);
	snprintf(path, sizeof(path), "%s/4242/fd/7", root);
	ck_assert_int_eq(symlink(target, path), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void proc_tree_remove(void)
{
	ck_assert_int_eq(nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* --- the replayed sock_diag -------------------------------------------- */

struct replay {
	struct sockinfo listeners[4];
	unsigned int nls;
	struct sockinfo conns[4];
	unsigned int nconns;
	unsigned int lookups;
};

static struct replay rp;

static void sock(struct sockinfo *si, int state, const char *local,
		 uint16_t lport, const char *remote, uint16_t rport,
		 uint64_t inode)
{
	memset(si, 0, sizeof(*si));
	si->family = AF_INET;
	si->state = (uint8_t)state;
	ck_assert_int_eq(inet_pton(AF_INET, local, si->src), 1);
	ck_assert_int_eq(inet_pton(AF_INET, remote, si->dst), 1);
	si->sport = lport;
	si->dport = rport;
	si->inode = inode;
	si->uid = APP_UID;
}

static int rp_dump(void *arg, uint8_t family, uint32_t states,
		   void (*cb)(const struct sockinfo *si, void *cbarg),
		   void *cbarg)
{
	struct replay *r = arg;
	unsigned int i, n = 0;

	if (family != AF_INET)
		return 0;
	for (i = 0; i < r->nls; i++)
		if (states & (1u << r->listeners[i].state)) {
			cb(&r->listeners[i], cbarg);
			n++;
		}
	for (i = 0; i < r->nconns; i++)
		if (states & (1u << r->conns[i].state)) {
			cb(&r->conns[i], cbarg);
			n++;
		}
	return (int)n;
}

/* What the kernel answers: the tuple's socket, else the port's listener,
 * else nothing. */
static int rp_lookup(void *arg, uint8_t family, const uint8_t *local,
		     uint16_t lport, const uint8_t *remote, uint16_t rport,
		     struct sockinfo *out)
{
	struct replay *r = arg;
	unsigned int i;

	r->lookups++;
	for (i = 0; family == AF_INET && i < r->nconns; i++)
		if (r->conns[i].sport == lport && r->conns[i].dport == rport &&
		    !memcmp(r->conns[i].src, local, 4) &&
		    !memcmp(r->conns[i].dst, remote, 4)) {
			*out = r->conns[i];
			return 0;
		}
	for (i = 0; family == AF_INET && i < r->nls; i++)
		if (r->listeners[i].sport == lport) {
			*out = r->listeners[i];
			return 0;
		}
	errno = ENOENT;
	return -1;
}

static const struct sockdiag_source replay_source = { &rp, rp_lookup, rp_dump };

/* --- the host's addresses ---------------------------------------------- */

static struct netif *addresses(void)
{
	static uint8_t buf[512] __attribute__((aligned(8)));
	struct netif *n = netif_new();
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct ifaddrmsg *ifa;
	uint8_t a[4];

	ck_assert_ptr_nonnull(n);
	netif_sync_begin(n);
	nlh = nlb_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = nlb_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 2;
	nlb_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	ck_assert_int_eq(netif_apply(n, nlh, 0), 1);
	nlh = nlb_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = nlb_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_index = 2;
	inet_pton(AF_INET, LOCAL, a);
	nlb_attr_put(nlh, IFA_ADDRESS, sizeof(a), a);
	ck_assert_int_eq(netif_apply(n, nlh, 0), 1);
	netif_sync_end(n, true, 0);
	return n;
}

/* --- attrib on all of it ------------------------------------------------ */

static struct netif *nif;
static struct attrib *at;
static uint64_t now = 1000000;

static void setup(void)
{
	struct attrib_params p = {
		.kernel_trace = false,
		.trace_max_rate = 1000,
		.inventory_ms = 1000,
		.lookups_per_batch = 64,
		.procscan_budget = 4096,
	};
	char note[256];

	memset(&rp, 0, sizeof(rp));
	sock(&rp.listeners[0], TCPS_LISTEN, LOCAL, 6379, "0.0.0.0", 0,
	     LISTEN_INODE);
	rp.nls = 1;
	sock(&rp.conns[0], TCPS_ESTABLISHED, LOCAL, 6379, PEER, 5000,
	     CONN_INODE);
	rp.nconns = 1;
	proc_tree();
	nif = addresses();
	p.netif = nif;
	p.proc_root = root;
	p.sockdiag = &replay_source;
	at = attrib_new(&p, note, sizeof(note));
	ck_assert_ptr_nonnull(at);
	/* The first listing, and /proc walked for its sockets' owners. */
	now += 1000;
	attrib_tick(at, now, 1700000000);
}

static void teardown(void)
{
	attrib_free(at);
	free(nif);
	proc_tree_remove();
}

static void ev_make(struct rst_event *ev, const char *local, uint16_t lport,
		    uint16_t rport, uint8_t flags, uint32_t seq, bool uid)
{
	memset(ev, 0, sizeof(*ev));
	ev->family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, local, ev->local), 1);
	ck_assert_int_eq(inet_pton(AF_INET, PEER, ev->remote), 1);
	ev->lport = lport;
	ev->rport = rport;
	ev->tcp_flags = flags;
	ev->seq = seq;
	ev->has_uid = uid;
	ev->uid = uid ? APP_UID : 0;
}

static struct attribution got;

static void keep(const struct rst_event *ev, const struct attribution *a,
		 void *arg)
{
	(void)ev;
	(void)arg;
	got = *a;
}

/* One reset, of which the stack counted `counted` (0 or 1). */
static void one(const struct rst_event *ev, unsigned int counted)
{
	set_out_rsts(out_rsts + counted);
	now += 10;
	memset(&got, 0xa5, sizeof(got));
	attrib_batch(at, ev, 1, now, keep, NULL);
}

/* A SYN to a closed port, answered by the stack (counted). */
START_TEST(t_closed_port)
{
	struct rst_event ev;

	ev_make(&ev, LOCAL, 81, 40000, TCPF_RST | TCPF_ACK, 0, false);
	one(&ev, 1);
	ck_assert_int_eq(got.cause, CAUSE_CLOSED_PORT);
	ck_assert(!got.has_owner);
	ck_assert(!got.has_last_owner);
}
END_TEST

/* The same reset, not counted by the stack: a firewall's. */
START_TEST(t_firewall_by_count)
{
	struct attrib_stats st;
	struct rst_event ev;

	ev_make(&ev, LOCAL, 81, 40000, TCPF_RST | TCPF_ACK, 0, false);
	one(&ev, 0);
	ck_assert_int_eq(got.cause, CAUSE_FIREWALL);
	attrib_get_stats(at, &st);
	ck_assert_uint_eq(st.firewall_by_count, 1);
	/* And one counted next: the stack's again. */
	one(&ev, 1);
	ck_assert_int_eq(got.cause, CAUSE_CLOSED_PORT);
}
END_TEST

/* The listener, named from the replayed /proc, refuses a stray ACK. */
START_TEST(t_listener_owner)
{
	struct rst_event ev;

	ev_make(&ev, LOCAL, 6379, 5001, TCPF_RST, 99, true);
	one(&ev, 1);
	ck_assert_int_eq(got.cause, CAUSE_STRAY_SEGMENT);
	ck_assert(got.has_listener);
	ck_assert(got.has_pid);
	ck_assert_uint_eq(got.owner.pid, REDIS_PID);
	ck_assert_str_eq(got.owner.comm, "redis-server");
	ck_assert_str_eq(got.owner.unit, "redis.service");
	ck_assert_uint_eq(got.uid, APP_UID);
}
END_TEST

/* The application aborts a listed connection: its socket's process. */
START_TEST(t_app_abort)
{
	struct rst_event ev;

	/* Gone from sock_diag once it has reset. */
	rp.nconns = 0;
	ev_make(&ev, LOCAL, 6379, 5000, TCPF_RST | TCPF_ACK, 12345, true);
	one(&ev, 1);
	ck_assert_int_eq(got.cause, CAUSE_APP_ABORT);
	ck_assert(got.has_pid);
	ck_assert_uint_eq(got.owner.pid, REDIS_PID);
	ck_assert_str_eq(got.owner.comm, "redis-server");
}
END_TEST

/* The service stops listening; a SYN then meets a closed port, and the
 * reset says who listened there last. */
START_TEST(t_last_owner)
{
	struct rst_event ev;

	rp.nls = 0;
	rp.nconns = 0;
	now += 1000;
	attrib_tick(at, now, 1700000002);
	ev_make(&ev, LOCAL, 6379, 40001, TCPF_RST | TCPF_ACK, 0, false);
	one(&ev, 1);
	ck_assert_int_eq(got.cause, CAUSE_CLOSED_PORT);
	ck_assert(!got.has_listener);
	ck_assert(got.has_last_owner);
	ck_assert_str_eq(got.last.comm, "redis-server");
	ck_assert_uint_eq(got.last_uid, APP_UID);
}
END_TEST

/*
 * An abort on a client port, no listener, no connection listed: asked of
 * sock_diag only below the client range — the replayed range starts at
 * 20000, so port 30000 is a client port here (not with the default).
 */
START_TEST(t_client_range_from_root)
{
	struct rst_event ev;
	unsigned int before = rp.lookups;

	ev_make(&ev, LOCAL, 30000, 443, TCPF_RST | TCPF_ACK, 777, false);
	one(&ev, 1);
	ck_assert_uint_eq(rp.lookups, before);
	ev_make(&ev, LOCAL, 10000, 443, TCPF_RST | TCPF_ACK, 777, false);
	one(&ev, 1);
	ck_assert_uint_eq(rp.lookups, before + 1);
}
END_TEST

Suite *attrib_suite(void)
{
	Suite *s = suite_create("attrib");
	TCase *tc = tcase_create("replay");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_closed_port);
	tcase_add_test(tc, t_firewall_by_count);
	tcase_add_test(tc, t_listener_owner);
	tcase_add_test(tc, t_app_abort);
	tcase_add_test(tc, t_last_owner);
	tcase_add_test(tc, t_client_range_from_root);
	suite_add_tcase(s, tc);
	return s;
}
