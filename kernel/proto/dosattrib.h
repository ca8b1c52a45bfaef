/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DOS attributes and creation time Linux cannot keep in an inode,
 * stored the way Samba stores them: an NDR-encoded xattr_DOSATTRIB
 * (Samba's librpc/idl/xattr.idl) in the extended attribute
 * "user.DOSATTRIB", so a share moved between Samba and fsmb keeps them.
 *
 * The record is a NUL-terminated ASCII string (the attributes in hex for
 * version 3, empty after), the version as a 16-bit number, and the union
 * of the per-version structures, which repeats the version as its
 * discriminant; NDR aligns each number to its size, the structures (whose
 * NTTIMEs count as 4-byte aligned) to 4 bytes, from the start of the record.
 * Versions 3, 4 and 5 are read; version 5, the one Samba 4.17 writes, is
 * written.
 */
#ifndef FSMB_PROTO_DOSATTRIB_H
#define FSMB_PROTO_DOSATTRIB_H

#include "smb2.h"

#define FSMB_DOSATTRIB_XATTR	"user.DOSATTRIB"

/* xattr_DosInfoValidFlags: the fields of a record that hold a value. */
#define XATTR_DOSINFO_ATTRIB		0x00000001
#define XATTR_DOSINFO_CREATE_TIME	0x00000010

/* Bytes of the version 5 record fsmb_dosattrib_encode() writes. */
#define FSMB_DOSATTRIB_SIZE	24
/* Room for any version 3-5 record: version 3 with "0xffffffff". */
#define FSMB_DOSATTRIB_MAX	64

/*
 * The attributes the record keeps: those a client may set. DIRECTORY
 * follows the object's type and NORMAL means "none of them".
 */
#define FSMB_DOS_STORED_ATTRIBUTES	(FILE_ATTRIBUTE_READONLY | \
					 FILE_ATTRIBUTE_HIDDEN | \
					 FILE_ATTRIBUTE_SYSTEM | \
					 FILE_ATTRIBUTE_ARCHIVE | \
					 FILE_ATTRIBUTE_TEMPORARY | \
					 FILE_ATTRIBUTE_OFFLINE | \
					 FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

struct fsmb_dosattrib {
	u32 valid;		/* XATTR_DOSINFO_ATTRIB, _CREATE_TIME */
	u32 attrib;		/* FILE_ATTRIBUTE_* */
	u64 create_time;	/* FILETIME */
};

/*
 * Decode the record @c starts at (NDR alignment counts from there): 0, or
 * -EINVAL for a truncated or malformed record, -EOPNOTSUPP for a version
 * this decoder does not read. @da->valid only has the flags of
 * fields that hold a value (a zero creation time is none).
 */
int fsmb_dosattrib_decode(struct fsmb_cur *c, struct fsmb_dosattrib *da);

/*
 * A version 5 record of FSMB_DOSATTRIB_SIZE bytes at the start of @w;
 * @w's error flag says whether they fit.
 */
void fsmb_dosattrib_encode(struct fsmb_wcur *w,
			   const struct fsmb_dosattrib *da);

#endif /* FSMB_PROTO_DOSATTRIB_H */
