"""``Object.period``: Fink's variable-star period fit on an object's light curve (§9a)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from fink_gateway.errors import InvalidArgument
from fink_gateway.resolvers.objects import ObjectData
from fink_gateway.science.periods import fit_period, periodic_input

if TYPE_CHECKING:
    from fink_gateway.resolvers.context import RequestContext

MAX_NTERMS = 4
MAX_PERIOD_DAYS = 1000.0


@dataclass(frozen=True)
class PeriodArgs:
    """Validated arguments of a period fit."""

    nterms_base: int
    nterms_band: int
    min_period_days: float
    max_period_days: float
    method: str
    n_phase: int


def period_args(
    nterms_base: int, nterms_band: int, min_period: float, max_period: float, method: str,
    n_phase: int,
) -> PeriodArgs:  # fmt: skip
    """Check the arguments (0–4 terms, not both 0; 0 < min < max ≤ 1000 d; 10–1000 phases)."""
    for name, value in (("ntermsBase", nterms_base), ("ntermsBand", nterms_band)):
        if not 0 <= value <= MAX_NTERMS:
            raise InvalidArgument(f"{name} must be between 0 and {MAX_NTERMS}", argument=name)
    if nterms_base == nterms_band == 0:
        raise InvalidArgument("ntermsBase and ntermsBand cannot both be 0", argument="ntermsBase")
    if not (math.isfinite(min_period) and math.isfinite(max_period)):
        raise InvalidArgument("periods must be finite numbers of days", argument="minPeriod")
    if not 0 < min_period < max_period <= MAX_PERIOD_DAYS:
        raise InvalidArgument(
            f"need 0 < minPeriod < maxPeriod <= {MAX_PERIOD_DAYS:g} days, got "
            f"{min_period:g} and {max_period:g}",
            argument="minPeriod",
        )
    if not 10 <= n_phase <= 1000:
        raise InvalidArgument("nPhase must be between 10 and 1000", argument="nPhase")
    return PeriodArgs(nterms_base, nterms_band, min_period, max_period, method, n_phase)


def fit_object_period(columns: dict[str, Any], args: PeriodArgs) -> dict[str, Any]:
    """Worker-process side: inputs → plain, cacheable dict (lists, not arrays)."""
    distnr = np.asarray(columns["distnr"], dtype=np.float64)
    jd, mag, sigma, band = periodic_input(
        columns["jd"], columns["magpsf"], columns["sigmapsf"], columns["fid"], columns["magnr"],
        columns["sigmagnr"], columns["isdiffpos"], float(distnr[-1]) if len(distnr) else math.nan,
    )  # fmt: skip
    fit = fit_period(
        jd, mag, sigma, band, nterms_base=args.nterms_base, nterms_band=args.nterms_band,
        min_period_days=args.min_period_days, max_period_days=args.max_period_days,
        method=args.method,  # type: ignore[arg-type]  # a PeriodMethod value: multiband or fast
        n_phase=args.n_phase,
    )  # fmt: skip
    out = {k: v for k, v in asdict(fit).items() if k != "model_curves"}
    out = {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in out.items()}
    out["model_curves"] = {int(b): c.tolist() for b, c in fit.model_curves.items()}
    out["dropped_bands"] = list(fit.dropped_bands)
    out["dc_magnitudes"] = bool(len(distnr)) and bool(_behind(float(distnr[-1])))
    return out


def _behind(distnr: float) -> bool:
    from fink_gateway.science.photometry import is_source_behind

    return bool(is_source_behind(np.array([distnr]))[0])


PERIOD_INPUTS = ("jd", "magpsf", "sigmapsf", "fid", "magnr", "sigmagnr", "isdiffpos", "distnr")


async def object_period(
    context: RequestContext, obj: ObjectData, args: PeriodArgs
) -> dict[str, Any]:
    """The fit for one object, from the cache or a worker process."""
    context.claim_fit()
    reader = context.reader
    version = await reader.data_version()
    digest = hashlib.blake2b(repr(args).encode(), digest_size=8).hexdigest()
    key = f"{reader.prefix}|{version}|period|{obj.object_id}|{digest}"
    cache = reader.cache
    if cache is not None:
        hit: dict[str, Any] | None  # what this function stored under the key
        (hit,) = await cache.get_many([key])
        if hit is not None:
            return hit
    table = obj.table
    columns = {name: _plain(table.get(name)) for name in PERIOD_INPUTS}
    columns["jd"] = obj.jd.tolist()
    result = await context.shared.fits.run(fit_object_period, columns, args)
    if cache is not None:
        await cache.set_many([(key, result)])
    return result


def _plain(values: Any) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, np.ndarray):
        plain: list[Any] = (
            values.astype(np.float64).tolist() if values.dtype.kind == "f" else values.tolist()
        )
        return plain
    return list(values)
