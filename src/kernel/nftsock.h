/* nftsock: in-process nf_tables requests over netlink (libnftnl + libmnl). */
#ifndef RSTMON_NFTSOCK_H
#define RSTMON_NFTSOCK_H

#include <stdint.h>

struct mnl_socket;

struct nftsock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char *buf;
};

/* Open a socket in the current network namespace.  -1 + errno. */
int nftsock_open(struct nftsock *s);
void nftsock_close(struct nftsock *s);

/*
 * Read the packet count of the named counter object `name` in table
 * `family table`.  Returns 0, or -1 with errno: ENOENT when the table or
 * the counter does not exist, EPERM without CAP_NET_ADMIN.
 */
int nftsock_counter_read(struct nftsock *s, uint32_t family, const char *table,
			 const char *name, uint64_t *packets);

/*
 * Does the table exist, and with which handle?  Handles of tables are
 * never reused in a network namespace: a table created again (`nft -f`
 * of a file that deletes and creates it) has a new one.  1 yes, 0 no,
 * -1 with errno on another error.
 */
int nftsock_table_handle(struct nftsock *s, uint32_t family, const char *table,
			 uint64_t *handle);

/*
 * Does set `set` exist in table `family table`, and with which handle
 * (unique within its table only)?  1 yes, 0 no (ENOENT), -1 with errno on
 * another error.
 */
int nftsock_set_handle(struct nftsock *s, uint32_t family, const char *table,
		       const char *set, uint64_t *handle);

/*
 * Add n elements (keys of keylen bytes each, network order), element i
 * with timeout timeouts_ms[i], to a set, in one transaction (one batch,
 * several messages).  An element already there keeps its own timeout.
 * Returns 0, or -1 with errno (ENOENT: no such table or set; ENFILE: the
 * set is full).
 */
int nftsock_set_add(struct nftsock *s, uint32_t family, const char *table,
		    const char *set, const uint8_t *keys, size_t keylen,
		    unsigned int n, const uint64_t *timeouts_ms);

/*
 * Delete n elements from a set in one transaction.  Returns 0, or -1 with
 * errno (ENOENT: no such table, set or element — then none is deleted).
 */
int nftsock_set_del(struct nftsock *s, uint32_t family, const char *table,
		    const char *set, const uint8_t *keys, size_t keylen,
		    unsigned int n);

#endif
