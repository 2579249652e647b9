"""A TCP forwarder in front of an S3 server that dies the moment a client sends a chosen request.

    python tests/support/cutoff_proxy.py LISTEN_PORT TARGET_PORT PATTERN {request|response}

forwards 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT and prints `listening`. When the bytes a
client sends contain PATTERN (say `PUT /lake/articles/_delta_log/`) it exits: at once, before
forwarding them (`request`: the server never sees the request), or once the server starts to
answer it (`response`: the server did what was asked, the client never hears so). From the
client's side the endpoint stopped in the middle of what it was doing, while the server behind it
keeps what it stored, as S3 does when the way to it goes down.
"""

import os
import socket
import sys
import threading


def forward(source: socket.socket, target: socket.socket, pattern: bytes, when: str, seen: threading.Event) -> None:
    """Client to server: stop at the pattern, or mark it seen (`response`) and go on."""
    tail = b""  # the end of the last chunk: the pattern may straddle two reads
    while chunk := _receive(source):
        if pattern in tail + chunk:
            if when == "request":
                _stop()
            seen.set()
        tail = chunk[-len(pattern) :]
        _send(target, chunk)
    _close(source, target)


def answer(source: socket.socket, target: socket.socket, seen: threading.Event) -> None:
    """Server to client: stop at the first answer after the pattern was forwarded."""
    while chunk := _receive(source):
        if seen.is_set():
            _stop()
        _send(target, chunk)
    _close(source, target)


def _receive(end: socket.socket) -> bytes:
    try:
        return end.recv(65536)
    except OSError:
        return b""


def _send(end: socket.socket, chunk: bytes) -> None:
    try:
        end.sendall(chunk)
    except OSError:
        pass


def _close(*ends: socket.socket) -> None:
    for end in ends:
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _stop() -> None:
    print("stopped", flush=True)
    os._exit(0)


def main() -> None:
    listen_port, target_port, pattern, when = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
    listener = socket.create_server(("127.0.0.1", listen_port))
    print("listening", flush=True)
    while True:
        client, _ = listener.accept()
        server = socket.create_connection(("127.0.0.1", target_port))
        seen = threading.Event()
        threading.Thread(target=forward, args=(client, server, pattern, when, seen), daemon=True).start()
        threading.Thread(target=answer, args=(server, client, seen), daemon=True).start()


if __name__ == "__main__":
    main()
