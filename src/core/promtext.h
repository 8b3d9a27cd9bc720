/* promtext: pure — the Prometheus text exposition format. */
#ifndef RSTMON_PROMTEXT_H
#define RSTMON_PROMTEXT_H

#include <stdint.h>

#include "json.h"

/* "# HELP name help" and "# TYPE name type". */
void promtext_head(struct json *o, const char *name, const char *type,
		   const char *help);

/*
 * A label value, as the text format wants it: backslash, quote and
 * newline escaped; bytes that are not UTF-8 as U+FFFD (the reference
 * parser refuses the whole scrape otherwise); other control characters
 * as the text \xHH (written \\xHH), never raw.
 */
void promtext_label(struct json *o, const char *v);

/* name{label="value"} num — label NULL: name num. */
void promtext_sample(struct json *o, const char *name, const char *label,
		     const char *value, const char *num);
void promtext_u64(struct json *o, const char *name, const char *label,
		  const char *value, uint64_t v);
/* Three decimals. */
void promtext_dbl(struct json *o, const char *name, const char *label,
		  const char *value, double v);

#endif
