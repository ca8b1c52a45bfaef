#!/bin/bash
# Guest side of `make demo` (scripts/vm/demo.sh): load fsmb, start fsmbd with
# a demo config, add a user, list the shares and the share's files.
. "$REPO/tests/vm/lib.sh"
setup_workdir                       # W=/tmp/fsmb-demo-guest, CLIENT_CONF
CONF=$W/fsmb.conf U=fsmbdemo P=demo-$(randpw)
mkdir -p "$W/share" "$W/state"
ensure_user $U
chown $U "$W/share"
echo "Hello from fsmb, served by the kernel." > "$W/share/hello.txt"
mkdir -p "$W/share/docs" && cp /etc/os-release "$W/share/docs/"
step "modprobe fsmb"
server_load || die "modprobe fsmb failed"
grep fsmb /proc/modules
server_conf "$CONF" "$W/state"
cat >> "$CONF" <<-CONF
[share]
	path = $W/share
	read only = no
	browseable = yes
	valid users = $U
CONF
step "config ($CONF)"
cat "$CONF"
step "user add $U"
server_user_add "$CONF" $U "$P" || die "user add"
"$FSMBCTL" -c "$CONF" user list
step "start fsmbd"
server_start "$CONF" "$W/fsmbd.log"
wait_listen 445 60 || die "fsmbd: nothing listens on 445"
echo "fsmbd (pid $SERVER_PID) listening on 445"
step "smbclient -L //127.0.0.1 -U $U"
SMBC_TIMEOUT=180 smbc -L //127.0.0.1 -U "$U%$P" -m SMB3_11 || fail "smbclient -L"
step "smbclient //127.0.0.1/share -c 'ls; ls docs/*'"
smbc //127.0.0.1/share -U "$U%$P" -c 'ls; ls docs/*; get hello.txt /dev/stdout' || fail "smbclient ls"
step "fsmbd log"
cat "$W/fsmbd.log"
finish
