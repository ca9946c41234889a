"""How the command line talks to a terminal: colour and progress (click only; nothing heavy).

* Colour only when the stream is a terminal, ``NO_COLOR`` is unset or empty (no-color.org) and
  ``TERM`` is not ``dumb``; a pipe or a file gets plain text.
* Progress is one line on stderr, redrawn in place, and only when stderr is a terminal: a pipe,
  a file or ``--json``'s stdout never see it.  Lines written to stdout while it is shown first
  erase it, so that both can share one terminal.
"""
from __future__ import annotations

import os
import sys
import time

import click

STYLES = {
    "proved": {"fg": "green", "bold": True}, "certified": {"fg": "blue", "bold": True}, "checked": {"fg": "green"},
    "refuted": {"fg": "red", "bold": True}, "unknown": {"fg": "yellow"},
    "verified": {"fg": "green", "bold": True}, "failed": {"fg": "red", "bold": True},
    "incomplete": {"fg": "yellow", "bold": True}, "confirmed": {"fg": "green"}, "NOT CONFIRMED": {"fg": "red"},
    "ok": {"fg": "green"}, "!!": {"fg": "red", "bold": True},
}


def is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a file
        return False


def colour_wanted(stream=None) -> bool:
    """Colour on ``stream`` (stdout by default): a terminal, ``NO_COLOR`` unset or empty, ``TERM`` not dumb."""
    stream = sys.stdout if stream is None else stream
    return is_terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def painter(enabled: bool):
    """``paint(word, text=None)``: ``text`` (default ``word``) in the style of ``word``, or unchanged."""
    def paint(word: str, text: str | None = None) -> str:
        text = word if text is None else text
        style = STYLES.get(word.strip()) if enabled else None
        return click.style(text, **style) if style else text
    return paint


class Progress:
    """A one-line counter on stderr (``verifying 12/444 hippo``), shown only when stderr is a
    terminal; :meth:`echo` prints a stdout line without mixing the two."""

    INTERVAL = 0.1  # seconds between redraws

    def __init__(self, label: str, total: int = 0, stream=None, enabled: bool | None = None):
        self.stream = sys.stderr if stream is None else stream
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.label, self.total, self.done, self.note = label, total, 0, ""
        self.shown, self._last = False, 0.0

    def start(self, label: str, total: int) -> None:
        """A new phase (``figures``, ``mutants``) with its own count."""
        self.label, self.total, self.done, self.note = label, total, 0, ""
        self._draw(force=True)

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if note:
            self.note = note
        self._draw(force=self.done >= self.total)

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.INTERVAL:
            return
        self._last = now
        count = f"{self.done}/{self.total}" if self.total else str(self.done)
        text = f"{self.label} {count}" + (f"  {self.note}" if self.note else "")
        self.stream.write("\r\x1b[K" + text[:200])
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def echo(self, line: str = "") -> None:
        """``line`` on stdout; the counter, if shown, is erased first and redrawn after."""
        shown = self.shown
        self.clear()
        click.echo(line)
        if shown:
            self._draw(force=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.clear()
        return False
