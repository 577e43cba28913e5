"""A local stand-in for IMCCE Miriade: serves a recorded ``ephemcc`` reply on 127.0.0.1.

It answers the recorded reply only to the request it records (same target, same epochs),
``{}`` (no ``data``) to any other, and keeps every request it received.
"""

from __future__ import annotations

import contextlib
import email.parser
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

DATA = Path(__file__).resolve().parent / "data"
MIRIADE_8467 = DATA / "miriade_8467.json"


@dataclass
class Received:
    """One request: its query parameters and the epochs file (one JD per line)."""

    params: dict[str, str]
    epochs: list[str]


@dataclass
class FakeMiriade:
    url: str
    target: str
    reply: dict[str, Any]
    delay_s: float = 0.0
    status: int = 200
    received: list[Received] = field(default_factory=list)


def _epochs(content_type: str, body: bytes) -> list[str]:
    message = email.parser.BytesParser().parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    for part in message.walk():
        if part.get_param("name", header="content-disposition") == "epochs":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode().split("\n")
    return []


def _handler(fake: FakeMiriade) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            epochs = _epochs(self.headers.get("Content-Type", ""), body)
            fake.received.append(Received(query, epochs))
            time.sleep(fake.delay_s)
            recorded = [f"{row['Date']:.6f}" for row in fake.reply["data"]]
            known = query.get("-name") == fake.target and epochs == recorded
            payload = json.dumps(fake.reply if known else {}).encode()
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the timeout tests do that on purpose)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler


@contextlib.contextmanager
def fake_miriade(
    reply: Path = MIRIADE_8467, target: str = "a:8467", *, delay_s: float = 0.0, status: int = 200
) -> Iterator[FakeMiriade]:
    """Serve ``reply`` for ``target`` on a free local port while the block runs."""
    fake = FakeMiriade("", target, json.loads(reply.read_text()), delay_s, status)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/webservices/miriade/api/ephemcc.php"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/ephemcc.php"
