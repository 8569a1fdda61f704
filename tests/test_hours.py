"""Office hours: the form volunteers write, read into data, and what a mistake says."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.hours import DayRange, Hours, HoursError, Opening, Span, parse, write


def test_days_and_times_become_data():
    hours = parse("Mon-Fri 08:00-12:00, 13:00-16:30; Sat 9:00-12:00")
    assert hours == Hours(
        (
            Opening((DayRange(0, 4),), (Span(time(8), time(12)), Span(time(13), time(16, 30)))),
            Opening((DayRange(5, 5),), (Span(time(9), time(12)),)),
        )
    )
    assert not hours.free


def test_full_day_names_lists_and_dashes_from_word_are_read():
    assert parse("monday, Wednesday\u2013Thu 08:00 \u2013 16:00") == Hours((Opening((DayRange(0, 0), DayRange(2, 3)), (Span(time(8), time(16)),)),))


def test_free_text_is_only_what_follows_text():
    assert parse("text: Mon-Fri by appointment") == Hours(text="Mon-Fri by appointment")
    assert parse("Text:  Call first ").free


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Monday to Friday 8:00 a.m. to 4:30 p.m.", "'8:00 a.m.': use the 24-hour clock without AM or PM, like 16:30 for 4:30 PM"),
        ("Mon-Fri 8-4:30", "'8' is not a time; write HH:MM on the 24-hour clock, like 08:00 or 16:30"),
        ("Mon-Fri 16:30-08:00", "'16:30-08:00' ends before it starts; times use the 24-hour clock, like 13:00-16:30"),
        ("Fri-Mon 08:00-12:00", "'Fri-Mon' runs backwards; write days from Monday to Sunday, like Mon-Fri, or list them: Sat, Sun"),
        ("Mon-Fri 08:00-16:30; Fri 17:00-19:00", "Friday is listed twice; give each day once"),
        ("Mo-Fr 08:00-16:30", "'Mo' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
        ("by appointment", "'by appointment' is not days then times; write hours like 'Mon-Fri 08:00-16:30; Sat 09:00-12:00', or 'text: ' then free text"),
        ("Mon 08:00-12:00, 11:00-13:00", "11:00 starts before 12:00 ends; list the times of a day in order"),
        ("", "the hours are empty; write hours like 'Mon-Fri 08:00-16:30; Sat 09:00-12:00', or 'text: ' then free text"),
        (" ; ", "the hours are empty; write hours like 'Mon-Fri 08:00-16:30; Sat 09:00-12:00', or 'text: ' then free text"),
        ("text:", "'text:' needs the text to print after it"),
    ],
)
def test_a_mistake_says_what_to_write(written, message):
    with pytest.raises(HoursError) as info:
        parse(written)
    assert str(info.value) == message


times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def openings(draw) -> Hours:
    """Valid hours: each day at most once, the spans of a day in order."""
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=1)))
    groups, ranges = [], []
    for day in days:
        if ranges and ranges[-1].last == day - 1 and draw(st.booleans()):
            ranges[-1] = DayRange(ranges[-1].first, day)
        else:
            ranges.append(DayRange(day, day))
    while ranges:
        take = draw(st.integers(1, len(ranges)))
        clocks = sorted(set(draw(st.lists(times, min_size=2, max_size=6))))
        spans = tuple(Span(a, b) for a, b in zip(clocks[::2], clocks[1::2], strict=False))
        if not spans:
            spans = (Span(time(8), time(17)),)
        groups.append(Opening(tuple(ranges[:take]), spans))
        ranges = ranges[take:]
    return Hours(tuple(groups))


@given(openings())
def test_written_hours_read_back_the_same(hours):
    assert parse(write(hours)) == hours


@given(st.text(max_size=20).map(str.strip).filter(bool))
def test_free_text_reads_back_the_same(text):
    assert parse(write(Hours(text=text))) == Hours(text=text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_anything_written_is_hours_or_a_hours_error(value):
    try:
        hours = parse(value)
    except HoursError as exc:
        assert str(exc)
    else:
        assert hours.free or hours.openings
