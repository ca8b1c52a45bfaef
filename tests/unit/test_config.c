// SPDX-License-Identifier: GPL-2.0
/*
 * fsmb.conf parser: good files (every option, defaults, Samba's syntax
 * rules), broken files (each error names the right file:line and the load
 * fails with the conf left empty) and warnings that do not fail the load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"

static char tmpdir[] = "/tmp/fsmb-test-config.XXXXXX";
static char conf_path[sizeof(tmpdir) + 16];

struct loaded {
	struct fsmb_conf conf;
	char *diag;
	size_t diag_len;
	int ret;
};

static void write_file(const char *text, size_t len)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Load @text as the config file; the diagnostics are kept in l->diag. */
static void load_bytes(struct loaded *l, const char *text, size_t len)
{
	FILE *diag;

	write_file(text, len);
	diag = open_memstream(&l->diag, &l->diag_len);
	assert_non_null(diag);
	l->ret = fsmb_conf_load(conf_path, &l->conf, diag);
	assert_int_equal(fclose(diag), 0);
}

static void load(struct loaded *l, const char *text)
{
	load_bytes(l, text, strlen(text));
}

static void unload(struct loaded *l)
{
	fsmb_conf_free(&l->conf);
	free(l->diag);
}

/* "PATH:LINE: LEVEL: " followed somewhere by @needle. */
static void assert_diag(const struct loaded *l, unsigned int line,
			const char *level, const char *needle)
{
	char prefix[256];
	const char *at;

	if (line)
		snprintf(prefix, sizeof(prefix), "%s:%u: %s: ", conf_path,
			 line, level);
	else
		snprintf(prefix, sizeof(prefix), "%s: %s: ", conf_path, level);
	at = strstr(l->diag, prefix);
	if (!at)
		fail_msg("no \"%s\" in diagnostics:\n%s", prefix, l->diag);
	if (!strstr(at, needle))
		fail_msg("no \"%s\" after \"%s\" in diagnostics:\n%s", needle,
			 prefix, l->diag);
}

static void load_ok(struct loaded *l, const char *text)
{
	load(l, text);
	if (l->ret)
		fail_msg("load failed:\n%s", l->diag);
}

static void test_defaults(void **state)
{
	struct loaded l;
	char host[256] = "";
	size_t i;

	load_ok(&l, "[global]\n");
	assert_string_equal(l.diag, "");
	assert_string_equal(l.conf.file, conf_path);
	assert_string_equal(l.conf.workgroup, "WORKGROUP");
	assert_string_equal(l.conf.state_dir, "/var/lib/fsmb");
	assert_string_equal(l.conf.guest_account, "nobody");
	assert_int_equal(l.conf.nports, 1);
	assert_int_equal(l.conf.ports[0], 445);
	assert_int_equal(l.conf.min_dialect, 0x0202);
	assert_int_equal(l.conf.max_dialect, 0x0311);
	assert_int_equal(l.conf.signing, FSMB_SIGNING_AUTO);
	assert_int_equal(l.conf.max_ip_conns, 64);
	assert_int_equal(l.conf.auth_timeout, 60);
	assert_int_equal(l.conf.idle_timeout, 900);
	assert_int_equal(l.conf.nshares, 0);
	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	host[strcspn(host, ".")] = '\0';
	host[15] = '\0';
	for (i = 0; host[i]; i++)
		if (host[i] >= 'a' && host[i] <= 'z')
			host[i] -= 'a' - 'A';
	assert_string_equal(l.conf.netbios_name, host);
	unload(&l);
}

static void test_every_option(void **state)
{
	struct loaded l;
	const struct fsmb_share_conf *s;

	load_ok(&l,
		"# fsmb test\n"
		"[global]\n"
		"\tnetbios name = fileserver\n"
		"\tworkgroup = example\n"
		"\tsmb ports = 445 8445\n"
		"\tserver min protocol = SMB2_10\n"
		"\tserver max protocol = SMB3_02\n"
		"\tserver signing = mandatory\n"
		"\tstate directory = /srv/fsmb/state/\n"
		"\tguest account = smbguest\n"
		"\tmax ip connections = 8\n"
		"\tauth timeout = 15\n"
		"\tidle timeout = 0\n"
		"\n"
		"[Data]\n"
		"\tpath = /srv/data\n"
		"\tcomment = Team data\n"
		"\tread only = no\n"
		"\tbrowseable = no\n"
		"\tvalid users = alice, bob @staff +admins\n"
		"\tguest ok = yes\n");
	assert_string_equal(l.diag, "");
	assert_string_equal(l.conf.netbios_name, "FILESERVER");
	assert_string_equal(l.conf.workgroup, "EXAMPLE");
	assert_int_equal(l.conf.nports, 2);
	assert_int_equal(l.conf.ports[0], 445);
	assert_int_equal(l.conf.ports[1], 8445);
	assert_int_equal(l.conf.min_dialect, 0x0210);
	assert_int_equal(l.conf.max_dialect, 0x0302);
	assert_int_equal(l.conf.signing, FSMB_SIGNING_MANDATORY);
	assert_string_equal(l.conf.state_dir, "/srv/fsmb/state");
	assert_string_equal(l.conf.guest_account, "smbguest");
	assert_int_equal(l.conf.max_ip_conns, 8);
	assert_int_equal(l.conf.auth_timeout, 15);
	assert_int_equal(l.conf.idle_timeout, 0);
	assert_int_equal(l.conf.nshares, 1);
	s = &l.conf.shares[0];
	assert_string_equal(s->name, "Data");
	assert_string_equal(s->path, "/srv/data");
	assert_string_equal(s->comment, "Team data");
	assert_false(s->read_only);
	assert_false(s->browseable);
	assert_true(s->guest_ok);
	assert_int_equal(s->n_valid_users, 4);
	assert_string_equal(s->valid_users[0], "alice");
	assert_string_equal(s->valid_users[1], "bob");
	assert_string_equal(s->valid_users[2], "@staff");
	assert_string_equal(s->valid_users[3], "+admins");
	unload(&l);
}

static void test_share_defaults(void **state)
{
	struct loaded l;
	const struct fsmb_share_conf *s;

	load_ok(&l, "[global]\n[pub]\npath = /\n");
	s = &l.conf.shares[0];
	assert_string_equal(s->path, "/");
	assert_string_equal(s->comment, "");
	assert_true(s->read_only);
	assert_true(s->browseable);
	assert_false(s->guest_ok);
	assert_null(s->valid_users);
	assert_int_equal(s->n_valid_users, 0);
	unload(&l);
}

static void test_synonyms(void **state)
{
	struct loaded l;

	load_ok(&l,
		"[global]\n"
		"min protocol = SMB3_00\n"
		"max protocol = SMB3_11\n"
		"[a]\ndirectory = /a\nwritable = yes\nbrowsable = no\npublic = yes\n"
		"[b]\npath = /b\nwriteable = true\n"
		"[c]\npath = /c\nwrite ok = 1\n"
		"[d]\npath = /d\nwritable = off\n");
	assert_int_equal(l.conf.min_dialect, 0x0300);
	assert_int_equal(l.conf.max_dialect, 0x0311);
	assert_int_equal(l.conf.nshares, 4);
	assert_string_equal(l.conf.shares[0].path, "/a");
	assert_false(l.conf.shares[0].read_only);
	assert_false(l.conf.shares[0].browseable);
	assert_true(l.conf.shares[0].guest_ok);
	assert_false(l.conf.shares[1].read_only);
	assert_false(l.conf.shares[2].read_only);
	assert_true(l.conf.shares[3].read_only);
	unload(&l);

	load_ok(&l, "[global]\nprotocol = SMB2_10\n");
	assert_int_equal(l.conf.max_dialect, 0x0210);
	unload(&l);
}

/* Samba ignores case, blanks and '_' in option names. */
static void test_key_spelling(void **state)
{
	static const char *const spellings[] = {
		"server min protocol", "SERVER MIN PROTOCOL",
		"servermin protocol", "serverminprotocol",
		"Server_Min_Protocol", "  server \t min   protocol ",
	};
	struct loaded l;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		snprintf(text, sizeof(text),
			 "[GLOBAL]\n%s = SMB3_02\n[s]\nPATH=/s\nRead Only=No\n",
			 spellings[i]);
		load_ok(&l, text);
		assert_string_equal(l.diag, "");
		assert_int_equal(l.conf.min_dialect, 0x0302);
		assert_false(l.conf.shares[0].read_only);
		unload(&l);
	}
}

static void test_booleans(void **state)
{
	static const struct {
		const char *v;
		bool b;
	} values[] = {
		{ "yes", true }, { "YES", true }, { "true", true },
		{ "True", true }, { "1", true }, { "on", true },
		{ "no", false }, { "No", false }, { "false", false },
		{ "0", false }, { "off", false }, { "OFF", false },
	};
	struct loaded l;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(text, sizeof(text), "[s]\npath=/s\nguest ok = %s\n",
			 values[i].v);
		load_ok(&l, text);
		assert_int_equal(l.conf.shares[0].guest_ok, values[i].b);
		unload(&l);
	}
}

static void test_comments_and_continuation(void **state)
{
	struct loaded l;

	load_ok(&l,
		"; Samba-style comment\n"
		"  # indented comment \\\n"
		"[global]\n"
		"smb ports = 445 \\\n"
		"   139\n"
		"\n"
		"[s]\n"
		"path = /srv/\\\n"
		"share\n"
		"comment = one ; not a comment # nor this\n"
		"valid users = a, \\\n"
		"  b, \\\n"
		"  c\n"
		"bogus option = 1\n");
	assert_int_equal(l.conf.nports, 2);
	assert_int_equal(l.conf.ports[1], 139);
	assert_string_equal(l.conf.shares[0].path, "/srv/share");
	assert_string_equal(l.conf.shares[0].comment,
			    "one ; not a comment # nor this");
	assert_int_equal(l.conf.shares[0].n_valid_users, 3);
	assert_string_equal(l.conf.shares[0].valid_users[2], "c");
	/* Lines are counted through continuations. */
	assert_diag(&l, 14, "warning", "unknown option 'bogus option'");
	unload(&l);
}

/* Values are trimmed, and quotes are text, as in Samba. */
static void test_values_verbatim(void **state)
{
	struct loaded l;

	load_ok(&l, "[s]\n  path   =   /x y  \ncomment=\"quoted\"  \n");
	assert_string_equal(l.conf.shares[0].path, "/x y");
	assert_string_equal(l.conf.shares[0].comment, "\"quoted\"");
	unload(&l);
}

static void test_bom_crlf(void **state)
{
	struct loaded l;

	load_ok(&l, "\xEF\xBB\xBF[global]\r\nworkgroup = crlf\r\n"
		"[s]\r\npath = /s\r\n");
	assert_string_equal(l.conf.workgroup, "CRLF");
	assert_string_equal(l.conf.shares[0].path, "/s");
	unload(&l);
}

static void test_ports(void **state)
{
	struct loaded l;

	load_ok(&l, "[global]\nsmb ports = 445,139;8445\t 1 ,65535\n");
	assert_int_equal(l.conf.nports, 5);
	assert_int_equal(l.conf.ports[0], 445);
	assert_int_equal(l.conf.ports[1], 139);
	assert_int_equal(l.conf.ports[2], 8445);
	assert_int_equal(l.conf.ports[3], 1);
	assert_int_equal(l.conf.ports[4], 65535);
	unload(&l);

	load_ok(&l, "[global]\nsmb ports = 1 2 3 4 5 6 7 8\n");
	assert_int_equal(l.conf.nports, FSMB_MAX_PORTS);
	unload(&l);
}

static void test_protocols(void **state)
{
	static const struct {
		const char *v;
		uint16_t min, max;
	} values[] = {
		{ "SMB2_02", 0x0202, 0x0202 }, { "smb2_10", 0x0210, 0x0210 },
		{ "SMB3_00", 0x0300, 0x0300 }, { "SMB3_02", 0x0302, 0x0302 },
		{ "SMB3_11", 0x0311, 0x0311 },
		/* Samba: SMB2 is SMB2_10 and SMB3 is SMB3_11, min or max. */
		{ "SMB2", 0x0210, 0x0210 }, { "SMB3", 0x0311, 0x0311 },
		{ "default", 0x0202, 0x0311 },
	};
	struct loaded l;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(text, sizeof(text), "[global]\nserver min protocol = %s\n",
			 values[i].v);
		load_ok(&l, text);
		assert_int_equal(l.conf.min_dialect, values[i].min);
		unload(&l);
		snprintf(text, sizeof(text), "[global]\nserver max protocol = %s\n",
			 values[i].v);
		load_ok(&l, text);
		assert_int_equal(l.conf.max_dialect, values[i].max);
		unload(&l);
	}
}

static void test_signing(void **state)
{
	static const struct {
		const char *v;
		enum fsmb_signing s;
		bool warns;
	} values[] = {
		{ "auto", FSMB_SIGNING_AUTO, false },
		{ "default", FSMB_SIGNING_AUTO, false },
		{ "if_required", FSMB_SIGNING_AUTO, false },
		{ "mandatory", FSMB_SIGNING_MANDATORY, false },
		{ "Required", FSMB_SIGNING_MANDATORY, false },
		{ "disabled", FSMB_SIGNING_AUTO, true },
		{ "off", FSMB_SIGNING_AUTO, true },
	};
	struct loaded l;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(text, sizeof(text), "[global]\nserver signing = %s\n",
			 values[i].v);
		load_ok(&l, text);
		assert_int_equal(l.conf.signing, values[i].s);
		if (values[i].warns)
			assert_diag(&l, 2, "warning", "cannot disable signing");
		else
			assert_string_equal(l.diag, "");
		unload(&l);
	}
}

/* Share options in [global] are defaults for every share, as in Samba. */
static void test_global_share_defaults(void **state)
{
	struct loaded l;
	const struct fsmb_share_conf *a, *b;

	load_ok(&l,
		"[a]\npath = /a\n"
		"[global]\nread only = no\nguest ok = yes\n"
		"valid users = @staff\ncomment = default\npath = /nowhere\n"
		"[b]\npath = /b\nread only = yes\nvalid users = carol\n");
	assert_diag(&l, 8, "warning", "'path' in [global] ignored");
	a = fsmb_conf_find_share(&l.conf, "a");
	b = fsmb_conf_find_share(&l.conf, "b");
	assert_non_null(a);
	assert_non_null(b);
	assert_false(a->read_only);
	assert_true(a->guest_ok);
	assert_string_equal(a->comment, "default");
	assert_int_equal(a->n_valid_users, 1);
	assert_string_equal(a->valid_users[0], "@staff");
	assert_true(b->read_only);
	assert_true(b->guest_ok);
	assert_int_equal(b->n_valid_users, 1);
	assert_string_equal(b->valid_users[0], "carol");
	unload(&l);
}

/* Repeated [global] sections add up; a repeated option takes the last value. */
static void test_repeats(void **state)
{
	struct loaded l;

	load_ok(&l, "[global]\nworkgroup = one\n[s]\npath=/s\npath=/t\n"
		"[Global]\nworkgroup = two\n");
	assert_string_equal(l.conf.workgroup, "TWO");
	assert_string_equal(l.conf.shares[0].path, "/t");
	unload(&l);
}

static void test_warnings(void **state)
{
	struct loaded l;

	load_ok(&l,
		"[global]\n"
		"no such option = 1\n"
		"server string = Samba %v\n"
		"log level = 3\n"
		"fruit:metadata = stream\n"
		"[homes]\n"
		"anything = at all\n"
		"[printers]\n"
		"path = /var/spool\n"
		"[s]\n"
		"path = /s\n"
		"workgroup = X\n"
		"map to guest = bad user\n");
	assert_diag(&l, 2, "warning", "unknown option 'no such option'");
	assert_diag(&l, 3, "warning", "ignored: 'server string'");
	assert_diag(&l, 4, "warning", "ignored: 'log level'");
	assert_diag(&l, 5, "warning", "ignored: 'fruit:metadata'");
	assert_diag(&l, 6, "warning", "[homes] is not supported");
	assert_diag(&l, 8, "warning", "[printers] is not supported");
	assert_diag(&l, 12, "warning", "'workgroup' is a [global] option");
	assert_diag(&l, 13, "warning", "ignored: 'map to guest'");
	/* Nothing inside the skipped sections is looked at. */
	assert_null(strstr(l.diag, ":7:"));
	assert_null(strstr(l.diag, ":9:"));
	assert_null(strstr(l.diag, "error"));
	assert_string_equal(l.conf.workgroup, "WORKGROUP");
	assert_int_equal(l.conf.nshares, 1);
	assert_string_equal(l.conf.shares[0].name, "s");
	unload(&l);
}

static void test_find_share(void **state)
{
	struct loaded l;

	load_ok(&l, "[Données]\npath = /d\n[My  Share ]\npath = /m\n");
	assert_non_null(fsmb_conf_find_share(&l.conf, "DONNÉES"));
	assert_non_null(fsmb_conf_find_share(&l.conf, "données"));
	/* Runs of blanks in a section name count as one. */
	assert_non_null(fsmb_conf_find_share(&l.conf, "my share"));
	assert_null(fsmb_conf_find_share(&l.conf, "Donnees"));
	assert_null(fsmb_conf_find_share(&l.conf, "IPC$"));
	unload(&l);
}

static void test_user_allowed(void **state)
{
	struct loaded l;
	const struct fsmb_share_conf *s;

	load_ok(&l,
		"[open]\npath = /o\n"
		"[names]\npath = /n\nvalid users = Alice, Ødegård\n"
		"[group]\npath = /g\nvalid users = @root\n"
		"[plus]\npath = /p\nvalid users = +root\n"
		"[other]\npath = /x\nvalid users = @nogroup @no-such-group-fsmb\n");
	s = fsmb_conf_find_share(&l.conf, "open");
	assert_true(fsmb_share_user_allowed(s, "anyone"));
	s = fsmb_conf_find_share(&l.conf, "names");
	assert_true(fsmb_share_user_allowed(s, "alice"));
	assert_true(fsmb_share_user_allowed(s, "ALICE"));
	assert_true(fsmb_share_user_allowed(s, "ødegÅrd"));
	assert_false(fsmb_share_user_allowed(s, "bob"));
	assert_false(fsmb_share_user_allowed(s, "alic"));
	/* root is in group root (its primary group) on every Linux system. */
	s = fsmb_conf_find_share(&l.conf, "group");
	assert_true(fsmb_share_user_allowed(s, "root"));
	assert_true(fsmb_share_user_allowed(s, "ROOT"));
	assert_false(fsmb_share_user_allowed(s, "no-such-user-fsmb"));
	s = fsmb_conf_find_share(&l.conf, "plus");
	assert_true(fsmb_share_user_allowed(s, "root"));
	s = fsmb_conf_find_share(&l.conf, "other");
	assert_false(fsmb_share_user_allowed(s, "root"));
	unload(&l);
}

static void test_share_limit(void **state)
{
	size_t cap = 1100 * 32, len = 0, i;
	char *text = malloc(cap);
	struct loaded l;

	assert_non_null(text);
	for (i = 0; i < 1024; i++)
		len += snprintf(text + len, cap - len, "[s%zu]\npath=/s\n", i);
	load_ok(&l, text);
	assert_int_equal(l.conf.nshares, 1024);
	unload(&l);
	snprintf(text + len, cap - len, "[one too many]\npath=/s\n");
	load(&l, text);
	assert_int_equal(l.ret, -1);
	assert_diag(&l, 2049, "error", "more than 1024 shares");
	unload(&l);
	free(text);
}

static void test_long_line(void **state)
{
	size_t n = 70000;
	char *text = malloc(n + 64);
	struct loaded l;
	size_t head;

	assert_non_null(text);
	strcpy(text, "[s]\npath = /s\ncomment = ");
	head = strlen(text);
	memset(text + head, 'x', n);
	strcpy(text + head + n, "\n");
	load(&l, text);
	assert_int_equal(l.ret, -1);
	assert_diag(&l, 3, "error", "line longer than 65536 bytes");
	unload(&l);
	free(text);
}

static void test_nul_byte(void **state)
{
	static const char text[] = "[s]\npath = /s\0x\n";
	struct loaded l;

	load_bytes(&l, text, sizeof(text) - 1);
	assert_int_equal(l.ret, -1);
	assert_diag(&l, 2, "error", "NUL byte");
	unload(&l);
}

static void test_missing_file(void **state)
{
	struct fsmb_conf conf;
	char *diag = NULL, want[256];
	size_t diag_len;
	FILE *f = open_memstream(&diag, &diag_len);

	assert_non_null(f);
	unlink(conf_path);
	assert_int_equal(fsmb_conf_load(conf_path, &conf, f), -1);
	fclose(f);
	snprintf(want, sizeof(want), "%s: error: cannot open: ", conf_path);
	assert_non_null(strstr(diag, want));
	assert_null(conf.file);
	assert_null(conf.shares);
	free(diag);
}

/* All errors of a file are reported in one pass. */
static void test_all_errors_reported(void **state)
{
	struct loaded l;

	load(&l, "[global]\nsmb ports = 0\nworkgroup = x\n[s]\nread only = maybe\n"
		 "[t]\npath = relative\n");
	assert_int_equal(l.ret, -1);
	assert_diag(&l, 2, "error", "not a port number");
	assert_diag(&l, 5, "error", "expected yes or no");
	assert_diag(&l, 4, "error", "share [s] has no 'path'");
	assert_diag(&l, 7, "error", "not an absolute path");
	unload(&l);
}

struct broken {
	const char *name;
	const char *text;
	unsigned int line;
	const char *needle;
};

static const struct broken broken_files[] = {
	{ "option before any section", "# c\n\nworkgroup = x\n[global]\n", 3,
	  "before any [section]" },
	{ "line without '='", "[global]\nworkgroup\n", 2,
	  "expected 'option = value'" },
	{ "missing option name", "[global]\n = x\n", 2, "missing option name" },
	{ "unterminated section", "[global\n", 1, "missing ']'" },
	{ "empty section name", "[ ]\n", 1, "empty section name" },
	{ "share without path", "[global]\n\n[data]\ncomment = x\n", 3,
	  "share [data] has no 'path'" },
	{ "relative path", "[s]\npath = srv/s\n", 2, "not an absolute path" },
	{ "empty path", "[s]\npath =\n", 2, "not an absolute path" },
	{ "path substitution", "[s]\npath = /home/%U\n", 2,
	  "substitutions are not supported" },
	{ "duplicate share", "[Data]\npath=/a\n[global]\n[DATA]\npath=/b\n", 4,
	  "already defined at line 1" },
	{ "share named IPC$", "[ipc$]\npath = /x\n", 1, "reserved" },
	{ "bad share name", "[a/b]\npath = /x\n", 1, "share names" },
	{ "share name too long",
	  "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\npath=/x\n",
	  1, "at most 80 characters" },
	{ "share name not UTF-8", "[\xff]\npath=/x\n", 1, "share names" },
	{ "bad boolean", "[s]\npath=/s\nread only = maybe\n", 3,
	  "'read only': expected yes or no, got 'maybe'" },
	{ "SMB1 min protocol", "[global]\nserver min protocol = NT1\n", 2,
	  "SMB1 is not served" },
	{ "SMB1 max protocol", "[global]\nmax protocol = LANMAN2\n", 2,
	  "SMB1 is not served" },
	{ "CORE protocol", "[global]\nserver min protocol = core\n", 2,
	  "SMB1 is not served" },
	{ "unknown protocol", "[global]\nserver max protocol = SMB4\n", 2,
	  "unknown protocol 'SMB4'" },
	{ "min above max",
	  "[global]\nserver max protocol = SMB2_10\n\nserver min protocol = SMB3_00\n",
	  4, "server min protocol (0x0300) is above server max protocol (0x0210)" },
	{ "max below default min", "[global]\n\nserver max protocol = SMB2_02\n"
	  "server min protocol = SMB2_10\n", 4, "is above" },
	{ "port zero", "[global]\nsmb ports = 0\n", 2, "'0' is not a port number" },
	{ "port too big", "[global]\nsmb ports = 445 65536\n", 2,
	  "'65536' is not a port number" },
	{ "port not a number", "[global]\nsmb ports = 44x\n", 2,
	  "'44x' is not a port number" },
	{ "negative port", "[global]\nsmb ports = -1\n", 2,
	  "'-1' is not a port number" },
	{ "too many ports", "[global]\nsmb ports = 1 2 3 4 5 6 7 8 9\n", 2,
	  "more than 8 ports" },
	{ "duplicate port", "[global]\nsmb ports = 445, 445\n", 2,
	  "port 445 listed twice" },
	{ "no port", "[global]\nsmb ports = , \n", 2, "no port given" },
	{ "bad signing", "[global]\nserver signing = sometimes\n", 2,
	  "unknown value 'sometimes'" },
	{ "netbios name too long",
	  "[global]\nnetbios name = averyveryverylongname\n", 2,
	  "1 to 15 characters" },
	{ "netbios name with '/'", "[global]\nnetbios name = a/b\n", 2,
	  "NetBIOS names cannot hold" },
	{ "empty workgroup", "[global]\nworkgroup =\n", 2, "1 to 15 characters" },
	{ "relative state directory", "[global]\nstate directory = var\n", 2,
	  "not an absolute path" },
	{ "bad guest account", "[global]\nguest account = a:b\n", 2,
	  "not a valid name" },
	{ "max ip connections not a number",
	  "[global]\nmax ip connections = many\n", 2,
	  "'many' is not a number from 0 to 65535" },
	{ "max ip connections too big",
	  "[global]\nmax ip connections = 65536\n", 2,
	  "is not a number from 0 to 65535" },
	{ "negative max ip connections",
	  "[global]\nmax ip connections = -1\n", 2, "is not a number" },
	{ "auth timeout zero", "[global]\nauth timeout = 0\n", 2,
	  "'0' is not a number from 1 to 3600" },
	{ "auth timeout too long", "[global]\nauth timeout = 3601\n", 2,
	  "from 1 to 3600" },
	{ "auth timeout with a unit", "[global]\nauth timeout = 60s\n", 2,
	  "'60s' is not a number" },
	{ "idle timeout overflow",
	  "[global]\nidle timeout = 99999999999999999999999\n", 2,
	  "is not a number from 0 to 604800" },
	{ "empty idle timeout", "[global]\nidle timeout =\n", 2,
	  "is not a number" },
	{ "netgroup in valid users", "[s]\npath=/s\nvalid users = &ng\n", 3,
	  "netgroups" },
	{ "substitution in valid users", "[s]\npath=/s\nvalid users = %S\n", 3,
	  "substitutions" },
	{ "empty group in valid users", "[s]\npath=/s\nvalid users = a @\n", 3,
	  "'@' is not a valid name" },
	{ "hosts allow", "[s]\npath=/s\nhosts allow = 10.0.0.0/8\n", 3,
	  "'hosts allow' is not supported" },
	{ "hosts deny", "[global]\nhosts deny = ALL\n", 2,
	  "'hosts deny' is not supported" },
	{ "invalid users", "[s]\npath=/s\ninvalid users = root\n", 3,
	  "'invalid users' is not supported" },
	{ "include", "[global]\ninclude = /etc/fsmb/more.conf\n", 2,
	  "'include' is not supported" },
	{ "comment with control character", "[s]\npath=/s\ncomment = a\tb\n",
	  3, "UTF-8 text" },
};

static void test_broken(void **state)
{
	const struct broken *b = *state;
	struct loaded l;

	load(&l, b->text);
	assert_int_equal(l.ret, -1);
	assert_diag(&l, b->line, "error", b->needle);
	/* A failed load leaves nothing behind. */
	assert_null(l.conf.file);
	assert_null(l.conf.shares);
	assert_null(l.conf.workgroup);
	assert_int_equal(l.conf.nshares, 0);
	unload(&l);
}

static int group_setup(void **state)
{
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(conf_path, sizeof(conf_path), "%s/fsmb.conf", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	unlink(conf_path);
	return rmdir(tmpdir);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_share_defaults),
		cmocka_unit_test(test_synonyms),
		cmocka_unit_test(test_key_spelling),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_comments_and_continuation),
		cmocka_unit_test(test_values_verbatim),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_signing),
		cmocka_unit_test(test_global_share_defaults),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_find_share),
		cmocka_unit_test(test_user_allowed),
		cmocka_unit_test(test_share_limit),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_all_errors_reported),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	size_t nbroken = sizeof(broken_files) / sizeof(broken_files[0]);
	struct CMUnitTest tests[sizeof(fixed) / sizeof(fixed[0]) +
				sizeof(broken_files) / sizeof(broken_files[0])];
	size_t i;

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < nbroken; i++) {
		tests[nfixed + i] = (struct CMUnitTest) {
			.name = broken_files[i].name,
			.test_func = test_broken,
			.initial_state = (void *)&broken_files[i],
		};
	}
	return _cmocka_run_group_tests("config", tests, nfixed + nbroken,
				       group_setup, group_teardown);
}
