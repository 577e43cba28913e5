"""Tests for fink_gateway.gateway.config: defaults, config.yml, environment, errors."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from fink_gateway.gateway.cli import main
from fink_gateway.gateway.config import ENV_PREFIX, ConfigError, Settings, load_settings

CONFIG_YML = Path(__file__).resolve().parents[2] / "config.yml"


@pytest.fixture(autouse=True)
def no_gateway_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings from the caller's shell (``FINK_GATEWAY_*``) must not leak into the tests."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def setting_paths(cls: type = Settings, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every leaf setting as a key path, e.g. ``("server", "port")``."""
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        if dataclasses.is_dataclass(default):
            yield from setting_paths(type(default), (*prefix, f.name))
        else:
            yield (*prefix, f.name)


def key_lines(node: yaml.MappingNode, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Key path → 0-based line of that key in the YAML document."""
    out = {}
    for key, value in node.value:
        path = (*prefix, key.value)
        out[path] = key.start_mark.line
        if isinstance(value, yaml.MappingNode):
            out |= key_lines(value, path)
    return out


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(text)
    return path


def test_config_yml_holds_the_built_in_defaults() -> None:
    assert load_settings(CONFIG_YML, env={}) == Settings()
    raw: dict[str, Any] = yaml.safe_load(CONFIG_YML.read_text())
    assert raw == dataclasses.asdict(Settings())


def test_config_yml_documents_every_setting_in_place() -> None:
    text = CONFIG_YML.read_text()
    lines = text.splitlines()
    document = yaml.compose(text)
    assert isinstance(document, yaml.MappingNode)
    where = key_lines(document)
    for path in setting_paths():
        name = ".".join(path)
        assert path in where, f"{name} is missing from config.yml"
        line = where[path]
        above = lines[line - 1].strip() if line > 0 else ""
        assert above.startswith("#"), f"{name} in config.yml has no comment line above it"


def test_no_file_gives_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}) == Settings()


def test_settings_store_url_defaults_to_the_user_data_folder() -> None:
    assert Settings().store_url.endswith("fink.db")
    assert Settings(store="hbase://h:9090").store_url == "hbase://h:9090"


def test_file_values_override_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "table_prefix: ztf2\nserver:\n  port: 9100\nlimits:\n  first_max: 50\n")
    settings = load_settings(path, env={})
    assert settings.table_prefix == "ztf2"
    assert settings.server.port == 9100
    assert settings.server.host == Settings().server.host
    assert settings.limits.first_max == 50


def test_environment_overrides_file_and_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "server:\n  port: 9100\ntelemetry: false\n")
    env = {
        "FINK_GATEWAY_SERVER_PORT": "9001",
        "FINK_GATEWAY_TELEMETRY": "1",
        "FINK_GATEWAY_STORE": "hbase://127.0.0.1:9090?prefix=ztf",
    }
    settings = load_settings(path, env=env)
    assert settings.server.port == 9001
    assert settings.telemetry is True
    assert settings.store == "hbase://127.0.0.1:9090?prefix=ztf"
    assert settings.store_url == "hbase://127.0.0.1:9090?prefix=ztf"


def test_environment_is_read_from_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINK_GATEWAY_SERVER_PORT", "9001")
    monkeypatch.setenv("FINK_GATEWAY_CACHE_TTL_SECONDS", "60")
    settings = load_settings(CONFIG_YML)
    assert (settings.server.port, settings.cache.ttl_seconds) == (9001, 60)


def test_consumer_lag_is_off_until_servers_and_groups_are_set() -> None:
    assert not Settings().live.lag_enabled
    env = {"FINK_GATEWAY_LIVE_KAFKA_SERVERS": "kafka:9092"}
    assert not load_settings(CONFIG_YML, env=env).live.lag_enabled  # no group yet
    env |= {"FINK_GATEWAY_LIVE_FOLLOW_GROUPS": "a, b,", "FINK_GATEWAY_LIVE_PASSWORD": "secret"}
    live = load_settings(CONFIG_YML, env=env).live
    assert live.lag_enabled and live.group_ids == ["a", "b"] and live.password == "secret"
    assert "secret" not in repr(live)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_boolean_settings_from_the_environment(value: str, expected: bool) -> None:
    assert load_settings(CONFIG_YML, env={"FINK_GATEWAY_TELEMETRY": value}).telemetry is expected


def test_config_environment_variable_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "log_level: debug\n")
    assert load_settings(env={"FINK_GATEWAY_CONFIG": str(path)}).log_level == "debug"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FINK_GATEWAY_SERVER_PORT": "abc"}, "setting server.port: 'abc' is not an integer"),
        (
            {"FINK_GATEWAY_TELEMETRY": "maybe"},
            "setting telemetry: 'maybe' is not a boolean (true/false, 1/0, yes/no, on/off)",
        ),
        (
            {"FINK_GATEWAY_LIMITS_FIRST_MAX": "2.5"},
            "setting limits.first_max: '2.5' is not an integer",
        ),
    ],
)
def test_bad_environment_values_are_config_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(CONFIG_YML, env=env)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("server:\n  port: eighty\n", "setting server.port: 'eighty' is not an integer"),
        ("limits:\n  first_max: 2.5\n", "setting limits.first_max: 2.5 is not an integer"),
        ("colour: blue\n", "unknown setting(s): colour"),
        ("server:\n  prot: 9000\n  hots: x\n", "unknown setting(s): server.hots, server.prot"),
        ("server: 9000\n", "setting server: expected a section"),
    ],
)
def test_bad_files_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, text), env={})
    assert str(error.value) == message


def test_invalid_yaml_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "server:\n  port: [9000\n")
    with pytest.raises(ConfigError, match=r"config\.yml is not valid YAML"):
        load_settings(path, env={})


def test_a_file_that_is_not_a_mapping_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "- store\n- server\n")
    with pytest.raises(ConfigError, match="expected a mapping of settings"):
        load_settings(path, env={})


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read .*absent\.yml"):
        load_settings(tmp_path / "absent.yml", env={})


def test_cli_honours_the_config_option(tmp_path: Path) -> None:
    store = tmp_path / "from-config.db"
    path = write(tmp_path, f"store: {store}\nlog_level: warning\n")
    result = CliRunner().invoke(main, ["--config", str(path), "tables"])
    assert result.exit_code == 0, result.output
    assert store.exists()  # the store named by the file was opened
    assert "from-config.db" in "".join(result.output.split())


def test_cli_reports_a_bad_config_file_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "server:\n  port: abc\n")
    result = CliRunner().invoke(main, ["--config", str(path), "schema"])
    assert result.exit_code == 1
    assert "Error: setting server.port: 'abc' is not an integer" in result.output
    assert "Traceback" not in result.output
