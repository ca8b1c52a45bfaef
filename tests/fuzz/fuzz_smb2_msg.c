// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: one whole message as the transport hands it to
 * fsmb_conn_process() (kernel/conn.c), i.e. after the Direct-TCP header.
 *
 * Mirrors conn.c: an SMB2 message is walked with smb2_chain_next() twice,
 * first to check the whole compound holds together (a broken chain drops
 * the connection before anything runs), then command by command: a cursor
 * over exactly that command (fsmb_cur_sub() at its offset, NextCommand
 * long), smb2_hdr_decode() (a bad header ends the chain), CANCEL skipped,
 * smb2_credit_payload() for the credit check, then the handler's decoding
 * (smb2_cmds.c). An SMB1 message goes through smb1_is_negotiate() and
 * smb1_negotiate_decode() over the whole message. What conn.c decides from
 * connection state (negotiated yet, credits, session, signature) does not
 * depend on these bytes beyond the header and is not repeated.
 */
#include "smb2_cmds.h"
#include "proto/smb2_misc.h"
#include "proto/smb2_negotiate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void conn_smb2(const uint8_t *msg, size_t len)
{
	struct fsmb_cur all;
	size_t off;
	long n;

	fsmb_cur_init(&all, msg, len);
	for (off = 0; (n = smb2_chain_next(&all, off)) > 0; off += n) {
		fuzz_check((size_t)n >= SMB2_HDR_SIZE + 2);
		fuzz_check((size_t)n <= len - off);
	}
	if (n < 0)
		return;
	fuzz_check(off == len);

	for (off = 0; (n = smb2_chain_next(&all, off)) > 0; off += n) {
		struct fsmb_cur in;
		struct smb2_hdr hdr;

		fsmb_cur_sub(&all, off, n, &in);
		fuzz_check(fsmb_cur_ok(&in) && in.len == (size_t)n);
		if (smb2_hdr_decode(&in, &hdr))
			return;		/* conn.c drops the connection */
		fuzz_check(in.pos == SMB2_HDR_SIZE);
		fuzz_check(hdr.next_command == 0 ||
			   hdr.next_command == (size_t)n);
		if (hdr.command == SMB2_CANCEL)
			continue;
		smb2_credit_payload(&in, hdr.command);
		if (hdr.flags & SMB2_FLAGS_ASYNC_COMMAND)
			continue;	/* fsmb_cmd_check() refuses it */
		fuzz_cmd_dispatch(hdr.command, &in);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_cur c;
	unsigned int found;
	uint8_t *msg = fuzz_dup(data, size);

	fsmb_cur_init(&c, msg, size);
	if (fsmb_cur_le32(&c) == SMB2_PROTO_ID) {
		conn_smb2(msg, size);
	} else if (smb1_is_negotiate(&c)) {
		struct fsmb_cur in;

		fsmb_cur_init(&in, msg, size);
		if (smb1_negotiate_decode(&in, &found) == 0)
			fuzz_check(!(found & ~(SMB1_NEG_SMB2_002 |
					       SMB1_NEG_SMB2_ANY)));
	}
	free(msg);
	return 0;
}
