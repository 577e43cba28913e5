"""What both surveys share: an object that knows its survey and its name, and a cone search
over both (``skySearch``), so that one query can ask ZTF and LSST together."""

from __future__ import annotations

from enum import Enum

import strawberry

from fink_gateway.schema.fields import resolver_field


@strawberry.enum(description="A survey whose alerts Fink processes.")
class Survey(Enum):
    ZTF = "ztf"
    LSST = "lsst"


@strawberry.interface(
    description="An object of either survey: a ZTF `Object` or an LSST `DiaObject`; ask for "
    "their own fields (light curves…) with `... on Object` / `... on DiaObject`."
)
class SurveyObject:
    @resolver_field(description="The survey the object belongs to.")
    def survey(self) -> Survey:
        raise NotImplementedError

    @resolver_field(
        description="The object's identifier as text: a ZTF objectId ('ZTF21abfmbix') or an "
        "LSST diaObjectId ('169813006680588318')."
    )
    def name(self) -> str:
        raise NotImplementedError
