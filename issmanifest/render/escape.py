"""Untrusted text made harmless for a terminal, in every format."""

from __future__ import annotations

# Control characters, DEL, C1 controls, bidirectional overrides and the Unicode
# line and paragraph separators: each could move the cursor, recolour the screen,
# reorder what is shown or break a line where none is.
_UNSAFE = {code: f"\\x{code:02x}" for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if code != 0x0A}
_UNSAFE.update(
    {
        code: f"\\u{code:04x}"
        for code in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }
)


def clean(text: str) -> str:
    """Untrusted text made harmless for a terminal: unsafe characters shown as escapes."""
    return text.translate(_UNSAFE)


def clean_line(text: str) -> str:
    """As `clean`, and on one line: newlines shown as \\n."""
    return clean(text).replace("\n", "\\n")
