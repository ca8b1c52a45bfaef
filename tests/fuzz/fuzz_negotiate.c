// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: NEGOTIATE request bodies: smb2_negotiate_req_decode(), the dialect choice,
 * smb2_neg_contexts_decode() and the response encoder.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_NEGOTIATE, fuzz_cmd_negotiate)
