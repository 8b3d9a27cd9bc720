/* nftset_bench: how long nftsock_set_add takes to put N addresses in the
 * rate-limit sets, in one call per family.  One run per invocation; run it
 * through tests/bench/nftset.sh, which gives it a private namespace with
 * rules/rstmon.nft loaded, empties the sets between runs and checks them. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/netfilter.h>

#include "nftsock.h"

#define TABLE "rstmon"
#define N_DEFAULT 10000
#define N_MAX 65536	  /* the sets' size in rules/rstmon.nft */
#define TIMEOUT_MS 600000 /* rstmond's default: 10 minutes */

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* 198.18.0.0/15 (RFC 2544, benchmarking): addresses 0..n-1 of it. */
static void keys_ipv4(uint8_t *keys, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t a = htonl(0xc6120000U + i);

		memcpy(keys + (size_t)i * 4, &a, 4);
	}
}

/* 2001:db8::/32 (RFC 3849, documentation): 2001:db8::<i>. */
static void keys_ipv6(uint8_t *keys, unsigned int n)
{
	static const uint8_t prefix[12] = { 0x20, 0x01, 0x0d, 0xb8 };
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t low = htonl(i);

		memcpy(keys + (size_t)i * 16, prefix, sizeof(prefix));
		memcpy(keys + (size_t)i * 16 + 12, &low, 4);
	}
}

/* One nftsock_set_add of n keys; prints "<label> <n> <ms>". */
static int add_timed(struct nftsock *s, const char *label, const char *set,
		     const uint8_t *keys, size_t keylen, unsigned int n,
		     const uint64_t *timeouts)
{
	uint64_t t0, t1;

	t0 = clock_ns();
	if (nftsock_set_add(s, NFPROTO_INET, TABLE, set, keys, keylen, n,
			    timeouts) < 0) {
		fprintf(stderr, "nftset_bench: add %u to %s: %s\n", n, set,
			strerror(errno));
		return -1;
	}
	t1 = clock_ns();
	printf("%s %u %.3f\n", label, n, (double)(t1 - t0) / 1e6);
	fflush(stdout);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nftset_bench [-n N]\n"
		"  adds N (default %d, at most %d) addresses to "
		"inet " TABLE " ratelimit4, then ratelimit6\n",
		N_DEFAULT, N_MAX);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int n = N_DEFAULT, i;
	struct nftsock s;
	uint64_t *timeouts;
	uint8_t *keys;
	char *end;
	long v;
	int c, rc = 0;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 || v > N_MAX)
				usage();
			n = (unsigned int)v;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	keys = malloc((size_t)n * 16);
	timeouts = malloc((size_t)n * sizeof(*timeouts));
	if (keys == NULL || timeouts == NULL) {
		perror("nftset_bench: malloc");
		return 1;
	}
	for (i = 0; i < n; i++)
		timeouts[i] = TIMEOUT_MS;
	if (nftsock_open(&s) < 0) {
		perror("nftset_bench: nftsock_open");
		return 1;
	}
	/* Keys are made before the clock starts: only the add is timed. */
	keys_ipv4(keys, n);
	if (add_timed(&s, "ipv4", "ratelimit4", keys, 4, n, timeouts) < 0)
		rc = 1;
	keys_ipv6(keys, n);
	if (rc == 0 &&
	    add_timed(&s, "ipv6", "ratelimit6", keys, 16, n, timeouts) < 0)
		rc = 1;
	nftsock_close(&s);
	free(keys);
	free(timeouts);
	return rc;
}
