#!/bin/bash
# Builds fsmb.ko with DKMS, as an admin would (dkms.conf at the top), for
# the test guest's kernel, from the committed tree, and removes it again.
# Nothing is installed into any kernel's module directory.
set -euo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
KVER=$(sed -n 's/^KVER=//p' "${FSMB_VMDIR:-/var/tmp/fsmb-vm}/env")
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$REPO/dkms.conf")
NAME=fsmb-dkmscheck
command -v dkms > /dev/null || { echo "dkms-check: dkms is not installed (scripts/setup.sh)" >&2; exit 1; }
cleanup() {
	dkms remove "$NAME/$VER" --all > /dev/null 2>&1 || true
	rm -rf "/usr/src/$NAME-$VER"
}
trap cleanup EXIT
cleanup
mkdir -p "/usr/src/$NAME-$VER"
git -C "$REPO" archive HEAD | tar -x -C "/usr/src/$NAME-$VER"
sed -i "s/^PACKAGE_NAME=.*/PACKAGE_NAME=\"$NAME\"/" "/usr/src/$NAME-$VER/dkms.conf"
dkms add "$NAME/$VER" > /dev/null
dkms build "$NAME/$VER" -k "$KVER" > /tmp/dkms-check.log 2>&1 ||
	{ tail -20 /tmp/dkms-check.log; echo "dkms-check: build failed"; exit 1; }
ko=/var/lib/dkms/$NAME/$VER/$KVER/x86_64/module/fsmb.ko
[ -f "$ko" ] || { echo "dkms-check: no $ko"; exit 1; }
modinfo -F vermagic "$ko" | grep -q "^$KVER " ||
	{ echo "dkms-check: $ko is not for $KVER"; exit 1; }
echo "dkms-check: dkms built fsmb.ko for $KVER"
