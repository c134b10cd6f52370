"""Where in a TOML text a key stands, so problems can name a line.

tomllib gives values without positions. This is a small line scanner, run only
when there is a problem to place; it understands enough TOML (headers, arrays
of tables, dotted and quoted keys, inline tables, multi-line arrays and
strings) to find the line of a key, of an array element, or of a value.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, text)
    return tuple(part[1:-1] if part[:1] in "\"'" else part for part in parts)


def _code(line: str) -> str:
    """The line without its comment and with string contents blanked."""
    out: list[str] = []
    quote = ""
    i = 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\" and quote == '"':
                out.append("  ")
                i += 2
                continue
            if char == quote:
                quote = ""
                out.append(char)
            else:
                out.append(" ")
        elif char in "\"'":
            quote = char
            out.append(char)
        elif char == "#":
            break
        else:
            out.append(char)
        i += 1
    return "".join(out)


class SourceMap:
    """The line (1-based) of each key path in a TOML text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[Path, int] = {}
        self.repeated: list[tuple[Path, int]] = []
        self._scan()

    def _record(self, path: Path, line: int) -> None:
        if path in self.keys:
            self.repeated.append((path, line))
        else:
            self.keys[path] = line

    def _scan(self) -> None:
        table: Path = ()
        counts: dict[Path, int] = {}
        in_string = ""
        array: Path | None = None
        depth = 0
        elements = 0
        for number, raw in enumerate(self.lines, start=1):
            if in_string:
                if in_string in raw:
                    in_string = ""
                continue
            for delimiter in ('"""', "'''"):
                if raw.count(delimiter) % 2 == 1:
                    in_string = delimiter
            code = _code(raw) if not in_string else raw.split(in_string)[0]
            stripped = code.strip()
            if array is not None:
                for char in code:
                    if char == "{" and depth == 1:
                        self._record((*array, elements), number)
                        elements += 1
                    depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(char, 0)
                if depth <= 0:
                    array = None
                continue
            # `code` keeps the columns of `raw`, so spans found in one can be read from the other.
            if stripped.startswith("[["):
                start = code.index("[[") + 2
                name = _split_key(raw[start : code.find("]]", start)])
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = (*name, index)
                self._record(table, number)
            elif stripped.startswith("["):
                start = code.index("[") + 1
                table = _split_key(raw[start : code.find("]", start)])
                self._record(table, number)
            elif match := _KEY.match(code):
                path = (*table, *_split_key(raw[match.start(1) : match.end(1)]))
                self._record(path, number)
                value = code[match.end() :]
                elements = 0
                if value.strip().startswith("{"):
                    for inner in _INLINE_KEY.finditer(code, match.end()):
                        self._record((*path, *_split_key(raw[inner.start(1) : inner.end(1)])), number)
                elif value.strip().startswith("["):
                    depth = 0
                    for char in value:
                        if char == "{" and depth == 1:
                            self._record((*path, elements), number)
                            elements += 1
                        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(char, 0)
                    if depth > 0:
                        array = path

    def line_of(self, path: Path, needle: str | None = None) -> int | None:
        """The line of `path` or of its nearest recorded parent; with `needle`, the line
        at or below it that contains the needle (an array element, say). The empty path is the top."""
        if not path:
            return 1 if self.lines else None
        for end in range(len(path), 0, -1):
            line = self.keys.get(path[:end])
            if line is not None:
                break
        else:
            return None
        if needle:
            for number in range(line, min(len(self.lines), line + 500) + 1):
                text = self.lines[number - 1]
                if number > line and text.lstrip().startswith("["):
                    break
                if needle in text:
                    return number
        return line


_FLIGHT_ID = re.compile(r"""^\s*id\s*=\s*["']([^"']+)["']""")


def flight_lines(text: str) -> dict[str, int]:
    """The line of each `id = "..."` in a [[flights]] table, by flight id."""
    lines: dict[str, int] = {}
    in_flights = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("["):
            in_flights = stripped.startswith("[[flights]]")
        elif in_flights and (match := _FLIGHT_ID.match(raw)):
            lines.setdefault(match.group(1), number)
    return lines
