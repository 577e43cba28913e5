"""Shared helpers of the fault tests: free loopback ports and bounded waits."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout_s: float, what: str, step: float = 0.2) -> None:
    """Call ``check`` until it returns True; fail after ``timeout_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not ready yet
            pass
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
