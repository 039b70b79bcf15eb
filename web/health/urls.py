from django.urls import path

from web.health import views

app_name = "health"

urlpatterns = [
    path("tasks", views.tasks, name="tasks"),
]
