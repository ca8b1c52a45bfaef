/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small DER reader and writer, just enough for SPNEGO (RFC 4178).
 *
 * The reader is a cursor over untrusted bytes: every element's length is
 * checked against what remains before anything is returned, and nothing
 * recurses, so callers walk nested structures one level at a time. Only
 * single-byte tags and definite lengths of at most four bytes are accepted.
 *
 * The writer emits into a caller-supplied buffer; a failure (no room, too
 * deep) is sticky and reported once by fsmb_der_finish().
 */
#ifndef FSMBD_ASN1_H
#define FSMBD_ASN1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FSMB_DER_OCTET_STRING		0x04
#define FSMB_DER_OID			0x06
#define FSMB_DER_ENUMERATED		0x0a
#define FSMB_DER_GENERAL_STRING		0x1b
#define FSMB_DER_SEQUENCE		0x30
/* Constructed [APPLICATION n] and [n] (context-specific) tags. */
#define FSMB_DER_APPLICATION(n)		(0x60 | (n))
#define FSMB_DER_CONTEXT(n)		(0xa0 | (n))

/* Nesting the writer supports; SPNEGO needs five levels. */
#define FSMB_DER_MAX_DEPTH		8

struct fsmb_der {
	const uint8_t *p;
	size_t len;		/* bytes left */
};

void fsmb_der_init(struct fsmb_der *d, const uint8_t *buf, size_t len);
static inline bool fsmb_der_empty(const struct fsmb_der *d)
{
	return d->len == 0;
}
/* Tag of the next element, or -1 at the end. */
int fsmb_der_peek(const struct fsmb_der *d);
/*
 * Consume the next element, which must have tag @tag. @val (may be NULL)
 * covers its contents, @whole (may be NULL) the element with its header.
 * Returns 0, or -1 (wrong tag, malformed header, length beyond the input)
 * with @d unchanged.
 */
int fsmb_der_read(struct fsmb_der *d, uint8_t tag, struct fsmb_der *val,
		  struct fsmb_der *whole);
/* Consume the next element, whatever its tag. */
int fsmb_der_skip(struct fsmb_der *d);
/* ENUMERATED holding 0..127 (the only values SPNEGO's negState takes). */
int fsmb_der_read_enum(struct fsmb_der *d, unsigned int *v);
/* Is @val (contents of an OID) the OID whose contents are @oid? */
bool fsmb_der_oid_eq(const struct fsmb_der *val, const uint8_t *oid,
		     size_t oid_len);

struct fsmb_der_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	size_t open[FSMB_DER_MAX_DEPTH];	/* offsets of pending lengths */
	unsigned int depth;
	bool failed;
};

void fsmb_der_writer_init(struct fsmb_der_writer *w, uint8_t *buf,
			  size_t cap);
/* Open a constructed element; its length is filled in by fsmb_der_end(). */
void fsmb_der_begin(struct fsmb_der_writer *w, uint8_t tag);
void fsmb_der_end(struct fsmb_der_writer *w);
/* A primitive element (or a pre-encoded constructed one). */
void fsmb_der_put(struct fsmb_der_writer *w, uint8_t tag, const void *data,
		  size_t len);
void fsmb_der_put_enum(struct fsmb_der_writer *w, unsigned int v);
/* Bytes written, or -1 when anything failed or an element is still open. */
ssize_t fsmb_der_finish(const struct fsmb_der_writer *w);

#endif /* FSMBD_ASN1_H */
