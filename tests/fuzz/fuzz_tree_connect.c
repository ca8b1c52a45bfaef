// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: TREE_CONNECT request bodies: smb2_tree_connect_req_decode(),
 * smb2_tree_share_name() and the share name's UTF-16 conversion.
 * The input is the body; a 64-byte header is put in front (offsets in the
 * body count from it, as on the wire). See smb2_cmds.c.
 */
#include "smb2_cmds.h"

FUZZ_BODY_HARNESS(SMB2_TREE_CONNECT, fuzz_cmd_tree_connect)
