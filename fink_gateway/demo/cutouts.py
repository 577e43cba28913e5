"""Cutouts: a few deterministic gzip-compressed FITS stamps, reused by the alerts (§10).

Each stamp is a 63×63 big-endian float32 image in DN; the cutout structs name them as ZTF does
(``candid<candid>_pid<pid>_targ_sci.fits.gz``).
"""

from __future__ import annotations

import gzip
import io

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from astropy.io import fits

from fink_gateway.demo.arrays import I64, text
from fink_gateway.demo.arrow_schema import CUTOUT_TYPE
from fink_gateway.demo.draws import MASK64, Draws

_STAMP_VARIANTS = 4
_STAMP_NAMES = {
    "Science": ("_pid", "_targ_sci.fits.gz"),
    "Template": ("", "_ref.fits.gz"),
    "Difference": ("_pid", "_targ_scimref.fits.gz"),
}


def _fits_gz(image: npt.NDArray[np.float32]) -> bytes:
    """A gzip-compressed FITS file: one 63×63 big-endian float32 primary HDU (§10)."""
    buffer = io.BytesIO()
    fits.PrimaryHDU(image.astype(">f4")).writeto(buffer)
    return gzip.compress(buffer.getvalue(), compresslevel=6, mtime=0)


def make_stamps(seed: int = 0, variants: int = _STAMP_VARIANTS) -> dict[str, list[bytes]]:
    """Deterministic stamp variants (``Science``, ``Template``, ``Difference``), reused by alerts.

    A point source (Gaussian PSF, σ 1.3 px) on a noisy sky (DN); the template holds it at 30 %,
    the difference is science − template. Values are whole DN, so each is a few kB.
    """
    out: dict[str, list[bytes]] = {kind: [] for kind in _STAMP_NAMES}
    y, x = np.mgrid[0:63, 0:63] - 31.0
    psf = np.exp(-(x**2 + y**2) / (2 * 1.3**2))
    for variant in range(variants):
        rng = np.random.default_rng([int(seed) & MASK64, variant])
        sky = rng.uniform(200.0, 800.0)
        flux = rng.uniform(500.0, 5000.0)
        template = sky + 0.3 * flux * psf + rng.normal(0.0, 8.0, psf.shape)
        science = sky + flux * psf + rng.normal(0.0, np.sqrt(sky), psf.shape)
        # whole DN: real stamps carry more noise bits, but a demo store stays small (~4 kB each)
        science, template = np.round(science), np.round(template)
        out["Science"].append(_fits_gz(science.astype(np.float32)))
        out["Template"].append(_fits_gz(template.astype(np.float32)))
        out["Difference"].append(_fits_gz((science - template).astype(np.float32)))
    return out


def cutout_columns(
    d: Draws, stamps: dict[str, list[bytes]] | None, candid: I64, pid: I64, key: I64
) -> dict[str, pa.Array]:
    """``candid<candid>_pid<pid>_targ_sci.fits.gz``-style names with a reused stamp each."""
    if stamps is None:
        return {kind: pa.nulls(len(candid), CUTOUT_TYPE) for kind in _STAMP_NAMES}
    variant = pa.array(d.integers(key, "stamp", 0, len(stamps["Science"]) - 1))
    out = {}
    for kind, (middle, suffix) in _STAMP_NAMES.items():
        parts = ["candid", text(candid), *([middle, text(pid)] if middle else []), suffix]
        name = pc.binary_join_element_wise(*parts, "")
        data = pa.array(stamps[kind], pa.binary()).take(variant)
        out[kind] = pa.StructArray.from_arrays([name, data], fields=list(CUTOUT_TYPE))
    return out
