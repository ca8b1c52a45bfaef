// SPDX-License-Identifier: GPL-2.0
/*
 * The fsmb.conf parser. It reads smb.conf as Samba does (sections, "key =
 * value", '#'/';' comment lines, '\' continuation, keys compared without
 * case, blanks or underscores, quotes not special), keeps the options fsmb
 * implements and says, with file:line, what it does not: unknown options
 * and options without effect here are warnings, options whose loss would
 * widen access are errors. It reports every problem of a file in one pass
 * so an admin fixes them all at once.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "utf16.h"

/* Longest logical line (continuations included): bounds what one line costs. */
#define FSMB_CONF_LINE_MAX	65536
#define FSMB_CONF_MAX_SHARES	1024
/* Windows clients cannot use longer share names (NNLEN). */
#define FSMB_SHARE_NAME_MAX	80
/* srvsvc share comments are at most MAXCOMMENTSZ characters. */
#define FSMB_COMMENT_MAX	256
/* NetBIOS names: 16 bytes on the wire, the last one is the suffix. */
#define FSMB_NETBIOS_MAX	15

#define FSMB_DEFAULT_WORKGROUP	"WORKGROUP"
#define FSMB_DEFAULT_STATE_DIR	"/var/lib/fsmb"
#define FSMB_DEFAULT_GUEST	"nobody"
#define FSMB_DEFAULT_PORT	445
#define FSMB_DIALECT_MIN	0x0202
#define FSMB_DIALECT_MAX	0x0311
#define FSMB_MAX_IP_CONNS_LIMIT		65535

#define FSMB_LIST_SEP		" \t,;"

enum fsmb_opt_id {
	FSMB_OPT_NETBIOS_NAME,
	FSMB_OPT_WORKGROUP,
	FSMB_OPT_PORTS,
	FSMB_OPT_MIN_PROTOCOL,
	FSMB_OPT_MAX_PROTOCOL,
	FSMB_OPT_SIGNING,
	FSMB_OPT_STATE_DIR,
	FSMB_OPT_GUEST_ACCOUNT,
	FSMB_OPT_MAX_IP_CONNS,
	FSMB_OPT_AUTH_TIMEOUT,
	FSMB_OPT_IDLE_TIMEOUT,
	FSMB_OPT_PATH,
	FSMB_OPT_COMMENT,
	FSMB_OPT_READ_ONLY,
	FSMB_OPT_WRITABLE,
	FSMB_OPT_BROWSEABLE,
	FSMB_OPT_VALID_USERS,
	FSMB_OPT_GUEST_OK,
	/* Samba options that change nothing here: a warning. */
	FSMB_OPT_IGNORED,
	/* Samba options fsmb cannot honour without serving more than asked. */
	FSMB_OPT_REFUSED,
};

#define FSMB_IN_GLOBAL	1U
#define FSMB_IN_SHARE	2U
#define FSMB_IN_ANY	(FSMB_IN_GLOBAL | FSMB_IN_SHARE)

struct fsmb_opt {
	const char *name;	/* Samba's spelling, used in messages */
	enum fsmb_opt_id id;
	unsigned int where;
	const char *why;	/* FSMB_OPT_REFUSED: the error's reason */
};

static const char fsmb_unenforced[] =
	"is not supported, and fsmb would serve without the restriction";

#define FSMB_G(n, i)	{ .name = (n), .id = (i), .where = FSMB_IN_GLOBAL }
#define FSMB_S(n, i)	{ .name = (n), .id = (i), .where = FSMB_IN_SHARE }
#define FSMB_IGNORED(n)	{ .name = (n), .id = FSMB_OPT_IGNORED, .where = FSMB_IN_ANY }
#define FSMB_REFUSED(n, w) \
	{ .name = (n), .id = FSMB_OPT_REFUSED, .where = FSMB_IN_ANY, .why = (w) }

/* Synonyms are Samba's own. */
static const struct fsmb_opt fsmb_opts[] = {
	FSMB_G("netbios name", FSMB_OPT_NETBIOS_NAME),
	FSMB_G("workgroup", FSMB_OPT_WORKGROUP),
	FSMB_G("smb ports", FSMB_OPT_PORTS),
	FSMB_G("server min protocol", FSMB_OPT_MIN_PROTOCOL),
	FSMB_G("min protocol", FSMB_OPT_MIN_PROTOCOL),
	FSMB_G("server max protocol", FSMB_OPT_MAX_PROTOCOL),
	FSMB_G("max protocol", FSMB_OPT_MAX_PROTOCOL),
	FSMB_G("protocol", FSMB_OPT_MAX_PROTOCOL),
	FSMB_G("server signing", FSMB_OPT_SIGNING),
	FSMB_G("state directory", FSMB_OPT_STATE_DIR),
	FSMB_G("guest account", FSMB_OPT_GUEST_ACCOUNT),
	FSMB_G("max ip connections", FSMB_OPT_MAX_IP_CONNS),
	FSMB_G("auth timeout", FSMB_OPT_AUTH_TIMEOUT),
	FSMB_G("idle timeout", FSMB_OPT_IDLE_TIMEOUT),
	FSMB_S("path", FSMB_OPT_PATH),
	FSMB_S("directory", FSMB_OPT_PATH),
	FSMB_S("comment", FSMB_OPT_COMMENT),
	FSMB_S("read only", FSMB_OPT_READ_ONLY),
	FSMB_S("writable", FSMB_OPT_WRITABLE),
	FSMB_S("writeable", FSMB_OPT_WRITABLE),
	FSMB_S("write ok", FSMB_OPT_WRITABLE),
	FSMB_S("browseable", FSMB_OPT_BROWSEABLE),
	FSMB_S("browsable", FSMB_OPT_BROWSEABLE),
	FSMB_S("valid users", FSMB_OPT_VALID_USERS),
	FSMB_S("guest ok", FSMB_OPT_GUEST_OK),
	FSMB_S("public", FSMB_OPT_GUEST_OK),

	FSMB_IGNORED("server string"),
	FSMB_IGNORED("server role"),
	FSMB_IGNORED("security"),
	FSMB_IGNORED("passdb backend"),
	FSMB_IGNORED("map to guest"),
	FSMB_IGNORED("obey pam restrictions"),
	FSMB_IGNORED("unix password sync"),
	FSMB_IGNORED("pam password change"),
	FSMB_IGNORED("passwd program"),
	FSMB_IGNORED("passwd chat"),
	FSMB_IGNORED("log level"),
	FSMB_IGNORED("debug level"),
	FSMB_IGNORED("log file"),
	FSMB_IGNORED("max log size"),
	FSMB_IGNORED("syslog"),
	FSMB_IGNORED("syslog only"),
	FSMB_IGNORED("panic action"),
	FSMB_IGNORED("interfaces"),
	FSMB_IGNORED("bind interfaces only"),
	FSMB_IGNORED("disable netbios"),
	FSMB_IGNORED("netbios aliases"),
	FSMB_IGNORED("dns proxy"),
	FSMB_IGNORED("wins support"),
	FSMB_IGNORED("wins server"),
	FSMB_IGNORED("local master"),
	FSMB_IGNORED("preferred master"),
	FSMB_IGNORED("domain master"),
	FSMB_IGNORED("os level"),
	FSMB_IGNORED("load printers"),
	FSMB_IGNORED("printcap name"),
	FSMB_IGNORED("printing"),
	FSMB_IGNORED("disable spoolss"),
	FSMB_IGNORED("usershare allow guests"),
	FSMB_IGNORED("usershare max shares"),
	FSMB_IGNORED("lock directory"),
	FSMB_IGNORED("private dir"),
	FSMB_IGNORED("pid directory"),
	FSMB_IGNORED("cache directory"),

	FSMB_REFUSED("hosts allow", fsmb_unenforced),
	FSMB_REFUSED("allow hosts", fsmb_unenforced),
	FSMB_REFUSED("hosts deny", fsmb_unenforced),
	FSMB_REFUSED("deny hosts", fsmb_unenforced),
	FSMB_REFUSED("invalid users", fsmb_unenforced),
	FSMB_REFUSED("read list", fsmb_unenforced),
	FSMB_REFUSED("include",
		     "is not supported: put the whole configuration in one file"),
};

/* Share options given explicitly, so [global] defaults fill in the rest. */
#define FSMB_SET_PATH		(1U << 0)
#define FSMB_SET_COMMENT	(1U << 1)
#define FSMB_SET_READ_ONLY	(1U << 2)
#define FSMB_SET_BROWSEABLE	(1U << 3)
#define FSMB_SET_VALID_USERS	(1U << 4)
#define FSMB_SET_GUEST_OK	(1U << 5)

struct fsmb_share_opts {
	struct fsmb_share_conf c;
	unsigned int set;
	unsigned int line;	/* of the [section] header */
};

enum fsmb_section {
	FSMB_SEC_NONE,
	FSMB_SEC_GLOBAL,
	FSMB_SEC_SHARE,
	FSMB_SEC_SKIP,		/* unsupported or broken: its options are not read */
};

struct fsmb_parser {
	const char *file;
	FILE *diag;
	FILE *in;
	struct fsmb_conf *conf;
	char *buf;		/* the current logical line */
	unsigned int line;	/* where it starts */
	unsigned int next_line;	/* next physical line to read */
	unsigned int errors;
	bool oom;
	enum fsmb_section section;
	struct fsmb_share_opts *shares;
	size_t nshares;
	size_t cap_shares;
	struct fsmb_share_opts dflt;	/* share options of [global] */
	unsigned int min_line;
	unsigned int max_line;
};

static void fsmb_say(struct fsmb_parser *p, unsigned int line,
		     const char *level, const char *fmt, va_list ap)
{
	if (!p->diag)
		return;
	if (line)
		fprintf(p->diag, "%s:%u: %s: ", p->file, line, level);
	else
		fprintf(p->diag, "%s: %s: ", p->file, level);
	vfprintf(p->diag, fmt, ap);
	fputc('\n', p->diag);
}

__attribute__((format(printf, 3, 4)))
static void fsmb_error(struct fsmb_parser *p, unsigned int line,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fsmb_say(p, line, "error", fmt, ap);
	va_end(ap);
	p->errors++;
}

__attribute__((format(printf, 3, 4)))
static void fsmb_warn(struct fsmb_parser *p, unsigned int line,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fsmb_say(p, line, "warning", fmt, ap);
	va_end(ap);
}

static char *fsmb_strdup(struct fsmb_parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		p->oom = true;
	return d;
}

/* Replace *@dst by a copy of @s; on failure *@dst is kept. */
static void fsmb_set_str(struct fsmb_parser *p, char **dst, const char *s)
{
	char *d = fsmb_strdup(p, s);

	if (!d)
		return;
	free(*dst);
	*dst = d;
}

/* Samba's key comparison: no case, and blanks and '_' do not count. */
static bool fsmb_key_eq(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a) || *a == '_')
			a++;
		while (isspace((unsigned char)*b) || *b == '_')
			b++;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

static const struct fsmb_opt *fsmb_opt_find(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(fsmb_opts) / sizeof(fsmb_opts[0]); i++)
		if (fsmb_key_eq(key, fsmb_opts[i].name))
			return &fsmb_opts[i];
	return NULL;
}

static char *fsmb_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Control characters never belong in a name, a path or a comment. */
static bool fsmb_has_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return true;
	return false;
}

_Static_assert(FSMB_COMMENT_MAX >= FSMB_MAX_NAME &&
	       FSMB_COMMENT_MAX >= FSMB_SHARE_NAME_MAX,
	       "fsmb_utf8_fits() sizes its buffer for the longest limit");

/* Valid UTF-8 of at most @max (<= FSMB_COMMENT_MAX) UTF-16 code units? */
static bool fsmb_utf8_fits(const char *s, size_t max)
{
	uint8_t out[2 * FSMB_COMMENT_MAX];

	return fsmb_utf8_to_utf16le(s, strlen(s), out, 2 * max) >= 0;
}

/*
 * Read one logical line into p->buf: a comment line as it is, any other
 * line joined with the following ones while it ends in '\'. Returns 1 for a
 * line, 0 at the end of the file, -1 on a read error (reported).
 */
static int fsmb_read_line(struct fsmb_parser *p)
{
	size_t len = 0, mark = 0;
	bool too_long = false, nul = false, any = false;
	int c;

	p->line = p->next_line;
	for (;;) {
		c = getc(p->in);
		if (c == EOF || c == '\n') {
			char *s;
			size_t end;

			if (c == '\n')
				any = true;
			p->next_line++;
			p->buf[len] = '\0';
			if (too_long || nul)
				break;
			s = p->buf + mark;
			while (isspace((unsigned char)*s))
				s++;
			if (!mark && (*s == '#' || *s == ';'))
				break;
			end = len;
			while (end > mark && isspace((unsigned char)p->buf[end - 1]))
				end--;
			if (c == EOF || end == mark || p->buf[end - 1] != '\\')
				break;
			/* Drop the '\' and carry on with the next line. */
			len = end - 1;
			mark = len;
			continue;
		}
		any = true;
		if (!c)
			nul = true;
		if (len == FSMB_CONF_LINE_MAX) {
			too_long = true;
			continue;
		}
		p->buf[len++] = c;
	}
	if (ferror(p->in)) {
		fsmb_error(p, p->line, "read error: %s", strerror(errno));
		return -1;
	}
	if (too_long) {
		fsmb_error(p, p->line, "line longer than %d bytes",
			   FSMB_CONF_LINE_MAX);
		p->buf[0] = '\0';
	} else if (nul) {
		fsmb_error(p, p->line, "NUL byte in line");
		p->buf[0] = '\0';
	}
	return any || len ? 1 : 0;
}

/* A UTF-8 byte order mark, as some editors write, is not text. */
static void fsmb_skip_bom(FILE *in)
{
	if (getc(in) == 0xEF && getc(in) == 0xBB && getc(in) == 0xBF)
		return;
	rewind(in);
}

static int fsmb_parse_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

static bool fsmb_bool_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			  const char *v, bool *out)
{
	int b = fsmb_parse_bool(v);

	if (b < 0) {
		fsmb_error(p, p->line, "'%s': expected yes or no, got '%s'",
			   o->name, v);
		return false;
	}
	*out = b;
	return true;
}

static void fsmb_protocol_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			      const char *v)
{
	static const struct {
		const char *name;
		uint16_t dialect;
	} dialects[] = {
		{ "SMB2_02", 0x0202 }, { "SMB2_10", 0x0210 },
		/* Samba's meaning of the bare names, for min and max alike. */
		{ "SMB2", 0x0210 }, { "SMB3", 0x0311 },
		{ "SMB3_00", 0x0300 }, { "SMB3_02", 0x0302 },
		{ "SMB3_11", 0x0311 },
	};
	static const char *const smb1[] = {
		"NT1", "LANMAN2", "LANMAN1", "COREPLUS", "CORE+", "CORE",
	};
	bool is_min = o->id == FSMB_OPT_MIN_PROTOCOL;
	uint16_t d = is_min ? FSMB_DIALECT_MIN : FSMB_DIALECT_MAX;
	size_t i;

	for (i = 0; i < sizeof(smb1) / sizeof(smb1[0]); i++) {
		if (!strcasecmp(v, smb1[i])) {
			fsmb_error(p, p->line,
				   "'%s = %s': SMB1 is not served by fsmb; the oldest dialect is SMB2_02",
				   o->name, v);
			return;
		}
	}
	if (strcasecmp(v, "default")) {
		for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
			if (!strcasecmp(v, dialects[i].name))
				break;
		if (i == sizeof(dialects) / sizeof(dialects[0])) {
			fsmb_error(p, p->line,
				   "'%s': unknown protocol '%s' (expected SMB2_02, SMB2_10, SMB3_00, SMB3_02, SMB3_11, SMB2, SMB3 or default)",
				   o->name, v);
			return;
		}
		d = dialects[i].dialect;
	}
	if (is_min) {
		p->conf->min_dialect = d;
		p->min_line = p->line;
	} else {
		p->conf->max_dialect = d;
		p->max_line = p->line;
	}
}

static void fsmb_signing_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			     const char *v)
{
	static const char *const autos[] = {
		"auto", "default", "if_required", "desired", "enabled", "yes",
		"true", "on", "1",
	};
	static const char *const mandatory[] = {
		"mandatory", "required", "force", "forced", "enforced",
	};
	static const char *const off[] = {
		"disabled", "off", "no", "false", "0",
	};
	size_t i;

	for (i = 0; i < sizeof(autos) / sizeof(autos[0]); i++) {
		if (!strcasecmp(v, autos[i])) {
			p->conf->signing = FSMB_SIGNING_AUTO;
			return;
		}
	}
	for (i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++) {
		if (!strcasecmp(v, mandatory[i])) {
			p->conf->signing = FSMB_SIGNING_MANDATORY;
			return;
		}
	}
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		if (!strcasecmp(v, off[i])) {
			fsmb_warn(p, p->line,
				  "'%s = %s': SMB2 and later cannot disable signing; using auto (sign when the client asks)",
				  o->name, v);
			p->conf->signing = FSMB_SIGNING_AUTO;
			return;
		}
	}
	fsmb_error(p, p->line,
		   "'%s': unknown value '%s' (expected auto, mandatory or disabled)",
		   o->name, v);
}

/*
 * The @len characters at @v as a decimal number of at most @max: false if
 * there are none, one is not a digit or the value is larger.
 */
static bool fsmb_parse_uint(const char *v, size_t len, unsigned long max,
			    unsigned long *out)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < len && isdigit((unsigned char)v[i]) && n <= max; i++)
		n = n * 10 + (unsigned long)(v[i] - '0');
	if (!len || i < len || n > max)
		return false;
	*out = n;
	return true;
}

static void fsmb_ports_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			   const char *v)
{
	uint16_t ports[FSMB_MAX_PORTS];
	size_t n = 0, i;

	for (;;) {
		size_t len;
		unsigned long port;

		v += strspn(v, FSMB_LIST_SEP);
		if (!*v)
			break;
		len = strcspn(v, FSMB_LIST_SEP);
		if (!fsmb_parse_uint(v, len, 65535, &port) || !port) {
			fsmb_error(p, p->line,
				   "'%s': '%.*s' is not a port number (1-65535)",
				   o->name, (int)len, v);
			return;
		}
		for (i = 0; i < n; i++) {
			if (ports[i] == port) {
				fsmb_error(p, p->line,
					   "'%s': port %lu listed twice",
					   o->name, port);
				return;
			}
		}
		if (n == FSMB_MAX_PORTS) {
			fsmb_error(p, p->line, "'%s': more than %d ports",
				   o->name, FSMB_MAX_PORTS);
			return;
		}
		ports[n++] = port;
		v += len;
	}
	if (!n) {
		fsmb_error(p, p->line, "'%s': no port given", o->name);
		return;
	}
	memcpy(p->conf->ports, ports, sizeof(ports));
	p->conf->nports = n;
}

/* A decimal number in [@min, @max]; false (and an error) otherwise. */
static bool fsmb_uint_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			  const char *v, uint32_t min, uint32_t max,
			  uint32_t *dst)
{
	unsigned long n;

	if (!fsmb_parse_uint(v, strlen(v), max, &n) || n < min) {
		fsmb_error(p, p->line,
			   "'%s': '%s' is not a number from %u to %u",
			   o->name, v, min, max);
		return false;
	}
	*dst = (uint32_t)n;
	return true;
}

/* An absolute path without a trailing '/' (kept for "/" itself). */
static void fsmb_path_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			  const char *v, char **dst)
{
	size_t len = strlen(v);
	char *d;

	if (v[0] != '/') {
		fsmb_error(p, p->line, "'%s': '%s' is not an absolute path",
			   o->name, v);
		return;
	}
	if (strchr(v, '%')) {
		fsmb_error(p, p->line,
			   "'%s': '%%' substitutions are not supported", o->name);
		return;
	}
	if (fsmb_has_ctrl(v) || len >= FSMB_MAX_PATH) {
		fsmb_error(p, p->line,
			   "'%s': control characters or longer than %d bytes",
			   o->name, FSMB_MAX_PATH - 1);
		return;
	}
	while (len > 1 && v[len - 1] == '/')
		len--;
	d = strndup(v, len);
	if (!d) {
		p->oom = true;
		return;
	}
	free(*dst);
	*dst = d;
}

/* A NetBIOS name or workgroup, upper-cased as Samba stores them. */
static void fsmb_netbios_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			     const char *v, char **dst)
{
	size_t len = strlen(v), i;
	char *d;

	if (!len || len > FSMB_NETBIOS_MAX) {
		fsmb_error(p, p->line, "'%s': must be 1 to %d characters",
			   o->name, FSMB_NETBIOS_MAX);
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = v[i];

		if (c < 0x20 || c >= 0x7F || strchr("\\/:*?\"<>|", c)) {
			fsmb_error(p, p->line,
				   "'%s': '%s' has a character NetBIOS names cannot hold",
				   o->name, v);
			return;
		}
	}
	d = fsmb_strdup(p, v);
	if (!d)
		return;
	for (i = 0; i < len; i++)
		d[i] = toupper((unsigned char)d[i]);
	free(*dst);
	*dst = d;
}

/* A user or group name as the users file and "valid users" hold them. */
static bool fsmb_name_ok(const char *s)
{
	size_t len = strlen(s);

	return len && len < FSMB_MAX_NAME && !fsmb_has_ctrl(s) &&
	       !strchr(s, ':') && fsmb_utf8_fits(s, FSMB_MAX_NAME);
}

static void fsmb_free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void fsmb_valid_users_opt(struct fsmb_parser *p,
				 const struct fsmb_opt *o, const char *v,
				 struct fsmb_share_conf *share)
{
	char **list = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		size_t len;
		char *e;

		v += strspn(v, FSMB_LIST_SEP);
		if (!*v)
			break;
		len = strcspn(v, FSMB_LIST_SEP);
		e = strndup(v, len);
		v += len;
		if (!e)
			goto oom;
		if (e[0] == '&' || (e[0] && strchr("@+", e[0]) && e[1] == '&')) {
			fsmb_error(p, p->line,
				   "'%s': netgroups ('%s') are not supported",
				   o->name, e);
			goto bad;
		}
		if (strchr(e, '%')) {
			fsmb_error(p, p->line,
				   "'%s': '%%' substitutions ('%s') are not supported",
				   o->name, e);
			goto bad;
		}
		if (!fsmb_name_ok(e[0] == '@' || e[0] == '+' ? e + 1 : e)) {
			fsmb_error(p, p->line, "'%s': '%s' is not a valid name",
				   o->name, e);
			goto bad;
		}
		if (n == cap) {
			char **grown;

			cap = cap ? 2 * cap : 8;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				free(e);
				goto oom;
			}
			list = grown;
		}
		list[n++] = e;
		continue;
bad:
		free(e);
		fsmb_free_list(list, n);
		return;
	}
	fsmb_free_list(share->valid_users, share->n_valid_users);
	share->valid_users = list;
	share->n_valid_users = n;
	return;
oom:
	p->oom = true;
	fsmb_free_list(list, n);
}

static void fsmb_share_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			   const char *v)
{
	struct fsmb_share_opts *t;
	bool b;

	if (p->section == FSMB_SEC_GLOBAL) {
		if (o->id == FSMB_OPT_PATH) {
			fsmb_warn(p, p->line,
				  "'%s' in [global] ignored: every share names its own",
				  o->name);
			return;
		}
		t = &p->dflt;
	} else {
		t = &p->shares[p->nshares - 1];
	}
	switch (o->id) {
	case FSMB_OPT_PATH:
		fsmb_path_opt(p, o, v, &t->c.path);
		t->set |= FSMB_SET_PATH;
		break;
	case FSMB_OPT_COMMENT:
		if (fsmb_has_ctrl(v) || !fsmb_utf8_fits(v, FSMB_COMMENT_MAX)) {
			fsmb_error(p, p->line,
				   "'%s': must be UTF-8 text of at most %d characters",
				   o->name, FSMB_COMMENT_MAX);
			return;
		}
		fsmb_set_str(p, &t->c.comment, v);
		t->set |= FSMB_SET_COMMENT;
		break;
	case FSMB_OPT_READ_ONLY:
	case FSMB_OPT_WRITABLE:
		if (!fsmb_bool_opt(p, o, v, &b))
			return;
		t->c.read_only = o->id == FSMB_OPT_READ_ONLY ? b : !b;
		t->set |= FSMB_SET_READ_ONLY;
		break;
	case FSMB_OPT_BROWSEABLE:
		if (fsmb_bool_opt(p, o, v, &t->c.browseable))
			t->set |= FSMB_SET_BROWSEABLE;
		break;
	case FSMB_OPT_GUEST_OK:
		if (fsmb_bool_opt(p, o, v, &t->c.guest_ok))
			t->set |= FSMB_SET_GUEST_OK;
		break;
	case FSMB_OPT_VALID_USERS:
		fsmb_valid_users_opt(p, o, v, &t->c);
		t->set |= FSMB_SET_VALID_USERS;
		break;
	default:
		break;
	}
}

static void fsmb_global_opt(struct fsmb_parser *p, const struct fsmb_opt *o,
			    const char *v)
{
	struct fsmb_conf *conf = p->conf;

	switch (o->id) {
	case FSMB_OPT_NETBIOS_NAME:
		fsmb_netbios_opt(p, o, v, &conf->netbios_name);
		break;
	case FSMB_OPT_WORKGROUP:
		fsmb_netbios_opt(p, o, v, &conf->workgroup);
		break;
	case FSMB_OPT_PORTS:
		fsmb_ports_opt(p, o, v);
		break;
	case FSMB_OPT_MIN_PROTOCOL:
	case FSMB_OPT_MAX_PROTOCOL:
		fsmb_protocol_opt(p, o, v);
		break;
	case FSMB_OPT_SIGNING:
		fsmb_signing_opt(p, o, v);
		break;
	case FSMB_OPT_STATE_DIR:
		fsmb_path_opt(p, o, v, &conf->state_dir);
		break;
	case FSMB_OPT_GUEST_ACCOUNT:
		if (!fsmb_name_ok(v)) {
			fsmb_error(p, p->line, "'%s': '%s' is not a valid name",
				   o->name, v);
			return;
		}
		fsmb_set_str(p, &conf->guest_account, v);
		break;
	case FSMB_OPT_MAX_IP_CONNS:
		fsmb_uint_opt(p, o, v, 0, FSMB_MAX_IP_CONNS_LIMIT,
			      &conf->max_ip_conns);
		break;
	case FSMB_OPT_AUTH_TIMEOUT:
		fsmb_uint_opt(p, o, v, 1, FSMB_MAX_AUTH_TIMEOUT,
			      &conf->auth_timeout);
		break;
	case FSMB_OPT_IDLE_TIMEOUT:
		fsmb_uint_opt(p, o, v, 0, FSMB_MAX_IDLE_TIMEOUT,
			      &conf->idle_timeout);
		break;
	default:
		break;
	}
}

static void fsmb_option(struct fsmb_parser *p, const char *key, const char *v)
{
	const struct fsmb_opt *o = fsmb_opt_find(key);

	if (!o) {
		if (strchr(key, ':'))
			fsmb_warn(p, p->line,
				  "ignored: '%s' is a Samba module option", key);
		else
			fsmb_warn(p, p->line, "unknown option '%s', ignored",
				  key);
		return;
	}
	if (o->id == FSMB_OPT_IGNORED) {
		fsmb_warn(p, p->line, "ignored: '%s' has no effect in fsmb",
			  o->name);
		return;
	}
	if (o->id == FSMB_OPT_REFUSED) {
		fsmb_error(p, p->line, "'%s' %s", o->name, o->why);
		return;
	}
	if (o->where == FSMB_IN_GLOBAL && p->section != FSMB_SEC_GLOBAL) {
		fsmb_warn(p, p->line,
			  "'%s' is a [global] option, ignored in [%s]",
			  o->name, p->shares[p->nshares - 1].c.name);
		return;
	}
	if (o->where == FSMB_IN_GLOBAL)
		fsmb_global_opt(p, o, v);
	else
		fsmb_share_opt(p, o, v);
}

/* Characters Windows does not allow in share names. */
static bool fsmb_share_name_ok(const char *name)
{
	return !fsmb_has_ctrl(name) && !strpbrk(name, "\"/\\[]:|<>+=;,*?") &&
	       fsmb_utf8_fits(name, FSMB_SHARE_NAME_MAX);
}

static void fsmb_new_share(struct fsmb_parser *p, const char *name)
{
	struct fsmb_share_opts *s;
	size_t i;

	p->section = FSMB_SEC_SKIP;
	if (!fsmb_share_name_ok(name)) {
		fsmb_error(p, p->line,
			   "[%s]: share names are UTF-8 of at most %d characters, without control characters or any of \"/\\[]:|<>+=;,*?",
			   name, FSMB_SHARE_NAME_MAX);
		return;
	}
	for (i = 0; i < p->nshares; i++) {
		if (fsmb_utf8_name_eq(p->shares[i].c.name, name)) {
			fsmb_error(p, p->line,
				   "share [%s] already defined at line %u",
				   name, p->shares[i].line);
			return;
		}
	}
	if (p->nshares == FSMB_CONF_MAX_SHARES) {
		fsmb_error(p, p->line, "more than %d shares",
			   FSMB_CONF_MAX_SHARES);
		return;
	}
	if (p->nshares == p->cap_shares) {
		size_t cap = p->cap_shares ? 2 * p->cap_shares : 16;
		struct fsmb_share_opts *grown;

		grown = realloc(p->shares, cap * sizeof(*grown));
		if (!grown) {
			p->oom = true;
			return;
		}
		p->shares = grown;
		p->cap_shares = cap;
	}
	s = &p->shares[p->nshares];
	memset(s, 0, sizeof(*s));
	s->line = p->line;
	s->c.name = fsmb_strdup(p, name);
	if (!s->c.name)
		return;
	p->nshares++;
	p->section = FSMB_SEC_SHARE;
}

static void fsmb_section(struct fsmb_parser *p, char *s)
{
	char *end = strchr(s, ']'), *name, *r, *w;

	if (!end) {
		fsmb_error(p, p->line, "missing ']' after section name");
		p->section = FSMB_SEC_SKIP;
		return;
	}
	/* Samba ignores whatever follows the ']'. */
	*end = '\0';
	name = fsmb_trim(s + 1);
	/* Runs of blanks inside the name count as one space, as in Samba. */
	for (r = w = name; *r; r++) {
		if (isspace((unsigned char)*r)) {
			if (w > name && w[-1] == ' ')
				continue;
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	if (!*name) {
		fsmb_error(p, p->line, "empty section name");
		p->section = FSMB_SEC_SKIP;
	} else if (!strcasecmp(name, "global")) {
		p->section = FSMB_SEC_GLOBAL;
	} else if (!strcasecmp(name, "homes") ||
		   !strcasecmp(name, "printers")) {
		fsmb_warn(p, p->line, "[%s] is not supported, section ignored",
			  name);
		p->section = FSMB_SEC_SKIP;
	} else if (!strcasecmp(name, "IPC$")) {
		fsmb_error(p, p->line,
			   "[%s] is reserved: fsmb provides IPC$ itself", name);
		p->section = FSMB_SEC_SKIP;
	} else {
		fsmb_new_share(p, name);
	}
}

static void fsmb_parse_line(struct fsmb_parser *p)
{
	char *s = fsmb_trim(p->buf), *eq, *key;

	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		fsmb_section(p, s);
		return;
	}
	eq = strchr(s, '=');
	if (!eq) {
		fsmb_error(p, p->line,
			   "expected 'option = value' or '[section]'");
		return;
	}
	*eq = '\0';
	key = fsmb_trim(s);
	if (!*key) {
		fsmb_error(p, p->line, "missing option name before '='");
		return;
	}
	if (p->section == FSMB_SEC_NONE) {
		fsmb_error(p, p->line,
			   "option '%s' before any [section]; put it under [global]",
			   key);
		return;
	}
	if (p->section != FSMB_SEC_SKIP)
		fsmb_option(p, key, fsmb_trim(eq + 1));
}

static char **fsmb_dup_list(struct fsmb_parser *p, char **list, size_t n)
{
	char **d = calloc(n, sizeof(*d));
	size_t i;

	if (!d) {
		p->oom = true;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		d[i] = fsmb_strdup(p, list[i]);
		if (!d[i]) {
			fsmb_free_list(d, i);
			return NULL;
		}
	}
	return d;
}

/* Fill what @s did not set from [global], then from the built-in defaults. */
static void fsmb_finish_share(struct fsmb_parser *p, struct fsmb_share_opts *s)
{
	const struct fsmb_share_opts *d = &p->dflt;

	if (!(s->set & FSMB_SET_PATH))
		fsmb_error(p, s->line, "share [%s] has no 'path'", s->c.name);
	if (!(s->set & FSMB_SET_COMMENT))
		s->c.comment = fsmb_strdup(p, d->c.comment ? d->c.comment : "");
	if (!(s->set & FSMB_SET_READ_ONLY))
		s->c.read_only = d->set & FSMB_SET_READ_ONLY ?
				 d->c.read_only : true;
	if (!(s->set & FSMB_SET_BROWSEABLE))
		s->c.browseable = d->set & FSMB_SET_BROWSEABLE ?
				  d->c.browseable : true;
	if (!(s->set & FSMB_SET_GUEST_OK))
		s->c.guest_ok = d->set & FSMB_SET_GUEST_OK && d->c.guest_ok;
	if (!(s->set & FSMB_SET_VALID_USERS) && d->c.n_valid_users) {
		s->c.valid_users = fsmb_dup_list(p, d->c.valid_users,
						 d->c.n_valid_users);
		if (s->c.valid_users)
			s->c.n_valid_users = d->c.n_valid_users;
	}
}

/* The host name up to its first dot, upper-cased, as Samba derives it. */
static void fsmb_default_netbios_name(struct fsmb_parser *p)
{
	char host[256] = "";
	size_t i;

	if (gethostname(host, sizeof(host) - 1) || !host[0]) {
		fsmb_error(p, 0, "cannot read the host name; set 'netbios name'");
		return;
	}
	host[strcspn(host, ".")] = '\0';
	host[FSMB_NETBIOS_MAX] = '\0';
	for (i = 0; host[i]; i++)
		host[i] = toupper((unsigned char)host[i]);
	p->conf->netbios_name = fsmb_strdup(p, host);
}

static void fsmb_finish(struct fsmb_parser *p)
{
	struct fsmb_conf *conf = p->conf;
	size_t i;

	if (!conf->netbios_name)
		fsmb_default_netbios_name(p);
	if (conf->min_dialect > conf->max_dialect)
		fsmb_error(p, p->min_line > p->max_line ? p->min_line :
			   p->max_line,
			   "server min protocol (%#06x) is above server max protocol (%#06x)",
			   conf->min_dialect, conf->max_dialect);
	for (i = 0; i < p->nshares; i++)
		fsmb_finish_share(p, &p->shares[i]);
}

static void fsmb_share_clear(struct fsmb_share_conf *s)
{
	free(s->name);
	free(s->path);
	free(s->comment);
	fsmb_free_list(s->valid_users, s->n_valid_users);
}

static void fsmb_conf_defaults(struct fsmb_parser *p, const char *path)
{
	struct fsmb_conf *conf = p->conf;

	memset(conf, 0, sizeof(*conf));
	conf->file = fsmb_strdup(p, path);
	conf->workgroup = fsmb_strdup(p, FSMB_DEFAULT_WORKGROUP);
	conf->state_dir = fsmb_strdup(p, FSMB_DEFAULT_STATE_DIR);
	conf->guest_account = fsmb_strdup(p, FSMB_DEFAULT_GUEST);
	conf->ports[0] = FSMB_DEFAULT_PORT;
	conf->nports = 1;
	conf->min_dialect = FSMB_DIALECT_MIN;
	conf->max_dialect = FSMB_DIALECT_MAX;
	conf->signing = FSMB_SIGNING_AUTO;
	conf->max_ip_conns = FSMB_DEFAULT_MAX_IP_CONNS;
	conf->auth_timeout = FSMB_DEFAULT_AUTH_TIMEOUT;
	conf->idle_timeout = FSMB_DEFAULT_IDLE_TIMEOUT;
}

int fsmb_conf_load(const char *path, struct fsmb_conf *conf, FILE *diag)
{
	struct fsmb_parser p = {
		.file = path,
		.diag = diag,
		.conf = conf,
		.next_line = 1,
	};
	size_t i;

	fsmb_conf_defaults(&p, path);
	p.in = fopen(path, "re");
	if (!p.in) {
		fsmb_error(&p, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	fsmb_skip_bom(p.in);
	p.buf = malloc(FSMB_CONF_LINE_MAX + 1);
	if (!p.buf)
		p.oom = true;
	while (!p.oom && fsmb_read_line(&p) > 0)
		fsmb_parse_line(&p);
	fclose(p.in);
	free(p.buf);
	if (!p.oom)
		fsmb_finish(&p);
	if (p.oom)
		fsmb_error(&p, 0, "out of memory");
	if (p.errors)
		goto fail;
	conf->shares = calloc(p.nshares ? p.nshares : 1, sizeof(*conf->shares));
	if (!conf->shares) {
		fsmb_error(&p, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < p.nshares; i++)
		conf->shares[i] = p.shares[i].c;
	conf->nshares = p.nshares;
	free(p.shares);
	fsmb_share_clear(&p.dflt.c);
	return 0;
fail:
	for (i = 0; i < p.nshares; i++)
		fsmb_share_clear(&p.shares[i].c);
	free(p.shares);
	fsmb_share_clear(&p.dflt.c);
	fsmb_conf_free(conf);
	return -1;
}

void fsmb_conf_free(struct fsmb_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nshares; i++)
		fsmb_share_clear(&conf->shares[i]);
	free(conf->shares);
	free(conf->file);
	free(conf->netbios_name);
	free(conf->workgroup);
	free(conf->state_dir);
	free(conf->guest_account);
	memset(conf, 0, sizeof(*conf));
}

const struct fsmb_share_conf *fsmb_conf_find_share(const struct fsmb_conf *conf,
						   const char *name)
{
	size_t i;

	for (i = 0; i < conf->nshares; i++)
		if (fsmb_utf8_name_eq(conf->shares[i].name, name))
			return &conf->shares[i];
	return NULL;
}

/*
 * getpwnam_r() with a buffer grown until the entry fits. *@buf is the
 * caller's to free, also on failure.
 */
static bool fsmb_getpw(const char *name, struct passwd *pw, char **buf)
{
	size_t cap = 1024;
	struct passwd *res;
	int err;

	for (;;) {
		char *grown = realloc(*buf, cap);

		if (!grown)
			return false;
		*buf = grown;
		err = getpwnam_r(name, pw, *buf, cap, &res);
		if (err != ERANGE || cap >= 1 << 20)
			return !err && res;
		cap *= 2;
	}
}

static bool fsmb_getgr_gid(const char *name, gid_t *gid)
{
	size_t cap = 1024;
	struct group gr, *res;
	char *buf = NULL;
	bool found = false;
	int err;

	for (;;) {
		char *grown = realloc(buf, cap);

		if (!grown)
			break;
		buf = grown;
		err = getgrnam_r(name, &gr, buf, cap, &res);
		if (err != ERANGE || cap >= 1 << 20) {
			found = !err && res;
			if (found)
				*gid = gr.gr_gid;
			break;
		}
		cap *= 2;
	}
	free(buf);
	return found;
}

/*
 * Is the unix account of SMB user @user in unix group @group? SMB names
 * are case-insensitive and unix ones are not, so a name that is not found
 * as given is tried in lower case, as Samba does.
 */
static bool fsmb_user_in_group(const char *user, const char *group)
{
	struct passwd pw;
	char *buf = NULL, *lower = NULL;
	gid_t gid, *groups = NULL;
	int n = 32, i;
	bool in = false;

	if (!fsmb_getgr_gid(group, &gid))
		return false;
	if (!fsmb_getpw(user, &pw, &buf)) {
		lower = strdup(user);
		if (!lower)
			goto out;
		for (i = 0; lower[i]; i++)
			lower[i] = tolower((unsigned char)lower[i]);
		if (!fsmb_getpw(lower, &pw, &buf))
			goto out;
	}
	for (;;) {
		int want = n;
		gid_t *grown = realloc(groups, want * sizeof(*groups));

		if (!grown)
			goto out;
		groups = grown;
		if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) >= 0)
			break;
		/* Too small: n now holds the number needed. */
		if (n <= want)
			goto out;
	}
	for (i = 0; i < n && !in; i++)
		in = groups[i] == gid;
out:
	free(groups);
	free(lower);
	free(buf);
	return in;
}

bool fsmb_share_user_allowed(const struct fsmb_share_conf *share,
			     const char *user)
{
	size_t i;

	if (!share->n_valid_users)
		return true;
	for (i = 0; i < share->n_valid_users; i++) {
		const char *e = share->valid_users[i];

		if (e[0] == '@' || e[0] == '+') {
			if (fsmb_user_in_group(user, e + 1))
				return true;
		} else if (fsmb_utf8_name_eq(e, user)) {
			return true;
		}
	}
	return false;
}
