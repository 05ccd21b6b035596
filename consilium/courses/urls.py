"""Course bank pages. Each views module lists its own routes in ``urls``."""

from consilium.courses.views import authoring, catalog, learning, reviewing, statistics

app_name = "courses"

urlpatterns = [
    *catalog.urls,
    *authoring.urls,
    *reviewing.urls,
    *learning.urls,
    *statistics.urls,
]
