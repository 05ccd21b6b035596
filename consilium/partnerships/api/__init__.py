"""The partnerships API: programmes, agreements and their whole lifecycle, as JSON.

Every endpoint names the permission it requires (``access.require``); reads go through the
selectors, which start from what the person may see, and every write goes through
``consilium.partnerships.services``. An agreement that does not exist answers 404; one that
exists but is hidden from this person answers 403, as the pages do.

Editing a draft is optimistic: send the ``revision`` you read. If someone saved in between, the
answer is 409 with the current revision and nothing is written.

One module per part, each with its own ``router`` (a path belongs to one module: ninja serves
each module's paths apart, so two modules sharing a path would answer 405 to one of them);
every schema is in ``schemas.py`` and what the endpoints share in ``common.py``. The project
mounts ``router`` below.
"""

from ninja import Router

from consilium.partnerships.api import agreements, documents, programmes, recommendations, report

router = Router(tags=["partnerships"])
router.add_router("", programmes.router)
router.add_router("", agreements.router)
router.add_router("", recommendations.router)
router.add_router("", documents.router)
router.add_router("", report.router)
