/* stats_bench: what stats_add and the queries cost, and what one struct
 * stats weighs, under a flood of distinct remotes.  Prints numbers only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "stats.h"

#define EVENTS 1000000
#define EVENTS_PER_MS 100
#define TEMPLATES 64 /* ports, owners, causes cycled through */
#define QUERY_REPS 200

static volatile uint64_t sink; /* keeps the compiler from dropping it */

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A bijection on 32 bits: ids 0..n-1 give n distinct addresses. */
static uint32_t addr_of(uint32_t id)
{
	id ^= id >> 16;
	id *= 0x7feb352dU;
	id ^= id >> 15;
	id *= 0x846ca68bU;
	id ^= id >> 16;
	return id;
}

static struct stats_key tmpl[TEMPLATES];

static void templates_init(void)
{
	int i;

	memset(tmpl, 0, sizeof(tmpl));
	for (i = 0; i < TEMPLATES; i++) {
		tmpl[i].family = AF_INET;
		tmpl[i].cause = (enum cause)(i % CAUSE_MAX);
		tmpl[i].has_owner = i % 4 != 0;
		snprintf(tmpl[i].owner, sizeof(tmpl[i].owner),
			 "service-%d (unit-%d.service)", i % 16, i % 16);
	}
}

/* Event i of a stream over `distinct` remotes and 500 local ports. */
static struct stats_key *event(uint32_t i, uint32_t distinct)
{
	struct stats_key *k = &tmpl[i % TEMPLATES];
	uint32_t a = addr_of(i % distinct);

	memcpy(k->remote, &a, sizeof(a));
	k->lport = (uint16_t)(1024 + a % 500);
	return k;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void queries(struct stats *s, uint64_t now_ms, const char *what)
{
	static const char *const dims[DIM_MAX] = { "ports", "remotes",
						   "owners" };
	struct stats_item it[STATS_TOPK];
	uint64_t t0;
	int d, w, r;

	for (w = 0; w < WIN_MAX; w++) {
		for (d = 0; d < DIM_MAX; d++) {
			t0 = clock_ns();
			for (r = 0; r < QUERY_REPS; r++)
				sink += (uint64_t)stats_top(s, now_ms, d, w, it,
							    STATS_TOPK);
			printf("%s stats_top %s %s ns %.0f\n", what, dims[d],
			       stats_window_name(w),
			       (double)(clock_ns() - t0) / QUERY_REPS);
		}
		t0 = clock_ns();
		for (r = 0; r < QUERY_REPS; r++)
			sink += (uint64_t)stats_distinct_remotes(s, now_ms, w);
		printf("%s stats_distinct_remotes %s ns %.0f estimate %.0f\n",
		       what, stats_window_name(w),
		       (double)(clock_ns() - t0) / QUERY_REPS,
		       stats_distinct_remotes(s, now_ms, w));
		t0 = clock_ns();
		for (r = 0; r < QUERY_REPS; r++)
			sink += stats_count(s, now_ms, w);
		printf("%s stats_count %s ns %.0f\n", what,
		       stats_window_name(w),
		       (double)(clock_ns() - t0) / QUERY_REPS);
	}
}

static void run(uint32_t distinct)
{
	struct stats *s = stats_new();
	uint64_t t0, base, now = 0, worst = 0, t;
	uint32_t i;
	char what[32];

	if (s == NULL) {
		perror("stats_new");
		exit(1);
	}
	/* The loop without stats_add: key making and clock, to subtract. */
	t0 = clock_ns();
	for (i = 0; i < EVENTS; i++)
		sink += event(i, distinct)->lport + i / EVENTS_PER_MS;
	base = clock_ns() - t0;

	t0 = clock_ns();
	for (i = 0; i < EVENTS; i++) {
		now = i / EVENTS_PER_MS;
		stats_add(s, now, event(i, distinct));
	}
	t = clock_ns() - t0;
	printf("distinct %u events %u ns_per_add %.1f loop_overhead_ns %.1f\n",
	       distinct, EVENTS, (double)t / EVENTS, (double)base / EVENTS);

	/* The first add of a second closes the one before: merges. */
	for (i = 0; i < 20; i++) {
		now += 1000;
		t0 = clock_ns();
		stats_add(s, now, event(i, distinct));
		t = clock_ns() - t0;
		if (t > worst)
			worst = t;
	}
	printf("distinct %u first_add_of_second_max_ns %llu\n", distinct,
	       (unsigned long long)worst);
	snprintf(what, sizeof(what), "distinct %u", distinct);
	queries(s, now, what);
	stats_free(s);
}

/* Every slot of every window full: the queries' worst case. */
static void run_full(void)
{
	struct stats *s = stats_new();
	uint32_t i, per_sec = 2000;

	if (s == NULL) {
		perror("stats_new");
		exit(1);
	}
	for (i = 0; i < 300 * per_sec; i++)
		stats_add(s, (uint64_t)i * 1000 / per_sec, event(i, 1U << 31));
	queries(s, 299999, "full_300s");
	stats_free(s);
}

int main(void)
{
	struct stats *s = stats_new();

	if (s == NULL) {
		perror("stats_new");
		return 1;
	}
	printf("stats_size_bytes %zu\n", stats_size(s));
	stats_free(s);
	templates_init();
	run(1000000);
	printf("peak_rss_kb %ld\n", peak_rss_kb());
	run(1000);
	run_full();
	printf("peak_rss_kb %ld\n", peak_rss_kb());
	return 0;
}
