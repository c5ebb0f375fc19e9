# The one set of date formats of the app, in English. Templates name these
# ("DATE_FORMAT", "SHORT_DATETIME_FORMAT"...) instead of spelling formats out. A date and
# time of day carries the zone's abbreviation ("PST"), since a reader may be elsewhere.
DATE_FORMAT = "l j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "l j F Y, H:i T"
SHORT_DATETIME_FORMAT = "D j M Y, H:i T"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
