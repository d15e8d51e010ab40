#!/usr/bin/env python3
"""slow_client.py - a client that sends a request slowly, as a slowloris would, and reports when
and how the server cut it off: prints "SECONDS STATUS BODY" (STATUS "-" when no answer came).

  slow_client.py PORT head  PATH INTERVAL [N]   the head, one header byte every INTERVAL s
                                                (after N bytes, the head ends: a slow client
                                                that is still within the limit)
  slow_client.py PORT body  PATH INTERVAL N LEN the whole head announcing LEN bytes of body and
                                                N of them, then N more every INTERVAL s
  slow_client.py PORT idle  PATH                one request, then silence: when is it closed?
Extra headers (e.g. Authorization) come from the environment variable SLOW_HEADERS, one
"Name: value" a line. Only 127.0.0.1 is ever contacted. Gives up after 120 s."""
import os
import select
import socket
import sys
import time

GIVE_UP_S = 120


def extra_headers():
    lines = [h.strip() for h in os.environ.get("SLOW_HEADERS", "").splitlines() if h.strip()]
    return "".join(h + "\r\n" for h in lines)


def head(method, path, more=""):
    return (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra_headers()}{more}").encode()


def answer(raw):
    """(status, body on one line) of what the server sent, or ("-", "")."""
    text = raw.decode("utf-8", "replace")
    if not text.startswith("HTTP/1."):
        return "-", ""
    status = text.split(" ", 2)[1]
    body = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
    return status, body.replace("\r", " ").replace("\n", " ").strip()


def run(sock, t0, pieces, interval):
    """Sends each piece INTERVAL s apart until the server closes or answers; returns (seconds
    from t0 to the answer or None, to the close or None, raw answer)."""
    raw = b""
    answered = closed = None
    i = 0
    while time.monotonic() - t0 < GIVE_UP_S:
        if i < len(pieces) and answered is None:
            try:
                sock.sendall(pieces[i])
            except OSError:
                closed = time.monotonic() - t0
                break  # the server closed or reset: what it said is read below
            i += 1
        ready, _, _ = select.select([sock], [], [], interval)
        if ready:
            try:
                chunk = sock.recv(65536)
            except OSError:
                closed = time.monotonic() - t0
                break
            if not chunk:
                closed = time.monotonic() - t0
                break
            if answered is None:
                answered = time.monotonic() - t0
            raw += chunk
    sock.settimeout(1.0)
    try:  # whatever is still buffered
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            raw += chunk
    except OSError:
        pass
    return answered, closed, raw


def main():
    port, mode, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if mode == "head":
        interval = float(sys.argv[4])
        n = int(sys.argv[5]) if len(sys.argv) > 5 else 100000
        pieces = [head("GET", path, "X-Slow: ")] + [b"a"] * n + [b"\r\n\r\n"]
    elif mode == "body":
        interval, n, length = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        first = head("POST", path, f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n")
        body = b" " * length
        pieces = [body[k:k + n] for k in range(0, length, n)]
        pieces[0] = first + pieces[0]  # the head and the first bytes go at once
    elif mode == "idle":
        interval = 0.05
        pieces = [head("GET", path, "\r\n")]
    else:
        sys.exit(f"unknown mode {mode}")
    # Timed from before the connection: the server's clock cannot start earlier, so a cut seen
    # here is never sooner than the server's own timeout, however late this process runs.
    t0 = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    answered, closed, raw = run(sock, t0, pieces, interval)
    sock.close()
    status, body = answer(raw)
    seconds = ["-" if t is None else f"{t:.2f}" for t in (answered, closed)]
    print(f"{seconds[0]} {seconds[1]} {status} {body}")


if __name__ == "__main__":
    main()
