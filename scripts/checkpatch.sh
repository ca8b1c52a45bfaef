#!/bin/bash
# Kernel coding style gate: checkpatch.pl --strict over the module's sources.
# checkpatch comes from Debian's linux-source-6.1 (the headers package does
# not ship it); the three files it needs are extracted once into
# $FSMB_VMDIR/checkpatch. compat.h is left out: it is the userspace shim
# that lets the codecs build in the unit tests, and uses userspace types.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
DIR=${FSMB_VMDIR:-/var/tmp/fsmb-vm}/checkpatch
TARBALL=$(ls /usr/src/linux-source-6.1.tar.xz 2> /dev/null || true)
if [ ! -x "$DIR/scripts/checkpatch.pl" ]; then
	[ -n "$TARBALL" ] || { echo "checkpatch: install linux-source-6.1 (scripts/setup.sh)" >&2; exit 1; }
	rm -rf "$DIR.tmp"
	mkdir -p "$DIR.tmp"
	tar -xJf "$TARBALL" -C "$DIR.tmp" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	rm -rf "$DIR"
	mv "$DIR.tmp" "$DIR"
fi
cd "$REPO"
mapfile -t files < <(git ls-files 'kernel/*.c' 'kernel/*.h' | grep -v '^kernel/proto/compat.h$')
out=$("$DIR/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES -f "${files[@]}" || true)
bad=$(printf '%s\n' "$out" | grep -E '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK)' || true)
n=$(printf '%s' "$bad" | grep -c . || true)
if [ "$n" != 0 ]; then
	printf '%s\n' "$bad"
	echo "checkpatch: ${#files[@]} files, $n problems"
	exit 1
fi
echo "checkpatch: ${#files[@]} files, clean"
