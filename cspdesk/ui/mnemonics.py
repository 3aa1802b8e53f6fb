"""Text shown on buttons, menus and buddied labels, where Qt reads "&x" as a shortcut marker."""

from __future__ import annotations


def literal(text: str) -> str:
    """``text`` shown as typed: "Outcomes & outputs" must not read "Outcomes _outputs"."""
    return text.replace("&", "&&")
