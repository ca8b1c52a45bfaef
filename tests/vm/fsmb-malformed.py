#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile SMB2 client for tests/vm/fsmb-malformed.sh.

Runs with Debian's /usr/bin/python3: the standard library, plus impacket's
NTLM helpers (python3-impacket) for the NTLMv2 exchange.

  fuzz       replay valid sessions (NEGOTIATE, SESSION_SETUP with NTLMSSP,
             TREE_CONNECT, CREATE, WRITE, READ, QUERY_INFO, SET_INFO, FLUSH,
             CLOSE, QUERY_DIRECTORY, IOCTL, ECHO, a compound chain,
             TREE_DISCONNECT, LOGOFF) and mutate PDUs of them, before and
             after authentication: bit flips, truncation, length/offset
             fields at boundary values, wrong command/credit/session/tree/
             file ids, compound chains with a bad NextCommand, oversized and
             short framing, pre-auth garbage, SMB1, half-open connections.
             Every few hundred PDUs, and at the end, a whole valid session
             must still work.
  perip      N connections from one address are served, the N+1st is refused
  bigdecl    headers declaring 8 MiB (authenticated) or 64 KiB (not) followed
             by a few bytes must not make the kernel allocate the declared size
  slowreader a client that stops reading does not stop another one, and is
             dropped
  preauth    one session setup at a time before authentication
  tconsign   3.1.1: an unsigned TREE_CONNECT after login ends the
             connection, a badly signed one is refused, a signed one is
             served; 3.0 needs no signature
  halfopen   idle unauthenticated connections are dropped at the auth timeout
  idle       an authenticated connection with no open file is dropped at the
             idle timeout; one with an open file is not

Each prints PASS:/FAIL:/INFO: lines and exits non-zero on a failure.
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import selectors
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from impacket import ntlm, spnego

# ---- SMB2 wire format -----------------------------------------------------
HDR = struct.Struct('<4sHHIHHIIQIIQ16s')
HDR_SIZE = 64
# fsmb.h: FSMB_MAX_PREAUTH_PDU, FSMB_MAX_PDU
PREAUTH_PDU = 64 * 1024
MAX_PDU = 8 * 1024 * 1024 + 64 * 1024
(NEGOTIATE, SESSION_SETUP, LOGOFF, TREE_CONNECT, TREE_DISCONNECT, CREATE,
 CLOSE, FLUSH, READ, WRITE, LOCK, IOCTL, CANCEL, ECHO, QUERY_DIRECTORY,
 CHANGE_NOTIFY, QUERY_INFO, SET_INFO, OPLOCK_BREAK) = range(19)
FLAG_RESPONSE = 0x1
FLAG_ASYNC = 0x2
FLAG_RELATED = 0x4
FLAG_SIGNED = 0x8
FLAG_DFS = 0x10000000
FLAG_REPLAY = 0x20000000

STATUS_SUCCESS = 0
STATUS_MORE_PROCESSING_REQUIRED = 0xC0000016
STATUS_REQUEST_NOT_ACCEPTED = 0xC00000D0
STATUS_NO_LOGON_SERVERS = 0xC000005E
# kernel/upcall.h: FSMB_UPCALL_MAX_PENDING, FSMB_UPCALL_TIMEOUT_MS
UPCALL_MAX_PENDING = 256
UPCALL_TIMEOUT = 10
STATUS_PENDING = 0x00000103
STATUS_NO_MORE_FILES = 0x80000006
STATUS_END_OF_FILE = 0xC0000011
STATUS_ACCESS_DENIED = 0xC0000022

SIGNING_HMAC_SHA256 = 0
SIGNING_AES_CMAC = 1
NEG_CTX_SIGNING = 8

DIALECTS = [0x0202, 0x0210, 0x0300, 0x0302, 0x0311]
FID_NONE = b'\xff' * 16
FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204
FSCTL_SRV_REQUEST_RESUME_KEY = 0x00140078
FSCTL_QUERY_NETWORK_INTERFACE_INFO = 0x001401FC
FSCTL_GET_REPARSE_POINT = 0x000900A8
FSCTL_PIPE_TRANSCEIVE = 0x0011C017
SRVSVC = uuid.UUID('4b324fc8-1670-01d3-1278-5a47bf6ee188').bytes_le
NDR = uuid.UUID('8a885d04-1ceb-11c9-9fe8-08002b104860').bytes_le

BOUNDARY = [0, 1, 2, 7, 8, 63, 64, 65, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000,
            0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]


class Closed(Exception):
    """The server closed (or reset) the connection."""


def u16le(s):
    return s.encode('utf-16-le')


def parse_hdr(msg, off=0):
    if len(msg) < off + HDR_SIZE:
        return None
    f = HDR.unpack_from(msg, off)
    return {'proto': f[0], 'charge': f[2], 'status': f[3], 'cmd': f[4],
            'credits': f[5], 'flags': f[6], 'next': f[7], 'mid': f[8],
            'tid': f[10], 'sid': f[11]}


def chain_headers(msg):
    """Headers of every response in a (compound) message."""
    out, off = [], 0
    while True:
        h = parse_hdr(msg, off)
        if not h:
            break
        h['off'] = off
        out.append(h)
        if not h['next'] or off + h['next'] >= len(msg):
            break
        off += h['next']
    return out


def chain_parts(msg):
    """(header, bytes) of every command of a (compound) message, each
    with the padding before the next one, as a signature covers it."""
    out = []
    for h in chain_headers(msg):
        end = h['off'] + h['next'] if h['next'] and \
            h['off'] + h['next'] < len(msg) else len(msg)
        out.append((h, msg[h['off']:end]))
    return out


def sha512(*parts):
    return hashlib.sha512(b''.join(parts)).digest()


def kdf(ki, label, context):
    """SP800-108 counter mode with HMAC-SHA256, one round, L = 128
    ([MS-SMB2] 3.1.4.2): label and context are passed with their NUL."""
    return hmac.new(ki, struct.pack('>I', 1) + label + b'\0' + context +
                    struct.pack('>I', 128), hashlib.sha256).digest()[:16]


def mac(algo, key, data):
    """The 16-byte signature of @data (its Signature field zeroed)."""
    if algo == SIGNING_AES_CMAC:
        c = CMAC(algorithms.AES(key))
        c.update(data)
        return c.finalize()
    return hmac.new(key, data, hashlib.sha256).digest()[:16]


def neg_signing_algo(rsp):
    """The algorithm a 3.1.1 NEGOTIATE response's SIGNING_CAPABILITIES
    context chose, AES-CMAC without one."""
    if len(rsp) < HDR_SIZE + 64:
        return SIGNING_AES_CMAC
    n = struct.unpack_from('<H', rsp, HDR_SIZE + 6)[0]
    off = struct.unpack_from('<I', rsp, HDR_SIZE + 60)[0]
    for _ in range(n):
        if off + 8 > len(rsp):
            break
        t, dlen = struct.unpack_from('<HH', rsp, off)
        if t == NEG_CTX_SIGNING and dlen >= 4 and off + 8 + 4 <= len(rsp):
            return struct.unpack_from('<H', rsp, off + 8 + 2)[0]
        off += 8 + dlen + ((-(8 + dlen)) % 8)
    return SIGNING_AES_CMAC


class Stats:
    def __init__(self):
        self.malformed = 0
        self.valid = 0
        self.by_kind = {}
        self.conns = 0
        self.drops = 0
        self.timeouts = 0
        self.baselines = 0
        self.baseline_failures = 0
        self.pipes = 0          # srvsvc pipes opened for pipe mutations
        self.sids = []          # session ids seen, for cross-connection use
        self.fids = []

    def count(self, kind):
        self.malformed += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


ST = Stats()


class Conn:
    """One TCP connection speaking SMB2 with its session state."""

    def __init__(self, host, port, src=None, timeout=20.0):
        self.timeout = timeout
        self.s = socket.create_connection(
            (host, port), timeout=timeout,
            source_address=(src, 0) if src else None)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ST.conns += 1
        self.host = host
        self.mid = 0
        self.sid = 0
        self.tid = 0
        self.fid = None
        self.dfid = None
        self.dialect = 0
        self.key = None             # the session key (NTLM's exported one)
        self.signing_key = None
        self.signing_algo = SIGNING_HMAC_SHA256
        self.sign = False
        # 3.1.1 preauth integrity: the NEGOTIATE request, the connection's
        # hash after the NEGOTIATE, the session's while it is set up
        self.neg_req = None
        self.preauth = None
        self.sess_hash = None
        self.type1 = None
        self.type2 = None
        self.spnego = False
        self.authed = False
        self.buf = b''
        self.ipc_tid = 0
        self.pfid = None

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass

    # -- framing
    def send_raw(self, data):
        try:
            self.s.sendall(data)
        except (BrokenPipeError, ConnectionResetError, socket.timeout) as e:
            raise Closed(str(e))

    def send_msg(self, msg):
        self.last_sent = msg
        self.preauth_request(msg)
        self.send_raw(struct.pack('>I', len(msg)) + msg)

    def _read(self, n):
        while len(self.buf) < n:
            try:
                d = self.s.recv(max(65536, n - len(self.buf)))
            except (ConnectionResetError, BrokenPipeError) as e:
                raise Closed(str(e))
            if not d:
                raise Closed('EOF')
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_msg(self, timeout=None):
        """The next message, interim (STATUS_PENDING) responses skipped."""
        self.s.settimeout(timeout or self.timeout)
        while True:
            p = self._read(4)
            t, n = p[0], int.from_bytes(p[1:], 'big')
            m = self._read(n)
            if t == 0x85:
                continue
            h = parse_hdr(m)
            if h and h['status'] == STATUS_PENDING and \
                    h['flags'] & FLAG_ASYNC and not h['next']:
                continue
            self.preauth_response(m)
            return m

    # -- 3.1.1 preauth integrity ([MS-SMB2] 3.2.5.2, 3.2.5.3), over the
    # bytes really sent and received, mutated ones included: what the
    # server hashes too
    def preauth_request(self, msg):
        parts = chain_parts(msg)
        if not parts:
            return
        h, m = parts[0]
        if h['cmd'] == NEGOTIATE and not self.dialect:
            self.neg_req = m
        elif h['cmd'] == SESSION_SETUP and self.preauth and \
                not self.authed and not h['flags'] & FLAG_RELATED:
            # 0 starts a session from the connection's hash, unless one
            # is being set up already (one at a time before authentication)
            if not h['sid']:
                if self.sess_hash is None:
                    self.sess_hash = sha512(self.preauth, m)
            elif h['sid'] == self.sid and self.sess_hash is not None:
                self.sess_hash = sha512(self.sess_hash, m)

    def preauth_response(self, msg):
        for h, m in chain_parts(msg):
            if not h['flags'] & FLAG_RESPONSE:
                continue
            if h['cmd'] == NEGOTIATE and h['status'] == 0 and \
                    not self.dialect and len(m) >= HDR_SIZE + 6:
                self.dialect = struct.unpack_from('<H', m, HDR_SIZE + 4)[0]
                if self.dialect == 0x0311 and self.neg_req:
                    self.preauth = sha512(sha512(b'\0' * 64, self.neg_req),
                                          m)
                    self.signing_algo = neg_signing_algo(m)
                elif self.dialect >= 0x0300:
                    self.signing_algo = SIGNING_AES_CMAC
            elif h['cmd'] == SESSION_SETUP and not self.authed and \
                    self.sess_hash is not None and \
                    (not self.sid or h['sid'] == self.sid):
                # the final response is not hashed; a failure ends the
                # session being set up
                if h['status'] == STATUS_MORE_PROCESSING_REQUIRED:
                    self.sess_hash = sha512(self.sess_hash, m)
                elif h['status']:
                    self.sess_hash = None

    def set_key(self, key):
        """The session is authenticated with @key: derive the signing key
        ([MS-SMB2] 3.2.5.3.1)."""
        self.key = key
        if not key:
            self.signing_key = None
        elif self.dialect == 0x0311:
            self.signing_key = kdf(key, b'SMBSigningKey\0',
                                   self.sess_hash or b'\0' * 64)
        elif self.dialect >= 0x0300:
            self.signing_key = kdf(key, b'SMB2AESCMAC\0', b'SmbSign\0')
        else:
            self.signing_key = key[:16]

    def wait_closed(self, timeout):
        """True if the server closes the connection within @timeout s."""
        end = time.time() + timeout
        try:
            while time.time() < end:
                self.s.settimeout(max(0.1, end - time.time()))
                try:
                    d = self.s.recv(65536)
                except socket.timeout:
                    continue
                if not d:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except OSError:
            return True
        return False

    # -- building requests
    def hdr(self, cmd, charge=1, flags=0, mid=None, credit_req=64,
            sid=None, tid=None, next_cmd=0):
        if mid is None:
            mid = self.mid
            self.mid += max(charge, 1) if self.dialect >= 0x0210 else 1
        return HDR.pack(b'\xfeSMB', HDR_SIZE, charge, 0, cmd, credit_req,
                        flags, next_cmd, mid, 0xFEFF,
                        self.tid if tid is None else tid,
                        self.sid if sid is None else sid, b'\0' * 16)

    def must_sign(self, cmd):
        """Is a request @cmd signed once the session is authenticated?
        Everything when the session signs; in 3.1.1 a TREE_CONNECT always
        ([MS-SMB2] 3.2.4.1.1, 3.3.5.7: nothing is encrypted here)."""
        return self.sign or (cmd == TREE_CONNECT and self.dialect == 0x0311)

    def signed(self, msg):
        """Sign the commands must_sign() names: with HMAC-SHA256 in
        2.0.2/2.1, AES-CMAC in 3.0/3.0.2 and what the NEGOTIATE chose in
        3.1.1; each command of a chain on its own, padding included."""
        if not (self.signing_key and self.authed):
            return msg
        m = bytearray(msg)
        off = 0
        while off + HDR_SIZE <= len(m):
            nxt = struct.unpack_from('<I', m, off + 20)[0]
            end = off + nxt if nxt and off + nxt <= len(m) else len(m)
            cmd = struct.unpack_from('<H', m, off + 12)[0]
            if self.must_sign(cmd):
                flags = struct.unpack_from('<I', m, off + 16)[0] | \
                    FLAG_SIGNED
                struct.pack_into('<I', m, off + 16, flags)
                m[off + 48:off + 64] = b'\0' * 16
                m[off + 48:off + 64] = mac(self.signing_algo,
                                           self.signing_key,
                                           bytes(m[off:end]))
            if end == len(m) or end <= off:
                break
            off = end
        return bytes(m)

    def signature_ok(self, msg):
        """Does the (single) message @msg carry a valid signature?"""
        if not self.signing_key or len(msg) < HDR_SIZE:
            return False
        m = bytearray(msg)
        sig = bytes(m[48:64])
        m[48:64] = b'\0' * 16
        return hmac.compare_digest(
            sig, mac(self.signing_algo, self.signing_key, bytes(m)))

    def msg(self, cmd, body, charge=1, flags=0, **kw):
        return self.hdr(cmd, charge, flags, **kw) + body


# ---- request bodies ------------------------------------------------------
def negotiate_body(dialects, secmode=1, caps=0x7F, guid=None):
    guid = guid or os.urandom(16)
    ds = b''.join(struct.pack('<H', d) for d in dialects)
    fixed = 36
    ctx = b''
    ctx_off = 0
    nctx = 0
    if 0x0311 in dialects:
        # preauth integrity (SHA-512) and, for the parser, encryption
        pre = struct.pack('<HHH', 1, 32, 1) + os.urandom(32)
        enc = struct.pack('<HHH', 2, 0x0002, 0x0001)
        sgn = struct.pack('<HHH', 2, 0x0001, 0x0000)
        items = [(1, pre), (2, enc), (8, sgn)]
        off = HDR_SIZE + fixed + len(ds)
        pad = (-off) % 8
        ctx_off = off + pad
        for i, (t, d) in enumerate(items):
            c = struct.pack('<HHI', t, len(d), 0) + d
            if i != len(items) - 1:
                c += b'\0' * ((-len(c)) % 8)
            ctx += c
        nctx = len(items)
        ds += b'\0' * pad
    body = struct.pack('<HHHHI16sIHH', 36, len(dialects), secmode, 0, caps,
                       guid, ctx_off, nctx, 0)
    return body + ds + ctx


def session_setup_body(blob, secmode=1, flags=0, prev=0):
    return struct.pack('<HBBIIHHQ', 25, flags, secmode, 1, 0,
                       HDR_SIZE + 24, len(blob), prev) + blob


def tree_connect_body(path):
    p = u16le(path)
    return struct.pack('<HHHH', 9, 0, HDR_SIZE + 8, len(p)) + p


def create_body(name, disposition=5, options=0x40, access=0x0012019F,
                attrs=0x80, share=7, ctxs=b''):
    n = u16le(name)
    noff = HDR_SIZE + 56
    body_name = n if n else b'\0'
    coff = 0
    if ctxs:
        coff = noff + len(body_name) + ((-(noff + len(body_name))) % 8)
    body = struct.pack('<HBBIQQIIIIIHHII', 57, 0, 0, 2, 0, 0, access, attrs,
                       share, disposition, options, noff, len(n), coff,
                       len(ctxs))
    body += body_name
    if ctxs:
        body += b'\0' * (coff - noff - len(body_name)) + ctxs
    return body


def create_ctx(name, data):
    nm = name.encode()
    doff = 16 + len(nm) + ((-(16 + len(nm))) % 8)
    c = struct.pack('<IHHHHI', 0, 16, len(nm), 0, doff if data else 0,
                    len(data)) + nm
    c += b'\0' * (doff - len(c)) + data
    return c


def write_body(fid, data, offset=0):
    return struct.pack('<HHIQ16sIIHHI', 49, HDR_SIZE + 48, len(data), offset,
                       fid, 0, 0, 0, 0, 0) + data


def read_body(fid, length, offset=0):
    return struct.pack('<HBBIQ16sIIIHH', 49, 0, 0, length, offset, fid, 0, 0,
                       0, 0, 0) + b'\0'


def query_info_body(fid, infotype=1, cls=18, outlen=4096, inbuf=b''):
    return struct.pack('<HBBIHHIII16s', 41, infotype, cls, outlen,
                       HDR_SIZE + 40 if inbuf else 0, 0, len(inbuf), 0, 0,
                       fid) + (inbuf or b'\0')


def set_info_body(fid, infotype=1, cls=20, buf=b''):
    return struct.pack('<HBBIHHI16s', 33, infotype, cls, len(buf),
                       HDR_SIZE + 32, 0, 0, fid) + buf


def flush_body(fid):
    return struct.pack('<HHI16s', 24, 0, 0, fid)


def close_body(fid, flags=0):
    return struct.pack('<HHI16s', 24, flags, 0, fid)


def query_dir_body(fid, pattern='*', cls=37, flags=1, outlen=65536):
    p = u16le(pattern)
    return struct.pack('<HBBI16sHHI', 33, cls, flags, 0, fid, HDR_SIZE + 32,
                       len(p), outlen) + (p or b'\0')


def ioctl_body(fid, ctl, inbuf=b'', maxout=4096, flags=1):
    return struct.pack('<HHI16sIIIIIIII', 57, 0, ctl, fid,
                       HDR_SIZE + 56 if inbuf else 0, len(inbuf), 0,
                       HDR_SIZE + 56 + len(inbuf), 0, maxout, flags, 0) + \
        (inbuf or b'\0')


def simple_body():
    return struct.pack('<HH', 4, 0)


def dcerpc_bind(call_id=1):
    """A DCE/RPC BIND to srvsvc v3.0 with NDR."""
    body = struct.pack('<HHIBBH', 4280, 4280, 0, 1, 0, 0) + \
        struct.pack('<HBB', 0, 1, 0) + SRVSVC + struct.pack('<HH', 3, 0) + \
        NDR + struct.pack('<I', 2)
    return struct.pack('<BBBB4sHHI', 5, 0, 11, 3, b'\x10\0\0\0',
                       16 + len(body), 0, call_id) + body


def dcerpc_request(opnum, stub, call_id=2):
    body = struct.pack('<IHH', len(stub), 0, opnum) + stub
    return struct.pack('<BBBB4sHHI', 5, 0, 0, 3, b'\x10\0\0\0',
                       16 + len(body), 0, call_id) + body


def smb1_negotiate(dialects=(b'NT LM 0.12', b'SMB 2.002', b'SMB 2.???')):
    d = b''.join(b'\x02' + x + b'\0' for x in dialects)
    h = b'\xffSMB' + struct.pack('<BIBHH8sHHHHH', 0x72, 0, 0x18, 0xC853, 0,
                                 b'\0' * 8, 0, 0xFFFF, os.getpid() & 0xFFFF,
                                 0, 0)
    return h + b'\0' + struct.pack('<H', len(d)) + d


# Body fields worth setting to boundary values: (offset in body, struct fmt)
FIELDS = {
    NEGOTIATE: [(0, 'H'), (2, 'H'), (4, 'H'), (8, 'I'), (28, 'I'), (32, 'H')],
    SESSION_SETUP: [(0, 'H'), (2, 'B'), (3, 'B'), (12, 'H'), (14, 'H'),
                    (16, 'Q')],
    TREE_CONNECT: [(0, 'H'), (2, 'H'), (4, 'H'), (6, 'H')],
    CREATE: [(0, 'H'), (3, 'B'), (4, 'I'), (24, 'I'), (28, 'I'), (32, 'I'),
             (36, 'I'), (40, 'I'), (44, 'H'), (46, 'H'), (48, 'I'),
             (52, 'I')],
    WRITE: [(0, 'H'), (2, 'H'), (4, 'I'), (8, 'Q'), (36, 'I'), (40, 'I'),
            (44, 'H'), (46, 'H'), (48, 'I')],
    READ: [(0, 'H'), (2, 'B'), (3, 'B'), (4, 'I'), (8, 'Q'), (32, 'I'),
           (36, 'I'), (40, 'I'), (44, 'H'), (46, 'H')],
    QUERY_INFO: [(0, 'H'), (2, 'B'), (3, 'B'), (4, 'I'), (8, 'H'), (12, 'I'),
                 (16, 'I'), (20, 'I')],
    SET_INFO: [(0, 'H'), (2, 'B'), (3, 'B'), (4, 'I'), (8, 'H'), (12, 'I')],
    QUERY_DIRECTORY: [(0, 'H'), (2, 'B'), (3, 'B'), (4, 'I'), (24, 'H'),
                      (26, 'H'), (28, 'I')],
    IOCTL: [(0, 'H'), (4, 'I'), (24, 'I'), (28, 'I'), (32, 'I'), (36, 'I'),
            (40, 'I'), (44, 'I'), (48, 'I')],
    CLOSE: [(0, 'H'), (2, 'H')],
    FLUSH: [(0, 'H')],
    ECHO: [(0, 'H')],
    LOGOFF: [(0, 'H')],
    TREE_DISCONNECT: [(0, 'H')],
}
# Where the FileId is in a body
FID_AT = {WRITE: 16, READ: 16, QUERY_INFO: 24, SET_INFO: 16,
          QUERY_DIRECTORY: 8, IOCTL: 8, CLOSE: 8, FLUSH: 8}


def put(m, off, fmt, v):
    size = struct.calcsize('<' + fmt)
    if off + size <= len(m):
        struct.pack_into('<' + fmt, m, off, v & ((1 << (8 * size)) - 1))


# ---- the valid session ----------------------------------------------------
class Session:
    """Drives one connection through the valid sequence, step by step."""

    POST = ['tree', 'create', 'write', 'read', 'qinfo', 'setinfo', 'flush',
            'close', 'opendir', 'qdir', 'ioctl', 'closedir', 'echo',
            'compound', 'tdis', 'logoff']
    PRE = ['negotiate', 'sess1', 'sess2']

    def __init__(self, args, rnd, dialect=None, sign=None, src=None):
        self.a = args
        self.r = rnd
        self.c = Conn(args.host, args.port, src=src)
        self.c.dialect_offer = dialect or rnd.choice(args.dialects)
        self.c.spnego = rnd.random() < 0.5
        # sign every request after login (3.1.1 TREE_CONNECTs always)
        self.c.sign = sign if sign is not None else rnd.random() < 0.2
        self.fuzzing = True
        self.fname = 'fz%d_%d.bin' % (os.getpid(), rnd.randrange(1 << 30))
        # small files: 100,000 PDUs leave tens of thousands in the share
        self.data = os.urandom(rnd.choice([1, 100, 4096]))

    # Each builder returns (cmd, body, charge, flags) or None if not possible.
    def build(self, step):
        c = self.c
        if step == 'negotiate':
            d = c.dialect_offer
            ds = [d] if d != 0x0311 else [0x0202, 0x0210, 0x0300, 0x0302,
                                           0x0311]
            # kept for FSCTL_VALIDATE_NEGOTIATE_INFO
            c.neg = (0x7F, os.urandom(16), 2 if c.sign else 1, ds)
            return NEGOTIATE, negotiate_body(ds, secmode=c.neg[2],
                                             caps=c.neg[0], guid=c.neg[1])
        if step == 'sess1':
            t1 = ntlm.getNTLMSSPType1('', '', signingRequired=c.sign,
                                      use_ntlmv2=True)
            c.type1 = t1
            blob = t1.getData()
            if c.spnego:
                init = spnego.SPNEGO_NegTokenInit()
                init['MechTypes'] = [spnego.TypesMech[
                    'NTLMSSP - Microsoft NTLM Security Support Provider']]
                init['MechToken'] = blob
                blob = init.getData()
            return SESSION_SETUP, session_setup_body(
                blob, secmode=2 if c.sign else 1)
        if step == 'sess2':
            if not c.type2:
                return None
            try:
                t3, key = ntlm.getNTLMSSPType3(c.type1, c.type2, self.a.user,
                                               self.a.password, '',
                                               use_ntlmv2=True)
            except Exception:
                # the challenge came from a mutated exchange
                return None
            c.pending_key = key
            blob = t3.getData()
            if c.spnego:
                resp = spnego.SPNEGO_NegTokenResp()
                resp['ResponseToken'] = blob
                blob = resp.getData()
            return SESSION_SETUP, session_setup_body(
                blob, secmode=2 if c.sign else 1)
        if step == 'tree':
            return TREE_CONNECT, tree_connect_body(
                '\\\\%s\\%s' % (self.a.host, self.a.share))
        if step == 'create':
            ctxs = b''
            if self.r.random() < 0.3:
                ctxs = create_ctx('MxAc', b'')
            return CREATE, create_body(self.fname, ctxs=ctxs)
        fid = c.fid or FID_NONE
        if step == 'write':
            return WRITE, write_body(fid, self.data)
        if step == 'read':
            return READ, read_body(fid, len(self.data))
        if step == 'qinfo':
            return QUERY_INFO, query_info_body(
                fid, cls=self.r.choice([4, 5, 18, 34, 35] if self.fuzzing
                                       else [5, 18]))
        if step == 'setinfo':
            return SET_INFO, set_info_body(
                fid, buf=struct.pack('<Q', len(self.data) + 10))
        if step == 'flush':
            return FLUSH, flush_body(fid)
        if step == 'close':
            return CLOSE, close_body(fid, flags=1)
        if step == 'opendir':
            return CREATE, create_body('', disposition=1, options=1,
                                       access=0x00100081, attrs=0)
        if step == 'qdir':
            return QUERY_DIRECTORY, query_dir_body(c.dfid or FID_NONE)
        if step == 'ioctl':
            neg = getattr(c, 'neg', None)
            # 3.1.1 has no VALIDATE_NEGOTIATE: the server hangs up on it
            if c.dialect == 0x0311 and not self.fuzzing:
                neg = None
            if neg and (self.r.random() < 0.5 or not c.fid):
                # what the NEGOTIATE said, or the server hangs up
                caps, guid, mode, ds = neg
                vn = struct.pack('<I16sHH', caps, guid, mode, len(ds)) + \
                    b''.join(struct.pack('<H', x) for x in ds)
                return IOCTL, ioctl_body(FID_NONE,
                                         FSCTL_VALIDATE_NEGOTIATE_INFO, vn, 24)
            return IOCTL, ioctl_body(fid if c.fid else FID_NONE, self.r.choice(
                [FSCTL_SRV_REQUEST_RESUME_KEY, FSCTL_GET_REPARSE_POINT,
                 FSCTL_QUERY_NETWORK_INTERFACE_INFO]))
        if step == 'closedir':
            return CLOSE, close_body(c.dfid or FID_NONE)
        if step == 'echo':
            return ECHO, simple_body()
        # named pipe on IPC$ (fuzz only): kernel pipe.c and fsmbd's RPC
        if step in ('pipewrite', 'piperead', 'pipetrans'):
            if not getattr(c, 'pfid', None):
                return None
            if step == 'pipewrite':
                return WRITE, write_body(c.pfid, dcerpc_bind())
            if step == 'piperead':
                return READ, read_body(c.pfid, 4280)
            stub = os.urandom(self.r.randrange(0, 64))
            return IOCTL, ioctl_body(c.pfid, FSCTL_PIPE_TRANSCEIVE,
                                     dcerpc_request(self.r.choice(
                                         [15, 16, 21, 0, 0xFFFF]), stub),
                                     4280)
        if step == 'tdis':
            return TREE_DISCONNECT, simple_body()
        if step == 'logoff':
            return LOGOFF, simple_body()
        return None

    def message(self, step, **kw):
        """One whole SMB2 message for @step (or None)."""
        if step == 'compound':
            return self.compound()
        b = self.build(step)
        if not b:
            return None
        cmd, body = b
        if step.startswith('pipe') and 'tid' not in kw:
            kw['tid'] = self.c.ipc_tid
        return self.c.msg(cmd, body, **kw)

    def open_pipe(self):
        """IPC$ and srvsvc, bound: c.ipc_tid, c.pfid (or not)."""
        c = self.c
        m = c.signed(c.msg(TREE_CONNECT, tree_connect_body(
            '\\\\%s\\IPC$' % self.a.host), tid=0))
        c.send_msg(m)
        ST.valid += 1
        rsp = c.recv_msg()
        h = parse_hdr(rsp)
        if not h or h['status']:
            return
        c.ipc_tid = h['tid']
        m = c.signed(c.msg(CREATE, create_body(
            'srvsvc', disposition=1, options=0, access=0x0012019F,
            attrs=0), tid=c.ipc_tid))
        c.send_msg(m)
        ST.valid += 1
        rsp = c.recv_msg()
        h = parse_hdr(rsp)
        if h and h['status'] == 0 and len(rsp) >= 64 + 80:
            c.pfid = rsp[64 + 64:64 + 80]
            ST.pipes += 1
            for st in ('pipewrite', 'piperead'):
                m = c.signed(self.message(st))
                c.send_msg(m)
                ST.valid += 1
                c.recv_msg()

    def compound(self, bad_next=None):
        """CREATE + QUERY_INFO + CLOSE, related; optionally one bad link."""
        c = self.c
        parts = [
            # A name of its own: a mutated CREATE elsewhere may have made
            # a directory or a read-only file of a shared one.
            (CREATE, create_body('%s%d_%d.txt' % (
                'cp' if self.fuzzing else 'bl', os.getpid(),
                self.r.randrange(1 << 30)),
                disposition=self.r.choice([3, 5]))),
            (QUERY_INFO, query_info_body(FID_NONE, cls=5)),
            (CLOSE, close_body(FID_NONE)),
        ]
        if self.r.random() < 0.3:
            parts.insert(1, (WRITE, write_body(FID_NONE, b'x' * 100)))
        msgs = []
        for i, (cmd, body) in enumerate(parts):
            m = bytearray(c.hdr(cmd, flags=FLAG_RELATED if i else 0) + body)
            msgs.append(m)
        out = bytearray()
        for i, m in enumerate(msgs):
            if i != len(msgs) - 1:
                m += b'\0' * ((-len(m)) % 8)
                struct.pack_into('<I', m, 20, len(m))
            out += m
        return bytes(out)

    def absorb(self, step, rsp):
        """Learn ids from a response to a valid request."""
        c = self.c
        for h in chain_headers(rsp):
            st, off = h['status'], h['off']
            if step == 'negotiate' and st == 0 and len(rsp) >= off + 70:
                c.dialect = struct.unpack_from('<H', rsp, off + 68)[0]
            elif step == 'sess1' and st == STATUS_MORE_PROCESSING_REQUIRED:
                c.sid = h['sid']
                ST.sids.append(c.sid)
                boff, blen = struct.unpack_from('<HH', rsp, off + 68)
                blob = rsp[boff + off:boff + off + blen]
                if c.spnego:
                    try:
                        blob = spnego.SPNEGO_NegTokenResp(blob)[
                            'ResponseToken']
                    except Exception:
                        blob = b''
                c.type2 = blob
            elif step == 'sess2' and st == 0:
                c.authed = True
                c.set_key(getattr(c, 'pending_key', None))
                # 3.x signs the last SESSION_SETUP response: the proof
                # that both sides derived the same key
                c.final_sig_ok = c.signature_ok(rsp[off:])
            elif step == 'tree' and st == 0:
                c.tid = h['tid']
            elif step in ('create', 'opendir') and st == 0 and \
                    len(rsp) >= off + 64 + 80:
                fid = rsp[off + 64 + 64:off + 64 + 80]
                ST.fids.append(fid)
                if step == 'create':
                    c.fid = fid
                else:
                    c.dfid = fid
            elif step == 'close' and st == 0:
                c.fid = None
            elif step == 'closedir' and st == 0:
                c.dfid = None
            elif step == 'tdis' and st == 0:
                c.tid = 0
            elif step == 'logoff' and st == 0:
                c.sid = 0
                c.authed = False

    def valid(self, step, timeout=None):
        """Send @step unmutated; returns the response's first status."""
        m = self.message(step)
        if m is None:
            return None
        if step not in ('negotiate', 'sess1', 'sess2'):
            m = self.c.signed(m)
        self.c.send_msg(m)
        ST.valid += 1
        rsp = self.c.recv_msg(timeout)
        self.absorb(step, rsp)
        h = parse_hdr(rsp)
        return h['status'] if h else None

    def establish(self, upto):
        """Valid steps before @upto (a name in PRE + POST)."""
        order = self.PRE + self.POST
        for s in order[:order.index(upto)]:
            if s in ('compound', 'tdis', 'logoff', 'close', 'closedir'):
                continue
            self.valid(s)

    def probe(self):
        """ECHO after a mutated PDU: True once it is answered."""
        c = self.c
        m = c.signed(c.msg(ECHO, simple_body()))
        mid = struct.unpack_from('<Q', m, 24)[0]
        c.send_msg(m)
        while True:
            try:
                rsp = c.recv_msg()
            except socket.timeout:
                ST.timeouts += 1
                print('INFO: no answer to the ECHO probe within %ss '
                      '(dialect 0x%04x)' % (c.timeout, c.dialect), flush=True)
                raise Closed('timeout')
            for h in chain_headers(rsp):
                if h['mid'] == mid and h['cmd'] == ECHO:
                    return True


# ---- mutations -------------------------------------------------------------
def mutate(rnd, sess, msg, cmd):
    """Return (kind, message) for one mutation of @msg."""
    m = bytearray(msg)
    body = HDR_SIZE
    c = sess.c
    k = rnd.random()
    if k < 0.18:
        for _ in range(rnd.choice([1, 1, 2, 3, 8])):
            pos = rnd.randrange(len(m)) if rnd.random() < 0.5 else \
                rnd.randrange(min(len(m), body + 64))
            m[pos] ^= 1 << rnd.randrange(8)
        return 'bitflip', bytes(m)
    if k < 0.26:
        for _ in range(rnd.randrange(1, 4)):
            m[rnd.randrange(len(m))] = rnd.choice([0, 0xFF, 0x7F, 0x80,
                                                   rnd.randrange(256)])
        return 'byteset', bytes(m)
    if k < 0.36:
        n = rnd.choice([rnd.randrange(1, HDR_SIZE), HDR_SIZE, HDR_SIZE + 1,
                        HDR_SIZE + 2, rnd.randrange(HDR_SIZE, len(m) + 1),
                        len(m) - 1])
        return 'truncate', bytes(m[:max(1, min(n, len(m)))])
    if k < 0.40:
        return 'extend', bytes(m) + rnd.choice(
            [b'\0' * rnd.randrange(1, 300), os.urandom(rnd.randrange(1, 300))])
    if k < 0.62:
        fields = FIELDS.get(cmd, [(0, 'H')])
        off, fmt = rnd.choice(fields)
        end = len(m)
        v = rnd.choice(BOUNDARY + [end, end + 1, end - 1, end - HDR_SIZE,
                                   end - HDR_SIZE + 1, rnd.randrange(1 << 32)])
        put(m, body + off, fmt, v)
        if rnd.random() < 0.3:
            off, fmt = rnd.choice(fields)
            put(m, body + off, fmt, rnd.choice(BOUNDARY + [end, end + 1]))
        return 'field', bytes(m)
    if k < 0.80:
        which = rnd.choice(['cmd', 'charge', 'credits', 'mid', 'sid', 'tid',
                            'flags', 'status', 'structsize', 'next', 'pid'])
        if which == 'cmd':
            put(m, 12, 'H', rnd.choice(list(range(19)) + [19, 0x20, 0xFFFF]))
        elif which == 'charge':
            put(m, 6, 'H', rnd.choice([0, 1, 2, 3, 16, 255, 256, 0x7FFF,
                                       0xFFFF]))
        elif which == 'credits':
            put(m, 14, 'H', rnd.choice([0, 1, 0x1000, 0x7FFF, 0xFFFF]))
        elif which == 'mid':
            cur = struct.unpack_from('<Q', m, 24)[0]
            put(m, 24, 'Q', rnd.choice([0, cur - 1, cur + 1, cur + 100,
                                        cur + 20000, (1 << 64) - 1,
                                        (1 << 63), rnd.randrange(1 << 64)]))
        elif which == 'sid':
            others = ST.sids[-50:] or [1]
            put(m, 40, 'Q', rnd.choice([0, c.sid + 1, c.sid ^ 1,
                                        rnd.choice(others),
                                        (1 << 64) - 1, 0xFFFFFFFF,
                                        rnd.randrange(1 << 64)]))
        elif which == 'tid':
            put(m, 36, 'I', rnd.choice([0, c.tid + 1, 0xFFFFFFFF, 1, 2,
                                        rnd.randrange(1 << 32)]))
        elif which == 'flags':
            f = struct.unpack_from('<I', m, 16)[0]
            put(m, 16, 'I', f ^ rnd.choice([FLAG_RESPONSE, FLAG_ASYNC,
                                            FLAG_RELATED, FLAG_SIGNED,
                                            FLAG_DFS, FLAG_REPLAY,
                                            rnd.randrange(1 << 32)]))
        elif which == 'status':
            put(m, 8, 'I', rnd.choice([1, 0xFFFFFFFF, 0xC0000016]))
        elif which == 'structsize':
            put(m, 4, 'H', rnd.choice([0, 63, 65, 0xFFFF]))
        elif which == 'next':
            put(m, 20, 'I', rnd.choice([0, 1, 8, 63, 64, 65, len(m),
                                        len(m) + 8, 0xFFFFFFF8, 0xFFFFFFFF]))
        else:
            put(m, 32, 'I', rnd.randrange(1 << 32))
        return 'header', bytes(m)
    if k < 0.90 and cmd in FID_AT:
        at = body + FID_AT[cmd]
        v = rnd.choice([b'\0' * 16, FID_NONE, os.urandom(16),
                        rnd.choice(ST.fids[-50:] or [FID_NONE]),
                        m[at:at + 8] + os.urandom(8),
                        os.urandom(8) + m[at + 8:at + 16],
                        b'\xff' * 8 + m[at + 8:at + 16]])
        m[at:at + 16] = v
        return 'fileid', bytes(m)
    # several at once
    for _ in range(rnd.randrange(2, 6)):
        m[rnd.randrange(len(m))] ^= 1 << rnd.randrange(8)
    off, fmt = rnd.choice(FIELDS.get(cmd, [(0, 'H')]))
    put(m, body + off, fmt, rnd.choice(BOUNDARY))
    return 'multi', bytes(m)


def bad_chain(rnd, sess):
    """A compound whose NextCommand links are wrong in one place."""
    m = bytearray(sess.compound())
    heads = []
    off = 0
    while True:
        heads.append(off)
        n = struct.unpack_from('<I', m, off + 20)[0]
        if not n:
            break
        off += n
    at = rnd.choice(heads)
    rest = len(m) - at
    v = rnd.choice([rnd.randrange(1, 64), rnd.randrange(1, 64),
                    64 + rnd.randrange(1, 8), 72 + 3, rest, rest + 8,
                    rest - 4, rest + 1, len(m) * 2, 0x10000, 0x7FFFFFF8,
                    0x80000000, 0xFFFFFFF8, 0xFFFFFFC0, 0xFFFFFFFF,
                    (-at) & 0xFFFFFFFF, 8])
    struct.pack_into('<I', m, at + 20, v)
    if rnd.random() < 0.3:
        # related flag on the first, or not on a later one
        f = struct.unpack_from('<I', m, 16)[0]
        struct.pack_into('<I', m, 16, f | FLAG_RELATED)
    return bytes(m)


def framing(rnd, msg, authed):
    """Raw bytes with a wrong NetBIOS/Direct-TCP frame around @msg."""
    n = len(msg)
    k = rnd.randrange(9)
    if k == 0:   # declares more than is sent
        decl = min(0xFFFFFF, n + rnd.choice([1, 100, 0xFFFF, 1 << 20]))
        return struct.pack('>I', decl) + msg
    if k == 1:   # the maximum, 16 MiB - 1
        return struct.pack('>I', 0xFFFFFF) + msg[:rnd.randrange(1, n + 1)]
    if k == 2:   # "16 MiB": does not fit 24 bits
        return struct.pack('>I', 0x1000000) + msg
    if k == 3:   # declares less: the rest is parsed as the next header
        return struct.pack('>I', rnd.randrange(1, n)) + msg
    if k == 4:   # zero length
        return struct.pack('>I', 0) + msg
    if k == 5:   # keepalive with a length
        return struct.pack('>I', 0x85000000 | n) + msg
    if k == 6:   # NetBIOS session request / other types
        return struct.pack('>I', (rnd.choice([0x81, 0x82, 0x83, 0xFF, 0x01])
                                  << 24) | n) + msg
    if k == 7:   # just above the pre-auth / post-auth caps
        decl = (MAX_PDU if authed else PREAUTH_PDU) + 1
        return struct.pack('>I', decl) + msg
    # the 4-byte header cut short
    return struct.pack('>I', n)[:rnd.randrange(1, 4)]


def garbage(rnd):
    """Pre-auth junk: (kind, raw bytes)."""
    k = rnd.randrange(8)
    if k == 0:
        return 'garbage-raw', os.urandom(rnd.randrange(1, 512))
    if k == 1:
        d = os.urandom(rnd.randrange(1, 2048))
        return 'garbage-framed', struct.pack('>I', len(d)) + d
    if k == 2:
        d = b'\xfeSMB' + os.urandom(rnd.randrange(0, 200))
        return 'garbage-smb2', struct.pack('>I', len(d)) + d
    if k == 3:
        d = rnd.choice([b'\xfdSMB', b'\xfcSMB']) + \
            os.urandom(rnd.randrange(0, 200))
        return 'garbage-transform', struct.pack('>I', len(d)) + d
    if k == 4:
        d = b'\xffSMB' + bytes([rnd.randrange(256)]) + \
            os.urandom(rnd.randrange(0, 100))
        return 'smb1', struct.pack('>I', len(d)) + d
    # SMB1 NEGOTIATE, mutated
    d = bytearray(smb1_negotiate(rnd.choice([
        (b'NT LM 0.12', b'SMB 2.002', b'SMB 2.???'), (b'SMB 2.???',),
        (b'SMB 2.002',), (b'NT LM 0.12',), (b'',), (b'SMB 2.???' * 40,)])))
    if rnd.random() < 0.7:
        for _ in range(rnd.randrange(1, 4)):
            pos = rnd.randrange(len(d))
            d[pos] = rnd.choice([0, 0xFF, rnd.randrange(256)])
    if rnd.random() < 0.3:
        d = d[:rnd.randrange(1, len(d))]
    return 'smb1-negotiate', struct.pack('>I', len(d)) + bytes(d)


# ---- the fuzz run ----------------------------------------------------------
def baseline(args, rnd, dialect=None, sign=None, label='baseline'):
    """A whole valid session; True when every step did what it should."""
    try:
        s = Session(args, rnd, dialect=dialect, sign=sign)
    except OSError as e:
        print('FAIL: %s: connect: %s' % (label, e), flush=True)
        return False
    s.fuzzing = False
    s.data = os.urandom(rnd.choice([4096, 65536]))
    expect_ok = ['negotiate', 'sess2', 'tree', 'create', 'write', 'read',
                 'qinfo', 'setinfo', 'flush', 'close', 'opendir', 'qdir',
                 'closedir', 'echo', 'compound', 'tdis', 'logoff']
    bad = []
    try:
        for step in Session.PRE + Session.POST:
            st = s.valid(step)
            if step == 'sess1':
                ok = st == STATUS_MORE_PROCESSING_REQUIRED
            elif step == 'ioctl':
                ok = st is not None
            else:
                ok = st == 0 or step not in expect_ok
            if not ok:
                bad.append('%s=0x%08x' % (step, st if st is not None else 0))
            if step == 'sess2' and st == 0 and \
                    (s.c.dialect >= 0x0300 or s.c.sign) and \
                    not getattr(s.c, 'final_sig_ok', False):
                bad.append('sess2: bad signature on the response')
    except (Closed, socket.timeout, OSError) as e:
        bad.append('connection: %s' % e)
    finally:
        s.c.close()
    ST.baselines += 1
    if bad:
        ST.baseline_failures += 1
        print('FAIL: %s session (dialect 0x%04x%s): %s' % (
            label, s.c.dialect_offer, ', signed' if s.c.sign else '',
            ' '.join(bad)), flush=True)
        return False
    return True


def fuzz_one(args, rnd):
    """One connection: a valid prefix, then mutated PDUs until it drops."""
    r = rnd.random()
    # many source addresses: max ip connections is tested on its own
    src = '127.0.1.%d' % rnd.randrange(1, 255) if args.host == '127.0.0.1' \
        else None
    if r < 0.06:
        # pre-auth garbage on a fresh connection
        c = Conn(args.host, args.port, src=src)
        kind, raw = garbage(rnd)
        try:
            c.send_raw(raw)
            ST.count(kind)
            # EOF: whatever the server makes of the bytes, it must close
            c.s.shutdown(socket.SHUT_WR)
            if not c.wait_closed(args.io_timeout):
                ST.timeouts += 1
                print('INFO: server kept a connection open %ss after %s '
                      'and EOF' % (args.io_timeout, kind), flush=True)
        except (Closed, OSError):
            pass
        c.close()
        return
    pre = r < 0.35
    try:
        s = Session(args, rnd, src=src)
    except OSError as e:
        print('INFO: connect: %s' % e, flush=True)
        time.sleep(0.2)
        return
    c = s.c
    try:
        if pre:
            target = rnd.choice(Session.PRE)
            s.establish(target)
            steps = [target]
        else:
            s.establish('write')
            if not c.authed or not c.tid:
                ST.drops += 1
                return
            if rnd.random() < 0.5:
                s.valid('opendir')
            choices = Session.POST + ['sess1']
            if rnd.random() < 0.25:
                s.open_pipe()
                if c.pfid:
                    choices = choices + ['pipewrite', 'piperead',
                                         'pipetrans'] * 3
            steps = [rnd.choice(choices)
                     for _ in range(rnd.randrange(1, args.burst + 1))]
        for i, step in enumerate(steps):
            if rnd.random() < 0.06:
                m = s.message(step if step != 'compound' else 'echo')
                if m is None:
                    continue
                raw = framing(rnd, c.signed(m), c.authed)
                c.send_raw(raw)
                ST.count('framing')
                c.s.shutdown(socket.SHUT_WR)
                if not c.wait_closed(args.io_timeout):
                    ST.timeouts += 1
                    print('INFO: server kept a framing-broken connection '
                          'open %ss after EOF' % args.io_timeout, flush=True)
                return
            if step == 'compound' or rnd.random() < 0.05:
                if c.authed and rnd.random() < 0.7:
                    m = bad_chain(rnd, s)
                    kind = 'chain'
                else:
                    m = s.message('compound') if c.authed else \
                        s.message(step)
                    if m is None:
                        continue
                    kind, m = mutate(rnd, s, m, CREATE)
                    kind = 'chain-' + kind
            else:
                b = s.build(step)
                if b is None:
                    continue
                cmd, body = b
                kw = {'tid': c.ipc_tid} if step.startswith('pipe') else {}
                m = c.msg(cmd, body, **kw)
                if c.must_sign(cmd) and c.authed and rnd.random() < 0.2:
                    # mutate after signing: the signature check
                    kind, m = mutate(rnd, s, c.signed(m), cmd)
                    kind = 'signed-' + kind
                else:
                    kind, m = mutate(rnd, s, m, cmd)
                    m = c.signed(m)
            c.send_msg(m)
            ST.count(('pre-' if not c.authed else 'post-') + kind)
            s.probe()
            # sometimes replay the rest of the valid session on top
            if pre and rnd.random() < 0.5:
                for st in Session.PRE[Session.PRE.index(step) + 1:] + \
                        Session.POST[:4]:
                    s.valid(st)
    except (Closed, socket.timeout, ConnectionError):
        ST.drops += 1
    except OSError as e:
        ST.drops += 1
        if e.errno != 107:      # shutdown() of a socket already reset
            print('INFO: %s' % e, flush=True)
    finally:
        c.close()


def half_open(args, rnd, n):
    """@n connections that stall mid-handshake, from several addresses."""
    held = []
    for i in range(n):
        src = '127.0.%d.%d' % (200 + i // 200, 1 + i % 200)
        try:
            c = Conn(args.host, args.port, src=src)
        except OSError as e:
            print('INFO: half-open %d: %s' % (i, e), flush=True)
            continue
        k = i % 4
        try:
            if k == 1:
                c.send_raw(b'\x00\x00')
            elif k == 2:
                c.send_raw(struct.pack('>I', 4000) + b'\xfeSMB')
            elif k == 3:
                c.send_raw(struct.pack('>I', len(smb1_negotiate())) +
                           smb1_negotiate()[:20])
        except Closed:
            pass
        ST.count('half-open')
        held.append(c)
    return held


def cmd_fuzz(args):
    seed = args.seed if args.seed is not None else \
        int.from_bytes(os.urandom(4), 'little')
    rnd = random.Random(seed)
    print('INFO: fuzz: seed %d, target %d malformed PDUs' % (seed, args.pdus),
          flush=True)
    t0 = time.time()
    ok = True
    for d, sgn in [(args.dialects[-1], False), (0x0210, True),
                   (args.dialects[-1], True)]:
        if d not in args.dialects:
            continue
        if not baseline(args, rnd, dialect=d, sign=sgn,
                        label='initial baseline'):
            return 1
    held = half_open(args, rnd, args.half_open)
    next_base = args.baseline_every
    next_report = 1000
    while ST.malformed < args.pdus:
        fuzz_one(args, rnd)
        if ST.malformed >= next_base:
            next_base += args.baseline_every
            if not baseline(args, rnd):
                ok = False
                # one more try: a failure right after a drop storm
                time.sleep(1)
                if not baseline(args, rnd, label='retried baseline'):
                    break
        if ST.malformed >= next_report:
            next_report += 1000
            print('INFO: %d malformed PDUs, %d connections, %.0fs' % (
                ST.malformed, ST.conns, time.time() - t0), flush=True)
        if args.max_seconds and time.time() - t0 > args.max_seconds:
            print('INFO: stopping at the time limit (%ss)' %
                  args.max_seconds, flush=True)
            break
    for c in held:
        c.close()
    for d, sgn in [(0x0202, False), (0x0210, True), (0x0300, False),
                   (0x0300, True), (0x0302, True), (0x0311, False),
                   (0x0311, True)]:
        if d not in args.dialects:
            continue
        if not baseline(args, rnd, dialect=d, sign=sgn,
                        label='final baseline'):
            ok = False
    dt = time.time() - t0
    print('INFO: malformed PDUs by kind: %s' % json.dumps(
        dict(sorted(ST.by_kind.items()))), flush=True)
    print('INFO: fuzz: %d malformed PDUs and %d valid ones over %d '
          'connections in %.1fs (%d dropped by the server, %d pipes '
          'opened, %d baseline sessions, %d failed, %d timeouts), '
          'seed %d' % (
              ST.malformed, ST.valid, ST.conns, dt, ST.drops, ST.pipes,
              ST.baselines, ST.baseline_failures, ST.timeouts, seed),
          flush=True)
    if ST.malformed < args.pdus:
        print('FAIL: only %d of %d malformed PDUs sent' % (
            ST.malformed, args.pdus), flush=True)
        ok = False
    if ST.timeouts > args.max_timeouts:
        print('FAIL: %d times the server neither answered nor closed' %
              ST.timeouts, flush=True)
        ok = False
    print('%s: %d malformed PDUs, server still serves valid sessions' % (
        'PASS' if ok else 'FAIL', ST.malformed), flush=True)
    return 0 if ok else 1


# ---- limits ---------------------------------------------------------------
def meminfo():
    out = {}
    with open('/proc/meminfo') as f:
        for line in f:
            k, v = line.split(':', 1)
            out[k] = int(v.split()[0])
    return out


def meminfo_median(n=5):
    """/proc/meminfo, each field the median of @n samples."""
    samples = []
    for _ in range(n):
        samples.append(meminfo())
        time.sleep(0.2)
    return {k: sorted(m[k] for m in samples)[n // 2] for k in samples[0]}


def status(args):
    r = subprocess.run([args.fsmbctl, '-j', 'status'], capture_output=True,
                       text=True, timeout=30)
    return json.loads(r.stdout)


def negotiated(c):
    """Send a NEGOTIATE; True if answered."""
    c.dialect = 0
    c.send_msg(c.msg(NEGOTIATE, negotiate_body([0x0210])))
    rsp = c.recv_msg(15)
    h = parse_hdr(rsp)
    return h is not None and h['status'] == 0


def cmd_perip(args):
    rnd = random.Random(1)
    held, ok = [], True
    for i in range(args.n):
        try:
            c = Conn(args.host, args.port, src=args.src, timeout=15)
            if not negotiated(c):
                raise Closed('no NEGOTIATE response')
            held.append(c)
        except (Closed, OSError, socket.timeout) as e:
            print('FAIL: connection %d of %d from %s refused: %s' % (
                i + 1, args.n, args.src, e), flush=True)
            ok = False
            break
    if ok:
        print('PASS: %d connections from %s served' % (args.n, args.src),
              flush=True)
    refused = False
    try:
        c = Conn(args.host, args.port, src=args.src, timeout=15)
        try:
            refused = not negotiated(c)
        except (Closed, socket.timeout, OSError):
            refused = True
        c.close()
    except OSError:
        refused = True
    print('%s: connection %d from %s %s' % (
        'PASS' if refused else 'FAIL', args.n + 1, args.src,
        'refused' if refused else 'served'), flush=True)
    ok &= refused
    other = '127.0.0.1' if args.src != '127.0.0.1' else '127.0.0.2'
    if args.no_other:
        pass
    elif baseline(args, rnd, dialect=0x0311, sign=False,
                label='from %s meanwhile' % other):
        print('PASS: a session from %s works meanwhile' % other, flush=True)
    else:
        ok = False
    for c in held:
        c.close()
    return 0 if ok else 1


def authed_session(args, rnd, dialect=0x0210, src=None):
    """A logged-in connection with a file open (c.fid)."""
    s = Session(args, rnd, dialect=dialect, sign=False, src=src)
    s.establish('write')
    if not s.c.authed or not s.c.tid or not s.c.fid:
        raise Closed('could not log in and open a file')
    return s


def cmd_bigdecl(args):
    """Unauthenticated: headers declaring the largest message allowed, then
    64 bytes."""
    rnd = random.Random(2)
    held = []
    try:
        for i in range(args.n):
            # one connection per address: max ip connections stays out of it
            src = '127.0.%d.%d' % (100 + i // 200, 1 + i % 200)
            c = Conn(args.host, args.port, src=src)
            negotiated(c)
            held.append(c)
        time.sleep(2)
        before = meminfo_median()
        for c in held:
            c.send_raw(struct.pack('>I', PREAUTH_PDU) + b'\xfeSMB' + b'\0' * 60)
            ST.count('big-declaration')
        time.sleep(3)
        after = meminfo_median()
    except (Closed, OSError, socket.timeout) as e:
        print('FAIL: bigdecl: %s' % e, flush=True)
        return 1
    grew = {k: after[k] - before[k] for k in ('VmallocUsed', 'Slab')}
    used = before['MemFree'] - after['MemFree']
    declared = args.n * PREAUTH_PDU // 1024
    # Buffers allocated for the declared lengths would cost all of it. The
    # first allocation is 16 KiB, a quarter of it: the margin is for
    # MemFree's noise.
    limit = declared * 3 // 4
    ok = used < limit
    print('%s: %d unauthenticated connections declared %d KiB in all and '
          'sent 64 bytes each: MemFree %+d KiB (limit -%d KiB), vmalloc '
          '%+d KiB, slab %+d KiB' % (
              'PASS' if ok else 'FAIL', args.n,
              declared, -used, limit, grew['VmallocUsed'], grew['Slab']),
          flush=True)
    for c in held:
        c.close()
    return 0 if ok else 1


def cmd_slowreader(args):
    rnd = random.Random(3)
    ok = True
    s = authed_session(args, rnd)
    c = s.c
    big = os.urandom(60000)
    for i in range(16):
        c.send_msg(c.msg(WRITE, write_body(c.fid, big, i * len(big))))
        c.recv_msg()
    c.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # Ask for far more than the socket buffers hold, and read nothing.
    sent = 0
    c.s.settimeout(5)
    try:
        for i in range(400):
            c.send_msg(c.msg(READ, read_body(c.fid, 60000, 0)))
            sent += 1
    except (socket.timeout, Closed):
        pass
    print('INFO: slow reader sent %d READs of 60000 bytes, reads nothing' %
          sent, flush=True)
    time.sleep(2)
    t0 = time.time()
    good = baseline(args, rnd, dialect=0x0311, sign=False,
                    label='while a client does not read')
    dt = time.time() - t0
    good2 = baseline(args, rnd, dialect=0x0210, sign=False,
                     label='while a client does not read (2)')
    print('%s: another client is served while one does not read (%.1fs)' %
          ('PASS' if good and good2 else 'FAIL', dt), flush=True)
    ok &= good and good2
    t0 = time.time()
    dropped = False
    while time.time() - t0 < args.wait:
        if status(args).get('connections', 1) == 0:
            dropped = True
            break
        time.sleep(1)
    print('%s: the client that does not read %s (%.0fs)' % (
        'PASS' if dropped else 'FAIL',
        'was dropped' if dropped else 'is still connected',
        time.time() - t0), flush=True)
    ok &= dropped
    c.close()
    return 0 if ok else 1


def cmd_preauth(args):
    rnd = random.Random(4)
    ok = True
    s = Session(args, rnd, dialect=0x0210, sign=False)
    c = s.c
    s.valid('negotiate')
    st1 = s.valid('sess1')
    sid1 = c.sid
    c.sid = 0
    st2 = s.valid('sess1')
    good = st1 == STATUS_MORE_PROCESSING_REQUIRED and \
        st2 == STATUS_REQUEST_NOT_ACCEPTED
    print('%s: a second session setup before authentication is refused '
          '(0x%08x, then 0x%08x)' % ('PASS' if good else 'FAIL', st1, st2),
          flush=True)
    ok &= good
    # the first conversation still completes
    c.sid = sid1
    st3 = s.valid('sess2')
    good = st3 == 0
    print('%s: the first one still completes (0x%08x)' % (
        'PASS' if good else 'FAIL', st3), flush=True)
    ok &= good
    c.close()
    return 0 if ok else 1


def cmd_stalled(args):
    """With the daemon stopped (SIGSTOP), @n connections, one per address,
    each send a SESSION_SETUP at once. Every one must be answered with
    STATUS_NO_LOGON_SERVERS, none later than the upcall timeout (plus a
    margin), and at most UPCALL_MAX_PENDING of them may wait for it: the
    rest fail at once instead of queueing. Meanwhile a session that logged
    in before is served: the waiting upcalls do not hold every worker."""
    rnd = random.Random(8)
    user = authed_session(args, rnd)
    os.kill(args.daemon_pid, signal.SIGSTOP)
    try:
        return stalled(args, rnd, user)
    finally:
        os.kill(args.daemon_pid, signal.SIGCONT)
        user.c.close()


def stalled(args, rnd, user):
    sess, accepted = [], []
    for i in range(args.n):
        accepted.append(time.time())
        s = Session(args, rnd, dialect=0x0210, sign=False,
                    src='127.0.%d.%d' % (150 + i // 200, 1 + i % 200))
        if s.valid('negotiate') != 0:
            print('FAIL: stalled: connection %d not negotiated' % i,
                  flush=True)
            return 1
        sess.append(s)
    sent = []
    for s in sess:
        s.c.send_msg(s.message('sess1'))
        sent.append(time.time())
    time.sleep(1)
    t = time.time()
    st = user.valid('echo', timeout=UPCALL_TIMEOUT)
    echo = time.time() - t
    # when each answer arrives, whatever order they come in
    sel = selectors.DefaultSelector()
    for i, s in enumerate(sess):
        sel.register(s.c.s, selectors.EVENT_READ, i)
    arrived = {}
    end = time.time() + UPCALL_TIMEOUT * 3
    while len(arrived) < len(sess) and time.time() < end:
        for key, _ in sel.select(max(0.1, end - time.time())):
            arrived[key.data] = time.time()
            sel.unregister(key.fileobj)
    sel.close()
    waited, late, wrong, expired = 0, 0, [], 0
    for i, (s, t) in enumerate(zip(sess, sent)):
        if i not in arrived:
            wrong.append('no answer')
            continue
        try:
            h = parse_hdr(s.c.recv_msg(5))
        except (Closed, OSError, socket.timeout) as e:
            # a login still waiting at the auth timeout ends the connection
            if arrived[i] - accepted[i] >= args.auth_timeout - 1:
                expired += 1
            else:
                wrong.append(repr(e))
            continue
        took = arrived[i] - t
        if h is None or h['status'] != STATUS_NO_LOGON_SERVERS:
            wrong.append('0x%08x' % h['status'] if h else 'no header')
        if took >= UPCALL_TIMEOUT / 2:
            waited += 1
        if took > UPCALL_TIMEOUT * 2:
            late += 1
    for s in sess:
        s.c.close()
    ok = True
    good = st == 0 and echo < UPCALL_TIMEOUT / 2
    print('%s: an ECHO of a logged-in session meanwhile: 0x%08x in %.1fs' % (
        'PASS' if good else 'FAIL', st if st is not None else 0xFFFFFFFF,
        echo), flush=True)
    ok &= good
    good = not wrong
    print('%s: %d SESSION_SETUPs with the daemon stopped all answered '
          'STATUS_NO_LOGON_SERVERS (%d connections dropped at the auth '
          'timeout instead)%s' % (
              'PASS' if good else 'FAIL', args.n, expired,
              '' if good else ' (not: %s)' % ', '.join(wrong[:5])),
          flush=True)
    ok &= good
    good = not late
    print('%s: none answered later than %d s (%d were)' % (
        'PASS' if good else 'FAIL', UPCALL_TIMEOUT * 2, late), flush=True)
    ok &= good
    good = 0 < waited <= UPCALL_MAX_PENDING
    print('%s: %d waited for the daemon (at most %d may), the rest failed '
          'at once' % ('PASS' if good else 'FAIL', waited,
                       UPCALL_MAX_PENDING), flush=True)
    ok &= good
    return 0 if ok else 1


def cmd_tconsign(args):
    """[MS-SMB2] 3.3.5.7: in 3.1.1 an unsigned TREE_CONNECT of a user's
    session ends the connection, a signed one is served; 3.0 needs no
    signature."""
    rnd = random.Random(7)
    ok = True
    tree = tree_connect_body('\\\\%s\\%s' % (args.host, args.share))

    def login(dialect):
        s = Session(args, rnd, dialect=dialect, sign=False)
        s.establish('tree')
        if not s.c.authed or s.c.dialect != dialect:
            raise Closed('no session in dialect 0x%04x' % dialect)
        return s

    # unsigned in 3.1.1: no answer, the connection closed
    s = login(0x0311)
    c = s.c
    c.send_msg(c.msg(TREE_CONNECT, tree))
    try:
        rsp = c.recv_msg(15)
        h = parse_hdr(rsp)
        what = 'answered (0x%08x)' % (h['status'] if h else 0)
    except Closed:
        what = 'closed'
    except socket.timeout:
        what = 'neither answered nor closed in 15s'
    good = what == 'closed'
    print('%s: 3.1.1: an unsigned TREE_CONNECT after login: %s' % (
        'PASS' if good else 'FAIL', what), flush=True)
    ok &= good
    c.close()

    # a bad signature: refused, the connection kept
    s = login(0x0311)
    c = s.c
    m = bytearray(c.signed(c.msg(TREE_CONNECT, tree)))
    m[48] ^= 1
    c.send_msg(bytes(m))
    h = parse_hdr(c.recv_msg(15))
    st = h['status'] if h else None
    good = st == STATUS_ACCESS_DENIED and s.valid('echo') == 0
    print('%s: 3.1.1: a TREE_CONNECT with a bad signature is refused '
          '(0x%08x), the connection kept' % ('PASS' if good else 'FAIL',
                                            st or 0), flush=True)
    ok &= good

    # signed in 3.1.1 (the session does not sign otherwise): served, and
    # what follows may be unsigned
    st = s.valid('tree')
    sig = parse_hdr(c.last_sent)['flags'] & FLAG_SIGNED
    st2 = s.valid('echo') if st == 0 else None
    good = st == 0 and c.tid and sig and st2 == 0
    print('%s: 3.1.1: a signed TREE_CONNECT is served (0x%08x, tree id %d), '
          'an unsigned ECHO after it too' % ('PASS' if good else 'FAIL',
                                             st or 0, c.tid), flush=True)
    ok &= good
    c.close()

    # 3.0: the session gets its tree unsigned
    s = login(0x0300)
    c = s.c
    m = c.msg(TREE_CONNECT, tree)
    c.send_msg(m)
    h = parse_hdr(c.recv_msg(15))
    st = h['status'] if h else None
    good = st == 0 and not parse_hdr(m)['flags'] & FLAG_SIGNED
    print('%s: 3.0: an unsigned TREE_CONNECT is served (0x%08x)' % (
        'PASS' if good else 'FAIL', st or 0), flush=True)
    ok &= good
    c.close()
    return 0 if ok else 1


def cmd_halfopen(args):
    rnd = random.Random(5)
    t0 = time.time()
    held = half_open(args, rnd, args.n)
    left = list(held)
    times = []
    while left and time.time() - t0 < args.wait:
        for c in list(left):
            if c.wait_closed(0.05):
                times.append(time.time() - t0)
                left.remove(c)
    ok = not left and times and min(times) >= args.min_wait
    print('%s: %d of %d half-open connections dropped by the server, '
          'after %.1f to %.1fs (auth timeout %ss)' % (
              'PASS' if ok else 'FAIL', len(held) - len(left), len(held),
              min(times) if times else 0, max(times) if times else 0,
              args.min_wait), flush=True)
    for c in held:
        c.close()
    return 0 if ok else 1


def cmd_idle(args):
    rnd = random.Random(6)
    a = authed_session(args, rnd)       # keeps a file open
    b = authed_session(args, rnd)
    b.valid('close')                    # no open file
    t0 = time.time()
    closed = b.c.wait_closed(args.wait)
    dt = time.time() - t0
    ok1 = closed and dt >= args.min_wait - 1
    print('%s: an authenticated connection with no open file %s (%.1fs, '
          'idle timeout %ss)' % ('PASS' if ok1 else 'FAIL',
                                 'dropped' if closed else 'kept', dt,
                                 args.min_wait), flush=True)
    try:
        st = a.valid('echo')
        ok2 = st == 0
    except (Closed, socket.timeout, OSError):
        ok2 = False
    print('%s: one with a file open is kept' % ('PASS' if ok2 else 'FAIL'),
          flush=True)
    a.c.close()
    return 0 if ok1 and ok2 else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=445)
    p.add_argument('--user', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--share', default='share')
    p.add_argument('--fsmbctl', default='fsmbctl')
    p.add_argument('--dialects', default='202,210,300,302,311',
                   help='dialects to use (hex, comma-separated)')
    sub = p.add_subparsers(dest='cmd', required=True)
    f = sub.add_parser('fuzz')
    f.add_argument('--pdus', type=int, default=3000)
    f.add_argument('--seed', type=int)
    f.add_argument('--burst', type=int, default=30)
    f.add_argument('--half-open', type=int, default=100)
    f.add_argument('--baseline-every', type=int, default=500)
    f.add_argument('--io-timeout', type=float, default=20)
    f.add_argument('--max-timeouts', type=int, default=0)
    f.add_argument('--max-seconds', type=float, default=0)
    q = sub.add_parser('perip')
    q.add_argument('--n', type=int, required=True)
    q.add_argument('--src', default='127.0.0.5')
    q.add_argument('--no-other', action='store_true',
                   help='do not check that another address is served')
    q = sub.add_parser('bigdecl')
    q.add_argument('--n', type=int, default=32)
    q = sub.add_parser('slowreader')
    q.add_argument('--wait', type=float, default=120)
    sub.add_parser('preauth')
    q = sub.add_parser('stalled')
    q.add_argument('--n', type=int, default=300)
    q.add_argument('--daemon-pid', type=int, required=True)
    q.add_argument('--auth-timeout', type=float, required=True)
    sub.add_parser('tconsign')
    q = sub.add_parser('halfopen')
    q.add_argument('--n', type=int, default=50)
    q.add_argument('--wait', type=float, default=60)
    q.add_argument('--min-wait', type=float, default=0)
    q = sub.add_parser('idle')
    q.add_argument('--wait', type=float, default=60)
    q.add_argument('--min-wait', type=float, default=0)
    args = p.parse_args()
    args.dialects = [int(d, 16) for d in args.dialects.split(',')]
    fn = {'fuzz': cmd_fuzz, 'perip': cmd_perip, 'bigdecl': cmd_bigdecl,
          'slowreader': cmd_slowreader, 'preauth': cmd_preauth,
          'stalled': cmd_stalled,
          'halfopen': cmd_halfopen, 'idle': cmd_idle,
          'tconsign': cmd_tconsign}[args.cmd]
    try:
        return fn(args)
    except (Closed, OSError, socket.timeout) as e:
        print('FAIL: %s: %s' % (args.cmd, e), flush=True)
        return 1


if __name__ == '__main__':
    sys.exit(main())
