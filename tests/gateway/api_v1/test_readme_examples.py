"""The README's examples of tables and of Fink's API run, unchanged but for the base URL,
against a live gateway over the samples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[3] / "README.md"
BASE = 'APIURL = "http://localhost:8000"'


def examples() -> list[str]:
    """Every Python block of the README that talks to a gateway at ``APIURL``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return [b for b in blocks if BASE in b]


def test_readme_has_examples_for_each_audience() -> None:
    text = README.read_text()
    audiences = ("pandas", "astropy and TOPCAT", "existing Fink scripts")
    for audience in audiences:
        assert f"### For {audience}" in text
    assert len(examples()) >= 5


@pytest.mark.parametrize("index", range(len(examples())))
def test_readme_example_runs(live_url: str, index: int, capsys: pytest.CaptureFixture[str]) -> None:
    code = examples()[index].replace(BASE, f'APIURL = "{live_url}"')
    exec(compile(code, f"README example {index}", "exec"), {})  # the README's own code
    assert capsys.readouterr().out.strip(), "every example prints what it got"
