// SPDX-License-Identifier: GPL-2.0
/*
 * NEGOTIATE ([MS-SMB2] 3.3.5.4), and the SMB1 NEGOTIATE of multi-protocol
 * clients answered with an SMB2 response (3.3.5.3).
 *
 * Not offered yet: encryption (no ENCRYPTION_CAPABILITIES context in the
 * response and no SMB2_GLOBAL_CAP_ENCRYPTION, so clients do not seal),
 * leasing, multichannel, persistent handles, compression, DFS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/random.h>

#include "fsmb.h"
#include "crypto.h"
#include "proto/smb2_negotiate.h"

/* Dialects we implement, best first. */
static const u16 fsmb_dialects[] = {
	SMB2_DIALECT_311, SMB2_DIALECT_302, SMB2_DIALECT_300,
	SMB2_DIALECT_210, SMB2_DIALECT_202,
};

/* Signing algorithms for 3.1.1; the client's order decides among them. */
static bool fsmb_signing_known(u16 algo)
{
	return algo == SMB2_SIGNING_AES_GMAC || algo == SMB2_SIGNING_AES_CMAC ||
	       algo == SMB2_SIGNING_HMAC_SHA256;
}

/* The best dialect in @list (little-endian u16s) within [min, max]; 0: none. */
static u16 fsmb_pick_dialect(const struct fsmb_cur *list, u16 min, u16 max)
{
	bool offered[ARRAY_SIZE(fsmb_dialects)] = {};
	struct fsmb_cur c = *list;
	size_t i;

	while (fsmb_cur_remaining(&c)) {
		u16 d = fsmb_cur_le16(&c);

		for (i = 0; i < ARRAY_SIZE(fsmb_dialects); i++)
			if (d == fsmb_dialects[i])
				offered[i] = true;
	}
	for (i = 0; i < ARRAY_SIZE(fsmb_dialects); i++)
		if (offered[i] && fsmb_dialects[i] >= min &&
		    fsmb_dialects[i] <= max)
			return fsmb_dialects[i];
	return 0;
}

/*
 * Record the outcome on @conn and fill what the response says about the
 * server. Caller holds fsmb_srv.lock (guid, signing, SPNEGO hint).
 */
static void fsmb_negotiated(struct fsmb_conn *conn, u16 dialect,
			    struct smb2_negotiate_rsp *rsp)
{
	struct timespec64 now;
	u32 io = dialect == SMB2_DIALECT_202 ? 65536 : FSMB_MAX_IO;

	lockdep_assert_held(&fsmb_srv.lock);
	conn->dialect = dialect;
	conn->signing_required = fsmb_srv.signing_required ||
		(conn->client_security_mode & SMB2_NEGOTIATE_SIGNING_REQUIRED);
	conn->server_security_mode = SMB2_NEGOTIATE_SIGNING_ENABLED;
	if (fsmb_srv.signing_required)
		conn->server_security_mode |= SMB2_NEGOTIATE_SIGNING_REQUIRED;
	/* The wildcard answer too: the client will use multi-credit. */
	conn->server_capabilities = dialect == SMB2_DIALECT_202 ? 0 :
				    SMB2_GLOBAL_CAP_LARGE_MTU;
	/* 3.1.1 may replace this with its SIGNING_CAPABILITIES choice. */
	conn->signing_algo = dialect >= SMB2_DIALECT_300 ?
			     SMB2_SIGNING_AES_CMAC : SMB2_SIGNING_HMAC_SHA256;

	ktime_get_real_ts64(&now);
	rsp->security_mode = conn->server_security_mode;
	rsp->dialect = dialect;
	memcpy(rsp->server_guid, fsmb_srv.guid, sizeof(rsp->server_guid));
	rsp->capabilities = conn->server_capabilities;
	rsp->max_transact = dialect == SMB2_DIALECT_202 ? 65536 : FSMB_MAX_TRANS;
	rsp->max_read = io;
	rsp->max_write = io;
	rsp->system_time = fsmb_time_to_filetime(now);
	/* [MS-SMB2] 3.3.5.4: ServerStartTime is 0. */
	rsp->start_time = 0;
	rsp->sec_blob = fsmb_srv.spnego_hint;
	rsp->sec_len = fsmb_srv.spnego_hint_len;
}

/* Bytes of a NEGOTIATE response body besides the security buffer. */
#define FSMB_NEG_RSP_ROOM	(SMB2_NEGOTIATE_RSP_SIZE + 8 + 48 + 16)

u32 fsmb_smb2_negotiate(struct fsmb_work *w)
{
	struct fsmb_conn *conn = w->conn;
	struct smb2_negotiate_rsp rsp = {};
	struct smb2_negotiate_req req;
	struct smb2_neg_contexts ctx;
	u8 salt[SMB2_PREAUTH_SALT_SIZE];
	u16 min, max, dialect, i;
	u32 status;

	if (smb2_negotiate_req_decode(&w->in, &req))
		return STATUS_INVALID_PARAMETER;
	mutex_lock(&fsmb_srv.lock);
	min = fsmb_srv.min_dialect;
	max = fsmb_srv.max_dialect;
	mutex_unlock(&fsmb_srv.lock);
	dialect = fsmb_pick_dialect(&req.dialects, min, max);
	if (!dialect)
		return STATUS_NOT_SUPPORTED;

	if (dialect == SMB2_DIALECT_311) {
		if (smb2_neg_contexts_decode(&w->in, &req, &ctx) ||
		    !ctx.preauth)
			return STATUS_INVALID_PARAMETER;
		if (!ctx.preauth_sha512)
			return STATUS_SMB_NO_PREAUTH_INTEGRITY_HASH_OVERLAP;
		for (i = 0; i < ctx.nsigning; i++) {
			if (fsmb_signing_known(ctx.signing_algos[i])) {
				rsp.signing = true;
				rsp.signing_algo = ctx.signing_algos[i];
				break;
			}
		}
		if (fsmb_preauth_start(conn))
			return STATUS_INSUFFICIENT_RESOURCES;
		get_random_bytes(salt, sizeof(salt));
		rsp.preauth_salt = salt;
	}

	conn->client_security_mode = req.security_mode;
	conn->client_capabilities = req.capabilities;
	memcpy(conn->client_guid, req.client_guid, sizeof(conn->client_guid));

	mutex_lock(&fsmb_srv.lock);
	if (fsmb_work_reserve(w, FSMB_NEG_RSP_ROOM + fsmb_srv.spnego_hint_len)) {
		status = STATUS_INSUFFICIENT_RESOURCES;
	} else {
		fsmb_negotiated(conn, dialect, &rsp);
		if (rsp.signing)
			conn->signing_algo = rsp.signing_algo;
		smb2_negotiate_rsp_encode(&w->out, &rsp);
		status = STATUS_SUCCESS;
	}
	mutex_unlock(&fsmb_srv.lock);
	if (status)
		return status;

	/* The response goes into the hash when conn.c has finished it. */
	if (dialect == SMB2_DIALECT_311 &&
	    fsmb_preauth_update(conn, conn->preauth_hash, w->in.base, w->in.len))
		return STATUS_INSUFFICIENT_RESOURCES;
	conn->state = FSMB_CONN_ACTIVE;
	return STATUS_SUCCESS;
}

/* Header, fixed NEGOTIATE body and its one byte of buffer. */
#define FSMB_SMB1_RSP_ROOM	(SMB2_HDR_SIZE + SMB2_NEGOTIATE_RSP_SIZE)

void fsmb_smb1_negotiate(struct fsmb_conn *conn, u8 *msg, size_t len)
{
	struct smb2_negotiate_rsp rsp = {};
	struct smb2_hdr h = {};
	struct fsmb_wcur out;
	struct fsmb_cur in;
	unsigned int found;
	u16 dialect = 0;
	size_t cap;
	u8 *buf;

	fsmb_cur_init(&in, msg, len);
	if (smb1_negotiate_decode(&in, &found))
		goto drop;

	mutex_lock(&fsmb_srv.lock);
	/*
	 * "SMB 2.???": the client speaks 2.1 or later and will send an SMB2
	 * NEGOTIATE after our wildcard answer. "SMB 2.002" alone: settle on
	 * 2.0.2 here. Anything else is an SMB1-only client.
	 */
	if ((found & SMB1_NEG_SMB2_ANY) && fsmb_srv.max_dialect >= SMB2_DIALECT_210)
		dialect = SMB2_DIALECT_WILDCARD;
	else if (found && fsmb_srv.min_dialect == SMB2_DIALECT_202)
		dialect = SMB2_DIALECT_202;
	if (!dialect) {
		mutex_unlock(&fsmb_srv.lock);
		goto drop;
	}
	cap = FSMB_SMB1_RSP_ROOM + fsmb_srv.spnego_hint_len;
	buf = kvzalloc(cap, GFP_KERNEL);
	if (!buf) {
		mutex_unlock(&fsmb_srv.lock);
		goto drop;
	}
	fsmb_negotiated(conn, dialect, &rsp);
	fsmb_wcur_init(&out, buf, cap);
	h.command = SMB2_NEGOTIATE;
	h.credit_request = 1;
	h.flags = SMB2_FLAGS_SERVER_TO_REDIR;
	smb2_hdr_encode(&out, &h);
	smb2_negotiate_rsp_encode(&out, &rsp);
	mutex_unlock(&fsmb_srv.lock);

	if (dialect == SMB2_DIALECT_202)
		conn->state = FSMB_CONN_ACTIVE;
	if (!fsmb_wcur_ok(&out)) {
		kvfree(buf);
		goto drop;
	}
	/* send() takes the buffer. */
	if (conn->ops->send(conn, buf, out.pos))
		goto drop;
	return;

drop:
	fsmb_conn_close(conn);
}
