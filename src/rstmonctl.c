/* rstmonctl: the client — asks rstmond over its control socket. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "ctl.h"

/* Bound on a reply, so a confused peer cannot make us eat memory. */
#define CTL_MAX_REPLY (64u << 20)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rstmonctl [-s PATH] [--json] COMMAND\n"
		"Ask rstmond which TCP resets this host sends, who sends "
		"them and why.\n\n"
		"commands:\n"
		"  status        counters: resets seen, lost, rates, causes\n"
		"  top           busiest ports|remotes|owners|causes [-n N] "
		"[--window 10s|60s|300s]\n"
		"  alerts        active alerts: scans, floods, services down…\n"
		"  events        follow every reset as it happens\n"
		"  metrics       Prometheus text exposition\n"
		"  reload        reopen the events file, reread the config\n"
		"  bans          addresses rstmond listed in its nft sets\n"
		"  unban ADDR    lift one listing (root or rstmond's user)\n"
		"\noptions:\n"
		"  -s, --socket PATH   control socket (default "
		RSTMON_DEFAULT_SOCKET ")\n"
		"  -j, --json          JSON for machines instead of a table\n"
		"  -w, --watch [SEC]   top: refresh every SEC (default 1) "
		"until Ctrl-C\n"
		"  -V, --version       print the version\n"
		"  -h, --help          this text\n"
		"\nSee rstmonctl(8).\n");
}

char *ctl_request(const char *path, const char *line)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len = 0, cap = 0;
	char *buf = NULL;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "rstmonctl: socket path %s is too long\n",
			path);
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("rstmonctl: socket");
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		if (e == EACCES || e == EPERM)
			fprintf(stderr, "rstmonctl: %s: %s: the control "
				"socket is for root (run with sudo)\n", path,
				strerror(e));
		else
			fprintf(stderr, "rstmonctl: cannot reach rstmond at "
				"%s: %s: is rstmond running? (start it with "
				"`sudo make run`; -s PATH names another "
				"socket)\n", path, strerror(e));
		close(fd);
		return NULL;
	}
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "rstmonctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return NULL;
	}
	for (;;) {
		if (len + 65536 + 1 > cap) {
			char *t;

			cap = cap ? cap * 2 : 65536 * 2;
			if (cap > CTL_MAX_REPLY) {
				fprintf(stderr, "rstmonctl: reply too large\n");
				goto fail;
			}
			t = realloc(buf, cap);
			if (t == NULL) {
				fprintf(stderr, "rstmonctl: out of memory\n");
				goto fail;
			}
			buf = t;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "rstmonctl: %s: %s\n", path,
				strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL || len == 0) {
		fprintf(stderr, "rstmonctl: rstmond closed the connection "
			"without a reply\n");
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* Length of the printable UTF-8 character at s (NUL-terminated), or 0
 * for a byte to escape: not UTF-8, or a C1 control (U+0080-U+009F). */
static size_t utf8_printable(const unsigned char *s)
{
	unsigned int cp, n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = s[0] & (0x7fu >> n);	/* the lead byte's value bits */
	/* A continuation byte is never NUL: no read past the end. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp < 0xa0)
		return 0;
	return n;
}

const char *ctl_safe(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	static char ring[CTL_SAFE_SLOTS][1024];
	static unsigned int next;
	const unsigned char *p = (const unsigned char *)s;
	char *buf;
	size_t o = 0, n;

	if (s == NULL)
		return NULL;
	buf = ring[next++ % CTL_SAFE_SLOTS];
	/* The backslash stays as it is: unit names carry \x2d already, and
	 * are shown as systemctl shows them. */
	while (*p != '\0') {
		n = *p >= 0x20 && *p < 0x7f ? 1 : utf8_printable(p);
		if (o + (n ? n : 4) >= sizeof(ring[0]))
			break;
		if (n > 0) {
			memcpy(buf + o, p, n);
			o += n;
			p += n;
			continue;
		}
		buf[o++] = '\\';
		buf[o++] = 'x';
		buf[o++] = hex[*p >> 4];
		buf[o++] = hex[*p & 15];
		p++;
	}
	buf[o] = '\0';
	return buf;
}

const char *ctl_str(const json_t *obj, const char *key)
{
	return ctl_safe(json_string_value(json_object_get(obj, key)));
}

json_t *ctl_parse(const char *text)
{
	json_error_t e;
	json_t *root, *err;

	root = json_loads(text, JSON_DISABLE_EOF_CHECK, &e);
	if (root == NULL) {
		fprintf(stderr, "rstmonctl: bad reply from rstmond: %s\n",
			e.text);
		return NULL;
	}
	err = json_object_get(root, "error");
	if (json_is_string(err)) {
		fprintf(stderr, "rstmonctl: rstmond says: %s\n",
			ctl_safe(json_string_value(err)));
		json_decref(root);
		return NULL;
	}
	return root;
}

uint64_t ctl_u64(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return (uint64_t)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 0)
		return (uint64_t)json_real_value(v);
	return 0;
}

const char *ctl_group_digits(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	size_t n, i, o = 0;

	n = (size_t)snprintf(tmp, sizeof(tmp), "%llu",
			     (unsigned long long)v);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *ctl_rate(double r, char *buf, size_t len)
{
	if (r >= 10000)
		snprintf(buf, len, "%.1fk/s", r / 1000);
	else if (r >= 100)
		snprintf(buf, len, "%.0f/s", r);
	else if (r >= 1)
		snprintf(buf, len, "%.1f/s", r);
	else
		snprintf(buf, len, "%.2f/s", r);
	return buf;
}

const char *ctl_duration(uint64_t s, char *buf, size_t len)
{
	unsigned long long v = s;

	if (v >= 86400)
		snprintf(buf, len, "%llud %lluh", v / 86400, v % 86400 / 3600);
	else if (v >= 3600)
		snprintf(buf, len, "%lluh %llum", v / 3600, v % 3600 / 60);
	else if (v >= 60)
		snprintf(buf, len, "%llum %llus", v / 60, v % 60);
	else
		snprintf(buf, len, "%llus", v);
	return buf;
}

json_t *ctl_fetch(const struct ctl_opts *o, const char *line, char **reply)
{
	json_t *root;

	*reply = ctl_request(o->socket_path, line);
	if (*reply == NULL)
		return NULL;
	root = ctl_parse(*reply);
	if (root == NULL) {
		free(*reply);
		*reply = NULL;
	}
	return root;
}

int ctl_simple(const struct ctl_opts *o, const char *verb)
{
	char *reply;
	json_t *root = ctl_fetch(o, verb, &reply);

	if (root == NULL)
		return 1;
	if (o->json)
		fputs(reply, stdout);
	else
		printf("rstmond: %s done\n", verb);
	json_decref(root);
	free(reply);
	return 0;
}

int ctl_metrics(const struct ctl_opts *o)
{
	char *reply = ctl_request(o->socket_path, "metrics");

	if (reply == NULL)
		return 1;
	/* Text, not JSON: an error would be a JSON object. */
	if (reply[0] == '{') {
		json_t *root = ctl_parse(reply);

		json_decref(root);
		free(reply);
		return 1;
	}
	fputs(reply, stdout);
	free(reply);
	return 0;
}

/*
 * Remove rstmonctl's own options that follow the verb (--json, -j,
 * --watch[=SEC], -w, -s PATH) from argv, keeping the verb's arguments in
 * order; returns the new argc, or -1 after a message.
 */
static int take_trailing_opts(struct ctl_opts *o, int argc, char **argv)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
			o->json = true;
		} else if (!strcmp(argv[i], "--watch") ||
			   !strcmp(argv[i], "-w")) {
			o->watch = true;
		} else if (!strncmp(argv[i], "--watch=", 8)) {
			o->watch = true;
			o->interval = atoi(argv[i] + 8);
			if (o->interval < 1 || o->interval > 3600) {
				fprintf(stderr, "rstmonctl: --watch wants 1 "
					"to 3600 seconds\n");
				return -1;
			}
		} else if ((!strcmp(argv[i], "-s") ||
			    !strcmp(argv[i], "--socket")) && i + 1 < argc) {
			o->socket_path = argv[++i];
		} else {
			argv[n++] = argv[i];
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl_opts o = { RSTMON_DEFAULT_SOCKET, false, false, 1, 0, NULL };
	const char *verb;
	int ch;

	/*
	 * Options may follow the verb too ("status --json"), except those of
	 * top itself (-n, --window), which go to the daemon: stop at the
	 * first of them ("+": no permutation past the verb's arguments).
	 */
	while ((ch = getopt_long(argc, argv, "+s:jw::Vh", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.socket_path = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'w':
			o.watch = true;
			if (optarg != NULL) {
				o.interval = atoi(optarg);
				if (o.interval < 1 || o.interval > 3600) {
					fprintf(stderr, "rstmonctl: --watch "
						"wants 1 to 3600 seconds\n");
					return 2;
				}
			}
			break;
		case 'V':
			printf("rstmonctl %s\n", RSTMON_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	o.argc = argc - optind;
	o.argv = argv + optind;
	verb = o.argv[0];
	/* Our own options after the verb: --json, --watch, -s. */
	o.argc = take_trailing_opts(&o, o.argc, o.argv);
	if (o.argc < 0)
		return 2;
	if (strcmp(verb, "status") == 0 && o.argc == 1)
		return ctl_status(&o);
	if (strcmp(verb, "top") == 0)
		return ctl_top(&o);
	if (strcmp(verb, "alerts") == 0 && o.argc == 1)
		return ctl_alerts(&o);
	if (strcmp(verb, "events") == 0 && o.argc == 1)
		return ctl_events(&o);
	if (strcmp(verb, "metrics") == 0 && o.argc == 1)
		return ctl_metrics(&o);
	if (strcmp(verb, "reload") == 0 && o.argc == 1)
		return ctl_simple(&o, "reload");
	if (strcmp(verb, "bans") == 0 && o.argc == 1)
		return ctl_bans(&o);
	if (strcmp(verb, "unban") == 0)
		return ctl_unban(&o);
	fprintf(stderr, "rstmonctl: unknown command or arguments: '%s' "
		"(see rstmonctl --help)\n", verb);
	return 2;
}
