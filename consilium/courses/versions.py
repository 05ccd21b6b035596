"""The content versions (``core/public_cache.py``) of the course bank's cached pages.

A module of its own, below every service, so that authoring and reviewing (which both retire
the catalog's cached pages) need not import each other for it.
"""

# The ContentVersion of the catalog and the public course pages.
CATALOG = "courses"
