"""The range of dates Liaison accepts anywhere a person types one.

Outside it a typo (year 9999, year 0202) would only make trouble later: calendar feeds compute
the day after a due date, charts group by month. Every form and service checks against these.
"""

import datetime as dt

FIRST_YEAR, LAST_YEAR = 1990, 2100
EARLIEST = dt.date(FIRST_YEAR, 1, 1)
LATEST = dt.date(LAST_YEAR, 12, 31)
