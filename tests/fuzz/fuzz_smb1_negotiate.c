// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the SMB1 NEGOTIATE a multi-protocol client opens
 * with: smb1_is_negotiate() and smb1_negotiate_decode() over the whole
 * message, as fsmb_conn_process() and fsmb_smb1_negotiate() call them
 * (the decoder runs whatever the command byte says, so that the dialect
 * strings are reached from any input).
 */
#include "smb2_cmds.h"
#include "proto/smb2_negotiate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmb_cur c;
	unsigned int found;
	uint8_t *msg = fuzz_dup(data, size);

	fsmb_cur_init(&c, msg, size);
	fsmb_cur_le32(&c);
	smb1_is_negotiate(&c);
	fsmb_cur_init(&c, msg, size);
	if (smb1_negotiate_decode(&c, &found) == 0)
		fuzz_check(!(found & ~(SMB1_NEG_SMB2_002 | SMB1_NEG_SMB2_ANY)));
	free(msg);
	return 0;
}
