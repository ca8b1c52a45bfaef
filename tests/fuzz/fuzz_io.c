// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the fixed-size request bodies, each decoder on the
 * same input: smb2_read_req_decode(), smb2_write_req_decode() (and the data
 * it hands to the VFS), smb2_flush_req_decode(), smb2_close_req_decode(),
 * smb2_simple_req_decode() (ECHO, LOGOFF, TREE_DISCONNECT), with the
 * response encoders READ and CLOSE feed. The input is a body; a 64-byte
 * header is put in front (see smb2_cmds.c).
 */
#include "smb2_cmds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	uint16_t cmd;
	void (*fn)(struct fsmb_cur *in);
} cmds[] = {
	{ SMB2_READ, fuzz_cmd_read },
	{ SMB2_WRITE, fuzz_cmd_write },
	{ SMB2_FLUSH, fuzz_cmd_flush },
	{ SMB2_CLOSE, fuzz_cmd_close },
	{ SMB2_ECHO, fuzz_cmd_simple },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fuzz_body_one(cmds[i].cmd, cmds[i].fn, data, size);
	return 0;
}
