// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the user.DOSATTRIB codec: records laid out by hand from
 * Samba's librpc/idl/xattr.idl (and identical to what Samba 4.17's own
 * NDR marshalling produces for the same values), every truncation of
 * them, and malformed ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "proto/dosattrib.h"

#define CRTIME	0x01d9a1b2c3d4e5f6ULL

/* Version 5, as Samba writes it: ARCHIVE and a creation time. */
static const u8 rec_v5[] = {
	0x00,				/* attrib_hex "" */
	0x00,				/* pad to 2 */
	0x05, 0x00,			/* version */
	0x05, 0x00,			/* union discriminant */
	0x00, 0x00,			/* pad to 4 */
	0x11, 0x00, 0x00, 0x00,		/* valid: ATTRIB | CREATE_TIME */
	0x20, 0x00, 0x00, 0x00,		/* attrib: ARCHIVE */
	0xf6, 0xe5, 0xd4, 0xc3, 0xb2, 0xa1, 0xd9, 0x01,	/* create_time */
};

/* Version 4: an itime before the creation time. */
static const u8 rec_v4[] = {
	0x00, 0x00,
	0x04, 0x00, 0x04, 0x00,
	0x00, 0x00,
	0x51, 0x00, 0x00, 0x00,		/* ATTRIB | CREATE_TIME | ITIME */
	0x22, 0x00, 0x00, 0x00,		/* HIDDEN | ARCHIVE */
	0x22, 0x22, 0x11, 0x11, 0x00, 0x00, 0xd9, 0x01,	/* itime */
	0xf6, 0xe5, 0xd4, 0xc3, 0xb2, 0xa1, 0xd9, 0x01,	/* create_time */
};

/* Version 3 starts with the attributes in hex, which shifts the rest. */
static const u8 rec_v3[] = {
	'0', 'x', '2', '1', 0x00,	/* attrib_hex "0x21" */
	0x00,				/* pad to 2 */
	0x03, 0x00, 0x03, 0x00,
	0x00, 0x00,			/* pad to 4 */
	0x11, 0x00, 0x00, 0x00,
	0x21, 0x00, 0x00, 0x00,		/* READONLY | ARCHIVE */
	0x00, 0x00, 0x00, 0x00,		/* ea_size */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* size */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* alloc_size */
	0xf6, 0xe5, 0xd4, 0xc3, 0xb2, 0xa1, 0xd9, 0x01,	/* create_time */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* change_time */
};

static int decode(const u8 *buf, size_t len, struct fsmb_dosattrib *da)
{
	struct fsmb_cur c;

	fsmb_cur_init(&c, buf, len);
	return fsmb_dosattrib_decode(&c, da);
}

static void test_decode_versions(void **state)
{
	struct fsmb_dosattrib da;

	assert_int_equal(decode(rec_v5, sizeof(rec_v5), &da), 0);
	assert_int_equal(da.valid,
			 XATTR_DOSINFO_ATTRIB | XATTR_DOSINFO_CREATE_TIME);
	assert_int_equal(da.attrib, FILE_ATTRIBUTE_ARCHIVE);
	assert_true(da.create_time == CRTIME);

	assert_int_equal(decode(rec_v4, sizeof(rec_v4), &da), 0);
	assert_int_equal(da.valid,
			 XATTR_DOSINFO_ATTRIB | XATTR_DOSINFO_CREATE_TIME);
	assert_int_equal(da.attrib,
			 FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
	assert_true(da.create_time == CRTIME);

	assert_int_equal(decode(rec_v3, sizeof(rec_v3), &da), 0);
	assert_int_equal(da.valid,
			 XATTR_DOSINFO_ATTRIB | XATTR_DOSINFO_CREATE_TIME);
	assert_int_equal(da.attrib,
			 FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE);
	assert_true(da.create_time == CRTIME);
}

static void test_decode_valid_flags(void **state)
{
	struct fsmb_dosattrib da;
	u8 buf[sizeof(rec_v5) + 4];

	/* Fields not flagged valid are not taken, whatever they hold. */
	memcpy(buf, rec_v5, sizeof(rec_v5));
	buf[8] = 0x00;
	assert_int_equal(decode(buf, sizeof(rec_v5), &da), 0);
	assert_int_equal(da.valid, 0);
	assert_int_equal(da.attrib, 0);
	assert_true(da.create_time == 0);

	/* A zero creation time is none, as Samba reads it. */
	memcpy(buf, rec_v5, sizeof(rec_v5));
	memset(buf + 16, 0, 8);
	assert_int_equal(decode(buf, sizeof(rec_v5), &da), 0);
	assert_int_equal(da.valid, XATTR_DOSINFO_ATTRIB);

	/* Bytes after the record are not looked at. */
	memcpy(buf, rec_v5, sizeof(rec_v5));
	memset(buf + sizeof(rec_v5), 0xff, 4);
	assert_int_equal(decode(buf, sizeof(buf), &da), 0);
	assert_int_equal(da.attrib, FILE_ATTRIBUTE_ARCHIVE);
}

static void check_prefixes(const u8 *rec, size_t len, size_t str_end)
{
	struct fsmb_dosattrib da;
	size_t n;

	for (n = 0; n < len; n++) {
		/* Cut right after the string, it reads as the hex-only form. */
		int want = n == str_end ? -EOPNOTSUPP : -EINVAL;

		assert_int_equal(decode(rec, n, &da), want);
		assert_int_equal(da.valid, 0);
	}
}

static void test_decode_truncated(void **state)
{
	check_prefixes(rec_v5, sizeof(rec_v5), 1);
	check_prefixes(rec_v4, sizeof(rec_v4), 1);
	check_prefixes(rec_v3, sizeof(rec_v3), 5);
}

static void test_decode_garbage(void **state)
{
	static const u8 hex_only[] = { '0', 'x', '2', '2', 0x00 };
	static const u8 no_nul[] = { '0', 'x', '2', '2' };
	struct fsmb_dosattrib da;
	u8 buf[sizeof(rec_v4)];

	/* Pre-version-3 and unknown versions are not read. */
	assert_int_equal(decode(hex_only, sizeof(hex_only), &da), -EOPNOTSUPP);
	memcpy(buf, rec_v5, sizeof(rec_v5));
	buf[2] = 6;
	buf[4] = 6;
	assert_int_equal(decode(buf, sizeof(rec_v5), &da), -EOPNOTSUPP);
	buf[2] = 1;
	buf[4] = 1;
	assert_int_equal(decode(buf, sizeof(rec_v5), &da), -EOPNOTSUPP);
	assert_int_equal(da.valid, 0);

	/* The discriminant must repeat the version. */
	memcpy(buf, rec_v5, sizeof(rec_v5));
	buf[4] = 4;
	assert_int_equal(decode(buf, sizeof(rec_v5), &da), -EINVAL);

	/* A version 4 header on a version 5 body is too short. */
	buf[2] = 4;
	assert_int_equal(decode(buf, sizeof(rec_v5), &da), -EINVAL);

	/* An unterminated string is all there is. */
	assert_int_equal(decode(no_nul, sizeof(no_nul), &da), -EINVAL);

	/* Every byte 0xff: a long string, never terminated. */
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(decode(buf, sizeof(buf), &da), -EINVAL);
	assert_int_equal(da.valid, 0);
}

static void test_encode(void **state)
{
	struct fsmb_dosattrib da = {
		.valid = XATTR_DOSINFO_ATTRIB | XATTR_DOSINFO_CREATE_TIME,
		.attrib = FILE_ATTRIBUTE_ARCHIVE,
		.create_time = CRTIME,
	}, back;
	u8 buf[FSMB_DOSATTRIB_MAX];
	struct fsmb_wcur w;

	memset(buf, 0xaa, sizeof(buf));
	fsmb_wcur_init(&w, buf, sizeof(buf));
	fsmb_dosattrib_encode(&w, &da);
	assert_true(fsmb_wcur_ok(&w));
	assert_int_equal(w.pos, FSMB_DOSATTRIB_SIZE);
	assert_int_equal(sizeof(rec_v5), FSMB_DOSATTRIB_SIZE);
	assert_memory_equal(buf, rec_v5, sizeof(rec_v5));

	assert_int_equal(decode(buf, w.pos, &back), 0);
	assert_int_equal(back.valid, da.valid);
	assert_int_equal(back.attrib, da.attrib);
	assert_true(back.create_time == da.create_time);

	/* Too little room: an error, and nothing past the room is written. */
	memset(buf, 0xaa, sizeof(buf));
	fsmb_wcur_init(&w, buf, FSMB_DOSATTRIB_SIZE - 1);
	fsmb_dosattrib_encode(&w, &da);
	assert_false(fsmb_wcur_ok(&w));
	assert_int_equal(buf[FSMB_DOSATTRIB_SIZE - 1], 0xaa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_versions),
		cmocka_unit_test(test_decode_valid_flags),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_garbage),
		cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
