/* addrfmt: an IPv4 or IPv6 address as text, as inet_ntop writes it, fast
 * and pure (no locale, no errno): for event lines and alert keys. */
#ifndef RSTMON_ADDRFMT_H
#define RSTMON_ADDRFMT_H

#include <stdint.h>

/* Room for the longest text and its NUL (INET6_ADDRSTRLEN). */
#define ADDRFMT_LEN 46

/*
 * The text of addr (16 bytes for AF_INET6, else the first 4 as IPv4) at
 * p, which has ADDRFMT_LEN bytes of room, without a NUL; returns its end.
 */
char *addrfmt_put(char *p, uint8_t family, const uint8_t *addr);
/* The same into buf (ADDRFMT_LEN bytes) with its NUL; "?" for a family
 * neither AF_INET nor AF_INET6.  Returns buf. */
const char *addrfmt_str(uint8_t family, const uint8_t *addr, char *buf);

#endif
