/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMB names -> share-relative UTF-8 paths, and the wildcard matching of
 * QUERY_DIRECTORY patterns ([MS-FSA] 2.1.4.4). Pure functions: the VFS
 * layer only ever sees paths that passed fsmb_path_decode(), so a path
 * never starts with '/', never has an empty, "." or ".." component and
 * never holds a character Windows forbids in a name.
 */
#ifndef FSMB_PROTO_PATH_H
#define FSMB_PROTO_PATH_H

#include "cursor.h"

/* Linux limits, which are tighter than the Windows ones. */
#define FSMB_NAME_MAX		255	/* bytes of UTF-8 per component */
#define FSMB_PATH_MAX		4096	/* bytes of UTF-8, NUL included */

/* fsmb_path_decode() flags */
#define FSMB_PATH_LEADING_SEP_OK	0x1	/* strip one leading '\' (rename) */

/* fsmb_path_decode() result flags */
#define FSMB_PATH_TRAILING_SEP		0x1	/* the name ended in '\' */

/**
 * fsmb_path_decode - turn an SMB2 UTF-16LE name into a share-relative path
 * @name: UTF-16LE bytes (e.g. a CREATE name)
 * @bytes: their number
 * @out: output, NUL-terminated, '/'-separated; "" is the share root
 * @out_size: its size (FSMB_PATH_MAX is always enough)
 * @flags: FSMB_PATH_* input flags
 * @result: FSMB_PATH_TRAILING_SEP when a trailing separator was dropped
 *
 * A trailing "::$DATA" (the unnamed data stream) is dropped; any other ':'
 * names an alternate data stream, which is not supported.
 *
 * Return: STATUS_SUCCESS, or the NTSTATUS Windows gives for the name:
 * STATUS_INVALID_PARAMETER (leading separator), STATUS_OBJECT_NAME_INVALID
 * (bad character or encoding, empty or "." component, component too long),
 * STATUS_OBJECT_PATH_SYNTAX_BAD ("..") or STATUS_NAME_TOO_LONG.
 */
u32 fsmb_path_decode(const u8 *name, size_t bytes, char *out,
		     size_t out_size, unsigned int flags,
		     unsigned int *result);

/* The same, taking the name from a cursor (all of its remaining bytes). */
u32 fsmb_cur_path(struct fsmb_cur *c, char *out, size_t out_size,
		  unsigned int flags, unsigned int *result);

/*
 * Decode a QUERY_DIRECTORY search pattern: one component, wildcards
 * allowed, "" meaning "*". Returns STATUS_SUCCESS or
 * STATUS_OBJECT_NAME_INVALID.
 */
u32 fsmb_pattern_decode(struct fsmb_cur *c, char *out, size_t out_size);

/* True when @pattern holds none of the wildcard characters * ? < > ". */
bool fsmb_pattern_is_literal(const char *pattern);

/*
 * Match the UTF-8 @name (@len bytes, at most FSMB_NAME_MAX) against the
 * UTF-8 @pattern, case-insensitively, with the NT wildcards: '*' and '?',
 * and the DOS forms '<' (DOS_STAR), '>' (DOS_QM) and '"' (DOS_DOT).
 */
bool fsmb_name_match(const char *pattern, const char *name, size_t len);

/* The last component of @path ("" for the share root). */
const char *fsmb_path_basename(const char *path);

#endif /* FSMB_PROTO_PATH_H */
