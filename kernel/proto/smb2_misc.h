/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the dispatcher needs from the wire beyond the header: the compound
 * chain, the payload size a request is charged credits for, the ERROR
 * body, the bodies of ECHO, LOGOFF and TREE_DISCONNECT (StructureSize 4
 * and a reserved field, both ways), and header fields patched once a
 * response is complete.
 */
#ifndef FSMB_PROTO_SMB2_MISC_H
#define FSMB_PROTO_SMB2_MISC_H

#include "smb2.h"

#define SMB2_SIMPLE_SIZE	4
#define SMB2_NEXT_COMMAND_OFFSET 20

/*
 * Length of the command at @off of the message in @msg (its NextCommand,
 * or what is left for the last one), 0 when @off is the end, or -EINVAL
 * for a broken chain: NextCommand not a multiple of 8, pointing past the
 * message, or a command shorter than a header and a StructureSize.
 */
long smb2_chain_next(const struct fsmb_cur *msg, size_t off);

/*
 * The larger of the bytes a request sends and the bytes its response may
 * carry, for the CreditCharge check ([MS-SMB2] 3.3.5.2.5). @body: the
 * command's cursor, at its body. 0 for commands without a payload or a
 * body too short to say (the handler rejects those).
 */
u32 smb2_credit_payload(const struct fsmb_cur *body, u16 command);

/* SMB2 ERROR body without error data ([MS-SMB2] 2.2.2). */
void smb2_error_rsp_encode(struct fsmb_wcur *w);

/* ECHO, LOGOFF, TREE_DISCONNECT. */
int smb2_simple_req_decode(struct fsmb_cur *c);
void smb2_simple_rsp_encode(struct fsmb_wcur *w);

/*
 * Patch the Signature field of the response header at the base of @w
 * (already encoded); marks @w failed if it does not hold a header.
 */
void smb2_hdr_set_signature(struct fsmb_wcur *w, const u8 *sig);

#endif /* FSMB_PROTO_SMB2_MISC_H */
