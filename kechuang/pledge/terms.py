"""Patent protection terms and calendar arithmetic for loans.

A patent's term counts from its filing date (专利法第四十二条): 20 years for inventions, 10 for utility models,
and for designs 10 years, or 15 when filed from 1 June 2021 (the fourth amendment). Application numbers themselves
are parsed in `kechuang.codes`.
"""

import datetime as dt

from kechuang.codes import DESIGN, INVENTION, UTILITY

TERM_YEARS = {INVENTION: 20, UTILITY: 10}
DESIGN_TERM_CHANGE = dt.date(2021, 6, 1)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the anniversary in a common year is 1 March
        return dt.date(day.year + years, 3, 1)


def term_years(patent_type: str, filing_date: dt.date) -> int:
    if patent_type == DESIGN:
        return 15 if filing_date >= DESIGN_TERM_CHANGE else 10
    return TERM_YEARS[patent_type]


def expiry_date(patent_type: str, filing_date: dt.date) -> dt.date:
    """Last day of protection: the term counts from the filing date, so it ends the day before the anniversary."""
    return add_years(filing_date, term_years(patent_type, filing_date)) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)
