/*
 * rstgen: send hand-made TCP segments (SYNs, stray ACKs…) from a raw socket,
 * to make another network namespace emit resets.  Test and bench tool only:
 * every run is bounded by --count and --duration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define PKT_MAX 128

struct opts {
	int family;
	uint8_t dst[16], src[16];
	bool have_src;
	uint8_t rand_base[16];
	unsigned int rand_bits; /* host bits randomised; 0 = off */
	bool seq_src;		/* sources count up from rand_base */
	unsigned int dport_lo, dport_hi;
	unsigned int sport; /* 0 = random per packet */
	uint8_t flags;
	uint32_t seq, ack;
	bool seq_set, ack_set;
	uint64_t count;
	double rate;	 /* packets/s, 0 = as fast as possible */
	double duration; /* seconds, hard bound */
	unsigned int payload;
	bool quiet;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64*: fast and good enough to pick ports and sources. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int parse_flags(const char *s, uint8_t *out)
{
	uint8_t f = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'F':
			f |= 0x01;
			break;
		case 'S':
			f |= 0x02;
			break;
		case 'R':
			f |= 0x04;
			break;
		case 'P':
			f |= 0x08;
			break;
		case 'A':
			f |= 0x10;
			break;
		case 'U':
			f |= 0x20;
			break;
		default:
			return -1;
		}
	}
	*out = f;
	return 0;
}

/* Build one IP+TCP packet into p; returns its length. */
static size_t build(const struct opts *o, uint8_t *p, const uint8_t *src,
		    unsigned int sport, unsigned int dport, uint32_t seq,
		    uint32_t ack)
{
	size_t iphl = o->family == AF_INET ? 20 : 40;
	size_t tcplen = 20 + o->payload, len = iphl + tcplen;
	uint8_t *t = p + iphl;
	uint32_t sum = 0;
	uint8_t pseudo[8];

	memset(p, 0, len);
	if (o->family == AF_INET) {
		p[0] = 0x45;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		p[6] = 0x40; /* DF */
		p[8] = 64;
		p[9] = IPPROTO_TCP;
		memcpy(p + 12, src, 4);
		memcpy(p + 16, o->dst, 4);
		/* The kernel fills the IPv4 header checksum (HDRINCL). */
	} else {
		p[0] = 0x60;
		p[4] = (uint8_t)(tcplen >> 8);
		p[5] = (uint8_t)tcplen;
		p[6] = IPPROTO_TCP;
		p[7] = 64;
		memcpy(p + 8, src, 16);
		memcpy(p + 24, o->dst, 16);
	}
	t[0] = (uint8_t)(sport >> 8);
	t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8);
	t[3] = (uint8_t)dport;
	t[4] = (uint8_t)(seq >> 24);
	t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	t[8] = (uint8_t)(ack >> 24);
	t[9] = (uint8_t)(ack >> 16);
	t[10] = (uint8_t)(ack >> 8);
	t[11] = (uint8_t)ack;
	t[12] = 5 << 4;
	t[13] = o->flags;
	t[14] = 0xfa; /* window 64240 */
	t[15] = 0xf0;
	memset(t + 20, 'x', o->payload);
	/* TCP checksum over the pseudo header, then the segment. */
	if (o->family == AF_INET) {
		sum = csum_add(sum, p + 12, 8);
	} else {
		sum = csum_add(sum, p + 8, 32);
	}
	pseudo[0] = 0;
	pseudo[1] = 0;
	pseudo[2] = (uint8_t)(tcplen >> 8);
	pseudo[3] = (uint8_t)tcplen;
	pseudo[4] = pseudo[5] = pseudo[6] = 0;
	pseudo[7] = IPPROTO_TCP;
	sum = csum_add(sum, pseudo, 8);
	sum = csum_add(sum, t, tcplen);
	sum = csum_fold(sum);
	t[16] = (uint8_t)(sum >> 8);
	t[17] = (uint8_t)sum;
	return len;
}

/* Add k to the big-endian address a of alen bytes. */
static void addr_add(uint8_t *a, size_t alen, uint64_t k)
{
	size_t i;

	for (i = alen; i > 0 && k > 0; i--) {
		uint64_t v = a[i - 1] + (k & 0xff);

		a[i - 1] = (uint8_t)v;
		k = (k >> 8) + (v >> 8);
	}
}

static void pick_src(const struct opts *o, uint8_t *src, uint64_t k)
{
	size_t alen = o->family == AF_INET ? 4 : 16;
	unsigned int bits = o->rand_bits, i;

	if (o->seq_src) {
		memcpy(src, o->rand_base, alen);
		addr_add(src, alen, k);
		return;
	}
	if (bits == 0) {
		memcpy(src, o->src, alen);
		return;
	}
	memcpy(src, o->rand_base, alen);
	/* Randomise the lowest `bits` bits of the address. */
	for (i = 0; i < alen && bits > 0; i++) {
		size_t byte = alen - 1 - i;
		unsigned int b = bits >= 8 ? 8 : bits;
		uint8_t mask = (uint8_t)((1u << b) - 1);

		src[byte] = (uint8_t)((src[byte] & ~mask) | (rng() & mask));
		bits -= b;
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rstgen --dst ADDR --dport P[-Q] [--src ADDR | "
		"--rand-src ADDR/LEN | --seq-src ADDR]\n"
		"              [--sport P] [--flags S|A|PA|F…] [--seq N] "
		"[--ack N] [--payload N]\n"
		"              --count N [--rate PPS] [--duration S] [-q]\n"
		"Sends raw TCP segments; destination ports cycle through "
		"P..Q.\n");
}

static int parse_addr(const char *s, int *family, uint8_t *out)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "dst", required_argument, NULL, 'd' },
		{ "src", required_argument, NULL, 's' },
		{ "rand-src", required_argument, NULL, 'r' },
		{ "seq-src", required_argument, NULL, 'Q' },
		{ "dport", required_argument, NULL, 'p' },
		{ "sport", required_argument, NULL, 'P' },
		{ "flags", required_argument, NULL, 'f' },
		{ "seq", required_argument, NULL, 'S' },
		{ "ack", required_argument, NULL, 'A' },
		{ "count", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'R' },
		{ "duration", required_argument, NULL, 'D' },
		{ "payload", required_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, fam = 0, sfam = 0;
	char *slash;

	memset(o, 0, sizeof(*o));
	o->flags = 0x02;
	o->duration = 30;
	while ((ch = getopt_long(argc, argv, "q", lo, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (parse_addr(optarg, &fam, o->dst) < 0)
				return -1;
			break;
		case 's':
			if (parse_addr(optarg, &sfam, o->src) < 0)
				return -1;
			o->have_src = true;
			break;
		case 'r':
			slash = strchr(optarg, '/');
			if (slash == NULL)
				return -1;
			*slash = '\0';
			if (parse_addr(optarg, &sfam, o->rand_base) < 0)
				return -1;
			o->rand_bits = (sfam == AF_INET ? 32u : 128u) -
				       (unsigned int)atoi(slash + 1);
			if (o->rand_bits > 32)
				o->rand_bits = 32;
			o->have_src = true;
			break;
		case 'Q':
			/* Every packet from the next address: N distinct. */
			if (parse_addr(optarg, &sfam, o->rand_base) < 0)
				return -1;
			o->seq_src = true;
			o->have_src = true;
			break;
		case 'p':
			if (sscanf(optarg, "%u-%u", &o->dport_lo,
				   &o->dport_hi) < 2)
				o->dport_hi = o->dport_lo =
					(unsigned)atoi(optarg);
			break;
		case 'P':
			o->sport = (unsigned int)atoi(optarg);
			break;
		case 'f':
			if (parse_flags(optarg, &o->flags) < 0)
				return -1;
			break;
		case 'S':
			o->seq = (uint32_t)strtoul(optarg, NULL, 0);
			o->seq_set = true;
			break;
		case 'A':
			o->ack = (uint32_t)strtoul(optarg, NULL, 0);
			o->ack_set = true;
			break;
		case 'c':
			o->count = strtoull(optarg, NULL, 0);
			break;
		case 'R':
			o->rate = atof(optarg);
			break;
		case 'D':
			o->duration = atof(optarg);
			break;
		case 'L':
			o->payload = (unsigned int)atoi(optarg);
			break;
		case 'q':
			o->quiet = true;
			break;
		default:
			return -1;
		}
	}
	if (fam == 0 || !o->have_src || sfam != fam || o->count == 0 ||
	    o->dport_lo == 0 || o->dport_hi < o->dport_lo ||
	    o->dport_hi > 65535 || o->payload > 64 || o->duration <= 0 ||
	    o->duration > 600)
		return -1;
	o->family = fam;
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t pkts[BATCH][PKT_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage dst;
	socklen_t dlen;
	struct opts o;
	uint64_t sent = 0, errors = 0;
	double start, deadline;
	unsigned int span;
	int fd, one = 1;

	if (parse_args(argc, argv, &o) < 0) {
		usage();
		return 2;
	}
	rng_state ^= (uint64_t)getpid() << 17 ^ (uint64_t)time(NULL);
	memset(&dst, 0, sizeof(dst));
	if (o.family == AF_INET) {
		struct sockaddr_in *d = (struct sockaddr_in *)&dst;

		d->sin_family = AF_INET;
		memcpy(&d->sin_addr, o.dst, 4);
		dlen = sizeof(*d);
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		if (fd >= 0 && setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one,
					  sizeof(one)) < 0)
			fd = -1;
	} else {
		struct sockaddr_in6 *d = (struct sockaddr_in6 *)&dst;

		d->sin6_family = AF_INET6;
		memcpy(&d->sin6_addr, o.dst, 16);
		dlen = sizeof(*d);
		fd = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	}
	if (fd < 0) {
		perror("rstgen: raw socket (needs root)");
		return 1;
	}
	span = o.dport_hi - o.dport_lo + 1;
	start = now_s();
	deadline = start + o.duration;
	while (sent < o.count) {
		int n = 0, r;
		double t = now_s();

		if (t >= deadline)
			break;
		if (o.rate > 0) {
			/* Pace: never ahead of rate × elapsed. */
			double due = (double)sent / o.rate;

			if (t - start < due) {
				struct timespec ts = { 0, 50000 };

				nanosleep(&ts, NULL);
				continue;
			}
		}
		while (n < BATCH && sent + (uint64_t)n < o.count) {
			uint64_t k = sent + (uint64_t)n;
			unsigned int dport =
				o.dport_lo + (unsigned int)(k % span);
			unsigned int sport =
				o.sport ? o.sport :
					  1024 + (unsigned int)(rng() % 64000);
			uint32_t seq = o.seq_set ? o.seq : (uint32_t)rng();
			uint32_t ack = o.ack_set ? o.ack : (uint32_t)rng();
			uint8_t src[16];

			if (o.rate > 0 && (double)(sent + (uint64_t)n) >=
						  (t - start) * o.rate + 1)
				break;
			pick_src(&o, src, k);
			iov[n].iov_base = pkts[n];
			iov[n].iov_len =
				build(&o, pkts[n], src, sport, dport, seq, ack);
			memset(&msgs[n], 0, sizeof(msgs[n]));
			msgs[n].msg_hdr.msg_name = &dst;
			msgs[n].msg_hdr.msg_namelen = dlen;
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
			n++;
		}
		if (n == 0)
			continue;
		r = sendmmsg(fd, msgs, (unsigned int)n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				errors++;
				continue;
			}
			perror("rstgen: sendmmsg");
			return 1;
		}
		sent += (uint64_t)r;
	}
	close(fd);
	if (!o.quiet)
		printf("sent %llu in %.3f s (%llu retries)\n",
		       (unsigned long long)sent, now_s() - start,
		       (unsigned long long)errors);
	return sent == o.count ? 0 : 3;
}
