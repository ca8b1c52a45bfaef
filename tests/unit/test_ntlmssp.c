// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd's NTLMSSP server and what is built on it:
 *  - the NTLMv2 vectors of [MS-NLMP] 4.2.4, and its AUTHENTICATE_MESSAGE
 *    fed to the server;
 *  - a recorded exchange with Samba 4.17's client (the gensec code
 *    smbclient runs) in SPNEGO, replayed: NTLMSSP MIC, mechListMIC in both
 *    directions and the session key must come out as Samba had them;
 *  - whole exchanges against a client written here on nettle, bare and in
 *    SPNEGO: right and wrong passwords, unknown users, domains, NTLMv1,
 *    anonymous, truncated and corrupted messages;
 *  - auth.c (the conversation table, the users file, the unix mapping) and
 *    tree.c (share policy).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>

#include "auth.h"
#include "ntlmssp.h"
#include "ntlmssp_vectors.h"
#include "ntstatus.h"
#include "spnego.h"
#include "tree.h"
#include "users.h"
#include "utf16.h"

static char state_dir[] = "/tmp/fsmb-test-ntlmssp.XXXXXX";

/* ---- helpers ---------------------------------------------------------- */

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2, i;

	assert_true(n <= cap);
	for (i = 0; i < n; i++) {
		unsigned int b;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* ASCII to UTF-16LE; @upper upper-cases on the way. */
static size_t u16(const char *s, uint8_t *out, bool upper)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		out[2 * i] = (uint8_t)c;
		out[2 * i + 1] = 0;
	}
	return 2 * i;
}

static void hmac(const uint8_t *key, size_t klen, const uint8_t *a,
		 size_t alen, const uint8_t *b, size_t blen, uint8_t out[16])
{
	struct hmac_md5_ctx ctx;

	hmac_md5_set_key(&ctx, klen, key);
	hmac_md5_update(&ctx, alen, a);
	hmac_md5_update(&ctx, blen, b);
	hmac_md5_digest(&ctx, 16, out);
}

static void nt_hash_of(const char *password, uint8_t out[16])
{
	uint8_t buf[256];
	struct md4_ctx ctx;
	size_t n = u16(password, buf, false);

	md4_init(&ctx);
	md4_update(&ctx, n, buf);
	md4_digest(&ctx, 16, out);
}

/*
 * The user database for the NTLMSSP-level tests: "User" with password
 * "Password" (the MS-NLMP user) and "alice" with "secret".
 */
static int test_lookup(void *arg, const char *user, char *canon,
		       size_t canon_size, uint8_t hash[16])
{
	static const char *const names[] = { "User", "alice" };
	static const char *const pws[] = { "Password", "secret" };
	size_t i;

	for (i = 0; i < 2; i++) {
		if (fsmb_utf8_name_eq(user, names[i])) {
			snprintf(canon, canon_size, "%s", names[i]);
			nt_hash_of(pws[i], hash);
			return 0;
		}
	}
	return -ENOENT;
}

static struct fsmb_ntlmssp_conf nconf = {
	.netbios_name = "FSMBVM",
	.workgroup = "WORKGROUP",
	.dns_name = "fsmbvm.example",
	.dns_domain = "example",
	.allow_anonymous = false,
	.lookup = test_lookup,
};

/* ---- [MS-NLMP] 4.2.4 -------------------------------------------------- */

static const uint8_t spec_server_challenge[8] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
};

static const uint8_t spec_ntowfv2[16] = {
	0x0c, 0x86, 0x8a, 0x40, 0x3b, 0xfd, 0x7a, 0x93,
	0xa3, 0x00, 0x1e, 0xf2, 0x2e, 0xf0, 0x2e, 0x3f
};
static const uint8_t spec_proof[16] = {
	0x68, 0xcd, 0x0a, 0xb8, 0x51, 0xe5, 0x1c, 0x96,
	0xaa, 0xbc, 0x92, 0x7b, 0xeb, 0xef, 0x6a, 0x1c
};
static const uint8_t spec_base_key[16] = {
	0x8d, 0xe4, 0x0c, 0xca, 0xdb, 0xc1, 0x4a, 0x82,
	0xf1, 0x5c, 0xb0, 0xad, 0x0d, 0xe9, 0x5c, 0xa3
};
static const uint8_t spec_enc_key[16] = {
	0xc5, 0xda, 0xd2, 0x54, 0x4f, 0xc9, 0x79, 0x90,
	0x94, 0xce, 0x1c, 0xe9, 0x0b, 0xc9, 0xd0, 0x3e
};

static void test_spec_nt_hash_and_ntowfv2(void **state)
{
	static const uint8_t want_nt[16] = {
		0xa4, 0xf4, 0x9c, 0x40, 0x65, 0x10, 0xbd, 0xca,
		0xb6, 0x82, 0x4e, 0xe7, 0xc3, 0x0f, 0xd8, 0x52
	};
	uint8_t nt[16], user[16], lower[16], dom[16], out[16];
	size_t ul, dl;

	assert_int_equal(fsmb_nt_hash("Password", nt), 0);
	assert_memory_equal(nt, want_nt, 16);
	ul = u16("User", user, false);
	dl = u16("Domain", dom, false);
	assert_int_equal(fsmb_ntowfv2(nt, user, ul, dom, dl, out), 0);
	assert_memory_equal(out, spec_ntowfv2, 16);
	/* The user name is upper-cased, the domain is not. */
	u16("user", lower, false);
	assert_int_equal(fsmb_ntowfv2(nt, lower, ul, dom, dl, out), 0);
	assert_memory_equal(out, spec_ntowfv2, 16);
	u16("DOMAIN", dom, false);
	assert_int_equal(fsmb_ntowfv2(nt, user, ul, dom, dl, out), 0);
	assert_memory_not_equal(out, spec_ntowfv2, 16);
}

/* NTProofStr, SessionBaseKey and the key exchange of 4.2.4.2. */
static void test_spec_proof_and_keys(void **state)
{
	uint8_t temp[128], ti[64], proof[16], base[16], enc[16], rnd[16];
	struct arcfour_ctx rc4;
	size_t ti_len, n = 0;

	ti_len = unhex(spec_target_info_hex, ti, sizeof(ti));
	memset(temp, 0, sizeof(temp));
	temp[0] = 1;				/* RespType */
	temp[1] = 1;				/* HiRespType */
	n = 16;					/* reserved, Time = 0 */
	memset(temp + n, 0xaa, 8);		/* ClientChallenge */
	n += 8 + 4;
	memcpy(temp + n, ti, ti_len);
	n += ti_len + 4;
	hmac(spec_ntowfv2, 16, spec_server_challenge, 8, temp, n, proof);
	assert_memory_equal(proof, spec_proof, 16);
	hmac(spec_ntowfv2, 16, proof, 16, NULL, 0, base);
	assert_memory_equal(base, spec_base_key, 16);
	memset(rnd, 0x55, sizeof(rnd));		/* RandomSessionKey */
	arcfour_set_key(&rc4, 16, base);
	arcfour_crypt(&rc4, 16, enc, rnd);
	assert_memory_equal(enc, spec_enc_key, 16);
}

/*
 * Put @n in the state of having sent @chal (a CHALLENGE_MESSAGE): run a
 * NEGOTIATE through it, then swap in the recorded challenge.
 */
static void force_challenge(struct fsmb_ntlmssp *n, const uint8_t *chal,
			    size_t len)
{
	free(n->challenge_msg);
	n->challenge_msg = malloc(len);
	assert_non_null(n->challenge_msg);
	memcpy(n->challenge_msg, chal, len);
	n->challenge_len = len;
	memcpy(n->challenge, chal + 24, 8);
	n->flags = le32(chal + 20);
}

static size_t client_negotiate(uint8_t *buf, uint32_t flags);

static void test_spec_authenticate(void **state)
{
	uint8_t neg[64], chal[128], auth[512], want_key[16];
	struct fsmb_ntlmssp n;
	const uint8_t *out;
	size_t out_len, chal_len, auth_len;

	fsmb_ntlmssp_init(&n, &nconf);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg,
						client_negotiate(neg, 0xe2088297),
						&out, &out_len), 0);
	chal_len = unhex(spec_challenge_hex, chal, sizeof(chal));
	force_challenge(&n, chal, chal_len);
	assert_memory_equal(n.challenge, spec_server_challenge, 8);
	auth_len = unhex(spec_authenticate_hex, auth, sizeof(auth));
	assert_int_equal(auth_len, 0xe8);

	assert_int_equal(fsmb_ntlmssp_authenticate(&n, auth, auth_len),
			 FSMB_STATUS_SUCCESS);
	memset(want_key, 0x55, sizeof(want_key));
	assert_memory_equal(n.session_key, want_key, 16);
	assert_string_equal(n.user, "User");
	assert_string_equal(n.domain, "Domain");
	assert_false(n.anonymous);
	assert_false(n.auth_mic);
	fsmb_ntlmssp_free(&n);
}

/* ---- a client, written against the spec with nettle ------------------- */

#define CLIENT_FLAGS (FSMB_NTLMSSP_NEGOTIATE_UNICODE |			\
		      FSMB_NTLMSSP_REQUEST_TARGET |			\
		      FSMB_NTLMSSP_NEGOTIATE_SIGN |			\
		      FSMB_NTLMSSP_NEGOTIATE_NTLM |			\
		      FSMB_NTLMSSP_NEGOTIATE_ALWAYS_SIGN |		\
		      FSMB_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |	\
		      FSMB_NTLMSSP_NEGOTIATE_VERSION |			\
		      FSMB_NTLMSSP_NEGOTIATE_128 |			\
		      FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH)

static size_t client_negotiate(uint8_t *buf, uint32_t flags)
{
	memset(buf, 0, 40);
	memcpy(buf, "NTLMSSP", 8);
	put32(buf + 8, 1);
	put32(buf + 12, flags);
	buf[32] = 10;				/* Version: 10.0 */
	buf[39] = 15;
	return 40;
}

struct client_opts {
	const char *user;
	const char *password;
	const char *domain;		/* sent */
	const char *hash_domain;	/* used in NTOWFv2; NULL: @domain */
	bool mic;			/* MsvAvFlags + MIC */
	bool ntlmv1;			/* a 24-byte NT response */
	bool anonymous;
	bool no_key;			/* no EncryptedRandomSessionKey */
};

static const uint8_t client_random_key[16] = {
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
};

static void put_field(uint8_t *m, size_t at, size_t *pos, const void *data,
		      size_t len)
{
	put16(m + at, (uint16_t)len);
	put16(m + at + 2, (uint16_t)len);
	put32(m + at + 4, (uint32_t)*pos);
	if (len)
		memcpy(m + *pos, data, len);
	*pos += len;
}

/*
 * The AUTHENTICATE_MESSAGE answering @chal ([MS-NLMP] 3.1.5.1.2, NTLMv2,
 * 3.3.2). @key gets the ExportedSessionKey.
 */
static size_t client_authenticate(const struct client_opts *o,
				  const uint8_t *neg, size_t neg_len,
				  const uint8_t *chal, size_t chal_len,
				  uint8_t *m, size_t cap, uint8_t key[16])
{
	uint32_t flags = le32(chal + 20);
	size_t ti_len = le16(chal + 40), ti_off = le32(chal + 44);
	size_t hdr = o->mic ? 88 : 64, pos = hdr, n, tl = 0, i;
	uint8_t nt_hash[16], ntowf[16], proof[16], base[16], enc[16];
	uint8_t name[512], dom[512], temp[1024], nt[1100];
	struct arcfour_ctx rc4;

	assert_true(ti_off + ti_len <= chal_len);
	assert_true(cap >= 2048);
	memset(m, 0, hdr);
	memcpy(m, "NTLMSSP", 8);
	put32(m + 8, 3);
	put32(m + 60, flags);
	m[64] = 10;
	m[71] = 15;

	if (o->anonymous) {
		uint8_t z = 0;

		put_field(m, 12, &pos, &z, 1);
		put_field(m, 20, &pos, NULL, 0);
		put_field(m, 28, &pos, NULL, 0);
		put_field(m, 36, &pos, NULL, 0);
		put_field(m, 44, &pos, NULL, 0);
		memset(base, 0, sizeof(base));
	} else {
		nt_hash_of(o->password, nt_hash);
		n = u16(o->user, name, true);
		n += u16(o->hash_domain ? o->hash_domain : o->domain, name + n,
			 false);
		hmac(nt_hash, 16, name, n, NULL, 0, ntowf);

		/* temp: header, the server's AV pairs (+ MsvAvFlags), Z(4). */
		memset(temp, 0, 28);
		temp[0] = temp[1] = 1;		/* Time stays 0 */
		memset(temp + 16, 0xcc, 8);	/* ChallengeFromClient */
		tl = 28;
		for (i = ti_off; i + 4 <= ti_off + ti_len;) {
			size_t alen = le16(chal + i + 2);

			if (le16(chal + i) == 0)
				break;
			memcpy(temp + tl, chal + i, 4 + alen);
			tl += 4 + alen;
			i += 4 + alen;
		}
		if (o->mic) {
			put16(temp + tl, FSMB_MSV_AV_FLAGS);
			put16(temp + tl + 2, 4);
			put32(temp + tl + 4, FSMB_MSV_AV_FLAG_MIC);
			tl += 8;
		}
		memset(temp + tl, 0, 8);	/* EOL, then Z(4) */
		tl += 8;
		hmac(ntowf, 16, chal + 24, 8, temp, tl, proof);
		memcpy(nt, proof, 16);
		memcpy(nt + 16, temp, tl);
		hmac(ntowf, 16, proof, 16, NULL, 0, base);

		n = u16(o->domain, dom, false);
		put_field(m, 28, &pos, dom, n);
		n = u16(o->user, name, false);
		put_field(m, 36, &pos, name, n);
		n = u16("CLIENT", name, false);
		put_field(m, 44, &pos, name, n);
		if (o->ntlmv1) {
			memset(nt, 0x42, 24);
			put_field(m, 12, &pos, nt, 24);
			put_field(m, 20, &pos, nt, 24);
		} else {
			memset(name, 0, 24);
			put_field(m, 12, &pos, name, 24);
			put_field(m, 20, &pos, nt, 16 + tl);
		}
	}
	if ((flags & FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH) && !o->no_key) {
		arcfour_set_key(&rc4, 16, base);
		arcfour_crypt(&rc4, 16, enc, client_random_key);
		put_field(m, 52, &pos, enc, 16);
		memcpy(key, client_random_key, 16);
	} else {
		put_field(m, 52, &pos, NULL, 0);
		memcpy(key, base, 16);
	}
	if (o->mic) {
		struct hmac_md5_ctx ctx;

		hmac_md5_set_key(&ctx, 16, key);
		hmac_md5_update(&ctx, neg_len, neg);
		hmac_md5_update(&ctx, chal_len, chal);
		hmac_md5_update(&ctx, pos, m);
		hmac_md5_digest(&ctx, 16, m + 72);
	}
	return pos;
}

/* A bare NTLMSSP exchange (as Linux cifs does it); returns the status. */
static uint32_t run_raw(const struct fsmb_ntlmssp_conf *conf,
			const struct client_opts *o, struct fsmb_ntlmssp *n,
			uint8_t key[16])
{
	uint8_t neg[64], auth[2048];
	const uint8_t *chal;
	size_t neg_len, chal_len, auth_len;

	fsmb_ntlmssp_init(n, conf);
	neg_len = client_negotiate(neg, CLIENT_FLAGS);
	assert_int_equal(fsmb_ntlmssp_negotiate(n, neg, neg_len, &chal,
						&chal_len), 0);
	auth_len = client_authenticate(o, neg, neg_len, chal, chal_len, auth,
				       sizeof(auth), key);
	return fsmb_ntlmssp_authenticate(n, auth, auth_len);
}

/* ---- CHALLENGE -------------------------------------------------------- */

static void test_challenge_message(void **state)
{
	uint8_t neg[64], want[64];
	const uint8_t *c;
	struct fsmb_ntlmssp n;
	size_t len, ti_off, ti_len, i;
	bool seen[8] = { false };
	uint32_t flags;

	fsmb_ntlmssp_init(&n, &nconf);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg,
						client_negotiate(neg, CLIENT_FLAGS),
						&c, &len), 0);
	assert_true(fsmb_ntlmssp_is_msg(c, len, FSMB_NTLMSSP_CHALLENGE_MSG));
	flags = le32(c + 20);
	/* Echoed: what the client asked for; always: our own. */
	assert_int_equal(flags & CLIENT_FLAGS, CLIENT_FLAGS);
	assert_true(flags & FSMB_NTLMSSP_NEGOTIATE_TARGET_INFO);
	assert_true(flags & FSMB_NTLMSSP_TARGET_TYPE_SERVER);
	assert_false(flags & FSMB_NTLMSSP_NEGOTIATE_SEAL);
	assert_false(flags & FSMB_NTLMSSP_NEGOTIATE_56);
	assert_false(flags & FSMB_NTLMSSP_NEGOTIATE_LM_KEY);
	assert_memory_equal(c + 24, n.challenge, 8);
	/* TargetName: the NetBIOS name. */
	assert_int_equal(le16(c + 12), u16("FSMBVM", want, false));
	assert_memory_equal(c + le32(c + 16), want, le16(c + 12));
	ti_len = le16(c + 40);
	ti_off = le32(c + 44);
	assert_int_equal(ti_off + ti_len, len);
	for (i = ti_off; i < ti_off + ti_len;) {
		uint16_t id = le16(c + i), alen = le16(c + i + 2);

		assert_true(id < 8);
		seen[id] = true;
		if (id == FSMB_MSV_AV_NB_COMPUTER_NAME ||
		    id == FSMB_MSV_AV_NB_DOMAIN_NAME) {
			assert_int_equal(alen, u16("FSMBVM", want, false));
			assert_memory_equal(c + i + 4, want, alen);
		}
		if (id == FSMB_MSV_AV_DNS_COMPUTER_NAME) {
			assert_int_equal(alen, u16("fsmbvm.example", want, false));
			assert_memory_equal(c + i + 4, want, alen);
		}
		if (id == FSMB_MSV_AV_TIMESTAMP)
			assert_int_equal(alen, 8);
		i += 4 + alen;
		if (id == FSMB_MSV_AV_EOL)
			assert_int_equal(i, len);
	}
	assert_true(seen[FSMB_MSV_AV_EOL] && seen[FSMB_MSV_AV_NB_COMPUTER_NAME] &&
		    seen[FSMB_MSV_AV_NB_DOMAIN_NAME] &&
		    seen[FSMB_MSV_AV_DNS_COMPUTER_NAME] &&
		    seen[FSMB_MSV_AV_DNS_DOMAIN_NAME] &&
		    seen[FSMB_MSV_AV_TIMESTAMP]);
	/* A conversation takes one NEGOTIATE. */
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, 40, &c, &len), -EINVAL);
	fsmb_ntlmssp_free(&n);
}

static void test_negotiate_rejects(void **state)
{
	uint8_t neg[64], big[FSMB_NTLMSSP_MAX_NEGOTIATE + 1];
	const uint8_t *c;
	struct fsmb_ntlmssp n;
	size_t len, i;

	/* OEM only */
	fsmb_ntlmssp_init(&n, &nconf);
	len = client_negotiate(neg, FSMB_NTLMSSP_NEGOTIATE_OEM |
				    FSMB_NTLMSSP_NEGOTIATE_NTLM);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, len, &c, &len),
			 -EINVAL);
	fsmb_ntlmssp_free(&n);
	/* every truncation, a wrong type, an oversized message */
	len = client_negotiate(neg, CLIENT_FLAGS);
	for (i = 0; i < 16; i++) {
		size_t l;

		fsmb_ntlmssp_init(&n, &nconf);
		assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, i, &c, &l),
				 -EINVAL);
		fsmb_ntlmssp_free(&n);
	}
	fsmb_ntlmssp_init(&n, &nconf);
	neg[8] = 3;
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, len, &c, &len),
			 -EINVAL);
	fsmb_ntlmssp_free(&n);
	fsmb_ntlmssp_init(&n, &nconf);
	memset(big, 0, sizeof(big));
	client_negotiate(big, CLIENT_FLAGS);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, big, sizeof(big), &c, &len),
			 -EINVAL);
	fsmb_ntlmssp_free(&n);
}

/* ---- whole exchanges -------------------------------------------------- */

static void test_exchange_ok(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP" };
	struct fsmb_ntlmssp n;
	uint8_t key[16];

	assert_int_equal(run_raw(&nconf, &o, &n, key), FSMB_STATUS_SUCCESS);
	assert_memory_equal(n.session_key, key, 16);
	assert_memory_equal(key, client_random_key, 16);
	assert_string_equal(n.user, "alice");
	assert_string_equal(n.domain, "WORKGROUP");
	assert_false(n.anonymous);
	fsmb_ntlmssp_free(&n);
}

static void test_exchange_mic(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP", .mic = true };
	uint8_t neg[64], auth[2048], key[16];
	struct fsmb_ntlmssp n;
	const uint8_t *chal;
	size_t neg_len, chal_len, auth_len;

	assert_int_equal(run_raw(&nconf, &o, &n, key), FSMB_STATUS_SUCCESS);
	assert_true(n.auth_mic);
	assert_memory_equal(n.session_key, key, 16);
	fsmb_ntlmssp_free(&n);

	/* A MIC that does not match, or no room for one: refused. */
	fsmb_ntlmssp_init(&n, &nconf);
	neg_len = client_negotiate(neg, CLIENT_FLAGS);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, neg_len, &chal,
						&chal_len), 0);
	auth_len = client_authenticate(&o, neg, neg_len, chal, chal_len, auth,
				       sizeof(auth), key);
	auth[80] ^= 1;
	assert_int_equal(fsmb_ntlmssp_authenticate(&n, auth, auth_len),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(n.fail_reason, "bad AUTHENTICATE MIC");
	fsmb_ntlmssp_free(&n);
}

static void test_exchange_no_key_exchange(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP" };
	uint8_t neg[64], auth[2048], key[16];
	struct fsmb_ntlmssp n;
	const uint8_t *chal;
	size_t neg_len, chal_len, auth_len;

	/* The client does not offer KEY_EXCH: the key is the base key. */
	fsmb_ntlmssp_init(&n, &nconf);
	neg_len = client_negotiate(neg, CLIENT_FLAGS &
				   ~FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, neg_len, &chal,
						&chal_len), 0);
	auth_len = client_authenticate(&o, neg, neg_len, chal, chal_len, auth,
				       sizeof(auth), key);
	assert_int_equal(fsmb_ntlmssp_authenticate(&n, auth, auth_len),
			 FSMB_STATUS_SUCCESS);
	assert_memory_equal(n.session_key, key, 16);
	assert_memory_not_equal(key, client_random_key, 16);
	fsmb_ntlmssp_free(&n);

	/* KEY_EXCH agreed but no encrypted key sent. */
	o.no_key = true;
	assert_int_equal(run_raw(&nconf, &o, &n, key),
			 FSMB_STATUS_LOGON_FAILURE);
	fsmb_ntlmssp_free(&n);
}

static void test_wrong_password(void **state)
{
	struct client_opts o = { .user = "alice", .password = "Secret",
				 .domain = "WORKGROUP" };
	struct fsmb_ntlmssp n;
	uint8_t key[16], zero[16] = { 0 };

	assert_int_equal(run_raw(&nconf, &o, &n, key),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(n.fail_reason, "wrong password");
	assert_memory_equal(n.session_key, zero, 16);
	fsmb_ntlmssp_free(&n);
}

static void test_unknown_user(void **state)
{
	struct client_opts o = { .user = "mallory", .password = "secret",
				 .domain = "WORKGROUP" };
	struct fsmb_ntlmssp n;
	uint8_t key[16];

	assert_int_equal(run_raw(&nconf, &o, &n, key),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(n.fail_reason, "unknown user");
	/* For the log: the name as the client sent it. */
	assert_string_equal(n.user, "mallory");
	fsmb_ntlmssp_free(&n);
}

static void test_user_case_insensitive(void **state)
{
	struct client_opts o = { .user = "ALICE", .password = "secret",
				 .domain = "WORKGROUP" };
	struct fsmb_ntlmssp n;
	uint8_t key[16];

	assert_int_equal(run_raw(&nconf, &o, &n, key), FSMB_STATUS_SUCCESS);
	assert_string_equal(n.user, "alice");
	fsmb_ntlmssp_free(&n);
}

/*
 * The domain in NTOWFv2 is the client's; when that fails, its upper-case
 * form, none, the workgroup and the NetBIOS name are tried.
 */
static void test_domains_tried(void **state)
{
	static const struct {
		const char *sent, *hashed;
		uint32_t status;
	} cases[] = {
		{ "Domain", "Domain", FSMB_STATUS_SUCCESS },
		{ "Domain", "DOMAIN", FSMB_STATUS_SUCCESS },
		{ "", "", FSMB_STATUS_SUCCESS },
		{ "Domain", "", FSMB_STATUS_SUCCESS },
		{ "", "WORKGROUP", FSMB_STATUS_SUCCESS },
		{ "Domain", "FSMBVM", FSMB_STATUS_SUCCESS },
		{ "Domain", "domain", FSMB_STATUS_LOGON_FAILURE },
		{ "", "ELSEWHERE", FSMB_STATUS_LOGON_FAILURE },
	};
	struct fsmb_ntlmssp n;
	uint8_t key[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct client_opts o = { .user = "alice",
					 .password = "secret",
					 .domain = cases[i].sent,
					 .hash_domain = cases[i].hashed };

		assert_int_equal(run_raw(&nconf, &o, &n, key), cases[i].status);
		if (cases[i].status == FSMB_STATUS_SUCCESS)
			assert_memory_equal(n.session_key, key, 16);
		fsmb_ntlmssp_free(&n);
	}
}

static void test_ntlmv1_refused(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP", .ntlmv1 = true };
	struct fsmb_ntlmssp n;
	uint8_t key[16];

	assert_int_equal(run_raw(&nconf, &o, &n, key),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(n.fail_reason, "NTLMv1 authentication refused");
	fsmb_ntlmssp_free(&n);
}

static void test_anonymous(void **state)
{
	struct fsmb_ntlmssp_conf anon = nconf;
	struct client_opts o = { .anonymous = true };
	struct fsmb_ntlmssp n;
	uint8_t key[16];

	assert_int_equal(run_raw(&nconf, &o, &n, key),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(n.fail_reason, "anonymous logons are disabled");
	fsmb_ntlmssp_free(&n);

	anon.allow_anonymous = true;
	assert_int_equal(run_raw(&anon, &o, &n, key), FSMB_STATUS_SUCCESS);
	assert_true(n.anonymous);
	assert_string_equal(n.user, "");
	/* Z(16) base key, still unwrapping the client's random key. */
	assert_memory_equal(n.session_key, key, 16);
	fsmb_ntlmssp_free(&n);
}

/* Every prefix of a good AUTHENTICATE, and every byte flipped. */
static void test_truncated_and_corrupted(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP", .mic = true };
	uint8_t neg[64], auth[2048], bad[2048], key[16];
	const uint8_t *chal;
	size_t neg_len, chal_len, auth_len, i;
	struct fsmb_ntlmssp n;

	fsmb_ntlmssp_init(&n, &nconf);
	neg_len = client_negotiate(neg, CLIENT_FLAGS);
	assert_int_equal(fsmb_ntlmssp_negotiate(&n, neg, neg_len, &chal,
						&chal_len), 0);
	auth_len = client_authenticate(&o, neg, neg_len, chal, chal_len, auth,
				       sizeof(auth), key);
	for (i = 0; i < auth_len; i++) {
		/* Exactly sized heap copies, so ASan sees any over-read. */
		uint8_t *p = malloc(i ? i : 1);

		assert_non_null(p);
		memcpy(p, auth, i);
		assert_int_equal(fsmb_ntlmssp_authenticate(&n, p, i),
				 FSMB_STATUS_LOGON_FAILURE);
		free(p);
	}
	/* The MIC covers every byte, so no change goes unnoticed. */
	for (i = 0; i < auth_len; i++) {
		memcpy(bad, auth, auth_len);
		bad[i] ^= 0x80;
		assert_int_equal(fsmb_ntlmssp_authenticate(&n, bad, auth_len),
				 FSMB_STATUS_LOGON_FAILURE);
	}
	/* Garbage shaped like an AUTHENTICATE: huge offsets and lengths. */
	memcpy(bad, auth, 64);
	for (i = 12; i < 60; i += 8) {
		put16(bad + i, 0xffff);
		put32(bad + i + 4, 0xfffffff0);
	}
	assert_int_equal(fsmb_ntlmssp_authenticate(&n, bad, 64),
			 FSMB_STATUS_LOGON_FAILURE);
	fsmb_ntlmssp_free(&n);

	/* AUTHENTICATE without a CHALLENGE first. */
	fsmb_ntlmssp_init(&n, &nconf);
	assert_int_equal(fsmb_ntlmssp_authenticate(&n, auth, auth_len),
			 FSMB_STATUS_LOGON_FAILURE);
	fsmb_ntlmssp_free(&n);
}

/* ---- the same through SPNEGO ------------------------------------------ */

static void client_sign(const uint8_t key[16], uint32_t flags, bool server,
			const uint8_t *msg, size_t len, uint8_t sig[16])
{
	static const char *const sign_magic[] = {
		"session key to client-to-server signing key magic constant",
		"session key to server-to-client signing key magic constant",
	};
	static const char *const seal_magic[] = {
		"session key to client-to-server sealing key magic constant",
		"session key to server-to-client sealing key magic constant",
	};
	uint8_t sign_key[16], seal_key[16], mac[16], seq[4] = { 0 };
	struct arcfour_ctx rc4;
	struct md5_ctx md5;

	md5_init(&md5);
	md5_update(&md5, 16, key);
	md5_update(&md5, strlen(sign_magic[server]) + 1,
		   (const uint8_t *)sign_magic[server]);
	md5_digest(&md5, 16, sign_key);
	md5_init(&md5);
	md5_update(&md5, (flags & FSMB_NTLMSSP_NEGOTIATE_128) ? 16 : 5, key);
	md5_update(&md5, strlen(seal_magic[server]) + 1,
		   (const uint8_t *)seal_magic[server]);
	md5_digest(&md5, 16, seal_key);
	hmac(sign_key, 16, seq, 4, msg, len, mac);
	put32(sig, 1);
	arcfour_set_key(&rc4, 16, seal_key);
	arcfour_crypt(&rc4, 8, sig + 4, mac);
	memcpy(sig + 12, seq, 4);
}

static const uint8_t mech_types_ntlmssp[] = {
	0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
	0x01, 0x82, 0x37, 0x02, 0x02, 0x0a
};

/* NegTokenInit [NTLMSSP] with an optimistic NEGOTIATE, GSS-wrapped. */
static size_t spnego_init(const uint8_t *neg, size_t neg_len, uint8_t *out)
{
	uint8_t inner[256];
	size_t n = 0, m = 0;

	inner[n++] = 0x30;
	inner[n++] = (uint8_t)(2 + sizeof(mech_types_ntlmssp) + 4 + neg_len);
	inner[n++] = 0xa0;
	inner[n++] = sizeof(mech_types_ntlmssp);
	memcpy(inner + n, mech_types_ntlmssp, sizeof(mech_types_ntlmssp));
	n += sizeof(mech_types_ntlmssp);
	inner[n++] = 0xa2;
	inner[n++] = (uint8_t)(2 + neg_len);
	inner[n++] = 0x04;
	inner[n++] = (uint8_t)neg_len;
	memcpy(inner + n, neg, neg_len);
	n += neg_len;

	out[m++] = 0x60;
	out[m++] = (uint8_t)(8 + 2 + n);
	memcpy(out + m, "\x06\x06\x2b\x06\x01\x05\x05\x02", 8);
	m += 8;
	out[m++] = 0xa0;
	out[m++] = (uint8_t)n;
	memcpy(out + m, inner, n);
	return m + n;
}

/*
 * A Samba-like client through SPNEGO: NTLMSSP MIC, and a mechListMIC that
 * it checks the server's against. Returns the final status.
 */
static uint32_t run_spnego(const struct client_opts *o, bool send_mic,
			   bool corrupt_mic, uint8_t key[16], uint8_t **final,
			   size_t *final_len, struct fsmb_spnego_srv *s)
{
	uint8_t neg[64], init[256], auth[2048], resp[2200], sig[16];
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t neg_len, out_len, auth_len;
	ssize_t resp_len;
	uint32_t st;

	fsmb_spnego_srv_init(s, &nconf);
	neg_len = client_negotiate(neg, CLIENT_FLAGS);
	st = fsmb_spnego_srv_step(s, init, spnego_init(neg, neg_len, init),
				  &out, &out_len);
	assert_int_equal(st, FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_INCOMPLETE);
	assert_true(r.has_mech && r.mech_is_ntlmssp);
	assert_non_null(r.token);
	auth_len = client_authenticate(o, neg, neg_len, r.token, r.token_len,
				       auth, sizeof(auth), key);
	client_sign(key, le32(r.token + 20), false, mech_types_ntlmssp,
		    sizeof(mech_types_ntlmssp), sig);
	if (corrupt_mic)
		sig[5] ^= 1;
	free(out);
	resp_len = fsmb_spnego_build_resp(resp, sizeof(resp),
					  FSMB_SPNEGO_NO_STATE, false, auth,
					  auth_len, send_mic ? sig : NULL,
					  sizeof(sig));
	assert_true(resp_len > 0);
	return fsmb_spnego_srv_step(s, resp, (size_t)resp_len, final,
				    final_len);
}

static void test_spnego_exchange(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP", .mic = true };
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t key[16], want[16];
	uint8_t *out;
	size_t out_len;

	assert_int_equal(run_spnego(&o, true, false, key, &out, &out_len, &s),
			 FSMB_STATUS_SUCCESS);
	assert_memory_equal(s.ntlm.session_key, key, 16);
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_COMPLETED);
	assert_null(r.token);
	assert_int_equal(r.mic_len, 16);
	client_sign(key, s.ntlm.flags, true, mech_types_ntlmssp,
		    sizeof(mech_types_ntlmssp), want);
	assert_memory_equal(r.mic, want, 16);
	free(out);
	fsmb_spnego_srv_free(&s);

	/* A client without the NTLMSSP MIC and without mechListMIC. */
	o.mic = false;
	assert_int_equal(run_spnego(&o, false, false, key, &out, &out_len, &s),
			 FSMB_STATUS_SUCCESS);
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_COMPLETED);
	assert_null(r.mic);
	free(out);
	fsmb_spnego_srv_free(&s);
}

static void test_spnego_mech_list_mic_required(void **state)
{
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP", .mic = true };
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t key[16];
	uint8_t *out;
	size_t out_len;

	/* NTLMSSP MIC sent, mechListMIC missing or wrong: rejected. */
	assert_int_equal(run_spnego(&o, false, false, key, &out, &out_len, &s),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(s.fail_reason, "client sent no mechListMIC");
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
	free(out);
	fsmb_spnego_srv_free(&s);

	assert_int_equal(run_spnego(&o, true, true, key, &out, &out_len, &s),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(s.fail_reason, "bad mechListMIC");
	free(out);
	fsmb_spnego_srv_free(&s);

	/* Wrong password inside SPNEGO: a reject token. */
	o.password = "nope";
	assert_int_equal(run_spnego(&o, true, false, key, &out, &out_len, &s),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
	free(out);
	fsmb_spnego_srv_free(&s);
}

/*
 * Kerberos first in the client's list: the server answers request-mic,
 * takes the NEGOTIATE in a second leg, and then insists on the
 * mechListMIC (over the client's whole list) even without an NTLMSSP MIC.
 */
static uint32_t run_downgraded(bool send_mic, uint8_t **final,
			       size_t *final_len, struct fsmb_spnego_srv *s)
{
	static const uint8_t mech_types[] = {
		0x30, 0x17,
		0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
		0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02,
		0x02, 0x0a,
	};
	static const uint8_t init[] = {
		0x60, 0x2f, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02,
		0xa0, 0x25, 0x30, 0x23, 0xa0, 0x19,
		0x30, 0x17,
		0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
		0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02,
		0x02, 0x0a,
		0xa2, 0x06, 0x04, 0x04, 'k', 'r', 'b', '5',
	};
	struct client_opts o = { .user = "alice", .password = "secret",
				 .domain = "WORKGROUP" };
	uint8_t neg[64], auth[2048], resp[2200], sig[16], key[16];
	struct fsmb_spnego_resp r;
	size_t neg_len, out_len, auth_len;
	uint8_t *out;
	ssize_t n;

	fsmb_spnego_srv_init(s, &nconf);
	assert_int_equal(fsmb_spnego_srv_step(s, init, sizeof(init), &out,
					      &out_len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REQUEST_MIC);
	free(out);

	neg_len = client_negotiate(neg, CLIENT_FLAGS);
	n = fsmb_spnego_build_resp(resp, sizeof(resp), FSMB_SPNEGO_NO_STATE,
				   false, neg, neg_len, NULL, 0);
	assert_int_equal(fsmb_spnego_srv_step(s, resp, (size_t)n, &out,
					      &out_len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(fsmb_spnego_parse_resp(out, out_len, &r), 0);
	auth_len = client_authenticate(&o, neg, neg_len, r.token, r.token_len,
				       auth, sizeof(auth), key);
	client_sign(key, le32(r.token + 20), false, mech_types,
		    sizeof(mech_types), sig);
	free(out);
	n = fsmb_spnego_build_resp(resp, sizeof(resp), FSMB_SPNEGO_NO_STATE,
				   false, auth, auth_len,
				   send_mic ? sig : NULL, sizeof(sig));
	return fsmb_spnego_srv_step(s, resp, (size_t)n, final, final_len);
}

static void test_spnego_downgrade(void **state)
{
	struct fsmb_spnego_srv s;
	struct fsmb_spnego_resp r;
	uint8_t *out;
	size_t len;

	assert_int_equal(run_downgraded(true, &out, &len, &s),
			 FSMB_STATUS_SUCCESS);
	assert_int_equal(fsmb_spnego_parse_resp(out, len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_ACCEPT_COMPLETED);
	assert_int_equal(r.mic_len, 16);
	free(out);
	fsmb_spnego_srv_free(&s);

	assert_int_equal(run_downgraded(false, &out, &len, &s),
			 FSMB_STATUS_LOGON_FAILURE);
	assert_string_equal(s.fail_reason, "client sent no mechListMIC");
	free(out);
	fsmb_spnego_srv_free(&s);
}

/* ---- Samba's client, recorded ----------------------------------------- */

/* samba_*_hex: the recorded exchange in tests/common/ntlmssp_vectors.c */

static void test_samba_client_replay(void **state)
{
	uint8_t init[128], resp1[256], auth[512], final[64], key[16];
	size_t init_len, resp1_len, auth_len, final_len;
	struct fsmb_spnego_resp r;
	struct fsmb_spnego_init ini;
	struct fsmb_spnego_srv s;
	uint8_t *out;
	size_t out_len;

	init_len = unhex(samba_init_hex, init, sizeof(init));
	resp1_len = unhex(samba_resp1_hex, resp1, sizeof(resp1));
	auth_len = unhex(samba_auth_hex, auth, sizeof(auth));
	final_len = unhex(samba_final_hex, final, sizeof(final));
	unhex(samba_key_hex, key, sizeof(key));

	assert_int_equal(fsmb_spnego_parse_init(init, init_len, &ini), 0);
	assert_int_equal(ini.ntlmssp_pos, 0);
	assert_true(fsmb_ntlmssp_is_msg(ini.mech_token, ini.mech_token_len,
					FSMB_NTLMSSP_NEGOTIATE_MSG));

	fsmb_spnego_srv_init(&s, &nconf);
	assert_int_equal(fsmb_spnego_srv_step(&s, init, init_len, &out,
					      &out_len),
			 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	free(out);
	/* What we sent then (its challenge and timestamp). */
	assert_int_equal(fsmb_spnego_parse_resp(resp1, resp1_len, &r), 0);
	force_challenge(&s.ntlm, r.token, r.token_len);

	assert_int_equal(fsmb_spnego_srv_step(&s, auth, auth_len, &out,
					      &out_len),
			 FSMB_STATUS_SUCCESS);
	assert_true(s.ntlm.auth_mic);
	assert_string_equal(s.ntlm.user, "alice");
	assert_string_equal(s.ntlm.domain, "WORKGROUP");
	assert_memory_equal(s.ntlm.session_key, key, 16);
	/* The final token, mechListMIC included, is the one Samba accepted. */
	assert_int_equal(out_len, final_len);
	assert_memory_equal(out, final, final_len);
	free(out);
	fsmb_spnego_srv_free(&s);
}

/* ---- auth.c: conversations, the users file, unix accounts ------------ */

static struct fsmb_share_conf shares[3];
static char *alice_only[] = { "alice" };
static struct fsmb_conf conf = {
	.netbios_name = "FSMBVM",
	.workgroup = "WORKGROUP",
	.guest_account = "nobody",
	.shares = shares,
	.nshares = 3,
};

static int setup_state(void **state)
{
	assert_non_null(mkdtemp(state_dir));
	conf.state_dir = state_dir;
	/* root and nobody exist everywhere; "ghost" has no unix account. */
	assert_int_equal(fsmb_users_set(state_dir, "Root", "rootpw"), 0);
	assert_int_equal(fsmb_users_set(state_dir, "ghost", "ghostpw"), 0);
	shares[0] = (struct fsmb_share_conf){ .name = "data", .path = "/srv/data",
					      .comment = "", .read_only = false };
	shares[1] = (struct fsmb_share_conf){ .name = "Public", .path = "/srv/pub",
					      .comment = "", .read_only = true,
					      .guest_ok = true };
	shares[2] = (struct fsmb_share_conf){ .name = "alice", .path = "/srv/a",
					      .comment = "", .valid_users = alice_only,
					      .n_valid_users = 1 };
	return 0;
}

static int teardown_state(void **state)
{
	char path[sizeof(state_dir) + 16];

	snprintf(path, sizeof(path), "%s/users", state_dir);
	unlink(path);
	rmdir(state_dir);
	return 0;
}

static void test_users_file_lookup(void **state)
{
	uint8_t hash[16], want[16];
	char canon[FSMB_MAX_NAME];

	nt_hash_of("rootpw", want);
	assert_int_equal(fsmb_auth_lookup(state_dir, "ROOT", canon,
					  sizeof(canon), hash), 0);
	assert_string_equal(canon, "Root");
	assert_memory_equal(hash, want, 16);
	assert_int_equal(fsmb_auth_lookup(state_dir, "nobody-here", canon,
					  sizeof(canon), hash), -ENOENT);
}

/* Drive auth.c with bare NTLMSSP, as the kernel would. */
static void auth_raw(struct fsmb_auth *a, uint64_t handle,
		     const struct client_opts *o, struct fsmb_login_result *res,
		     uint8_t key[16])
{
	uint8_t neg[64], auth[2048];
	struct fsmb_login_req req = { handle, neg, 0, "192.0.2.1" };
	size_t auth_len;

	req.blob_len = client_negotiate(neg, CLIENT_FLAGS);
	fsmb_auth_login(a, &conf, &req, res);
	assert_int_equal(res->status, FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	assert_int_equal(fsmb_auth_count(a), 1);
	auth_len = client_authenticate(o, neg, req.blob_len, res->blob,
				       res->blob_len, auth, sizeof(auth), key);
	fsmb_login_result_free(res);
	req.blob = auth;
	req.blob_len = auth_len;
	fsmb_auth_login(a, &conf, &req, res);
	/* Finished either way: the conversation is gone. */
	assert_int_equal(fsmb_auth_count(a), 0);
}

static void test_auth_login(void **state)
{
	struct client_opts o = { .user = "root", .password = "rootpw",
				 .domain = "WORKGROUP", .mic = true };
	struct fsmb_auth *a = fsmb_auth_new();
	struct fsmb_login_result res;
	uint8_t key[16];
	size_t i;
	bool has_gid0 = false;

	assert_non_null(a);
	auth_raw(a, 7, &o, &res, key);
	assert_int_equal(res.status, FSMB_STATUS_SUCCESS);
	assert_int_equal(res.blob_len, 0);
	assert_memory_equal(res.session_key, key, 16);
	assert_int_equal(res.uid, 0);
	assert_int_equal(res.gid, 0);
	assert_true(res.ngroups >= 1 && res.ngroups <= FSMB_MAX_GROUPS);
	for (i = 0; i < res.ngroups; i++)
		has_gid0 |= res.groups[i] == 0;
	assert_true(has_gid0);
	assert_string_equal(res.user, "Root");
	assert_string_equal(res.domain, "FSMBVM");
	assert_int_equal(res.session_flags, 0);
	fsmb_login_result_free(&res);

	o.password = "wrong";
	auth_raw(a, 8, &o, &res, key);
	assert_int_equal(res.status, FSMB_STATUS_LOGON_FAILURE);
	assert_null(res.blob);
	fsmb_login_result_free(&res);

	/* Right password, no unix account. */
	o.user = "ghost";
	o.password = "ghostpw";
	auth_raw(a, 9, &o, &res, key);
	assert_int_equal(res.status, FSMB_STATUS_LOGON_FAILURE);
	fsmb_login_result_free(&res);
	fsmb_auth_free(a);
}

static void test_auth_anonymous_guest(void **state)
{
	struct client_opts o = { .anonymous = true };
	struct fsmb_auth *a = fsmb_auth_new();
	struct fsmb_login_result res;
	uint8_t key[16];

	/* A guest ok share exists ("Public"): anonymous maps to nobody. */
	auth_raw(a, 1, &o, &res, key);
	assert_int_equal(res.status, FSMB_STATUS_SUCCESS);
	assert_string_equal(res.user, "nobody");
	assert_int_equal(res.uid, 65534);
	assert_int_equal(res.session_flags,
			 FSMB_SESSION_ANONYMOUS | FSMB_SESSION_GUEST);
	fsmb_login_result_free(&res);

	shares[1].guest_ok = false;
	auth_raw(a, 2, &o, &res, key);
	assert_int_equal(res.status, FSMB_STATUS_LOGON_FAILURE);
	fsmb_login_result_free(&res);
	shares[1].guest_ok = true;
	fsmb_auth_free(a);
}

static void test_auth_spnego_failure_blob(void **state)
{
	uint8_t neg[64], init[256];
	struct fsmb_auth *a = fsmb_auth_new();
	struct fsmb_login_req req = { 3, init, 0, NULL };
	struct fsmb_login_result res;
	struct fsmb_spnego_resp r;

	req.blob_len = spnego_init(neg, client_negotiate(neg, CLIENT_FLAGS),
				   init);
	fsmb_auth_login(a, &conf, &req, &res);
	assert_int_equal(res.status, FSMB_STATUS_MORE_PROCESSING_REQUIRED);
	fsmb_login_result_free(&res);
	/* Garbage for the second leg: a SPNEGO reject, and no conversation. */
	req.blob_len = 5;
	fsmb_auth_login(a, &conf, &req, &res);
	assert_int_equal(res.status, FSMB_STATUS_INVALID_PARAMETER);
	assert_int_equal(fsmb_spnego_parse_resp(res.blob, res.blob_len, &r), 0);
	assert_int_equal(r.neg_state, FSMB_SPNEGO_REJECT);
	assert_int_equal(fsmb_auth_count(a), 0);
	fsmb_login_result_free(&res);
	fsmb_auth_free(a);
}

static void test_auth_table_bounded(void **state)
{
	struct fsmb_auth *a = fsmb_auth_new();
	struct fsmb_login_result res;
	struct fsmb_login_req req;
	uint8_t neg[64];
	uint64_t h;

	req.blob = neg;
	req.blob_len = client_negotiate(neg, CLIENT_FLAGS);
	req.client_addr = NULL;
	for (h = 0; h < FSMB_AUTH_MAX_CONVS; h++) {
		req.handle = h;
		fsmb_auth_login(a, &conf, &req, &res);
		assert_int_equal(res.status,
				 FSMB_STATUS_MORE_PROCESSING_REQUIRED);
		fsmb_login_result_free(&res);
	}
	assert_int_equal(fsmb_auth_count(a), FSMB_AUTH_MAX_CONVS);
	req.handle = FSMB_AUTH_MAX_CONVS;
	fsmb_auth_login(a, &conf, &req, &res);
	assert_int_equal(res.status, FSMB_STATUS_INSUFFICIENT_RESOURCES);
	fsmb_login_result_free(&res);
	/* Nothing is old enough to expire yet. */
	fsmb_auth_expire(a);
	assert_int_equal(fsmb_auth_count(a), FSMB_AUTH_MAX_CONVS);
	fsmb_auth_free(a);
}

/* ---- tree.c ----------------------------------------------------------- */

static void test_tree_policy(void **state)
{
	static const struct {
		const char *share, *user;
		uint32_t flags, status, share_flags;
		const char *path;
	} cases[] = {
		{ "IPC$", "nobody", FSMB_SESSION_ANONYMOUS | FSMB_SESSION_GUEST,
		  FSMB_STATUS_SUCCESS, FSMB_SHARE_IPC, NULL },
		{ "ipc$", "alice", 0, FSMB_STATUS_SUCCESS, FSMB_SHARE_IPC, NULL },
		{ "DATA", "bob", 0, FSMB_STATUS_SUCCESS, 0, "/srv/data" },
		{ "\\\\FSMBVM\\data", "bob", 0, FSMB_STATUS_SUCCESS, 0,
		  "/srv/data" },
		{ "public", "bob", 0, FSMB_STATUS_SUCCESS,
		  FSMB_SHARE_READ_ONLY, "/srv/pub" },
		{ "nosuch", "bob", 0, FSMB_STATUS_BAD_NETWORK_NAME, 0, NULL },
		{ "alice", "Alice", 0, FSMB_STATUS_SUCCESS, 0, "/srv/a" },
		{ "alice", "bob", 0, FSMB_STATUS_ACCESS_DENIED, 0, NULL },
		/* Guests: guest ok shares only. */
		{ "public", "nobody", FSMB_SESSION_GUEST, FSMB_STATUS_SUCCESS,
		  FSMB_SHARE_READ_ONLY, "/srv/pub" },
		{ "data", "nobody", FSMB_SESSION_ANONYMOUS | FSMB_SESSION_GUEST,
		  FSMB_STATUS_ACCESS_DENIED, 0, NULL },
		{ "data", "nobody", 0, FSMB_STATUS_ACCESS_DENIED, 0, NULL },
	};
	struct fsmb_tree_result res;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fsmb_tree_connect(&conf, cases[i].share, cases[i].user,
				  cases[i].flags, &res);
		assert_int_equal(res.status, cases[i].status);
		assert_int_equal(res.flags, cases[i].share_flags);
		if (cases[i].path)
			assert_string_equal(res.path, cases[i].path);
		else
			assert_null(res.path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_nt_hash_and_ntowfv2),
		cmocka_unit_test(test_spec_proof_and_keys),
		cmocka_unit_test(test_spec_authenticate),
		cmocka_unit_test(test_challenge_message),
		cmocka_unit_test(test_negotiate_rejects),
		cmocka_unit_test(test_exchange_ok),
		cmocka_unit_test(test_exchange_mic),
		cmocka_unit_test(test_exchange_no_key_exchange),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_unknown_user),
		cmocka_unit_test(test_user_case_insensitive),
		cmocka_unit_test(test_domains_tried),
		cmocka_unit_test(test_ntlmv1_refused),
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_truncated_and_corrupted),
		cmocka_unit_test(test_spnego_exchange),
		cmocka_unit_test(test_spnego_mech_list_mic_required),
		cmocka_unit_test(test_spnego_downgrade),
		cmocka_unit_test(test_samba_client_replay),
		cmocka_unit_test(test_users_file_lookup),
		cmocka_unit_test(test_auth_login),
		cmocka_unit_test(test_auth_anonymous_guest),
		cmocka_unit_test(test_auth_spnego_failure_blob),
		cmocka_unit_test(test_auth_table_bounded),
		cmocka_unit_test(test_tree_policy),
	};

	return cmocka_run_group_tests_name("ntlmssp", tests, setup_state,
					   teardown_state);
}
