/* credits: kernel counter increments waiting to explain resets (pure). */
#ifndef RSTMON_CREDITS_H
#define RSTMON_CREDITS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Some causes leave no trace in the packet but bump a TcpExt counter
 * before the reset is sent (notes/kernel-facts.md §2): TCPAbortOnClose
 * for an unread close, TCPAbortOnTimeout for a keepalive timeout… Each
 * increment becomes a credit that one reset of that kind may consume.
 * Counters also move without any reset (a silent timeout), so credits
 * expire after a short while instead of waiting for a reset forever.
 */
enum credit {
	CR_ABORT_ON_CLOSE,
	CR_ABORT_ON_DATA,
	CR_ABORT_ON_TIMEOUT,
	CR_ABORT_ON_LINGER,
	CR_ABORT_ON_MEMORY,
	CR_LISTEN_OVERFLOWS,
	CR_MAX
};

struct credits {
	uint32_t n[CR_MAX];
	uint64_t since_ms[CR_MAX]; /* when the oldest pending arrived */
	uint64_t max_age_ms;
};

void credits_init(struct credits *c, uint64_t max_age_ms);
void credits_add(struct credits *c, enum credit k, uint64_t n, uint64_t now_ms);
/* Forget credits older than max_age_ms. */
void credits_expire(struct credits *c, uint64_t now_ms);
/* Consume one credit of kind k if there is one. */
bool credits_take(struct credits *c, enum credit k);

/* TcpExt field names, in enum order, for procnet_parse(). */
extern const char *const credit_fields[CR_MAX];

#endif
