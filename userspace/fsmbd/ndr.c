// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd - bounds-checked NDR 2.0 pull/push cursors.  See ndr.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ndr.h"

bool fsmb_uuid_equal(const struct fsmb_uuid *a, const struct fsmb_uuid *b)
{
	return a->time_low == b->time_low && a->time_mid == b->time_mid &&
	       a->time_hi_and_version == b->time_hi_and_version &&
	       memcmp(a->clock_seq, b->clock_seq, sizeof(a->clock_seq)) == 0 &&
	       memcmp(a->node, b->node, sizeof(a->node)) == 0;
}

/* ------------------------------------------------------------------ */
/* UTF-8 helpers                                                      */
/* ------------------------------------------------------------------ */

#define REPLACEMENT_CHAR 0xfffdu

/*
 * Decode one code point from s (NUL terminated); returns the number of
 * bytes consumed (>= 1).  Malformed input yields U+FFFD and consumes one
 * byte.
 */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		*cp = REPLACEMENT_CHAR;
		return 1;
	}
	for (i = 1; i < n; i++) {
		/* a NUL terminator fails this test, so we never run past it */
		if ((s[i] & 0xc0) != 0x80) {
			*cp = REPLACEMENT_CHAR;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = REPLACEMENT_CHAR;
		return 1;
	}
	*cp = c;
	return n;
}

size_t fsmb_utf8_utf16_units(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)(utf8 ? utf8 : "");
	size_t units = 0;
	uint32_t cp;

	while (*s) {
		s += utf8_decode(s, &cp);
		units += cp >= 0x10000 ? 2 : 1;
	}
	return units;
}

size_t fsmb_ndr_wstring_size(const char *utf8)
{
	size_t n = 12 + 2 * (fsmb_utf8_utf16_units(utf8) + 1);

	return (n + 3) & ~(size_t)3;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* ------------------------------------------------------------------ */
/* Pull                                                               */
/* ------------------------------------------------------------------ */

void fsmb_ndr_pull_init(struct fsmb_ndr_pull *p, const void *data, size_t len,
			bool big_endian)
{
	memset(p, 0, sizeof(*p));
	p->data = data;
	p->len = data ? len : 0;
	p->big_endian = big_endian;
}

int fsmb_ndr_pull_error(const struct fsmb_ndr_pull *p)
{
	return p->err;
}

size_t fsmb_ndr_pull_remaining(const struct fsmb_ndr_pull *p)
{
	return p->err ? 0 : p->len - p->ofs;
}

static int pull_fail(struct fsmb_ndr_pull *p, int err)
{
	if (!p->err)
		p->err = err;
	return p->err;
}

/* Checks that n more bytes are available; the only bounds check needed. */
static int pull_need(struct fsmb_ndr_pull *p, size_t n)
{
	if (p->err)
		return p->err;
	if (n > p->len - p->ofs)
		return pull_fail(p, -EBADMSG);
	return 0;
}

int fsmb_ndr_pull_align(struct fsmb_ndr_pull *p, size_t n)
{
	size_t pad;

	if (p->err)
		return p->err;
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return pull_fail(p, -EINVAL);
	pad = (n - (p->ofs & (n - 1))) & (n - 1);
	if (pull_need(p, pad))
		return p->err;
	p->ofs += pad;
	return 0;
}

int fsmb_ndr_pull_skip(struct fsmb_ndr_pull *p, size_t n)
{
	if (pull_need(p, n))
		return p->err;
	p->ofs += n;
	return 0;
}

int fsmb_ndr_pull_bytes(struct fsmb_ndr_pull *p, void *dst, size_t n)
{
	if (pull_need(p, n)) {
		memset(dst, 0, n);
		return p->err;
	}
	if (n == 0)
		return 0;
	memcpy(dst, p->data + p->ofs, n);
	p->ofs += n;
	return 0;
}

/* Aligned unsigned integer of size n (1, 2, 4, 8) in the sender's order. */
static int pull_uint(struct fsmb_ndr_pull *p, size_t n, uint64_t *v)
{
	const uint8_t *b;
	uint64_t x = 0;
	size_t i;

	*v = 0;
	if (fsmb_ndr_pull_align(p, n) || pull_need(p, n))
		return p->err;
	b = p->data + p->ofs;
	for (i = 0; i < n; i++) {
		size_t idx = p->big_endian ? i : n - 1 - i;

		x = (x << 8) | b[idx];
	}
	p->ofs += n;
	*v = x;
	return 0;
}

int fsmb_ndr_pull_u8(struct fsmb_ndr_pull *p, uint8_t *v)
{
	uint64_t x;
	int ret = pull_uint(p, 1, &x);

	*v = (uint8_t)x;
	return ret;
}

int fsmb_ndr_pull_u16(struct fsmb_ndr_pull *p, uint16_t *v)
{
	uint64_t x;
	int ret = pull_uint(p, 2, &x);

	*v = (uint16_t)x;
	return ret;
}

int fsmb_ndr_pull_u32(struct fsmb_ndr_pull *p, uint32_t *v)
{
	uint64_t x;
	int ret = pull_uint(p, 4, &x);

	*v = (uint32_t)x;
	return ret;
}

int fsmb_ndr_pull_u64(struct fsmb_ndr_pull *p, uint64_t *v)
{
	return pull_uint(p, 8, v);
}

int fsmb_ndr_pull_uuid(struct fsmb_ndr_pull *p, struct fsmb_uuid *u)
{
	fsmb_ndr_pull_u32(p, &u->time_low);
	fsmb_ndr_pull_u16(p, &u->time_mid);
	fsmb_ndr_pull_u16(p, &u->time_hi_and_version);
	fsmb_ndr_pull_bytes(p, u->clock_seq, sizeof(u->clock_seq));
	fsmb_ndr_pull_bytes(p, u->node, sizeof(u->node));
	if (p->err)
		memset(u, 0, sizeof(*u));
	return p->err;
}

int fsmb_ndr_pull_unique_ptr(struct fsmb_ndr_pull *p, uint32_t *ref_id)
{
	return fsmb_ndr_pull_u32(p, ref_id);
}

int fsmb_ndr_pull_full_ptr(struct fsmb_ndr_pull *p, uint32_t *ref_id,
			   bool *first)
{
	unsigned int i;

	*first = false;
	if (fsmb_ndr_pull_u32(p, ref_id) || *ref_id == 0)
		return p->err;
	for (i = 0; i < p->nfull; i++)
		if (p->full_ids[i] == *ref_id)
			return 0;
	if (p->nfull == FSMB_NDR_MAX_FULL_PTRS) {
		*ref_id = 0;
		return pull_fail(p, -E2BIG);
	}
	p->full_ids[p->nfull++] = *ref_id;
	*first = true;
	return 0;
}

int fsmb_ndr_pull_conformance(struct fsmb_ndr_pull *p, uint32_t *count,
			      size_t min_elem_size)
{
	if (fsmb_ndr_pull_u32(p, count))
		return p->err;
	if (min_elem_size &&
	    *count > (p->len - p->ofs) / min_elem_size) {
		*count = 0;
		return pull_fail(p, -EBADMSG);
	}
	return 0;
}

/* Code unit idx of a UTF-16 array already checked to be in bounds. */
static uint32_t utf16_unit(const uint8_t *w, size_t idx, bool big_endian)
{
	const uint8_t *u = w + 2 * idx;

	return big_endian ? (uint32_t)u[0] << 8 | u[1] :
			    (uint32_t)u[1] << 8 | u[0];
}

int fsmb_ndr_pull_wstring(struct fsmb_ndr_pull *p, char **out,
			  uint32_t max_units)
{
	uint32_t max_count, offset, actual, i;
	const uint8_t *w;
	char *s = NULL;
	size_t o = 0;

	if (out)
		*out = NULL;
	fsmb_ndr_pull_u32(p, &max_count);
	fsmb_ndr_pull_u32(p, &offset);
	fsmb_ndr_pull_u32(p, &actual);
	if (p->err)
		return p->err;
	if (offset != 0 || actual > max_count)
		return pull_fail(p, -EBADMSG);
	if (actual > max_units)
		return pull_fail(p, -E2BIG);
	if (pull_need(p, (size_t)actual * 2))
		return p->err;
	w = p->data + p->ofs;

	if (out) {
		/* a BMP unit takes <= 3 UTF-8 bytes, a surrogate pair 4 */
		s = malloc((size_t)actual * 3 + 1);
		if (!s)
			return pull_fail(p, -ENOMEM);
	}
	for (i = 0; i < actual; i++) {
		uint32_t c, c2;

		c = utf16_unit(w, i, p->big_endian);
		if (c == 0) {
			if (i == actual - 1)
				break;		/* the terminator */
			goto bad;
		}
		if (c >= 0xdc00 && c <= 0xdfff)
			goto bad;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (i + 1 >= actual)
				goto bad;
			c2 = utf16_unit(w, ++i, p->big_endian);
			if (c2 < 0xdc00 || c2 > 0xdfff)
				goto bad;
			c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
		}
		if (s)
			o += utf8_encode(c, s + o);
	}
	p->ofs += (size_t)actual * 2;
	if (s) {
		s[o] = '\0';
		*out = s;
	}
	return 0;
bad:
	free(s);
	return pull_fail(p, -EILSEQ);
}

/* ------------------------------------------------------------------ */
/* Push                                                               */
/* ------------------------------------------------------------------ */

void fsmb_ndr_push_init(struct fsmb_ndr_push *p, size_t limit)
{
	memset(p, 0, sizeof(*p));
	p->limit = limit;
	p->next_ref = FSMB_NDR_REF_ID_BASE;
}

void fsmb_ndr_push_free(struct fsmb_ndr_push *p)
{
	free(p->data);
	p->data = NULL;
	p->len = 0;
	p->cap = 0;
}

int fsmb_ndr_push_error(const struct fsmb_ndr_push *p)
{
	return p->err;
}

static int push_fail(struct fsmb_ndr_push *p, int err)
{
	if (!p->err)
		p->err = err;
	return p->err;
}

/* Makes room for n more bytes; returns a pointer to them or NULL. */
static uint8_t *push_room(struct fsmb_ndr_push *p, size_t n)
{
	uint8_t *d;
	size_t cap;

	if (p->err)
		return NULL;
	if (n > p->limit || p->len > p->limit - n) {
		push_fail(p, -E2BIG);
		return NULL;
	}
	if (p->len + n > p->cap) {
		cap = p->cap ? p->cap : 256;
		while (cap < p->len + n)
			cap = cap > p->limit / 2 ? p->limit : cap * 2;
		d = realloc(p->data, cap);
		if (!d) {
			push_fail(p, -ENOMEM);
			return NULL;
		}
		p->data = d;
		p->cap = cap;
	}
	d = p->data + p->len;
	p->len += n;
	return d;
}

int fsmb_ndr_push_zeros(struct fsmb_ndr_push *p, size_t n)
{
	uint8_t *d;

	if (n == 0)
		return p->err;
	d = push_room(p, n);
	if (!d)
		return p->err;
	memset(d, 0, n);
	return 0;
}

int fsmb_ndr_push_align(struct fsmb_ndr_push *p, size_t n)
{
	if (n != 1 && n != 2 && n != 4 && n != 8)
		return push_fail(p, -EINVAL);
	return fsmb_ndr_push_zeros(p, (n - (p->len & (n - 1))) & (n - 1));
}

int fsmb_ndr_push_bytes(struct fsmb_ndr_push *p, const void *src, size_t n)
{
	uint8_t *d;

	if (n == 0)
		return p->err;
	d = push_room(p, n);
	if (!d)
		return p->err;
	memcpy(d, src, n);
	return 0;
}

static void put_le(uint8_t *d, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (uint8_t)(v >> (8 * i));
}

static int push_uint(struct fsmb_ndr_push *p, uint64_t v, size_t n)
{
	uint8_t *d;

	if (fsmb_ndr_push_align(p, n))
		return p->err;
	d = push_room(p, n);
	if (!d)
		return p->err;
	put_le(d, v, n);
	return 0;
}

int fsmb_ndr_push_u8(struct fsmb_ndr_push *p, uint8_t v)
{
	return push_uint(p, v, 1);
}

int fsmb_ndr_push_u16(struct fsmb_ndr_push *p, uint16_t v)
{
	return push_uint(p, v, 2);
}

int fsmb_ndr_push_u32(struct fsmb_ndr_push *p, uint32_t v)
{
	return push_uint(p, v, 4);
}

int fsmb_ndr_push_u64(struct fsmb_ndr_push *p, uint64_t v)
{
	return push_uint(p, v, 8);
}

int fsmb_ndr_push_u16_at(struct fsmb_ndr_push *p, size_t ofs, uint16_t v)
{
	if (p->err)
		return p->err;
	if (ofs > p->len || p->len - ofs < 2)
		return push_fail(p, -EINVAL);
	put_le(p->data + ofs, v, 2);
	return 0;
}

int fsmb_ndr_push_u32_at(struct fsmb_ndr_push *p, size_t ofs, uint32_t v)
{
	if (p->err)
		return p->err;
	if (ofs > p->len || p->len - ofs < 4)
		return push_fail(p, -EINVAL);
	put_le(p->data + ofs, v, 4);
	return 0;
}

int fsmb_ndr_push_uuid(struct fsmb_ndr_push *p, const struct fsmb_uuid *u)
{
	fsmb_ndr_push_u32(p, u->time_low);
	fsmb_ndr_push_u16(p, u->time_mid);
	fsmb_ndr_push_u16(p, u->time_hi_and_version);
	fsmb_ndr_push_bytes(p, u->clock_seq, sizeof(u->clock_seq));
	fsmb_ndr_push_bytes(p, u->node, sizeof(u->node));
	return p->err;
}

static uint32_t push_new_ref(struct fsmb_ndr_push *p)
{
	uint32_t id = p->next_ref;

	p->next_ref += FSMB_NDR_REF_ID_STEP;
	if (p->next_ref == 0)	/* never hand out 0 (NULL) */
		p->next_ref = FSMB_NDR_REF_ID_BASE;
	return id;
}

int fsmb_ndr_push_unique_ptr(struct fsmb_ndr_push *p, bool present)
{
	if (p->err)
		return p->err;
	return fsmb_ndr_push_u32(p, present ? push_new_ref(p) : 0);
}

int fsmb_ndr_push_full_ptr(struct fsmb_ndr_push *p, const void *obj,
			   bool *first)
{
	unsigned int i;
	uint32_t id;

	*first = false;
	if (p->err)
		return p->err;
	if (!obj)
		return fsmb_ndr_push_u32(p, 0);
	for (i = 0; i < p->nfull; i++)
		if (p->full[i].obj == obj)
			return fsmb_ndr_push_u32(p, p->full[i].id);
	if (p->nfull == FSMB_NDR_MAX_FULL_PTRS)
		return push_fail(p, -E2BIG);
	id = push_new_ref(p);
	if (fsmb_ndr_push_u32(p, id))
		return p->err;
	p->full[p->nfull].obj = obj;
	p->full[p->nfull].id = id;
	p->nfull++;
	*first = true;
	return 0;
}

int fsmb_ndr_push_wstring(struct fsmb_ndr_push *p, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)(utf8 ? utf8 : "");
	size_t units = fsmb_utf8_utf16_units(utf8) + 1;
	uint8_t *d;
	uint32_t cp;

	if (units > UINT32_MAX)
		return push_fail(p, -E2BIG);
	fsmb_ndr_push_u32(p, (uint32_t)units);	/* max_count */
	fsmb_ndr_push_u32(p, 0);		/* offset */
	fsmb_ndr_push_u32(p, (uint32_t)units);	/* actual_count */
	d = push_room(p, units * 2);
	if (!d)
		return p->err;
	while (*s) {
		s += utf8_decode(s, &cp);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_le(d, 0xd800 | (cp >> 10), 2);
			put_le(d + 2, 0xdc00 | (cp & 0x3ff), 2);
			d += 4;
		} else {
			put_le(d, cp, 2);
			d += 2;
		}
	}
	put_le(d, 0, 2);
	return 0;
}
