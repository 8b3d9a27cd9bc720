#!/usr/bin/python3
"""connect_many: make COUNT TCP connects to HOST, ports FIRST..LAST in turn.

Prints how many were refused (each refusal = one reset from the server).
Every connect has a 2 s timeout, so the run is bounded.
"""
import socket
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: connect_many.py HOST FIRST LAST COUNT")
    host, first, last, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    refused = other = 0
    for i in range(count):
        port = first + i % (last - first + 1)
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.connect((host, port))
            other += 1
        except ConnectionRefusedError:
            refused += 1
        except OSError:
            other += 1
        finally:
            s.close()
    print(refused, other)


main()
