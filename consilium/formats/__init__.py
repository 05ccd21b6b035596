"""Date and number formats per language (``FORMAT_MODULE_PATH``), over Django's own.

One date format per language, everywhere (pages, tables, PDFs, e-mails, catalog cards): the
day, the month's name and the year, ``j E Y`` ("5 March 2026", "5 марта 2026",
"5 березня 2026", "5 наурыз 2026"); with the time, ``j E Y, H:i``. ``SHORT_DATE_FORMAT`` is the
same, so a template asking for either gets one form. ``E`` is the month as it stands inside a
date (Russian and Ukrainian genitive; Kazakh in lower case, from ``locale/kk``'s "alt. month"
entries); ``F``, a month on its own ("Наурыз 2026"), keeps its capital.
"""
