// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "asn1.h"

void fsmb_der_init(struct fsmb_der *d, const uint8_t *buf, size_t len)
{
	d->p = buf;
	d->len = buf ? len : 0;
}

int fsmb_der_peek(const struct fsmb_der *d)
{
	return d->len ? d->p[0] : -1;
}

/*
 * Decode the header at the cursor: tag, then the content length, checked
 * against the bytes that follow. Indefinite lengths (BER only) and high tag
 * numbers never occur in SPNEGO and are refused.
 */
static int der_header(const struct fsmb_der *d, uint8_t *tag, size_t *hdr,
		      size_t *clen)
{
	size_t n, i, len;

	if (d->len < 2)
		return -1;
	if ((d->p[0] & 0x1f) == 0x1f)
		return -1;
	*tag = d->p[0];
	if (d->p[1] < 0x80) {
		len = d->p[1];
		n = 0;
	} else {
		n = d->p[1] & 0x7f;
		if (n == 0 || n > 4 || d->len < 2 + n)
			return -1;
		len = 0;
		for (i = 0; i < n; i++)
			len = (len << 8) | d->p[2 + i];
	}
	*hdr = 2 + n;
	if (len > d->len - *hdr)
		return -1;
	*clen = len;
	return 0;
}

int fsmb_der_read(struct fsmb_der *d, uint8_t tag, struct fsmb_der *val,
		  struct fsmb_der *whole)
{
	uint8_t t;
	size_t hdr, clen;

	if (der_header(d, &t, &hdr, &clen) || t != tag)
		return -1;
	if (val)
		fsmb_der_init(val, d->p + hdr, clen);
	if (whole)
		fsmb_der_init(whole, d->p, hdr + clen);
	d->p += hdr + clen;
	d->len -= hdr + clen;
	return 0;
}

int fsmb_der_skip(struct fsmb_der *d)
{
	int tag = fsmb_der_peek(d);

	return tag < 0 ? -1 : fsmb_der_read(d, (uint8_t)tag, NULL, NULL);
}

int fsmb_der_read_enum(struct fsmb_der *d, unsigned int *v)
{
	struct fsmb_der val, save = *d;

	if (fsmb_der_read(d, FSMB_DER_ENUMERATED, &val, NULL))
		return -1;
	if (val.len != 1 || val.p[0] > 0x7f) {
		*d = save;
		return -1;
	}
	*v = val.p[0];
	return 0;
}

bool fsmb_der_oid_eq(const struct fsmb_der *val, const uint8_t *oid,
		     size_t oid_len)
{
	return val->len == oid_len && !memcmp(val->p, oid, oid_len);
}

void fsmb_der_writer_init(struct fsmb_der_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->depth = 0;
	w->failed = false;
}

static void der_put_bytes(struct fsmb_der_writer *w, const void *data,
			  size_t len)
{
	if (w->failed || len > w->cap - w->len) {
		w->failed = true;
		return;
	}
	if (len)
		memcpy(w->buf + w->len, data, len);
	w->len += len;
}

/* Bytes needed after the tag to encode @len: short form or 0x8n + n bytes. */
static size_t der_len_size(size_t len)
{
	size_t n = 1;

	if (len < 0x80)
		return 1;
	while (len) {
		n++;
		len >>= 8;
	}
	return n;
}

static void der_encode_len(uint8_t *out, size_t size, size_t len)
{
	size_t i;

	if (size == 1) {
		out[0] = (uint8_t)len;
		return;
	}
	out[0] = 0x80 | (uint8_t)(size - 1);
	for (i = size - 1; i > 0; i--) {
		out[i] = (uint8_t)len;
		len >>= 8;
	}
}

void fsmb_der_begin(struct fsmb_der_writer *w, uint8_t tag)
{
	uint8_t hdr[2] = { tag, 0 };

	if (w->depth == FSMB_DER_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	der_put_bytes(w, hdr, sizeof(hdr));
	if (w->failed)
		return;
	/* One length byte is reserved; fsmb_der_end() makes room if needed. */
	w->open[w->depth++] = w->len - 1;
}

void fsmb_der_end(struct fsmb_der_writer *w)
{
	size_t at, clen, size;

	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	at = w->open[--w->depth];
	clen = w->len - at - 1;
	size = der_len_size(clen);
	if (size - 1 > w->cap - w->len) {
		w->failed = true;
		return;
	}
	memmove(w->buf + at + size, w->buf + at + 1, clen);
	der_encode_len(w->buf + at, size, clen);
	w->len += size - 1;
}

void fsmb_der_put(struct fsmb_der_writer *w, uint8_t tag, const void *data,
		  size_t len)
{
	uint8_t hdr[6];
	size_t size;

	/* The reader takes at most four length bytes; so does the writer. */
	if (len > UINT32_MAX) {
		w->failed = true;
		return;
	}
	size = der_len_size(len);
	hdr[0] = tag;
	der_encode_len(hdr + 1, size, len);
	der_put_bytes(w, hdr, 1 + size);
	der_put_bytes(w, data, len);
}

void fsmb_der_put_enum(struct fsmb_der_writer *w, unsigned int v)
{
	uint8_t b = (uint8_t)v;

	if (v > 0x7f) {
		w->failed = true;
		return;
	}
	fsmb_der_put(w, FSMB_DER_ENUMERATED, &b, 1);
}

ssize_t fsmb_der_finish(const struct fsmb_der_writer *w)
{
	if (w->failed || w->depth)
		return -1;
	return (ssize_t)w->len;
}
