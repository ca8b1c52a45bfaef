// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: CREATE request bodies: smb2_create_req_decode(), smb2_create_ctx_parse(),
 * fsmb_cur_path() on the name, and the response encoder.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_CREATE, fuzz_cmd_create)
