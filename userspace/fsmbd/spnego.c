// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/memops.h>

#include "asn1.h"
#include "ntstatus.h"
#include "spnego.h"

const uint8_t fsmb_oid_spnego[6] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
const uint8_t fsmb_oid_ntlmssp[10] = {
	0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a
};

/*
 * Windows puts this principal in negHints, and Samba does likewise: it
 * tells clients not to use a server-supplied principal name.
 */
static const char neg_hint_name[] = "not_defined_in_RFC4178@please_ignore";

/* Room around a token for the NegTokenResp fields and their headers. */
#define RESP_OVERHEAD	64

ssize_t fsmb_spnego_hint(uint8_t *buf, size_t cap)
{
	struct fsmb_der_writer w;

	fsmb_der_writer_init(&w, buf, cap);
	fsmb_der_begin(&w, FSMB_DER_APPLICATION(0));
	fsmb_der_put(&w, FSMB_DER_OID, fsmb_oid_spnego,
		     sizeof(fsmb_oid_spnego));
	fsmb_der_begin(&w, FSMB_DER_CONTEXT(0));	/* negTokenInit */
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	fsmb_der_begin(&w, FSMB_DER_CONTEXT(0));	/* mechTypes */
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	fsmb_der_put(&w, FSMB_DER_OID, fsmb_oid_ntlmssp,
		     sizeof(fsmb_oid_ntlmssp));
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	fsmb_der_begin(&w, FSMB_DER_CONTEXT(3));	/* negHints */
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	fsmb_der_begin(&w, FSMB_DER_CONTEXT(0));	/* hintName */
	fsmb_der_put(&w, FSMB_DER_GENERAL_STRING, neg_hint_name,
		     sizeof(neg_hint_name) - 1);
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	return fsmb_der_finish(&w);
}

/* Read [n] { inner } where the whole of [n] is one element of @tag. */
static int read_explicit(struct fsmb_der *d, uint8_t n, uint8_t tag,
			 struct fsmb_der *val, struct fsmb_der *whole)
{
	struct fsmb_der ctx;

	if (fsmb_der_read(d, FSMB_DER_CONTEXT(n), &ctx, NULL) ||
	    fsmb_der_read(&ctx, tag, val, whole) || !fsmb_der_empty(&ctx))
		return -1;
	return 0;
}

static int parse_mech_types(struct fsmb_der *seq, struct fsmb_spnego_init *out)
{
	struct fsmb_der list, whole, oid;
	int i;

	if (read_explicit(seq, 0, FSMB_DER_SEQUENCE, &list, &whole) ||
	    whole.len > FSMB_SPNEGO_MAX_MECH_TYPES)
		return -1;
	out->mech_types = whole.p;
	out->mech_types_len = whole.len;
	out->ntlmssp_pos = -1;
	for (i = 0; !fsmb_der_empty(&list); i++) {
		if (fsmb_der_read(&list, FSMB_DER_OID, &oid, NULL))
			return -1;
		if (out->ntlmssp_pos < 0 &&
		    fsmb_der_oid_eq(&oid, fsmb_oid_ntlmssp,
				    sizeof(fsmb_oid_ntlmssp)))
			out->ntlmssp_pos = i;
	}
	return i ? 0 : -1;
}

int fsmb_spnego_parse_init(const uint8_t *buf, size_t len,
			   struct fsmb_spnego_init *out)
{
	struct fsmb_der d, app, oid, tok, seq, val;
	bool have_types = false;

	memset(out, 0, sizeof(*out));
	out->ntlmssp_pos = -1;
	fsmb_der_init(&d, buf, len);
	if (fsmb_der_peek(&d) == FSMB_DER_APPLICATION(0)) {
		if (fsmb_der_read(&d, FSMB_DER_APPLICATION(0), &app, NULL) ||
		    fsmb_der_read(&app, FSMB_DER_OID, &oid, NULL) ||
		    !fsmb_der_oid_eq(&oid, fsmb_oid_spnego,
				     sizeof(fsmb_oid_spnego)))
			return -1;
	} else {
		app = d;
		fsmb_der_init(&d, NULL, 0);
	}
	if (!fsmb_der_empty(&d) ||
	    fsmb_der_read(&app, FSMB_DER_CONTEXT(0), &tok, NULL) ||
	    !fsmb_der_empty(&app) ||
	    fsmb_der_read(&tok, FSMB_DER_SEQUENCE, &seq, NULL) ||
	    !fsmb_der_empty(&tok))
		return -1;

	while (!fsmb_der_empty(&seq)) {
		switch (fsmb_der_peek(&seq)) {
		case FSMB_DER_CONTEXT(0):
			if (have_types || parse_mech_types(&seq, out))
				return -1;
			have_types = true;
			break;
		case FSMB_DER_CONTEXT(2):
			if (out->mech_token ||
			    read_explicit(&seq, 2, FSMB_DER_OCTET_STRING, &val,
					  NULL))
				return -1;
			out->mech_token = val.p;
			out->mech_token_len = val.len;
			break;
		default:
			/* reqFlags, and a mechListMIC nobody checks here. */
			if (fsmb_der_skip(&seq))
				return -1;
			break;
		}
	}
	return have_types ? 0 : -1;
}

int fsmb_spnego_parse_resp(const uint8_t *buf, size_t len,
			   struct fsmb_spnego_resp *out)
{
	struct fsmb_der d, resp, seq, ctx, val;
	unsigned int state;

	memset(out, 0, sizeof(*out));
	out->neg_state = FSMB_SPNEGO_NO_STATE;
	fsmb_der_init(&d, buf, len);
	if (fsmb_der_read(&d, FSMB_DER_CONTEXT(1), &resp, NULL) ||
	    !fsmb_der_empty(&d) ||
	    fsmb_der_read(&resp, FSMB_DER_SEQUENCE, &seq, NULL) ||
	    !fsmb_der_empty(&resp))
		return -1;

	while (!fsmb_der_empty(&seq)) {
		switch (fsmb_der_peek(&seq)) {
		case FSMB_DER_CONTEXT(0):
			if (out->neg_state != FSMB_SPNEGO_NO_STATE ||
			    fsmb_der_read(&seq, FSMB_DER_CONTEXT(0), &ctx,
					  NULL) ||
			    fsmb_der_read_enum(&ctx, &state) ||
			    !fsmb_der_empty(&ctx) ||
			    state > FSMB_SPNEGO_REQUEST_MIC)
				return -1;
			out->neg_state = (int)state;
			break;
		case FSMB_DER_CONTEXT(1):
			if (out->has_mech ||
			    read_explicit(&seq, 1, FSMB_DER_OID, &val, NULL))
				return -1;
			out->has_mech = true;
			out->mech_is_ntlmssp =
				fsmb_der_oid_eq(&val, fsmb_oid_ntlmssp,
						sizeof(fsmb_oid_ntlmssp));
			break;
		case FSMB_DER_CONTEXT(2):
			if (out->token ||
			    read_explicit(&seq, 2, FSMB_DER_OCTET_STRING, &val,
					  NULL))
				return -1;
			out->token = val.p;
			out->token_len = val.len;
			break;
		case FSMB_DER_CONTEXT(3):
			if (out->mic ||
			    read_explicit(&seq, 3, FSMB_DER_OCTET_STRING, &val,
					  NULL))
				return -1;
			out->mic = val.p;
			out->mic_len = val.len;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

ssize_t fsmb_spnego_build_resp(uint8_t *buf, size_t cap, int neg_state,
			       bool with_mech, const uint8_t *token,
			       size_t token_len, const uint8_t *mic,
			       size_t mic_len)
{
	struct fsmb_der_writer w;

	fsmb_der_writer_init(&w, buf, cap);
	fsmb_der_begin(&w, FSMB_DER_CONTEXT(1));
	fsmb_der_begin(&w, FSMB_DER_SEQUENCE);
	if (neg_state != FSMB_SPNEGO_NO_STATE) {
		fsmb_der_begin(&w, FSMB_DER_CONTEXT(0));
		fsmb_der_put_enum(&w, (unsigned int)neg_state);
		fsmb_der_end(&w);
	}
	if (with_mech) {
		fsmb_der_begin(&w, FSMB_DER_CONTEXT(1));
		fsmb_der_put(&w, FSMB_DER_OID, fsmb_oid_ntlmssp,
			     sizeof(fsmb_oid_ntlmssp));
		fsmb_der_end(&w);
	}
	if (token) {
		fsmb_der_begin(&w, FSMB_DER_CONTEXT(2));
		fsmb_der_put(&w, FSMB_DER_OCTET_STRING, token, token_len);
		fsmb_der_end(&w);
	}
	if (mic) {
		fsmb_der_begin(&w, FSMB_DER_CONTEXT(3));
		fsmb_der_put(&w, FSMB_DER_OCTET_STRING, mic, mic_len);
		fsmb_der_end(&w);
	}
	fsmb_der_end(&w);
	fsmb_der_end(&w);
	return fsmb_der_finish(&w);
}

void fsmb_spnego_srv_init(struct fsmb_spnego_srv *s,
			  const struct fsmb_ntlmssp_conf *conf)
{
	memset(s, 0, sizeof(*s));
	fsmb_ntlmssp_init(&s->ntlm, conf);
}

void fsmb_spnego_srv_free(struct fsmb_spnego_srv *s)
{
	free(s->mech_types);
	fsmb_ntlmssp_free(&s->ntlm);
	memset(s, 0, sizeof(*s));
}

/* Hand out a NegTokenResp in a buffer of its own. */
static uint32_t reply(int neg_state, bool with_mech, const uint8_t *token,
		      size_t token_len, const uint8_t *mic, size_t mic_len,
		      uint8_t **out, size_t *out_len)
{
	size_t cap = token_len + mic_len + RESP_OVERHEAD;
	uint8_t *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		return FSMB_STATUS_NO_MEMORY;
	n = fsmb_spnego_build_resp(buf, cap, neg_state, with_mech, token,
				   token_len, mic, mic_len);
	if (n < 0) {
		free(buf);
		return FSMB_STATUS_INTERNAL_ERROR;
	}
	*out = buf;
	*out_len = (size_t)n;
	return FSMB_STATUS_SUCCESS;
}

static uint32_t fail(struct fsmb_spnego_srv *s, uint32_t status,
		     const char *why)
{
	s->fail_reason = why;
	return status;
}

/* NTLMSSP NEGOTIATE in, CHALLENGE out (bare, or for the caller to wrap). */
static uint32_t ntlm_negotiate(struct fsmb_spnego_srv *s, const uint8_t *in,
			       size_t len, const uint8_t **chal,
			       size_t *chal_len)
{
	int ret = fsmb_ntlmssp_negotiate(&s->ntlm, in, len, chal, chal_len);

	if (ret == -ENOMEM)
		return fail(s, FSMB_STATUS_NO_MEMORY, "out of memory");
	if (ret == -EIO)
		return fail(s, FSMB_STATUS_INTERNAL_ERROR, "no randomness");
	if (ret)
		return fail(s, FSMB_STATUS_INVALID_PARAMETER,
			    "unusable NTLMSSP NEGOTIATE");
	s->stage = FSMB_SPNEGO_WANT_AUTHENTICATE;
	return FSMB_STATUS_MORE_PROCESSING_REQUIRED;
}

static uint32_t step_start(struct fsmb_spnego_srv *s, const uint8_t *in,
			   size_t len, uint8_t **out, size_t *out_len)
{
	struct fsmb_spnego_init init;
	const uint8_t *chal;
	size_t chal_len;
	uint32_t status;
	ssize_t n;

	if (len == 0) {
		/* No token yet: offer our mechanisms, as in NEGOTIATE. */
		size_t cap = RESP_OVERHEAD + sizeof(neg_hint_name);

		*out = malloc(cap);
		if (!*out)
			return fail(s, FSMB_STATUS_NO_MEMORY, "out of memory");
		n = fsmb_spnego_hint(*out, cap);
		if (n < 0)
			return fail(s, FSMB_STATUS_INTERNAL_ERROR, "hint");
		*out_len = (size_t)n;
		return FSMB_STATUS_MORE_PROCESSING_REQUIRED;
	}
	if (fsmb_ntlmssp_is_msg(in, len, FSMB_NTLMSSP_NEGOTIATE_MSG)) {
		s->raw = true;
		status = ntlm_negotiate(s, in, len, &chal, &chal_len);
		if (status != FSMB_STATUS_MORE_PROCESSING_REQUIRED)
			return status;
		*out = malloc(chal_len);
		if (!*out)
			return fail(s, FSMB_STATUS_NO_MEMORY, "out of memory");
		memcpy(*out, chal, chal_len);
		*out_len = chal_len;
		return status;
	}

	if (fsmb_spnego_parse_init(in, len, &init))
		return fail(s, FSMB_STATUS_INVALID_PARAMETER,
			    "malformed SPNEGO NegTokenInit");
	if (init.ntlmssp_pos < 0)
		return fail(s, FSMB_STATUS_LOGON_FAILURE,
			    "client does not offer NTLMSSP");
	s->mech_types = malloc(init.mech_types_len);
	if (!s->mech_types)
		return fail(s, FSMB_STATUS_NO_MEMORY, "out of memory");
	memcpy(s->mech_types, init.mech_types, init.mech_types_len);
	s->mech_types_len = init.mech_types_len;
	s->downgraded = init.ntlmssp_pos > 0;

	/* An optimistic token is for the client's first mechanism only. */
	if (s->downgraded || !init.mech_token) {
		s->stage = FSMB_SPNEGO_WANT_NEGOTIATE;
		status = reply(s->downgraded ? FSMB_SPNEGO_REQUEST_MIC :
					       FSMB_SPNEGO_ACCEPT_INCOMPLETE,
			       true, NULL, 0, NULL, 0, out, out_len);
		if (status)
			return fail(s, status, "cannot build NegTokenResp");
		return FSMB_STATUS_MORE_PROCESSING_REQUIRED;
	}
	status = ntlm_negotiate(s, init.mech_token, init.mech_token_len, &chal,
				&chal_len);
	if (status != FSMB_STATUS_MORE_PROCESSING_REQUIRED)
		return status;
	status = reply(FSMB_SPNEGO_ACCEPT_INCOMPLETE, true, chal, chal_len,
		       NULL, 0, out, out_len);
	if (status)
		return fail(s, status, "cannot build NegTokenResp");
	return FSMB_STATUS_MORE_PROCESSING_REQUIRED;
}

static uint32_t step_negotiate(struct fsmb_spnego_srv *s, const uint8_t *in,
			       size_t len, uint8_t **out, size_t *out_len)
{
	struct fsmb_spnego_resp r;
	const uint8_t *chal;
	size_t chal_len;
	uint32_t status;

	if (fsmb_spnego_parse_resp(in, len, &r) || !r.token ||
	    r.neg_state == FSMB_SPNEGO_REJECT)
		return fail(s, FSMB_STATUS_INVALID_PARAMETER,
			    "malformed SPNEGO NegTokenResp");
	status = ntlm_negotiate(s, r.token, r.token_len, &chal, &chal_len);
	if (status != FSMB_STATUS_MORE_PROCESSING_REQUIRED)
		return status;
	status = reply(FSMB_SPNEGO_ACCEPT_INCOMPLETE, false, chal, chal_len,
		       NULL, 0, out, out_len);
	if (status)
		return fail(s, status, "cannot build NegTokenResp");
	return FSMB_STATUS_MORE_PROCESSING_REQUIRED;
}

/*
 * The mechListMIC protects the mechanism list against downgrades
 * ([RFC 4178] 5, [MS-SPNG] 3.2.5.1). Like Windows and Samba, it is
 * exchanged when the mechanism can sign and either side asks for it: the
 * NTLMSSP MIC in AUTHENTICATE (a "new" client), a mechListMIC from the
 * client, or a mechanism other than the client's first choice.
 */
static uint32_t step_authenticate(struct fsmb_spnego_srv *s, const uint8_t *in,
				  size_t len, uint8_t **out, size_t *out_len)
{
	struct fsmb_ntlmssp *n = &s->ntlm;
	uint8_t want[FSMB_NTLMSSP_SIG_LEN], mic[FSMB_NTLMSSP_SIG_LEN];
	struct fsmb_spnego_resp r;
	uint32_t status;
	bool can_sign;

	if (s->raw) {
		status = fsmb_ntlmssp_authenticate(n, in, len);
		if (status)
			return fail(s, status, n->fail_reason);
		return FSMB_STATUS_SUCCESS;
	}
	if (fsmb_spnego_parse_resp(in, len, &r) || !r.token ||
	    r.neg_state == FSMB_SPNEGO_REJECT)
		return fail(s, FSMB_STATUS_INVALID_PARAMETER,
			    "malformed SPNEGO NegTokenResp");
	status = fsmb_ntlmssp_authenticate(n, r.token, r.token_len);
	if (status)
		return fail(s, status, n->fail_reason);

	can_sign = !n->anonymous && (n->flags & FSMB_NTLMSSP_NEGOTIATE_SIGN);
	if (!can_sign || !(n->auth_mic || r.mic || s->downgraded))
		return reply(FSMB_SPNEGO_ACCEPT_COMPLETED, false, NULL, 0, NULL,
			     0, out, out_len);

	if (!r.mic)
		return fail(s, FSMB_STATUS_LOGON_FAILURE,
			    "client sent no mechListMIC");
	if (!(n->flags & FSMB_NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
		return fail(s, FSMB_STATUS_LOGON_FAILURE,
			    "mechListMIC without extended session security");
	fsmb_ntlmssp_sign_first(n, false, s->mech_types, s->mech_types_len,
				want);
	if (r.mic_len != sizeof(want) || !memeql_sec(r.mic, want, sizeof(want)))
		return fail(s, FSMB_STATUS_LOGON_FAILURE, "bad mechListMIC");
	fsmb_ntlmssp_sign_first(n, true, s->mech_types, s->mech_types_len,
				mic);
	return reply(FSMB_SPNEGO_ACCEPT_COMPLETED, false, NULL, 0, mic,
		     sizeof(mic), out, out_len);
}

uint32_t fsmb_spnego_srv_step(struct fsmb_spnego_srv *s, const uint8_t *in,
			      size_t len, uint8_t **out, size_t *out_len)
{
	uint32_t status;

	*out = NULL;
	*out_len = 0;
	s->fail_reason = NULL;
	switch (s->stage) {
	case FSMB_SPNEGO_START:
		status = step_start(s, in, len, out, out_len);
		break;
	case FSMB_SPNEGO_WANT_NEGOTIATE:
		status = step_negotiate(s, in, len, out, out_len);
		break;
	case FSMB_SPNEGO_WANT_AUTHENTICATE:
		status = step_authenticate(s, in, len, out, out_len);
		break;
	default:
		status = fail(s, FSMB_STATUS_INVALID_PARAMETER,
			      "conversation already finished");
		break;
	}
	if (status == FSMB_STATUS_MORE_PROCESSING_REQUIRED)
		return status;
	s->stage = FSMB_SPNEGO_DONE;
	if (status == FSMB_STATUS_SUCCESS)
		return status;

	free(*out);
	*out = NULL;
	*out_len = 0;
	if (!s->raw)
		reply(FSMB_SPNEGO_REJECT, false, NULL, 0, NULL, 0, out,
		      out_len);
	return status;
}
