"""Office hours as data, so each edition prints them in its own language.

Written ``Mon-Fri 08:00-16:30; Sat 09:00-12:00``: groups split by ``;``, each days then times.
Days are English names or their first three letters, alone or as a range, joined by ``,``
(``Mon, Wed``, ``Mon-Wed, Fri``); times are 24-hour ``HH:MM-HH:MM``, joined by ``,`` for a
break (``08:00-12:00, 13:00-16:30``). ``text: …`` is free text, printed as written in every
language: an explicit fallback for what the form cannot say ("by appointment").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FREE_TEXT = "text:"
EXAMPLE = "write hours like 'Mon-Fri 08:00-16:30; Sat 09:00-12:00', or 'text: ' then free text"

_DASH = r"\s*[-\u2013\u2014]\s*|\s+to\s+"  # Excel and Word turn '-' into an en dash
_GROUP = re.compile(r"^(?P<days>[A-Za-z][A-Za-z\s,\-\u2013\u2014]*?)\s+(?P<times>\d.*)$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


class HoursError(ValueError):
    """Hours that do not follow the form; the message says what to write instead."""


@dataclass(frozen=True)
class DayRange:
    first: int  # 0 is Monday, as Babel counts
    last: int

    @property
    def days(self) -> range:
        return range(self.first, self.last + 1)


@dataclass(frozen=True)
class Span:
    start: time
    end: time


@dataclass(frozen=True)
class Opening:
    """Some days, all open at the same times."""

    days: tuple[DayRange, ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Hours:
    openings: tuple[Opening, ...] = ()
    text: str = ""  # the free-text fallback, printed as written in every language

    @property
    def free(self) -> bool:
        return bool(self.text)


def parse(value: str) -> Hours:
    """The hours ``value`` describes; a HoursError says what is wrong and how to write it."""
    value = value.strip()
    if value[: len(FREE_TEXT)].lower() == FREE_TEXT:
        text = value[len(FREE_TEXT) :].strip()
        if not text:
            raise HoursError(f"'{FREE_TEXT}' needs the text to print after it")
        return Hours(text=text)
    openings = tuple(_opening(group.strip()) for group in value.split(";") if group.strip())
    if not openings:  # nothing, or only separators (";")
        raise HoursError(f"the hours are empty; {EXAMPLE}")
    seen: set[int] = set()
    for opening in openings:
        for day_range in opening.days:
            twice = seen.intersection(day_range.days)
            if twice:
                raise HoursError(f"{DAYS[min(twice)].capitalize()} is listed twice; give each day once")
            seen.update(day_range.days)
    return Hours(openings)


def _opening(group: str) -> Opening:
    match = _GROUP.match(group)
    if not match:
        raise HoursError(f"{group!r} is not days then times; {EXAMPLE}")
    days = tuple(_day_range(part.strip()) for part in match["days"].split(","))
    spans = tuple(_span(part.strip()) for part in match["times"].split(","))
    for before, after in zip(spans, spans[1:], strict=False):
        if after.start < before.end:
            raise HoursError(f"{_clock(after.start)} starts before {_clock(before.end)} ends; list the times of a day in order")
    return Opening(days, spans)


def _day_range(text: str) -> DayRange:
    ends = re.split(_DASH, text)
    if len(ends) > 2 or not all(ends):
        raise HoursError(f"{text!r} is not a day or a range of days like Mon-Fri")
    first, last = (_day(end) for end in (ends[0], ends[-1]))
    if last < first:
        raise HoursError(f"{text!r} runs backwards; write days from Monday to Sunday, like Mon-Fri, or list them: Sat, Sun")
    return DayRange(first, last)


def _day(word: str) -> int:
    lowered = word.lower()
    for number, name in enumerate(DAYS):
        if len(lowered) >= 3 and name.startswith(lowered):
            return number
    raise HoursError(f"{word!r} is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun")


def _span(text: str) -> Span:
    ends = re.split(_DASH, text)
    if len(ends) != 2:
        raise HoursError(f"{text!r} is not a time range like 08:00-16:30")
    start, end = (_time(end) for end in ends)
    if end <= start:
        raise HoursError(f"{text!r} ends before it starts; times use the 24-hour clock, like 13:00-16:30")
    return Span(start, end)


def _time(text: str) -> time:
    match = _CLOCK.match(text)
    if re.search(r"[ap]\.?\s*m\.?$", text, flags=re.I):
        raise HoursError(f"{text!r}: use the 24-hour clock without AM or PM, like 16:30 for 4:30 PM")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise HoursError(f"{text!r} is not a time; write HH:MM on the 24-hour clock, like 08:00 or 16:30")
    return time(int(match[1]), int(match[2]))


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def write(hours: Hours) -> str:
    """The hours in the form parse() reads."""
    if hours.free:
        return f"{FREE_TEXT} {hours.text}"

    def days(day_range: DayRange) -> str:
        names = [DAYS[day_range.first][:3].capitalize(), DAYS[day_range.last][:3].capitalize()]
        return names[0] if day_range.first == day_range.last else "-".join(names)

    return "; ".join(
        f"{', '.join(days(d) for d in opening.days)} {', '.join(f'{_clock(s.start)}-{_clock(s.end)}' for s in opening.spans)}" for opening in hours.openings
    )
