/* tracefmt_fixtures: format files of tcp:tcp_send_reset, one per
 * generation, for the unit tests and the fuzz harness.
 *
 * FMT_6_18 is this kernel's, verbatim (cat
 * /sys/kernel/tracing/events/tcp/tcp_send_reset/format on 6.18.44).  The
 * older ones were not recorded on those kernels (none here): they are the
 * TP_STRUCT__entry of include/trace/events/tcp.h laid out as the kernel
 * lays out a trace entry (8 bytes of common fields, then each field at
 * its natural alignment): 4.19's (no state), 5.10's (state), and the
 * shape with a family field of the 6.x class tcp_event_sk_skb.  The IDs
 * are arbitrary. */
#ifndef RSTMON_TRACEFMT_FIXTURES_H
#define RSTMON_TRACEFMT_FIXTURES_H

static const char FMT_4_19[] =
	"name: tcp_send_reset\n"
	"ID: 1345\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:const void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:const void * skaddr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:__u16 sport;\toffset:24;\tsize:2;\tsigned:0;\n"
	"\tfield:__u16 dport;\toffset:26;\tsize:2;\tsigned:0;\n"
	"\tfield:__u8 saddr[4];\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 daddr[4];\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 saddr_v6[16];\toffset:36;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 daddr_v6[16];\toffset:52;\tsize:16;\tsigned:0;\n"
	"\n"
	"print fmt: \"sport=%hu dport=%hu saddr=%pI4 daddr=%pI4 saddrv6=%pI6c daddrv6=%pI6c\", REC->sport, REC->dport, REC->saddr, REC->daddr, REC->saddr_v6, REC->daddr_v6\n";

static const char FMT_5_10[] =
	"name: tcp_send_reset\n"
	"ID: 1402\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:const void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:const void * skaddr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:int state;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:__u16 sport;\toffset:28;\tsize:2;\tsigned:0;\n"
	"\tfield:__u16 dport;\toffset:30;\tsize:2;\tsigned:0;\n"
	"\tfield:__u8 saddr[4];\toffset:32;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 daddr[4];\toffset:36;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 saddr_v6[16];\toffset:40;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 daddr_v6[16];\toffset:56;\tsize:16;\tsigned:0;\n"
	"\n"
	"print fmt: \"sport=%hu dport=%hu saddr=%pI4 daddr=%pI4 saddrv6=%pI6c daddrv6=%pI6c state=%s\", REC->sport, REC->dport, REC->saddr, REC->daddr, REC->saddr_v6, REC->daddr_v6, __print_symbolic(REC->state, { TCP_ESTABLISHED, \"TCP_ESTABLISHED\" }, { TCP_CLOSE, \"TCP_CLOSE\" })\n";

static const char FMT_FAMILY[] =
	"name: tcp_send_reset\n"
	"ID: 1520\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:const void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:const void * skaddr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:int state;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:__u16 sport;\toffset:28;\tsize:2;\tsigned:0;\n"
	"\tfield:__u16 dport;\toffset:30;\tsize:2;\tsigned:0;\n"
	"\tfield:__u16 family;\toffset:32;\tsize:2;\tsigned:0;\n"
	"\tfield:__u8 saddr[4];\toffset:34;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 daddr[4];\toffset:38;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 saddr_v6[16];\toffset:42;\tsize:16;\tsigned:0;\n"
	"\tfield:__u8 daddr_v6[16];\toffset:58;\tsize:16;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p skaddr=%p family=%s sport=%hu dport=%hu saddr=%pI4 daddr=%pI4 saddrv6=%pI6c daddrv6=%pI6c state=%s\", REC->skbaddr, REC->skaddr, __print_symbolic(REC->family, { 2, \"AF_INET\" }, { 10, \"AF_INET6\" }), REC->sport, REC->dport, REC->saddr, REC->daddr, REC->saddr_v6, REC->daddr_v6, __print_symbolic(REC->state, { 1, \"TCP_ESTABLISHED\" }, { 7, \"TCP_CLOSE\" })\n";

static const char FMT_6_18[] =
	"name: tcp_send_reset\n"
	"ID: 2280\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:const void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:const void * skaddr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:int state;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:enum sk_rst_reason reason;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\tfield:__u8 saddr[28];\toffset:32;\tsize:28;\tsigned:0;\n"
	"\tfield:__u8 daddr[28];\toffset:60;\tsize:28;\tsigned:0;\n"
	"\n"
	"print fmt: \"skbaddr=%p skaddr=%p src=%pISpc dest=%pISpc state=%s reason=%s\", REC->skbaddr, REC->skaddr, REC->saddr, REC->daddr, REC->state ? __print_symbolic(REC->state, { TCP_ESTABLISHED, \"TCP_ESTABLISHED\" }, { TCP_SYN_SENT, \"TCP_SYN_SENT\" }, { TCP_SYN_RECV, \"TCP_SYN_RECV\" }, { TCP_FIN_WAIT1, \"TCP_FIN_WAIT1\" }, { TCP_FIN_WAIT2, \"TCP_FIN_WAIT2\" }, { TCP_TIME_WAIT, \"TCP_TIME_WAIT\" }, { TCP_CLOSE, \"TCP_CLOSE\" }, { TCP_CLOSE_WAIT, \"TCP_CLOSE_WAIT\" }, { TCP_LAST_ACK, \"TCP_LAST_ACK\" }, { TCP_LISTEN, \"TCP_LISTEN\" }, { TCP_CLOSING, \"TCP_CLOSING\" }, { TCP_NEW_SYN_RECV, \"TCP_NEW_SYN_RECV\" }) : \"UNKNOWN\", __print_symbolic(REC->reason, { 0, \"NOT_SPECIFIED\" }, { 1, \"NO_SOCKET\" }, { 2, \"TCP_INVALID_ACK_SEQUENCE\" }, { 3, \"TCP_RFC7323_PAWS\" }, { 4, \"TCP_TOO_OLD_ACK\" }, { 5, \"TCP_ACK_UNSENT_DATA\" }, { 6, \"TCP_FLAGS\" }, { 7, \"TCP_OLD_ACK\" }, { 8, \"TCP_ABORT_ON_DATA\" }, { 9, \"TCP_TIMEWAIT_SOCKET\" }, { 10, \"INVALID_SYN\" }, { 11, \"TCP_ABORT_ON_CLOSE\" }, { 12, \"TCP_ABORT_ON_LINGER\" }, { 13, \"TCP_ABORT_ON_MEMORY\" }, { 14, \"TCP_STATE\" }, { 15, \"TCP_KEEPALIVE_TIMEOUT\" }, { 16, \"TCP_DISCONNECT_WITH_DATA\" }, { 17, \"MPTCP_RST_EUNSPEC\" }, { 18, \"MPTCP_RST_EMPTCP\" }, { 19, \"MPTCP_RST_ERESOURCE\" }, { 20, \"MPTCP_RST_EPROHIBIT\" }, { 21, \"MPTCP_RST_EWQ2BIG\" }, { 22, \"MPTCP_RST_EBADPERF\" }, { 23, \"MPTCP_RST_EMIDDLEBOX\" }, { 24, \"ERROR\" }, { 25, \"MAX\" })\n";

#endif
