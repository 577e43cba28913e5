"""Solar System objects: exact name resolution through ``sso_resolver`` (FINK-REFERENCE §5.2)
and the object's rows in ``ssnamenr`` (§5.1).

A name, number or designation is looked up with the prefix ``<spelling, lowercased>@``: the
``@`` ends the name, so "78" never finds 780 or 7800. The text is tried as written and, for
a provisional designation, in its usual spelling ("2005XM12", "2005 xm12" → "2005 XM12",
"2002 MA06" → "2002 MA6"); the first spelling that has entries wins, and every spelling is
scanned in the same round trip. A name may point to several ``ssnamenr`` (ZTF wrote the same
body differently over time): all are returned, in the resolver's order. An object absent
from the resolver (Fink rebuilds it monthly) is still found when ``ssnamenr`` has rows under
the text as written or packed ("2005XM12", "2002MA06").
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.layout.columns import INDEX_COLUMNS
from fink_gateway.loaders.ephemeris_values import Ephemerides
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.args import AlertWindow
from fink_gateway.resolvers.ephemerides import EphemerisProvider
from fink_gateway.resolvers.objects import AlertPage, ObjectData, alert_page
from fink_gateway.resolvers.sso_lightcurve import SsoPoints, band_rows, fit_points, sso_points
from fink_gateway.science.designations import usual_name
from fink_gateway.science.phasecurve import BandParameters, PhaseCurveFit, PhaseCurveModel
from fink_gateway.store.types import Column, Row, ScanRange

if TYPE_CHECKING:
    from fink_gateway.resolvers.context import RequestContext

T = TypeVar("T")

MAX_NAME_LENGTH = 100
"""Longest name accepted (characters)."""
RESOLVER_COLUMNS = (b"i:name", b"i:number", b"i:ssnamenr")
POINT_COLUMNS: frozenset[Column] = frozenset(
    f"i:{q}".encode() for q in ("objectId", "jd", "ra", "dec", "magpsf", "sigmapsf", "fid")
)
"""What the light curve needs of ``ssnamenr`` (``objectId`` tells alerts from file points)."""
_INDEX = frozenset(c.column for c in INDEX_COLUMNS)
_DESIGNATION = re.compile(r"(\d{4}) ?([A-Za-z]{2}) ?(\d*)")


@dataclass(frozen=True)
class SsoMatch:
    """One object a name resolved to."""

    ssnamenr: str
    name: str
    number: int | None


def name_or_number(value: str) -> str:
    """The asked text, trimmed, inner spaces collapsed; non-empty, printable, ≤ 100 chars."""
    text = " ".join(value.split())
    if not text or len(text) > MAX_NAME_LENGTH or not text.isprintable():
        raise InvalidArgument(
            f"invalid Solar System object name {value!r}: give a name, a number or a "
            f"designation (e.g. 'Ceres', '8467', '2005 XM12'), at most {MAX_NAME_LENGTH} "
            "characters",
            argument="nameOrNumber",
            value=value,
        )
    return text


def spellings(text: str) -> list[str]:
    """Resolver spellings to try, most literal first: as written, then the usual spelling of
    a designation or a number without leading zeros."""
    out = [text]
    match = _DESIGNATION.fullmatch(text)
    if match:
        out.append(usual_name("".join(match.groups()).upper()))
    if text.isascii() and text.isdigit():  # not "²", which int() refuses
        out.append(str(int(text)))
    return list(dict.fromkeys(s.lower() for s in out))


def _number(text: str) -> int | None:
    """The number an all-ASCII-digits text names, else None ("²" is a digit to Python)."""
    return int(text) if text.isascii() and text.isdigit() else None


def resolver_prefix(spelling: str) -> bytes:
    """The exact-match prefix of a spelling: ``<lowercased>@``."""
    return f"{spelling.lower()}@".encode()


def packed_ssnamenrs(text: str) -> list[str]:
    """ZTF ``ssnamenr`` texts the asked text may be, for objects absent from the resolver."""
    out = [text.replace(" ", "")]
    match = _DESIGNATION.fullmatch(text)
    if match:
        year, letters, count = match.groups()
        letters = letters.upper()
        out += [f"{year}{letters}{count}", f"{year}{letters}{count.lstrip('0').zfill(2)}"]
    if text.isascii() and text.isdigit():
        out.append(str(int(text)))
    return list(dict.fromkeys(out))


def _text(cells: dict[bytes, bytes], column: bytes) -> str:
    return cells.get(column, b"").decode("utf-8", errors="replace")


def _match(cells: dict[bytes, bytes]) -> SsoMatch | None:
    ssnamenr = _text(cells, b"i:ssnamenr")
    if not ssnamenr:
        return None
    number = _text(cells, b"i:number")
    return SsoMatch(ssnamenr, _text(cells, b"i:name") or ssnamenr,
                    _number(number))  # fmt: skip


def _distinct(matches: Sequence[SsoMatch | None]) -> list[SsoMatch]:
    out: dict[str, SsoMatch] = {}
    for m in matches:
        if m is not None and m.ssnamenr not in out:
            out[m.ssnamenr] = m
    return list(out.values())


async def resolve_sso(reader: Reader, text: str) -> list[SsoMatch]:
    """Every object ``text`` names (resolver order); empty when none. ``text`` is validated."""
    asked = name_or_number(text)
    found = await asyncio.gather(
        *(reader.rows_with_prefix(tables.SSO_RESOLVER, resolver_prefix(s), RESOLVER_COLUMNS)
          for s in spellings(asked))
    )  # fmt: skip
    for rows in found:
        matches = _distinct([_match(cells) for _, cells in rows])
        if matches:
            return matches
    candidates = packed_ssnamenrs(asked)
    ranges = [ScanRange.prefix(f"{c}_".encode(), limit=1) for c in candidates]
    seen = await reader.scan(tables.SSNAMENR, ranges, [b"i:ssnamenr"])
    return _distinct(
        [SsoMatch(c, usual_name(c), _number(c)) if rows else None
         for c, rows in zip(candidates, seen, strict=True)]
    )  # fmt: skip


async def resolve_many(reader: Reader, texts: Sequence[str], cap: int) -> list[list[SsoMatch]]:
    """:func:`resolve_sso` of each text, in order, batched; at most ``cap`` texts."""
    if len(texts) > cap:
        raise InvalidArgument(
            f"too many names: {len(texts)} given, at most {cap} per query",
            argument="namesOrNumbers",
        )
    for text in texts:
        name_or_number(text)
    return list(await asyncio.gather(*(resolve_sso(reader, t) for t in texts)))


def sso_columns(selected: set[Column]) -> tuple[Column, ...]:
    """Columns of ``ssnamenr`` to read: the selected ones it has, plus the light curve's."""
    return tuple(sorted((selected & _INDEX) | POINT_COLUMNS))


@dataclass
class SsoObjectData:
    """One resolved object; its rows, points and ephemerides are read once, when first asked.

    ``candidates`` are every object the asked name resolved to (this one first).
    """

    reader: Reader
    match: SsoMatch
    candidates: tuple[SsoMatch, ...]
    columns: tuple[Column, ...]
    provider: EphemerisProvider
    _tasks: dict[str, asyncio.Future[Any]] = field(default_factory=dict, repr=False)

    def _once(self, name: str, make: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        """The shared result of ``make()``; a cancelled caller does not cancel the others."""
        task = self._tasks.get(name)
        if task is None:
            task = self._tasks[name] = asyncio.ensure_future(make())
        return asyncio.shield(task)

    async def rows(self) -> list[Row]:
        """Every row of ``ssnamenr`` under ``<ssnamenr>_``, oldest first."""
        prefix = f"{self.match.ssnamenr}_".encode()
        return await self.reader.rows_with_prefix(tables.SSNAMENR, prefix, self.columns)

    async def alerts(self) -> ObjectData | None:
        """The object's ZTF alerts (rows with an objectId), oldest first; None when none."""
        rows = [r for r in await self.rows() if b"i:objectId" in r[1]]
        if not rows:
            return None
        types = await self.reader.types(tables.SSNAMENR)
        return ObjectData.from_rows(self.match.ssnamenr, rows, types, self.columns)

    async def points(self) -> SsoPoints:
        """Every light-curve point (alerts and SSO-file points), oldest first."""

        async def load() -> SsoPoints:
            rows = await self.rows()
            return sso_points(rows, await self.reader.types(tables.SSNAMENR))

        return await self._once("points", load)

    async def ephemerides(self) -> Ephemerides | None:
        """Ephemerides at every point (one provider call per object and request)."""

        async def load() -> Ephemerides | None:
            points = await self.points()
            return await self.provider.ephemerides(self.match.ssnamenr, points.jd)

        return await self._once("ephemerides", load)


async def sso_alert_page(data: SsoObjectData, window: AlertWindow) -> AlertPage:
    """The object's alerts in ``window``, newest first."""
    alerts = await data.alerts()
    if alerts is None:
        return AlertPage([], False, 0)
    return alert_page(alerts, window)


async def sso_phase_curve(
    context: RequestContext, data: SsoObjectData, model: PhaseCurveModel, fids: set[int] | None
) -> PhaseCurveFit:
    """The object's phase-curve fit: counted against the request's fit limit, run in a worker
    process, cached across requests by (object, data version, ephemeris source, arguments).

    Raises UpstreamUnavailable when the ephemerides must come from an unreachable Miriade.
    """
    context.claim_fit()
    points, eph = await data.points(), await data.ephemerides()
    rows = band_rows(points, fids)
    chosen = None if eph is None else eph.take(rows)
    reader = data.reader
    version = await reader.data_version()
    source = "none" if eph is None else eph.source.value
    bands = ",".join(map(str, sorted(fids))) if fids is not None else "all"
    key = f"{reader.prefix}|{version}|phasecurve|{data.match.ssnamenr}|{source}|{model}|{bands}"
    cache = reader.cache
    if cache is not None:
        (hit,) = await cache.get_many([key])
        if hit is not None:
            return _fit_from_plain(hit)
    fit = await context.shared.fits.run(fit_points, points.take(rows), chosen, model)
    if cache is not None:
        await cache.set_many([(key, _plain_fit(fit))])
    return fit


def _plain_fit(fit: PhaseCurveFit) -> dict[str, Any]:
    """A fit as plain values (msgpack-able, for the cache)."""
    out = dataclasses.asdict(fit)
    out["model"] = fit.model.value
    out["bands"] = [[band, dataclasses.asdict(p)] for band, p in fit.bands.items()]
    return out


def _fit_from_plain(values: dict[str, Any]) -> PhaseCurveFit:
    bands = {band: BandParameters(**p) for band, p in values["bands"]}
    model = PhaseCurveModel(values["model"])
    return PhaseCurveFit(**{**values, "model": model, "bands": bands})
