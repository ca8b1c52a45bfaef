// SPDX-License-Identifier: GPL-2.0
/*
 * The users file (add, lookup, replace, delete, list; its mode and that it
 * never holds a password), the NT hash, and the UTF-8/UTF-16 helpers the
 * hash and NTLM rely on.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/fsmb.h>
#include <nettle/md4.h>

#include "users.h"
#include "utf16.h"

static char tmpdir[] = "/tmp/fsmb-test-users.XXXXXX";
/* A state directory that does not exist yet: the first write creates it. */
static char state_dir[sizeof(tmpdir) + 16];
static char users_path[sizeof(state_dir) + 16];

static void hex_to_bytes(const char *hex, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = b;
	}
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(f);
	assert_non_null(buf);
	fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

static void write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	snprintf(state_dir, sizeof(state_dir), "%s/state", tmpdir);
	snprintf(users_path, sizeof(users_path), "%s/users", state_dir);
	return 0;
}

static int teardown(void **state)
{
	char path[sizeof(state_dir) + 16];

	unlink(users_path);
	snprintf(path, sizeof(path), "%s/users.lock", state_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/users.tmp", state_dir);
	unlink(path);
	rmdir(state_dir);
	return 0;
}

/* MS-NLMP 4.2.1: NTOWFv1("Password"). */
static void test_nt_hash_vector(void **state)
{
	uint8_t hash[FSMB_NT_HASH_LEN], want[FSMB_NT_HASH_LEN];

	assert_int_equal(fsmb_nt_hash("Password", hash), 0);
	hex_to_bytes("a4f49c406510bdcab6824ee7c30fd852", want, sizeof(want));
	assert_memory_equal(hash, want, sizeof(want));
	assert_int_equal(fsmb_nt_hash("", hash), 0);
	hex_to_bytes("31d6cfe0d16ae931b73c59d7e0c089c0", want, sizeof(want));
	assert_memory_equal(hash, want, sizeof(want));
}

/* The hash is of UTF-16LE, surrogate pairs included. */
static void test_nt_hash_unicode(void **state)
{
	static const uint8_t u16[] = { 0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE };
	uint8_t hash[FSMB_NT_HASH_LEN], want[FSMB_NT_HASH_LEN];
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, sizeof(u16), u16);
	md4_digest(&ctx, sizeof(want), want);
	assert_int_equal(fsmb_nt_hash("\xC3\xA9\xF0\x9F\x98\x80", hash), 0);
	assert_memory_equal(hash, want, sizeof(want));
	assert_int_equal(fsmb_nt_hash("\xC3", hash), -EINVAL);
	assert_int_equal(fsmb_nt_hash("\xED\xA0\x80", hash), -EINVAL);
}

static void test_add_lookup(void **state)
{
	uint8_t hash[FSMB_NT_HASH_LEN], want[FSMB_NT_HASH_LEN];
	struct stat st;

	assert_int_equal(fsmb_users_lookup(state_dir, "alice", hash), -ENOENT);
	assert_int_equal(fsmb_users_set(state_dir, "alice", "Password"), 0);
	assert_int_equal(stat(state_dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(users_path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	fsmb_nt_hash("Password", want);
	assert_int_equal(fsmb_users_lookup(state_dir, "alice", hash), 0);
	assert_memory_equal(hash, want, sizeof(want));
	/* SMB user names are case-insensitive. */
	memset(hash, 0, sizeof(hash));
	assert_int_equal(fsmb_users_lookup(state_dir, "ALICE", hash), 0);
	assert_memory_equal(hash, want, sizeof(want));
	assert_int_equal(fsmb_users_lookup(state_dir, "alic", hash), -ENOENT);
	assert_int_equal(fsmb_users_lookup(state_dir, "alicea", hash), -ENOENT);
}

static void test_no_plaintext(void **state)
{
	static const char pw[] = "Sup3r-s3cret-pässword";
	uint8_t hash[FSMB_NT_HASH_LEN];
	char want[64];
	char *text;
	size_t i;

	assert_int_equal(fsmb_users_set(state_dir, "bob", pw), 0);
	text = read_all(users_path);
	assert_null(strstr(text, pw));
	assert_null(strstr(text, "s3cret"));
	/* Only the name and the NT hash. */
	fsmb_nt_hash(pw, hash);
	strcpy(want, "bob:");
	for (i = 0; i < sizeof(hash); i++)
		sprintf(want + 4 + 2 * i, "%02x", hash[i]);
	strcat(want, "\n");
	assert_string_equal(text, want);
	free(text);
}

static void test_replace(void **state)
{
	uint8_t hash[FSMB_NT_HASH_LEN], want[FSMB_NT_HASH_LEN];
	char *text;

	assert_int_equal(fsmb_users_set(state_dir, "carol", "one"), 0);
	assert_int_equal(fsmb_users_set(state_dir, "dave", "two"), 0);
	assert_int_equal(fsmb_users_set(state_dir, "Carol", "three"), 0);
	fsmb_nt_hash("three", want);
	assert_int_equal(fsmb_users_lookup(state_dir, "carol", hash), 0);
	assert_memory_equal(hash, want, sizeof(want));
	/* Replaced in place, with the new spelling, and only once. */
	text = read_all(users_path);
	assert_int_equal(strncmp(text, "Carol:", 6), 0);
	assert_null(strstr(text, "carol:"));
	assert_non_null(strstr(text, "\ndave:"));
	assert_int_equal(strlen(text), 2 * (1 + 2 * FSMB_NT_HASH_LEN + 1) + 5 + 4);
	free(text);
}

static int collect(const char *name, void *arg)
{
	char *list = arg;

	strcat(list, name);
	strcat(list, ",");
	return 0;
}

static int stop_at_second(const char *name, void *arg)
{
	int *n = arg;

	return ++*n == 2 ? 42 : 0;
}

static void test_del_list(void **state)
{
	uint8_t hash[FSMB_NT_HASH_LEN];
	char list[256] = "";
	int n = 0;

	assert_int_equal(fsmb_users_foreach(state_dir, collect, list), 0);
	assert_string_equal(list, "");
	assert_int_equal(fsmb_users_del(state_dir, "x"), -ENOENT);
	assert_int_equal(fsmb_users_set(state_dir, "erin", "a"), 0);
	assert_int_equal(fsmb_users_set(state_dir, "frank", "b"), 0);
	assert_int_equal(fsmb_users_set(state_dir, "grace", "c"), 0);
	assert_int_equal(fsmb_users_foreach(state_dir, collect, list), 0);
	assert_string_equal(list, "erin,frank,grace,");
	assert_int_equal(fsmb_users_foreach(state_dir, stop_at_second, &n), 42);
	assert_int_equal(n, 2);
	assert_int_equal(fsmb_users_del(state_dir, "FRANK"), 0);
	assert_int_equal(fsmb_users_lookup(state_dir, "frank", hash), -ENOENT);
	assert_int_equal(fsmb_users_del(state_dir, "frank"), -ENOENT);
	list[0] = '\0';
	assert_int_equal(fsmb_users_foreach(state_dir, collect, list), 0);
	assert_string_equal(list, "erin,grace,");
	assert_int_equal(fsmb_users_lookup(state_dir, "grace", hash), 0);
}

static void test_invalid_names(void **state)
{
	static const char *const bad[] = {
		"", "a:b", "tab\there", "new\nline", "del\x7f", "\xff\xfe",
		"\xC0\xAF",
	};
	char longest[FSMB_MAX_NAME + 1];
	uint8_t hash[FSMB_NT_HASH_LEN];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fsmb_users_set(state_dir, bad[i], "pw"), -EINVAL);
		assert_int_equal(fsmb_users_lookup(state_dir, bad[i], hash),
				 -ENOENT);
	}
	memset(longest, 'n', FSMB_MAX_NAME);
	longest[FSMB_MAX_NAME] = '\0';
	assert_int_equal(fsmb_users_set(state_dir, longest, "pw"), -EINVAL);
	longest[FSMB_MAX_NAME - 1] = '\0';
	assert_int_equal(fsmb_users_set(state_dir, longest, "pw"), 0);
	assert_int_equal(fsmb_users_lookup(state_dir, longest, hash), 0);
	assert_int_equal(fsmb_users_set(state_dir, "Ødegård", "pw"), 0);
	assert_int_equal(fsmb_users_lookup(state_dir, "øDEGÅRD", hash), 0);
	/* A password that is not UTF-8 is refused too. */
	assert_int_equal(fsmb_users_set(state_dir, "ok", "\xff"), -EINVAL);
}

/* A damaged file is reported, never silently rewritten. */
static void test_damaged_file(void **state)
{
	static const char damaged[] =
		"ok:a4f49c406510bdcab6824ee7c30fd852\nthis is not a user\n";
	uint8_t hash[FSMB_NT_HASH_LEN];
	char list[64] = "";
	char *text;

	assert_int_equal(mkdir(state_dir, 0700), 0);
	write_all(users_path, damaged);
	assert_int_equal(fsmb_users_lookup(state_dir, "nobody", hash), -EBADMSG);
	assert_int_equal(fsmb_users_lookup(state_dir, "ok", hash), 0);
	assert_int_equal(fsmb_users_set(state_dir, "new", "pw"), -EBADMSG);
	assert_int_equal(fsmb_users_foreach(state_dir, collect, list), -EBADMSG);
	text = read_all(users_path);
	assert_string_equal(text, damaged);
	free(text);
	write_all(users_path, "ok:a4f49c406510bdcab6824ee7c30fd85\n");
	assert_int_equal(fsmb_users_lookup(state_dir, "ok", hash), -EBADMSG);
	write_all(users_path, "ok:a4f49c406510bdcab6824ee7c30fd85g\n");
	assert_int_equal(fsmb_users_lookup(state_dir, "ok", hash), -EBADMSG);
}

/* A users.tmp left by a crash, and the umask, change nothing. */
static void test_stale_tmp_and_umask(void **state)
{
	char tmp[sizeof(state_dir) + 16];
	uint8_t hash[FSMB_NT_HASH_LEN];
	struct stat st;
	mode_t old;

	assert_int_equal(mkdir(state_dir, 0700), 0);
	snprintf(tmp, sizeof(tmp), "%s/users.tmp", state_dir);
	write_all(tmp, "half-written");
	old = umask(0277);
	assert_int_equal(fsmb_users_set(state_dir, "henry", "pw"), 0);
	umask(old);
	assert_int_equal(stat(users_path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(fsmb_users_lookup(state_dir, "henry", hash), 0);
}

static void test_missing_state_dir(void **state)
{
	uint8_t hash[FSMB_NT_HASH_LEN];
	char list[8] = "";

	assert_int_equal(fsmb_users_lookup(state_dir, "x", hash), -ENOENT);
	assert_int_equal(fsmb_users_del(state_dir, "x"), -ENOENT);
	assert_int_equal(fsmb_users_foreach(state_dir, collect, list), 0);
	assert_int_equal(access(state_dir, F_OK), -1);
}

struct conv {
	const char *utf8;
	size_t utf8_len;
	const uint8_t *utf16;
	size_t utf16_len;
};

static void test_utf16_roundtrip(void **state)
{
	static const uint8_t ascii[] = { 'a', 0, 'B', 0, '1', 0 };
	static const uint8_t latin[] = { 0xE9, 0x00 };
	static const uint8_t euro[] = { 0xAC, 0x20 };
	static const uint8_t emoji[] = { 0x3D, 0xD8, 0x00, 0xDE };
	static const uint8_t last[] = { 0xFF, 0xDB, 0xFF, 0xDF };
	static const uint8_t mixed[] = { 'x', 0, 0x3D, 0xD8, 0x00, 0xDE, 0xFF,
					 0xFF };
	static const struct conv convs[] = {
		{ "aB1", 3, ascii, sizeof(ascii) },
		{ "\xC3\xA9", 2, latin, sizeof(latin) },
		{ "\xE2\x82\xAC", 3, euro, sizeof(euro) },
		{ "\xF0\x9F\x98\x80", 4, emoji, sizeof(emoji) },
		{ "\xF4\x8F\xBF\xBF", 4, last, sizeof(last) },
		{ "x\xF0\x9F\x98\x80\xEF\xBF\xBF", 8, mixed, sizeof(mixed) },
		{ "", 0, ascii, 0 },
	};
	uint8_t u16[16];
	char u8[16];
	size_t i;

	for (i = 0; i < sizeof(convs) / sizeof(convs[0]); i++) {
		const struct conv *c = &convs[i];

		assert_int_equal(fsmb_utf8_to_utf16le(c->utf8, c->utf8_len, u16,
						      sizeof(u16)),
				 c->utf16_len);
		assert_memory_equal(u16, c->utf16, c->utf16_len);
		assert_int_equal(fsmb_utf16le_to_utf8(c->utf16, c->utf16_len,
						      u8, sizeof(u8)),
				 c->utf8_len);
		assert_string_equal(u8, c->utf8);
		/* Exactly enough room works; one byte less does not. */
		assert_int_equal(fsmb_utf8_to_utf16le(c->utf8, c->utf8_len, u16,
						      c->utf16_len),
				 c->utf16_len);
		assert_int_equal(fsmb_utf16le_to_utf8(c->utf16, c->utf16_len,
						      u8, c->utf8_len + 1),
				 c->utf8_len);
		if (!c->utf8_len)
			continue;
		assert_int_equal(fsmb_utf8_to_utf16le(c->utf8, c->utf8_len, u16,
						      c->utf16_len - 1), -1);
		assert_int_equal(fsmb_utf16le_to_utf8(c->utf16, c->utf16_len,
						      u8, c->utf8_len), -1);
	}
	/* The length is honoured, not a NUL. */
	assert_int_equal(fsmb_utf8_to_utf16le("abc", 2, u16, sizeof(u16)), 4);
	assert_int_equal(fsmb_utf16le_to_utf8(ascii, 0, u8, 0), -1);
}

static void test_utf8_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80",			/* lone continuation byte */
		"\xC0\xAF",		/* overlong '/' */
		"\xC1\xBF",		/* overlong */
		"\xE0\x80\xAF",		/* overlong '/' */
		"\xF0\x80\x80\xAF",	/* overlong '/' */
		"\xED\xA0\x80",		/* U+D800, a surrogate */
		"\xED\xBF\xBF",		/* U+DFFF */
		"\xF4\x90\x80\x80",	/* U+110000 */
		"\xF8\x88\x80\x80\x80",	/* 5-byte form */
		"\xFF",
		"\xE2\x82",		/* truncated */
		"\xF0\x9F\x98",		/* truncated */
		"a\xC3(",		/* bad continuation */
	};
	uint8_t u16[32];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fsmb_utf8_to_utf16le(bad[i], strlen(bad[i]),
						      u16, sizeof(u16)), -1);
	/* U+0000 would cut a C string short on the way back. */
	assert_int_equal(fsmb_utf8_to_utf16le("a\0b", 3, u16, sizeof(u16)), -1);
}

static void test_utf16_invalid(void **state)
{
	static const struct {
		uint8_t b[6];
		size_t len;
	} bad[] = {
		{ { 'a', 0, 'b' }, 3 },			/* odd length */
		{ { 0x3D, 0xD8 }, 2 },			/* high surrogate at the end */
		{ { 0x00, 0xDE, 'a', 0 }, 4 },		/* lone low surrogate */
		{ { 0x3D, 0xD8, 'a', 0 }, 4 },		/* high, then no low */
		{ { 0x3D, 0xD8, 0x3D, 0xD8 }, 4 },	/* high, high */
		{ { 'a', 0, 0, 0, 'b', 0 }, 6 },	/* NUL */
	};
	char u8[32];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fsmb_utf16le_to_utf8(bad[i].b, bad[i].len, u8,
						      sizeof(u8)), -1);
}

static void assert_upper(const char *in, const char *want)
{
	uint8_t u16[128];
	char out[128];
	ssize_t n = fsmb_utf8_to_utf16le(in, strlen(in), u16, sizeof(u16));

	assert_true(n >= 0);
	fsmb_utf16le_upper(u16, n);
	assert_int_equal(fsmb_utf16le_to_utf8(u16, n, out, sizeof(out)),
			 strlen(want));
	assert_string_equal(out, want);
}

static void test_upper(void **state)
{
	uint8_t odd[] = { 'a', 0, 'b' };

	assert_upper("user01-x_Z", "USER01-X_Z");
	/* Latin-1; ß has no one-character capital and stays. */
	assert_upper("àéîõüÿµß÷", "ÀÉÎÕÜŸΜß÷");
	/* Latin Extended-A, both pair orders, and the odd ones out. */
	assert_upper("āęğıĳĺňŋœšźžſĸŉ", "ĀĘĞIĲĹŇŊŒŠŹŽSĸŉ");
	assert_upper("αβγδάέήίόύώςσΐ", "ΑΒΓΔΆΈΉΊΌΎΏΣΣΐ");
	assert_upper("привет ёђџ", "ПРИВЕТ ЁЂЏ");
	assert_upper("ѡҋӂӏӑԯ", "ѠҊӁӀӐԮ");
	/* Already upper, other scripts and supplementary planes: unchanged. */
	assert_upper("ÀΣЖ", "ÀΣЖ");
	assert_upper("日本語 ｆｕｌｌ 😀", "日本語 ｆｕｌｌ 😀");
	/* A trailing odd byte is not a code unit. */
	fsmb_utf16le_upper(odd, sizeof(odd));
	assert_int_equal(odd[0], 'A');
	assert_int_equal(odd[2], 'b');
}

static void test_name_eq(void **state)
{
	assert_true(fsmb_utf8_name_eq("Alice", "aLICE"));
	assert_true(fsmb_utf8_name_eq("Ёлка", "ёЛКА"));
	assert_true(fsmb_utf8_name_eq("", ""));
	assert_true(fsmb_utf8_name_eq("😀a", "😀A"));
	assert_false(fsmb_utf8_name_eq("abc", "abcd"));
	assert_false(fsmb_utf8_name_eq("abcd", "abc"));
	assert_false(fsmb_utf8_name_eq("Straße", "STRASSE"));
	assert_false(fsmb_utf8_name_eq("\xff", "\xff"));
	assert_false(fsmb_utf8_name_eq("a\xC3", "a\xC3"));
}

static int group_setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	return rmdir(tmpdir);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nt_hash_vector),
		cmocka_unit_test(test_nt_hash_unicode),
		cmocka_unit_test_setup_teardown(test_add_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_plaintext, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_names, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damaged_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stale_tmp_and_umask, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_state_dir, setup,
						teardown),
		cmocka_unit_test(test_utf16_roundtrip),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf16_invalid),
		cmocka_unit_test(test_upper),
		cmocka_unit_test(test_name_eq),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
