/* SPDX-License-Identifier: GPL-2.0 */
/* SMB2 TREE_CONNECT ([MS-SMB2] 2.2.9, 2.2.10). */
#ifndef FSMB_PROTO_SMB2_TREE_H
#define FSMB_PROTO_SMB2_TREE_H

#include "smb2.h"

#define SMB2_TREE_CONNECT_REQ_SIZE	9
#define SMB2_TREE_CONNECT_RSP_SIZE	16
#define SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT	0x0004

struct smb2_tree_connect_req {
	u16 flags;
	struct fsmb_cur path;		/* UTF-16LE "\\server\share" */
};

/*
 * @c: base at the SMB2 header, position at the body. -EINVAL for a wrong
 * StructureSize or a path that does not lie in the message.
 */
int smb2_tree_connect_req_decode(struct fsmb_cur *c,
				 struct smb2_tree_connect_req *r);

/*
 * Split the UNC path in @path ("\\server\share", UTF-16LE) and make
 * @share cover the share name. -EINVAL unless the path is two
 * backslashes, a non-empty server name, one backslash and a non-empty
 * share name with no further separator ('\' or '/') and no NUL.
 */
int smb2_tree_share_name(const struct fsmb_cur *path, struct fsmb_cur *share);

struct smb2_tree_connect_rsp {
	u8 share_type;			/* SMB2_SHARE_TYPE_* */
	u32 share_flags;		/* SMB2_SHAREFLAG_* */
	u32 capabilities;		/* SMB2_SHARE_CAP_* */
	u32 maximal_access;
};

void smb2_tree_connect_rsp_encode(struct fsmb_wcur *w,
				  const struct smb2_tree_connect_rsp *r);

#endif /* FSMB_PROTO_SMB2_TREE_H */
