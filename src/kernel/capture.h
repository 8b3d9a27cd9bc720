/* capture: the NFLOG netlink socket — bind, configure, drain, count loss. */
#ifndef RSTMON_CAPTURE_H
#define RSTMON_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "packet.h"
#include "seqtrack.h"

struct mnl_socket;

struct capture_params {
	uint16_t group;
	int rcvbuf;	     /* bytes, SO_RCVBUFFORCE */
	uint32_t qthreshold; /* messages per datagram */
	uint32_t flush_cs;   /* kernel flush timeout, 1/100 s */
	uint32_t nlbufsiz;   /* kernel batch buffer, bytes */
};

/* The resets of one datagram, together (they arrived at once). */
typedef void (*capture_event_fn)(const struct rst_event *evs, unsigned int n,
				 void *arg);
typedef void (*capture_batch_fn)(void *arg);

/* More resets than this in one datagram are handed on in parts. */
#define CAPTURE_MAX_BATCH 2048

struct capture {
	struct mnl_socket *nl;
	uint32_t portid;
	uint16_t group;
	char *buf;
	size_t buflen;
	capture_event_fn on_event;
	capture_batch_fn on_batch_end;
	void *arg;
	struct rst_event *batch; /* CAPTURE_MAX_BATCH events */
	unsigned int nbatch;

	struct seqtrack seq;
	uint64_t events;		/* parsed resets handed on */
	uint64_t skipped[PACKET_E_MAX]; /* by reason; [PACKET_OK] unused */
	uint64_t no_seq;		/* messages without NFULA_SEQ */
	uint64_t datagrams;
	uint64_t enobufs;	/* overflow episodes reported by recv */
	uint64_t truncated;	/* datagrams larger than our buffer */
	uint64_t other_msgs;	/* netlink messages that are not packets */
	uint64_t bad_datagrams; /* refused whole: see nlcheck.h */
	char *held;		/* datagrams read while binding, unparsed */
	size_t held_len;
	uint64_t left; /* left unread at exit, declared lost */
};

/* No capture_drain() call reads for longer than this, whatever budget. */
#define CAPTURE_DRAIN_MAX_MS 1000

/*
 * Open a netlink socket in the current network namespace, bind the group
 * and configure it in one message.  Packets that arrive while binding are
 * kept unread and handed to on_event by the first capture_drain().  on_event gets the resets of each datagram;
 * on_batch_end is called after each drain.  Returns 0, or -1 with errno (EPERM: group
 * held by another socket, or no CAP_NET_ADMIN) and a message in err.
 */
int capture_open(struct capture *c, const struct capture_params *p,
		 capture_event_fn on_event, capture_batch_fn on_batch_end,
		 void *arg, char *err, size_t errlen);
void capture_close(struct capture *c);
int capture_fd(const struct capture *c);

/*
 * Read up to `budget` datagrams without blocking, for at most
 * CAPTURE_DRAIN_MAX_MS, and hand each reset to on_event, then call
 * on_batch_end once.  Returns the number of datagrams read (0 when the
 * socket was empty), or -1 with errno on a hard error.
 */
int capture_drain(struct capture *c, unsigned int budget);

/*
 * The last drain, at exit: read as capture_drain() does until the socket
 * is empty or max_ms have passed, then skim what is still queued for at
 * most max_ms / 4 more (sequence numbers only) and declare those
 * messages, and any gap before them, lost (`left` counts them).  Under a
 * flood the socket never empties: exit stays prompt, and what it left
 * is counted rather than silent.  Returns the datagrams handed on, or -1
 * with errno on a hard error.
 */
int capture_drain_final(struct capture *c, unsigned int max_ms);

/*
 * Take only the sequence numbers of one datagram's messages and declare
 * them lost (capture_drain_final's skim; replay tests).  Returns the
 * messages declared.
 */
uint64_t capture_skim(struct capture *c, const void *buf, size_t len);

/* True when no datagram is waiting in the socket. */
bool capture_idle(const struct capture *c);

/* Parse one datagram (several netlink messages); used by capture_drain
 * and by replay tests. */
void capture_input(struct capture *c, const void *buf, size_t len,
		   const struct timespec *now, uint64_t now_mono_ns);

/* Messages skipped as malformed or not resets, all reasons together. */
uint64_t capture_skipped_total(const struct capture *c);

#endif
