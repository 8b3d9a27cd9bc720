/* hll: HyperLogLog distinct counting in 1 KiB, mergeable by register max. */
#include <string.h>

#include "hll.h"

void hll_reset(struct hll *h)
{
	memset(h->reg, 0, sizeof(h->reg));
}

void hll_add(struct hll *h, uint64_t hash)
{
	uint32_t idx = (uint32_t)(hash >> (64 - HLL_P));
	/* The sentinel bit caps the rank at 64 - HLL_P + 1, and clzll(0)
	 * would be undefined. */
	uint64_t rest = (hash << HLL_P) | (1ULL << (HLL_P - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);

	if (rank > h->reg[idx])
		h->reg[idx] = rank;
}

void hll_merge(struct hll *dst, const struct hll *src)
{
	unsigned int i;

	for (i = 0; i < HLL_M; i++)
		if (src->reg[i] > dst->reg[i])
			dst->reg[i] = src->reg[i];
}

/*
 * ln(x) for x >= 1, without libm (the daemon does not link it): x = f 2^k
 * with f in [1, 2), ln f = 2 atanh((f - 1) / (f + 1)) and that argument
 * is at most 1/3, so 20 terms are exact to double precision.
 */
static double ln(double x)
{
	uint64_t bits;
	double f, z, z2, term, sum = 0;
	int k, i;

	memcpy(&bits, &x, sizeof(bits));
	k = (int)((bits >> 52) & 0x7ff) - 1023;
	bits = (bits & ((1ULL << 52) - 1)) | (1023ULL << 52);
	memcpy(&f, &bits, sizeof(f));
	z = (f - 1) / (f + 1);
	z2 = z * z;
	term = z;
	for (i = 1; i < 40; i += 2) {
		sum += term / i;
		term *= z2;
	}
	return k * 0.69314718055994530942 + 2 * sum;
}

/*
 * The raw estimate of Flajolet et al., with linear counting below 2.5 m
 * where the raw one is biased.  64-bit hashes make the large-range
 * correction unnecessary.
 */
double hll_estimate(const struct hll *h)
{
	const double m = HLL_M;
	const double alpha = 0.7213 / (1.0 + 1.079 / m);
	double sum = 0, e;
	unsigned int i, zeros = 0;

	for (i = 0; i < HLL_M; i++) {
		sum += 1.0 / (double)(1ULL << h->reg[i]);
		zeros += h->reg[i] == 0;
	}
	e = alpha * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)
		e = m * ln(m / zeros);
	return e;
}
