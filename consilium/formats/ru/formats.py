# One date format everywhere, the month in the genitive ("5 марта 2026"),
# in lists and tables too (SHORT_* are the same): see consilium/formats/__init__.py.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j E"
TIME_FORMAT = "H:i"
