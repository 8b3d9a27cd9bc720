/* check_procnet: counters out of /proc/net/snmp and /proc/net/netstat. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procnet.h"
#include "unit.h"

#define UNSET 0xdeadbeefull

/* As a 6.x kernel prints it, Icmp and Ip lines shortened. */
static const char snmp[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors "
	"ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests\n"
	"Ip: 2 64 1552 0 0 0 0 0 1550 1317\n"
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs OutMsgs\n"
	"Icmp: 11 0 0 9 12\n"
	"IcmpMsg: InType3 OutType3\n"
	"IcmpMsg: 9 12\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens "
	"AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs "
	"OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 18 2 7 3 4 12345678901234 1282 5 0 4567 0\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"Udp: 35 1 0 36 0 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"UdpLite: 8 0 0 9 0 0 0 0 0\n";

static const char netstat[] =
	"TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts "
	"PruneCalled TW DelayedACKs ListenOverflows ListenDrops "
	"TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout "
	"TCPAbortOnLinger TCPAbortFailed TCPChallengeACK TCPSYNChallenge\n"
	"TcpExt: 0 0 0 6 0 14 1 2 3 21 22 23 24 25 26 97 98\n"
	"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts "
	"InBcastPkts OutBcastPkts InOctets OutOctets\n"
	"IpExt: 0 0 0 0 0 0 37591869 82518\n"
	"MPTcpExt: MPCapableSYNRX MPCapableSYNTX\n"
	"MPTcpExt: 1 2\n";

START_TEST(t_snmp_tcp)
{
	static const char *const names[] = {
		"OutRsts",   "EstabResets", "AttemptFails", "MaxConn",
		"CurrEstab", "InSegs",	    "RtoAlgorithm", "InCsumErrors",
	};
	uint64_t out[8];
	size_t i;

	for (i = 0; i < 8; i++)
		out[i] = UNSET;
	ck_assert_int_eq(procnet_parse(snmp, "Tcp", names, 8, out), 8);
	ck_assert_uint_eq(out[0], 4567);
	ck_assert_uint_eq(out[1], 3);
	ck_assert_uint_eq(out[2], 7);
	ck_assert_uint_eq(out[3], 0); /* -1: no limit */
	ck_assert_uint_eq(out[4], 4);
	ck_assert_uint_eq(out[5], 12345678901234ull);
	ck_assert_uint_eq(out[6], 1);
	ck_assert_uint_eq(out[7], 0);
}
END_TEST

/* "Udp" is not "UdpLite", "Icmp" not "IcmpMsg". */
START_TEST(t_snmp_sections)
{
	static const char *const udp[] = { "InDatagrams", "NoPorts",
					   "OutDatagrams" };
	static const char *const ip[] = { "InReceives", "OutRequests" };
	static const char *const icmp[] = { "InMsgs", "InType3" };
	uint64_t out[3] = { UNSET, UNSET, UNSET };

	ck_assert_int_eq(procnet_parse(snmp, "Udp", udp, 3, out), 3);
	ck_assert_uint_eq(out[0], 35);
	ck_assert_uint_eq(out[1], 1);
	ck_assert_uint_eq(out[2], 36);
	ck_assert_int_eq(procnet_parse(snmp, "UdpLite", udp, 3, out), 3);
	ck_assert_uint_eq(out[0], 8);
	ck_assert_uint_eq(out[2], 9);
	ck_assert_int_eq(procnet_parse(snmp, "Ip", ip, 2, out), 2);
	ck_assert_uint_eq(out[0], 1552);
	ck_assert_uint_eq(out[1], 1317);
	out[0] = out[1] = UNSET;
	ck_assert_int_eq(procnet_parse(snmp, "Icmp", icmp, 2, out), 1);
	ck_assert_uint_eq(out[0], 11);
	ck_assert_uint_eq(out[1], UNSET);
	ck_assert_int_eq(procnet_parse(snmp, "IcmpMsg", icmp, 2, out), 1);
	ck_assert_uint_eq(out[1], 9);
	/* The longer name first: it is skipped, not taken for "Udp". */
	ck_assert_int_eq(procnet_parse("UdpLite: InDatagrams\n"
				       "UdpLite: 8\n"
				       "Udp: InDatagrams\n"
				       "Udp: 35\n",
				       "Udp", udp, 1, out),
			 1);
	ck_assert_uint_eq(out[0], 35);
}
END_TEST

START_TEST(t_netstat)
{
	static const char *const names[] = {
		"TCPAbortOnData",    "TCPAbortOnClose",	 "TCPAbortOnMemory",
		"TCPAbortOnTimeout", "TCPAbortOnLinger", "TCPAbortFailed",
		"TCPChallengeACK",   "TCPSYNChallenge",	 "EmbryonicRsts",
	};
	static const char *const octets[] = { "InOctets", "OutOctets" };
	uint64_t out[9];
	size_t i;

	for (i = 0; i < 9; i++)
		out[i] = UNSET;
	ck_assert_int_eq(procnet_parse(netstat, "TcpExt", names, 9, out), 9);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(out[i], 21 + i);
	ck_assert_uint_eq(out[6], 97);
	ck_assert_uint_eq(out[7], 98);
	ck_assert_uint_eq(out[8], 6);
	ck_assert_int_eq(procnet_parse(netstat, "IpExt", octets, 2, out), 2);
	ck_assert_uint_eq(out[0], 37591869);
	ck_assert_uint_eq(out[1], 82518);
	/* Neither "TcpExt:" nor "MPTcpExt:" is "Tcp:". */
	out[0] = UNSET;
	ck_assert_int_eq(procnet_parse(netstat, "Tcp", names, 9, out), 0);
	ck_assert_int_eq(procnet_parse(netstat, "Ext", names, 9, out), 0);
	ck_assert_uint_eq(out[0], UNSET);
}
END_TEST

START_TEST(t_missing_names)
{
	static const char *const names[] = {
		"NoSuchCounter",   "TCPAbortOn",     "tcpabortondata",
		"TCPAbortOnDataX", "TCPAbortOnData", "",
	};
	uint64_t out[6];
	size_t i;

	for (i = 0; i < 6; i++)
		out[i] = UNSET;
	ck_assert_int_eq(procnet_parse(netstat, "TcpExt", names, 6, out), 1);
	for (i = 0; i < 6; i++)
		if (i != 4)
			ck_assert_uint_eq(out[i], UNSET);
	ck_assert_uint_eq(out[4], 21);
	ck_assert_int_eq(procnet_parse(netstat, "TcpExt", names, 0, out), 0);
	ck_assert_int_eq(procnet_parse(snmp, "Sctp", names, 6, out), 0);
	ck_assert_int_eq(procnet_parse("", "Tcp", names, 6, out), 0);
}
END_TEST

START_TEST(t_no_values_line)
{
	static const char *const names[] = { "A", "B", "C" };
	uint64_t out[3] = { UNSET, UNSET, UNSET };

	ck_assert_int_eq(procnet_parse("Tcp: A B\n", "Tcp", names, 3, out), 0);
	ck_assert_int_eq(procnet_parse("Tcp: A B", "Tcp", names, 3, out), 0);
	ck_assert_int_eq(
		procnet_parse("Tcp: A B\nUdp: 1 2\n", "Tcp", names, 3, out), 0);
	ck_assert_int_eq(procnet_parse("Tcp: A B\n\nTcp: 1 2\n", "Tcp", names,
				       3, out),
			 0);
	ck_assert_uint_eq(out[0], UNSET);
	ck_assert_uint_eq(out[1], UNSET);
	/* Fewer values than names: the rest stay as they were. */
	ck_assert_int_eq(
		procnet_parse("Tcp: A B C\nTcp: 1 2", "Tcp", names, 3, out), 2);
	ck_assert_uint_eq(out[0], 1);
	ck_assert_uint_eq(out[1], 2);
	ck_assert_uint_eq(out[2], UNSET);
}
END_TEST

Suite *procnet_suite(void)
{
	Suite *s = suite_create("procnet");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, t_snmp_tcp);
	tcase_add_test(tc, t_snmp_sections);
	tcase_add_test(tc, t_netstat);
	tcase_add_test(tc, t_missing_names);
	tcase_add_test(tc, t_no_values_line);
	suite_add_tcase(s, tc);
	return s;
}
