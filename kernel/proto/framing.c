// SPDX-License-Identifier: GPL-2.0
/*
 * The Direct TCP header: decoded before anything else a peer sends, so
 * before authentication; the limit the caller passes is what bounds the
 * memory a peer can make the transport allocate for the message.
 */
#include "framing.h"

#define FSMB_FRAME_TYPE_SESSION_MSG	0x00
#define FSMB_FRAME_TYPE_KEEPALIVE	0x85

/**
 * fsmb_frame_decode() - read one transport header
 * @c: cursor at the header
 * @limit: largest message length acceptable now (at most FSMB_FRAME_MAX_LEN)
 * @len: the message length, for FSMB_FRAME_MSG
 *
 * Return: an enum fsmb_frame_kind, or -EPROTO for a header that must end
 * the connection: short, of another packet type, a keep-alive with a
 * length, or a message that is empty or longer than @limit.
 */
int fsmb_frame_decode(struct fsmb_cur *c, size_t limit, size_t *len)
{
	u32 hdr = fsmb_cur_be32(c);
	size_t n = hdr & FSMB_FRAME_MAX_LEN;

	if (!fsmb_cur_ok(c))
		return -EPROTO;
	switch (hdr >> 24) {
	case FSMB_FRAME_TYPE_KEEPALIVE:
		return n ? -EPROTO : FSMB_FRAME_KEEPALIVE;
	case FSMB_FRAME_TYPE_SESSION_MSG:
		if (!n || n > limit)
			return -EPROTO;
		*len = n;
		return FSMB_FRAME_MSG;
	default:
		return -EPROTO;
	}
}

/* The header of a session message of @len bytes (at most FSMB_FRAME_MAX_LEN). */
void fsmb_frame_encode(struct fsmb_wcur *w, size_t len)
{
	fsmb_wcur_be32(w, FSMB_FRAME_TYPE_SESSION_MSG << 24 |
		       (len & FSMB_FRAME_MAX_LEN));
}
