"""Prometheus counters of a follower, on a registry of its own (``follow --metrics-port``).

- ``fink_gateway_follow_messages_total``, ``fink_gateway_follow_alerts_total`` (alerts
  written) and ``fink_gateway_follow_malformed_total`` (messages skipped);
- ``fink_gateway_follow_batches_total`` (batches stored and committed);
- ``fink_gateway_follow_retries_total{target}``: waits after a failure of ``kafka`` (a failed
  commit, or a failed probe of brokers that do not answer) or of ``store``;
- ``fink_gateway_follow_lag_messages{topic, partition}``: messages behind the newest;
- ``fink_gateway_follow_kafka_up``: 1 while the brokers answer, 0 while they do not (probed:
  see :mod:`~fink_gateway.ingest.follow.reachability`).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class FollowMetrics:
    """The follower's metrics on ``registry`` (a new one by default)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = CollectorRegistry() if registry is None else registry
        r = self.registry
        self.messages = Counter(
            "fink_gateway_follow_messages", "Kafka messages consumed.", registry=r
        )
        self.alerts = Counter(
            "fink_gateway_follow_alerts", "Alerts written to the store.", registry=r
        )
        self.malformed = Counter(
            "fink_gateway_follow_malformed", "Messages skipped as not Fink alerts.", registry=r
        )
        self.batches = Counter(
            "fink_gateway_follow_batches", "Batches stored, then committed.", registry=r
        )
        self.retries = Counter(
            "fink_gateway_follow_retries",
            "Waits after a failure, by what failed (kafka, store).",
            ["target"],
            registry=r,
        )
        self.lag = Gauge(
            "fink_gateway_follow_lag_messages",
            "Messages between the committed position and the newest, per partition.",
            ["topic", "partition"],
            registry=r,
        )
        self.kafka_up = Gauge(
            "fink_gateway_follow_kafka_up", "1 while the Kafka brokers answer.", registry=r
        )
