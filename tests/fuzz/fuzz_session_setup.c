// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: SESSION_SETUP request bodies: smb2_session_setup_req_decode() and the
 * security buffer it hands to fsmbd.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_SESSION_SETUP, fuzz_cmd_session_setup)
