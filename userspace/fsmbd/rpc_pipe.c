// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd - DCE/RPC connection-oriented protocol (C706 chapter 12,
 * MS-RPCE 2.2.2) over a named pipe: bind / alter_context, request /
 * response with fragmentation in both directions, faults and bind_nak.
 * Only the NDR 2.0 transfer syntax is offered; NDR64 contexts are rejected
 * with provider reason proposed_transfer_syntaxes_not_supported, and
 * MS-RPCE bind time feature negotiation is acknowledged.  No RPC-level
 * authentication: the pipe inherits the SMB session.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ndr.h"
#include "rpc.h"

#define RPC_RESPONSE_HDR_LEN	24
#define RPC_FAULT_LEN		32
#define RPC_SEC_TRAILER_LEN	8

/* 8a885d04-1ceb-11c9-9fe8-08002b104860 v2.0 */
static const struct fsmb_uuid ndr20_uuid = {
	0x8a885d04, 0x1ceb, 0x11c9, { 0x9f, 0xe8 },
	{ 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60 }
};

#define NDR20_VERSION	2u

/*
 * Bind time feature negotiation (MS-RPCE 2.2.2.14): the transfer syntax
 * 6cb71c2c-9812-4540-xxxx-xxxxxxxxxxxx v1.0, whose last 8 bytes carry the
 * client's feature bitmask (little endian).
 */
#define BTFN_TIME_LOW	0x6cb71c2cu
#define BTFN_TIME_MID	0x9812u
#define BTFN_TIME_HI	0x4540u
#define BTFN_VERSION	1u

struct rpc_msg {
	struct rpc_msg *next;
	size_t len;
	size_t ofs;
	uint8_t data[];
};

struct rpc_hdr {
	uint8_t vers;
	uint8_t vers_minor;
	uint8_t ptype;
	uint8_t flags;
	uint8_t drep[4];
	uint16_t frag_len;
	uint16_t auth_len;
	uint32_t call_id;
	bool big_endian;
};

struct fsmb_pipe {
	const struct fsmb_rpc_iface *iface;
	struct fsmb_rpc_env env;	/* deep copy, pointing into arena */
	void *arena;

	/* the PDU being received */
	uint8_t in[FSMB_RPC_MAX_FRAG];
	size_t in_len;
	struct rpc_hdr hdr;		/* valid once in_len >= 16 */

	/* association */
	bool bound;
	bool broken;
	uint16_t max_xmit;
	uint16_t max_recv;
	uint32_t assoc_group;
	unsigned int nctx;
	uint16_t ctx_ids[FSMB_RPC_MAX_CONTEXTS];

	/* the request being reassembled */
	bool in_call;
	bool call_discard;	/* already answered with a fault */
	bool call_be;
	uint32_t call_id;
	uint16_t call_ctx;
	uint16_t call_opnum;
	uint8_t *req;
	size_t req_len;
	size_t req_cap;

	/* answers not yet read, one message per PDU */
	struct rpc_msg *out_head;
	struct rpc_msg *out_tail;
	size_t out_bytes;
};

int fsmb_rpc_strcasecmp(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
	} while (ca && ca == cb);
	return (int)ca - (int)cb;
}

static bool ascii_prefix_case(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)*prefix)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Open / close                                                       */
/* ------------------------------------------------------------------ */

static const struct fsmb_rpc_iface *const ifaces[] = {
	&fsmb_rpc_srvsvc_iface,
	&fsmb_rpc_wkssvc_iface,
};

static const struct fsmb_rpc_iface *iface_lookup(const char *name)
{
	size_t i;

	if (name[0] == '\\' || name[0] == '/') {
		name++;
		if (ascii_prefix_case(name, "pipe") &&
		    (name[4] == '\\' || name[4] == '/'))
			name += 5;
	}
	for (i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++)
		if (fsmb_rpc_strcasecmp(name, ifaces[i]->pipe_name) == 0)
			return ifaces[i];
	return NULL;
}

/* strlen + 1, accumulated with an overflow check */
static bool add_str_size(size_t *total, const char *s)
{
	size_t n = strlen(s ? s : "") + 1;

	if (n > SIZE_MAX - *total)
		return false;
	*total += n;
	return true;
}

static const char *put_str(char **w, const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *d = *w;

	memcpy(d, s ? s : "", n);
	*w += n;
	return d;
}

/*
 * Deep copy of src into one allocation (p->arena): the share array first,
 * then every string.  NULL strings become "".
 */
static int env_copy(struct fsmb_pipe *p, const struct fsmb_rpc_env *src)
{
	struct fsmb_rpc_share *shares;
	size_t total, i;
	char *w;

	if (src->nshares && !src->shares)
		return -EINVAL;
	if (src->nshares > SIZE_MAX / sizeof(*shares))
		return -ENOMEM;
	total = src->nshares * sizeof(*shares);
	if (!add_str_size(&total, src->netbios_name) ||
	    !add_str_size(&total, src->workgroup) ||
	    !add_str_size(&total, src->user))
		return -ENOMEM;
	for (i = 0; i < src->nshares; i++) {
		if (!src->shares[i].name)
			return -EINVAL;
		if (!add_str_size(&total, src->shares[i].name) ||
		    !add_str_size(&total, src->shares[i].comment) ||
		    !add_str_size(&total, src->shares[i].path))
			return -ENOMEM;
	}
	p->arena = malloc(total);
	if (!p->arena)
		return -ENOMEM;
	shares = p->arena;
	w = (char *)p->arena + src->nshares * sizeof(*shares);
	p->env.netbios_name = put_str(&w, src->netbios_name);
	p->env.workgroup = put_str(&w, src->workgroup);
	p->env.user = put_str(&w, src->user);
	for (i = 0; i < src->nshares; i++) {
		shares[i].name = put_str(&w, src->shares[i].name);
		shares[i].comment = put_str(&w, src->shares[i].comment);
		shares[i].path = put_str(&w, src->shares[i].path);
		shares[i].type = src->shares[i].type;
		shares[i].browseable = src->shares[i].browseable;
	}
	p->env.shares = src->nshares ? shares : NULL;
	p->env.nshares = src->nshares;
	return 0;
}

struct fsmb_pipe *fsmb_pipe_open(const char *name,
				 const struct fsmb_rpc_env *env)
{
	const struct fsmb_rpc_iface *iface;
	struct fsmb_pipe *p;
	int ret;

	if (!name || !env) {
		errno = EINVAL;
		return NULL;
	}
	iface = iface_lookup(name);
	if (!iface) {
		errno = ENOENT;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	ret = env_copy(p, env);
	if (ret) {
		free(p);
		errno = -ret;
		return NULL;
	}
	p->iface = iface;
	p->max_xmit = FSMB_RPC_MIN_FRAG;
	p->max_recv = FSMB_RPC_MIN_FRAG;
	return p;
}

static void call_reset(struct fsmb_pipe *p)
{
	p->in_call = false;
	p->call_discard = false;
	p->req_len = 0;
}

void fsmb_pipe_close(struct fsmb_pipe *p)
{
	struct rpc_msg *m, *next;

	if (!p)
		return;
	for (m = p->out_head; m; m = next) {
		next = m->next;
		free(m);
	}
	free(p->req);
	free(p->arena);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Output queue                                                       */
/* ------------------------------------------------------------------ */

size_t fsmb_pipe_read(struct fsmb_pipe *p, uint8_t *buf, size_t maxlen,
		      bool *more)
{
	struct rpc_msg *m;
	size_t n;

	if (more)
		*more = false;
	if (!p || !p->out_head || (!buf && maxlen))
		return 0;
	m = p->out_head;
	n = m->len - m->ofs;
	if (n > maxlen)
		n = maxlen;
	if (n)
		memcpy(buf, m->data + m->ofs, n);
	m->ofs += n;
	p->out_bytes -= n;
	if (m->ofs == m->len) {
		p->out_head = m->next;
		if (!p->out_head)
			p->out_tail = NULL;
		free(m);
	} else if (more) {
		*more = true;
	}
	return n;
}

size_t fsmb_pipe_pending(const struct fsmb_pipe *p)
{
	return p ? p->out_bytes : 0;
}

static int queue_msg(struct fsmb_pipe *p, const uint8_t *data, size_t len)
{
	struct rpc_msg *m = malloc(sizeof(*m) + len);

	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->len = len;
	m->ofs = 0;
	memcpy(m->data, data, len);
	if (p->out_tail)
		p->out_tail->next = m;
	else
		p->out_head = m;
	p->out_tail = m;
	p->out_bytes += len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* PDU construction                                                   */
/* ------------------------------------------------------------------ */

static void push_hdr(struct fsmb_ndr_push *o, uint8_t ptype, uint8_t flags,
		     uint32_t call_id)
{
	fsmb_ndr_push_u8(o, 5);		/* rpc_vers */
	fsmb_ndr_push_u8(o, 0);		/* rpc_vers_minor */
	fsmb_ndr_push_u8(o, ptype);
	fsmb_ndr_push_u8(o, flags);
	fsmb_ndr_push_u8(o, 0x10);	/* drep: little endian, ASCII */
	fsmb_ndr_push_u8(o, 0);		/* IEEE float */
	fsmb_ndr_push_u16(o, 0);
	fsmb_ndr_push_u16(o, 0);	/* frag_length, patched */
	fsmb_ndr_push_u16(o, 0);	/* auth_length */
	fsmb_ndr_push_u32(o, call_id);
}

/* Patches frag_length and queues the PDU; frees the push buffer. */
static int finish_pdu(struct fsmb_pipe *p, struct fsmb_ndr_push *o)
{
	int ret;

	if (o->len > UINT16_MAX)
		ret = -E2BIG;
	else
		ret = fsmb_ndr_push_u16_at(o, 8, (uint16_t)o->len);
	if (!ret)
		ret = fsmb_ndr_push_error(o);
	if (!ret)
		ret = queue_msg(p, o->data, o->len);
	fsmb_ndr_push_free(o);
	return ret;
}

static int send_fault(struct fsmb_pipe *p, uint32_t call_id, uint16_t ctx_id,
		      uint32_t status, bool did_not_execute)
{
	struct fsmb_ndr_push o;
	uint8_t flags = FSMB_DCERPC_PFC_FIRST_FRAG | FSMB_DCERPC_PFC_LAST_FRAG;

	if (did_not_execute)
		flags |= FSMB_DCERPC_PFC_DID_NOT_EXECUTE;
	fsmb_ndr_push_init(&o, RPC_FAULT_LEN);
	push_hdr(&o, FSMB_DCERPC_PKT_FAULT, flags, call_id);
	fsmb_ndr_push_u32(&o, 0);	/* alloc_hint: no stub data */
	fsmb_ndr_push_u16(&o, ctx_id);
	fsmb_ndr_push_u8(&o, 0);	/* cancel_count */
	fsmb_ndr_push_u8(&o, 0);	/* reserved */
	fsmb_ndr_push_u32(&o, status);
	fsmb_ndr_push_u32(&o, 0);	/* reserved */
	return finish_pdu(p, &o);
}

static int send_bind_nak(struct fsmb_pipe *p, uint32_t call_id,
			 uint16_t reason)
{
	struct fsmb_ndr_push o;

	fsmb_ndr_push_init(&o, 64);
	push_hdr(&o, FSMB_DCERPC_PKT_BIND_NAK,
		 FSMB_DCERPC_PFC_FIRST_FRAG | FSMB_DCERPC_PFC_LAST_FRAG, call_id);
	fsmb_ndr_push_u16(&o, reason);
	fsmb_ndr_push_u8(&o, 1);	/* n_protocols */
	fsmb_ndr_push_u8(&o, 5);	/* supported: 5.0 */
	fsmb_ndr_push_u8(&o, 0);
	fsmb_ndr_push_align(&o, 4);
	return finish_pdu(p, &o);
}

/*
 * A protocol violation: answer with a fault (or bind_nak for a bind) when
 * a reply is possible, and stop taking input.
 */
static int proto_error(struct fsmb_pipe *p, const struct rpc_hdr *h, int err)
{
	int ret = 0;

	p->broken = true;
	if (h->ptype == FSMB_DCERPC_PKT_BIND)
		ret = send_bind_nak(p, h->call_id,
				    FSMB_DCERPC_NAK_REASON_NOT_SPECIFIED);
	else if (h->ptype == FSMB_DCERPC_PKT_REQUEST ||
		 h->ptype == FSMB_DCERPC_PKT_ALTER)
		ret = send_fault(p, h->call_id, 0, FSMB_NCA_S_PROTO_ERROR,
				 true);
	return ret ? ret : err;
}

/* ------------------------------------------------------------------ */
/* Bind / alter_context                                               */
/* ------------------------------------------------------------------ */

static bool ctx_known(const struct fsmb_pipe *p, uint16_t ctx_id)
{
	unsigned int i;

	for (i = 0; i < p->nctx; i++)
		if (p->ctx_ids[i] == ctx_id)
			return true;
	return false;
}

static bool ctx_add(struct fsmb_pipe *p, uint16_t ctx_id)
{
	if (ctx_known(p, ctx_id))
		return true;
	if (p->nctx == FSMB_RPC_MAX_CONTEXTS)
		return false;
	p->ctx_ids[p->nctx++] = ctx_id;
	return true;
}

static bool is_btfn(const struct fsmb_uuid *u, uint32_t version,
		    uint16_t *features)
{
	if (u->time_low != BTFN_TIME_LOW || u->time_mid != BTFN_TIME_MID ||
	    u->time_hi_and_version != BTFN_TIME_HI || version != BTFN_VERSION)
		return false;
	/* bytes 8..15 form a little endian 64-bit mask; bits 0-15 suffice */
	*features = (uint16_t)(u->clock_seq[0] | u->clock_seq[1] << 8);
	return true;
}

static uint16_t clamp_frag(uint16_t v)
{
	if (v < FSMB_RPC_MIN_FRAG)
		return FSMB_RPC_MIN_FRAG;
	if (v > FSMB_RPC_MAX_FRAG)
		return FSMB_RPC_MAX_FRAG;
	return v;
}

static uint32_t new_assoc_group(void)
{
	static uint32_t next = 0x1234;
	uint32_t id;

	do {
		id = __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED);
	} while (id == 0);
	return 0x53f00000u ^ id;
}

/* Pulls one p_cont_elem_t and pushes its p_result_t. */
static int bind_one_ctx(struct fsmb_pipe *p, struct fsmb_ndr_pull *in,
			struct fsmb_ndr_push *o)
{
	const struct fsmb_rpc_iface *ifc = p->iface;
	struct fsmb_uuid abs, ts;
	uint32_t abs_ver, ts_ver;
	uint16_t ctx_id, features = 0, result, reason = 0;
	uint8_t n_ts, reserved, i;
	bool ndr = false, btfn = false, abs_ok;

	fsmb_ndr_pull_u16(in, &ctx_id);
	fsmb_ndr_pull_u8(in, &n_ts);
	fsmb_ndr_pull_u8(in, &reserved);
	fsmb_ndr_pull_uuid(in, &abs);
	fsmb_ndr_pull_u32(in, &abs_ver);
	for (i = 0; i < n_ts && !fsmb_ndr_pull_error(in); i++) {
		fsmb_ndr_pull_uuid(in, &ts);
		fsmb_ndr_pull_u32(in, &ts_ver);
		if (fsmb_uuid_equal(&ts, &ndr20_uuid) && ts_ver == NDR20_VERSION)
			ndr = true;
		else if (is_btfn(&ts, ts_ver, &features))
			btfn = true;
	}
	if (fsmb_ndr_pull_error(in))
		return fsmb_ndr_pull_error(in);

	abs_ok = fsmb_uuid_equal(&abs, &ifc->uuid) &&
		 (abs_ver & 0xffff) == ifc->vers_major &&
		 (abs_ver >> 16) <= ifc->vers_minor;

	if (btfn && !ndr) {
		result = FSMB_DCERPC_NEGOTIATE_ACK;
		/* calls complete at once, so orphans never cost us the link */
		reason = features & FSMB_DCERPC_BTF_KEEP_CONN_ON_ORPHAN;
	} else if (!abs_ok) {
		result = FSMB_DCERPC_PROVIDER_REJECTION;
		reason = FSMB_DCERPC_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED;
	} else if (!ndr) {
		result = FSMB_DCERPC_PROVIDER_REJECTION;
		reason = FSMB_DCERPC_REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED;
	} else if (!ctx_add(p, ctx_id)) {
		result = FSMB_DCERPC_PROVIDER_REJECTION;
		reason = FSMB_DCERPC_REASON_LOCAL_LIMIT_EXCEEDED;
	} else {
		result = FSMB_DCERPC_ACCEPTANCE;
	}

	fsmb_ndr_push_u16(o, result);
	fsmb_ndr_push_u16(o, reason);
	if (result == FSMB_DCERPC_ACCEPTANCE) {
		fsmb_ndr_push_uuid(o, &ndr20_uuid);
		fsmb_ndr_push_u32(o, NDR20_VERSION);
	} else {
		fsmb_ndr_push_zeros(o, 20);
	}
	return 0;
}

static int handle_bind(struct fsmb_pipe *p, struct fsmb_ndr_pull *in,
		       const struct rpc_hdr *h)
{
	bool alter = h->ptype == FSMB_DCERPC_PKT_ALTER;
	uint16_t c_xmit, c_recv, xmit, recv;
	unsigned int saved_nctx = p->nctx;
	struct fsmb_ndr_push o;
	uint32_t assoc;
	uint8_t n_ctx, b;
	uint16_t w;
	unsigned int i;
	char addr[64];
	int ret;

	if (!alter && p->bound)		/* one bind per association */
		return proto_error(p, h, -EPROTO);
	if (alter && !p->bound)
		return proto_error(p, h, -EPROTO);
	if (h->auth_len) {
		/* no RPC-level authentication on these pipes */
		if (alter)
			return proto_error(p, h, -EPROTO);
		return send_bind_nak(p, h->call_id,
				     FSMB_DCERPC_NAK_AUTH_TYPE_NOT_RECOGNIZED);
	}

	fsmb_ndr_pull_u16(in, &c_xmit);
	fsmb_ndr_pull_u16(in, &c_recv);
	fsmb_ndr_pull_u32(in, &assoc);
	fsmb_ndr_pull_u8(in, &n_ctx);
	fsmb_ndr_pull_u8(in, &b);
	fsmb_ndr_pull_u16(in, &w);
	if (fsmb_ndr_pull_error(in))
		return proto_error(p, h, -EPROTO);
	if (n_ctx == 0) {
		if (alter)
			return proto_error(p, h, -EPROTO);
		return send_bind_nak(p, h->call_id,
				     FSMB_DCERPC_NAK_REASON_NOT_SPECIFIED);
	}

	if (alter) {
		xmit = p->max_xmit;
		recv = p->max_recv;
		assoc = p->assoc_group;
	} else {
		/* what we send is bounded by what the client receives */
		xmit = clamp_frag(c_recv);
		recv = clamp_frag(c_xmit);
		if (!assoc)
			assoc = new_assoc_group();
	}

	fsmb_ndr_push_init(&o, FSMB_RPC_MAX_FRAG);
	push_hdr(&o, alter ? FSMB_DCERPC_PKT_ALTER_RESP :
		 FSMB_DCERPC_PKT_BIND_ACK,
		 FSMB_DCERPC_PFC_FIRST_FRAG | FSMB_DCERPC_PFC_LAST_FRAG,
		 h->call_id);
	fsmb_ndr_push_u16(&o, xmit);
	fsmb_ndr_push_u16(&o, recv);
	fsmb_ndr_push_u32(&o, assoc);
	if (alter) {
		fsmb_ndr_push_u16(&o, 0);	/* no secondary address */
	} else {
		size_t n = strlen(p->iface->pipe_name);

		memcpy(addr, "\\PIPE\\", 6);
		memcpy(addr + 6, p->iface->pipe_name, n + 1);
		fsmb_ndr_push_u16(&o, (uint16_t)(n + 7));
		fsmb_ndr_push_bytes(&o, addr, n + 7);
	}
	fsmb_ndr_push_align(&o, 4);
	fsmb_ndr_push_u8(&o, n_ctx);		/* n_results */
	fsmb_ndr_push_u8(&o, 0);
	fsmb_ndr_push_u16(&o, 0);
	for (i = 0; i < n_ctx; i++) {
		ret = bind_one_ctx(p, in, &o);
		if (ret) {
			p->nctx = saved_nctx;
			fsmb_ndr_push_free(&o);
			return proto_error(p, h, -EPROTO);
		}
	}
	if (fsmb_ndr_push_error(&o)) {
		p->nctx = saved_nctx;
		fsmb_ndr_push_free(&o);
		return proto_error(p, h, -EPROTO);
	}
	if (!alter) {
		p->bound = true;
		p->max_xmit = xmit;
		p->max_recv = recv;
		p->assoc_group = assoc;
	}
	return finish_pdu(p, &o);
}

/* ------------------------------------------------------------------ */
/* Requests                                                           */
/* ------------------------------------------------------------------ */

static int send_response(struct fsmb_pipe *p, const struct fsmb_ndr_push *stub)
{
	/* keep every fragment's stub a multiple of 8 bytes */
	size_t max_data = ((size_t)p->max_xmit - RPC_RESPONSE_HDR_LEN) & ~(size_t)7;
	size_t ofs = 0, n;
	struct fsmb_ndr_push o;
	uint8_t flags;
	int ret;

	do {
		n = stub->len - ofs;
		if (n > max_data)
			n = max_data;
		flags = 0;
		if (ofs == 0)
			flags |= FSMB_DCERPC_PFC_FIRST_FRAG;
		if (ofs + n == stub->len)
			flags |= FSMB_DCERPC_PFC_LAST_FRAG;
		fsmb_ndr_push_init(&o, RPC_RESPONSE_HDR_LEN + n);
		push_hdr(&o, FSMB_DCERPC_PKT_RESPONSE, flags, p->call_id);
		fsmb_ndr_push_u32(&o, (uint32_t)(stub->len - ofs)); /* alloc_hint */
		fsmb_ndr_push_u16(&o, p->call_ctx);
		fsmb_ndr_push_u8(&o, 0);	/* cancel_count */
		fsmb_ndr_push_u8(&o, 0);	/* reserved */
		if (n)
			fsmb_ndr_push_bytes(&o, stub->data + ofs, n);
		ret = finish_pdu(p, &o);
		if (ret)
			return ret;
		ofs += n;
	} while (ofs < stub->len);
	return 0;
}

static int dispatch_call(struct fsmb_pipe *p)
{
	struct fsmb_ndr_pull in;
	struct fsmb_ndr_push out;
	struct fsmb_rpc_call call;
	uint32_t status;
	int ret;

	fsmb_ndr_pull_init(&in, p->req, p->req_len, p->call_be);
	fsmb_ndr_push_init(&out, FSMB_RPC_MAX_RESPONSE);
	call.env = &p->env;
	call.opnum = p->call_opnum;
	call.in = &in;
	call.out = &out;

	status = p->iface->dispatch(&call);
	if (!status && fsmb_ndr_push_error(&out)) {
		if (fsmb_ndr_push_error(&out) == -ENOMEM) {
			fsmb_ndr_push_free(&out);
			return -ENOMEM;
		}
		status = FSMB_NCA_S_OUT_ARGS_TOO_BIG;
	}
	if (status)
		ret = send_fault(p, p->call_id, p->call_ctx, status,
				 status != FSMB_NCA_S_OUT_ARGS_TOO_BIG);
	else
		ret = send_response(p, &out);
	fsmb_ndr_push_free(&out);
	return ret;
}

static int req_append(struct fsmb_pipe *p, struct fsmb_ndr_pull *in, size_t n)
{
	uint8_t *r;
	size_t cap;

	if (n > FSMB_RPC_MAX_REQUEST - p->req_len)
		return -EMSGSIZE;
	if (p->req_len + n > p->req_cap) {
		cap = p->req_cap ? p->req_cap : 1024;
		while (cap < p->req_len + n)
			cap *= 2;
		if (cap > FSMB_RPC_MAX_REQUEST)
			cap = FSMB_RPC_MAX_REQUEST;
		r = realloc(p->req, cap);
		if (!r)
			return -ENOMEM;
		p->req = r;
		p->req_cap = cap;
	}
	if (n && fsmb_ndr_pull_bytes(in, p->req + p->req_len, n))
		return -EPROTO;
	p->req_len += n;
	return 0;
}

static int handle_request(struct fsmb_pipe *p, struct fsmb_ndr_pull *in,
			  const struct rpc_hdr *h)
{
	bool first = h->flags & FSMB_DCERPC_PFC_FIRST_FRAG;
	bool last = h->flags & FSMB_DCERPC_PFC_LAST_FRAG;
	struct fsmb_uuid object;
	uint32_t alloc_hint;
	uint16_t ctx_id, opnum;
	int ret;

	if (!p->bound || h->auth_len)
		return proto_error(p, h, -EPROTO);
	fsmb_ndr_pull_u32(in, &alloc_hint);	/* untrusted: unused */
	fsmb_ndr_pull_u16(in, &ctx_id);
	fsmb_ndr_pull_u16(in, &opnum);
	if (h->flags & FSMB_DCERPC_PFC_OBJECT_UUID)
		fsmb_ndr_pull_uuid(in, &object);	/* not an object RPC */
	if (fsmb_ndr_pull_error(in))
		return proto_error(p, h, -EPROTO);

	if (first) {
		if (p->in_call)		/* no concurrent calls without mpx */
			return proto_error(p, h, -EPROTO);
		p->in_call = true;
		p->call_id = h->call_id;
		p->call_ctx = ctx_id;
		p->call_opnum = opnum;
		p->call_be = h->big_endian;
		p->req_len = 0;
		if (!ctx_known(p, ctx_id)) {
			ret = send_fault(p, h->call_id, ctx_id,
					 FSMB_NCA_S_UNK_IF, true);
			if (ret)
				return ret;
			p->call_discard = true;
		}
	} else if (!p->in_call || h->call_id != p->call_id) {
		return proto_error(p, h, -EPROTO);
	}

	if (!p->call_discard) {
		ret = req_append(p, in, fsmb_ndr_pull_remaining(in));
		if (ret == -EMSGSIZE) {
			p->broken = true;
			ret = send_fault(p, p->call_id, p->call_ctx,
					 FSMB_NCA_S_PROTO_ERROR, true);
			call_reset(p);
			return ret ? ret : -EMSGSIZE;
		}
		if (ret)
			return ret;
	}
	if (!last)
		return 0;
	ret = p->call_discard ? 0 : dispatch_call(p);
	call_reset(p);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Framing                                                            */
/* ------------------------------------------------------------------ */

static void hdr_pull(struct fsmb_ndr_pull *in, struct rpc_hdr *h)
{
	fsmb_ndr_pull_u8(in, &h->vers);
	fsmb_ndr_pull_u8(in, &h->vers_minor);
	fsmb_ndr_pull_u8(in, &h->ptype);
	fsmb_ndr_pull_u8(in, &h->flags);
	fsmb_ndr_pull_bytes(in, h->drep, sizeof(h->drep));
	/* the rest is in the sender's integer representation */
	h->big_endian = (h->drep[0] & 0xf0) == 0x00;
	in->big_endian = h->big_endian;
	fsmb_ndr_pull_u16(in, &h->frag_len);
	fsmb_ndr_pull_u16(in, &h->auth_len);
	fsmb_ndr_pull_u32(in, &h->call_id);
}

/* Called once the 16 header bytes are in. */
static int check_header(struct fsmb_pipe *p)
{
	struct rpc_hdr *h = &p->hdr;
	struct fsmb_ndr_pull in;

	fsmb_ndr_pull_init(&in, p->in, FSMB_DCERPC_HDR_LEN, false);
	hdr_pull(&in, h);
	if (h->vers != 5 || h->vers_minor > 1) {
		p->broken = true;
		if (h->ptype == FSMB_DCERPC_PKT_BIND) {
			int ret = send_bind_nak(p, h->call_id,
				FSMB_DCERPC_NAK_PROTOCOL_VERSION_NOT_SUPPORTED);

			return ret ? ret : -EPROTO;
		}
		return -EPROTO;
	}
	if ((h->drep[0] & 0xf0) > 0x10 || h->frag_len < FSMB_DCERPC_HDR_LEN ||
	    h->frag_len > FSMB_RPC_MAX_FRAG)
		return proto_error(p, h, -EPROTO);
	return 0;
}

static int process_pdu(struct fsmb_pipe *p)
{
	const struct rpc_hdr *h = &p->hdr;
	struct fsmb_ndr_pull in;
	size_t body_len = h->frag_len;

	/* strip the auth trailer: sec_trailer + auth_value */
	if (h->auth_len) {
		if ((size_t)h->auth_len + RPC_SEC_TRAILER_LEN >
		    body_len - FSMB_DCERPC_HDR_LEN)
			return proto_error(p, h, -EPROTO);
		body_len -= h->auth_len + RPC_SEC_TRAILER_LEN;
	}
	fsmb_ndr_pull_init(&in, p->in, body_len, h->big_endian);
	fsmb_ndr_pull_skip(&in, FSMB_DCERPC_HDR_LEN);

	switch (h->ptype) {
	case FSMB_DCERPC_PKT_BIND:
	case FSMB_DCERPC_PKT_ALTER:
		return handle_bind(p, &in, h);
	case FSMB_DCERPC_PKT_REQUEST:
		return handle_request(p, &in, h);
	case FSMB_DCERPC_PKT_AUTH3:
	case FSMB_DCERPC_PKT_CO_CANCEL:
		/* no authentication; calls never outlive their last frag */
		return 0;
	case FSMB_DCERPC_PKT_ORPHANED:
		if (p->in_call && p->call_id == h->call_id)
			call_reset(p);
		return 0;
	default:
		/* server-to-client PDUs, shutdown, connectionless types */
		p->broken = true;
		return -EPROTO;
	}
}

int fsmb_pipe_write(struct fsmb_pipe *p, const uint8_t *buf, size_t len)
{
	size_t want, n;
	int ret;

	if (!p || (!buf && len))
		return -EINVAL;
	if (p->broken)
		return -EPIPE;
	while (len) {
		if (p->in_len < FSMB_DCERPC_HDR_LEN)
			want = FSMB_DCERPC_HDR_LEN - p->in_len;
		else
			want = p->hdr.frag_len - p->in_len;
		n = len < want ? len : want;
		memcpy(p->in + p->in_len, buf, n);
		p->in_len += n;
		buf += n;
		len -= n;

		if (p->in_len == FSMB_DCERPC_HDR_LEN && n == want) {
			ret = check_header(p);
			if (ret) {
				p->broken = true;
				return ret;
			}
		}
		if (p->in_len < FSMB_DCERPC_HDR_LEN ||
		    p->in_len < p->hdr.frag_len)
			continue;

		/* one complete PDU */
		if (p->out_bytes > FSMB_RPC_OUT_SOFT_LIMIT) {
			p->broken = true;
			return -ENOBUFS;
		}
		ret = process_pdu(p);
		p->in_len = 0;
		if (ret) {
			p->broken = true;
			return ret;
		}
	}
	return 0;
}
