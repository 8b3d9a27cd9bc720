/* stats: pure windowed statistics — rates over 10 s / 60 s / 300 s,
 * cause and family totals, bounded top talkers, distinct remotes. */
#ifndef RSTMON_STATS_H
#define RSTMON_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"

enum stats_window { WIN_10S = 0, WIN_60S, WIN_300S, WIN_MAX };
enum stats_dim { DIM_PORTS = 0, DIM_REMOTES, DIM_OWNERS, DIM_MAX };

/* Capacity of each heavy-hitter summary (Space-Saving). */
#define STATS_TOPK 64
#define STATS_OWNER_LEN 64

/* What one reset contributes. */
struct stats_key {
	uint8_t family;	    /* AF_INET or AF_INET6 */
	uint8_t remote[16]; /* network order; IPv4 in the first 4 bytes */
	uint16_t lport;
	enum cause cause;
	bool has_owner;
	char owner[STATS_OWNER_LEN]; /* label, e.g. "redis-server (redis.service)" */
};

/* One heavy hitter.  count over-estimates the truth by at most error. */
struct stats_item {
	uint64_t count;
	uint64_t error;
	/* The key, by dimension: */
	uint16_t port;
	uint8_t family;
	uint8_t remote[16];
	char owner[STATS_OWNER_LEN];
};

struct stats;

/* NULL on allocation failure.  All memory is allocated here: nothing
 * grows with the number of distinct keys seen. */
struct stats *stats_new(void);
void stats_free(struct stats *s);
/* Bytes stats_new() allocated (the same for every struct stats). */
size_t stats_size(const struct stats *s);

/*
 * Count one reset at monotonic time now_ms (never decreasing: an earlier
 * now_ms, here or in any query, counts as the latest second seen).  A key
 * without has_owner is left out of the owners dimension; a cause out of
 * range counts as CAUSE_UNKNOWN.
 */
void stats_add(struct stats *s, uint64_t now_ms, const struct stats_key *k);

/*
 * Windows are whole seconds: the last N ending at now_ms, the current
 * partial second included.  Counts, rates and causes are exact over that.
 * Top items and distinct remotes over 60 s and 300 s are aligned to
 * 10-second slots instead: the current slot so far plus the 5 (29) before
 * it, i.e. the last 51 to 60 (291 to 300) seconds.
 */

/* Events per second over the window ending at now_ms. */
double stats_rate(struct stats *s, uint64_t now_ms, enum stats_window w);
/* Events in the window. */
uint64_t stats_count(struct stats *s, uint64_t now_ms, enum stats_window w);
/* Per-cause counts in the window (exact). */
void stats_causes(struct stats *s, uint64_t now_ms, enum stats_window w,
		  uint64_t out[CAUSE_MAX]);
/* Estimated distinct remote addresses in the window (HyperLogLog). */
double stats_distinct_remotes(struct stats *s, uint64_t now_ms,
			      enum stats_window w);
/*
 * The heaviest items of a dimension in the window, largest first, at most
 * max.  Returns how many were written.
 */
int stats_top(struct stats *s, uint64_t now_ms, enum stats_dim d,
	      enum stats_window w, struct stats_item *out, int max);

/* Since start, never reset.  Families other than AF_INET and AF_INET6
 * count in the total only. */
uint64_t stats_total(const struct stats *s);
uint64_t stats_total_cause(const struct stats *s, enum cause c);
uint64_t stats_total_family(const struct stats *s, int family);

/* "10s", "60s", "300s" ("unknown" out of range); and back (WIN_MAX
 * when unknown). */
const char *stats_window_name(enum stats_window w);
enum stats_window stats_window_from_name(const char *name);
/* Window length in seconds. */
unsigned int stats_window_seconds(enum stats_window w);

#endif
