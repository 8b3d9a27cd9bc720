/* cgroup: pure parsing of /proc/PID/cgroup text and cgroup paths. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cgroup.h"

#define ID_SHORT 12 /* as docker ps shows ids */
#define ID_FULL 64  /* sha256 in hex */

/* Copy n bytes of s as a string.  Too long gives -1 and "", never a
 * truncated name that could be mistaken for another one. */
static int copy_out(char *out, size_t len, const char *s, size_t n)
{
	if (len == 0) {
		errno = ENOSPC;
		return -1;
	}
	if (n >= len) {
		out[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int none(char *out, size_t len)
{
	if (len > 0)
		out[0] = '\0';
	errno = ENOENT;
	return -1;
}

static bool has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	return n >= pl && memcmp(s, prefix, pl) == 0;
}

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);

	return n >= sl && memcmp(s + n - sl, suffix, sl) == 0;
}

static bool is_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* Container ids are lower-case sha256 hex. */
static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return n > 0;
}

/* Does the controller list (comma separated) name the systemd tree? */
static bool names_systemd(const char *s, size_t n)
{
	const char *end = s + n, *comma;

	while (s < end) {
		comma = memchr(s, ',', (size_t)(end - s));
		if (comma == NULL)
			comma = end;
		if (is_eq(s, (size_t)(comma - s), "name=systemd"))
			return true;
		s = comma + 1;
	}
	return false;
}

/* The kernel appends " (deleted)" to the v2 path of a removed cgroup. */
static int copy_path(char *path, size_t len, const char *s, size_t n)
{
	static const char deleted[] = " (deleted)";

	if (has_suffix(s, n, deleted) && n > sizeof(deleted) - 1)
		n -= sizeof(deleted) - 1;
	return copy_out(path, len, s, n);
}

int cgroup_path_from_proc(const char *text, char *path, size_t len)
{
	const char *line, *end, *c1, *c2, *v2 = NULL, *v1 = NULL;
	size_t v2len = 0, v1len = 0;

	if (text == NULL)
		return none(path, len);
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		/* "ID:controllers:/path"; the path itself may hold ':'. */
		c1 = memchr(line, ':', (size_t)(end - line));
		if (c1 == NULL || !all_digits(line, (size_t)(c1 - line)))
			continue;
		c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
		if (c2 == NULL || c2 + 1 >= end || c2[1] != '/')
			continue;
		if (is_eq(line, (size_t)(c1 - line), "0") && c2 == c1 + 1) {
			if (v2 == NULL) {
				v2 = c2 + 1;
				v2len = (size_t)(end - v2);
			}
		} else if (v1 == NULL &&
			   names_systemd(c1 + 1, (size_t)(c2 - c1 - 1))) {
			v1 = c2 + 1;
			v1len = (size_t)(end - v1);
		}
	}
	/*
	 * A v1 host that once mounted cgroup2 shows "0::/" for everyone
	 * while the systemd tree holds the real path: "/" says nothing, so
	 * the name=systemd path wins then (hybrid hosts show the same
	 * path in both).
	 */
	if (v2 != NULL && !(v2len == 1 && v1 != NULL && v1len > 1))
		return copy_path(path, len, v2, v2len);
	if (v1 != NULL)
		return copy_path(path, len, v1, v1len);
	return none(path, len);
}

/* Unit types that own a cgroup; a slice only groups others. */
static bool is_leaf_unit(const char *s, size_t n)
{
	static const char *const sfx[] = { ".service", ".scope", ".socket",
					   ".mount", ".swap" };
	size_t i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (n > strlen(sfx[i]) && has_suffix(s, n, sfx[i]))
			return true;
	return false;
}

static bool is_slice(const char *s, size_t n)
{
	return n > strlen(".slice") && has_suffix(s, n, ".slice");
}

/* Next path component after *p: its start, length in *n; NULL at end. */
static const char *next_comp(const char **p, size_t *n)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	if (*s == '\0')
		return NULL;
	*n = strcspn(s, "/");
	*p = s + *n;
	return s;
}

int cgroup_unit(const char *path, char *unit, size_t len)
{
	const char *p = path, *c, *leaf = NULL, *slice = NULL;
	size_t n, leaf_n = 0, slice_n = 0;

	if (path == NULL)
		return none(unit, len);
	while ((c = next_comp(&p, &n)) != NULL) {
		if (is_leaf_unit(c, n)) {
			leaf = c;
			leaf_n = n;
		} else if (is_slice(c, n)) {
			slice = c;
			slice_n = n;
		}
	}
	if (leaf != NULL)
		return copy_out(unit, len, leaf, leaf_n);
	if (slice != NULL)
		return copy_out(unit, len, slice, slice_n);
	return none(unit, len);
}

/*
 * "<prefix><hex>" or "<prefix><hex>.scope" with at least min hex digits
 * (exactly min when exact): the start of the id, or NULL.
 */
static const char *id_after(const char *c, size_t n, const char *prefix,
			    size_t min, bool exact)
{
	size_t pl = strlen(prefix), idn;

	if (!has_prefix(c, n, prefix))
		return NULL;
	idn = n - pl;
	if (idn >= strlen(".scope") && has_suffix(c, n, ".scope"))
		idn -= strlen(".scope");
	if (idn < min || (exact && idn != min) || !all_hex(c + pl, idn))
		return NULL;
	return c + pl;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* systemd escapes unit names ("\x2d" for '-'): machined's name is the
 * unescaped one. */
static int copy_unescaped(char *out, size_t len, const char *s, size_t n)
{
	size_t i, o = 0;
	int hi, lo;

	if (len == 0) {
		errno = ENOSPC;
		return -1;
	}
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    (hi = hexval(s[i + 2])) >= 0 &&
		    (lo = hexval(s[i + 3])) >= 0 && hi * 16 + lo != 0) {
			ch = (char)(hi * 16 + lo);
			i += 3;
		}
		if (o + 1 >= len) {
			out[0] = '\0';
			errno = ENAMETOOLONG;
			return -1;
		}
		out[o++] = ch;
	}
	out[o] = '\0';
	return 0;
}

int cgroup_container(const char *path, char *out, size_t len)
{
	const char *p = path, *c, *id, *found = NULL;
	size_t n, found_n = 0;
	bool kube = false, after_docker = false, esc = false;

	if (path == NULL)
		return none(out, len);
	/* The innermost match wins (docker in docker, pods in a VM). */
	while ((c = next_comp(&p, &n)) != NULL) {
		id = id_after(c, n, "docker-", ID_FULL, true);
		if (id == NULL && after_docker && n == ID_FULL && all_hex(c, n))
			id = c;
		if (id == NULL)
			id = id_after(c, n, "cri-containerd-", ID_SHORT, false);
		if (id == NULL)
			id = id_after(c, n, "crio-", ID_SHORT, false);
		if (id == NULL)
			id = id_after(c, n, "libpod-", ID_SHORT, false);
		/* cgroupfs driver: kubepods/<qos>/pod<uid>/<id> */
		if (id == NULL && kube && n >= ID_SHORT && all_hex(c, n))
			id = c;
		if (id != NULL) {
			found = id;
			found_n = ID_SHORT;
			esc = false;
		} else if (has_prefix(c, n, "lxc.payload.") &&
			   n > strlen("lxc.payload.")) {
			found = c + strlen("lxc.payload.");
			found_n = n - strlen("lxc.payload.");
			esc = false;
		} else if (has_prefix(c, n, "machine-") &&
			   has_suffix(c, n, ".scope") &&
			   n > strlen("machine-") + strlen(".scope")) {
			found = c + strlen("machine-");
			found_n = n - strlen("machine-") - strlen(".scope");
			esc = true;
		}
		if (has_prefix(c, n, "kubepods"))
			kube = true;
		after_docker = is_eq(c, n, "docker");
	}
	if (found == NULL)
		return none(out, len);
	if (esc)
		return copy_unescaped(out, len, found, found_n);
	return copy_out(out, len, found, found_n);
}
