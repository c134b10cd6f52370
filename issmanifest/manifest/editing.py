"""Edits of a manifest's text that keep everything they do not change.

`slip`, `ground` and the commands that record what happened write a manifest
back through these functions. tomlkit reads the text into a document that
remembers every comment, blank line, key order and quoting style; an edit
replaces only the items it must, so the result differs from the file on the
lines the edit changes and nowhere else. Values are given as the model holds
them (`When`, tuples of people keys, `Relocation`s) and written as the format
wants them: a date-time with Z, a bare date where only the day is known.

Comments on a changed line: a comment that explained an assumption about the
old value (`# assumed: ...`, `# NET 2026-09: the day is a placeholder`, `# from
one public dataset only, not confirmed`) would lie about the new one, so a
recorded edit drops it, or replaces it with the `comment` given (the source of
the new value); other comments are kept. A standalone `# port left out: ...`
line gives way to the key it said was missing. The what-ifs (`shift_flight`,
`ground_flight`) keep every comment as written: they record nothing.

This module is the only one that imports tomlkit, and only commands that edit
import it, so `show` and `check` do not pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import ParseError
from tomlkit.items import AoT, Comment, InlineTable, Item, Key, String, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from issmanifest.manifest import fields
from issmanifest.manifest.model import Flight, Person, Relocation, When
from issmanifest.manifest.problems import ManifestError, Problem, did_you_mean

# The order of a flight's keys in the format (manifest/fields.py): a key the file lacks is inserted
# after the last key that comes before it there.
FLIGHT_FIELDS = fields.names(fields.FLIGHT)
MOMENTS = frozenset({"launch", "dock", "undock", "landing", "grounded"})

FlightValue = When | str | bool | tuple[str, ...] | tuple[Relocation, ...] | tuple[tuple[str, str], ...]
"""A field's value as `model.Flight` holds it: a `When`, a string, a boolean, a tuple of people
keys or field names, a tuple of `Relocation`s, or a tuple of (person, agency) pairs."""

# Words of a comment that explained an assumption about a value rather than its source.
_ASSUMPTION = re.compile(
    r"assum|placeholder|\bplanned\b|\bexpected\b|tentative|unconfirmed|not (?:yet )?confirmed"
    r"|not (?:yet )?announced|not known|unknown|from memory|compiler recall"
    r"|\(reference \?\)|approximate|estimate|(?-i:\bNET\b)",
    re.IGNORECASE,
)
# A standalone line saying that fields are missing: `# dock, port, undock left out: not known`.
_LEFT_OUT = re.compile(r"#\s*(?P<names>[a-z]+(?:(?:\s*,\s*|\s+and\s+)[a-z]+)*)\s+(?P<rest>left out\b.*)", re.DOTALL)


def edit_flight(
    text: str,
    flight_id: str,
    changes: Mapping[str, FlightValue | None],
    *,
    confirm: bool = False,
    comment: str | None = None,
    source: str = "<manifest>",
) -> str:
    """The manifest's text with fields of one flight set, or removed where the value is None.

    `confirm` says the new values are confirmed: the flight is no longer `tentative`, and the
    changed fields leave its `uncertain` list (the key goes when the list empties). Without it
    the values keep the flight's state. A removed field always leaves `uncertain`; no moves, no
    trip agencies, no uncertain fields and `tentative` False remove their keys, as the format's
    writer leaves them out. `comment` goes on each changed line, in place of a comment that
    explained an assumption.

    Example: edit_flight(text, "crew-12", {"undock": parse_instant("2026-10-07")}, confirm=True)
    """
    editor = _Editor(text, source)
    flights, index = editor.flight(flight_id)
    table = flights[index]
    plain = {field: _plain(field, value) for field, value in changes.items()}
    bookkeeping: dict[str, Any] = {}
    if confirm and "tentative" not in changes and "tentative" in table:
        bookkeeping["tentative"] = None
    unsure = table.get("uncertain")
    if "uncertain" not in changes and isinstance(unsure, list):
        lifted = {field for field, value in plain.items() if confirm or value is None}
        remaining = [field for field in unsure if field not in lifted]
        if len(remaining) < len(unsure):
            bookkeeping["uncertain"] = remaining or None
    body = editor.edited(table, plain, comment=comment, recorded=True)
    body = editor.edited(_with_body(table, body), bookkeeping, comment=None, recorded=False)
    return editor.replace_flight(flights, index, _with_body(table, body))


def shift_flight(text: str, flight_id: str, fields: Iterable[str], seconds: int, *, source: str = "<manifest>") -> str:
    """The manifest's text with some dates of one flight moved by `seconds`, every comment kept.

    `fields` are among launch, dock, relocations (the start and end of each move), undock and
    landing, as `whatif.SLIP_FIELDS` gives them; a field the flight lacks stays absent, except a
    docking moved without its launch, which is then written out. Raises ValueError when a bare
    date would move by part of a day.

    Example: shift_flight(text, "soyuz-ms-29", ("launch", "dock"), 14 * 86_400)
    """
    editor = _Editor(text, source)
    flights, index = editor.flight(flight_id)
    if not seconds:
        return text
    table = flights[index]
    moving = set(fields)
    changes: dict[str, Any] = {}
    for field in ("launch", "dock", "undock", "landing"):
        if field not in moving:
            continue
        if field in table:
            changes[field] = _shifted(editor.when(table, field), seconds, flight_id, field).to_value()
        elif field == "dock" and "launch" not in moving and "launch" in table:
            changes[field] = _shifted(editor.when(table, "launch"), seconds, flight_id, field).to_value()
    if "relocations" in moving and "relocations" in table:
        for relocation in _relocations(table):
            for end in ("start", "end"):
                if end in relocation:
                    moved = _shifted(editor.when(relocation, end), seconds, flight_id, f"relocations.{end}")
                    relocation[end] = tomlkit.item(moved.to_value())
    body = editor.edited(table, changes, comment=None, recorded=False)
    return editor.replace_flight(flights, index, _with_body(table, body))


def ground_flight(text: str, flight_id: str, when: When, *, source: str = "<manifest>") -> str:
    """The manifest's text with one flight grounded from `when` on, every comment kept.

    Example: ground_flight(text, "soyuz-ms-22", parse_instant("2022-12-15"))
    """
    editor = _Editor(text, source)
    flights, index = editor.flight(flight_id)
    table = flights[index]
    body = editor.edited(table, {"grounded": when.to_value()}, comment=None, recorded=False)
    return editor.replace_flight(flights, index, _with_body(table, body))


def add_flight(text: str, flight: Flight, *, source: str = "<manifest>") -> str:
    """The manifest's text with a new [[flights]] table, in time order, its keys in the format's order.

    The flight is written as `writing.flight_table` writes it (no `dock` equal to the launch,
    no `down` equal to `up`). It goes after the last flight that launches
    no later than it, or before the first flight; the blank lines and comments that followed
    that flight follow the new one.

    Example: add_flight(text, Flight(id="soyuz-ms-30", vehicle="Soyuz MS", launch=..., dock=...))
    """
    from issmanifest.manifest.writing import flight_table

    editor = _Editor(text, source)
    flights = editor.flights()
    ids = [table.get("id") for table in flights] if flights is not None else []
    if flight.id in ids:
        raise ManifestError([Problem(source, f'there is already a flight "{flight.id}"', place="flights")])
    new = tomlkit.table()
    for field, value in flight_table(flight).items():
        new.raw_append(field, editor.item(value))
    if flights is None:
        return editor.append_flights(new)
    position = 0
    for index, table in enumerate(flights):
        launch = _when(table.get("launch"))
        if launch is not None and launch.seconds <= flight.launch.seconds:
            position = index + 1
    return editor.insert_flight(flights, position, new)


def add_person(text: str, person: Person, *, source: str = "<manifest>") -> str:
    """The manifest's text with a new person in [people], written as one inline table on one line.

    The line goes in alphabetical order where the keys are sorted
    (as in the bundled record), else after the last person.

    Example: add_person(text, Person("kononenko", "Oleg Kononenko", "Roscosmos", "RU"))
    """
    editor = _Editor(text, source)
    entry = editor.item({"name": person.name, "agency": person.agency, "nationality": person.nationality})
    people = editor.document.get("people")
    if people is None:
        table = tomlkit.table()
        table.raw_append(person.id, entry)
        editor.document.append("people", table)
        return editor.document.as_string()
    if not isinstance(people, Table):
        raise ManifestError([Problem(source, "people is not a table", place="people", hint="write [people]")])
    if person.id in people:
        raise ManifestError([Problem(source, f'there is already a person "{person.id}"', place="people")])
    body = list(people.value.body)
    keys = [(index, key.key) for index, (key, item) in enumerate(body) if key is not None and _simple(item)]
    names = [name for _, name in keys]
    if names == sorted(names):
        earlier = [index for index, name in keys if name < person.id]
        at = earlier[-1] + 1 if earlier else (keys[0][0] if keys else 0)
    else:
        at = keys[-1][0] + 1 if keys else 0
    editor.insert_line(body, min(at, _first_table(body)), tomlkit.key(person.id), entry)
    editor.document["people"] = _with_body(people, body)
    return editor.document.as_string()


class _Editor:
    """One edit of one text: its document, its name for messages and its line ending."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.newline = "\r\n" if "\r\n" in text else "\n"
        try:
            self.document: TOMLDocument = tomlkit.parse(text)
        except ParseError as error:
            raise ManifestError([_syntax_problem(text, error, source)]) from None

    def flights(self) -> AoT | None:
        flights = self.document.get("flights")
        if flights is None or isinstance(flights, AoT):
            return flights
        hint = "write each flight as a [[flights]] table"
        raise ManifestError([Problem(self.source, "flights are not [[flights]] tables", place="flights", hint=hint)])

    def flight(self, flight_id: str) -> tuple[AoT, int]:
        """The flights and the index of the one with this id."""
        flights = self.flights()
        ids = [table.get("id") for table in flights] if flights is not None else []
        if flights is None or ids.count(flight_id) != 1:
            if ids.count(flight_id) > 1:
                message = f'more than one flight "{flight_id}"'
                raise ManifestError([Problem(self.source, message, place="flights")])
            hint = did_you_mean(flight_id, [id for id in ids if isinstance(id, str)])
            raise ManifestError([Problem(self.source, f'no flight "{flight_id}"', hint=hint)])
        return flights, ids.index(flight_id)

    def when(self, table: Mapping[str, Any], field: str) -> When:
        when = _when(table[field])
        if when is not None:
            return when
        place = f"flights[{table.get('id')}].{field}"
        raise ManifestError([Problem(self.source, "not a date or a date-time with a zone", place=place)])

    def item(self, value: Any, like: Item | None = None) -> Item:
        """A TOML item for a plain value, inline tables written `{ key = value }` as the format's examples are.

        A string replacing a literal string (`'...'`) stays literal where its text allows.
        """
        if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
            item = tomlkit.value(_literal(value))
        elif isinstance(value, str) and _is_literal(like) and _literal_ok(value):
            item = tomlkit.string(value, literal=True)
        else:
            item = tomlkit.item(value)
        item.trivia.trail = self.newline
        return item

    def edited(
        self, table: Table, changes: Mapping[str, Any], *, comment: str | None, recorded: bool
    ) -> list[tuple[Key | None, Item]]:
        """The table's lines with the changes made: values set in place, new keys inserted, None removed."""
        body = list(table.value.body)
        for field in sorted(changes, key=_rank):
            value = changes[field]
            at = next((i for i, (key, _) in enumerate(body) if key is not None and key.key == field), None)
            old = body[at][1] if at is not None else None
            if value is None or (old is not None and isinstance(old, (Table, AoT))):
                if at is not None:
                    del body[at]
                if value is None:
                    continue
                old = None
            new = self.item(value, like=old)
            if at is not None and old is not None:
                _carry_trivia(new, old, comment if recorded else None, drop_assumptions=recorded)
                body[at] = (body[at][0], new)
            else:
                if comment is not None:
                    new.trivia.comment_ws, new.trivia.comment = "  ", _comment(comment)
                self.insert_field(body, field, new)
        return body

    def insert_field(self, body: list[tuple[Key | None, Item]], field: str, item: Item) -> None:
        """Put a new key where the format's order wants it, or where a comment said it was left out."""
        key = tomlkit.key(field)
        for index, (other, line) in enumerate(body):
            names = _left_out(line) if other is None else None
            if names is None or field not in names:
                continue
            rest = [name for name in names if name != field]
            if not rest:
                item.trivia.indent = line.trivia.indent
                body[index] = (key, item)
                return
            body[index] = (None, _rewritten(line, rest))
            self.insert_line(body, index + 1, key, item)
            return
        rank = _rank(field)
        before = [i for i, (other, _) in enumerate(body) if other is not None and _rank(other.key) < rank]
        if before:
            at = before[-1] + 1
            # Past lines saying that earlier fields are left out: they belong to the key above.
            while at < len(body) and body[at][0] is None:
                names = _left_out(body[at][1])
                if names is None or any(_rank(name) >= rank for name in names):
                    break
                at += 1
        else:
            at = next((i for i, (other, _) in enumerate(body) if other is not None), 0)
        self.insert_line(body, min(at, _first_table(body)), key, item)

    def insert_line(self, body: list[tuple[Key | None, Item]], at: int, key: Key, item: Item) -> None:
        if at > 0 and not isinstance(body[at - 1][1], (Whitespace, Table, AoT)):
            previous = body[at - 1][1].trivia
            if not previous.trail.endswith("\n"):
                previous.trail += self.newline
        body.insert(at, (key, item))

    def replace_flight(self, flights: AoT, index: int, table: Table) -> str:
        del flights[index]
        flights.insert(index, table)
        return self.document.as_string()

    def insert_flight(self, flights: AoT, position: int, new: Table) -> str:
        """Insert a flight; the blank lines and comments after the flight before it now follow it."""
        if position == 0:
            new.raw_append(None, Whitespace(self.newline))
            flights.insert(0, new)
            return self.document.as_string()
        previous = flights[position - 1]
        body = list(previous.value.body)
        last = max((i for i, (key, _) in enumerate(body) if key is not None), default=-1)
        split = next((i for i in range(last + 1, len(body)) if isinstance(body[i][1], Whitespace)), len(body))
        kept, trailing = body[:split], body[split:]
        if kept and not isinstance(kept[-1][1], (Whitespace, Table, AoT)):
            end = kept[-1][1].trivia
            if not end.trail.endswith("\n"):
                end.trail += self.newline
        if trailing:
            kept.append((None, Whitespace(self.newline)))
        for key, line in trailing:
            new.raw_append(key, line)
        del flights[position - 1]
        flights.insert(position - 1, _with_body(previous, kept))
        flights.insert(position, new)
        return self.document.as_string()

    def append_flights(self, new: Table) -> str:
        text = self.document.as_string()
        if text and not text.endswith("\n"):
            text += self.newline
        separator = self.newline if text.strip() else ""
        return text + separator + tomlkit.dumps({"flights": [new]}).replace("\n", self.newline)


def _plain(field: str, value: FlightValue | None) -> Any:
    """A model value as the TOML value the format writes for it, None for no key; TypeError for a wrong kind.

    As in the format's writer, no moves, no trip agencies, no uncertain fields and not tentative are no key.
    """
    if field not in FLIGHT_FIELDS:
        raise ValueError(f"no field {field!r} in a flight (one of {', '.join(FLIGHT_FIELDS)})")
    if value is None or (value in ((), False) and field in ("relocations", "agencies", "uncertain", "tentative")):
        return None
    if field in MOMENTS and isinstance(value, When):
        return value.to_value()
    if field in ("id", "vehicle", "port", "note") and isinstance(value, str):
        return value
    if field == "tentative" and isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        if field in ("up", "down", "uncertain") and all(isinstance(item, str) for item in value):
            return list(value)
        if field == "relocations" and all(isinstance(item, Relocation) for item in value):
            from .writing import relocation_table

            return [relocation_table(item) for item in value]  # type: ignore[arg-type]
        if field == "agencies" and all(isinstance(item, tuple) and len(item) == 2 for item in value):
            return dict(value)  # type: ignore[arg-type]
    raise TypeError(f"{value!r} is no value for a flight's {field}")


def _literal(value: Any) -> str:
    """TOML text for a value, inline tables with spaces inside the braces; several in an array, one a line."""
    if isinstance(value, dict):
        pairs = ", ".join(f"{tomlkit.key(key).as_string()} = {_literal(item)}" for key, item in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        if len(value) == 1:
            return f"[{_literal(value[0])}]"
        return "[\n" + "".join(f"    {_literal(item)},\n" for item in value) + "]"
    return str(tomlkit.item(value).as_string())


def _shifted(when: When, seconds: int, flight_id: str, field: str) -> When:
    if when.date_only and seconds % 86_400:
        raise ValueError(f"the {field} of {flight_id} is a date without a time of day ({when}); move it by whole days")
    return When(when.seconds + seconds, when.date_only)


def _relocations(table: Table) -> list[Any]:
    """The tables of a flight's moves, inline or [[flights.relocations]], to edit in place."""
    relocations = table["relocations"]
    return [relocation for relocation in relocations if isinstance(relocation, (InlineTable, Table))]


def _rank(field: str) -> int:
    return FLIGHT_FIELDS.index(field) if field in FLIGHT_FIELDS else len(FLIGHT_FIELDS)


def _simple(item: Item) -> bool:
    return not isinstance(item, (Table, AoT))


def _first_table(body: list[tuple[Key | None, Item]]) -> int:
    """Where sub-tables begin: a plain key after one of them would belong to it."""
    return next((i for i, (_, item) in enumerate(body) if isinstance(item, (Table, AoT))), len(body))


def _with_body(table: Table, body: Iterable[tuple[Key | None, Item]]) -> Table:
    """A table like `table` (header, comment, kind) with these lines."""
    new = Table(
        Container(parsed=True),
        table.trivia,
        table.is_aot_element(),
        table.is_super_table(),
        table.name,
        table.display_name,
    )
    for key, item in body:
        new.raw_append(key, item)
    return new


def _is_literal(item: Item | None) -> bool:
    """Whether an item is a one-line literal string, `'...'`."""
    return isinstance(item, String) and item.as_string()[:1] == "'" and item.as_string()[:3] != "'''"


def _literal_ok(text: str) -> bool:
    """Whether a TOML literal string can hold the text: no quote, no control character but tab."""
    return "'" not in text and not any((ord(char) < 32 and char != "\t") or ord(char) == 127 for char in text)


def _when(value: object) -> When | None:
    """A TOML date or date-time with a zone as a `When`; None for anything else."""
    if isinstance(value, datetime):
        return When.of(value) if value.tzinfo is not None else None
    return When.of(value) if isinstance(value, date) else None


def _carry_trivia(new: Item, old: Item, comment: str | None, *, drop_assumptions: bool) -> None:
    """Give a changed line the old line's indent, end and comment, the comment's column kept where it fits."""
    trivia, before = new.trivia, old.trivia
    trivia.indent, trivia.trail = before.indent, before.trail
    kept = before.comment
    if drop_assumptions and kept and _ASSUMPTION.search(kept):
        kept = ""
    if comment is not None:
        kept = _comment(comment) + (f"; {kept.lstrip('#').strip()}" if kept else "")
    if not kept:
        trivia.comment_ws, trivia.comment = "", ""
        return
    old_text, new_text = old.as_string(), new.as_string()
    if before.comment and "\n" not in old_text + new_text:
        spaces = len(before.comment_ws) + len(old_text) - len(new_text)
        trivia.comment_ws = " " * max(spaces, min(len(before.comment_ws), 2), 1)
    else:
        trivia.comment_ws = "  "
    trivia.comment = kept


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def _left_out(line: Item) -> list[str] | None:
    """The fields a standalone comment says are left out, if that is what it says."""
    if not isinstance(line, Comment):
        return None
    match = _LEFT_OUT.fullmatch(line.trivia.comment.strip())
    if match is None:
        return None
    names = re.split(r"\s*,\s*|\s+and\s+", match["names"])
    return names if all(name in FLIGHT_FIELDS for name in names) else None


def _rewritten(line: Item, names: list[str]) -> Comment:
    match = _LEFT_OUT.fullmatch(line.trivia.comment.strip())
    assert match is not None
    comment = tomlkit.comment(f"{', '.join(names)} {match['rest']}")
    comment.trivia.indent, comment.trivia.trail = line.trivia.indent, line.trivia.trail
    return comment


def _syntax_problem(text: str, error: ParseError, source: str) -> Problem:
    """A text tomlkit cannot read, said as `check` says it when tomllib agrees."""
    import tomllib

    from issmanifest.manifest.syntax import syntax_problem

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as strict:
        return syntax_problem(str(strict), text, source)
    message = str(error).split(" at line ")[0]
    return Problem(source, message, place="TOML syntax", line=error.line, column=error.col)
