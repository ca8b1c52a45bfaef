#!/bin/bash
# Usage: scripts/vm/install-modules.sh [MODULE.ko ...]   (default: kernel/fsmb.ko)
# Copies freshly built modules, stripped (`strip --strip-debug`; the unstripped
# file stays in the build tree for gdb/addr2line on oops traces), into the
# cached guest kernel's lib/modules/$KVER/updates/ and runs depmod on that
# tree, so `modprobe fsmb` works in the guest. Modules installed by an earlier
# call but not named now are removed (a stale fsmb.ko never lingers); with no
# module at all (FSMB_MODULES_NONE=1) it only cleans up.
# Each module must have been built for the guest kernel (vermagic "$KVER ...").
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/config.sh"
load_env
if [ $# -eq 0 ] && [ "${FSMB_MODULES_NONE:-0}" != 1 ]; then
	set -- "$REPO/kernel/fsmb.ko"
fi
[ -d "$KROOT/lib/modules/$KVER" ] || { echo "install-modules: no $KROOT, run scripts/setup.sh" >&2; exit 1; }
MANIFEST=$UPDATES/.fsmb-installed
mkdir -p "$UPDATES"
for ko in "$@"; do
	[ -f "$ko" ] || { echo "install-modules: $ko: not found (not built?)" >&2; exit 1; }
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
	case $vm in
	"$KVER "*) ;;
	*) echo "install-modules: $ko is built for '${vm%% *}', the guest runs $KVER" \
		"(build with KDIR=$KHEADERS)" >&2; exit 1 ;;
	esac
done
# Not while a guest reads this tree (run.sh holds the lock while a VM runs).
exec 9> "$VMDIR/.modules.lock"
flock 9
if [ -f "$MANIFEST" ]; then
	while read -r old; do rm -f "$UPDATES/$old"; done < "$MANIFEST"
fi
: > "$MANIFEST"
for ko in "$@"; do
	name=$(basename "$ko")
	strip --strip-debug -o "$UPDATES/$name.tmp" "$ko"
	mv "$UPDATES/$name.tmp" "$UPDATES/$name"
	echo "$name" >> "$MANIFEST"
	echo "install-modules: $ko (built $(date -r "$ko" '+%F %T')) -> $UPDATES/$name" \
		"($(stat -c %s "$UPDATES/$name") bytes stripped)"
done
depmod -C "$VMKIT/depmod.conf" -b "$KROOT" "$KVER"
