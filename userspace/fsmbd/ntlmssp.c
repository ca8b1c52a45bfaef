// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/memops.h>

#include "ntlmssp.h"
#include "ntstatus.h"
#include "utf16.h"

static const uint8_t ntlmssp_sig[8] = "NTLMSSP";	/* with its NUL */

/* Fixed header sizes of the three messages ([MS-NLMP] 2.2.1). */
/* NEGOTIATE up to its flags: old clients send nothing more. */
#define NEGOTIATE_MIN		16
#define CHALLENGE_HDR		56	/* with the Version field */
#define AUTHENTICATE_HDR	64	/* without Version and MIC */
#define AUTHENTICATE_MIC_OFF	72
#define AUTHENTICATE_MIC_END	88

/* NTLMv2_RESPONSE: NTProofStr, then NTLMv2_CLIENT_CHALLENGE ("temp"). */
#define NTPROOF_LEN		16
#define TEMP_FIXED_LEN		28	/* before its AV pairs */
#define NTLMV1_RESPONSE_LEN	24

/* Longest user or domain accepted: FSMB_MAX_NAME UTF-16 code units. */
#define MAX_NAME16		(2 * FSMB_MAX_NAME)

/*
 * Flags the server echoes when the client asks for them; the rest of the
 * CHALLENGE flags are always set. LM_KEY is never echoed: extended session
 * security supersedes it.
 */
#define ECHOED_FLAGS (FSMB_NTLMSSP_NEGOTIATE_SIGN |			\
		      FSMB_NTLMSSP_NEGOTIATE_SEAL |			\
		      FSMB_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |	\
		      FSMB_NTLMSSP_NEGOTIATE_128 |			\
		      FSMB_NTLMSSP_NEGOTIATE_56 |			\
		      FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH)
#define SERVER_FLAGS (FSMB_NTLMSSP_NEGOTIATE_UNICODE |			\
		      FSMB_NTLMSSP_REQUEST_TARGET |			\
		      FSMB_NTLMSSP_NEGOTIATE_NTLM |			\
		      FSMB_NTLMSSP_NEGOTIATE_ALWAYS_SIGN |		\
		      FSMB_NTLMSSP_TARGET_TYPE_SERVER |			\
		      FSMB_NTLMSSP_NEGOTIATE_TARGET_INFO |		\
		      FSMB_NTLMSSP_NEGOTIATE_VERSION)
/* Flags a client may still drop in its AUTHENTICATE_MESSAGE. */
#define DROPPABLE_FLAGS (FSMB_NTLMSSP_NEGOTIATE_SIGN |			\
			 FSMB_NTLMSSP_NEGOTIATE_SEAL |			\
			 FSMB_NTLMSSP_NEGOTIATE_128 |			\
			 FSMB_NTLMSSP_NEGOTIATE_56 |			\
			 FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH)

/* The VERSION we announce: 6.1 build 7601, NTLMSSP revision 15. */
static const uint8_t server_version[8] = { 6, 1, 0xb1, 0x1d, 0, 0, 0, 0x0f };

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static void hmac_md5(const uint8_t *key, size_t key_len, const uint8_t *a,
		     size_t a_len, const uint8_t *b, size_t b_len,
		     uint8_t out[MD5_DIGEST_SIZE])
{
	struct hmac_md5_ctx ctx;

	hmac_md5_set_key(&ctx, key_len, key);
	hmac_md5_update(&ctx, a_len, a);
	if (b_len)
		hmac_md5_update(&ctx, b_len, b);
	hmac_md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

void fsmb_ntlmssp_init(struct fsmb_ntlmssp *n,
		       const struct fsmb_ntlmssp_conf *conf)
{
	memset(n, 0, sizeof(*n));
	n->conf = conf;
}

void fsmb_ntlmssp_free(struct fsmb_ntlmssp *n)
{
	free(n->negotiate_msg);
	free(n->challenge_msg);
	/* The session key and challenge are secrets: do not leave them. */
	explicit_bzero(n, sizeof(*n));
}

bool fsmb_ntlmssp_is_msg(const uint8_t *buf, size_t len, uint32_t type)
{
	return len >= 12 && !memcmp(buf, ntlmssp_sig, sizeof(ntlmssp_sig)) &&
	       get_le32(buf + 8) == type;
}

/* UTF-8 @s to UTF-16LE in @out; -1 when it does not fit. */
static ssize_t to_utf16(const char *s, uint8_t *out, size_t cap)
{
	return fsmb_utf8_to_utf16le(s, strlen(s), out, cap);
}

/* Appends one AV_PAIR whose value is the UTF-16LE form of @s. */
static int put_av_str(uint8_t *buf, size_t cap, size_t *pos, uint16_t id,
		      const char *s)
{
	ssize_t n;

	if (cap - *pos < 4)
		return -1;
	n = to_utf16(s, buf + *pos + 4, cap - *pos - 4);
	if (n < 0 || n > UINT16_MAX)
		return -1;
	put_le16(buf + *pos, id);
	put_le16(buf + *pos + 2, (uint16_t)n);
	*pos += 4 + (size_t)n;
	return 0;
}

static uint64_t filetime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	/* 100 ns units since 1601-01-01. */
	return ((uint64_t)ts.tv_sec + 11644473600ULL) * 10000000ULL +
	       (uint64_t)ts.tv_nsec / 100;
}

/*
 * CHALLENGE_MESSAGE: header, TargetName (our NetBIOS name), TargetInfo
 * (NetBIOS and DNS names, timestamp). The timestamp tells NTLMv2 clients
 * that we understand the MIC, so modern clients send one.
 */
static int build_challenge(struct fsmb_ntlmssp *n)
{
	const struct fsmb_ntlmssp_conf *c = n->conf;
	/* Four names of at most FSMB_MAX_NAME UTF-16 units, plus headers. */
	size_t cap = CHALLENGE_HDR + 5 * (4 + MAX_NAME16) + 16;
	size_t pos, ti_off;
	uint8_t *m;
	ssize_t tn;

	m = calloc(1, cap);
	if (!m)
		return -ENOMEM;
	memcpy(m, ntlmssp_sig, sizeof(ntlmssp_sig));
	put_le32(m + 8, FSMB_NTLMSSP_CHALLENGE_MSG);
	put_le32(m + 20, n->flags);
	memcpy(m + 24, n->challenge, sizeof(n->challenge));
	memcpy(m + 48, server_version, sizeof(server_version));

	pos = CHALLENGE_HDR;
	tn = to_utf16(c->netbios_name, m + pos, MAX_NAME16);
	if (tn < 0)
		goto fail;
	put_le16(m + 12, (uint16_t)tn);
	put_le16(m + 14, (uint16_t)tn);
	put_le32(m + 16, (uint32_t)pos);
	pos += (size_t)tn;

	ti_off = pos;
	if (put_av_str(m, cap, &pos, FSMB_MSV_AV_NB_DOMAIN_NAME,
		       c->netbios_name) ||
	    put_av_str(m, cap, &pos, FSMB_MSV_AV_NB_COMPUTER_NAME,
		       c->netbios_name) ||
	    put_av_str(m, cap, &pos, FSMB_MSV_AV_DNS_DOMAIN_NAME,
		       c->dns_domain) ||
	    put_av_str(m, cap, &pos, FSMB_MSV_AV_DNS_COMPUTER_NAME,
		       c->dns_name) ||
	    cap - pos < 16)
		goto fail;
	put_le16(m + pos, FSMB_MSV_AV_TIMESTAMP);
	put_le16(m + pos + 2, 8);
	put_le64(m + pos + 4, filetime_now());
	pos += 12;
	put_le32(m + pos, FSMB_MSV_AV_EOL);	/* id 0, length 0 */
	pos += 4;
	put_le16(m + 40, (uint16_t)(pos - ti_off));
	put_le16(m + 42, (uint16_t)(pos - ti_off));
	put_le32(m + 44, (uint32_t)ti_off);

	n->challenge_msg = m;
	n->challenge_len = pos;
	return 0;
fail:
	free(m);
	return -EINVAL;
}

int fsmb_ntlmssp_negotiate(struct fsmb_ntlmssp *n, const uint8_t *in,
			   size_t len, const uint8_t **out, size_t *out_len)
{
	uint32_t cflags;
	int ret;

	if (n->negotiate_msg || len < NEGOTIATE_MIN ||
	    len > FSMB_NTLMSSP_MAX_NEGOTIATE ||
	    !fsmb_ntlmssp_is_msg(in, len, FSMB_NTLMSSP_NEGOTIATE_MSG))
		return -EINVAL;
	cflags = get_le32(in + 12);
	/* Every client of this century speaks Unicode; OEM is not offered. */
	if (!(cflags & FSMB_NTLMSSP_NEGOTIATE_UNICODE))
		return -EINVAL;
	n->flags = SERVER_FLAGS | (cflags & ECHOED_FLAGS);

	if (getrandom(n->challenge, sizeof(n->challenge), 0) !=
	    (ssize_t)sizeof(n->challenge))
		return -EIO;
	n->negotiate_msg = malloc(len);
	if (!n->negotiate_msg)
		return -ENOMEM;
	memcpy(n->negotiate_msg, in, len);
	n->negotiate_len = len;

	ret = build_challenge(n);
	if (ret)
		return ret;
	*out = n->challenge_msg;
	*out_len = n->challenge_len;
	return 0;
}

int fsmb_ntowfv2(const uint8_t nt_hash[FSMB_NTLMSSP_KEY_LEN],
		 const uint8_t *user, size_t user_len,
		 const uint8_t *domain, size_t domain_len,
		 uint8_t out[FSMB_NTLMSSP_KEY_LEN])
{
	uint8_t upper[MAX_NAME16];

	if (!user_len || user_len > sizeof(upper))
		return -1;
	memcpy(upper, user, user_len);
	fsmb_utf16le_upper(upper, user_len);
	hmac_md5(nt_hash, FSMB_NTLMSSP_KEY_LEN, upper, user_len, domain,
		 domain_len, out);
	return 0;
}

/* A security buffer of the AUTHENTICATE_MESSAGE, checked against it. */
struct secbuf {
	const uint8_t *p;
	size_t len;
};

static int get_secbuf(const uint8_t *msg, size_t msg_len, size_t at,
		      struct secbuf *b, size_t *min_off)
{
	size_t len = get_le16(msg + at);
	size_t off = get_le32(msg + at + 4);

	/* Empty fields' offsets are not looked at: clients leave them 0. */
	if (len == 0) {
		b->p = NULL;
		b->len = 0;
		return 0;
	}
	if (off > msg_len || len > msg_len - off)
		return -1;
	b->p = msg + off;
	b->len = len;
	if (off < *min_off)
		*min_off = off;
	return 0;
}

/* The domains an NTLMv2 response is checked against, in order. */
struct domain_try {
	uint8_t buf[MAX_NAME16];
	size_t len;
};

static void add_domain(struct domain_try *d, size_t *nd, const uint8_t *s,
		       size_t len)
{
	size_t i;

	if (len > sizeof(d[0].buf))
		return;
	/* An empty field has no buffer: never hand NULL to memcpy(). */
	for (i = 0; i < *nd; i++)
		if (d[i].len == len && (!len || !memcmp(d[i].buf, s, len)))
			return;
	if (len)
		memcpy(d[*nd].buf, s, len);
	d[*nd].len = len;
	(*nd)++;
}

static void add_domain_utf8(struct domain_try *d, size_t *nd, const char *s)
{
	uint8_t buf[MAX_NAME16];
	ssize_t len = to_utf16(s, buf, sizeof(buf));

	if (len >= 0)
		add_domain(d, nd, buf, (size_t)len);
}

/*
 * MsvAvFlags from the AV pairs of an NTLMv2 client challenge. -1 when the
 * list is malformed (an AV pair running past the end).
 */
static int av_flags(const uint8_t *p, size_t len, uint32_t *flags)
{
	*flags = 0;
	while (len >= 4) {
		uint16_t id = get_le16(p);
		size_t alen = get_le16(p + 2);

		if (alen > len - 4)
			return -1;
		if (id == FSMB_MSV_AV_EOL)
			return 0;
		if (id == FSMB_MSV_AV_FLAGS && alen == 4)
			*flags = get_le32(p + 4);
		p += 4 + alen;
		len -= 4 + alen;
	}
	return 0;
}

static uint32_t auth_fail(struct fsmb_ntlmssp *n, const char *why)
{
	n->fail_reason = why;
	explicit_bzero(n->session_key, sizeof(n->session_key));
	return FSMB_STATUS_LOGON_FAILURE;
}

/* Anonymous: no user, no NT response, an empty or Z(1) LM response. */
static bool is_anonymous(const struct secbuf *user, const struct secbuf *nt,
			 const struct secbuf *lm)
{
	return user->len == 0 && nt->len == 0 &&
	       (lm->len == 0 || (lm->len == 1 && lm->p[0] == 0));
}

/*
 * Find the domain the client computed its NTLMv2 response with and derive
 * the session base key. The client's own UserDomain comes first; some
 * clients uppercase it, send none (Linux cifs without domain=) or use the
 * server's names, so those are tried too.
 */
static int check_ntlmv2(struct fsmb_ntlmssp *n, const uint8_t nt_hash[16],
			const struct secbuf *user, const struct secbuf *domain,
			const struct secbuf *nt, uint8_t base_key[16])
{
	struct domain_try *d;
	size_t nd = 0, i;
	const uint8_t *temp = nt->p + NTPROOF_LEN;
	size_t temp_len = nt->len - NTPROOF_LEN;
	uint8_t ntowf[16], proof[16];
	int ret = -1;

	d = calloc(5, sizeof(*d));
	if (!d)
		return -1;
	add_domain(d, &nd, domain->p, domain->len);
	if (domain->len && domain->len <= sizeof(d[0].buf)) {
		uint8_t upper[MAX_NAME16];

		memcpy(upper, domain->p, domain->len);
		fsmb_utf16le_upper(upper, domain->len);
		add_domain(d, &nd, upper, domain->len);
	}
	add_domain(d, &nd, (const uint8_t *)"", 0);
	add_domain_utf8(d, &nd, n->conf->workgroup);
	add_domain_utf8(d, &nd, n->conf->netbios_name);

	for (i = 0; i < nd; i++) {
		if (fsmb_ntowfv2(nt_hash, user->p, user->len, d[i].buf,
				 d[i].len, ntowf))
			break;
		hmac_md5(ntowf, 16, n->challenge, sizeof(n->challenge), temp,
			 temp_len, proof);
		if (memeql_sec(proof, nt->p, NTPROOF_LEN)) {
			/* SessionBaseKey = HMAC_MD5(NTOWFv2, NTProofStr) */
			hmac_md5(ntowf, 16, proof, NTPROOF_LEN, NULL, 0,
				 base_key);
			ret = 0;
			break;
		}
	}
	explicit_bzero(ntowf, sizeof(ntowf));
	explicit_bzero(d, 5 * sizeof(*d));
	free(d);
	return ret;
}

/*
 * ExportedSessionKey from the SessionBaseKey (which, for NTLMv2, is also
 * the KeyExchangeKey): the client's random key when KEY_EXCH was agreed.
 * Wipes @base_key.
 */
static void exchange_key(struct fsmb_ntlmssp *n, uint8_t base_key[16],
			 const struct secbuf *enc_key)
{
	struct arcfour_ctx rc4;

	if (n->flags & FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH) {
		arcfour_set_key(&rc4, FSMB_NTLMSSP_KEY_LEN, base_key);
		arcfour_crypt(&rc4, FSMB_NTLMSSP_KEY_LEN, n->session_key,
			      enc_key->p);
		explicit_bzero(&rc4, sizeof(rc4));
	} else {
		memcpy(n->session_key, base_key, FSMB_NTLMSSP_KEY_LEN);
	}
	explicit_bzero(base_key, FSMB_NTLMSSP_KEY_LEN);
}

/* MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE + CHALLENGE + AUTHENTICATE
 * with its MIC field zeroed). */
static bool check_mic(const struct fsmb_ntlmssp *n, const uint8_t *msg,
		      size_t len)
{
	static const uint8_t zero[AUTHENTICATE_MIC_END - AUTHENTICATE_MIC_OFF];
	struct hmac_md5_ctx ctx;
	uint8_t mic[MD5_DIGEST_SIZE];
	bool ok;

	hmac_md5_set_key(&ctx, sizeof(n->session_key), n->session_key);
	hmac_md5_update(&ctx, n->negotiate_len, n->negotiate_msg);
	hmac_md5_update(&ctx, n->challenge_len, n->challenge_msg);
	hmac_md5_update(&ctx, AUTHENTICATE_MIC_OFF, msg);
	hmac_md5_update(&ctx, sizeof(zero), zero);
	hmac_md5_update(&ctx, len - AUTHENTICATE_MIC_END,
			msg + AUTHENTICATE_MIC_END);
	hmac_md5_digest(&ctx, sizeof(mic), mic);
	ok = memeql_sec(mic, msg + AUTHENTICATE_MIC_OFF, sizeof(mic));
	explicit_bzero(&ctx, sizeof(ctx));
	return ok;
}

uint32_t fsmb_ntlmssp_authenticate(struct fsmb_ntlmssp *n, const uint8_t *msg,
				   size_t len)
{
	struct secbuf lm, nt, domain, user, ws, enc_key;
	size_t min_off = len;
	uint8_t nt_hash[16], base_key[16];
	uint32_t aflags, avflags;
	char canon[FSMB_MAX_NAME];
	int ret;

	n->fail_reason = NULL;
	if (!n->challenge_msg)
		return auth_fail(n, "AUTHENTICATE before CHALLENGE");
	if (len < AUTHENTICATE_HDR ||
	    !fsmb_ntlmssp_is_msg(msg, len, FSMB_NTLMSSP_AUTHENTICATE_MSG))
		return auth_fail(n, "malformed AUTHENTICATE message");
	if (get_secbuf(msg, len, 12, &lm, &min_off) ||
	    get_secbuf(msg, len, 20, &nt, &min_off) ||
	    get_secbuf(msg, len, 28, &domain, &min_off) ||
	    get_secbuf(msg, len, 36, &user, &min_off) ||
	    get_secbuf(msg, len, 44, &ws, &min_off) ||
	    get_secbuf(msg, len, 52, &enc_key, &min_off))
		return auth_fail(n, "AUTHENTICATE field out of bounds");
	if (min_off < AUTHENTICATE_HDR)
		return auth_fail(n, "AUTHENTICATE fields overlap its header");
	if ((user.len | domain.len) & 1 || user.len > MAX_NAME16 ||
	    domain.len > MAX_NAME16)
		return auth_fail(n, "bad user or domain name");

	/* The client may drop optional features it asked for, not add any. */
	aflags = get_le32(msg + 60);
	if (aflags)
		n->flags &= aflags | ~DROPPABLE_FLAGS;

	if (fsmb_utf16le_to_utf8(domain.p, domain.len, n->domain,
				 sizeof(n->domain)) < 0 ||
	    fsmb_utf16le_to_utf8(user.p, user.len, n->user,
				 sizeof(n->user)) < 0)
		return auth_fail(n, "bad user or domain name");

	if (is_anonymous(&user, &nt, &lm)) {
		if (!n->conf->allow_anonymous)
			return auth_fail(n, "anonymous logons are disabled");
		/* SessionBaseKey is Z(16); a key exchange still applies. */
		n->anonymous = true;
		n->user[0] = '\0';
		memset(base_key, 0, sizeof(base_key));
		if (enc_key.len != FSMB_NTLMSSP_KEY_LEN)
			n->flags &= ~FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH;
		exchange_key(n, base_key, &enc_key);
		return FSMB_STATUS_SUCCESS;
	}
	if (user.len == 0)
		return auth_fail(n, "no user name");
	if (nt.len == 0)
		return auth_fail(n, "no NT response (an empty password?)");
	if (nt.len == NTLMV1_RESPONSE_LEN)
		return auth_fail(n, "NTLMv1 authentication refused");
	if (nt.len < NTPROOF_LEN + TEMP_FIXED_LEN)
		return auth_fail(n, "malformed NTLMv2 response");
	if (av_flags(nt.p + NTPROOF_LEN + TEMP_FIXED_LEN,
		     nt.len - NTPROOF_LEN - TEMP_FIXED_LEN, &avflags))
		return auth_fail(n, "malformed NTLMv2 AV pairs");

	ret = n->conf->lookup(n->conf->lookup_arg, n->user, canon,
			      sizeof(canon), nt_hash);
	if (ret == -ENOENT)
		return auth_fail(n, "unknown user");
	if (ret)
		return auth_fail(n, "user database unreadable");
	memcpy(n->user, canon, sizeof(canon));
	ret = check_ntlmv2(n, nt_hash, &user, &domain, &nt, base_key);
	explicit_bzero(nt_hash, sizeof(nt_hash));
	if (ret)
		return auth_fail(n, "wrong password");

	if ((n->flags & FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH) &&
	    enc_key.len != FSMB_NTLMSSP_KEY_LEN) {
		explicit_bzero(base_key, sizeof(base_key));
		return auth_fail(n, "bad EncryptedRandomSessionKey");
	}
	exchange_key(n, base_key, &enc_key);

	if (avflags & FSMB_MSV_AV_FLAG_MIC) {
		if (len < AUTHENTICATE_MIC_END ||
		    min_off < AUTHENTICATE_MIC_END)
			return auth_fail(n, "AUTHENTICATE too short for its MIC");
		if (!check_mic(n, msg, len))
			return auth_fail(n, "bad AUTHENTICATE MIC");
		n->auth_mic = true;
	}
	return FSMB_STATUS_SUCCESS;
}

/* [MS-NLMP] 3.4.5.2 SIGNKEY and 3.4.5.3 SEALKEY; the NUL is part of it. */
static const char sign_c2s[] =
	"session key to client-to-server signing key magic constant";
static const char sign_s2c[] =
	"session key to server-to-client signing key magic constant";
static const char seal_c2s[] =
	"session key to client-to-server sealing key magic constant";
static const char seal_s2c[] =
	"session key to server-to-client sealing key magic constant";

static void derive_key(const uint8_t *key, size_t key_len, const char *magic,
		       size_t magic_len, uint8_t out[MD5_DIGEST_SIZE])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, key_len, key);
	md5_update(&ctx, magic_len, (const uint8_t *)magic);
	md5_digest(&ctx, MD5_DIGEST_SIZE, out);
}

void fsmb_ntlmssp_sign_first(const struct fsmb_ntlmssp *n, bool from_server,
			     const uint8_t *msg, size_t len,
			     uint8_t sig[FSMB_NTLMSSP_SIG_LEN])
{
	static const uint8_t seq0[4];
	uint8_t sign_key[16], mac[MD5_DIGEST_SIZE];

	derive_key(n->session_key, sizeof(n->session_key),
		   from_server ? sign_s2c : sign_c2s, sizeof(sign_c2s),
		   sign_key);
	hmac_md5(sign_key, sizeof(sign_key), seq0, sizeof(seq0), msg, len,
		 mac);
	put_le32(sig, 1);
	if (n->flags & FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH) {
		struct arcfour_ctx rc4;
		uint8_t seal_key[16];
		size_t klen = 5;

		if (n->flags & FSMB_NTLMSSP_NEGOTIATE_128)
			klen = 16;
		else if (n->flags & FSMB_NTLMSSP_NEGOTIATE_56)
			klen = 7;
		derive_key(n->session_key, klen,
			   from_server ? seal_s2c : seal_c2s, sizeof(seal_c2s),
			   seal_key);
		arcfour_set_key(&rc4, sizeof(seal_key), seal_key);
		arcfour_crypt(&rc4, 8, sig + 4, mac);
		explicit_bzero(&rc4, sizeof(rc4));
		explicit_bzero(seal_key, sizeof(seal_key));
	} else {
		memcpy(sig + 4, mac, 8);
	}
	put_le32(sig + 12, 0);
	explicit_bzero(sign_key, sizeof(sign_key));
}
