"""The gateway's settings as typed values (loading them from YAML and the environment is
``gateway/config.py``). Every layer may read them; they import nothing of the gateway."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    demo_alerts: int = 20000
    demo_lsst_alerts: int = 2000
    demo_seed: int = 0


@dataclass(frozen=True)
class IngestSettings:
    with_cutouts: bool = True


@dataclass(frozen=True)
class CacheSettings:
    backend: str = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    ttl_seconds: int = 300
    max_entries: int = 20000


@dataclass(frozen=True)
class LimitSettings:
    max_object_ids: int = 1000
    first_default: int = 100
    first_max: int = 1000
    cone_radius_max_arcsec: float = 18000.0
    max_fits_per_request: int = 50
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 15000
    max_cost: int = 100000
    timeout_seconds: float = 10.0
    subscriptions_per_connection: int = 10
    subscriptions_per_ip: int = 50


@dataclass(frozen=True)
class HttpSettings:
    max_body_bytes: int = 2097152
    rate_limit_per_second: float = 0.0
    rate_limit_burst: int = 100
    rate_limit_backend: str = "cache"
    persisted_queries_bytes: int = 16777216


@dataclass(frozen=True)
class EphemerisSettings:
    miriade_url: str = ""
    miriade_timeout_seconds: float = 30.0


@dataclass(frozen=True)
class SkymapSettings:
    folder: str = ""
    max_bytes: int = 67108864


@dataclass(frozen=True)
class CorsSettings:
    allow_origins: str = "*"
    allow_methods: str = "GET, POST"
    allow_headers: str = "content-type, x-request-id"
    allow_credentials: bool = False
    max_age: int = 600

    @staticmethod
    def split(text: str) -> list[str]:
        """``"GET, POST"`` → ``["GET", "POST"]`` (the list settings are comma separated)."""
        return [part.strip() for part in text.split(",") if part.strip()]


@dataclass(frozen=True)
class LiveSettings:
    """Where ``/metrics`` reads the followers' consumer lag; off without servers or groups."""

    kafka_servers: str = ""
    follow_groups: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    lag_timeout_seconds: float = 2.0
    lag_cache_seconds: float = 5.0

    @property
    def group_ids(self) -> list[str]:
        """``follow_groups`` as a list (comma separated, like the other list settings)."""
        return CorsSettings.split(self.follow_groups)

    @property
    def lag_enabled(self) -> bool:
        return bool(self.kafka_servers.strip() and self.group_ids)


@dataclass(frozen=True)
class Settings:
    store: str = ""
    table_prefix: str = "ztf"
    lsst_table_prefix: str = "rubin"
    server: ServerSettings = field(default_factory=ServerSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    http: HttpSettings = field(default_factory=HttpSettings)
    skymap: SkymapSettings = field(default_factory=SkymapSettings)
    ephemerides: EphemerisSettings = field(default_factory=EphemerisSettings)
    cors: CorsSettings = field(default_factory=CorsSettings)
    live: LiveSettings = field(default_factory=LiveSettings)
    telemetry: bool = False
    introspection: bool = True
    tracing: bool = False
    log_level: str = "info"
    log_format: str = "text"

    @property
    def store_url(self) -> str:
        """The configured store, or the embedded file in the user data folder."""
        if self.store:
            return self.store
        return str(Path(platformdirs.user_data_dir("fink-gateway")) / "fink.db")
