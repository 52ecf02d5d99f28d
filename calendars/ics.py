"""A small RFC 5545 (iCalendar) writer for the calendar feeds.

Only what the feeds need: one VCALENDAR of all-day VEVENTs. Written here rather
than pulled in as a dependency because the subset is small and fully tested:
text escaping (backslash, semicolon, comma, newline; RFC 5545 §3.3.11), lines
folded at 75 octets without splitting a UTF-8 character (§3.1), CRLF line ends,
DTSTAMP on every event, all-day dates as ``VALUE=DATE`` with an exclusive DTEND
(§3.6.1), and a UID that is stable for an item in a county.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from calendars.items import DatedItem, ItemKind

PRODID = "-//jwp//Joint Work Planning calendar//EN"
UID_DOMAIN = "jwp.calendar"
_KIND_LABELS = dict(ItemKind.choices)


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Split a content line into 75-octet pieces joined by CRLF + one space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        # Continuation lines start with a space, which counts towards their 75 octets.
        room = limit if not pieces else limit - 1
        if size + width > room:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(item: DatedItem) -> str:
    """Stable per item and county: the item's key (":" and "/" kept, spaces dropped)."""
    return f"{item.key.replace(' ', '')}.county-{item.county_id}@{UID_DOMAIN}"


def event_lines(item: DatedItem, *, stamp: datetime, base_url: str = "") -> list[str]:
    last = item.end if item.end and item.end > item.date else item.date
    description = [str(_KIND_LABELS.get(item.kind, ""))] if item.kind in _KIND_LABELS else []
    if item.legal_reference:
        description.append(item.legal_reference)
    if item.extra.get("source"):
        description.append(item.extra["source"])
    if item.extra.get("notes"):
        description.append(item.extra["notes"])
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid(item))}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(item.date)}",
        f"DTEND;VALUE=DATE:{_date(last + timedelta(days=1))}",
        f"SUMMARY:{escape_text(item.title)}",
        f"CATEGORIES:{escape_text(item.kind)}",
        "TRANSP:TRANSPARENT",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    if item.url and base_url:
        lines.append(f"URL:{base_url.rstrip('/')}{item.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(items: Iterable[DatedItem], *, name: str, stamp: datetime, base_url: str = "") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for item in items:
        lines += event_lines(item, stamp=stamp, base_url=base_url)
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)
