/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPNEGO (RFC 4178, [MS-SPNG]) around NTLMSSP, the only mechanism fsmbd
 * offers, plus bare NTLMSSP for clients that skip SPNEGO (Linux cifs).
 *
 * The token codecs are pure functions over (buffer, length); the returned
 * views point into the input buffer. The conversation (struct
 * fsmb_spnego_srv) strings the tokens of one SESSION_SETUP exchange
 * together.
 */
#ifndef FSMBD_SPNEGO_H
#define FSMBD_SPNEGO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ntlmssp.h"

/* negState ([RFC 4178] 4.2.2) */
#define FSMB_SPNEGO_ACCEPT_COMPLETED	0
#define FSMB_SPNEGO_ACCEPT_INCOMPLETE	1
#define FSMB_SPNEGO_REJECT		2
#define FSMB_SPNEGO_REQUEST_MIC		3
/* No negState in the token. */
#define FSMB_SPNEGO_NO_STATE		(-1)

/* Contents (after tag and length) of the OIDs fsmbd knows. */
extern const uint8_t fsmb_oid_spnego[6];	/* 1.3.6.1.5.5.2 */
extern const uint8_t fsmb_oid_ntlmssp[10];	/* 1.3.6.1.4.1.311.2.2.10 */

/* A mechTypes list is a few OIDs; longer ones are refused. */
#define FSMB_SPNEGO_MAX_MECH_TYPES	1024

/*
 * The NEGOTIATE response security buffer: a GSS-API wrapped NegTokenInit2
 * offering NTLMSSP, with the negHints Windows and Samba send. Returns its
 * length, or -1 if @cap is too small.
 */
ssize_t fsmb_spnego_hint(uint8_t *buf, size_t cap);

struct fsmb_spnego_init {
	/* DER of the MechTypeList (the SEQUENCE), what mechListMIC covers. */
	const uint8_t *mech_types;
	size_t mech_types_len;
	int ntlmssp_pos;		/* index of NTLMSSP in it, -1: absent */
	const uint8_t *mech_token;	/* NULL when absent */
	size_t mech_token_len;
};

/*
 * A client's first token: NegTokenInit, inside the GSS-API
 * InitialContextToken ([APPLICATION 0], OID 1.3.6.1.5.5.2) or bare ([0]).
 * 0, or -1 when malformed.
 */
int fsmb_spnego_parse_init(const uint8_t *buf, size_t len,
			   struct fsmb_spnego_init *out);

struct fsmb_spnego_resp {
	int neg_state;			/* FSMB_SPNEGO_NO_STATE when absent */
	bool has_mech;			/* supportedMech present */
	bool mech_is_ntlmssp;
	const uint8_t *token;		/* responseToken, NULL when absent */
	size_t token_len;
	const uint8_t *mic;		/* mechListMIC, NULL when absent */
	size_t mic_len;
};

/* A NegTokenResp ([1]). 0, or -1 when malformed. */
int fsmb_spnego_parse_resp(const uint8_t *buf, size_t len,
			   struct fsmb_spnego_resp *out);

/*
 * Build a NegTokenResp. @neg_state may be FSMB_SPNEGO_NO_STATE; @with_mech
 * adds supportedMech NTLMSSP; @token and @mic are left out when NULL.
 * Returns the length, or -1 if @cap is too small.
 */
ssize_t fsmb_spnego_build_resp(uint8_t *buf, size_t cap, int neg_state,
			       bool with_mech, const uint8_t *token,
			       size_t token_len, const uint8_t *mic,
			       size_t mic_len);

enum fsmb_spnego_stage {
	FSMB_SPNEGO_START,		/* nothing received yet */
	FSMB_SPNEGO_WANT_NEGOTIATE,	/* mechanism agreed, no NTLMSSP yet */
	FSMB_SPNEGO_WANT_AUTHENTICATE,	/* CHALLENGE sent */
	FSMB_SPNEGO_DONE,		/* succeeded or failed: no more input */
};

struct fsmb_spnego_srv {
	enum fsmb_spnego_stage stage;
	bool raw;			/* bare NTLMSSP, no SPNEGO */
	bool downgraded;		/* NTLMSSP was not the client's first pick */
	uint8_t *mech_types;		/* the client's MechTypeList DER */
	size_t mech_types_len;
	struct fsmb_ntlmssp ntlm;
	const char *fail_reason;	/* for the log, on failure */
};

void fsmb_spnego_srv_init(struct fsmb_spnego_srv *s,
			  const struct fsmb_ntlmssp_conf *conf);
void fsmb_spnego_srv_free(struct fsmb_spnego_srv *s);

/*
 * Feed one security buffer from the client. Returns
 * FSMB_STATUS_MORE_PROCESSING_REQUIRED (send *@out, expect another buffer),
 * FSMB_STATUS_SUCCESS (send *@out; the result is in @s->ntlm), or a
 * failure status: LOGON_FAILURE when authentication failed,
 * INVALID_PARAMETER for tokens that cannot be decoded, NO_MEMORY. On
 * failure *@out is a SPNEGO reject token, or NULL for bare NTLMSSP. *@out
 * (possibly NULL with *@out_len 0) is the caller's to free.
 */
uint32_t fsmb_spnego_srv_step(struct fsmb_spnego_srv *s, const uint8_t *in,
			      size_t len, uint8_t **out, size_t *out_len);

#endif /* FSMBD_SPNEGO_H */
