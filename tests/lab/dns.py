#!/usr/bin/env python3
"""A tiny authoritative DNS server for the network tests: `dns.py ADDR NAME=IP...`.

Answers A queries for the names given (any case) and NXDOMAIN for the rest, on UDP port 53
of ADDR (inside a network namespace the test created: nothing goes to the host's resolver).
Prints "ready" once bound.
"""
import socket
import struct
import sys


def qname(msg, off):
    labels = []
    while msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += n + 1
    return ".".join(labels).lower(), off + 1


def main():
    addr = sys.argv[1]
    table = dict(a.split("=", 1) for a in sys.argv[2:])
    table = {k.lower().rstrip("."): v for k, v in table.items()}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    print("ready", flush=True)
    while True:
        msg, peer = s.recvfrom(4096)
        if len(msg) < 12:
            continue
        tid, _flags, qd = struct.unpack("!HHH", msg[:6])
        name, end = qname(msg, 12)
        qtype, _qclass = struct.unpack("!HH", msg[end:end + 4])
        question = msg[12:end + 4]
        ip = table.get(name)
        if ip and qtype == 1:
            answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(ip)
            hdr = struct.pack("!HHHHHH", tid, 0x8580, 1, 1, 0, 0)
        elif ip:
            answer = b""
            hdr = struct.pack("!HHHHHH", tid, 0x8580, 1, 0, 0, 0)
        else:
            answer = b""
            hdr = struct.pack("!HHHHHH", tid, 0x8583, 1, 0, 0, 0)
        s.sendto(hdr + question + answer, peer)


if __name__ == "__main__":
    main()
