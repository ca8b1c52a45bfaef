#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Client-side loads for scripts/bench/guest.sh that neither cifs nor a
shell loop measure well (the shell's fork+exec would dominate under TCG).

  smbload.py connrate HOST SHARE USER PASSWORD SECONDS
      negotiate + session setup (NTLMSSP) + tree connect, then tree
      disconnect + logoff + close, in a loop for SECONDS; prints
      "connections N seconds S rate R/s (ms each: ...)" with the time of
      each phase.
  smbload.py hold HOST SHARE USER PASSWORD N READY_FILE
      opens N authenticated connections (each with a tree connected),
      writes "ready N" to READY_FILE and keeps them until stdin closes.
  smbload.py tcp-hold HOST PORT N READY_FILE
      N plain TCP connections to HOST:PORT (the kernel cost of a socket
      pair, to subtract from the SMB figures).
  smbload.py tcp-sink PORT
      accepts connections on 127.0.0.1:PORT and keeps them open.
  smbload.py files DIR N SIZE
      N files of SIZE bytes: create+write+close all, then stat all, then
      unlink all; prints "create R/s stat R/s unlink R/s".

impacket is Debian's python3-impacket (0.10); SMB 3.0 is the highest
dialect it negotiates with every server here.
"""
import os
import select
import socket
import sys
import time


def smb_connect(host, share, user, password, marks=None):
    """Negotiate, session setup and tree connect; with @marks, the time
    after each step is appended to it."""
    from impacket.smbconnection import SMBConnection
    from impacket.smb3structs import SMB2_DIALECT_30
    conn = SMBConnection(host, host, sess_port=445, timeout=30,
                         preferredDialect=SMB2_DIALECT_30)
    if marks is not None:
        marks.append(time.monotonic())
    conn.login(user, password, domain='')
    if marks is not None:
        marks.append(time.monotonic())
    tid = conn.connectTree(share)
    if marks is not None:
        marks.append(time.monotonic())
    return conn, tid


def connrate(host, share, user, password, seconds):
    """The phases are timed too: a slow one points at the server's cost."""
    seconds = float(seconds)
    # one untimed round first: a server's first session may load modules
    # or read its share configuration
    conn, tid = smb_connect(host, share, user, password)
    conn.disconnectTree(tid)
    conn.close()
    n = 0
    phase = [0.0, 0.0, 0.0, 0.0]
    start = time.monotonic()
    while True:
        t0 = time.monotonic()
        marks = []
        conn, tid = smb_connect(host, share, user, password, marks)
        t1, t2, t3 = marks
        conn.disconnectTree(tid)
        conn.close()    # LOGOFF, then the socket
        t4 = time.monotonic()
        for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            phase[i] += d
        n += 1
        elapsed = time.monotonic() - start
        if elapsed >= seconds:
            break
    print('connections %d seconds %.2f rate %.2f/s (ms each: negotiate %.1f '
          'session setup %.1f tree connect %.1f teardown %.1f)'
          % ((n, elapsed, n / elapsed) + tuple(1000 * p / n for p in phase)))


def wait_stdin_eof():
    while os.read(0, 4096):
        pass


def ready(path, n):
    with open(path + '.tmp', 'w') as f:
        f.write('ready %d\n' % n)
    os.rename(path + '.tmp', path)


def hold(host, share, user, password, n, ready_file):
    """A failed setup ends it, naming which connection failed."""
    conns = []
    for i in range(int(n)):
        try:
            conns.append(smb_connect(host, share, user, password))
        except Exception as e:
            sys.exit('connection %d of %s: %s: %s' % (i + 1, n, type(e).__name__, e))
    ready(ready_file, len(conns))
    wait_stdin_eof()
    for conn, tid in conns:
        conn.close()


def tcp_hold(host, port, n, ready_file):
    socks = [socket.create_connection((host, int(port))) for _ in range(int(n))]
    ready(ready_file, len(socks))
    wait_stdin_eof()
    for s in socks:
        s.close()


def tcp_sink(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', int(port)))
    srv.listen(1024)
    held = []
    while True:
        r, _, _ = select.select([srv], [], [])
        if r:
            held.append(srv.accept()[0])


def files(directory, n, size):
    n, size = int(n), int(size)
    data = b'x' * size
    names = [os.path.join(directory, 'f%05d' % i) for i in range(n)]
    rates = []
    t = time.monotonic()
    for name in names:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.close(fd)
    rates.append(n / (time.monotonic() - t))
    t = time.monotonic()
    for name in names:
        if os.stat(name).st_size != size:
            sys.exit('%s: wrong size' % name)
    rates.append(n / (time.monotonic() - t))
    t = time.monotonic()
    for name in names:
        os.unlink(name)
    rates.append(n / (time.monotonic() - t))
    print('create %.1f stat %.1f unlink %.1f' % tuple(rates))


COMMANDS = {
    'connrate': (connrate, 5),
    'hold': (hold, 6),
    'tcp-hold': (tcp_hold, 4),
    'tcp-sink': (tcp_sink, 1),
    'files': (files, 3),
}

if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS or \
            len(sys.argv) - 2 != COMMANDS[sys.argv[1]][1]:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]][0](*sys.argv[2:])
