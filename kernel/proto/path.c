// SPDX-License-Identifier: GPL-2.0
/* SMB name validation and NT wildcard matching. */
#include "path.h"
#include "utf16.h"
#include "ntstatus.h"

static const char stream_suffix[] = "::$DATA";

static bool is_invalid_name_char(unsigned char ch)
{
	/* [MS-FSCC] 2.1.5.2: characters no file name may contain. */
	return ch < 0x20 || ch == '"' || ch == '*' || ch == '/' ||
	       ch == ':' || ch == '<' || ch == '>' || ch == '?' || ch == '|';
}

static bool ascii_ieq_tail(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix), i;

	if (len < n)
		return false;
	s += len - n;
	for (i = 0; i < n; i++) {
		char a = s[i], b = suffix[i];

		if (a >= 'a' && a <= 'z')
			a -= 'a' - 'A';
		if (a != b)
			return false;
	}
	return true;
}

static u32 check_component(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return STATUS_OBJECT_NAME_INVALID;
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return STATUS_OBJECT_PATH_SYNTAX_BAD;
	if (len == 1 && s[0] == '.')
		return STATUS_OBJECT_NAME_INVALID;
	if (len > FSMB_NAME_MAX)
		return STATUS_OBJECT_NAME_INVALID;
	for (i = 0; i < len; i++)
		if (is_invalid_name_char((unsigned char)s[i]))
			return STATUS_OBJECT_NAME_INVALID;
	return STATUS_SUCCESS;
}

u32 fsmb_path_decode(const u8 *name, size_t bytes, char *out,
		     size_t out_size, unsigned int flags,
		     unsigned int *result)
{
	size_t len, start, i;
	int n;

	*result = 0;
	n = fsmb_utf16_to_utf8(name, bytes, out, out_size);
	if (n == -ENAMETOOLONG)
		return STATUS_NAME_TOO_LONG;
	if (n < 0)
		return STATUS_OBJECT_NAME_INVALID;
	len = n;

	if (len && out[0] == '\\') {
		if (!(flags & FSMB_PATH_LEADING_SEP_OK))
			return STATUS_INVALID_PARAMETER;
		memmove(out, out + 1, len);	/* the NUL moves too */
		len--;
	}
	if (len && out[len - 1] == '\\') {
		out[--len] = '\0';
		*result |= FSMB_PATH_TRAILING_SEP;
		if (!len)
			return STATUS_OBJECT_NAME_INVALID;
	}
	/* "name::$DATA" is the file itself, as Windows clients may write it. */
	if (ascii_ieq_tail(out, len, stream_suffix)) {
		len -= strlen(stream_suffix);
		out[len] = '\0';
		if (!len || out[len - 1] == '\\')
			return STATUS_OBJECT_NAME_INVALID;
	}
	if (!len)
		return STATUS_SUCCESS;

	start = 0;
	for (i = 0; i <= len; i++) {
		u32 st;

		if (i < len && out[i] != '\\')
			continue;
		st = check_component(out + start, i - start);
		if (st)
			return st;
		if (i < len)
			out[i] = '/';
		start = i + 1;
	}
	return STATUS_SUCCESS;
}

u32 fsmb_cur_path(struct fsmb_cur *c, char *out, size_t out_size,
		  unsigned int flags, unsigned int *result)
{
	size_t n = fsmb_cur_remaining(c);
	const u8 *p = fsmb_cur_take(c, n);

	*result = 0;
	if (!p && n)
		return STATUS_INVALID_PARAMETER;
	return fsmb_path_decode(p, n, out, out_size, flags, result);
}

u32 fsmb_pattern_decode(struct fsmb_cur *c, char *out, size_t out_size)
{
	size_t n = fsmb_cur_remaining(c), i;
	const u8 *p = fsmb_cur_take(c, n);
	int len;

	if (!p && n)
		return STATUS_OBJECT_NAME_INVALID;
	len = fsmb_utf16_to_utf8(p, n, out, out_size);
	if (len < 0 || len > FSMB_NAME_MAX)
		return STATUS_OBJECT_NAME_INVALID;
	if (len == 0) {
		if (out_size < 2)
			return STATUS_OBJECT_NAME_INVALID;
		out[0] = '*';
		out[1] = '\0';
		return STATUS_SUCCESS;
	}
	for (i = 0; i < (size_t)len; i++) {
		unsigned char ch = out[i];

		if (ch < 0x20 || ch == '\\' || ch == '/' || ch == ':' ||
		    ch == '|')
			return STATUS_OBJECT_NAME_INVALID;
	}
	return STATUS_SUCCESS;
}

bool fsmb_pattern_is_literal(const char *pattern)
{
	for (; *pattern; pattern++)
		if (strchr("*?<>\"", *pattern))
			return false;
	return true;
}

/*
 * Decode one code point at @s[*i] (lenient: a byte that does not start a
 * well-formed sequence stands for itself) and fold its case. Names from
 * disk are matched before anyone checked their encoding, so this must
 * never read past @len.
 */
static u32 next_folded(const char *s, size_t len, size_t *i)
{
	const u8 *b = (const u8 *)s + *i;
	size_t left = len - *i, n = 1, k;
	u32 cp = b[0];

	if (cp >= 0xC0 && cp < 0xF8) {
		n = cp >= 0xF0 ? 4 : cp >= 0xE0 ? 3 : 2;
		if (n > left) {
			n = 1;
		} else {
			cp &= 0x3F >> (n - 1);
			for (k = 1; k < n; k++) {
				if ((b[k] & 0xC0) != 0x80)
					break;
				cp = cp << 6 | (b[k] & 0x3F);
			}
			if (k < n) {
				n = 1;
				cp = b[0];
			}
		}
	}
	*i += n;

	/* Simple upper-casing of the scripts names commonly use. */
	if (cp >= 'a' && cp <= 'z')
		return cp - 0x20;
	if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
		return cp - 0x20;
	if (cp >= 0x100 && cp <= 0x17F && (cp & 1) && cp != 0x131 &&
	    cp != 0x138 && cp != 0x149 && cp != 0x17F)
		return cp - 1;
	if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2)
		return cp - 0x20;
	if (cp >= 0x430 && cp <= 0x44F)
		return cp - 0x20;
	if (cp >= 0x450 && cp <= 0x45F)
		return cp - 0x50;
	return cp;
}

/* One bit per byte offset 0..FSMB_NAME_MAX of the name being matched. */
#define MATCH_WORDS	((FSMB_NAME_MAX + 1 + 31) / 32)

struct match_set {
	u32 w[MATCH_WORDS];
};

static void set_bit_at(struct match_set *s, size_t i)
{
	s->w[i / 32] |= 1U << (i % 32);
}

static bool bit_at(const struct match_set *s, size_t i)
{
	return s->w[i / 32] & (1U << (i % 32));
}

static bool set_empty(const struct match_set *s)
{
	size_t i;

	for (i = 0; i < MATCH_WORDS; i++)
		if (s->w[i])
			return false;
	return true;
}

/*
 * Star-like wildcards: every offset in [first reached offset in [from, to],
 * to] is reached. One pass per range, not one per reached offset, keeps a
 * pattern of many stars linear in the name.
 */
static void fill_from_first(const struct match_set *cur,
			    struct match_set *next, size_t from, size_t to)
{
	size_t i;

	for (i = from; i <= to && !bit_at(cur, i); i++)
		;
	for (; i <= to; i++)
		set_bit_at(next, i);
}

/*
 * The pattern is run as an automaton over the set of name offsets reached
 * so far, which keeps the cost at O(pattern * name) whatever the number
 * of wildcards, where backtracking would be exponential on hostile
 * patterns.
 */
bool fsmb_name_match(const char *pattern, const char *name, size_t len)
{
	struct match_set cur = { { 0 } }, next;
	size_t plen = strlen(pattern), pi = 0, last_dot = len, i;

	if (len > FSMB_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '.')
			last_dot = i;
	set_bit_at(&cur, 0);

	while (pi < plen) {
		u32 pc = next_folded(pattern, plen, &pi);
		size_t ni;

		memset(&next, 0, sizeof(next));
		if (pc == '*') {
			fill_from_first(&cur, &next, 0, len);
		} else if (pc == '<' && last_dot < len) {
			/* Up to the final '.' from before it, else to the end. */
			fill_from_first(&cur, &next, 0, last_dot);
			fill_from_first(&cur, &next, last_dot + 1, len);
		} else if (pc == '<') {
			fill_from_first(&cur, &next, 0, len);
		}
		for (ni = 0; ni <= len && pc != '*' && pc != '<'; ni++) {
			size_t nj = ni;
			u32 nc;

			if (!bit_at(&cur, ni))
				continue;
			if (ni == len) {
				/* '>' and '"' may match nothing at the end. */
				if (pc == '>' || pc == '"')
					set_bit_at(&next, ni);
				continue;
			}
			nc = next_folded(name, len, &nj);
			if (pc == '>') {
				if (nc == '.')
					set_bit_at(&next, ni);
				else
					set_bit_at(&next, nj);
			} else if (pc == '"') {
				if (nc == '.')
					set_bit_at(&next, nj);
			} else if (pc == '?' || pc == nc) {
				set_bit_at(&next, nj);
			}
		}
		cur = next;
		if (set_empty(&cur))
			return false;
	}
	return bit_at(&cur, len);
}

const char *fsmb_path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}
