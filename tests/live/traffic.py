# SPDX-License-Identifier: MIT
"""Known traffic for the live-capture tests, run inside a test namespace with
`ip netns exec NS python traffic.py COMMAND ...`. Servers print "ready" once listening and
exit after the expected exchange; clients exit non-zero if an answer does not come.

    udp-server PORT N              echo N datagrams back to their sender
    udp-client HOST PORT SIZE...   send one datagram per SIZE (payload bytes), await each echo
    tcp-server PORT UP DOWN        accept one connection, read UP bytes, send DOWN bytes
    tcp-client HOST PORT UP DOWN   connect, send UP bytes, read DOWN bytes until the close
"""

import socket
import sys
import time

TIMEOUT_S = 10


def payload(size: int, tag: bytes) -> bytes:
    return (tag * (size // len(tag) + 1))[:size]


def udp_server(port: int, count: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", port))
        s.settimeout(TIMEOUT_S)
        print("ready", flush=True)
        for _ in range(count):
            data, peer = s.recvfrom(65535)
            s.sendto(data, peer)


def udp_client(host: str, port: int, sizes: list[int]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(TIMEOUT_S)
        for size in sizes:
            s.sendto(payload(size, b"pcapframe-udp|"), (host, port))
            data, _ = s.recvfrom(65535)
            if len(data) != size:
                sys.exit(f"udp echo of {size} bytes came back as {len(data)}")
            time.sleep(0.05)


def tcp_server(port: int, up: int, down: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(1)
        s.settimeout(TIMEOUT_S)
        print("ready", flush=True)
        conn, _ = s.accept()
        with conn:
            conn.settimeout(TIMEOUT_S)
            got = 0
            while got < up:
                chunk = conn.recv(65536)
                if not chunk:
                    sys.exit(f"tcp server: connection closed after {got} of {up} bytes")
                got += len(chunk)
            conn.sendall(payload(down, b"pcapframe-tcp-down|"))
            conn.shutdown(socket.SHUT_WR)
            conn.recv(1)  # the client's close


def tcp_client(host: str, port: int, up: int, down: int) -> None:
    with socket.create_connection((host, port), timeout=TIMEOUT_S) as s:
        s.sendall(payload(up, b"pcapframe-tcp-up|"))
        got = 0
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += len(chunk)
        if got != down:
            sys.exit(f"tcp client: got {got} bytes, expected {down}")


def main(argv: list[str]) -> None:
    command, args = argv[0], argv[1:]
    if command == "udp-server":
        udp_server(int(args[0]), int(args[1]))
    elif command == "udp-client":
        udp_client(args[0], int(args[1]), [int(a) for a in args[2:]])
    elif command == "tcp-server":
        tcp_server(int(args[0]), int(args[1]), int(args[2]))
    elif command == "tcp-client":
        tcp_client(args[0], int(args[1]), int(args[2]), int(args[3]))
    else:
        sys.exit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
