/* hll: HyperLogLog distinct counting in 1 KiB, mergeable by register max. */
#ifndef RSTMON_HLL_H
#define RSTMON_HLL_H

#include <stdint.h>

/* 2^10 registers: standard error 1.04 / sqrt(1024), about 3.3 %. */
#define HLL_P 10
#define HLL_M (1U << HLL_P)

struct hll {
	uint8_t reg[HLL_M];
};

void hll_reset(struct hll *h);
/* Count an item by its 64-bit hash, which must mix every bit well. */
void hll_add(struct hll *h, uint64_t hash);
/* dst := dst ∪ src. */
void hll_merge(struct hll *dst, const struct hll *src);
/* Estimated distinct items (0 for an empty sketch). */
double hll_estimate(const struct hll *h);

#endif
