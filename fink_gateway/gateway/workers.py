"""Several gateway processes on one port (``fink-gateway serve --workers N``).

uvicorn starts each worker in a new process and builds its application there, from an
import string; what the command line decided (store, table prefix, settings file) reaches the
workers through the ``FINK_GATEWAY_*`` environment, the same variables a user may set. The
workers share nothing in memory: the store is shared by its server (HBase) or its file
(embedded, read by each process), and the result cache and rate limit only with Redis.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from starlette.applications import Starlette

from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import load_settings
from fink_gateway.gateway.logs import log_handler
from fink_gateway.store.factory import open_store

FACTORY = "fink_gateway.gateway.workers:create_app"
_PREFIX_ENV = "FINK_GATEWAY_TABLE_PREFIX"


def worker_app_factory(store_url: str, prefix: str, config_path: Path | None) -> str:
    """Hand the command line's choices to the workers; the factory's import string."""
    os.environ["FINK_GATEWAY_STORE"] = store_url
    os.environ[_PREFIX_ENV] = prefix
    if config_path is not None:
        os.environ["FINK_GATEWAY_CONFIG"] = str(config_path)
    return FACTORY


def create_app() -> Starlette:
    """One worker's application, from the settings file and the environment."""
    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), handlers=[log_handler(settings.log_format)]
    )
    return build_app(settings, open_store(settings.store_url), settings.table_prefix)
