// SPDX-License-Identifier: GPL-2.0
/* Samba's xattr_DOSATTRIB record: see dosattrib.h for the layout. */
#include "dosattrib.h"

#define DOSATTRIB_V3	3
#define DOSATTRIB_V4	4
#define DOSATTRIB_V5	5

/* NDR pads with zeroes to a multiple of the next field's alignment. */
static void cur_align(struct fsmb_cur *c, size_t a)
{
	if (fsmb_cur_ok(c))
		fsmb_cur_skip(c, ALIGN(c->pos, a) - c->pos);
}

int fsmb_dosattrib_decode(struct fsmb_cur *c, struct fsmb_dosattrib *da)
{
	u16 version, level;
	u32 valid, attrib;
	u64 create_time;

	memset(da, 0, sizeof(*da));
	/* The hex string only repeats the attributes of version 3. */
	while (fsmb_cur_u8(c))
		;
	/* A record that ends there is the hex-only pre-version-3 format. */
	if (fsmb_cur_ok(c) && !fsmb_cur_remaining(c))
		return -EOPNOTSUPP;
	cur_align(c, 2);
	version = fsmb_cur_le16(c);
	level = fsmb_cur_le16(c);
	cur_align(c, 4);
	valid = fsmb_cur_le32(c);
	attrib = fsmb_cur_le32(c);
	switch (version) {
	case DOSATTRIB_V3:
		fsmb_cur_skip(c, 4 + 8 + 8);	/* ea_size, size, alloc_size */
		create_time = fsmb_cur_le64(c);
		fsmb_cur_skip(c, 8);		/* change_time */
		break;
	case DOSATTRIB_V4:
		fsmb_cur_skip(c, 8);		/* itime */
		create_time = fsmb_cur_le64(c);
		break;
	case DOSATTRIB_V5:
		create_time = fsmb_cur_le64(c);
		break;
	default:
		return fsmb_cur_ok(c) ? -EOPNOTSUPP : -EINVAL;
	}
	if (!fsmb_cur_ok(c) || level != version)
		return -EINVAL;
	if (valid & XATTR_DOSINFO_ATTRIB) {
		da->valid |= XATTR_DOSINFO_ATTRIB;
		da->attrib = attrib;
	}
	if ((valid & XATTR_DOSINFO_CREATE_TIME) && create_time) {
		da->valid |= XATTR_DOSINFO_CREATE_TIME;
		da->create_time = create_time;
	}
	return 0;
}

void fsmb_dosattrib_encode(struct fsmb_wcur *w,
			   const struct fsmb_dosattrib *da)
{
	fsmb_wcur_u8(w, 0);		/* no hex string after version 3 */
	fsmb_wcur_align(w, 2);
	fsmb_wcur_le16(w, DOSATTRIB_V5);
	fsmb_wcur_le16(w, DOSATTRIB_V5);	/* the union's discriminant */
	fsmb_wcur_align(w, 4);
	fsmb_wcur_le32(w, da->valid);
	fsmb_wcur_le32(w, da->attrib);
	fsmb_wcur_le64(w, da->create_time);
}
