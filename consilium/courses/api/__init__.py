"""The course bank's JSON API: catalog, courses, runs, enrolment and progress."""

from ninja import Router

from consilium.courses.api import authoring, catalog, learning

router = Router(tags=["courses"])
router.add_router("", catalog.router)
router.add_router("", authoring.router)
router.add_router("", learning.router)
