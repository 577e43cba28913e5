"""Self-description: the columns a client may select and the classes it may search."""

from __future__ import annotations

import strawberry

from fink_gateway.schema.enums import ClassificationSource


@strawberry.type(description="A column of Fink's main table, as exposed on Alert.")
class Column:
    name: str = strawberry.field(description="GraphQL field name on Alert.")
    hbase_column: str = strawberry.field(description="family:qualifier in HBase.")
    type: str = strawberry.field(description="Stored type (Spark type name in the schema row).")
    unit: str | None = strawberry.field(description="Unit of the values, if any.")
    description: str = strawberry.field(description="What the column holds.")


@strawberry.type(description="A class that alertsByClass accepts.")
class ClassInfo:
    name: str = strawberry.field(description="Value to pass as `class` to alertsByClass.")
    source: ClassificationSource = strawberry.field(
        description="Where the label comes from: Fink's classifiers, SIMBAD or TNS."
    )
    label: str = strawberry.field(description="The class label without its source prefix.")
