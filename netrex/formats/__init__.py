"""Per-language formats (``FORMAT_MODULE_PATH``): ``nl/formats.py`` and ``en/formats.py``.

Dutch dates read "29 nov. 2026": the month abbreviations Django's ``N`` format uses are given their
Dutch form (with a full stop, "mei" and "juni" in full) in the project catalogue, ``locale/nl``.  They
are listed here so that ``makemessages`` keeps them.
"""

from django.utils.translation import pgettext_lazy

MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
