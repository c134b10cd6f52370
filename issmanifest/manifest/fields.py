"""The manifest format (format 1), described once: each table's fields as data.

The JSON Schema (`manifest_schema`), the writer's field order and the canonical
dump's fields are derived from these tables; a new field is added here first.
Cross-field rules (a dock after its launch, a crew within the seats) live in
validation.py, not here. No imports beyond the standard library: `issmanifest
schema` must stay quick.
"""

from __future__ import annotations

from typing import Any, NamedTuple

SLUG = "[a-z0-9]+(-[a-z0-9]+)*"  # flight ids and people keys
EXPEDITION_NUMBER = "[1-9][0-9]*"
TIME_PATTERN = (
    "^(195[7-9]|19[6-9][0-9]|2[0-9]{3})-[0-9]{2}-[0-9]{2}"
    "([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
)
# ISO 3166-1 alpha-2, as officially assigned.
# 249 codes read better as one string than as a list (hence the noqa).
COUNTRIES = tuple(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "  # noqa: SIM905
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW".split()
)
LIFEBOATS = ("any", "assigned")


class Field(NamedTuple):
    """One key of a table.

    `kind` says what the value is, as TOML writes it:
    "text" (a non-empty string), "slug" (a string matching SLUG), "time" (an
    offset date-time or a date), "country" (an ISO 3166-1 alpha-2 code),
    "integer", "number" (an integer or a float), "boolean", "choice" (one of
    `choices`), "list" (an array of `item` kinds, or of `choices`), "tables"
    (an array of `table`), "table" (one `table`), "named" (a table of
    `table`s by key), "map" (a table of `item` values by key), "expedition"
    (a flight id, `{ docked = id }` or a time).
    """

    name: str
    kind: str
    doc: str = ""
    required: bool = False
    default: object = None  # what an omitted key means, where that is a plain value
    choices: tuple[str, ...] = ()
    item: str = ""  # the kind of a list's items or a map's values
    table: tuple[Field, ...] = ()  # the fields of a "table", "tables" or "named" value
    keys: str = ""  # a pattern every key of a "named" or "map" table matches
    low: float | None = None
    high: float | None = None
    above: float | None = None  # an exclusive lower bound
    unique: bool = False
    non_empty: bool = False
    const: int | None = None


def names(table: tuple[Field, ...]) -> tuple[str, ...]:
    """The keys of a table, in the order the writer writes them."""
    return tuple(field.name for field in table)


def field(table: tuple[Field, ...], name: str) -> Field:
    """The field of a table by name."""
    return next(field for field in table if field.name == name)


def required(table: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(field.name for field in table if field.required)


STATION = (
    Field("name", "text", "The station's name.", default="International Space Station"),
    Field(
        "core_partners",
        "list",
        "Agencies of which at least one member must be aboard at every instant.",
        default=("NASA", "Roscosmos"),
        item="text",
        unique=True,
        non_empty=True,
    ),
    Field("max_crew", "integer", "More aboard than this is a crew-capacity warning.", low=1, high=100),
)
FORMER_NAME = (
    Field("name", "text", "A name the agency went by.", required=True),
    Field("until", "time", "The first day of the next name.", required=True),
)
AGENCY = (
    Field("country", "country", "The agency's country, if it has one."),
    Field("aliases", "list", "Other names it goes by.", default=(), item="text"),
    Field("former_names", "tables", "Names it went by before `until`, oldest first.", default=(), table=FORMER_NAME),
)
VEHICLE = (
    Field("seats", "integer", "The crew it can bring home; required for a new vehicle.", low=1, high=20),
    Field(
        "lifeboat",
        "choice",
        'Whose lifeboat it is: "any" one aboard, or only its "assigned" descent crew.',
        default="any",
        choices=LIFEBOATS,
    ),
    Field("max_docked_days", "number", "How long it may stay docked, for `margins --handover`.", above=0, high=3650),
    Field("provider", "text", "The agency whose vehicle it is (its seats are that agency's to give)."),
)
PERSON = (
    Field("name", "text", "The person's name.", required=True),
    Field("agency", "text", "An agency's name, alias or former name.", required=True),
    Field("nationality", "country", "The person's nationality.", required=True),
)
RELOCATION = (
    Field("start", "time", "When the vehicle left its port.", required=True),
    Field("end", "time", "When it docked again.", required=True),
    Field("port", "text", "The port it moved to."),
    Field("crew", "list", "Who rode along; omitted: those coming down on the flight.", item="slug", unique=True),
)
UNCERTAIN = ("launch", "dock", "port", "relocations", "undock", "landing", "up", "down", "grounded")
FLIGHT = (
    Field("id", "slug", "The flight's unique id: `soyuz-ms-22`, `crew-5`.", required=True),
    Field("vehicle", "text", "A vehicle from [vehicles] or a built-in one.", required=True),
    Field("launch", "time", "When it launched.", required=True),
    Field("dock", "time", "When it docked; omitted: the launch value as written."),
    Field("port", "text", "Where it docked, as specific as known."),
    Field("relocations", "tables", "Moves between ports, in order.", default=(), table=RELOCATION),
    Field("undock", "time", "When it undocked; omitted: still docked."),
    Field("landing", "time", "When it landed."),
    Field("up", "list", "Who arrived on it (people keys).", default=(), item="slug", unique=True),
    Field("down", "list", "Who left on it (people keys); omitted: the same as `up`.", item="slug", unique=True),
    Field("grounded", "time", "From then on it is no lifeboat."),
    Field(
        "agencies",
        "map",
        "The agency a person flew this trip for, where it differs from [people].",
        default=(),
        item="text",
        keys=SLUG,
    ),
    Field("tentative", "boolean", "Dates or crew not confirmed (planned flights).", default=False),
    Field("uncertain", "list", "The fields whose values the sources could not confirm.", default=(), choices=UNCERTAIN),
    Field("note", "text", "A note for readers."),
)
AGREEMENT_UNCERTAIN = ("signed", "from", "until", "flights")
AGREEMENT = (
    Field("name", "text", "The agreement's name.", required=True),
    Field("parties", "list", "The core partners that swap seats under it.", required=True, item="text", unique=True),
    Field("signed", "time", "When it was signed.", required=True),
    Field("from", "time", "The first launch it covers; omitted: the signing."),
    Field("until", "time", "The last launch it covers; omitted: open-ended."),
    Field("flights", "list", "Flights it covers by name, whatever their dates.", default=(), item="slug", unique=True),
    Field("note", "text", "What it says and the sources."),
    Field(
        "uncertain",
        "list",
        "The fields whose values the sources could not confirm.",
        default=(),
        choices=AGREEMENT_UNCERTAIN,
    ),
)
TOP = (
    Field("format", "integer", "The format version; this schema is for format 1.", required=True, const=1),
    Field(
        "as_of",
        "time",
        "When the manifest's facts were last checked against sources; without it, the latest confirmed event.",
    ),
    Field("station", "table", "The station and what it needs aboard.", table=STATION),
    Field("agencies", "named", "Agencies by name; an entry replaces a built-in one.", table=AGENCY),
    Field("vehicles", "named", "Vehicles by name; an entry replaces a built-in one.", table=VEHICLE),
    Field("people", "named", "People by key, as flights name them.", table=PERSON, keys=SLUG),
    Field("flights", "tables", "Crewed flights, in any order.", default=(), table=FLIGHT),
    Field(
        "expeditions",
        "named",
        "Expedition number = the flight whose undocking began it, { docked = flight } for one that began"
        " with a docking, or a date-time.",
        item="expedition",
        keys=EXPEDITION_NUMBER,
    ),
    Field("agreements", "tables", "Seat-swap agreements between core partners.", default=(), table=AGREEMENT),
)

TABLES = {
    "top level": TOP,
    "station": STATION,
    "agencies": AGENCY,
    "former_names": FORMER_NAME,
    "vehicles": VEHICLE,
    "people": PERSON,
    "flights": FLIGHT,
    "relocations": RELOCATION,
    "agreements": AGREEMENT,
}

# -- the JSON Schema ----------------------------------------------------------------------

_TIME = {"$ref": "#/$defs/time"}
_DEFS: dict[str, Any] = {
    "time": {
        "description": "A TOML offset date-time (UTC or with an offset) or a bare date (the time of day not known),"
        " from 1957 to 2999.",
        "type": "string",
        "pattern": TIME_PATTERN,
    },
    "country": {"description": "ISO 3166-1 alpha-2", "enum": list(COUNTRIES)},
}


def _value(kind: str, field: Field | None = None) -> dict[str, Any]:
    """The schema of one value of a kind (a field's own bounds and tables from `field`)."""
    if kind == "text":
        return {"type": "string", "minLength": 1}
    if kind == "slug":
        return {"type": "string", "pattern": f"^{SLUG}$"}
    if kind == "time":
        return dict(_TIME)
    if kind == "country":
        return {"$ref": "#/$defs/country"}
    if kind == "expedition":
        docked = {
            "type": "object",
            "additionalProperties": False,
            "required": ["docked"],
            "properties": {"docked": _value("slug")},
        }
        return {"anyOf": [_value("slug"), docked, _value("time")]}
    assert field is not None, kind
    if field.const is not None:
        return {"const": field.const}
    if kind == "choice":
        return {"enum": list(field.choices)}
    schema: dict[str, Any] = {}
    if kind in ("integer", "number", "boolean"):
        schema["type"] = kind
    elif kind == "list":
        items = {"enum": list(field.choices)} if field.choices else _value(field.item)
        schema = {"type": "array", "items": items}
    elif kind == "tables":
        schema = {"type": "array", "items": table_schema(field.table)}
    elif kind == "table":
        schema = table_schema(field.table)
    elif kind in ("named", "map"):
        schema = {"type": "object"}
        if field.keys:
            schema["propertyNames"] = {"pattern": f"^{field.keys}$"}
        schema["additionalProperties"] = table_schema(field.table) if field.table else _value(field.item)
    else:
        raise ValueError(f"no kind {kind!r}")
    for key, bound in (("minimum", field.low), ("exclusiveMinimum", field.above), ("maximum", field.high)):
        if bound is not None:
            schema[key] = int(bound) if bound == int(bound) else bound
    if field.non_empty:
        schema["minItems"] = 1
    if field.unique:
        schema["uniqueItems"] = True
    return schema


def table_schema(table: tuple[Field, ...]) -> dict[str, Any]:
    """The schema of a table with these fields: no other keys, the required ones present."""
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if required(table):
        schema["required"] = list(required(table))
    properties: dict[str, Any] = {}
    for field in table:
        value = _value(field.kind, field)
        if field.doc:
            value["description"] = field.doc
        properties[field.name] = value
    schema["properties"] = properties
    return schema


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a manifest, as check-jsonschema and editors read TOML."""
    top = table_schema(TOP)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://issmanifest.invalid/schemas/manifest-1.schema.json",
        "title": "issmanifest manifest, format 1",
        "description": "Crewed flights to a space station: who went up and came down on which flight, and when each"
        " vehicle was docked. See docs/manifest-format.md.",
        **top,
        "$defs": _DEFS,
    }


def schema_text() -> str:
    """The schema as the committed file and `issmanifest schema` write it."""
    import json

    return json.dumps(manifest_schema(), indent=2, ensure_ascii=False) + "\n"
