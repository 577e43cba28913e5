"""What ``fink-gateway follow`` is told: servers, topics, group, credentials, batching.

Credentials work as fink-client takes them: a username and password mean SASL/SCRAM-SHA-512
over ``sasl_plaintext`` (Fink's Livestream servers); none, a plaintext connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import libversion

START_POSITIONS = ("earliest", "latest")
RECONNECT_MS = 1000
"""librdkafka's ``reconnect.backoff.ms``. While a consumer group looks for its coordinator,
librdkafka connects every ``reconnect.backoff.ms / 2`` (capped at 1 s), whatever
``reconnect.backoff.max.ms`` says: at its default (100 ms) a stopped broker gets 20 connection
attempts a second, each logged."""


@dataclass(frozen=True)
class FollowOptions:
    """A follower's settings; ``batch_seconds`` in seconds, ``batch_size`` in messages."""

    servers: str
    topics: tuple[str, ...]
    group_id: str
    username: str | None = None
    password: str | None = None
    batch_size: int = 1000
    batch_seconds: float = 5.0
    start: str = "earliest"
    schema_path: Path | None = None
    max_backoff_seconds: float = 30.0
    stop_when_idle_seconds: float | None = None

    def __post_init__(self) -> None:
        assert self.start in START_POSITIONS, f"start must be one of {START_POSITIONS}"
        assert self.batch_size >= 1 and self.batch_seconds > 0, "batches need a size and a time"


def consumer_config(options: FollowOptions) -> dict[str, str | int | bool]:
    """librdkafka settings of the consumer: offsets are committed by the follower only, after
    the store has the batch (``enable.auto.commit`` off). No re-bootstrap when every broker
    is down (librdkafka ≥ 2.10): it re-creates the bootstrap brokers, which resets their
    reconnection backoff and repeats every error; Fink's servers keep their addresses."""
    config: dict[str, str | int | bool] = {
        "bootstrap.servers": options.servers,
        "group.id": options.group_id,
        "auto.offset.reset": options.start,
        "enable.auto.commit": False,
        "enable.partition.eof": False,
        "reconnect.backoff.max.ms": int(options.max_backoff_seconds * 1000),
        "reconnect.backoff.ms": min(RECONNECT_MS, int(options.max_backoff_seconds * 1000)),
        "client.id": "fink-gateway-follow",
        # a crashed follower's partitions go to its successor after 10 s, not 45 s
        "session.timeout.ms": 10_000,
    }
    if libversion()[1] >= 0x020A0000:
        config["metadata.recovery.strategy"] = "none"
    config.update(sasl_config(options.username, options.password))
    return config


def sasl_config(username: str | None, password: str | None) -> dict[str, str]:
    """librdkafka settings of the credentials, for any client of Fink's servers: SCRAM-SHA-512
    over ``sasl_plaintext`` given both a username and a password, else none (plaintext)."""
    if not (username and password):
        return {}
    return {
        "security.protocol": "sasl_plaintext",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": username,
        "sasl.password": password,
    }
