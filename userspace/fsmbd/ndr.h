/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fsmbd - bounds-checked NDR (C706 chapter 14, transfer syntax NDR 2.0)
 * pull/push cursors.
 *
 * Every pull checks the remaining length before touching memory; there is
 * no pointer arithmetic on wire data outside ndr.c.  Both cursors carry a
 * sticky error: once a call fails, every later call fails with the same
 * error and pulled values are zeroed, so a parser may chain calls and test
 * fsmb_ndr_pull_error() once at the end.
 *
 * Alignment is relative to the start of the cursor's buffer, which must be
 * the start of the NDR stream (the stub data, or the PDU for PDU headers).
 *
 * Pull cursors honour the sender's integer representation (big or little
 * endian); push cursors always produce little endian (drep 0x10).
 */
#ifndef FSMB_NDR_H
#define FSMB_NDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fsmb_uuid {
	uint32_t time_low;
	uint16_t time_mid;
	uint16_t time_hi_and_version;
	uint8_t clock_seq[2];
	uint8_t node[6];
};

/* Referent ids remembered per cursor for [ptr] (full) pointers. */
#define FSMB_NDR_MAX_FULL_PTRS	32

/* First referent id handed out by a push cursor, and the step. */
#define FSMB_NDR_REF_ID_BASE	0x00020000u
#define FSMB_NDR_REF_ID_STEP	4u

struct fsmb_ndr_pull {
	const uint8_t *data;
	size_t len;
	size_t ofs;
	int err;		/* 0 or the first -errno */
	bool big_endian;
	unsigned int nfull;
	uint32_t full_ids[FSMB_NDR_MAX_FULL_PTRS];
};

struct fsmb_ndr_full_ref {
	const void *obj;
	uint32_t id;
};

struct fsmb_ndr_push {
	uint8_t *data;
	size_t len;
	size_t cap;
	size_t limit;		/* the buffer never grows past this */
	int err;
	uint32_t next_ref;
	unsigned int nfull;
	struct fsmb_ndr_full_ref full[FSMB_NDR_MAX_FULL_PTRS];
};

bool fsmb_uuid_equal(const struct fsmb_uuid *a, const struct fsmb_uuid *b);

/*
 * Pull.  Errors: -EBADMSG (data runs out or is inconsistent), -EILSEQ
 * (invalid UTF-16 or embedded NUL), -E2BIG (a caller-given limit is
 * exceeded), -EINVAL (bad argument), -ENOMEM.
 */
void fsmb_ndr_pull_init(struct fsmb_ndr_pull *p, const void *data, size_t len,
			bool big_endian);
int fsmb_ndr_pull_error(const struct fsmb_ndr_pull *p);
size_t fsmb_ndr_pull_remaining(const struct fsmb_ndr_pull *p);
/* n is 1, 2, 4 or 8; the padding must lie inside the buffer. */
int fsmb_ndr_pull_align(struct fsmb_ndr_pull *p, size_t n);
int fsmb_ndr_pull_skip(struct fsmb_ndr_pull *p, size_t n);
/* Integers are aligned to their size first. */
int fsmb_ndr_pull_u8(struct fsmb_ndr_pull *p, uint8_t *v);
int fsmb_ndr_pull_u16(struct fsmb_ndr_pull *p, uint16_t *v);
int fsmb_ndr_pull_u32(struct fsmb_ndr_pull *p, uint32_t *v);
int fsmb_ndr_pull_u64(struct fsmb_ndr_pull *p, uint64_t *v);
/* Raw bytes, no alignment. */
int fsmb_ndr_pull_bytes(struct fsmb_ndr_pull *p, void *dst, size_t n);
int fsmb_ndr_pull_uuid(struct fsmb_ndr_pull *p, struct fsmb_uuid *u);
/* Unique (or embedded [ref]) pointer: the referent id, 0 for NULL. */
int fsmb_ndr_pull_unique_ptr(struct fsmb_ndr_pull *p, uint32_t *ref_id);
/*
 * Full pointer: *first is true when ref_id is non-zero and was not seen
 * before on this cursor; only then does the referent follow on the wire.
 */
int fsmb_ndr_pull_full_ptr(struct fsmb_ndr_pull *p, uint32_t *ref_id,
			   bool *first);
/*
 * Conformance (max_count) of a conformant array whose elements occupy at
 * least min_elem_size bytes each: fails unless that many bytes could
 * still follow, so a count can never drive an allocation larger than the
 * input.
 */
int fsmb_ndr_pull_conformance(struct fsmb_ndr_pull *p, uint32_t *count,
			      size_t min_elem_size);
/*
 * Conformant varying UTF-16 string ([string] wchar_t *): max_count,
 * offset (must be 0), actual_count (<= max_count, <= max_units), then
 * actual_count code units.  One terminating NUL is stripped; any other NUL
 * is an error.  *out receives a malloc()ed UTF-8 copy; pass out == NULL
 * to validate and skip the string.
 */
int fsmb_ndr_pull_wstring(struct fsmb_ndr_pull *p, char **out,
			  uint32_t max_units);

/*
 * Push.  The buffer grows on demand up to limit bytes; beyond that every
 * call fails with -E2BIG.  Errors also: -ENOMEM, -EINVAL.
 */
void fsmb_ndr_push_init(struct fsmb_ndr_push *p, size_t limit);
void fsmb_ndr_push_free(struct fsmb_ndr_push *p);
int fsmb_ndr_push_error(const struct fsmb_ndr_push *p);
int fsmb_ndr_push_align(struct fsmb_ndr_push *p, size_t n);
int fsmb_ndr_push_zeros(struct fsmb_ndr_push *p, size_t n);
int fsmb_ndr_push_u8(struct fsmb_ndr_push *p, uint8_t v);
int fsmb_ndr_push_u16(struct fsmb_ndr_push *p, uint16_t v);
int fsmb_ndr_push_u32(struct fsmb_ndr_push *p, uint32_t v);
int fsmb_ndr_push_u64(struct fsmb_ndr_push *p, uint64_t v);
int fsmb_ndr_push_bytes(struct fsmb_ndr_push *p, const void *src, size_t n);
int fsmb_ndr_push_uuid(struct fsmb_ndr_push *p, const struct fsmb_uuid *u);
/* Overwrite already pushed bytes (e.g. a PDU's frag_length). */
int fsmb_ndr_push_u16_at(struct fsmb_ndr_push *p, size_t ofs, uint16_t v);
int fsmb_ndr_push_u32_at(struct fsmb_ndr_push *p, size_t ofs, uint32_t v);
/* Unique pointer: a fresh referent id when present, else 0. */
int fsmb_ndr_push_unique_ptr(struct fsmb_ndr_push *p, bool present);
/*
 * Full pointer to obj (NULL pushes 0).  The same obj always gets the same
 * referent id; *first tells the caller whether it must marshal the
 * referent (only the first time).
 */
int fsmb_ndr_push_full_ptr(struct fsmb_ndr_push *p, const void *obj,
			   bool *first);
/* Conformant varying UTF-16LE string from UTF-8, NUL terminated. */
int fsmb_ndr_push_wstring(struct fsmb_ndr_push *p, const char *utf8);

/*
 * UTF-16 code units needed for utf8, without the terminator.  Invalid
 * UTF-8 sequences count (and are pushed) as U+FFFD.
 */
size_t fsmb_utf8_utf16_units(const char *utf8);
/* Bytes a [string] wchar_t * referent occupies, padded to 4. */
size_t fsmb_ndr_wstring_size(const char *utf8);

#endif /* FSMB_NDR_H */
