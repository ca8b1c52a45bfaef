#!/bin/bash
# Usage: scripts/vm/demo.sh        (what `make demo` runs)
# Installs the built modules into the guest kernel tree, boots a guest that
# loads fsmb, starts fsmbd with a demo config, adds a user, and lists the
# shares (smbclient -L) and the share's files (smbclient ls); prints that
# output. Exit status: the guest script's (see run.sh).
set -u
. "$(dirname "$(readlink -f "$0")")/config.sh"
load_env || exit 1
mapfile -t mods < <(find "$REPO/kernel" "$REPO/smbdirect" -maxdepth 1 -name '*.ko' 2> /dev/null | sort)
FSMB_MODULES_NONE=1 "$VMKIT/install-modules.sh" "${mods[@]}" || exit 1
VMSHARE=${VMSHARE:-$VMDIR/demo}
export VMSHARE
VMQUIET=1 VMTIMEOUT=${VMTIMEOUT:-300} "$VMKIT/run.sh" "$VMKIT/demo-guest.sh"
rc=$?
cat "$VMSHARE/output.log" 2> /dev/null
[ $rc = 0 ] || echo "demo: exit $rc (console: $VMSHARE/console.log)"
exit $rc
