"""Working days on the official Chinese calendar (public holidays and their make-up working days).

Public notices (公示) and objection periods are counted in working days. The calendar comes from the
`chinese_calendar` package, which ships the State Council's yearly holiday arrangements; a date outside the years
it knows raises `NotImplementedError`, which callers turn into a clear refusal rather than a guess.
"""

import datetime as dt

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    return chinese_calendar.is_workday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date on which a period of `days` working days that starts on `start` ends (inclusive).

    A period starting on a rest day starts on the next working day.
    """
    if days < 1:
        raise ValueError("a period lasts at least one working day")
    day = start
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    counted = 1
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included."""
    return sum(1 for n in range((end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))
