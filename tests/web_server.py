"""A web server on 127.0.0.1 for tests: it answers from a table of paths and remembers every request.

A path it does not know gets 404. A reply can stall before it answers, or
trickle its body a byte at a time, to outlast a client's timeout; a stalled
reply is released as soon as the test's block ends, so no test waits for it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    content_type: str = "application/octet-stream"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()  # more headers, such as ("Location", "file:///etc/passwd")
    stall: float = 0.0  # seconds before the answer starts
    trickle: float = 0.0  # seconds between the body's bytes
    sized: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class Server:
    url: str
    replies: dict[str, Reply]
    requests: list[str] = field(default_factory=list)  # the paths asked for, in order
    released: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server_state: Server

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        state = self.server_state
        state.requests.append(self.path)
        reply = state.replies.get(self.path, Reply(b"not here", "text/plain", 404))
        if state.released.wait(reply.stall):
            return
        try:
            self._answer(reply)
        except OSError:
            pass  # the client gave up first, as a client with a timeout should

    def _answer(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.sized:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if not reply.trickle:
            self.wfile.write(reply.body)
            return
        for index in range(len(reply.body)):
            if self.server_state.released.wait(reply.trickle):
                return
            self.wfile.write(reply.body[index:index + 1])
            self.wfile.flush()

    def log_message(self, *args: object) -> None:
        """Quiet: tests read ``requests``."""


@contextlib.contextmanager
def serve(replies: dict[str, Reply]) -> Iterator[Server]:
    """The server, on a free port in a thread, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    state = Server(f"http://127.0.0.1:{server.server_address[1]}", replies)
    server.RequestHandlerClass = type("Handler", (_Handler,), {"server_state": state})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.released.set()
        server.shutdown()
        server.server_close()
