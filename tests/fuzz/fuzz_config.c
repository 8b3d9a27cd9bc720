/*
 * fuzz_config: config file text through config_parse_text(), then what
 * the daemon derives from an accepted config: the detector parameters
 * (alerts_params(), detect_set_params()) and the values actions.c and hook.c
 * parse again (CIDRs of `allow`, alert names of `ratelimit-on`, the
 * hook's argv), which must all parse since the config accepted them.
 * The `hook` check calls access() on the hook's path: fine here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "allowlist.h"
#include "config.h"
#include "daemon.h"
#include "detect.h"
#include "hookargs.h"
#include "alertfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fuzz.conf"

/* A string field must end within its array. */
#define CHECK_STR(a)                                      \
	do {                                              \
		if (strnlen((a), sizeof(a)) == sizeof(a)) \
			abort();                          \
	} while (0)

/* Each blank-separated word of cfg.allow, as actions.c's load_allow(). */
static void check_allow(const char *list)
{
	static struct allowlist al;
	struct cidr c;
	char word[256], back[64];
	const char *p = list;

	allowlist_init(&al);
	allowlist_add_loopback(&al);
	while (*p != '\0') {
		size_t n = strcspn(p, " ");

		if (n >= sizeof(word))
			abort();
		if (n > 0) {
			memcpy(word, p, n);
			word[n] = '\0';
			if (cidr_parse(word, &c) < 0)
				abort(); /* accepted, then dropped */
			/* Host bits are cleared: the network covers
			 * itself once listed. */
			if (allowlist_add(&al, &c) == 0 &&
			    !allowlist_match(&al, c.family, c.addr))
				abort();
			cidr_str(&c, back, sizeof(back));
		}
		p += n;
		p += strspn(p, " ");
	}
}

/* Each word of cfg.ratelimit_on, as actions.c's parse_mask(). */
static void check_alert_names(const char *list)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, ", ");

		if (n > 0 && alert_type_from_name(p, n) < 0)
			abort();
		p += n;
		p += strspn(p, ", ");
	}
}

static void check_config(const struct config *c)
{
	static struct detect *d;
	struct detect_params dp;
	struct hook_argv h;
	char err[256];

	CHECK_STR(c->config_file);
	CHECK_STR(c->socket_path);
	CHECK_STR(c->events_path);
	CHECK_STR(c->rules_path);
	CHECK_STR(c->netns);
	CHECK_STR(c->user);
	CHECK_STR(c->kernel_trace);
	CHECK_STR(c->metrics_listen);
	CHECK_STR(c->metrics_file);
	CHECK_STR(c->ratelimit_on);
	CHECK_STR(c->ratelimit_mode);
	CHECK_STR(c->allow);
	CHECK_STR(c->hook);
	if (strcmp(c->kernel_trace, "auto") && strcmp(c->kernel_trace, "off"))
		abort();
	if (strcmp(c->ratelimit_mode, "rst") &&
	    strcmp(c->ratelimit_mode, "drop"))
		abort();

	/* As a reload does: the detectors are made once (they are large),
	 * their parameters set from each config. */
	alerts_params(c, &dp);
	if (d == NULL && (d = detect_new(&dp)) == NULL)
		abort();
	detect_set_params(d, &dp);
	check_allow(c->allow);
	check_alert_names(c->ratelimit_on);
	if (c->hook[0] != '\0') {
		if (hook_argv_parse(&h, c->hook, err, sizeof(err)) < 0 ||
		    h.argc < 1 || h.argv[0][0] != '/')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	char err[1024], *text;
	int r;

	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	config_defaults(&c);
	memset(err, 0, sizeof(err));
	r = config_parse_text(&c, text, NAME, err, sizeof(err));
	if (r == 0) {
		check_config(&c);
	} else if (r != -1 || strncmp(err, NAME ":", sizeof(NAME)) != 0 ||
		   strnlen(err, sizeof(err)) == sizeof(err)) {
		/* Errors read "file:line: what". */
		abort();
	}
	free(text);
	return 0;
}
