/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one bounds-checked cursor through which every byte of client-controlled
 * input is read (struct fsmb_cur) and every response byte is written
 * (struct fsmb_wcur). Nothing outside kernel/proto/ does pointer arithmetic
 * on PDUs.
 *
 * Errors are sticky: a read past the end (or a write past the capacity)
 * sets ->err, returns zeroes / writes nothing, and every later access does
 * the same. A decoder reads all its fields and checks fsmb_cur_ok() once,
 * so no early return can be forgotten and no byte outside the buffer is
 * ever touched.
 *
 * SMB2 offset fields count from the start of the SMB2 header, so a command's
 * cursor has its base at that header; fsmb_cur_sub() turns an (offset,
 * length) pair into a cursor over exactly those bytes after checking that
 * they lie inside the parent.
 */
#ifndef FSMB_PROTO_CURSOR_H
#define FSMB_PROTO_CURSOR_H

#include "compat.h"

struct fsmb_cur {
	const u8 *base;
	size_t len;
	size_t pos;
	bool err;
};

static inline void fsmb_cur_init(struct fsmb_cur *c, const void *buf,
				 size_t len)
{
	c->base = buf;
	c->len = len;
	c->pos = 0;
	c->err = false;
}

static inline bool fsmb_cur_ok(const struct fsmb_cur *c)
{
	return !c->err;
}

static inline size_t fsmb_cur_remaining(const struct fsmb_cur *c)
{
	return c->err ? 0 : c->len - c->pos;
}

/* Reserve @n bytes at the position; NULL (and err) when fewer remain. */
static inline const u8 *fsmb_cur_take(struct fsmb_cur *c, size_t n)
{
	const u8 *p;

	if (c->err || n > c->len - c->pos) {
		c->err = true;
		return NULL;
	}
	p = c->base + c->pos;
	c->pos += n;
	return p;
}

static inline u8 fsmb_cur_u8(struct fsmb_cur *c)
{
	const u8 *p = fsmb_cur_take(c, 1);

	return p ? *p : 0;
}

static inline u16 fsmb_cur_le16(struct fsmb_cur *c)
{
	const u8 *p = fsmb_cur_take(c, 2);

	return p ? get_unaligned_le16(p) : 0;
}

static inline u32 fsmb_cur_le32(struct fsmb_cur *c)
{
	const u8 *p = fsmb_cur_take(c, 4);

	return p ? get_unaligned_le32(p) : 0;
}

static inline u64 fsmb_cur_le64(struct fsmb_cur *c)
{
	const u8 *p = fsmb_cur_take(c, 8);

	return p ? get_unaligned_le64(p) : 0;
}

static inline u32 fsmb_cur_be32(struct fsmb_cur *c)
{
	const u8 *p = fsmb_cur_take(c, 4);

	return p ? get_unaligned_be32(p) : 0;
}

static inline void fsmb_cur_skip(struct fsmb_cur *c, size_t n)
{
	fsmb_cur_take(c, n);
}

static inline void fsmb_cur_copy(struct fsmb_cur *c, void *dst, size_t n)
{
	const u8 *p = fsmb_cur_take(c, n);

	if (p)
		memcpy(dst, p, n);
	else
		memset(dst, 0, n);
}

/* Move to an absolute offset from the base (e.g. a NextEntryOffset). */
static inline void fsmb_cur_seek(struct fsmb_cur *c, size_t off)
{
	if (c->err || off > c->len)
		c->err = true;
	else
		c->pos = off;
}

/*
 * @sub covers @len bytes at absolute offset @off of @c. On a bad range both
 * @c and @sub are marked failed. A zero @len gives an empty, valid cursor
 * whatever @off says (MS-SMB2 lets clients send junk offsets with length 0).
 */
static inline void fsmb_cur_sub(struct fsmb_cur *c, size_t off, size_t len,
				struct fsmb_cur *sub)
{
	if (!c->err && len == 0) {
		fsmb_cur_init(sub, c->base, 0);
		return;
	}
	if (c->err || off > c->len || len > c->len - off) {
		c->err = true;
		fsmb_cur_init(sub, NULL, 0);
		sub->err = true;
		return;
	}
	fsmb_cur_init(sub, c->base + off, len);
}

/* The remaining bytes as a fresh cursor, and @c moved to its end. */
static inline void fsmb_cur_rest(struct fsmb_cur *c, struct fsmb_cur *sub)
{
	size_t n = fsmb_cur_remaining(c);

	fsmb_cur_sub(c, c->pos, n, sub);
	if (!c->err)
		c->pos = c->len;
}

struct fsmb_wcur {
	u8 *base;
	size_t cap;
	size_t pos;
	bool err;
};

static inline void fsmb_wcur_init(struct fsmb_wcur *w, void *buf, size_t cap)
{
	w->base = buf;
	w->cap = cap;
	w->pos = 0;
	w->err = false;
}

static inline bool fsmb_wcur_ok(const struct fsmb_wcur *w)
{
	return !w->err;
}

static inline size_t fsmb_wcur_room(const struct fsmb_wcur *w)
{
	return w->err ? 0 : w->cap - w->pos;
}

/* Reserve @n bytes for the caller to fill; NULL (and err) when full. */
static inline u8 *fsmb_wcur_take(struct fsmb_wcur *w, size_t n)
{
	u8 *p;

	if (w->err || n > w->cap - w->pos) {
		w->err = true;
		return NULL;
	}
	p = w->base + w->pos;
	w->pos += n;
	return p;
}

static inline void fsmb_wcur_u8(struct fsmb_wcur *w, u8 v)
{
	u8 *p = fsmb_wcur_take(w, 1);

	if (p)
		*p = v;
}

static inline void fsmb_wcur_le16(struct fsmb_wcur *w, u16 v)
{
	u8 *p = fsmb_wcur_take(w, 2);

	if (p)
		put_unaligned_le16(v, p);
}

static inline void fsmb_wcur_le32(struct fsmb_wcur *w, u32 v)
{
	u8 *p = fsmb_wcur_take(w, 4);

	if (p)
		put_unaligned_le32(v, p);
}

static inline void fsmb_wcur_le64(struct fsmb_wcur *w, u64 v)
{
	u8 *p = fsmb_wcur_take(w, 8);

	if (p)
		put_unaligned_le64(v, p);
}

static inline void fsmb_wcur_be32(struct fsmb_wcur *w, u32 v)
{
	u8 *p = fsmb_wcur_take(w, 4);

	if (p)
		put_unaligned_be32(v, p);
}

static inline void fsmb_wcur_bytes(struct fsmb_wcur *w, const void *src,
				   size_t n)
{
	u8 *p = fsmb_wcur_take(w, n);

	if (p && n)
		memcpy(p, src, n);
}

static inline void fsmb_wcur_zero(struct fsmb_wcur *w, size_t n)
{
	u8 *p = fsmb_wcur_take(w, n);

	if (p && n)
		memset(p, 0, n);
}

/* Pad with zeroes to a multiple of @a (a power of two) from the base. */
static inline void fsmb_wcur_align(struct fsmb_wcur *w, size_t a)
{
	if (!w->err)
		fsmb_wcur_zero(w, ALIGN(w->pos, a) - w->pos);
}

/* Patch fields whose value is known only later (lengths, offsets). */
static inline void fsmb_wcur_le16_at(struct fsmb_wcur *w, size_t off, u16 v)
{
	if (w->err || off > w->pos || w->pos - off < 2)
		w->err = true;
	else
		put_unaligned_le16(v, w->base + off);
}

static inline void fsmb_wcur_le32_at(struct fsmb_wcur *w, size_t off, u32 v)
{
	if (w->err || off > w->pos || w->pos - off < 4)
		w->err = true;
	else
		put_unaligned_le32(v, w->base + off);
}

#endif /* FSMB_PROTO_CURSOR_H */
