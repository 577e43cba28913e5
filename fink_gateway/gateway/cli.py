"""The ``fink-gateway`` command: serve, ingest, follow, demo, tables, schema."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click
from rich.console import Console
from rich.table import Table

from fink_gateway import __version__
from fink_gateway.errors import GatewayError
from fink_gateway.gateway.config import ConfigError, load_settings
from fink_gateway.gateway.logs import log_handler
from fink_gateway.gateway.progress import alert_progress
from fink_gateway.ingest.pipeline import IngestReport, ingest_files, ingest_tables
from fink_gateway.layout import rubin, tables
from fink_gateway.settings import Settings
from fink_gateway.store.factory import open_store, parse_store_url
from fink_gateway.store.interface import Store

T = TypeVar("T")
console = Console(stderr=True)


def _settings(ctx: click.Context) -> Settings:
    return cast(Settings, ctx.obj["settings"])  # click types ctx.obj as Any; main() sets it


def _store_url(ctx: click.Context, store: str | None) -> str:
    return store or _settings(ctx).store_url


def _prefix(ctx: click.Context, url: str) -> str:
    try:
        return parse_store_url(url).prefix or _settings(ctx).table_prefix
    except GatewayError as exc:
        raise click.ClickException(str(exc)) from None


def _run(ctx: click.Context, url: str, work: Callable[[Store, str], Awaitable[T]]) -> T:
    """Open the store, run ``work(store, prefix)``, close; GatewayErrors become exit 1."""
    prefix = _prefix(ctx, url)

    async def main() -> T:
        store = open_store(url)
        try:
            return await work(store, prefix)
        finally:
            await store.close()

    try:
        return asyncio.run(main())
    except GatewayError as exc:
        raise click.ClickException(f"{exc.code}: {exc}") from None


store_option = click.option(
    "--store",
    envvar="FINK_GATEWAY_STORE",
    help="Store URL: a file path (embedded) or hbase://HOST:PORT[?prefix=ztf]. "
    "Default: `store` in config.yml.",
)
cutouts_option = click.option(
    "--cutouts/--no-cutouts",
    default=None,
    help="Store the alerts' FITS stamps (default: ingest.with_cutouts in config.yml).",
)


@click.group(invoke_without_command=True)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="FINK_GATEWAY_CONFIG",
    help="Settings file (default: ./config.yml when present, else built-in defaults).",
)
@click.version_option(__version__, prog_name="fink-gateway")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """GraphQL gateway to Fink's HBase tables of ZTF alerts."""
    try:
        settings = load_settings(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    # No-op when logging is already set up (an embedding process, pytest).
    handler = log_handler(settings.log_format)
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
    ctx.obj = {"settings": settings, "config_path": config_path}
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


def _summary(report: IngestReport, title: str) -> None:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows put", justify="right")
    for name, count in sorted(report.counts.rows.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(
        f"{report.counts.alerts:,} alerts in {report.seconds:.1f} s "
        f"({report.alerts_per_second:,.0f} alerts/s)"
        + (f"; {report.counts.cut:,} failed Fink's quality cuts" if report.counts.cut else "")
    )


async def _fill_demo(
    store: Store,
    prefix: str,
    alerts: int,
    lsst_alerts: int,
    seed: int,
    *,
    with_cutouts: bool,
    lsst_prefix: str,
) -> IngestReport:
    """ZTF demo alerts into the tables of ``prefix``, then Rubin LSST ones into those of
    ``lsst_prefix``, through the ingest of in-memory tables (one data version)."""
    from fink_gateway.demo import generate_alerts
    from fink_gateway.demo.lsst import generate_lsst_alerts

    batches = itertools.chain(
        generate_alerts(alerts, seed=seed, with_cutouts=with_cutouts),
        generate_lsst_alerts(lsst_alerts, seed=seed),
    )
    with alert_progress(console, "demo alerts", alerts + lsst_alerts) as progress:
        return await ingest_tables(
            store,
            prefix,
            batches,
            source=f"demo(alerts={alerts}, lsst_alerts={lsst_alerts}, seed={seed})",
            with_cutouts=with_cutouts,
            progress=progress,
            lsst_prefix=lsst_prefix,
        )


async def _holds_alerts(store: Store, prefix: str, lsst_prefix: str) -> bool:
    """Whether the store holds alerts of either survey: rows in ZTF's main table or in
    Rubin's ``cutouts`` (every LSST alert, Solar System ones included, has a row there)."""
    present = set(await store.list_tables())
    for name in (tables.MAIN.name(prefix), rubin.CUTOUTS.name(lsst_prefix)):
        if name in present and await store.count_rows(name) > 0:
            return True
    return False


@main.command()
@store_option
@click.option("--host", envvar="FINK_GATEWAY_SERVER_HOST", help="Address to listen on.")
@click.option("--port", type=int, envvar="FINK_GATEWAY_SERVER_PORT", help="TCP port.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    envvar="FINK_GATEWAY_SERVER_WORKERS",
    help="Gateway processes sharing the port (default: server.workers in config.yml).",
)
@click.pass_context
def serve(
    ctx: click.Context, store: str | None, host: str | None, port: int | None, workers: int | None
) -> None:
    """Serve GraphQL at /graphql (an empty embedded store is first filled with demo alerts)."""
    from fink_gateway.gateway.app import build_app
    from fink_gateway.gateway.workers import worker_app_factory

    settings = _settings(ctx)
    url = _store_url(ctx, store)
    server = settings.server
    demo_alerts = server.demo_alerts + server.demo_lsst_alerts
    if parse_store_url(url).kind == "embedded" and demo_alerts > 0:

        async def fill_if_empty(s: Store, prefix: str) -> None:
            if await _holds_alerts(s, prefix, settings.lsst_table_prefix):
                return
            console.print(
                f"Empty store {url}: generating {server.demo_alerts:,} ZTF and "
                f"{server.demo_lsst_alerts:,} Rubin LSST demo alerts."
            )
            report = await _fill_demo(
                s, prefix, server.demo_alerts, server.demo_lsst_alerts, server.demo_seed,
                with_cutouts=settings.ingest.with_cutouts,
                lsst_prefix=settings.lsst_table_prefix,
            )  # fmt: skip
            _summary(report, "demo data")

        _run(ctx, url, fill_if_empty)
    processes = workers or server.workers
    app: Any
    if processes > 1:
        app = worker_app_factory(url, _prefix(ctx, url), ctx.obj["config_path"])
        if settings.cache.backend != "redis":
            console.print(
                f"{processes} workers, each with its own result cache and rate limit: set "
                "cache.backend: redis to share them."
            )
    else:
        try:
            app = build_app(settings, open_store(url), _prefix(ctx, url))
        except GatewayError as exc:
            raise click.ClickException(f"{exc.code}: {exc}") from None
    _serve_app(app, settings, host, port, processes)


def _serve_app(
    app: Any, settings: Settings, host: str | None, port: int | None, processes: int = 1
) -> None:
    """Run ``app`` under uvicorn (an app factory when ``processes`` > 1) until a signal."""
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    server = settings.server
    console.print(f"GraphQL at http://{host or server.host}:{port or server.port}/graphql")
    uvicorn.run(
        app,
        factory=processes > 1,
        workers=processes,
        host=host or server.host,
        port=port or server.port,
        log_level=settings.log_level,
        # at shutdown a request has its own time limit to finish, then is cancelled
        timeout_graceful_shutdown=math.ceil(settings.limits.timeout_seconds) + 1,
        # JSON: uvicorn's loggers go through the root handler set up above.
        log_config=None if settings.log_format == "json" else LOGGING_CONFIG,
    )


def _tags(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    for tag in value:
        try:
            rubin.tag_table(tag)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@cutouts_option
@click.option(
    "--lsst-tag",
    "lsst_tags",
    multiple=True,
    callback=_tags,
    help="The LSST alerts of these files passed this Fink filter (a file of its stream): "
    "also write them to rubin.tag_<TAG>. Repeatable.",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    store: str | None,
    cutouts: bool | None,
    lsst_tags: tuple[str, ...],
) -> None:
    """Ingest Fink parquet files (ZTF or Rubin LSST), raw ZTF avro packets, SSO light-curve
    files, or folders; LSST alerts go to the tables of `lsst_table_prefix`."""
    url = _store_url(ctx, store)
    with_cutouts = _settings(ctx).ingest.with_cutouts if cutouts is None else cutouts
    lsst_prefix = _settings(ctx).lsst_table_prefix

    async def work(s: Store, prefix: str) -> IngestReport:
        with alert_progress(console, "ingest", None) as progress:
            return await ingest_files(
                s, prefix, paths, with_cutouts=with_cutouts, progress=progress,
                lsst_prefix=lsst_prefix, lsst_tags=lsst_tags,
            )  # fmt: skip

    report = _run(ctx, url, work)
    _summary(report, f"ingested into {url}")
    if report.failures:
        for failure in report.failures:
            console.print(f"[red]failed[/red] {failure}")
        raise click.ClickException(
            f"{len(report.failures)} of {len(report.failures) + len(report.files)} files failed"
        )


@main.command()
@click.option("--alerts", type=click.IntRange(min=0), required=True, help="How many ZTF alerts.")
@click.option(
    "--lsst-alerts",
    type=click.IntRange(min=0),
    help="How many Rubin LSST alerts, into the tables of `lsst_table_prefix` "
    "(default: server.demo_lsst_alerts in config.yml).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@store_option
@cutouts_option
@click.pass_context
def demo(
    ctx: click.Context,
    alerts: int,
    lsst_alerts: int | None,
    seed: int,
    store: str | None,
    cutouts: bool | None,
) -> None:
    """Generate deterministic, realistic ZTF and Rubin LSST alerts and ingest them."""
    url = _store_url(ctx, store)
    settings = _settings(ctx)
    with_cutouts = settings.ingest.with_cutouts if cutouts is None else cutouts
    lsst = settings.server.demo_lsst_alerts if lsst_alerts is None else lsst_alerts

    async def work(s: Store, prefix: str) -> IngestReport:
        return await _fill_demo(
            s, prefix, alerts, lsst, seed,
            with_cutouts=with_cutouts, lsst_prefix=settings.lsst_table_prefix,
        )  # fmt: skip

    _summary(_run(ctx, url, work), f"demo alerts into {url}")


@main.command()
@click.option(
    "--servers", required=True, envvar="FINK_GATEWAY_FOLLOW_SERVERS",
    help="Kafka bootstrap servers, host:port[,host:port…].",
)
@click.option(
    "--topic", "topics", multiple=True, required=True,
    help="A topic to follow (repeatable), e.g. fink_early_sn_candidates_ztf.",
)
@click.option(
    "--group-id", required=True, envvar="FINK_GATEWAY_FOLLOW_GROUP_ID",
    help="Kafka consumer group: its committed offsets are where a restart resumes.",
)
@click.option(
    "--username", envvar="FINK_GATEWAY_FOLLOW_USERNAME",
    help="SASL username (SCRAM-SHA-512 over sasl_plaintext, as fink-client).",
)
@click.option(
    "--password", envvar="FINK_GATEWAY_FOLLOW_PASSWORD",
    help="SASL password (use the environment variable rather than the command line).",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
    envvar="FINK_GATEWAY_FOLLOW_BATCH_SIZE", help="Messages per batch at most.",
)
@click.option(
    "--batch-seconds", type=click.FloatRange(min=0.01), default=5.0, show_default=True,
    envvar="FINK_GATEWAY_FOLLOW_BATCH_SECONDS",
    help="Seconds a batch waits for more messages after its first.",
)
@click.option(
    "--start", type=click.Choice(["earliest", "latest"]), default="earliest",
    show_default=True, envvar="FINK_GATEWAY_FOLLOW_START",
    help="Where a new group starts in each partition (a known group resumes where it was).",
)
@click.option(
    "--schema", "schema_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="FINK_GATEWAY_FOLLOW_SCHEMA",
    help="Avro schema (.avsc) for streams whose message keys are not the schema itself.",
)
@click.option(
    "--metrics-port", type=click.IntRange(min=0, max=65535),
    envvar="FINK_GATEWAY_FOLLOW_METRICS_PORT",
    help="Serve the follower's Prometheus metrics (lag, alerts, retries) on this port.",
)
@click.option(
    "--max-backoff", "max_backoff_seconds", type=click.FloatRange(min=0.1), default=30.0,
    show_default=True, envvar="FINK_GATEWAY_FOLLOW_MAX_BACKOFF",
    help="Longest wait, in seconds, between two retries while Kafka or the store fails.",
)
@click.option(
    "--stop-when-idle", "idle_seconds", type=click.FloatRange(min=0.1),
    help="Exit once caught up and no message came for this many seconds (backfills, tests).",
)
@click.option(
    "--serve", "serving", is_flag=True,
    help="Also serve the gateway from this process: its subscriptions hear each stored "
    "batch without Redis, and /metrics carries the follower's counters.",
)
@click.option("--host", envvar="FINK_GATEWAY_SERVER_HOST", help="With --serve: address.")
@click.option("--port", type=int, envvar="FINK_GATEWAY_SERVER_PORT", help="With --serve: port.")
@store_option
@cutouts_option
@click.pass_context
def follow(
    ctx: click.Context, servers: str, topics: tuple[str, ...], group_id: str,
    username: str | None, password: str | None, batch_size: int, batch_seconds: float,
    start: str, schema_path: Path | None, metrics_port: int | None,
    max_backoff_seconds: float, idle_seconds: float | None, serving: bool, host: str | None,
    port: int | None, store: str | None, cutouts: bool | None,
) -> None:  # fmt: skip
    """Follow Fink's Kafka stream (Livestream topics) into the store, batch by batch; stops
    on SIGINT/SIGTERM after storing and committing the batch in hand. With `cache.backend:
    redis`, each stored batch is announced to the gateways' subscriptions through Redis;
    with --serve, this process is also the gateway (one process, no Redis needed)."""
    from fink_gateway.ingest.follow.options import FollowOptions
    from fink_gateway.ingest.follow.run import follow_until_stopped
    from fink_gateway.live.bus import RedisBus, alert_channel

    url = _store_url(ctx, store)
    with_cutouts = _settings(ctx).ingest.with_cutouts if cutouts is None else cutouts
    options = FollowOptions(
        servers=servers, topics=topics, group_id=group_id, username=username,
        password=password, batch_size=batch_size, batch_seconds=batch_seconds, start=start,
        schema_path=schema_path, max_backoff_seconds=max_backoff_seconds,
        stop_when_idle_seconds=idle_seconds,
    )  # fmt: skip
    settings = _settings(ctx)
    lsst_prefix = settings.lsst_table_prefix
    cache = settings.cache
    if serving:
        from fink_gateway.gateway.app import build_app

        if metrics_port is not None or idle_seconds is not None:
            raise click.UsageError("--serve: the metrics are on the gateway's /metrics, and "
                                   "the process runs until stopped (no --metrics-port, "
                                   "--stop-when-idle)")  # fmt: skip
        ingest = dataclasses.replace(settings.ingest, with_cutouts=with_cutouts)
        settings = dataclasses.replace(settings, ingest=ingest)
        try:
            app = build_app(settings, open_store(url), _prefix(ctx, url), follow=options)
        except GatewayError as exc:
            raise click.ClickException(f"{exc.code}: {exc}") from None
        _serve_app(app, settings, host, port)
        return
    if cache.backend != "redis":
        console.print(
            "cache.backend is not redis: gateways in other processes are not told of the "
            "alerts stored (their subscriptions stay quiet); use --serve, or Redis."
        )

    async def work(s: Store, prefix: str) -> None:
        # subscribers of other processes hear of new alerts through the cache's Redis
        bus = RedisBus(cache.redis_url, alert_channel(prefix)) if cache.backend == "redis" else None
        await follow_until_stopped(
            s, prefix, options, with_cutouts=with_cutouts, lsst_prefix=lsst_prefix,
            metrics_port=metrics_port, bus=bus,
        )  # fmt: skip

    _run(ctx, url, work)


@main.command(name="tables")
@store_option
@click.pass_context
def tables_command(ctx: click.Context, store: str | None) -> None:
    """List the tables with their row counts."""
    url = _store_url(ctx, store)

    async def work(s: Store, prefix: str) -> list[tuple[str, int]]:
        return [(name, await s.count_rows(name)) for name in await s.list_tables()]

    rows: list[Any] = _run(ctx, url, work)
    table = Table(title=url)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in rows:
        table.add_row(name, f"{count:,}")
    Console().print(table)


@main.command()
def schema() -> None:
    """Print the GraphQL schema (SDL)."""
    from fink_gateway.schema.build import build_schema

    click.echo(str(build_schema()))
