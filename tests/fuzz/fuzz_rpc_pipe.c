// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the DCE/RPC named-pipe server
 * (userspace/fsmbd/rpc_pipe.c, ndr.c, rpc_srvsvc.c, rpc_wkssvc.c);
 * built by tests/fuzz/Makefile (make -C tests/fuzz rpc_pipe).
 *
 * Each input is written to a fresh srvsvc pipe in one piece and the
 * answers are read out.  The input is then replayed on a second pipe in
 * chunks whose size comes from the first byte, reading with a small odd
 * buffer in between; when the first byte has bit 7 set a valid bind PDU
 * (srvsvc, or wkssvc with bit 6) is written first so that mutations reach
 * the request paths without having to rediscover a bind.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct fsmb_rpc_share shares[] = {
	{ "IPC$", "IPC Service", "", FSMB_STYPE_IPC | FSMB_STYPE_SPECIAL,
	  true },
	{ "public", "Public files", "C:\\srv\\public", FSMB_STYPE_DISKTREE,
	  true },
	{ "hidden", "", "/srv/hidden", FSMB_STYPE_DISKTREE, false },
	{ "caf\xc3\xa9", "\xf0\x9f\x98\x80", "/srv/x", FSMB_STYPE_DISKTREE,
	  true },
};

static const struct fsmb_rpc_env env = {
	.netbios_name = "FUZZ",
	.workgroup = "WORKGROUP",
	.shares = shares,
	.nshares = sizeof(shares) / sizeof(shares[0]),
	.user = "fuzz",
};

/* bind, call_id 1, 4280/4280, ctx 0 = <iface> / NDR 2.0 */
static const uint8_t bind_srvsvc[72] = {
	5, 0, 11, 3, 0x10, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0,
	0xb8, 0x10, 0xb8, 0x10, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 1, 0,
	0xc8, 0x4f, 0x32, 0x4b, 0x70, 0x16, 0xd3, 0x01,
	0x12, 0x78, 0x5a, 0x47, 0xbf, 0x6e, 0xe1, 0x88, 3, 0, 0, 0,
	0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
	0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60, 2, 0, 0, 0,
};

static const uint8_t wkssvc_uuid[16] = {
	0x98, 0xd0, 0xff, 0x6b, 0x12, 0xa1, 0x10, 0x36,
	0x98, 0x33, 0x46, 0xc3, 0xf8, 0x7e, 0x34, 0x5a,
};

static void drain(struct fsmb_pipe *p, size_t bufsize)
{
	uint8_t buf[FSMB_RPC_MAX_FRAG];
	bool more;

	while (fsmb_pipe_read(p, buf, bufsize, &more) > 0)
		;
	if (more || fsmb_pipe_pending(p))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_pipe *p;
	uint8_t bind[sizeof(bind_srvsvc)];
	size_t chunk, ofs;
	int ret = 0;

	/* 1: the whole input at once */
	p = fsmb_pipe_open("srvsvc", &env);
	if (!p)
		abort();
	fsmb_pipe_write(p, data, size);
	drain(p, FSMB_RPC_MAX_FRAG);
	fsmb_pipe_close(p);

	if (size == 0)
		return 0;

	/* 2: optional valid bind, then the rest in chunks */
	memcpy(bind, bind_srvsvc, sizeof(bind));
	if (data[0] & 0x40) {
		memcpy(bind + 32, wkssvc_uuid, sizeof(wkssvc_uuid));
		bind[48] = 1;
	}
	p = fsmb_pipe_open(data[0] & 0x40 ? "wkssvc" : "srvsvc", &env);
	if (!p)
		abort();
	if (data[0] & 0x80) {
		if (fsmb_pipe_write(p, bind, sizeof(bind)) != 0)
			abort();	/* a valid bind must be accepted */
		drain(p, 7);
	}
	chunk = (data[0] & 0x3f) + 1;
	for (ofs = 1; ofs < size && ret == 0; ofs += chunk) {
		size_t n = size - ofs < chunk ? size - ofs : chunk;

		ret = fsmb_pipe_write(p, data + ofs, n);
		drain(p, 7);
	}
	fsmb_pipe_close(p);
	return 0;
}
