from django.urls import path

from web.health import views

app_name = "health"

urlpatterns = [
    path("tasks", views.tasks, name="tasks"),
]

# At the root of both URLconfs (config/urls.py, config/urls_api.py): a separate API process group is
# probed and scraped on the same paths as the site.
root_patterns = [
    path("healthz", views.alive, name="healthz"),
    path("readyz", views.ready, name="readyz"),
    path("metrics", views.metrics_page, name="metrics"),
]
