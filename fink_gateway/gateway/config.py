"""Settings: built-in defaults ← a YAML file ← ``FINK_GATEWAY_*`` environment variables.

The defaults here and the documented ``config.yml`` at the repository root hold the same
values (a test checks it). The file is ``--config PATH``, else ``$FINK_GATEWAY_CONFIG``, else
``./config.yml`` when present.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import yaml

from fink_gateway.settings import Settings

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")

ENV_PREFIX = "FINK_GATEWAY_"


class ConfigError(ValueError):
    """A setting has a value of the wrong type, or the file is not valid YAML."""


_KIND_NAMES = {
    bool: "a boolean (true/false, 1/0, yes/no, on/off)",
    int: "an integer",
    float: "a number",
    str: "a string",
}


def _coerce(value: Any, default: Any, name: str) -> Any:
    kind = type(default)
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(value)
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return kind(value)
    except (TypeError, ValueError):
        what = _KIND_NAMES.get(kind, kind.__name__)
        raise ConfigError(f"setting {name}: {value!r} is not {what}") from None


_CHOICES: dict[str, tuple[str, ...]] = {
    "log_format": ("text", "json"),
    "http.rate_limit_backend": ("cache", "memory", "redis"),
}
"""Settings that take one of a few words."""


def _build(cls: type[D], data: Mapping[str, Any], env: Mapping[str, str], path: str) -> D:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        name = f"{path}{f.name}"
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            raise TypeError(f"setting {name} has neither a default nor a default_factory")
        if dataclasses.is_dataclass(default):
            section = data.get(f.name) or {}
            if not isinstance(section, Mapping):
                raise ConfigError(f"setting {name}: expected a section")
            # a section's default is a dataclass instance (is_dataclass also accepts classes)
            section_class = cast("type[DataclassInstance]", type(default))
            values[f.name] = _build(section_class, section, env, f"{name}.")
            continue
        value = data.get(f.name, default)
        env_name = ENV_PREFIX + name.replace(".", "_").upper()
        if env_name in env:
            value = env[env_name]
        values[f.name] = _coerce(value, default, name)
        choices = _CHOICES.get(name)
        if choices and values[f.name] not in choices:
            raise ConfigError(f"setting {name}: {value!r} is not one of {', '.join(choices)}")
    unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(path + u for u in sorted(unknown))}")
    return cls(**values)


def load_settings(
    path: str | Path | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Read settings; ``path`` None looks at ``$FINK_GATEWAY_CONFIG`` then ``./config.yml``."""
    env = os.environ if env is None else env
    if path is None:
        local = "config.yml" if Path("config.yml").is_file() else None
        path = env.get(ENV_PREFIX + "CONFIG") or local
    data: Mapping[str, Any] = {}
    if path is not None:
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path} is not valid YAML: {exc}") from None
        if not isinstance(data, Mapping):
            raise ConfigError(f"{path}: expected a mapping of settings")
    return _build(Settings, data, env, "")
