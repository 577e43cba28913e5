"""``Object``: everything known about one ZTF object, read in one batched scan."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import strawberry

from fink_gateway.resolvers import args
from fink_gateway.resolvers.lightcurve import LightCurveArgs, light_curves
from fink_gateway.resolvers.objects import ObjectData, alert_of_candid, alert_page
from fink_gateway.resolvers.periods import object_period, period_args
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.arguments import Since, Until
from fink_gateway.schema.classification import Classification, classification_of
from fink_gateway.schema.cutout import OBJECT_CUTOUTS_DESCRIPTION, object_cutouts
from fink_gateway.schema.enums import FID_OF_BAND, Band
from fink_gateway.schema.execution import NotPlain, plain_with_arguments
from fink_gateway.schema.extensions.timeout import may_wait
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info
from fink_gateway.schema.lightcurve import LightCurve
from fink_gateway.schema.pagination import AlertConnection, alert_page_connection
from fink_gateway.schema.period import PeriodFit, PeriodMethod
from fink_gateway.schema.scalars import BigInt
from fink_gateway.schema.survey import Survey, SurveyObject
from fink_gateway.science.coords import constellation, galactic, mean_position
from fink_gateway.science.times import iso_time


@strawberry.type(description="Mean position of an object's alerts.")
class Position:
    ra: float = strawberry.field(description="Mean right ascension (ICRS), deg.")
    dec: float = strawberry.field(description="Mean declination (ICRS), deg.")

    # computed only when selected: each costs an astropy transform (~ms per object)
    @resolver_field(description="Galactic longitude, deg.")
    def galactic_l(self) -> float:
        return galactic(self.ra, self.dec)[0]

    @resolver_field(description="Galactic latitude, deg.")
    def galactic_b(self) -> float:
        return galactic(self.ra, self.dec)[1]

    @resolver_field(description="Constellation (full name).")
    def constellation(self) -> str:
        return constellation(self.ra, self.dec)


@strawberry.type(description="Catalogue cross-matches of the object's latest alert.")
class Crossmatch:
    simbad: str | None = strawberry.field(
        description="SIMBAD type of the nearest source within 1.5 arcsec (d:cdsxmatch)."
    )
    gaia_dr3_name: str | None = strawberry.field(description="Gaia DR3 source (d:DR3Name).")
    gaia_parallax: float | None = strawberry.field(description="Gaia DR3 parallax (d:Plx), mas.")
    gaia_parallax_error: float | None = strawberry.field(description="Its error (d:e_Plx), mas.")
    gaia_class: str | None = strawberry.field(description="Gaia DR3 class (d:gaiaClass).")
    vsx: str | None = strawberry.field(description="AAVSO VSX variable type (d:vsx).")
    gcvs: str | None = strawberry.field(description="GCVS variable type (d:gcvs).")
    tns_type: str | None = strawberry.field(description="TNS classification (d:tns).")
    x3hsp: str | None = strawberry.field(description="3HSP blazar match (d:x3hsp).")
    x4lac: str | None = strawberry.field(description="4LAC blazar match (d:x4lac).")
    spicy_class: str | None = strawberry.field(description="SPICY YSO class (d:spicy_class).")
    mangrove_hyperleda_name: str | None = strawberry.field(
        description="Mangrove host galaxy, HyperLEDA name (d:mangrove_HyperLEDA_name)."
    )
    mangrove_2mass_name: str | None = strawberry.field(
        description="Mangrove host galaxy, 2MASS name (d:mangrove_2MASS_name)."
    )
    mangrove_lum_dist: str | None = strawberry.field(
        description="Mangrove host luminosity distance (d:mangrove_lum_dist)."
    )


@strawberry.type(description="A ZTF object: all its alerts, light curve, classification.")
class Object(SurveyObject):
    _data: strawberry.Private[ObjectData]
    object_id: str = strawberry.field(
        description="ZTF object identifier (i:objectId).", metadata={"fink_column": "i:objectId"}
    )

    @resolver_field(description="The survey: ZTF.")
    def survey(self) -> Survey:
        return Survey.ZTF

    @resolver_field(description="The objectId, as `objectId`.")
    def name(self) -> str:
        return self.object_id

    @resolver_field(description="The object's alerts, newest first.")
    def alerts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        since: Since = None,
        until: Until = None,
    ) -> AlertConnection:
        window = args.alert_page_window(info.context.settings.limits, first, after, since, until)
        return alert_page_connection(alert_page(self._data, window))

    @resolver_field(description="The most recent alert.")
    def last_alert(self) -> Alert:
        result = alert_page(self._data, args.AlertWindow(1))
        _, record, simbad = result.items[0]
        return alert_from_record(record, simbad)

    @resolver_field(description="The object's alert with this id (i:candid); null when none.")
    def alert(self, candid: BigInt) -> Alert | None:
        found = alert_of_candid(self._data, int(candid))
        return None if found is None else alert_from_record(*found)

    @resolver_field(description="Number of alerts of the object.")
    def n_alerts(self) -> int:
        return self._data.n_alerts

    @resolver_field(
        description="First detection (i:jdstarthist of the latest alert), ISO 8601 UTC."
    )
    def first_seen(self) -> str | None:
        jdstarthist = self._data.table.get("jdstarthist")
        if jdstarthist is None or not len(jdstarthist):
            return None
        return iso_time(float(np.asarray(jdstarthist)[-1]))

    @resolver_field(description="Latest alert (i:jd), ISO 8601 UTC.")
    def last_seen(self) -> str:
        return iso_time(float(self._data.jd[-1]))

    @resolver_field(description="Time between first detection and latest alert, days.")
    def lapse(self) -> float | None:
        jdstarthist = self._data.table.get("jdstarthist")
        if jdstarthist is None or not len(jdstarthist):
            return None
        return float(self._data.jd[-1] - np.asarray(jdstarthist)[-1])

    @resolver_field(description="Mean position of the alerts and where it lies on the sky.")
    def position(self) -> Position:
        ra, dec = mean_position(
            np.asarray(self._data.table["ra"]), np.asarray(self._data.table["dec"])
        )
        return Position(ra=ra, dec=dec)

    @resolver_field(description="Fink's classification of the latest alert.")
    def classification(self) -> Classification:
        labels = self._data.labels()
        simbad = self._data.simbad()
        label = str(labels[-1]) if labels is not None else "Unknown"
        return classification_of(self._data.record(-1), label, bool(simbad[-1]))

    @resolver_field(description="Catalogue cross-matches (of the latest alert).")
    def crossmatch(self) -> Crossmatch:
        r = self._data.record(-1)

        def text(name: str) -> str | None:
            value = r.get(name)
            return None if value is None else str(value)

        def number(name: str) -> float | None:
            value = r.get(name)
            # a decoded numeric column holds an int or a float
            return None if value is None else float(value)  # type: ignore[arg-type]

        return Crossmatch(
            simbad=text("cdsxmatch"), gaia_dr3_name=text("DR3Name"),
            gaia_parallax=number("Plx"), gaia_parallax_error=number("e_Plx"),
            gaia_class=text("gaiaClass"), vsx=text("vsx"), gcvs=text("gcvs"),
            tns_type=text("tns") or None, x3hsp=text("x3hsp"), x4lac=text("x4lac"),
            spicy_class=text("spicy_class"),
            mangrove_hyperleda_name=text("mangrove_HyperLEDA_name"),
            mangrove_2mass_name=text("mangrove_2MASS_name"),
            mangrove_lum_dist=text("mangrove_lum_dist"),
        )  # fmt: skip

    cutouts = strawberry.field(resolver=object_cutouts, description=OBJECT_CUTOUTS_DESCRIPTION)

    @resolver_field(description="The light curve as columns, oldest point first.")
    @may_wait
    def lightcurve(
        self,
        info: Info,
        with_upper_limits: Annotated[
            bool, strawberry.argument(description="Add Fink's upper limits and bad-quality points.")
        ] = False,
        bands: Annotated[
            list[Band] | None, strawberry.argument(description="Only these filters (default: all).")
        ] = None,
    ) -> LightCurve:
        # Assembled with the objects when the plan foresaw it (no await: no task per object);
        # otherwise batched with the other light curves of this tick.
        fids = None if bands is None else frozenset(FID_OF_BAND[b] for b in bands)
        args = LightCurveArgs(with_upper_limits, fids)
        data = self._data.light_curves.get(args)
        if data is not None:
            return LightCurve(_data=data)
        # @may_wait: an awaitable of the LightCurve, which strawberry awaits
        return _light_curve(info.context.reader, self._data, args)  # type: ignore[return-value]

    @resolver_field(
        description="Variable-star period of the light curve (multiband Lomb–Scargle, gatspy), "
        "computed on demand in a worker process and cached; each query may ask for at most "
        "limits.max_fits_per_request fits."
    )
    async def period(
        self,
        info: Info,
        nterms_base: Annotated[
            int, strawberry.argument(description="Terms of the shared base model (0–4).")
        ] = 1,
        nterms_band: Annotated[
            int, strawberry.argument(description="Terms of each band's model (0–4).")
        ] = 1,
        min_period: Annotated[
            float, strawberry.argument(description="Shortest period searched, days.")
        ] = 0.1,
        max_period: Annotated[
            float, strawberry.argument(description="Longest period searched, days.")
        ] = 1.2,
        method: Annotated[
            PeriodMethod, strawberry.argument(description="multiband or its fast variant.")
        ] = PeriodMethod.MULTIBAND,
        n_phase: Annotated[
            int, strawberry.argument(description="Points of the model curves (10–1000).")
        ] = 100,
    ) -> PeriodFit:
        args = period_args(nterms_base, nterms_band, min_period, max_period, method.value, n_phase)
        return PeriodFit(_fit=await object_period(info.context, self._data, args))


async def _light_curve(reader: Any, obj: ObjectData, args: LightCurveArgs) -> LightCurve:
    (data,) = await light_curves(reader, [obj], args)
    return LightCurve(_data=data)


@plain_with_arguments("Object", "lightcurve")
def _assembled_light_curve(source: Object, arguments: dict[str, Any]) -> LightCurve:
    """``Object.lightcurve`` when it was assembled with the object (else not plain)."""
    bands = arguments.get("bands")
    fids = None if bands is None else frozenset(FID_OF_BAND[Band(b)] for b in bands)
    args = LightCurveArgs(bool(arguments.get("withUpperLimits", False)), fids)
    data = source._data.light_curves.get(args)
    if data is None:
        raise NotPlain
    return LightCurve(_data=data)
