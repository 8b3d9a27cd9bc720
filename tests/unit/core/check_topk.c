/* check_topk: the Space-Saving guarantees, on Zipf-like streams with far
 * more distinct keys than capacity, before and after merges. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "topk.h"
#include "unit.h"

#define KEYS 20000 /* distinct keys: 300 times the capacity */
#define EVENTS 200000
#define PARTS 10 /* summaries merged, like the 10-s slots */

static uint64_t rng_state;

/* SplitMix64: a deterministic stream, so a failure reproduces. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double cdf[KEYS];

/* Zipf, exponent 1: key r has weight 1 / (r + 1). */
static void zipf_init(void)
{
	double sum = 0;
	int r;

	for (r = 0; r < KEYS; r++)
		cdf[r] = (sum += 1.0 / (r + 1));
	for (r = 0; r < KEYS; r++)
		cdf[r] /= sum;
}

static uint32_t zipf(void)
{
	double u = (double)(rng() >> 11) / (double)(1ULL << 53);
	int lo = 0, hi = KEYS - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

static struct topk *topk_alloc(size_t keylen)
{
	void *mem = malloc(topk_size(keylen));

	ck_assert_ptr_nonnull(mem);
	return topk_init(mem, keylen);
}

static void add_key(struct topk *t, uint32_t key)
{
	topk_add(t, &key, hash_bytes(&key, sizeof(key)));
}

/*
 * Feed n Zipf draws, key ids permuted by perm so that the heavy keys of
 * different parts differ, into t and the exact tally.
 */
static void feed(struct topk *t, uint64_t *truth, int n, uint32_t perm)
{
	uint32_t k;
	int i;

	for (i = 0; i < n; i++) {
		k = (zipf() * 7919 + perm) % KEYS;
		truth[k]++;
		add_key(t, k);
	}
}

/* Every guarantee of topk.h, checked against the exact counts. */
static void check_bounds(const struct topk *t, const uint64_t *truth,
			 uint64_t n)
{
	struct topk_view v[TOPK_CAP], f;
	bool seen[KEYS] = { false };
	uint64_t bound = n / TOPK_CAP, floor = topk_floor(t);
	uint32_t key;
	int i, got;

	ck_assert_uint_eq(topk_total(t), n);
	ck_assert_uint_le(floor, bound);
	got = topk_list(t, v, TOPK_CAP);
	ck_assert_int_eq(got, TOPK_CAP);
	for (i = 0; i < got; i++) {
		memcpy(&key, v[i].key, sizeof(key));
		ck_assert_uint_lt(key, KEYS);
		ck_assert_msg(!seen[key], "key %u listed twice", key);
		seen[key] = true;
		if (i > 0)
			ck_assert_uint_le(v[i].count, v[i - 1].count);
		ck_assert_uint_le(truth[key], v[i].count);
		ck_assert_uint_le(v[i].count - v[i].error, truth[key]);
		ck_assert_uint_le(v[i].error, bound);
		/* The index finds what the heap holds. */
		ck_assert(
			topk_find(t, &key, hash_bytes(&key, sizeof(key)), &f));
		ck_assert_uint_eq(f.count, v[i].count);
	}
	for (key = 0; key < KEYS; key++) {
		if (seen[key])
			continue;
		ck_assert_msg(truth[key] <= floor,
			      "absent key %u: %llu > floor %llu", key,
			      (unsigned long long)truth[key],
			      (unsigned long long)floor);
		ck_assert_msg(truth[key] <= bound,
			      "heavy key %u missing: %llu > N/k %llu", key,
			      (unsigned long long)truth[key],
			      (unsigned long long)bound);
	}
}

START_TEST(test_exact_below_capacity)
{
	struct topk *t = topk_alloc(sizeof(uint32_t));
	struct topk_view v[TOPK_CAP];
	uint32_t k;
	int i, n;

	/* Key k occurs k + 1 times, 40 keys: nothing is ever evicted. */
	for (k = 0; k < 40; k++)
		for (i = 0; i <= (int)k; i++)
			add_key(t, k);
	ck_assert_uint_eq(topk_floor(t), 0);
	n = topk_list(t, v, TOPK_CAP);
	ck_assert_int_eq(n, 40);
	for (i = 0; i < n; i++) {
		memcpy(&k, v[i].key, sizeof(k));
		ck_assert_uint_eq(k, 39 - i);
		ck_assert_uint_eq(v[i].count, 40 - i);
		ck_assert_uint_eq(v[i].error, 0);
	}
	ck_assert_int_eq(topk_list(t, v, 3), 3);
	ck_assert_int_eq(topk_list(t, v, 0), 0);
	free(t);
}
END_TEST

START_TEST(test_zipf_stream)
{
	static uint64_t truth[KEYS];
	struct topk *t = topk_alloc(sizeof(uint32_t));

	rng_state = 1;
	zipf_init();
	memset(truth, 0, sizeof(truth));
	feed(t, truth, EVENTS, 0);
	check_bounds(t, truth, EVENTS);
	free(t);
}
END_TEST

START_TEST(test_merge_two)
{
	static uint64_t truth[KEYS];
	struct topk *a = topk_alloc(sizeof(uint32_t));
	struct topk *b = topk_alloc(sizeof(uint32_t));

	rng_state = 2;
	zipf_init();
	memset(truth, 0, sizeof(truth));
	feed(a, truth, EVENTS / 2, 0);
	feed(b, truth, EVENTS / 2, 5003);
	ck_assert_int_eq(topk_merge(a, b), 0);
	check_bounds(a, truth, EVENTS);
	free(a);
	free(b);
}
END_TEST

/* The way stats builds a window: fresh parts merged one by one into an
 * empty summary, some parts of them merges themselves. */
START_TEST(test_merge_many)
{
	static uint64_t truth[KEYS];
	struct topk *acc = topk_alloc(sizeof(uint32_t));
	struct topk *part = topk_alloc(sizeof(uint32_t));
	struct topk *coarse = topk_alloc(sizeof(uint32_t));
	int i, j;

	rng_state = 3;
	zipf_init();
	memset(truth, 0, sizeof(truth));
	for (i = 0; i < PARTS; i++) {
		topk_reset(coarse);
		for (j = 0; j < 3; j++) {
			topk_reset(part);
			feed(part, truth, EVENTS / PARTS / 3,
			     (uint32_t)(i * 977 + j * 31));
			ck_assert_int_eq(topk_merge(coarse, part), 0);
		}
		ck_assert_int_eq(topk_merge(acc, coarse), 0);
	}
	check_bounds(acc, truth, topk_total(acc));
	ck_assert_uint_eq(topk_total(acc), PARTS * 3 * (EVENTS / PARTS / 3));
	free(acc);
	free(part);
	free(coarse);
}
END_TEST

START_TEST(test_merge_exact_and_mismatch)
{
	struct topk *a = topk_alloc(sizeof(uint32_t));
	struct topk *b = topk_alloc(sizeof(uint32_t));
	struct topk *c = topk_alloc(sizeof(uint16_t));
	struct topk_view v;
	uint32_t k;

	/* Not full: a key missing from one side was truly absent there. */
	for (k = 0; k < 10; k++) {
		add_key(a, k);
		add_key(a, k);
		add_key(b, k + 5);
	}
	ck_assert_int_eq(topk_merge(a, b), 0);
	k = 0;
	ck_assert(topk_find(a, &k, hash_bytes(&k, sizeof(k)), &v));
	ck_assert_uint_eq(v.count, 2);
	ck_assert_uint_eq(v.error, 0);
	k = 7;
	ck_assert(topk_find(a, &k, hash_bytes(&k, sizeof(k)), &v));
	ck_assert_uint_eq(v.count, 3);
	k = 14;
	ck_assert(topk_find(a, &k, hash_bytes(&k, sizeof(k)), &v));
	ck_assert_uint_eq(v.count, 1);
	ck_assert_uint_eq(topk_total(a), 30);
	errno = 0;
	ck_assert_int_eq(topk_merge(a, c), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(topk_init(c, 0));
	free(a);
	free(b);
	free(c);
}
END_TEST

/*
 * A key counted exactly on one side and evicted on the other: only the
 * floor of the side that lost it keeps its merged count an upper bound.
 */
static void merge_evicted(bool evicted_in_src)
{
	struct topk *exact = topk_alloc(sizeof(uint32_t));
	struct topk *lost = topk_alloc(sizeof(uint32_t));
	struct topk_view v;
	uint32_t x = 7, k;
	int i;

	for (i = 0; i < 1000; i++)
		add_key(exact, x);
	for (i = 0; i < 5; i++)
		add_key(lost, x);
	for (k = 100; k < 2100; k++)
		add_key(lost, k);
	ck_assert(!topk_find(lost, &x, hash_bytes(&x, sizeof(x)), &v));
	ck_assert_uint_ge(topk_floor(lost), 5);
	if (evicted_in_src) {
		ck_assert_int_eq(topk_merge(exact, lost), 0);
		ck_assert(topk_find(exact, &x, hash_bytes(&x, sizeof(x)), &v));
	} else {
		ck_assert_int_eq(topk_merge(lost, exact), 0);
		ck_assert(topk_find(lost, &x, hash_bytes(&x, sizeof(x)), &v));
	}
	ck_assert_uint_ge(v.count, 1005);
	ck_assert_uint_le(v.count - v.error, 1005);
	ck_assert_uint_le(v.error, 3005 / TOPK_CAP);
	free(exact);
	free(lost);
}

START_TEST(test_merge_evicted_key)
{
	merge_evicted(true);
	merge_evicted(false);
}
END_TEST

Suite *topk_suite(void)
{
	Suite *s = suite_create("topk");
	TCase *tc = tcase_create("space-saving");

	tcase_add_test(tc, test_exact_below_capacity);
	tcase_add_test(tc, test_zipf_stream);
	tcase_add_test(tc, test_merge_two);
	tcase_add_test(tc, test_merge_many);
	tcase_add_test(tc, test_merge_exact_and_mismatch);
	tcase_add_test(tc, test_merge_evicted_key);
	suite_add_tcase(s, tc);
	return s;
}
