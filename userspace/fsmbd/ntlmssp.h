/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server side of NTLMSSP ([MS-NLMP]) with NTLMv2 only: NEGOTIATE in,
 * CHALLENGE out, AUTHENTICATE in. NTLMv1 and LM responses are refused.
 *
 * Message decoding is pure (buffer in, state out); the only outside inputs
 * are the random challenge, the clock (MsvAvTimestamp) and the user
 * database, reached through the lookup callback of the configuration.
 */
#ifndef FSMBD_NTLMSSP_H
#define FSMBD_NTLMSSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/fsmb.h>

/* NEGOTIATE_MESSAGE flags ([MS-NLMP] 2.2.2.5). */
#define FSMB_NTLMSSP_NEGOTIATE_UNICODE		0x00000001U
#define FSMB_NTLMSSP_NEGOTIATE_OEM		0x00000002U
#define FSMB_NTLMSSP_REQUEST_TARGET		0x00000004U
#define FSMB_NTLMSSP_NEGOTIATE_SIGN		0x00000010U
#define FSMB_NTLMSSP_NEGOTIATE_SEAL		0x00000020U
#define FSMB_NTLMSSP_NEGOTIATE_LM_KEY		0x00000080U
#define FSMB_NTLMSSP_NEGOTIATE_NTLM		0x00000200U
#define FSMB_NTLMSSP_NEGOTIATE_ALWAYS_SIGN	0x00008000U
#define FSMB_NTLMSSP_TARGET_TYPE_SERVER		0x00020000U
#define FSMB_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY	0x00080000U
#define FSMB_NTLMSSP_NEGOTIATE_TARGET_INFO	0x00800000U
#define FSMB_NTLMSSP_NEGOTIATE_VERSION		0x02000000U
#define FSMB_NTLMSSP_NEGOTIATE_128		0x20000000U
#define FSMB_NTLMSSP_NEGOTIATE_KEY_EXCH		0x40000000U
#define FSMB_NTLMSSP_NEGOTIATE_56		0x80000000U

#define FSMB_NTLMSSP_NEGOTIATE_MSG	1
#define FSMB_NTLMSSP_CHALLENGE_MSG	2
#define FSMB_NTLMSSP_AUTHENTICATE_MSG	3

/* AV_PAIR ids ([MS-NLMP] 2.2.2.1). */
#define FSMB_MSV_AV_EOL			0
#define FSMB_MSV_AV_NB_COMPUTER_NAME	1
#define FSMB_MSV_AV_NB_DOMAIN_NAME	2
#define FSMB_MSV_AV_DNS_COMPUTER_NAME	3
#define FSMB_MSV_AV_DNS_DOMAIN_NAME	4
#define FSMB_MSV_AV_FLAGS		6
#define FSMB_MSV_AV_TIMESTAMP		7
/* MsvAvFlags: the AUTHENTICATE_MESSAGE carries a MIC. */
#define FSMB_MSV_AV_FLAG_MIC		0x00000002U

#define FSMB_NTLMSSP_KEY_LEN		16
#define FSMB_NTLMSSP_CHALLENGE_LEN	8
/* NTLMSSP_MESSAGE_SIGNATURE with extended session security. */
#define FSMB_NTLMSSP_SIG_LEN		16
/*
 * A NEGOTIATE_MESSAGE is a few dozen bytes; the copy kept for the MIC is
 * bounded so that a conversation's memory is too.
 */
#define FSMB_NTLMSSP_MAX_NEGOTIATE	2048

struct fsmb_ntlmssp_conf {
	const char *netbios_name;	/* TargetName, NetBIOS AV pairs */
	const char *workgroup;		/* a domain NTLMv2 is also tried with */
	const char *dns_name;		/* MsvAvDnsComputerName */
	const char *dns_domain;		/* MsvAvDnsDomainName, may be "" */
	bool allow_anonymous;
	/*
	 * NT hash of @user, matched case-insensitively; @canon receives the
	 * name as the database spells it. 0, -ENOENT, or another -errno.
	 */
	int (*lookup)(void *arg, const char *user, char *canon,
		      size_t canon_size, uint8_t hash[FSMB_NTLMSSP_KEY_LEN]);
	void *lookup_arg;
};

struct fsmb_ntlmssp {
	const struct fsmb_ntlmssp_conf *conf;
	uint32_t flags;			/* as sent in CHALLENGE, then agreed */
	uint8_t challenge[FSMB_NTLMSSP_CHALLENGE_LEN];
	uint8_t *negotiate_msg;		/* kept for the MIC */
	size_t negotiate_len;
	uint8_t *challenge_msg;		/* kept for the MIC; our reply */
	size_t challenge_len;

	/* Set by fsmb_ntlmssp_authenticate(). */
	bool anonymous;
	bool auth_mic;			/* AUTHENTICATE carried a (valid) MIC */
	uint8_t session_key[FSMB_NTLMSSP_KEY_LEN];	/* exported key */
	/*
	 * The user: as the database spells it after success ("" when
	 * anonymous), as the client sent it after a failure.
	 */
	char user[FSMB_MAX_NAME];
	char domain[FSMB_MAX_NAME];	/* as the client sent it */
	/* Why authentication failed, for the log (never sent to clients). */
	const char *fail_reason;
};

void fsmb_ntlmssp_init(struct fsmb_ntlmssp *n,
		       const struct fsmb_ntlmssp_conf *conf);
void fsmb_ntlmssp_free(struct fsmb_ntlmssp *n);

/* Does @buf start like an NTLMSSP message of @type? */
bool fsmb_ntlmssp_is_msg(const uint8_t *buf, size_t len, uint32_t type);

/*
 * Take a NEGOTIATE_MESSAGE and produce the CHALLENGE_MESSAGE, returned in
 * @out (owned by @n). 0, -EINVAL for a message we cannot answer (malformed,
 * too big, no Unicode), -ENOMEM or -EIO (no randomness).
 */
int fsmb_ntlmssp_negotiate(struct fsmb_ntlmssp *n, const uint8_t *in,
			   size_t len, const uint8_t **out, size_t *out_len);

/*
 * Check an AUTHENTICATE_MESSAGE. FSMB_STATUS_SUCCESS with the results in
 * @n, or FSMB_STATUS_LOGON_FAILURE for every failure (the reason is in
 * @n->fail_reason).
 */
uint32_t fsmb_ntlmssp_authenticate(struct fsmb_ntlmssp *n, const uint8_t *in,
				   size_t len);

/*
 * The signature ([MS-NLMP] 3.4.4.2, extended session security) of @msg as
 * the first message signed in one direction: sequence number 0 and a fresh
 * RC4 handle. SPNEGO's mechListMIC is exactly that, one per direction.
 * Needs a successful, non-anonymous authentication.
 */
void fsmb_ntlmssp_sign_first(const struct fsmb_ntlmssp *n, bool from_server,
			     const uint8_t *msg, size_t len,
			     uint8_t sig[FSMB_NTLMSSP_SIG_LEN]);

/*
 * NTOWFv2 ([MS-NLMP] 3.3.2): HMAC_MD5(NT hash, UPPER(user) + domain) over
 * UTF-16LE @user and @domain. -1 when @user is too long.
 */
int fsmb_ntowfv2(const uint8_t nt_hash[FSMB_NTLMSSP_KEY_LEN],
		 const uint8_t *user, size_t user_len,
		 const uint8_t *domain, size_t domain_len,
		 uint8_t out[FSMB_NTLMSSP_KEY_LEN]);

#endif /* FSMBD_NTLMSSP_H */
