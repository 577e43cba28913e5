"""``fink-gateway follow`` as a subprocess, and the offsets its group committed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

from confluent_kafka import Consumer, TopicPartition

ROOT = Path(__file__).resolve().parents[2]


def follow(
    servers: str, url: str, prefix: str, topic: str, group: str, *extra: str,
    output: IO[bytes] | int = subprocess.PIPE,
) -> subprocess.Popen[bytes]:  # fmt: skip
    """``python -m fink_gateway follow`` (this checkout's package) in batches of 10; its log
    (stderr) goes to ``output``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINK_GATEWAY_")}
    env["FINK_GATEWAY_TABLE_PREFIX"] = prefix
    return subprocess.Popen(
        [sys.executable, "-m", "fink_gateway", "follow", "--servers", servers,
         "--topic", topic, "--group-id", group, "--batch-size", "10", "--batch-seconds", "0.2",
         "--store", url, *extra],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=output, env=env,
    )  # fmt: skip


def committed(servers: str, topic: str, group: str) -> int:
    """The offset ``group`` committed in partition 0 of ``topic`` (0: none)."""
    consumer = Consumer({"bootstrap.servers": servers, "group.id": group})
    try:
        (position,) = consumer.committed([TopicPartition(topic, 0)], timeout=10)
        return max(position.offset, 0)
    finally:
        consumer.close()
