"""Per-night counts of Fink's ``statistics_class`` table (FINK-REFERENCE §11)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from fink_gateway.resolvers import statistics as stats
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info


@strawberry.type(description="Alerts of one classification label in one night.")
class ClassCount:
    class_: str = strawberry.field(name="class", description="Label (§7), or a SIMBAD type.")
    count: int = strawberry.field(description="Number of alerts.")


@strawberry.type(description="Counts of one night (statistics_class, FINK-REFERENCE §11).")
class NightStatistics:
    night: str = strawberry.field(description="The night (UTC date), YYYYMMDD.")
    raw: int | None = strawberry.field(description="Alerts received (basic:raw).")
    sci: int | None = strawberry.field(description="Alerts passing Fink's cuts (basic:sci).")
    n_g: int | None = strawberry.field(description="Of which in g, fid 1 (basic:n_g).")
    n_r: int | None = strawberry.field(description="Of which in r, fid 2 (basic:n_r).")
    exposures: int | None = strawberry.field(description="Distinct exposures (basic:exposures).")
    fields: int | None = strawberry.field(description="Distinct ZTF fields (basic:fields).")
    simbad_total: int | None = strawberry.field(
        description="Alerts labelled with a SIMBAD type (class:simbad_tot)."
    )
    simbad_extragalactic: int | None = strawberry.field(
        description="Alerts whose cdsxmatch is an extragalactic-host type (class:simbad_gal; "
        "as in Fink the list includes Unknown and Fail)."
    )
    classes: list[ClassCount] = strawberry.field(
        description="Alerts per classification label (class:*), most frequent first."
    )


def night_statistics(n: stats.NightCounts) -> NightStatistics:
    b = n.basic
    return NightStatistics(
        night=n.night, raw=b.get("raw"), sci=b.get("sci"), n_g=b.get("n_g"), n_r=b.get("n_r"),
        exposures=b.get("exposures"), fields=b.get("fields"), simbad_total=n.simbad_total,
        simbad_extragalactic=n.simbad_extragalactic,
        classes=[ClassCount(class_=k, count=v) for k, v in n.classes.items()],
    )  # fmt: skip


@strawberry.type
class StatisticsQuery:
    @resolver_field(
        description="Per-night counts (statistics_class, §11) of every night whose UTC date "
        "starts with `date`, oldest first."
    )
    async def statistics(
        self,
        info: Info,
        date: Annotated[
            str,
            strawberry.argument(
                description="A year, month or day (UTC): 'YYYY', 'YYYYMM', 'YYYYMMDD', "
                "'YYYY-MM' or 'YYYY-MM-DD'."
            ),
        ],
    ) -> list[NightStatistics]:
        return [night_statistics(n) for n in await stats.load_statistics(info.context.reader, date)]
