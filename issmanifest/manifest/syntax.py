"""TOML syntax errors said for people: where the mistake is and how to write it instead.

tomllib stops at the first error with a terse message and a position that is
often past the mistake (the next line, the end of the document). This reads
the line in question and, for the mistakes people make most, says what is
wrong with the value they wrote and how TOML wants it.
"""

from __future__ import annotations

import re
from datetime import datetime

from issmanifest.manifest.model import parse_instant
from issmanifest.manifest.problems import Problem
from issmanifest.manifest.sourcemap import SourceMap

PLACE = "TOML syntax"
DATE_FORMS = "dates are written 2022-09-21, or with a time and zone as 2022-09-21T13:54:00Z"

_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_ASSIGNMENT = re.compile(r"""^\s*(?P<key>[^=#\[]*?)\s*=\s*(?P<value>.*?)\s*(?:#.*)?$""")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_NUMBER_LIKE = re.compile(r"^[+-]?[\d_]+(\.[\d_]+)?([eE][+-]?\d+)?$")
_BARE_WORDS = re.compile(r"^[^\W\d][\w .'-]*$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+(\s*\.\s*[A-Za-z0-9_-]+)*$")
_TUPLE = re.compile(r"\(((?:'[^']*'(?:, )?)+),?\)")


def syntax_problem(error: str, text: str, name: str) -> Problem:
    """The problem a tomllib error describes, located and explained."""
    match = _POSITION.search(error)
    message = error[: match.start()] if match else error
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr and (not match or not match.group(1) or int(match.group(1)) > text.count("\n", 0, lone_cr.start())):
        # tomllib counts lines by LF alone; a lone CR ends no line, so what follows it is misread.
        cr_line = text.count("\n", 0, lone_cr.start()) + 1
        cr_column = lone_cr.start() - text.rfind("\n", 0, lone_cr.start())
        fix = "end lines with LF or CR LF"
        return Problem(
            name, "a lone CR is not a TOML line ending", place=PLACE, line=cr_line, column=cr_column, hint=fix
        )
    lines = text.splitlines()
    if match and match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    else:
        line, column = max(len(lines), 1), None
    message = _TUPLE.sub(lambda m: ".".join(re.findall(r"'([^']*)'", m.group(1))), message)
    message = message[:1].lower() + message[1:]

    def problem(what: str, hint: str | None = None, at: int = line, col: int | None = column) -> Problem:
        return Problem(name, what, place=PLACE, line=at, column=col, hint=hint)

    source = lines[line - 1] if 0 < line <= len(lines) else ""
    assignment = _ASSIGNMENT.match(source)
    key, value = (assignment["key"], assignment["value"]) if assignment else ("", "")

    if message.startswith("cannot overwrite a value"):
        repeated = SourceMap(text).repeated
        if repeated:
            path, at = repeated[0]
            return problem(f"{_dotted(path)} is set twice", at=at, col=None)
        return problem(message)
    if message.startswith("cannot declare"):
        table = message.removeprefix("cannot declare ").removesuffix(" twice")
        earlier = _first_use(text, table, line)
        hint = f"it is already defined on line {earlier}" if earlier else None
        return problem(f"table [{table}] is defined twice", hint, col=None)
    if message.startswith("cannot mutate immutable namespace"):
        table = message.removeprefix("cannot mutate immutable namespace ")
        earlier = _first_use(text, table, line)
        where = f" on line {earlier}" if earlier else ""
        return problem(f"{table} is already set{where}", f"use either {table} = [...] or [[{table}]] tables, not both")
    if message.startswith("unterminated string"):
        opened = _open_multiline(lines)
        if opened is not None:
            start, delimiter = opened
            return problem("unterminated multi-line string", f"close it with {delimiter}", at=start, col=None)
    if message.startswith("unterminated string") or message.startswith("illegal character '\\n'"):
        return problem("unterminated string", 'close it with " on the same line')
    if message.startswith("unclosed array"):
        opening = _open_array(lines, line)
        return problem("unclosed array", "close it with ]", at=opening or line, col=None if opening else column)
    if message.startswith("unescaped '\\' in a string") or message.startswith("unescaped '\\\\' in a string"):
        return problem("invalid escape in a string", "write \\\\ for a backslash, or use a 'literal string'")
    if "invalid initial character for a key part" in message and re.search(r",\s*}", source):
        return problem("trailing comma in an inline table", "remove the comma before }")
    if message.startswith(("expected '=' after a key", "invalid statement")) and assignment:
        bad = next((char for char in key if not re.match(r"[A-Za-z0-9_.\-\s\"']", char)), None)
        if bad and not key.startswith(('"', "'")):
            return problem(
                f"invalid character {bad!r} in a key", "bare keys use letters, digits, _ and -; quote any other"
            )
    if (
        message.startswith(("expected newline or end of document", "invalid value", "invalid date or datetime"))
        and value
    ):
        explained = _explain_value(key.strip(), value)
        if explained:
            return problem(*explained, col=source.find(value) + 1)
    if message.startswith("expected '=' after a key"):
        missing = re.match(r"^\s*([A-Za-z0-9_.-]+)\s+([^=#\s][^=#]*?)\s*(?:#.*)?$", source)
        if missing:
            return problem(f'missing "=" after {missing[1]}', f"write {missing[1]} = {missing[2]}")
        return problem(message, "write key = value")
    if message.startswith("invalid date or datetime"):
        return problem(message, DATE_FORMS)
    return problem(message)


def _explain_value(key: str, value: str) -> tuple[str, str] | None:
    """What is wrong with a value tomllib could not read, and how to write it."""
    if _DATE_LIKE.match(value):
        offset = re.search(r"[+-](\d\d):?(\d\d)$", value)
        if offset and (int(offset.group(1)) > 23 or int(offset.group(2)) > 59):
            return f"invalid time zone offset {offset.group()}", "from -23:59 to +23:59, or Z for UTC"
        try:
            moment = parse_instant(value)
        except ValueError:
            pass
        else:
            has_zone = bool(re.search(r"(Z|z|[+-]\d\d:?\d\d)$", value.strip()))
            written = f"{key} = {moment.iso()}" + ("" if has_zone or moment.date_only else ", if that time is UTC")
            kind = "date" if moment.date_only else "date-time"
            return f"{value} is not a TOML {kind}", f"write {written}"
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            try:
                datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                return f"{value} is not a calendar date", DATE_FORMS
        return f"invalid date {value}", DATE_FORMS
    if _NUMBER_LIKE.match(value):
        return f"invalid number {value}", "an underscore goes between two digits: 1_000"
    if _BARE_WORDS.match(value) and value not in ("true", "false"):
        return f"invalid value {value}", f'text goes in quotes: {key} = "{value}"'
    if value.startswith("[") and re.search(r"[\[,]\s*[^\W\d][\w-]*\s*[,\]]", value):
        quoted = re.sub(r"([\[,]\s*)([^\W\d][\w-]*)(?=\s*[,\]])", r'\1"\2"', value)
        return "invalid value in an array", f"text goes in quotes: {key} = {quoted}"
    return None


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[#{part + 1}]"
        else:
            text += ("." if text else "") + (part if _BARE_KEY.match(part) else f'"{part}"')
    return text


def _first_use(text: str, table: str, before: int) -> int | None:
    """The first line that defines `table`, by a header or a (dotted) key, before line `before`."""
    parts = tuple(table.split("."))
    source = SourceMap(text)
    lines = [line for path, line in source.keys.items() if path[: len(parts)] == parts and line < before]
    return min(lines, default=None)


def _open_multiline(lines: list[str]) -> tuple[int, str] | None:
    """The line where a multi-line string opens and never closes, and its delimiter."""
    opened: tuple[int, str] | None = None
    for number, line in enumerate(lines, start=1):
        if opened is None and line.lstrip().startswith("#"):
            continue
        for delimiter in ('"""', "'''"):
            if line.count(delimiter) % 2:
                opened = None if opened is not None else (number, delimiter)
    return opened


def _open_array(lines: list[str], error_line: int) -> int | None:
    """The line of the last `key = [` before the error whose brackets never close."""
    for number in range(min(error_line, len(lines)), 0, -1):
        line = lines[number - 1]
        if re.match(r"^\s*[^#=\[]+=\s*\[", line) and line.count("[") > line.count("]"):
            return number
    return None


# Strings and comments (whose brackets do not count), or a bracket.
_NESTING = re.compile(
    r'"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[\[{\]}]', re.DOTALL
)


def nesting_problem(text: str, name: str) -> Problem:
    """A document nested too deeply for tomllib to read, located at the value that nests deepest."""
    depth = deepest = 0
    start = outermost = 0
    for token in _NESTING.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            if depth == 0:
                start = token.start()
            depth += 1
            if depth > deepest:
                deepest, outermost = depth, start
        elif bracket in "]}":
            depth = max(depth - 1, 0)
    if not deepest:
        return Problem(name, "nested too deeply to read", place=PLACE)
    line = text.count("\n", 0, outermost) + 1
    column = outermost - text.rfind("\n", 0, outermost)
    what = f"arrays or inline tables nested {deepest} deep, too deep to read"
    return Problem(name, what, place=PLACE, line=line, column=column)
