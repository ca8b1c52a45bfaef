/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Direct TCP transport framing (MS-SMB2 2.1): every message is preceded by
 * a 4-byte big-endian header whose top byte is the NetBIOS session packet
 * type and whose low 24 bits are the message length. Only session messages
 * (type 0) carry SMB; keep-alives (type 0x85, length 0) are accepted and
 * ignored, everything else ends the connection.
 */
#ifndef FSMB_PROTO_FRAMING_H
#define FSMB_PROTO_FRAMING_H

#include "cursor.h"

#define FSMB_FRAME_HDR_SIZE	4
#define FSMB_FRAME_MAX_LEN	0x00FFFFFF

enum fsmb_frame_kind {
	FSMB_FRAME_MSG,		/* a message of the decoded length follows */
	FSMB_FRAME_KEEPALIVE,	/* nothing follows */
};

int fsmb_frame_decode(struct fsmb_cur *c, size_t limit, size_t *len);
void fsmb_frame_encode(struct fsmb_wcur *w, size_t len);

#endif /* FSMB_PROTO_FRAMING_H */
