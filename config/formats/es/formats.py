# The one set of date formats of the app, in Spanish (see config/formats/en/formats.py).
DATE_FORMAT = r"l j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"l j \d\e F \d\e Y, H:i T"
SHORT_DATETIME_FORMAT = "D j M Y, H:i T"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = r"F \d\e Y"
FIRST_DAY_OF_WEEK = 1
