// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd's DER reader/writer and SPNEGO codecs: the NEGOTIATE hint byte for
 * byte, client NegTokenInits built by hand the way smbclient, Windows and
 * bare-token clients send them, NegTokenResp both ways, malformed input of
 * every kind (truncations, bad lengths, bad tags, trailing bytes, random
 * bytes), and the server conversation's legs that need no password.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "asn1.h"
#include "ntlmssp.h"
#include "ntstatus.h"
#include "spnego.h"

#define SPNEGO_OID	0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02
#define NTLMSSP_OID	0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, \
			0x37, 0x02, 0x02, 0x0a
#define MS_KRB5_OID	0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, \
			0x01, 0x02, 0x02
#define KRB5_OID	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, \
			0x01, 0x02, 0x02
#define NEGOEX_OID	0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, \
			0x37, 0x02, 0x02, 0x1e

/* An NTLMSSP NEGOTIATE_MESSAGE as smbclient sends it (40 bytes). */
#define NTLM_NEGOTIATE	0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, \
			0x01, 0x00, 0x00, 0x00, 0x15, 0x82, 0x08, 0x62, \
			0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, \
			0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, \
			0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f

/* smbclient: GSS-API wrapper, mechTypes [NTLMSSP], optimistic NEGOTIATE. */
static const uint8_t smbclient_init[] = {
	0x60, 0x48, SPNEGO_OID,
	0xa0, 0x3e,				/* negTokenInit */
	0x30, 0x3c,
	0xa0, 0x0e, 0x30, 0x0c, NTLMSSP_OID,	/* mechTypes */
	0xa2, 0x2a, 0x04, 0x28, NTLM_NEGOTIATE,	/* mechToken */
};

static const uint8_t smbclient_mech_types[] = { 0x30, 0x0c, NTLMSSP_OID };

/* The server hint, as Windows and Samba shape it, with NTLMSSP only. */
static const uint8_t expected_hint[] = {
	0x60, 0x48, SPNEGO_OID,
	0xa0, 0x3e,
	0x30, 0x3c,
	0xa0, 0x0e, 0x30, 0x0c, NTLMSSP_OID,
	0xa3, 0x2a, 0x30, 0x28, 0xa0, 0x26, 0x1b, 0x24,
	'n', 'o', 't', '_', 'd', 'e', 'f', 'i', 'n', 'e', 'd', '_',
	'i', 'n', '_', 'R', 'F', 'C', '4', '1', '7', '8', '@', 'p',
	'l', 'e', 'a', 's', 'e', '_', 'i', 'g', 'n', 'o', 'r', 'e',
};

/*
 * Windows: Kerberos first, a Kerberos token (300 bytes of stand-in here,
 * long-form lengths) and NTLMSSP fourth, reqFlags present.
 */
static size_t windows_init(uint8_t *buf)
{
	static const uint8_t types[] = {
		0x30, 0x2e, MS_KRB5_OID, KRB5_OID, NEGOEX_OID, NTLMSSP_OID,
	};
	uint8_t *p = buf;

	*p++ = 0x60; *p++ = 0x82; *p++ = 0x01; *p++ = 0x7c;	/* 380 */
	memcpy(p, (const uint8_t[]){ SPNEGO_OID }, 8);
	p += 8;
	*p++ = 0xa0; *p++ = 0x82; *p++ = 0x01; *p++ = 0x70;	/* 368 */
	*p++ = 0x30; *p++ = 0x82; *p++ = 0x01; *p++ = 0x6c;	/* 364 */
	*p++ = 0xa0; *p++ = 0x30;				/* 48 */
	memcpy(p, types, sizeof(types));
	p += sizeof(types);
	*p++ = 0xa1; *p++ = 0x04; *p++ = 0x03; *p++ = 0x02;	/* reqFlags */
	*p++ = 0x05; *p++ = 0x30;
	*p++ = 0xa2; *p++ = 0x82; *p++ = 0x01; *p++ = 0x30;	/* 304 */
	*p++ = 0x04; *p++ = 0x82; *p++ = 0x01; *p++ = 0x2c;	/* 300 */
	memset(p, 0x6e, 300);
	p += 300;
	return (size_t)(p - buf);
}

static void test_hint(void **state)
{
	uint8_t buf[128];
	struct fsmb_spnego_init init;
	size_t cap;

	assert_int_equal(fsmb_spnego_hint(buf, sizeof(buf)),
			 sizeof(expected_hint));
	assert_memory_equal(buf, expected_hint, sizeof(expected_hint));
	/* It is a NegTokenInit(2) our own parser takes. */
	assert_int_equal(fsmb_spnego_parse_init(buf, sizeof(expected_hint),
						&init), 0);
	assert_int_equal(init.ntlmssp_pos, 0);
	assert_null(init.mech_token);
	for (cap = 0; cap < sizeof(expected_hint); cap++)
		assert_int_equal(fsmb_spnego_hint(buf, cap), -1);
}

static void test_parse_smbclient_init(void **state)
{
	static const uint8_t neg[] = { NTLM_NEGOTIATE };
	struct fsmb_spnego_init init;

	assert_int_equal(fsmb_spnego_parse_init(smbclient_init,
						sizeof(smbclient_init), &init),
			 0);
	assert_int_equal(init.ntlmssp_pos, 0);
	assert_int_equal(init.mech_types_len, sizeof(smbclient_mech_types));
	assert_memory_equal(init.mech_types, smbclient_mech_types,
			    sizeof(smbclient_mech_types));
	assert_int_equal(init.mech_token_len, sizeof(neg));
	assert_memory_equal(init.mech_token, neg, sizeof(neg));
	assert_true(fsmb_ntlmssp_is_msg(init.mech_token, init.mech_token_len,
					FSMB_NTLMSSP_NEGOTIATE_MSG));
}

static void test_parse_windows_init(void **state)
{
	uint8_t buf[512];
	struct fsmb_spnego_init init;
	size_t len = windows_init(buf);

	assert_int_equal(len, 384);
	assert_int_equal(fsmb_spnego_parse_init(buf, len, &init), 0);
	assert_int_equal(init.ntlmssp_pos, 3);
	assert_int_equal(init.mech_types_len, 48);
	assert_ptr_equal(init.mech_types, buf + 22);
	assert_int_equal(init.mech_token_len, 300);
	assert_ptr_equal(init.mech_token, buf + 84);
}

/* Some clients leave out the GSS-API wrapper after the first exchange. */
static void test_parse_bare_init(void **state)
{
	struct fsmb_spnego_init init;
	const uint8_t *bare = smbclient_init + 10;

	assert_int_equal(fsmb_spnego_parse_init(bare,
						sizeof(smbclient_init) - 10,
						&init), 0);
	assert_int_equal(init.ntlmssp_pos, 0);
	assert_int_equal(init.mech_token_len, 40);
}

static void expect_init_fails(const uint8_t *buf, size_t len)
{
	struct fsmb_spnego_init init;
	uint8_t *copy = malloc(len ? len : 1);

	/* An exact-size heap copy: ASan catches any read past the end. */
	assert_non_null(copy);
	if (len)
		memcpy(copy, buf, len);
	assert_int_equal(fsmb_spnego_parse_init(copy, len, &init), -1);
	free(copy);
}

static void test_init_garbage(void **state)
{
	uint8_t buf[512];
	size_t i, len;

	for (i = 0; i < sizeof(smbclient_init); i++)
		expect_init_fails(smbclient_init, i);
	len = windows_init(buf);
	for (i = 0; i < len; i++)
		expect_init_fails(buf, i);

	/* Trailing bytes after the token, or inside the wrapper. */
	memcpy(buf, smbclient_init, sizeof(smbclient_init));
	buf[sizeof(smbclient_init)] = 0;
	expect_init_fails(buf, sizeof(smbclient_init) + 1);
	buf[1]++;
	expect_init_fails(buf, sizeof(smbclient_init) + 1);

	/* Not the SPNEGO OID. */
	memcpy(buf, smbclient_init, sizeof(smbclient_init));
	buf[9] = 0x03;
	expect_init_fails(buf, sizeof(smbclient_init));

	/* Indefinite length; five length bytes; a length past the end. */
	memcpy(buf, smbclient_init, sizeof(smbclient_init));
	buf[1] = 0x80;
	expect_init_fails(buf, sizeof(smbclient_init));
	memcpy(buf, (const uint8_t[]){ 0x60, 0x85, 0, 0, 0, 0, 0x48 }, 7);
	expect_init_fails(buf, sizeof(smbclient_init));
	memcpy(buf, (const uint8_t[]){ 0x60, 0x84, 0xff, 0xff, 0xff, 0xff }, 6);
	expect_init_fails(buf, sizeof(smbclient_init));
	memcpy(buf, smbclient_init, sizeof(smbclient_init));
	buf[33] = 0x7f;		/* OCTET STRING length of the mechToken */
	expect_init_fails(buf, sizeof(smbclient_init));

	/* A high tag number. */
	memcpy(buf, smbclient_init, sizeof(smbclient_init));
	buf[0] = 0x7f;
	expect_init_fails(buf, sizeof(smbclient_init));

	/* No mechTypes; empty mechTypes; something else than an OID in it. */
	expect_init_fails((const uint8_t[]){ 0xa0, 0x02, 0x30, 0x00 }, 4);
	expect_init_fails((const uint8_t[]){ 0xa0, 0x06, 0x30, 0x04, 0xa0,
					     0x02, 0x30, 0x00 }, 8);
	expect_init_fails((const uint8_t[]){ 0xa0, 0x08, 0x30, 0x06, 0xa0,
					     0x04, 0x30, 0x02, 0x04, 0x00 },
			  10);
	/* Two mechTypes. */
	expect_init_fails((const uint8_t[]){ 0xa0, 0x0a, 0x30, 0x08,
					     0xa0, 0x02, 0x30, 0x00,
					     0xa0, 0x02, 0x30, 0x00 }, 12);
	/* A NegTokenResp where a NegTokenInit belongs. */
	expect_init_fails((const uint8_t[]){ 0xa1, 0x07, 0x30, 0x05, 0xa0,
					     0x03, 0x0a, 0x01, 0x00 }, 9);
	expect_init_fails(NULL, 0);
}

/* Every single-byte change of a good token: decoded or refused, never a crash. */
static void test_init_mutations(void **state)
{
	struct fsmb_spnego_init init;
	uint8_t buf[sizeof(smbclient_init)];
	size_t i;
	int bit;

	for (i = 0; i < sizeof(buf); i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, smbclient_init, sizeof(buf));
			buf[i] ^= (uint8_t)(1 << bit);
			if (fsmb_spnego_parse_init(buf, sizeof(buf), &init))
				continue;
			assert_true(init.mech_types >= buf &&
				    init.mech_types + init.mech_types_len <=
				    buf + sizeof(buf));
			assert_true(!init.mech_token ||
				    (init.mech_token >= buf &&
				     init.mech_token + init.mech_token_len <=
				     buf + sizeof(buf)));
		}
	}
}

static void test_resp_build_parse(void **state)
{
	static const uint8_t completed[] = {
		0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x00
	};
	static const uint8_t reject[] = {
		0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02
	};
	uint8_t buf[1024], token[300], mic[16];
	struct fsmb_spnego_resp r;
	ssize_t n;

	n = fsmb_spnego_build_resp(buf, sizeof(buf),
				   FSMB_SPNEGO_ACCEPT_COMPLETED, false, NULL, 0,
				   NULL, 0);
	assert_int_equal(n, sizeof(completed));
	assert_memory_equal(buf, completed, sizeof(completed));
	n = fsmb_spnego_build_resp(buf, sizeof(buf), FSMB_SPNEGO_REJECT, false,
				   NULL, 0, NULL, 0);
	assert_int_equal(n, sizeof(reject));
	assert_memory_equal(buf, reject, sizeof(reject));

	/* Everything, with long-form lengths (a token over 255 bytes). */
	memset(token, 0x4e, sizeof(token));
	memset(mic, 0x6d, sizeof(mic));
	n = fsmb_spnego_build_resp(buf, sizeof(buf),
				   FSMB_SPNEGO_ACCEPT_INCOMPLETE, true, token,
				   sizeof(token), mic, sizeof(mic));
	assert_true(n > 0);
	assert_int_equal(buf[0], 0xa1);
	assert_int_equal(buf[1], 0x82);
	assert_int_equal((buf[2] << 8 | buf[3]) + 4, n);
	assert_int_equal(fsmb_spnego_parse_resp(buf, (size_t)n, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_INCOMPLETE);
	assert_true(r.has_mech && r.mech_is_ntlmssp);
	assert_int_equal(r.token_len, sizeof(token));
	assert_memory_equal(r.token, token, sizeof(token));
	assert_int_equal(r.mic_len, sizeof(mic));
	assert_memory_equal(r.mic, mic, sizeof(mic));
	/* Too small a buffer, at every size. */
	for (size_t cap = 0; cap < (size_t)n; cap++)
		assert_int_equal(fsmb_spnego_build_resp(buf, cap,
					FSMB_SPNEGO_ACCEPT_INCOMPLETE, true,
					token, sizeof(token), mic,
					sizeof(mic)), -1);

	/* A client's second token: no negState, just the responseToken. */
	n = fsmb_spnego_build_resp(buf, sizeof(buf), FSMB_SPNEGO_NO_STATE,
				   false, token, 10, NULL, 0);
	assert_int_equal(fsmb_spnego_parse_resp(buf, (size_t)n, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_NO_STATE);
	assert_false(r.has_mech);
	assert_int_equal(r.token_len, 10);
	assert_null(r.mic);

	/* A supportedMech other than NTLMSSP is reported as such. */
	assert_int_equal(fsmb_spnego_parse_resp((const uint8_t[]){
			0xa1, 0x0f, 0x30, 0x0d, 0xa1, 0x0b, KRB5_OID }, 17, &r),
			0);
	assert_true(r.has_mech);
	assert_false(r.mech_is_ntlmssp);
}

static void expect_resp_fails(const uint8_t *buf, size_t len)
{
	struct fsmb_spnego_resp r;
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	if (len)
		memcpy(copy, buf, len);
	assert_int_equal(fsmb_spnego_parse_resp(copy, len, &r), -1);
	free(copy);
}

static void test_resp_garbage(void **state)
{
	uint8_t buf[64];
	ssize_t n;
	size_t i;

	n = fsmb_spnego_build_resp(buf, sizeof(buf),
				   FSMB_SPNEGO_ACCEPT_INCOMPLETE, true,
				   (const uint8_t *)"tok", 3,
				   (const uint8_t *)"mic", 3);
	assert_true(n > 0);
	for (i = 0; i < (size_t)n; i++)
		expect_resp_fails(buf, i);
	/* negState out of range, two bytes long, or twice. */
	expect_resp_fails((const uint8_t[]){ 0xa1, 0x07, 0x30, 0x05, 0xa0,
					     0x03, 0x0a, 0x01, 0x04 }, 9);
	expect_resp_fails((const uint8_t[]){ 0xa1, 0x08, 0x30, 0x06, 0xa0,
					     0x04, 0x0a, 0x02, 0x00, 0x01 }, 10);
	expect_resp_fails((const uint8_t[]){ 0xa1, 0x0c, 0x30, 0x0a,
					     0xa0, 0x03, 0x0a, 0x01, 0x00,
					     0xa0, 0x03, 0x0a, 0x01, 0x00 }, 14);
	/* An unknown field; a responseToken that is not an OCTET STRING. */
	expect_resp_fails((const uint8_t[]){ 0xa1, 0x06, 0x30, 0x04, 0xa4,
					     0x02, 0x04, 0x00 }, 8);
	expect_resp_fails((const uint8_t[]){ 0xa1, 0x06, 0x30, 0x04, 0xa2,
					     0x02, 0x03, 0x00 }, 8);
	/* A NegTokenInit, and the GSS wrapper, where NegTokenResp belongs. */
	expect_resp_fails(smbclient_init, sizeof(smbclient_init));
	expect_resp_fails(smbclient_init + 10, sizeof(smbclient_init) - 10);
	expect_resp_fails(NULL, 0);
}

/* Random bytes, and random bytes behind a plausible header. */
static void test_random_input(void **state)
{
	uint8_t buf[300];
	struct fsmb_spnego_init init;
	struct fsmb_spnego_resp r;
	uint32_t x = 12345;
	int round;
	size_t i, len;

	for (round = 0; round < 20000; round++) {
		len = (x >> 8) % sizeof(buf);
		for (i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			buf[i] = (uint8_t)(x >> 16);
		}
		if (round % 3 == 0 && len > 2) {
			buf[0] = round % 2 ? 0x60 : 0xa1;
			buf[1] = (uint8_t)(len - 2 < 0x80 ? len - 2 : 0x81);
		}
		fsmb_spnego_parse_init(buf, len, &init);
		fsmb_spnego_parse_resp(buf, len, &r);
		x = x * 1103515245 + 12345;
	}
}

/* ---- the DER writer on its own ---------------------------------------- */

static void test_der_writer(void **state)
{
	struct fsmb_der_writer w;
	struct fsmb_der d, v;
	uint8_t buf[400], data[260];
	unsigned int e;
	int i;

	/* 127, 128 and 256 content bytes: short form, 0x81, 0x82. */
	memset(data, 0xab, sizeof(data));
	fsmb_der_writer_init(&w, buf, sizeof(buf));
	fsmb_der_put(&w, FSMB_DER_OCTET_STRING, data, 127);
	assert_int_equal(fsmb_der_finish(&w), 129);
	assert_int_equal(buf[1], 127);
	fsmb_der_writer_init(&w, buf, sizeof(buf));
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	fsmb_der_put(&w, FSMB_DER_OCTET_STRING, data, 125);
	fsmb_der_put_enum(&w, 5);
	fsmb_der_end(&w);
	assert_int_equal(fsmb_der_finish(&w), 3 + 127 + 3);
	assert_memory_equal(buf, ((const uint8_t[]){ 0x30, 0x81, 0x82, 0x04,
						    0x7d }), 5);
	fsmb_der_init(&d, buf, 133);
	assert_int_equal(fsmb_der_read(&d, FSMB_DER_SEQUENCE, &v, NULL), 0);
	assert_true(fsmb_der_empty(&d));
	assert_int_equal(fsmb_der_read(&v, FSMB_DER_OCTET_STRING, NULL, NULL), 0);
	assert_int_equal(fsmb_der_read_enum(&v, &e), 0);
	assert_int_equal(e, 5);
	fsmb_der_writer_init(&w, buf, sizeof(buf));
	fsmb_der_put(&w, FSMB_DER_OCTET_STRING, data, 256);
	assert_int_equal(fsmb_der_finish(&w), 260);
	assert_memory_equal(buf, ((const uint8_t[]){ 0x04, 0x82, 0x01, 0x00 }),
			    4);

	/* Failures are sticky: no room, too deep, unbalanced, bad enum. */
	fsmb_der_writer_init(&w, buf, 10);
	fsmb_der_put(&w, FSMB_DER_OCTET_STRING, data, 9);
	fsmb_der_put(&w, FSMB_DER_OCTET_STRING, data, 0);
	assert_int_equal(fsmb_der_finish(&w), -1);
	fsmb_der_writer_init(&w, buf, sizeof(buf));
	for (i = 0; i <= FSMB_DER_MAX_DEPTH; i++)
		fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	for (i = 0; i <= FSMB_DER_MAX_DEPTH; i++)
		fsmb_der_end(&w);
	assert_int_equal(fsmb_der_finish(&w), -1);
	fsmb_der_writer_init(&w, buf, sizeof(buf));
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	assert_int_equal(fsmb_der_finish(&w), -1);
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	assert_int_equal(fsmb_der_finish(&w), -1);
	fsmb_der_writer_init(&w, buf, sizeof(buf));
	fsmb_der_put_enum(&w, 128);
	assert_int_equal(fsmb_der_finish(&w), -1);
	/* A length that needs more bytes than room is left at fsmb_der_end(). */
	fsmb_der_writer_init(&w, buf, 130);
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	fsmb_der_put(&w, FSMB_DER_OCTET_STRING, data, 126);
	fsmb_der_end(&w);
	assert_int_equal(fsmb_der_finish(&w), -1);
}

/* ---- the conversation, up to the password ----------------------------- */

static int no_lookup(void *arg, const char *user, char *canon,
		     size_t canon_size, uint8_t hash[16])
{
	fail_msg("no password check was expected");
	return -1;
}

static const struct fsmb_ntlmssp_conf conf = {
	.netbios_name = "FSMBVM",
	.workgroup = "WORKGROUP",
	.dns_name = "fsmbvm",
	.dns_domain = "",
	.lookup = no_lookup,
};

static uint32_t step(struct fsmb_spnego_srv *s, const uint8_t *in, size_t len,
		     struct fsmb_spnego_resp *r, uint8_t **out, size_t *out_len)
{
	uint32_t st = fsmb_spnego_srv_step(s, in, len, out, out_len);

	if (r)
		assert_int_equal(fsmb_spnego_parse_resp(*out, *out_len, r), 0);
	return st;
}

static void test_srv_optimistic(void **state)
{
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t len;

	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(step(&s, smbclient_init, sizeof(smbclient_init), &r,
			      &out, &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_INCOMPLETE);
	assert_true(r.has_mech && r.mech_is_ntlmssp);
	assert_true(fsmb_ntlmssp_is_msg(r.token, r.token_len,
					FSMB_NTLMSSP_CHALLENGE_MSG));
	assert_int_equal(s.stage, FSMB_SPNEGO_WANT_AUTHENTICATE);
	assert_false(s.raw);
	assert_false(s.downgraded);
	assert_int_equal(s.mech_types_len, sizeof(smbclient_mech_types));
	assert_memory_equal(s.mech_types, smbclient_mech_types,
			    sizeof(smbclient_mech_types));
	free(out);
	fsmb_spnego_srv_free(&s);
}

static void test_srv_empty_first(void **state)
{
	struct fsmb_spnego_srv s;
	uint8_t *out;
	size_t len;

	/* No token yet: the server speaks first, with its hint. */
	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(fsmb_spnego_srv_step(&s, NULL, 0, &out, &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(len, sizeof(expected_hint));
	assert_memory_equal(out, expected_hint, len);
	assert_int_equal(s.stage, FSMB_SPNEGO_START);
	free(out);
	assert_int_equal(fsmb_spnego_srv_step(&s, smbclient_init,
					      sizeof(smbclient_init), &out,
					      &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	free(out);
	fsmb_spnego_srv_free(&s);
}

static void test_srv_raw(void **state)
{
	static const uint8_t neg[] = { NTLM_NEGOTIATE };
	struct fsmb_spnego_srv s;
	uint8_t *out;
	size_t len;

	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(fsmb_spnego_srv_step(&s, neg, sizeof(neg), &out, &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_true(s.raw);
	assert_true(fsmb_ntlmssp_is_msg(out, len, FSMB_NTLMSSP_CHALLENGE_MSG));
	free(out);
	/* A garbage AUTHENTICATE: failure, no SPNEGO wrapping. */
	assert_int_equal(fsmb_spnego_srv_step(&s, neg, sizeof(neg), &out, &len),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(s.stage, FSMB_SPNEGO_DONE);
	/* Nothing after the end. */
	assert_int_equal(fsmb_spnego_srv_step(&s, neg, sizeof(neg), &out, &len),
			 FSMB_STATUS_INVALID_PARAMETER);
	assert_null(out);
	fsmb_spnego_srv_free(&s);
}

/*
 * Kerberos preferred: its token is ignored, NTLMSSP is picked with
 * request-mic, and the NEGOTIATE comes in the next leg.
 */
static void test_srv_downgrade(void **state)
{
	static const uint8_t neg[] = { NTLM_NEGOTIATE };
	uint8_t buf[512], resp[128];
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t len;
	ssize_t n;

	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(step(&s, buf, windows_init(buf), &r, &out, &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REQUEST_MIC);
	assert_true(r.has_mech && r.mech_is_ntlmssp);
	assert_null(r.token);
	assert_true(s.downgraded);
	assert_int_equal(s.stage, FSMB_SPNEGO_WANT_NEGOTIATE);
	assert_int_equal(s.mech_types_len, 48);
	free(out);

	n = fsmb_spnego_build_resp(resp, sizeof(resp), FSMB_SPNEGO_NO_STATE,
				   false, neg, sizeof(neg), NULL, 0);
	assert_true(n > 0);
	assert_int_equal(step(&s, resp, (size_t)n, &r, &out, &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_INCOMPLETE);
	assert_false(r.has_mech);
	assert_true(fsmb_ntlmssp_is_msg(r.token, r.token_len,
					FSMB_NTLMSSP_CHALLENGE_MSG));
	assert_int_equal(s.stage, FSMB_SPNEGO_WANT_AUTHENTICATE);
	free(out);
	fsmb_spnego_srv_free(&s);
}

static void test_srv_no_mech_token(void **state)
{
	/* mechTypes [NTLMSSP] and nothing else. */
	static const uint8_t init[] = {
		0x60, 0x1c, SPNEGO_OID, 0xa0, 0x12, 0x30, 0x10,
		0xa0, 0x0e, 0x30, 0x0c, NTLMSSP_OID,
	};
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t len;

	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(step(&s, init, sizeof(init), &r, &out, &len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_INCOMPLETE);
	assert_true(r.has_mech);
	assert_null(r.token);
	assert_int_equal(s.stage, FSMB_SPNEGO_WANT_NEGOTIATE);
	free(out);
	/* A second leg without a token is refused, with a reject. */
	assert_int_equal(step(&s, (const uint8_t[]){ 0xa1, 0x02, 0x30, 0x00 },
			      4, &r, &out, &len),
			 FSMB_STATUS_INVALID_PARAMETER);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
	free(out);
	fsmb_spnego_srv_free(&s);
}

static void test_srv_refusals(void **state)
{
	/* Kerberos only. */
	static const uint8_t krb5_only[] = {
		0x60, 0x1b, SPNEGO_OID, 0xa0, 0x11, 0x30, 0x0f,
		0xa0, 0x0d, 0x30, 0x0b, KRB5_OID,
	};
	static const uint8_t junk[] = { 0x01, 0x02, 0x03, 0x04 };
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t len;

	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(step(&s, krb5_only, sizeof(krb5_only), &r, &out, &len),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
	assert_string_equal(s.fail_reason, "client does not offer NTLMSSP");
	free(out);
	fsmb_spnego_srv_free(&s);

	fsmb_spnego_srv_init(&s, &conf);
	assert_int_equal(step(&s, junk, sizeof(junk), &r, &out, &len),
			 FSMB_STATUS_INVALID_PARAMETER);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
	free(out);
	fsmb_spnego_srv_free(&s);

	/* An optimistic token that is not an NTLMSSP NEGOTIATE. */
	fsmb_spnego_srv_init(&s, &conf);
	{
		uint8_t bad[sizeof(smbclient_init)];

		memcpy(bad, smbclient_init, sizeof(bad));
		bad[42] = 2;	/* MessageType */
		assert_int_equal(step(&s, bad, sizeof(bad), &r, &out, &len),
				 FSMB_STATUS_INVALID_PARAMETER);
		assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
		free(out);
	}
	fsmb_spnego_srv_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hint),
		cmocka_unit_test(test_parse_smbclient_init),
		cmocka_unit_test(test_parse_windows_init),
		cmocka_unit_test(test_parse_bare_init),
		cmocka_unit_test(test_init_garbage),
		cmocka_unit_test(test_init_mutations),
		cmocka_unit_test(test_resp_build_parse),
		cmocka_unit_test(test_resp_garbage),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_der_writer),
		cmocka_unit_test(test_srv_optimistic),
		cmocka_unit_test(test_srv_empty_first),
		cmocka_unit_test(test_srv_raw),
		cmocka_unit_test(test_srv_downgrade),
		cmocka_unit_test(test_srv_no_mech_token),
		cmocka_unit_test(test_srv_refusals),
	};

	return cmocka_run_group_tests_name("spnego", tests, NULL, NULL);
}
