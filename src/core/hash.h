/* hash: fast 64-bit hashes of short keys (top-K index, HyperLogLog). */
#ifndef RSTMON_HASH_H
#define RSTMON_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * HyperLogLog needs every output bit well mixed, which a plain
 * multiplicative hash does not give: all of these end in a full mix.
 */
#define HASH_P1 0x9E3779B185EBCA87ULL
#define HASH_P2 0xC2B2AE3D27D4EB4FULL
#define HASH_P3 0x165667B19E3779F9ULL
#define HASH_P4 0x85EBCA77C2B2AE63ULL
#define HASH_P5 0x27D4EB2F165667C5ULL

static inline uint64_t hash_rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* SplitMix64's finalizer: a bijection that mixes every bit into all. */
static inline uint64_t hash_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* One 64-bit word, e.g. a port. */
static inline uint64_t hash_u64(uint64_t x)
{
	return hash_mix(x + 0x9E3779B97F4A7C15ULL);
}

/*
 * Two words, e.g. an IPv6 address: the two products are independent, so
 * this costs about one finalizer, half of hash_bytes() on 16 bytes.  For
 * a fixed b it is a bijection of a (no two IPv4 addresses collide).
 */
static inline uint64_t hash_pair(uint64_t a, uint64_t b)
{
	return hash_mix((a * HASH_P1) ^ hash_rotl(b * HASH_P2, 31));
}

/* Any bytes: XXH64's rounds and avalanche without its 32-byte stripes. */
static inline uint64_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = HASH_P5 + len, w;
	uint32_t v;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&w, p, 8);
		w = hash_rotl(w * HASH_P2, 31) * HASH_P1;
		h = hash_rotl(h ^ w, 27) * HASH_P1 + HASH_P4;
	}
	if (len >= 4) {
		memcpy(&v, p, 4);
		h = hash_rotl(h ^ (v * HASH_P1), 23) * HASH_P2 + HASH_P3;
		len -= 4;
		p += 4;
	}
	for (; len > 0; len--, p++)
		h = hash_rotl(h ^ (*p * HASH_P5), 11) * HASH_P1;
	h ^= h >> 33;
	h *= HASH_P2;
	h ^= h >> 29;
	h *= HASH_P3;
	h ^= h >> 32;
	return h;
}

#endif
