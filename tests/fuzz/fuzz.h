/* SPDX-License-Identifier: GPL-2.0 */
/* What every harness shares. */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

/*
 * An invariant the code under test promises its callers: abort (a crash
 * for libFuzzer, with the input saved) with the condition's text when it
 * does not hold.
 */
#define fuzz_check(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* A copy of @data on the heap at its exact size, so ASan sees overreads. */
static inline unsigned char *fuzz_dup(const unsigned char *data, size_t size)
{
	unsigned char *p = malloc(size ? size : 1);

	if (!p)
		abort();
	for (size_t i = 0; i < size; i++)
		p[i] = data[i];
	return p;
}

#endif /* FUZZ_FUZZ_H */
