"""``Cutout``: an alert's image stamp, and the ``Alert.cutout`` / ``Object.cutouts`` fields.

Stamps are 63×63 pixels (smaller at CCD edges). As ``ARRAY`` a stamp is a ``[[Float]]`` of
about 4,000 values; completing it through GraphQL costs ~3 ms per stamp (measured), about as
much as decoding the FITS file, so no custom scalar is needed.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry

from fink_gateway.resolvers import args
from fink_gateway.resolvers import cutouts as stamps
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info
from fink_gateway.science.times import iso_time


@strawberry.enum(description="Which stamp of an alert (ZTF cutoutScience/Template/Difference).")
class CutoutKind(Enum):
    SCIENCE = "Science"
    TEMPLATE = "Template"
    DIFFERENCE = "Difference"


@strawberry.enum(description="How a stamp is returned.")
class CutoutFormat(Enum):
    PNG = "PNG"
    FITS = "FITS"
    ARRAY = "ARRAY"


@strawberry.enum(description="Intensity stretch of a PNG stamp (Fink's `stretch`).")
class CutoutStretch(Enum):
    SIGMOID = "sigmoid"
    LINEAR = "linear"
    SQRT = "sqrt"
    POWER = "power"
    LOG = "log"
    ASINH = "asinh"
    SINH = "sinh"


@strawberry.enum(description="Smoothing of a PNG stamp (Fink's `convolution_kernel`).")
class ConvolutionKernel(Enum):
    GAUSS = "gauss"
    BOX = "box"


@strawberry.type(description="One image stamp of an alert (FINK-REFERENCE §10).")
class Cutout:
    kind: CutoutKind = strawberry.field(description="Which stamp.")
    format: CutoutFormat = strawberry.field(description="How it is returned.")
    jd: float = strawberry.field(description="JD of the alert (i:jd), days.")
    file_name: str | None = strawberry.field(
        description="ZTF's file name of the stamp (b:cutout<Kind>_fileName)."
    )
    width: int = strawberry.field(description="Image width, pixels.")
    height: int = strawberry.field(description="Image height, pixels.")
    data: str | None = strawberry.field(
        description="PNG: a `data:image/png;base64,…` URL; FITS: the FITS file, base64; "
        "null for ARRAY."
    )
    array: list[list[float | None]] | None = strawberry.field(
        description="ARRAY: pixel values (DN) as rows of columns, row 0 first, null where NaN; "
        "null for PNG and FITS."
    )

    @resolver_field(description="Time of the alert, ISO 8601 UTC.")
    def time(self) -> str:
        return iso_time(self.jd)


def _cutout(rendered: stamps.RenderedCutout) -> Cutout:
    return Cutout(
        kind=CutoutKind(rendered.kind), format=CutoutFormat(rendered.format), jd=rendered.jd,
        file_name=rendered.file_name, width=rendered.width, height=rendered.height,
        data=rendered.data, array=rendered.array,
    )  # fmt: skip


KindArg = Annotated[CutoutKind, strawberry.argument(description="Which stamp.")]
FormatArg = Annotated[
    CutoutFormat, strawberry.argument(description="PNG (default), FITS or ARRAY.")
]
StretchArg = Annotated[
    CutoutStretch,
    strawberry.argument(
        description="PNG stretch: SIGMOID (default) normalises by the image's mean and std; "
        "the others cut between the central pixel and the image's low end."
    ),
]
ColormapArg = Annotated[
    str | None,
    strawberry.argument(
        description="PNG colour map, a matplotlib name ('viridis', 'Greys_r'…); default greyscale."
    ),
]
PminArg = Annotated[
    float,
    strawberry.argument(
        description="Lower percentile, in [0, 100]; accepted and without effect, as in Fink."
    ),
]
PmaxArg = Annotated[
    float,
    strawberry.argument(
        description="Upper percentile, in [0, 100]; accepted and without effect, as in Fink."
    ),
]
KernelArg = Annotated[
    ConvolutionKernel | None,
    strawberry.argument(description="PNG smoothing (σ = 1 px on 5×5 pixels); default none."),
]


def _options(
    format: CutoutFormat, stretch: CutoutStretch, colormap: str | None, pmin: float,
    pmax: float, convolution_kernel: ConvolutionKernel | None,
) -> stamps.RenderOptions:  # fmt: skip
    kernel = None if convolution_kernel is None else convolution_kernel.value
    return stamps.render_options(format.value, stretch.value, colormap, pmin, pmax, kernel)


async def alert_cutout(
    self: Any,
    info: Info,
    kind: KindArg,
    format: FormatArg = CutoutFormat.PNG,
    stretch: StretchArg = CutoutStretch.SIGMOID,
    colormap: ColormapArg = None,
    pmin: PminArg = 0.5,
    pmax: PmaxArg = 99.5,
    convolution_kernel: KernelArg = None,
) -> Cutout | None:
    """``Alert.cutout``: null when the alert has no readable stamp of that kind."""
    options = _options(format, stretch, colormap, pmin, pmax, convolution_kernel)
    object_id, jd = self._record.get("objectId"), self._record.get("jd")
    if object_id is None or jd is None:
        return None
    rendered = await stamps.alert_cutout(
        info.context.reader, str(object_id), float(jd), kind.value, options
    )
    return None if rendered is None else _cutout(rendered)


async def object_cutouts(
    self: Any,
    info: Info,
    kind: KindArg,
    format: FormatArg = CutoutFormat.PNG,
    stretch: StretchArg = CutoutStretch.SIGMOID,
    colormap: ColormapArg = None,
    pmin: PminArg = 0.5,
    pmax: PmaxArg = 99.5,
    convolution_kernel: KernelArg = None,
    first: Annotated[
        int | None,
        strawberry.argument(description="At most this many, newest first (default configured)."),
    ] = None,
) -> list[Cutout]:
    """``Object.cutouts``: the stamps of the newest ``first`` alerts that have one."""
    options = _options(format, stretch, colormap, pmin, pmax, convolution_kernel)
    limits = info.context.settings.limits
    size = args.page_size(first, limits.first_default, limits.first_max)
    jds = self._data.jd[::-1][:size].tolist()
    rendered = await stamps.object_cutouts(
        info.context.reader, self.object_id, jds, kind.value, options
    )
    return [_cutout(r) for r in rendered]


ALERT_CUTOUT_DESCRIPTION = (
    "One image stamp of this alert from the cutouts table (b:cutout<Kind>_stampData), as a "
    "PNG rendered like Fink's /api/v1/cutouts, the FITS file, or the pixel array; null when "
    "the alert has no readable stamp. The stamps of all alerts of a query are read in one "
    "batched call."
)
OBJECT_CUTOUTS_DESCRIPTION = (
    "The stamps of the object's alerts, newest first; alerts without a readable stamp are "
    "left out. Read in one batched call."
)
