"""``/api/v1/cutouts``: one alert's stamp (FINK-REFERENCE §10) as a PNG, the FITS file or
the pixel array; the latest alert of the object unless ``candid`` names one."""

from __future__ import annotations

import base64
from typing import Any

from starlette.responses import JSONResponse, Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.spec import ApiRoute, Param
from fink_gateway.layout.columns import CUTOUT_KINDS

FORMATS = {"PNG": "PNG", "FITS": "FITS", "array": "ARRAY"}
STRETCHES = ("sigmoid", "linear", "sqrt", "power", "log", "asinh", "sinh")
KERNELS = ("gauss", "box")


def build_query(kinds: list[str], by_candid: bool) -> str:
    """One aliased ``cutout`` per kind, on the latest alert or the one of ``$candid``."""
    options = ("format: $format, stretch: $stretch, colormap: $colormap, pmin: $pmin, "
               "pmax: $pmax, convolutionKernel: $kernel")  # fmt: skip
    parts = " ".join(
        f"{k.lower()}: cutout(kind: {k.upper()}, {options}) {{ data array }}" for k in kinds
    )
    alert = "alert(candid: $candid)" if by_candid else "lastAlert"
    variables = (
        "$id: String!, $format: CutoutFormat!, $stretch: CutoutStretch!, $colormap: String, "
        "$pmin: Float!, $pmax: Float!, $kernel: ConvolutionKernel"
        + (", $candid: BigInt!" if by_candid else "")
    )
    return f"query Cutouts({variables}) {{ object(objectId: $id) {{ {alert} {{ {parts} }} }} }}"


def _choice(call: ApiCall, name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    value = call.payload.text(name, default)
    if value is not None and value not in allowed:
        raise ApiError(f"`{name}` must be one of: {', '.join(allowed)}.\n")
    return value


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("objectId", "kind")
    oid = payload.text("objectId") or ""
    kind = _choice(call, "kind", (*CUTOUT_KINDS, "All"), None)
    fmt = payload.text("output-format", "PNG") or "PNG"
    if kind == "All" and fmt != "array":
        raise ApiError("The option `kind=All` is only compatible with `output-format=array`.\n")
    if fmt not in FORMATS:
        raise ApiError("output-format must be one of: PNG, FITS, or array.\n")
    stretch = _choice(call, "stretch", STRETCHES, "sigmoid")
    kernel = _choice(call, "convolution_kernel", KERNELS, None)
    kinds = list(CUTOUT_KINDS) if kind == "All" else [str(kind)]
    candid = payload.text("candid")
    variables: dict[str, Any] = {
        "id": oid, "format": FORMATS[fmt], "stretch": str(stretch).upper(),
        "colormap": payload.text("colormap"), "pmin": payload.number("pmin", 0.5),
        "pmax": payload.number("pmax", 99.5), "kernel": None if kernel is None else kernel.upper(),
    }  # fmt: skip
    if candid is not None:
        variables["candid"] = candid
    data = await call.run(build_query(kinds, candid is not None), variables)
    alert = (data.get("object") or {}).get("alert" if candid is not None else "lastAlert")
    if alert is None:
        which = f"alert {candid} of {oid}" if candid is not None else oid
        raise ApiError(f"No alert found for {which}.\n", 404, "NOT_FOUND")
    stamps = {k: alert.get(k.lower()) for k in kinds}
    missing = [k for k, stamp in stamps.items() if stamp is None]
    if missing:
        raise ApiError(f"No {', '.join(missing)} stamp for {oid}.\n", 404, "NOT_FOUND")
    filename = f"{oid}_{kind}"
    if fmt == "array":
        return JSONResponse({f"b:cutout{k}_stampData": s["array"] for k, s in stamps.items()})
    data_text = str(stamps[kinds[0]]["data"])
    raw = base64.b64decode(data_text.split(",", 1)[1] if fmt == "PNG" else data_text)
    media = "image/png" if fmt == "PNG" else "application/octet-stream"
    extension = "png" if fmt == "PNG" else "fits"
    return Response(raw, media_type=media, headers={
        "content-disposition": f'attachment; filename="{filename}.{extension}"'})


ROUTE = ApiRoute(
    name="cutouts",
    summary="Get cutout data based on ZTF ID",
    params=(
        Param("objectId", "ZTF Object ID", required=True, example="ZTF21abfmbix"),
        Param("kind", "Science, Template, or Difference. For output-format=array, you can "
              "also specify `kind: All` to get the 3 cutouts.", required=True,
              choices=(*CUTOUT_KINDS, "All"), example="Science"),
        Param("output-format", "PNG[default], FITS, array", choices=tuple(FORMATS),
              default="PNG"),
        Param("candid", "Candidate ID (long integer) of the alert belonging to the object with "
              "`objectId`. If not filled, the cutouts of the latest alert is returned",
              example="2890466950515015016"),
        Param("stretch", "Stretch function to be applied. Available: sigmoid[default], "
              "linear, sqrt, power, log.", choices=STRETCHES, default="sigmoid"),
        Param("colormap", "Valid matplotlib colormap name (see matplotlib.cm). Default is "
              "grayscale.", example="Blues"),
        Param("pmin", "The percentile value used to determine the pixel value of minimum cut "
              "level. Default is 0.5. No effect (as in Fink).", kind="number", default=0.5),
        Param("pmax", "The percentile value used to determine the pixel value of maximum cut "
              "level. Default is 99.5. No effect (as in Fink).", kind="number", default=99.5),
        Param("convolution_kernel", "Convolve the image with a kernel (gauss or box). If not "
              "specified, no kernel is applied.", choices=KERNELS),
    ),
    answer=answer,
    notes="Stamps come from the gateway's cutouts table (no separate cutout service); an "
    "unknown object, candid or stamp is a 404.",
    media_types=("image/png", "application/octet-stream", "application/json"),
)
