// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the Direct TCP framing (kernel/proto/framing.c), over
 * a byte stream as transport_tcp.c reads it. The first input byte chooses
 * a small limit (like the one before authentication) or the largest the
 * header can carry; the rest is the stream, cut
 * into header + message until a header is refused or the stream ends.
 * Every accepted header must re-encode to the same four bytes, and every
 * message length must be within the limit.
 */
#include "smb2_cmds.h"
#include "proto/framing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = fuzz_dup(data, size);
	uint8_t again[FSMB_FRAME_HDR_SIZE];
	struct fsmb_cur stream, hdr;
	struct fsmb_wcur w;
	size_t limit, len;
	int kind;

	fsmb_cur_init(&stream, copy, size);
	limit = fsmb_cur_u8(&stream) & 1 ? FSMB_FRAME_MAX_LEN : 64 * 1024;
	while (fsmb_cur_ok(&stream) && fsmb_cur_remaining(&stream)) {
		fsmb_cur_sub(&stream, stream.pos, fsmb_cur_remaining(&stream),
			     &hdr);
		kind = fsmb_frame_decode(&hdr, limit, &len);
		fuzz_check(kind == FSMB_FRAME_MSG || kind == FSMB_FRAME_KEEPALIVE ||
			   kind == -EPROTO);
		if (kind < 0)
			break;
		fuzz_check(hdr.pos == FSMB_FRAME_HDR_SIZE);
		if (kind == FSMB_FRAME_MSG) {
			fuzz_check(len && len <= limit);
			fsmb_wcur_init(&w, again, sizeof(again));
			fsmb_frame_encode(&w, len);
			fuzz_check(fsmb_wcur_ok(&w) &&
				   !memcmp(again, fsmb_cur_take(&stream,
							   sizeof(again)),
					   sizeof(again)));
			fsmb_cur_skip(&stream, len);
		} else {
			fsmb_cur_skip(&stream, FSMB_FRAME_HDR_SIZE);
		}
	}
	free(copy);
	return 0;
}
