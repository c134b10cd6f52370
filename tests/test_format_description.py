"""The manifest format described once (issmanifest/manifest/fields.py) and what is derived from it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from issmanifest.manifest import fields, validation
from issmanifest.manifest.canonical import FLIGHT_FIELDS
from issmanifest.manifest.loading import bundled_manifest, load_manifest
from issmanifest.manifest.writing import manifest_document

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schemas" / "manifest-1.schema.json"


def test_the_committed_schema_is_the_generated_one() -> None:
    # Stale after a change to fields.py: regenerate with `issmanifest schema > schemas/manifest-1.schema.json`.
    assert COMMITTED.read_text(encoding="utf-8") == fields.schema_text()


def test_the_schema_command_prints_the_generated_schema(cli) -> None:
    assert cli("schema").stdout == fields.schema_text()


def test_the_generated_schema_is_a_valid_schema_with_every_field_documented() -> None:
    schema = fields.manifest_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    flight = schema["properties"]["flights"]["items"]
    assert list(flight["properties"]) == list(fields.names(fields.FLIGHT))
    assert flight["required"] == ["id", "vehicle", "launch"]
    assert flight["properties"]["id"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert all(field.doc for table in fields.TABLES.values() for field in table)


def test_a_new_flight_field_reaches_the_schema() -> None:
    extra = fields.Field("crew_notes", "text", "Free text.")
    schema = fields.table_schema((*fields.FLIGHT, extra))
    assert schema["properties"]["crew_notes"] == {"type": "string", "minLength": 1, "description": "Free text."}


def test_the_canonical_dump_has_each_flight_field_but_the_id_in_the_described_order() -> None:
    assert fields.names(fields.FLIGHT)[1:] == FLIGHT_FIELDS


def test_the_writer_writes_a_full_flight_in_the_described_order() -> None:
    manifest = load_manifest(bundled_manifest())
    written = manifest_document(manifest)["flights"]
    full = max(written, key=len)
    order = [name for name in fields.names(fields.FLIGHT) if name in full]
    assert list(full) == order and len(full) >= 8
    assert all(set(table) <= set(fields.names(fields.FLIGHT)) for table in written)


def test_the_schema_is_generated_json_not_a_copy_of_the_file() -> None:
    assert json.loads(fields.schema_text()) == fields.manifest_schema()


def test_validation_knows_the_described_keys_and_no_others() -> None:
    assert set(validation.FLIGHT_KEYS) == set(fields.names(fields.FLIGHT))
    assert validation.MAX_SEATS == 20


def test_a_bound_from_the_description_is_said_as_before(cli, tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text("format = 1\n\n[vehicles.Tug]\nseats = 3\nmax_docked_days = 4000\n", encoding="utf-8")
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"{path}:5: vehicles.Tug.max_docked_days: 4000 is out of range (more than 0, up to 3650 days)\n"
    )
