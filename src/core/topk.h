/* topk: Space-Saving heavy hitters in fixed memory, mergeable. */
#ifndef RSTMON_TOPK_H
#define RSTMON_TOPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Entries per summary; the heap and index use one byte per entry. */
#define TOPK_CAP 64

/*
 * Guarantees, with N = topk_total(): every count over-estimates its key's
 * true count by at most its error, and error <= N / TOPK_CAP; a key that
 * is absent occurred at most topk_floor() times, so every key that
 * occurred more than N / TOPK_CAP times is present.  Merging keeps these
 * with the summed N.
 */
struct topk;

/* One entry as seen from outside; key points into the summary. */
struct topk_view {
	uint64_t count;
	uint64_t error;
	const void *key;
};

/* Bytes topk_init() needs for keys of keylen bytes. */
size_t topk_size(size_t keylen);
/*
 * Lay out an empty summary in mem (topk_size(keylen) bytes, aligned for
 * uint64_t).  Nothing is allocated, here or later.  NULL with EINVAL
 * when keylen is 0.
 */
struct topk *topk_init(void *mem, size_t keylen);
/* Forget every key, keep the key length. */
void topk_reset(struct topk *t);

/*
 * Count one occurrence of key (keylen bytes, compared byte for byte).
 * hash must be the same function of the key for every summary that is
 * ever merged with this one.  O(log TOPK_CAP).
 */
void topk_add(struct topk *t, const void *key, uint64_t hash);
/* dst := dst + src.  -1 with EINVAL when their key lengths differ. */
int topk_merge(struct topk *dst, const struct topk *src);

/* Occurrences counted, merged ones included (N). */
uint64_t topk_total(const struct topk *t);
/* The most an absent key can have occurred: the minimum count when full. */
uint64_t topk_floor(const struct topk *t);
/* Entries by count, largest first, at most max.  Returns how many. */
int topk_list(const struct topk *t, struct topk_view *out, int max);
/* The entry of key, if present. */
bool topk_find(const struct topk *t, const void *key, uint64_t hash,
	       struct topk_view *out);

#endif
