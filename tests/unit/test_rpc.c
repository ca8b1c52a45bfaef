// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the DCE/RPC named-pipe server (rpc_pipe.c, ndr.c,
 * rpc_srvsvc.c, rpc_wkssvc.c).
 *
 * PDUs and stubs are built and decoded here by hand, byte by byte from
 * C706 / MS-RPCE / MS-SRVS / MS-WKST, without ndr.c, so the tests do not
 * share the implementation's mistakes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ndr.h"
#include "rpc.h"

#define SRVSVC_UUID	"4b324fc8-1670-01d3-1278-5a47bf6ee188"
#define WKSSVC_UUID	"6bffd098-a112-3610-9833-46c3f87e345a"
#define LSARPC_UUID	"12345778-1234-abcd-ef00-0123456789ab"
#define NDR20_UUID	"8a885d04-1ceb-11c9-9fe8-08002b104860"
#define NDR64_UUID	"71710533-beba-4937-8319-b5dbef9ccc36"
#define BTFN_UUID_3	"6cb71c2c-9812-4540-0300-000000000000"

/* ------------------------------------------------------------------ */
/* Independent little/big endian writer and reader                    */
/* ------------------------------------------------------------------ */

struct wbuf {
	uint8_t d[80000];
	size_t len;
	size_t base;	/* alignment is relative to this (the PDU start) */
	bool be;
};

static void w_u8(struct wbuf *b, uint8_t v)
{
	assert_true(b->len < sizeof(b->d));
	b->d[b->len++] = v;
}

static void w_align(struct wbuf *b, size_t n)
{
	while ((b->len - b->base) % n)
		w_u8(b, 0);
}

static void w_u16(struct wbuf *b, uint16_t v)
{
	w_align(b, 2);
	if (b->be) {
		w_u8(b, v >> 8);
		w_u8(b, v & 0xff);
	} else {
		w_u8(b, v & 0xff);
		w_u8(b, v >> 8);
	}
}

static void w_u32(struct wbuf *b, uint32_t v)
{
	w_align(b, 4);
	if (b->be) {
		w_u16(b, v >> 16);
		w_u16(b, v & 0xffff);
	} else {
		w_u16(b, v & 0xffff);
		w_u16(b, v >> 16);
	}
}

static void w_bytes(struct wbuf *b, const void *p, size_t n)
{
	const uint8_t *s = p;

	while (n--)
		w_u8(b, *s++);
}

static void w_uuid(struct wbuf *b, const char *s)
{
	unsigned int tl, tm, th, c[8];

	assert_int_equal(sscanf(s, "%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x",
				&tl, &tm, &th, &c[0], &c[1], &c[2], &c[3],
				&c[4], &c[5], &c[6], &c[7]), 11);
	w_u32(b, tl);
	w_u16(b, (uint16_t)tm);
	w_u16(b, (uint16_t)th);
	for (int i = 0; i < 8; i++)
		w_u8(b, (uint8_t)c[i]);
}

/* [string] wchar_t * referent, ASCII only */
static void w_wstr(struct wbuf *b, const char *s)
{
	uint32_t n = (uint32_t)strlen(s) + 1;

	w_u32(b, n);
	w_u32(b, 0);
	w_u32(b, n);
	for (uint32_t i = 0; i < n; i++)
		w_u16(b, (uint8_t)s[i]);
}

static void w_patch_u16(struct wbuf *b, size_t at, uint16_t v)
{
	if (b->be) {
		b->d[at] = v >> 8;
		b->d[at + 1] = v & 0xff;
	} else {
		b->d[at] = v & 0xff;
		b->d[at + 1] = v >> 8;
	}
}

struct rd {
	const uint8_t *d;
	size_t len;
	size_t ofs;
};

static uint8_t r_u8(struct rd *r)
{
	assert_true(r->ofs < r->len);
	return r->d[r->ofs++];
}

static void r_align(struct rd *r, size_t n)
{
	while (r->ofs % n)
		assert_int_equal(r_u8(r), 0);	/* we pad with zeros */
}

static uint16_t r_u16(struct rd *r)
{
	uint16_t v;

	r_align(r, 2);
	v = r_u8(r);
	v |= (uint16_t)(r_u8(r) << 8);
	return v;
}

static uint32_t r_u32(struct rd *r)
{
	uint32_t v;

	r_align(r, 4);
	v = r_u16(r);
	v |= (uint32_t)r_u16(r) << 16;
	return v;
}

static void r_expect_uuid(struct rd *r, const char *s)
{
	struct wbuf w = { .len = 0 };

	w_uuid(&w, s);
	assert_true(r->ofs + 16 <= r->len);
	assert_memory_equal(r->d + r->ofs, w.d, 16);
	r->ofs += 16;
}

/* [string] wchar_t * referent into ASCII out */
static void r_wstr(struct rd *r, char *out, size_t cap)
{
	uint32_t max = r_u32(r), ofs = r_u32(r), act = r_u32(r);

	assert_int_equal(ofs, 0);
	assert_int_equal(act, max);
	assert_true(act >= 1 && act <= cap);
	for (uint32_t i = 0; i < act; i++) {
		uint16_t c = r_u16(r);

		if (i == act - 1) {
			assert_int_equal(c, 0);
			out[i] = '\0';
		} else {
			assert_true(c != 0 && c < 0x80);
			out[i] = (char)c;
		}
	}
}

/* ------------------------------------------------------------------ */
/* PDU helpers                                                        */
/* ------------------------------------------------------------------ */

static size_t pdu_hdr(struct wbuf *b, uint8_t ptype, uint8_t flags,
		      uint32_t call_id)
{
	size_t start = b->len;

	b->base = start;
	w_u8(b, 5);
	w_u8(b, 0);
	w_u8(b, ptype);
	w_u8(b, flags);
	w_u8(b, b->be ? 0x00 : 0x10);
	w_u8(b, 0);
	w_u8(b, 0);
	w_u8(b, 0);
	w_u16(b, 0);		/* frag_length, patched */
	w_u16(b, 0);
	w_u32(b, call_id);
	return start;
}

static void pdu_end(struct wbuf *b, size_t start)
{
	w_patch_u16(b, start + 8, (uint16_t)(b->len - start));
}

struct tctx {
	uint16_t id;
	const char *abs;
	uint32_t abs_ver;
	int nts;
	const char *ts[3];
	uint32_t ts_ver[3];
};

static void build_bind(struct wbuf *b, uint8_t ptype, uint32_t call_id,
		       uint16_t max_xmit, uint16_t max_recv, uint32_t assoc,
		       const struct tctx *ctx, int nctx)
{
	size_t start = pdu_hdr(b, ptype, 3, call_id);

	w_u16(b, max_xmit);
	w_u16(b, max_recv);
	w_u32(b, assoc);
	w_u8(b, (uint8_t)nctx);
	w_u8(b, 0);
	w_u16(b, 0);
	for (int i = 0; i < nctx; i++) {
		w_u16(b, ctx[i].id);
		w_u8(b, (uint8_t)ctx[i].nts);
		w_u8(b, 0);
		w_uuid(b, ctx[i].abs);
		w_u32(b, ctx[i].abs_ver);
		for (int j = 0; j < ctx[i].nts; j++) {
			w_uuid(b, ctx[i].ts[j]);
			w_u32(b, ctx[i].ts_ver[j]);
		}
	}
	pdu_end(b, start);
}

static void build_request(struct wbuf *b, uint32_t call_id, uint16_t ctx,
			  uint16_t opnum, uint8_t flags, const uint8_t *stub,
			  size_t len, uint32_t alloc_hint)
{
	size_t start = pdu_hdr(b, FSMB_DCERPC_PKT_REQUEST, flags, call_id);

	w_u32(b, alloc_hint);
	w_u16(b, ctx);
	w_u16(b, opnum);
	w_bytes(b, stub, len);
	pdu_end(b, start);
}

static void write_all(struct fsmb_pipe *p, const struct wbuf *b)
{
	assert_int_equal(fsmb_pipe_write(p, b->d, b->len), 0);
}

/* One whole message (PDU); checks frag_length against its size. */
static size_t read_msg(struct fsmb_pipe *p, uint8_t *buf, size_t cap)
{
	size_t len = 0, n;
	bool more;

	do {
		assert_true(len < cap);
		n = fsmb_pipe_read(p, buf + len, cap - len, &more);
		assert_true(n > 0);
		len += n;
	} while (more);
	assert_true(len >= FSMB_DCERPC_HDR_LEN);
	assert_int_equal(buf[0], 5);
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[4], 0x10);
	assert_int_equal(buf[8] | buf[9] << 8, len);
	assert_int_equal(buf[10] | buf[11] << 8, 0);	/* auth_length */
	return len;
}

static uint32_t pdu_call_id(const uint8_t *pdu)
{
	return pdu[12] | pdu[13] << 8 | (uint32_t)pdu[14] << 16 |
	       (uint32_t)pdu[15] << 24;
}

/*
 * Reads a complete, possibly fragmented response to call_id and returns
 * its reassembled stub.  Checks the first/last flags, alloc_hint and that
 * no fragment exceeds max_frag.
 */
static size_t get_response(struct fsmb_pipe *p, uint32_t call_id,
			   uint16_t ctx_id, uint8_t *stub, size_t cap,
			   size_t max_frag, unsigned int *nfrags)
{
	uint8_t pdu[8192];
	size_t total = 0;
	unsigned int n = 0;
	bool last = false;

	while (!last) {
		size_t len = read_msg(p, pdu, sizeof(pdu));
		struct rd r = { pdu, len, 2 };
		uint8_t flags;
		uint32_t hint;

		if (pdu[2] == FSMB_DCERPC_PKT_FAULT)
			fail_msg("fault 0x%08x", pdu[24] | pdu[25] << 8 |
				 pdu[26] << 16 | (unsigned)pdu[27] << 24);
		assert_int_equal(r_u8(&r), FSMB_DCERPC_PKT_RESPONSE);
		flags = r_u8(&r);
		assert_int_equal(!!(flags & FSMB_DCERPC_PFC_FIRST_FRAG), n == 0);
		last = flags & FSMB_DCERPC_PFC_LAST_FRAG;
		assert_int_equal(pdu_call_id(pdu), call_id);
		assert_true(len <= max_frag);
		r.ofs = 16;
		hint = r_u32(&r);
		assert_int_equal(r_u16(&r), ctx_id);
		assert_int_equal(r_u8(&r), 0);		/* cancel count */
		r_u8(&r);
		assert_true(hint >= len - 24);
		if (last)
			assert_int_equal(hint, len - 24);
		assert_true(total + len - 24 <= cap);
		memcpy(stub + total, pdu + 24, len - 24);
		total += len - 24;
		n++;
	}
	if (nfrags)
		*nfrags = n;
	return total;
}

/* Reads a fault PDU; returns the status, *flags gets pfc_flags. */
static uint32_t get_fault(struct fsmb_pipe *p, uint32_t call_id,
			  uint8_t *flags)
{
	uint8_t pdu[256];
	size_t len = read_msg(p, pdu, sizeof(pdu));
	struct rd r = { pdu, len, 16 };
	uint32_t status;

	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_FAULT);
	assert_int_equal(len, 32);
	assert_int_equal(pdu_call_id(pdu), call_id);
	if (flags)
		*flags = pdu[3];
	r_u32(&r);		/* alloc_hint */
	r_u16(&r);		/* context id */
	r_u8(&r);
	r_u8(&r);
	status = r_u32(&r);
	assert_int_equal(r_u32(&r), 0);
	return status;
}

/* ------------------------------------------------------------------ */
/* Fixtures                                                           */
/* ------------------------------------------------------------------ */

static const struct fsmb_rpc_share test_shares[] = {
	{ "IPC$", "IPC Service (fsmb test)", "",
	  FSMB_STYPE_IPC | FSMB_STYPE_SPECIAL, true },
	{ "public", "Public files", "C:\\srv\\public", FSMB_STYPE_DISKTREE,
	  true },
	{ "secret", "not listed", "/srv/secret", FSMB_STYPE_DISKTREE, false },
	{ "data", "", "/srv/data", FSMB_STYPE_DISKTREE, true },
};

static const struct fsmb_rpc_env test_env = {
	.netbios_name = "FSMBTEST",
	.workgroup = "WORKGROUP",
	.shares = test_shares,
	.nshares = sizeof(test_shares) / sizeof(test_shares[0]),
	.user = "alice",
};

static const struct tctx srvsvc_ndr = {
	0, SRVSVC_UUID, 3, 1, { NDR20_UUID }, { 2 }
};
static const struct tctx wkssvc_ndr = {
	0, WKSSVC_UUID, 1, 1, { NDR20_UUID }, { 2 }
};

/* Opens name, binds ctx and checks acceptance. */
static struct fsmb_pipe *open_bound_env(const char *name,
					const struct tctx *ctx,
					uint16_t max_recv,
					const struct fsmb_rpc_env *env)
{
	struct fsmb_pipe *p = fsmb_pipe_open(name, env);
	struct wbuf b = { .len = 0 };
	uint8_t pdu[512];
	size_t len;

	assert_non_null(p);
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 1, 4280, max_recv, 0, ctx, 1);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_ACK);
	/* the single result sits in the last 24 bytes */
	assert_int_equal(pdu[len - 24] | pdu[len - 23] << 8,
			 FSMB_DCERPC_ACCEPTANCE);
	assert_int_equal(fsmb_pipe_pending(p), 0);
	return p;
}

static struct fsmb_pipe *open_bound(const char *name, const struct tctx *ctx)
{
	return open_bound_env(name, ctx, 4280, &test_env);
}

/*
 * NetShareEnumAll request exactly as Samba's smbclient -L marshals it
 * (browse_host_rpc): server_unc unique pointer to the host name, info_ctr
 * level 1 with an empty ctr1, max_buffer 0xffffffff, resume_handle
 * pointing at 0.  Referent ids are Samba's 0x20000, 0x20004, ...
 */
static void stub_share_enum(struct wbuf *s, uint32_t level,
			    uint32_t max_buffer, bool resume_ptr,
			    uint32_t resume)
{
	w_u32(s, 0x00020000);		/* server_unc */
	w_wstr(s, "127.0.0.1");
	w_u32(s, level);		/* info_ctr->level */
	w_u32(s, level);		/* union discriminant */
	w_u32(s, 0x00020004);		/* ctr.ctr1 */
	w_u32(s, 0);			/* ctr1->count */
	w_u32(s, 0);			/* ctr1->array: NULL */
	w_u32(s, max_buffer);
	if (resume_ptr) {
		w_u32(s, 0x00020008);
		w_u32(s, resume);
	} else {
		w_u32(s, 0);
	}
}

struct share_ent {
	char name[128];
	char comment[128];
	char path[128];
	uint32_t type;
};

struct enum_result {
	uint32_t count;
	struct share_ent ent[5000];
	uint32_t total;
	bool resume_present;
	uint32_t resume;
	uint32_t werr;
};

/* Decodes a NetShareEnumAll response stub; the whole stub must be used. */
static void decode_share_enum(const uint8_t *stub, size_t len, uint32_t level,
			      struct enum_result *res)
{
	struct rd r = { stub, len, 0 };
	uint32_t ptr;

	memset(res, 0, sizeof(*res));
	assert_int_equal(r_u32(&r), level);	/* SHARE_ENUM_STRUCT.Level */
	assert_int_equal(r_u32(&r), level);	/* union switch */
	assert_int_not_equal(r_u32(&r), 0);	/* container pointer */
	res->count = r_u32(&r);			/* EntriesRead */
	assert_true(res->count <= 5000);
	ptr = r_u32(&r);			/* Buffer */
	assert_int_equal(ptr != 0, res->count != 0);
	if (res->count) {
		assert_int_equal(r_u32(&r), res->count);	/* max_count */
		for (uint32_t i = 0; i < res->count; i++) {
			assert_int_not_equal(r_u32(&r), 0);	/* netname */
			if (level == 0)
				continue;
			res->ent[i].type = r_u32(&r);
			assert_int_not_equal(r_u32(&r), 0);	/* remark */
			if (level == 501)
				assert_int_equal(r_u32(&r), 0);	/* flags */
			if (level == 2 || level == 502) {
				assert_int_equal(r_u32(&r), 0);	/* perms */
				assert_int_equal(r_u32(&r), 0xffffffff);
				assert_int_equal(r_u32(&r), 0);	/* current */
				assert_int_not_equal(r_u32(&r), 0); /* path */
				assert_int_equal(r_u32(&r), 0);	/* passwd */
			}
			if (level == 502) {
				assert_int_equal(r_u32(&r), 0);	/* reserved */
				assert_int_equal(r_u32(&r), 0);	/* sd */
			}
		}
		/* deferred referents, entry by entry in field order */
		for (uint32_t i = 0; i < res->count; i++) {
			struct share_ent *e = &res->ent[i];

			r_wstr(&r, e->name, sizeof(e->name));
			if (level == 0)
				continue;
			r_wstr(&r, e->comment, sizeof(e->comment));
			if (level == 2 || level == 502)
				r_wstr(&r, e->path, sizeof(e->path));
		}
	}
	res->total = r_u32(&r);			/* TotalEntries */
	ptr = r_u32(&r);			/* ResumeHandle */
	res->resume_present = ptr != 0;
	if (ptr)
		res->resume = r_u32(&r);
	res->werr = r_u32(&r);
	assert_int_equal(r.ofs, len);
}

static size_t call(struct fsmb_pipe *p, uint32_t call_id, uint16_t opnum,
		   const struct wbuf *stub, uint8_t *out, size_t cap)
{
	struct wbuf b = { .len = 0 };

	build_request(&b, call_id, 0, opnum, 3, stub->d, stub->len,
		      (uint32_t)stub->len);
	write_all(p, &b);
	return get_response(p, call_id, 0, out, cap, 4280, NULL);
}

/* ------------------------------------------------------------------ */
/* Tests: pipe object                                                 */
/* ------------------------------------------------------------------ */

static void test_open_names(void **state)
{
	static const char *const good[] = {
		"srvsvc", "SRVSVC", "\\PIPE\\srvsvc", "\\pipe\\SrvSvc",
		"\\srvsvc", "/pipe/srvsvc", "wkssvc", "\\PIPE\\wkssvc",
	};
	struct fsmb_rpc_share bad_share = { NULL, "", "", 0, true };
	struct fsmb_rpc_env bad = test_env;
	struct fsmb_pipe *p;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		p = fsmb_pipe_open(good[i], &test_env);
		assert_non_null(p);
		fsmb_pipe_close(p);
	}
	errno = 0;
	assert_null(fsmb_pipe_open("lsarpc", &test_env));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(fsmb_pipe_open("\\PIPE\\srvsvcx", &test_env));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(fsmb_pipe_open("PIPE\\", &test_env));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(fsmb_pipe_open("srvsvc", NULL));
	assert_int_equal(errno, EINVAL);
	bad.shares = &bad_share;
	bad.nshares = 1;
	errno = 0;
	assert_null(fsmb_pipe_open("srvsvc", &bad));
	assert_int_equal(errno, EINVAL);
	bad.shares = NULL;
	errno = 0;
	assert_null(fsmb_pipe_open("srvsvc", &bad));
	assert_int_equal(errno, EINVAL);

	/* NULL strings are fine and nothing is queued before a bind */
	bad.shares = NULL;
	bad.nshares = 0;
	bad.netbios_name = NULL;
	bad.workgroup = NULL;
	bad.user = NULL;
	p = fsmb_pipe_open("srvsvc", &bad);
	assert_non_null(p);
	assert_int_equal(fsmb_pipe_pending(p), 0);
	assert_int_equal(fsmb_pipe_read(p, (uint8_t[4]){ 0 }, 4, NULL), 0);
	assert_int_equal(fsmb_pipe_write(p, NULL, 0), 0);
	assert_int_equal(fsmb_pipe_write(p, NULL, 1), -EINVAL);
	fsmb_pipe_close(p);
	fsmb_pipe_close(NULL);
}

static void test_bind_ack(void **state)
{
	struct fsmb_pipe *p = fsmb_pipe_open("\\PIPE\\srvsvc", &test_env);
	struct wbuf b = { .len = 0 };
	uint8_t pdu[512];
	struct rd r;
	size_t len;
	uint16_t n;
	char addr[32];
	bool more;

	(void)state;
	assert_non_null(p);
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 7, 4280, 4280, 0, &srvsvc_ndr, 1);
	assert_int_equal(b.len, 72);
	write_all(p, &b);

	len = fsmb_pipe_read(p, pdu, sizeof(pdu), &more);
	assert_false(more);
	assert_int_equal(fsmb_pipe_pending(p), 0);
	r = (struct rd){ pdu, len, 0 };
	assert_int_equal(r_u8(&r), 5);
	assert_int_equal(r_u8(&r), 0);
	assert_int_equal(r_u8(&r), FSMB_DCERPC_PKT_BIND_ACK);
	assert_int_equal(r_u8(&r), FSMB_DCERPC_PFC_FIRST_FRAG |
				   FSMB_DCERPC_PFC_LAST_FRAG);
	assert_int_equal(r_u32(&r), 0x00000010);	/* drep */
	assert_int_equal(r_u16(&r), len);		/* frag_length */
	assert_int_equal(r_u16(&r), 0);			/* auth_length */
	assert_int_equal(r_u32(&r), 7);			/* call_id */
	assert_int_equal(r_u16(&r), 4280);		/* max_xmit_frag */
	assert_int_equal(r_u16(&r), 4280);		/* max_recv_frag */
	assert_int_not_equal(r_u32(&r), 0);		/* assoc_group_id */
	n = r_u16(&r);					/* sec_addr */
	assert_int_equal(n, 13);
	memcpy(addr, pdu + r.ofs, n);
	r.ofs += n;
	assert_string_equal(addr, "\\PIPE\\srvsvc");
	r_align(&r, 4);
	assert_int_equal(r.ofs, 40);
	assert_int_equal(r_u8(&r), 1);			/* n_results */
	r_u8(&r);
	r_u16(&r);
	assert_int_equal(r_u16(&r), FSMB_DCERPC_ACCEPTANCE);
	assert_int_equal(r_u16(&r), 0);
	r_expect_uuid(&r, NDR20_UUID);
	assert_int_equal(r_u32(&r), 2);
	assert_int_equal(r.ofs, len);
	assert_int_equal(len, 68);
	fsmb_pipe_close(p);

	/* a client-chosen association group is kept; frags are clamped */
	p = fsmb_pipe_open("wkssvc", &test_env);
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 1, 2048, 1024, 0x1234abcd,
		   &wkssvc_ndr, 1);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	r = (struct rd){ pdu, len, 16 };
	assert_int_equal(r_u16(&r), 1432);	/* we send <= client recv */
	assert_int_equal(r_u16(&r), 2048);	/* client sends <= 2048 */
	assert_int_equal(r_u32(&r), 0x1234abcd);
	assert_int_equal(r_u16(&r), 13);
	assert_memory_equal(pdu + r.ofs, "\\PIPE\\wkssvc", 13);
	fsmb_pipe_close(p);

	/* frag sizes above ours are clamped to FSMB_RPC_MAX_FRAG */
	p = fsmb_pipe_open("srvsvc", &test_env);
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 1, 0xffff, 0xffff, 0,
		   &srvsvc_ndr, 1);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	r = (struct rd){ pdu, len, 16 };
	assert_int_equal(r_u16(&r), FSMB_RPC_MAX_FRAG);
	assert_int_equal(r_u16(&r), FSMB_RPC_MAX_FRAG);
	fsmb_pipe_close(p);
}

/* ctx results of a bind_ack, starting after the secondary address */
static void ack_results(const uint8_t *pdu, size_t len, struct rd *r,
			uint8_t expect_n)
{
	uint16_t n;

	*r = (struct rd){ pdu, len, 24 };
	n = r_u16(r);
	r->ofs += n;
	r_align(r, 4);
	assert_int_equal(r_u8(r), expect_n);
	r_u8(r);
	r_u16(r);
}

static void test_bind_ndr64_rejected(void **state)
{
	static const struct tctx ctx[] = {
		{ 0, SRVSVC_UUID, 3, 1, { NDR64_UUID }, { 1 } },
		{ 1, SRVSVC_UUID, 3, 1, { NDR20_UUID }, { 2 } },
		{ 2, SRVSVC_UUID, 3, 1, { BTFN_UUID_3 }, { 1 } },
		{ 3, LSARPC_UUID, 0, 1, { NDR20_UUID }, { 2 } },
		{ 4, SRVSVC_UUID, 2, 1, { NDR20_UUID }, { 2 } }, /* v2.0 */
		{ 5, SRVSVC_UUID, 3, 2, { NDR64_UUID, NDR20_UUID }, { 1, 2 } },
		{ 6, SRVSVC_UUID, 3, 0, { NULL }, { 0 } },
	};
	struct fsmb_pipe *p = fsmb_pipe_open("srvsvc", &test_env);
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	uint8_t pdu[1024], stub[4096];
	struct enum_result *res = malloc(sizeof(*res));
	uint8_t flags;
	struct rd r;
	size_t len;

	(void)state;
	assert_non_null(p);
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 2, 4280, 4280, 0, ctx, 7);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_ACK);
	ack_results(pdu, len, &r, 7);

	/* NDR64 alone: provider rejection, transfer syntaxes unsupported */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_PROVIDER_REJECTION);
	assert_int_equal(r_u16(&r), 2);
	for (int i = 0; i < 20; i++)
		assert_int_equal(r_u8(&r), 0);
	/* NDR 2.0 in the same bind: accepted */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_ACCEPTANCE);
	assert_int_equal(r_u16(&r), 0);
	r_expect_uuid(&r, NDR20_UUID);
	assert_int_equal(r_u32(&r), 2);
	/* bind time features 0x3: acknowledged, keep-conn-on-orphan only */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_NEGOTIATE_ACK);
	assert_int_equal(r_u16(&r), FSMB_DCERPC_BTF_KEEP_CONN_ON_ORPHAN);
	r.ofs += 20;
	/* another interface: abstract syntax not supported */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_PROVIDER_REJECTION);
	assert_int_equal(r_u16(&r), 1);
	r.ofs += 20;
	/* wrong major version */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_PROVIDER_REJECTION);
	assert_int_equal(r_u16(&r), 1);
	r.ofs += 20;
	/* NDR64 or NDR: NDR chosen */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_ACCEPTANCE);
	assert_int_equal(r_u16(&r), 0);
	r_expect_uuid(&r, NDR20_UUID);
	assert_int_equal(r_u32(&r), 2);
	/* no transfer syntax at all */
	assert_int_equal(r_u16(&r), FSMB_DCERPC_PROVIDER_REJECTION);
	assert_int_equal(r_u16(&r), 2);
	r.ofs += 20;
	assert_int_equal(r.ofs, len);

	/* the rejected context cannot be used... */
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	b.len = 0;
	build_request(&b, 3, 0, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	assert_int_equal(get_fault(p, 3, &flags), FSMB_NCA_S_UNK_IF);
	assert_true(flags & FSMB_DCERPC_PFC_DID_NOT_EXECUTE);
	/* ...the accepted ones can */
	for (uint16_t c = 1; c <= 5; c += 4) {
		b.len = 0;
		build_request(&b, 4, c, 15, 3, s.d, s.len, 0);
		write_all(p, &b);
		len = get_response(p, 4, c, stub, sizeof(stub), 4280, NULL);
		decode_share_enum(stub, len, 1, res);
		assert_int_equal(res->count, 3);
	}
	free(res);
	fsmb_pipe_close(p);
}

static void test_alter_context(void **state)
{
	static const struct tctx ctx1 = {
		1, SRVSVC_UUID, 3, 1, { NDR20_UUID }, { 2 }
	};
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	uint8_t pdu[512], stub[4096];
	struct rd r;
	size_t len;

	(void)state;
	build_bind(&b, FSMB_DCERPC_PKT_ALTER, 2, 4280, 4280, 0, &ctx1, 1);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_ALTER_RESP);
	r = (struct rd){ pdu, len, 16 };
	assert_int_equal(r_u16(&r), 4280);
	assert_int_equal(r_u16(&r), 4280);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u16(&r), 0);		/* no secondary address */
	r_align(&r, 4);
	assert_int_equal(r_u8(&r), 1);
	r_u8(&r);
	r_u16(&r);
	assert_int_equal(r_u16(&r), FSMB_DCERPC_ACCEPTANCE);
	r_u16(&r);
	r_expect_uuid(&r, NDR20_UUID);
	assert_int_equal(r_u32(&r), 2);
	assert_int_equal(r.ofs, len);

	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	b.len = 0;
	build_request(&b, 3, 1, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	len = get_response(p, 3, 1, stub, sizeof(stub), 4280, NULL);
	assert_true(len > 0);
	fsmb_pipe_close(p);
}

/* ------------------------------------------------------------------ */
/* Tests: srvsvc                                                      */
/* ------------------------------------------------------------------ */

static void test_share_enum_level1(void **state)
{
	struct fsmb_rpc_share *sh = calloc(4, sizeof(*sh));
	struct enum_result *res = malloc(sizeof(*res));
	struct fsmb_rpc_env env = test_env;
	struct wbuf s = { .len = 0 };
	uint8_t stub[4096];
	struct fsmb_pipe *p;
	size_t len;

	(void)state;
	/* heap copies freed right after open: the pipe must deep-copy */
	for (int i = 0; i < 4; i++) {
		sh[i] = test_shares[i];
		sh[i].name = strdup(test_shares[i].name);
		sh[i].comment = strdup(test_shares[i].comment);
		sh[i].path = strdup(test_shares[i].path);
	}
	env.shares = sh;
	env.netbios_name = strdup("FSMBTEST");
	p = open_bound_env("srvsvc", &srvsvc_ndr, 4280, &env);
	for (int i = 0; i < 4; i++) {
		free((char *)sh[i].name);
		free((char *)sh[i].comment);
		free((char *)sh[i].path);
	}
	free(sh);
	free((char *)env.netbios_name);

	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	/* the exact bytes smbclient sends */
	{
		static const uint8_t expect[] = {
			0x00, 0x00, 0x02, 0x00, 0x0a, 0, 0, 0, 0, 0, 0, 0,
			0x0a, 0, 0, 0, '1', 0, '2', 0, '7', 0, '.', 0, '0', 0,
			'.', 0, '0', 0, '.', 0, '1', 0, 0, 0,
			1, 0, 0, 0, 1, 0, 0, 0, 0x04, 0x00, 0x02, 0x00,
			0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
			0x08, 0x00, 0x02, 0x00, 0, 0, 0, 0,
		};

		assert_int_equal(s.len, sizeof(expect));
		assert_memory_equal(s.d, expect, sizeof(expect));
	}
	len = call(p, 2, 15, &s, stub, sizeof(stub));
	decode_share_enum(stub, len, 1, res);

	assert_int_equal(res->count, 3);	/* "secret" is not browseable */
	assert_string_equal(res->ent[0].name, "IPC$");
	assert_int_equal(res->ent[0].type, 0x80000003);
	assert_string_equal(res->ent[0].comment, "IPC Service (fsmb test)");
	assert_string_equal(res->ent[1].name, "public");
	assert_int_equal(res->ent[1].type, 0);
	assert_string_equal(res->ent[1].comment, "Public files");
	assert_string_equal(res->ent[2].name, "data");
	assert_int_equal(res->ent[2].type, 0);
	assert_string_equal(res->ent[2].comment, "");
	assert_int_equal(res->total, 3);
	assert_true(res->resume_present);
	assert_int_equal(res->resume, 0);
	assert_int_equal(res->werr, 0);

	/* without a resume handle pointer, none comes back */
	s.len = 0;
	stub_share_enum(&s, 1, 0xffffffff, false, 0);
	len = call(p, 3, 15, &s, stub, sizeof(stub));
	decode_share_enum(stub, len, 1, res);
	assert_int_equal(res->count, 3);
	assert_false(res->resume_present);

	/* NetrShareEnumSticky (36) has the same shape */
	s.len = 0;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	len = call(p, 4, 36, &s, stub, sizeof(stub));
	decode_share_enum(stub, len, 1, res);
	assert_int_equal(res->count, 3);
	free(res);
	fsmb_pipe_close(p);
}

static void test_share_enum_levels(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct enum_result *res = malloc(sizeof(*res));
	struct wbuf s = { .len = 0 };
	uint8_t stub[4096];
	uint32_t levels[] = { 0, 2, 501, 502 };
	size_t len;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		s.len = 0;
		stub_share_enum(&s, levels[i], 0xffffffff, true, 0);
		len = call(p, 2 + (uint32_t)i, 15, &s, stub, sizeof(stub));
		decode_share_enum(stub, len, levels[i], res);
		assert_int_equal(res->count, 3);
		assert_int_equal(res->werr, 0);
		assert_string_equal(res->ent[1].name, "public");
		if (levels[i] == 2 || levels[i] == 502) {
			assert_string_equal(res->ent[1].path,
					    "C:\\srv\\public");
			assert_string_equal(res->ent[0].path, "");
			assert_string_equal(res->ent[2].path, "/srv/data");
		}
		if (levels[i] != 0)
			assert_string_equal(res->ent[1].comment,
					    "Public files");
	}

	/* 503 is a valid arm we do not serve: empty container, 124 */
	s.len = 0;
	stub_share_enum(&s, 503, 0xffffffff, true, 0);
	len = call(p, 9, 15, &s, stub, sizeof(stub));
	decode_share_enum(stub, len, 503, res);
	assert_int_equal(res->count, 0);
	assert_int_equal(res->werr, FSMB_WERR_INVALID_LEVEL);
	free(res);
	fsmb_pipe_close(p);
}

static void test_share_enum_bad_stub(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf s = { .len = 0 }, b = { .len = 0 };
	uint8_t flags;

	(void)state;
	/* level not in SHARE_ENUM_UNION: invalid tag */
	stub_share_enum(&s, 7, 0xffffffff, true, 0);
	build_request(&b, 2, 0, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	assert_int_equal(get_fault(p, 2, &flags),
			 FSMB_NCA_S_FAULT_INVALID_TAG);
	assert_true(flags & FSMB_DCERPC_PFC_DID_NOT_EXECUTE);

	/* truncated stub: bad stub data, the pipe stays usable */
	s.len = 0;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	b.len = 0;
	build_request(&b, 3, 0, 15, 3, s.d, s.len - 4, 0);
	write_all(p, &b);
	assert_int_equal(get_fault(p, 3, NULL), FSMB_NCA_S_FAULT_NDR);

	/* level and discriminant disagree */
	s.d[40] = 2;		/* the discriminant */
	b.len = 0;
	build_request(&b, 4, 0, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	assert_int_equal(get_fault(p, 4, NULL), FSMB_NCA_S_FAULT_NDR);
	fsmb_pipe_close(p);
}

static void test_share_enum_paging(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct enum_result *res = malloc(sizeof(*res));
	static const char *const names[] = { "IPC$", "public", "data" };
	struct wbuf s = { .len = 0 };
	uint8_t stub[4096];
	uint32_t resume = 0;
	size_t len;

	(void)state;
	/* a 1-byte budget still returns one entry per call */
	for (int i = 0; i < 3; i++) {
		s.len = 0;
		stub_share_enum(&s, 1, 1, true, resume);
		len = call(p, 2 + (uint32_t)i, 15, &s, stub, sizeof(stub));
		decode_share_enum(stub, len, 1, res);
		assert_int_equal(res->count, 1);
		assert_string_equal(res->ent[0].name, names[i]);
		assert_int_equal(res->total, 3);
		assert_true(res->resume_present);
		if (i < 2) {
			assert_int_equal(res->werr, FSMB_WERR_MORE_DATA);
			assert_int_equal(res->resume, i + 1);
		} else {
			assert_int_equal(res->werr, 0);
			assert_int_equal(res->resume, 0);
		}
		resume = res->resume;
	}
	/* a budget that fits the first two level-1 entries exactly */
	s.len = 0;
	stub_share_enum(&s, 1, 12 + 12 + 12 + 2 * 5 + 12 + 2 * 24 + 12 + 12 +
			2 * 7 + 2 + 12 + 2 * 13 + 2, true, 0);
	len = call(p, 9, 15, &s, stub, sizeof(stub));
	decode_share_enum(stub, len, 1, res);
	assert_int_equal(res->count, 2);
	assert_int_equal(res->werr, FSMB_WERR_MORE_DATA);
	assert_int_equal(res->resume, 2);
	/* past the end: nothing, success */
	s.len = 0;
	stub_share_enum(&s, 1, 0xffffffff, true, 10);
	len = call(p, 10, 15, &s, stub, sizeof(stub));
	decode_share_enum(stub, len, 1, res);
	assert_int_equal(res->count, 0);
	assert_int_equal(res->werr, 0);
	free(res);
	fsmb_pipe_close(p);
}

/* NetrShareGetInfo request: server, share name, level */
static void stub_get_info(struct wbuf *s, const char *share, uint32_t level)
{
	w_u32(s, 0x00020000);
	w_wstr(s, "\\\\FSMBTEST");
	w_wstr(s, share);		/* [in, string] ref: no referent id */
	w_u32(s, level);
}

static void test_share_get_info(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf s = { .len = 0 };
	uint8_t stub[4096];
	char str[128];
	struct rd r;
	size_t len;

	(void)state;
	/* unknown share: switch, NULL pointer, WERR_NET_NAME_NOT_FOUND */
	stub_get_info(&s, "nosuch", 1);
	len = call(p, 2, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 1);
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 2310);
	assert_int_equal(r.ofs, len);

	/* level 1 of a non-browseable share, name case-insensitive */
	s.len = 0;
	stub_get_info(&s, "SeCrEt", 1);
	len = call(p, 3, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 1);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 0);			/* type */
	assert_int_not_equal(r_u32(&r), 0);
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "secret");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "not listed");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	/* level 0 */
	s.len = 0;
	stub_get_info(&s, "public", 0);
	len = call(p, 4, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "public");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	/* level 2 */
	s.len = 0;
	stub_get_info(&s, "IPC$", 2);
	len = call(p, 5, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 2);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);		/* netname */
	assert_int_equal(r_u32(&r), 0x80000003);
	assert_int_not_equal(r_u32(&r), 0);		/* remark */
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 0xffffffff);
	assert_int_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);		/* path */
	assert_int_equal(r_u32(&r), 0);			/* passwd */
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "IPC$");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "IPC Service (fsmb test)");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	/* level 501 */
	s.len = 0;
	stub_get_info(&s, "data", 501);
	len = call(p, 6, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 501);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 0);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 0);			/* flags */
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "data");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	/* level 1005: CSC flags only */
	s.len = 0;
	stub_get_info(&s, "public", 1005);
	len = call(p, 7, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 1005);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 0);			/* flags */
	assert_int_equal(r_u32(&r), 0);			/* WERR_OK */
	assert_int_equal(r.ofs, len);

	/* level 1004: a union arm we do not serve */
	s.len = 0;
	stub_get_info(&s, "public", 1004);
	len = call(p, 8, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 1004);
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), FSMB_WERR_INVALID_LEVEL);
	assert_int_equal(r.ofs, len);

	/* level 7: default (empty) arm */
	s.len = 0;
	stub_get_info(&s, "public", 7);
	len = call(p, 9, 16, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 7);
	assert_int_equal(r_u32(&r), FSMB_WERR_INVALID_LEVEL);
	assert_int_equal(r.ofs, len);
	fsmb_pipe_close(p);
}

static void test_server_get_info(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf s = { .len = 0 };
	uint8_t stub[4096];
	char str[128];
	struct rd r;
	size_t len;

	(void)state;
	w_u32(&s, 0x00020000);
	w_wstr(&s, "\\\\FSMBTEST");
	w_u32(&s, 100);
	len = call(p, 2, 21, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 100);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 500);		/* PLATFORM_ID_NT */
	assert_int_not_equal(r_u32(&r), 0);
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "FSMBTEST");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	s.len = 0;
	w_u32(&s, 0);				/* NULL server name */
	w_u32(&s, 101);
	len = call(p, 3, 21, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 101);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 500);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 6);
	assert_int_equal(r_u32(&r), 1);
	assert_int_equal(r_u32(&r) & 0x3, 0x3);	/* workstation | server */
	assert_int_not_equal(r_u32(&r), 0);
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "FSMBTEST");
	r_wstr(&r, str, sizeof(str));
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	s.len = 0;
	w_u32(&s, 0);
	w_u32(&s, 102);
	len = call(p, 4, 21, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 102);
	assert_int_not_equal(r_u32(&r), 0);
	r.ofs += 4 * 13;
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "FSMBTEST");
	r_wstr(&r, str, sizeof(str));
	r_wstr(&r, str, sizeof(str));
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	/* 503: known arm, NULL; 42: default arm, nothing */
	s.len = 0;
	w_u32(&s, 0);
	w_u32(&s, 503);
	len = call(p, 5, 21, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 503);
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), FSMB_WERR_INVALID_LEVEL);
	assert_int_equal(r.ofs, len);
	s.len = 0;
	w_u32(&s, 0);
	w_u32(&s, 42);
	len = call(p, 6, 21, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 42);
	assert_int_equal(r_u32(&r), FSMB_WERR_INVALID_LEVEL);
	assert_int_equal(r.ofs, len);
	fsmb_pipe_close(p);
}

static void test_remote_tod(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf s = { .len = 0 };
	uint8_t stub[256];
	uint32_t v[12];
	struct rd r;
	size_t len;

	(void)state;
	w_u32(&s, 0);
	len = call(p, 2, 28, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_not_equal(r_u32(&r), 0);
	for (int i = 0; i < 12; i++)
		v[i] = r_u32(&r);
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);
	assert_true(v[0] > 1600000000u);		/* elapsedt */
	assert_true(v[2] < 24 && v[3] < 60 && v[4] < 61 && v[5] < 100);
	assert_true(v[8] >= 1 && v[8] <= 31);		/* day */
	assert_true(v[9] >= 1 && v[9] <= 12);		/* month */
	assert_true(v[10] >= 2020);			/* year */
	assert_true(v[11] <= 6);			/* weekday */
	fsmb_pipe_close(p);
}

static void test_unknown_opnum(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf s = { .len = 0 }, b = { .len = 0 };
	uint8_t stub[4096], flags;
	size_t len;

	(void)state;
	w_u32(&s, 0);
	build_request(&b, 2, 0, 200, 3, s.d, s.len, 0);
	build_request(&b, 3, 0, 17, 3, s.d, s.len, 0);	/* NetrShareSetInfo */
	write_all(p, &b);
	assert_int_equal(get_fault(p, 2, &flags), FSMB_NCA_S_OP_RNG_ERROR);
	assert_true(flags & FSMB_DCERPC_PFC_DID_NOT_EXECUTE);
	assert_true(flags & FSMB_DCERPC_PFC_FIRST_FRAG);
	assert_true(flags & FSMB_DCERPC_PFC_LAST_FRAG);
	assert_int_equal(get_fault(p, 3, NULL), FSMB_NCA_S_OP_RNG_ERROR);

	/* the pipe is still usable */
	s.len = 0;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	len = call(p, 4, 15, &s, stub, sizeof(stub));
	assert_true(len > 0);
	fsmb_pipe_close(p);

	/* wkssvc has only opnum 0 here */
	p = open_bound("wkssvc", &wkssvc_ndr);
	b.len = 0;
	build_request(&b, 2, 0, 1, 3, s.d, s.len, 0);
	write_all(p, &b);
	assert_int_equal(get_fault(p, 2, NULL), FSMB_NCA_S_OP_RNG_ERROR);
	fsmb_pipe_close(p);
}

/* ------------------------------------------------------------------ */
/* Tests: wkssvc                                                      */
/* ------------------------------------------------------------------ */

static void test_wksta_get_info(void **state)
{
	struct fsmb_pipe *p = open_bound("\\PIPE\\wkssvc", &wkssvc_ndr);
	struct wbuf s = { .len = 0 };
	uint8_t stub[1024];
	char str[128];
	struct rd r;
	size_t len;

	(void)state;
	w_u32(&s, 0x00020000);
	w_wstr(&s, "\\\\FSMBTEST");
	w_u32(&s, 100);
	len = call(p, 2, 0, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 100);		/* switch */
	assert_int_not_equal(r_u32(&r), 0);		/* WKSTA_INFO_100 * */
	assert_int_equal(r_u32(&r), 500);		/* platform id */
	assert_int_not_equal(r_u32(&r), 0);		/* computername */
	assert_int_not_equal(r_u32(&r), 0);		/* langroup */
	assert_int_equal(r_u32(&r), 6);
	assert_int_equal(r_u32(&r), 1);
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "FSMBTEST");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "WORKGROUP");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	s.len = 0;
	w_u32(&s, 0);
	w_u32(&s, 102);
	len = call(p, 3, 0, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 102);
	assert_int_not_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), 500);
	r_u32(&r);
	r_u32(&r);
	r_u32(&r);
	r_u32(&r);
	assert_int_not_equal(r_u32(&r), 0);		/* lanroot */
	assert_int_equal(r_u32(&r), 1);			/* logged on users */
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "FSMBTEST");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "WORKGROUP");
	r_wstr(&r, str, sizeof(str));
	assert_string_equal(str, "");
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r.ofs, len);

	/* 101 is 102 without logged_on_users */
	s.len = 0;
	w_u32(&s, 0);
	w_u32(&s, 101);
	len = call(p, 4, 0, &s, stub, sizeof(stub));
	assert_int_equal(len, 4 + 4 + 6 * 4 + 32 + 32 + 16 + 4);

	/* 502: known arm, unsupported */
	s.len = 0;
	w_u32(&s, 0);
	w_u32(&s, 502);
	len = call(p, 5, 0, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 502);
	assert_int_equal(r_u32(&r), 0);
	assert_int_equal(r_u32(&r), FSMB_WERR_INVALID_LEVEL);
	assert_int_equal(r.ofs, len);
	fsmb_pipe_close(p);
}

/* ------------------------------------------------------------------ */
/* Tests: fragmentation                                               */
/* ------------------------------------------------------------------ */

static void test_response_fragmentation(void **state)
{
	enum { NSH = 200 };
	struct fsmb_rpc_share *sh = calloc(NSH, sizeof(*sh));
	struct enum_result *res = malloc(sizeof(*res));
	struct fsmb_rpc_env env = test_env;
	struct wbuf s = { .len = 0 }, b = { .len = 0 };
	struct fsmb_ndr_pull in;
	struct fsmb_ndr_push out;
	struct fsmb_rpc_call c;
	uint8_t *stub = malloc(200000);
	char (*names)[32] = calloc(NSH, 32);
	unsigned int nfrags;
	struct fsmb_pipe *p;
	size_t len;

	(void)state;
	for (int i = 0; i < NSH; i++) {
		snprintf(names[i], 32, "share%03d", i);
		sh[i].name = names[i];
		sh[i].comment = "a comment long enough to need many fragments";
		sh[i].path = "/srv";
		sh[i].type = FSMB_STYPE_DISKTREE;
		sh[i].browseable = true;
	}
	env.shares = sh;
	env.nshares = NSH;

	for (uint16_t max_recv = 1432; max_recv <= 4280; max_recv += 2848) {
		p = open_bound_env("srvsvc", &srvsvc_ndr, max_recv, &env);
		s.len = 0;
		stub_share_enum(&s, 1, 0xffffffff, true, 0);
		b.len = 0;
		build_request(&b, 9, 0, 15, 3, s.d, s.len, 0);
		write_all(p, &b);
		len = get_response(p, 9, 0, stub, 200000, max_recv, &nfrags);
		assert_true(len > 3 * 4280);
		assert_true(nfrags >= (len + max_recv - 25) / (max_recv - 24));

		/* the same call, unfragmented, straight from the dispatcher */
		fsmb_ndr_pull_init(&in, s.d, s.len, false);
		fsmb_ndr_push_init(&out, 1 << 20);
		c = (struct fsmb_rpc_call){ &env, 15, &in, &out };
		assert_int_equal(fsmb_rpc_srvsvc_iface.dispatch(&c), 0);
		assert_int_equal(out.len, len);
		assert_memory_equal(out.data, stub, len);
		fsmb_ndr_push_free(&out);

		decode_share_enum(stub, len, 1, res);
		assert_int_equal(res->count, NSH);
		assert_int_equal(res->total, NSH);
		for (int i = 0; i < NSH; i++)
			assert_string_equal(res->ent[i].name, names[i]);
		assert_int_equal(res->werr, 0);
		fsmb_pipe_close(p);
	}
	free(stub);
	free(names);
	free(sh);
	free(res);
}

/* MAX_PREFERRED_LENGTH gets every entry in one go, however many */
static void test_share_enum_large(void **state)
{
	enum { NSH = 5000 };
	struct fsmb_rpc_share *sh = calloc(NSH, sizeof(*sh));
	struct enum_result *res = malloc(sizeof(*res));
	struct fsmb_rpc_env env = test_env;
	struct wbuf s = { .len = 0 }, b = { .len = 0 };
	uint8_t *stub = malloc(1 << 20);
	char (*names)[32] = calloc(NSH, 32);
	unsigned int nfrags;
	struct fsmb_pipe *p;
	size_t len;

	(void)state;
	for (int i = 0; i < NSH; i++) {
		snprintf(names[i], 32, "s%d", i);
		sh[i].name = names[i];
		sh[i].comment = "comment";
		sh[i].path = "/srv";
		sh[i].browseable = true;
	}
	env.shares = sh;
	env.nshares = NSH;
	p = open_bound_env("srvsvc", &srvsvc_ndr, 4280, &env);
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	build_request(&b, 3, 0, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	len = get_response(p, 3, 0, stub, 1 << 20, 4280, &nfrags);
	assert_true(len > FSMB_RPC_OUT_SOFT_LIMIT);
	assert_true(nfrags > 60);
	decode_share_enum(stub, len, 1, res);
	assert_int_equal(res->count, NSH);
	assert_int_equal(res->total, NSH);
	assert_int_equal(res->werr, 0);
	assert_int_equal(res->resume, 0);
	assert_string_equal(res->ent[NSH - 1].name, "s4999");
	fsmb_pipe_close(p);
	free(stub);
	free(names);
	free(sh);
	free(res);
}

static void test_request_fragmentation(void **state)
{
	struct enum_result *res = malloc(sizeof(*res));
	struct wbuf s = { .len = 0 }, b = { .len = 0 };
	uint8_t stub[4096], ref[4096];
	struct fsmb_pipe *p;
	size_t len, reflen, cut1 = 5, cut2 = 37;

	(void)state;
	/* reference: unfragmented */
	p = open_bound("srvsvc", &srvsvc_ndr);
	stub_share_enum(&s, 2, 0xffffffff, true, 0);
	reflen = call(p, 2, 15, &s, ref, sizeof(ref));
	fsmb_pipe_close(p);

	/* three fragments, split at odd places (not 4-aligned) */
	p = open_bound("srvsvc", &srvsvc_ndr);
	build_request(&b, 5, 0, 15, FSMB_DCERPC_PFC_FIRST_FRAG, s.d, cut1,
		      (uint32_t)s.len);
	build_request(&b, 5, 0, 15, 0, s.d + cut1, cut2 - cut1,
		      (uint32_t)(s.len - cut1));
	build_request(&b, 5, 0, 15, FSMB_DCERPC_PFC_LAST_FRAG, s.d + cut2,
		      s.len - cut2, (uint32_t)(s.len - cut2));
	/* delivered one byte per write: partial PDUs are buffered */
	for (size_t i = 0; i < b.len; i++) {
		assert_int_equal(fsmb_pipe_write(p, b.d + i, 1), 0);
		if (i + 1 < b.len)
			assert_int_equal(fsmb_pipe_pending(p), 0);
	}
	len = get_response(p, 5, 0, stub, sizeof(stub), 4280, NULL);
	assert_int_equal(len, reflen);
	assert_memory_equal(stub, ref, len);
	decode_share_enum(stub, len, 2, res);
	assert_int_equal(res->count, 3);
	fsmb_pipe_close(p);

	/* bind and the fragmented request in one single write */
	p = fsmb_pipe_open("srvsvc", &test_env);
	{
		struct wbuf all = { .len = 0 };
		uint8_t pdu[512];

		build_bind(&all, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0,
			   &srvsvc_ndr, 1);
		w_bytes(&all, b.d, b.len);
		write_all(p, &all);
		read_msg(p, pdu, sizeof(pdu));
		assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_ACK);
	}
	len = get_response(p, 5, 0, stub, sizeof(stub), 4280, NULL);
	assert_int_equal(len, reflen);
	assert_memory_equal(stub, ref, len);
	fsmb_pipe_close(p);
	free(res);
}

static void test_read_small_buffer(void **state)
{
	struct fsmb_pipe *p = fsmb_pipe_open("srvsvc", &test_env);
	struct wbuf b = { .len = 0 };
	uint8_t pdu[128];
	size_t len = 0, n;
	bool more = true;
	int reads = 0;

	(void)state;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, &srvsvc_ndr, 1);
	write_all(p, &b);
	assert_int_equal(fsmb_pipe_pending(p), 68);
	while (more) {
		n = fsmb_pipe_read(p, pdu + len, 10, &more);
		assert_true(n == 10 || !more);
		len += n;
		reads++;
	}
	assert_int_equal(len, 68);
	assert_int_equal(reads, 7);
	assert_int_equal(pdu[8], 68);
	assert_int_equal(fsmb_pipe_read(p, pdu, sizeof(pdu), &more), 0);
	assert_false(more);
	fsmb_pipe_close(p);
}

/* ------------------------------------------------------------------ */
/* Tests: protocol errors and limits                                  */
/* ------------------------------------------------------------------ */

static void test_protocol_errors(void **state)
{
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	struct fsmb_pipe *p;
	uint8_t pdu[512];
	size_t len;

	(void)state;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);

	/* request before bind: fault, then the pipe is dead */
	p = fsmb_pipe_open("srvsvc", &test_env);
	build_request(&b, 1, 0, 15, 3, s.d, s.len, 0);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	assert_int_equal(get_fault(p, 1, NULL), FSMB_NCA_S_PROTO_ERROR);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPIPE);
	fsmb_pipe_close(p);

	/* bind with rpc_vers 4: bind_nak protocol version not supported */
	p = fsmb_pipe_open("srvsvc", &test_env);
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, &srvsvc_ndr, 1);
	b.d[0] = 4;
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	len = read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_NAK);
	assert_int_equal(pdu[16] | pdu[17] << 8, 4);
	assert_int_equal(pdu[18], 1);			/* one version: */
	assert_int_equal(pdu[19], 5);			/* 5.0 */
	assert_int_equal(pdu[20], 0);
	assert_int_equal(len, 24);
	fsmb_pipe_close(p);

	/* second bind on the association */
	p = open_bound("srvsvc", &srvsvc_ndr);
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 2, 4280, 4280, 0, &srvsvc_ndr, 1);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_NAK);
	fsmb_pipe_close(p);

	/* frag_length beyond our maximum */
	p = open_bound("srvsvc", &srvsvc_ndr);
	b.len = 0;
	build_request(&b, 3, 0, 15, 3, s.d, s.len, 0);
	w_patch_u16(&b, 8, FSMB_RPC_MAX_FRAG + 1);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	assert_int_equal(get_fault(p, 3, NULL), FSMB_NCA_S_PROTO_ERROR);
	fsmb_pipe_close(p);

	/* frag_length shorter than the header */
	p = open_bound("srvsvc", &srvsvc_ndr);
	b.len = 0;
	build_request(&b, 3, 0, 15, 3, s.d, s.len, 0);
	w_patch_u16(&b, 8, 15);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	fsmb_pipe_close(p);

	/* middle fragment without a first one */
	p = open_bound("srvsvc", &srvsvc_ndr);
	b.len = 0;
	build_request(&b, 4, 0, 15, FSMB_DCERPC_PFC_LAST_FRAG, s.d, s.len, 0);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	assert_int_equal(get_fault(p, 4, NULL), FSMB_NCA_S_PROTO_ERROR);
	fsmb_pipe_close(p);

	/* a new call while a fragmented one is open */
	p = open_bound("srvsvc", &srvsvc_ndr);
	b.len = 0;
	build_request(&b, 5, 0, 15, FSMB_DCERPC_PFC_FIRST_FRAG, s.d, 8, 0);
	build_request(&b, 6, 0, 15, 3, s.d, s.len, 0);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	assert_int_equal(get_fault(p, 6, NULL), FSMB_NCA_S_PROTO_ERROR);
	fsmb_pipe_close(p);

	/* server-to-client PDU types from the client */
	p = open_bound("srvsvc", &srvsvc_ndr);
	b.len = 0;
	build_request(&b, 7, 0, 15, 3, s.d, s.len, 0);
	b.d[2] = FSMB_DCERPC_PKT_RESPONSE;
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	assert_int_equal(fsmb_pipe_pending(p), 0);
	fsmb_pipe_close(p);

	/* alter_context before bind */
	p = fsmb_pipe_open("srvsvc", &test_env);
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_ALTER, 8, 4280, 4280, 0, &srvsvc_ndr, 1);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	assert_int_equal(get_fault(p, 8, NULL), FSMB_NCA_S_PROTO_ERROR);
	fsmb_pipe_close(p);

	/* truncated context list in a bind */
	p = fsmb_pipe_open("srvsvc", &test_env);
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 9, 4280, 4280, 0, &srvsvc_ndr, 1);
	b.d[24] = 2;		/* claims two contexts */
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPROTO);
	read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_NAK);
	fsmb_pipe_close(p);
}

static void test_bind_nak_recoverable(void **state)
{
	struct fsmb_pipe *p = fsmb_pipe_open("srvsvc", &test_env);
	struct wbuf b = { .len = 0 };
	uint8_t pdu[512];
	size_t start;

	(void)state;
	/* bind carrying an auth verifier: we do no RPC-level auth */
	start = pdu_hdr(&b, FSMB_DCERPC_PKT_BIND, 3, 1);
	w_u16(&b, 4280);
	w_u16(&b, 4280);
	w_u32(&b, 0);
	w_u8(&b, 0);		/* no contexts */
	w_u8(&b, 0);
	w_u16(&b, 0);
	w_u8(&b, 10);		/* sec_trailer: NTLMSSP */
	w_u8(&b, 2);
	w_u8(&b, 0);
	w_u8(&b, 0);
	w_u32(&b, 0);
	w_bytes(&b, "NTLMSSP\0\1\0\0\0", 12);
	pdu_end(&b, start);
	w_patch_u16(&b, 10, 12);
	write_all(p, &b);
	read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_NAK);
	assert_int_equal(pdu[16], FSMB_DCERPC_NAK_AUTH_TYPE_NOT_RECOGNIZED);

	/* no contexts at all */
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 2, 4280, 4280, 0, NULL, 0);
	write_all(p, &b);
	read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_NAK);
	assert_int_equal(pdu[16], 0);

	/* the client may then bind properly */
	b.len = 0;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 3, 4280, 4280, 0, &srvsvc_ndr, 1);
	write_all(p, &b);
	read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_ACK);

	/* auth3, co_cancel and orphaned are absorbed silently */
	for (uint8_t t = FSMB_DCERPC_PKT_AUTH3; t <= FSMB_DCERPC_PKT_ORPHANED;
	     t++) {
		if (t == FSMB_DCERPC_PKT_SHUTDOWN)
			continue;
		b.len = 0;
		start = pdu_hdr(&b, t, 3, 9);
		w_u32(&b, 0);
		pdu_end(&b, start);
		write_all(p, &b);
		assert_int_equal(fsmb_pipe_pending(p), 0);
	}
	fsmb_pipe_close(p);
}

static void test_orphaned_discards_call(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	uint8_t stub[4096];
	size_t start;

	(void)state;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	build_request(&b, 5, 0, 15, FSMB_DCERPC_PFC_FIRST_FRAG, s.d, 8, 0);
	start = pdu_hdr(&b, FSMB_DCERPC_PKT_ORPHANED, 3, 5);
	pdu_end(&b, start);
	write_all(p, &b);
	/* a new call may start now */
	assert_true(call(p, 6, 15, &s, stub, sizeof(stub)) > 0);
	fsmb_pipe_close(p);
}

static void test_unknown_context_fragmented(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	uint8_t stub[4096];

	(void)state;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	build_request(&b, 5, 9, 15, FSMB_DCERPC_PFC_FIRST_FRAG, s.d, 8, 0);
	build_request(&b, 5, 9, 15, 0, s.d + 8, 8, 0);
	build_request(&b, 5, 9, 15, FSMB_DCERPC_PFC_LAST_FRAG, s.d + 16,
		      s.len - 16, 0);
	write_all(p, &b);
	/* one fault for the whole call, nothing else */
	assert_int_equal(get_fault(p, 5, NULL), FSMB_NCA_S_UNK_IF);
	assert_int_equal(fsmb_pipe_pending(p), 0);
	assert_true(call(p, 6, 15, &s, stub, sizeof(stub)) > 0);
	fsmb_pipe_close(p);
}

static void test_request_too_big(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	static uint8_t zeros[4000];
	struct wbuf *b = malloc(sizeof(*b));
	size_t i;
	int ret = 0;

	(void)state;
	b->len = 0;
	b->base = 0;
	b->be = false;
	build_request(b, 5, 0, 15, FSMB_DCERPC_PFC_FIRST_FRAG, zeros,
		      sizeof(zeros), 0);
	assert_int_equal(fsmb_pipe_write(p, b->d, b->len), 0);
	for (i = 0; i < 40 && ret == 0; i++) {
		b->len = 0;
		build_request(b, 5, 0, 15, 0, zeros, sizeof(zeros), 0);
		ret = fsmb_pipe_write(p, b->d, b->len);
	}
	assert_int_equal(ret, -EMSGSIZE);
	assert_int_equal(i, FSMB_RPC_MAX_REQUEST / sizeof(zeros));
	assert_int_equal(get_fault(p, 5, NULL), FSMB_NCA_S_PROTO_ERROR);
	assert_int_equal(fsmb_pipe_write(p, b->d, b->len), -EPIPE);
	free(b);
	fsmb_pipe_close(p);
}

static void test_output_limit(void **state)
{
	struct fsmb_pipe *p = open_bound("srvsvc", &srvsvc_ndr);
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	int ret = 0, i;

	(void)state;
	stub_share_enum(&s, 2, 0xffffffff, true, 0);
	build_request(&b, 5, 0, 15, 3, s.d, s.len, 0);
	/* never reading: the pipe must refuse before memory grows */
	for (i = 0; i < 100000 && ret == 0; i++)
		ret = fsmb_pipe_write(p, b.d, b.len);
	assert_int_equal(ret, -ENOBUFS);
	assert_true(fsmb_pipe_pending(p) > FSMB_RPC_OUT_SOFT_LIMIT);
	assert_true(fsmb_pipe_pending(p) <
		    FSMB_RPC_OUT_SOFT_LIMIT + FSMB_RPC_MAX_RESPONSE + 4096);
	assert_int_equal(fsmb_pipe_write(p, b.d, b.len), -EPIPE);
	fsmb_pipe_close(p);
}

static void test_limits_misc(void **state)
{
	struct tctx ctx[FSMB_RPC_MAX_CONTEXTS + 2];
	struct fsmb_rpc_share big = { "big", NULL, "", 0, true };
	struct fsmb_rpc_env env = test_env;
	struct wbuf b = { .len = 0 }, s = { .len = 0 };
	struct fsmb_pipe *p;
	uint8_t pdu[2048], stub[256];
	char *comment;
	struct rd r;
	size_t len;

	(void)state;
	/* more contexts than we keep: the extra ones are refused */
	for (int i = 0; i < FSMB_RPC_MAX_CONTEXTS + 2; i++) {
		ctx[i] = srvsvc_ndr;
		ctx[i].id = (uint16_t)(100 + i);
	}
	p = fsmb_pipe_open("srvsvc", &test_env);
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, ctx,
		   FSMB_RPC_MAX_CONTEXTS + 2);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	ack_results(pdu, len, &r, FSMB_RPC_MAX_CONTEXTS + 2);
	for (int i = 0; i < FSMB_RPC_MAX_CONTEXTS + 2; i++) {
		if (i < FSMB_RPC_MAX_CONTEXTS) {
			assert_int_equal(r_u16(&r), FSMB_DCERPC_ACCEPTANCE);
			assert_int_equal(r_u16(&r), 0);
		} else {
			assert_int_equal(r_u16(&r),
					 FSMB_DCERPC_PROVIDER_REJECTION);
			assert_int_equal(r_u16(&r), 3);
		}
		r.ofs += 20;
	}
	assert_int_equal(r.ofs, len);
	fsmb_pipe_close(p);

	/* a NULL container pointer: ERROR_INVALID_PARAMETER */
	p = open_bound("srvsvc", &srvsvc_ndr);
	w_u32(&s, 0);
	w_u32(&s, 1);
	w_u32(&s, 1);
	w_u32(&s, 0);			/* ctr1: NULL */
	w_u32(&s, 0xffffffff);
	w_u32(&s, 0);			/* no resume handle */
	len = call(p, 2, 15, &s, stub, sizeof(stub));
	r = (struct rd){ stub, len, 0 };
	assert_int_equal(r_u32(&r), 1);
	assert_int_equal(r_u32(&r), 1);
	assert_int_equal(r_u32(&r), 0);		/* container stays NULL */
	assert_int_equal(r_u32(&r), 0);		/* TotalEntries */
	assert_int_equal(r_u32(&r), 0);		/* ResumeHandle */
	assert_int_equal(r_u32(&r), FSMB_WERR_INVALID_PARAMETER);
	assert_int_equal(r.ofs, len);

	/* truncated NetrRemoteTOD / NetrServerGetInfo stubs */
	b.len = 0;
	build_request(&b, 3, 0, 28, 3, s.d, 2, 0);
	build_request(&b, 4, 0, 21, 3, s.d, 4, 0);
	write_all(p, &b);
	assert_int_equal(get_fault(p, 3, NULL), FSMB_NCA_S_FAULT_NDR);
	assert_int_equal(get_fault(p, 4, NULL), FSMB_NCA_S_FAULT_NDR);
	fsmb_pipe_close(p);

	/* a response past FSMB_RPC_MAX_RESPONSE faults, the pipe lives on */
	comment = malloc(FSMB_RPC_MAX_RESPONSE / 2 + 1);
	memset(comment, 'x', FSMB_RPC_MAX_RESPONSE / 2);
	comment[FSMB_RPC_MAX_RESPONSE / 2] = '\0';
	big.comment = comment;
	env.shares = &big;
	env.nshares = 1;
	p = open_bound_env("srvsvc", &srvsvc_ndr, 4280, &env);
	free(comment);
	s.len = 0;
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	b.len = 0;
	build_request(&b, 5, 0, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	{
		uint8_t flags;

		assert_int_equal(get_fault(p, 5, &flags),
				 FSMB_NCA_S_OUT_ARGS_TOO_BIG);
		assert_false(flags & FSMB_DCERPC_PFC_DID_NOT_EXECUTE);
	}
	s.len = 0;
	stub_get_info(&s, "big", 0);
	len = call(p, 6, 16, &s, stub, sizeof(stub));
	assert_int_equal(len, 4 + 4 + 4 + 12 + 8 + 4);
	fsmb_pipe_close(p);
}

static void test_big_endian_client(void **state)
{
	struct fsmb_pipe *p = fsmb_pipe_open("srvsvc", &test_env);
	struct enum_result *res = malloc(sizeof(*res));
	struct wbuf b = { .len = 0, .be = true }, s = { .len = 0, .be = true };
	uint8_t pdu[512], stub[4096];
	size_t len;

	(void)state;
	build_bind(&b, FSMB_DCERPC_PKT_BIND, 0x01020304, 4280, 4280, 0,
		   &srvsvc_ndr, 1);
	write_all(p, &b);
	len = read_msg(p, pdu, sizeof(pdu));
	assert_int_equal(pdu[2], FSMB_DCERPC_PKT_BIND_ACK);
	assert_int_equal(pdu_call_id(pdu), 0x01020304);
	assert_int_equal(pdu[len - 24] | pdu[len - 23] << 8, 0);

	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	b.len = 0;
	build_request(&b, 0x0a0b0c0d, 0, 15, 3, s.d, s.len, 0);
	write_all(p, &b);
	/* the answer is little endian, drep 0x10 */
	len = get_response(p, 0x0a0b0c0d, 0, stub, sizeof(stub), 4280, NULL);
	decode_share_enum(stub, len, 1, res);
	assert_int_equal(res->count, 3);
	assert_string_equal(res->ent[1].name, "public");
	free(res);
	fsmb_pipe_close(p);
}

/* ------------------------------------------------------------------ */
/* Robustness: truncations, bit flips, garbage                        */
/* ------------------------------------------------------------------ */

static void drain(struct fsmb_pipe *p)
{
	uint8_t buf[FSMB_RPC_MAX_FRAG];
	size_t total = 0, n;
	bool more;

	while ((n = fsmb_pipe_read(p, buf, sizeof(buf), &more)) > 0) {
		assert_true(n <= FSMB_RPC_MAX_FRAG);
		total += n;
	}
	assert_false(more);
	assert_int_equal(fsmb_pipe_pending(p), 0);
	assert_true(total < 1 << 20);
}

static void check_ret(int ret)
{
	assert_true(ret == 0 || ret == -EPROTO || ret == -EMSGSIZE ||
		    ret == -ENOBUFS || ret == -EPIPE);
}

static void feed(const char *name, const uint8_t *d, size_t len)
{
	struct fsmb_pipe *p = fsmb_pipe_open(name, &test_env);

	assert_non_null(p);
	check_ret(fsmb_pipe_write(p, d, len));
	drain(p);
	/* and once more on the same pipe */
	check_ret(fsmb_pipe_write(p, d, len));
	drain(p);
	fsmb_pipe_close(p);
}

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_fuzz_mutations(void **state)
{
	struct wbuf *b = malloc(sizeof(*b)), s = { .len = 0 };
	uint8_t *m = malloc(4096);
	static const char *const pipes[] = { "srvsvc", "wkssvc" };
	size_t streams[6][2];
	size_t nstreams = 0, base;

	(void)state;
	b->len = 0;
	b->base = 0;
	b->be = false;
	/* stream 0: bind + NetShareEnumAll level 1 */
	base = b->len;
	build_bind(b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, &srvsvc_ndr, 1);
	stub_share_enum(&s, 1, 0xffffffff, true, 0);
	build_request(b, 2, 0, 15, 3, s.d, s.len, 0);
	streams[nstreams][0] = base;
	streams[nstreams++][1] = b->len - base;
	/* stream 1: bind + fragmented NetShareGetInfo level 2 */
	base = b->len;
	build_bind(b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, &srvsvc_ndr, 1);
	s.len = 0;
	stub_get_info(&s, "public", 2);
	build_request(b, 2, 0, 16, 1, s.d, 12, 0);
	build_request(b, 2, 0, 16, 2, s.d + 12, s.len - 12, 0);
	streams[nstreams][0] = base;
	streams[nstreams++][1] = b->len - base;
	/* stream 2: bind with 3 contexts + NetSrvGetInfo 101 + alter */
	base = b->len;
	{
		static const struct tctx ctx[] = {
			{ 0, SRVSVC_UUID, 3, 1, { NDR20_UUID }, { 2 } },
			{ 1, SRVSVC_UUID, 3, 1, { NDR64_UUID }, { 1 } },
			{ 2, SRVSVC_UUID, 3, 1, { BTFN_UUID_3 }, { 1 } },
		};

		build_bind(b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, ctx, 3);
		s.len = 0;
		w_u32(&s, 0);
		w_u32(&s, 101);
		build_request(b, 2, 0, 21, 3, s.d, s.len, 0);
		build_bind(b, FSMB_DCERPC_PKT_ALTER, 3, 4280, 4280, 0, ctx, 2);
	}
	streams[nstreams][0] = base;
	streams[nstreams++][1] = b->len - base;
	/* stream 3: wkssvc bind + NetWkstaGetInfo 102 */
	base = b->len;
	build_bind(b, FSMB_DCERPC_PKT_BIND, 1, 4280, 4280, 0, &wkssvc_ndr, 1);
	s.len = 0;
	w_u32(&s, 0x20000);
	w_wstr(&s, "x");
	w_u32(&s, 102);
	build_request(b, 2, 0, 0, 3, s.d, s.len, 0);
	streams[nstreams][0] = base;
	streams[nstreams++][1] = b->len - base;

	for (size_t k = 0; k < nstreams; k++) {
		const uint8_t *d = b->d + streams[k][0];
		size_t len = streams[k][1];
		const char *name = pipes[k == 3];

		assert_true(len <= 4096);
		/* every truncation */
		for (size_t cut = 0; cut <= len; cut++)
			feed(name, d, cut);
		/* every single bit flip */
		for (size_t i = 0; i < len; i++) {
			for (int bit = 0; bit < 8; bit++) {
				memcpy(m, d, len);
				m[i] ^= (uint8_t)(1u << bit);
				feed(name, m, len);
			}
		}
		/* every byte set to "interesting" values */
		for (size_t i = 0; i < len; i++) {
			static const uint8_t vals[] = { 0, 0x7f, 0x80, 0xff };

			for (int v = 0; v < 4; v++) {
				memcpy(m, d, len);
				m[i] = vals[v];
				feed(name, m, len);
			}
		}
		/* random multi-byte mutations */
		for (int it = 0; it < 2000; it++) {
			memcpy(m, d, len);
			for (int j = 0; j < 1 + (int)(rng() % 8); j++)
				m[rng() % len] = (uint8_t)rng();
			feed(name, m, len - rng() % 8);
		}
	}
	/* pure garbage, with and without a valid bind in front */
	for (int it = 0; it < 3000; it++) {
		size_t pre = (it & 1) ? streams[0][1] - 0 : 0;
		size_t len = rng() % 600;

		if (pre)	/* the bind part of stream 0 */
			pre = 72;
		memcpy(m, b->d + streams[0][0], pre);
		for (size_t i = 0; i < len; i++)
			m[pre + i] = (uint8_t)rng();
		if (len > 16 && (it & 2)) {	/* a plausible header */
			m[pre] = 5;
			m[pre + 1] = 0;
			m[pre + 4] = 0x10;
			m[pre + 8] = (uint8_t)len;
			m[pre + 9] = (uint8_t)(len >> 8);
			m[pre + 10] = 0;
			m[pre + 11] = 0;
		}
		feed("srvsvc", m, pre + len);
	}
	free(m);
	free(b);
}

/* ------------------------------------------------------------------ */
/* NDR cursor                                                         */
/* ------------------------------------------------------------------ */

static void test_ndr_pull_bounds(void **state)
{
	static const uint8_t d[] = { 1, 0, 0, 0, 2, 0, 0xaa, 0xbb, 9 };
	struct fsmb_ndr_pull p;
	uint8_t u8, buf[4];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	fsmb_ndr_pull_init(&p, d, sizeof(d), false);
	assert_int_equal(fsmb_ndr_pull_u32(&p, &u32), 0);
	assert_int_equal(u32, 1);
	assert_int_equal(fsmb_ndr_pull_u16(&p, &u16), 0);
	assert_int_equal(u16, 2);
	assert_int_equal(fsmb_ndr_pull_u8(&p, &u8), 0);
	assert_int_equal(u8, 0xaa);
	/* u32 needs padding to 8 then 4 bytes: only 2 remain */
	assert_int_equal(fsmb_ndr_pull_u32(&p, &u32), -EBADMSG);
	assert_int_equal(u32, 0);
	/* sticky: even a 1-byte pull fails now */
	assert_int_equal(fsmb_ndr_pull_u8(&p, &u8), -EBADMSG);
	assert_int_equal(fsmb_ndr_pull_remaining(&p), 0);
	assert_int_equal(fsmb_ndr_pull_error(&p), -EBADMSG);

	/* alignment padding past the end fails */
	fsmb_ndr_pull_init(&p, d, 6, false);
	fsmb_ndr_pull_u8(&p, &u8);
	assert_int_equal(fsmb_ndr_pull_u64(&p, &u64), -EBADMSG);
	fsmb_ndr_pull_init(&p, d, 1, false);
	fsmb_ndr_pull_u8(&p, &u8);
	assert_int_equal(fsmb_ndr_pull_align(&p, 4), -EBADMSG);
	fsmb_ndr_pull_init(&p, d, 4, false);
	assert_int_equal(fsmb_ndr_pull_align(&p, 3), -EINVAL);

	/* big endian */
	fsmb_ndr_pull_init(&p, d, sizeof(d), true);
	assert_int_equal(fsmb_ndr_pull_u32(&p, &u32), 0);
	assert_int_equal(u32, 0x01000000);
	assert_int_equal(fsmb_ndr_pull_u16(&p, &u16), 0);
	assert_int_equal(u16, 0x0200);

	/* raw bytes and skip */
	fsmb_ndr_pull_init(&p, d, sizeof(d), false);
	assert_int_equal(fsmb_ndr_pull_skip(&p, 5), 0);
	assert_int_equal(fsmb_ndr_pull_bytes(&p, buf, 4), 0);
	assert_int_equal(buf[3], 9);
	assert_int_equal(fsmb_ndr_pull_bytes(&p, buf, 1), -EBADMSG);
	fsmb_ndr_pull_init(&p, NULL, 100, false);
	assert_int_equal(fsmb_ndr_pull_remaining(&p), 0);
	assert_int_equal(fsmb_ndr_pull_skip(&p, 1), -EBADMSG);
}

static void test_ndr_strings(void **state)
{
	struct wbuf b = { .len = 0 };
	struct fsmb_ndr_pull p;
	struct fsmb_ndr_push o;
	char *s;

	(void)state;
	w_wstr(&b, "hello");
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), 0);
	assert_string_equal(s, "hello");
	free(s);
	assert_int_equal(fsmb_ndr_pull_remaining(&p), 0);
	/* too long for the caller's limit */
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 5), -E2BIG);
	assert_null(s);
	/* truncated data */
	fsmb_ndr_pull_init(&p, b.d, b.len - 1, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), -EBADMSG);
	/* huge counts do not allocate: they fail on the missing data */
	b.d[0] = b.d[8] = 0xff;
	b.d[1] = b.d[9] = 0xff;
	b.d[2] = b.d[10] = 0xff;
	b.d[3] = b.d[11] = 0x7f;
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, UINT32_MAX), -EBADMSG);
	/* non-zero offset */
	b.len = 0;
	w_wstr(&b, "hi");
	b.d[4] = 1;
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, NULL, 100), -EBADMSG);
	/* actual_count > max_count */
	b.d[4] = 0;
	b.d[0] = 2;
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, NULL, 100), -EBADMSG);
	/* embedded NUL */
	b.d[0] = 3;
	b.d[12] = 0;
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), -EILSEQ);
	assert_null(s);
	/* lone surrogates */
	b.d[12] = 0x00;
	b.d[13] = 0xd8;
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, NULL, 100), -EILSEQ);
	b.d[13] = 0xdc;
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, NULL, 100), -EILSEQ);

	/* big endian, with a surrogate pair */
	{
		static const uint8_t be[] = {
			0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4,
			0, 'A', 0xd8, 0x3d, 0xde, 0x00, 0, 0,
		};

		fsmb_ndr_pull_init(&p, be, sizeof(be), true);
		assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), 0);
		assert_string_equal(s, "A\xf0\x9f\x98\x80");
		free(s);
	}

	/* no terminator is accepted, empty string too */
	b.len = 0;
	w_u32(&b, 2);
	w_u32(&b, 0);
	w_u32(&b, 2);
	w_u16(&b, 'o');
	w_u16(&b, 'k');
	w_u32(&b, 0);
	w_u32(&b, 0);
	w_u32(&b, 0);
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), 0);
	assert_string_equal(s, "ok");
	free(s);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), 0);
	assert_string_equal(s, "");
	free(s);

	/* push: non-ASCII round trip, surrogate pairs, invalid UTF-8 */
	fsmb_ndr_push_init(&o, 1024);
	assert_int_equal(fsmb_ndr_push_u8(&o, 1), 0);
	assert_int_equal(fsmb_ndr_push_wstring(&o, "d\xc3\xa9j\xc3\xa0 \xf0\x9f\x98\x80"),
			 0);
	assert_int_equal(o.len, 4 + 12 + 2 * 8);
	assert_int_equal(o.data[4], 8);			/* max_count */
	assert_int_equal(o.data[12], 8);		/* actual_count */
	assert_int_equal(o.data[16 + 2], 0xe9);		/* U+00E9 */
	assert_int_equal(o.data[16 + 10], 0x3d);	/* D83D */
	assert_int_equal(o.data[16 + 11], 0xd8);
	assert_int_equal(o.data[16 + 12], 0x00);	/* DE00 */
	assert_int_equal(o.data[16 + 13], 0xde);
	fsmb_ndr_pull_init(&p, o.data, o.len, false);
	assert_int_equal(fsmb_ndr_pull_skip(&p, 1), 0);
	assert_int_equal(fsmb_ndr_pull_wstring(&p, &s, 100), 0);
	assert_string_equal(s, "d\xc3\xa9j\xc3\xa0 \xf0\x9f\x98\x80");
	free(s);
	fsmb_ndr_push_free(&o);

	fsmb_ndr_push_init(&o, 1024);
	assert_int_equal(fsmb_ndr_push_wstring(&o, "a\xff\xc3"), 0);
	assert_int_equal(o.data[0], 4);
	assert_int_equal(o.data[14], 0xfd);		/* U+FFFD */
	assert_int_equal(o.data[15], 0xff);
	assert_int_equal(fsmb_ndr_wstring_size("a\xff\xc3"), 20);
	assert_int_equal(fsmb_utf8_utf16_units("\xed\xa0\x80"), 3);
	assert_int_equal(fsmb_utf8_utf16_units("\xc0\xaf"), 2);	/* overlong */
	fsmb_ndr_push_free(&o);
}

static void test_ndr_pointers_and_arrays(void **state)
{
	struct fsmb_ndr_push o;
	struct fsmb_ndr_pull p;
	uint32_t id, id2, count;
	bool first;
	int x, y;

	(void)state;
	fsmb_ndr_push_init(&o, 1024);
	assert_int_equal(fsmb_ndr_push_unique_ptr(&o, true), 0);
	assert_int_equal(fsmb_ndr_push_unique_ptr(&o, false), 0);
	assert_int_equal(fsmb_ndr_push_unique_ptr(&o, true), 0);
	assert_int_equal(fsmb_ndr_push_full_ptr(&o, &x, &first), 0);
	assert_true(first);
	assert_int_equal(fsmb_ndr_push_full_ptr(&o, &y, &first), 0);
	assert_true(first);
	assert_int_equal(fsmb_ndr_push_full_ptr(&o, &x, &first), 0);
	assert_false(first);
	assert_int_equal(fsmb_ndr_push_full_ptr(&o, NULL, &first), 0);
	assert_false(first);
	assert_int_equal(o.len, 28);

	fsmb_ndr_pull_init(&p, o.data, o.len, false);
	fsmb_ndr_pull_unique_ptr(&p, &id);
	assert_int_equal(id, 0x00020000);
	fsmb_ndr_pull_unique_ptr(&p, &id);
	assert_int_equal(id, 0);
	fsmb_ndr_pull_unique_ptr(&p, &id);
	assert_int_equal(id, 0x00020004);
	fsmb_ndr_pull_full_ptr(&p, &id, &first);
	assert_true(first);
	fsmb_ndr_pull_full_ptr(&p, &id2, &first);
	assert_true(first);
	assert_int_not_equal(id, id2);
	fsmb_ndr_pull_full_ptr(&p, &id2, &first);
	assert_false(first);
	assert_int_equal(id, id2);			/* same referent */
	fsmb_ndr_pull_full_ptr(&p, &id, &first);
	assert_int_equal(id, 0);
	assert_false(first);
	assert_int_equal(fsmb_ndr_pull_error(&p), 0);
	fsmb_ndr_push_free(&o);

	/* the full pointer table is bounded */
	fsmb_ndr_push_init(&o, 1024);
	for (uint32_t i = 1; i <= FSMB_NDR_MAX_FULL_PTRS + 1; i++)
		fsmb_ndr_push_u32(&o, i);
	fsmb_ndr_pull_init(&p, o.data, o.len, false);
	for (uint32_t i = 1; i <= FSMB_NDR_MAX_FULL_PTRS; i++)
		assert_int_equal(fsmb_ndr_pull_full_ptr(&p, &id, &first), 0);
	assert_int_equal(fsmb_ndr_pull_full_ptr(&p, &id, &first), -E2BIG);
	assert_false(first);
	fsmb_ndr_push_free(&o);
	fsmb_ndr_push_init(&o, 1024);
	for (int i = 0; i <= FSMB_NDR_MAX_FULL_PTRS; i++)
		fsmb_ndr_push_full_ptr(&o, (char *)&x + i, &first);
	assert_int_equal(fsmb_ndr_push_error(&o), -E2BIG);
	fsmb_ndr_push_free(&o);

	/* conformance must fit in the remaining data */
	fsmb_ndr_push_init(&o, 1024);
	fsmb_ndr_push_u32(&o, 3);
	fsmb_ndr_push_zeros(&o, 12);
	fsmb_ndr_pull_init(&p, o.data, o.len, false);
	assert_int_equal(fsmb_ndr_pull_conformance(&p, &count, 4), 0);
	assert_int_equal(count, 3);
	fsmb_ndr_pull_init(&p, o.data, o.len, false);
	assert_int_equal(fsmb_ndr_pull_conformance(&p, &count, 8), -EBADMSG);
	assert_int_equal(count, 0);
	fsmb_ndr_push_free(&o);

	/* push limit, alignment, patching */
	fsmb_ndr_push_init(&o, 8);
	assert_int_equal(fsmb_ndr_push_u8(&o, 0xee), 0);
	assert_int_equal(fsmb_ndr_push_u32(&o, 0x11223344), 0);
	assert_int_equal(o.data[1] | o.data[2] | o.data[3], 0);
	assert_int_equal(o.data[4], 0x44);
	assert_int_equal(fsmb_ndr_push_u16_at(&o, 6, 0xabcd), 0);
	assert_int_equal(o.data[6], 0xcd);
	assert_int_equal(fsmb_ndr_push_u32_at(&o, 6, 0), -EINVAL);
	fsmb_ndr_push_free(&o);
	fsmb_ndr_push_init(&o, 8);
	assert_int_equal(fsmb_ndr_push_u64(&o, 1), 0);
	assert_int_equal(fsmb_ndr_push_u8(&o, 1), -E2BIG);
	assert_int_equal(fsmb_ndr_push_u8(&o, 1), -E2BIG);	/* sticky */
	assert_int_equal(fsmb_ndr_push_error(&o), -E2BIG);
	fsmb_ndr_push_free(&o);
}

static void test_ndr_uuid(void **state)
{
	struct wbuf b = { .len = 0 };
	struct fsmb_ndr_pull p;
	struct fsmb_ndr_push o;
	struct fsmb_uuid u;

	(void)state;
	w_uuid(&b, SRVSVC_UUID);
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	assert_int_equal(fsmb_ndr_pull_uuid(&p, &u), 0);
	assert_true(fsmb_uuid_equal(&u, &fsmb_rpc_srvsvc_iface.uuid));
	fsmb_ndr_push_init(&o, 64);
	fsmb_ndr_push_uuid(&o, &u);
	assert_int_equal(o.len, 16);
	assert_memory_equal(o.data, b.d, 16);
	fsmb_ndr_push_free(&o);
	fsmb_ndr_pull_init(&p, b.d, 15, false);
	assert_int_equal(fsmb_ndr_pull_uuid(&p, &u), -EBADMSG);
	assert_int_equal(u.time_low, 0);
	b.len = 0;
	w_uuid(&b, WKSSVC_UUID);
	fsmb_ndr_pull_init(&p, b.d, b.len, false);
	fsmb_ndr_pull_uuid(&p, &u);
	assert_true(fsmb_uuid_equal(&u, &fsmb_rpc_wkssvc_iface.uuid));
	assert_false(fsmb_uuid_equal(&u, &fsmb_rpc_srvsvc_iface.uuid));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_names),
		cmocka_unit_test(test_bind_ack),
		cmocka_unit_test(test_bind_ndr64_rejected),
		cmocka_unit_test(test_alter_context),
		cmocka_unit_test(test_share_enum_level1),
		cmocka_unit_test(test_share_enum_levels),
		cmocka_unit_test(test_share_enum_bad_stub),
		cmocka_unit_test(test_share_enum_paging),
		cmocka_unit_test(test_share_get_info),
		cmocka_unit_test(test_server_get_info),
		cmocka_unit_test(test_remote_tod),
		cmocka_unit_test(test_unknown_opnum),
		cmocka_unit_test(test_wksta_get_info),
		cmocka_unit_test(test_response_fragmentation),
		cmocka_unit_test(test_share_enum_large),
		cmocka_unit_test(test_request_fragmentation),
		cmocka_unit_test(test_read_small_buffer),
		cmocka_unit_test(test_protocol_errors),
		cmocka_unit_test(test_bind_nak_recoverable),
		cmocka_unit_test(test_orphaned_discards_call),
		cmocka_unit_test(test_unknown_context_fragmented),
		cmocka_unit_test(test_request_too_big),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_limits_misc),
		cmocka_unit_test(test_big_endian_client),
		cmocka_unit_test(test_fuzz_mutations),
		cmocka_unit_test(test_ndr_pull_bounds),
		cmocka_unit_test(test_ndr_strings),
		cmocka_unit_test(test_ndr_pointers_and_arrays),
		cmocka_unit_test(test_ndr_uuid),
	};

	return cmocka_run_group_tests_name("rpc", tests, NULL, NULL);
}
