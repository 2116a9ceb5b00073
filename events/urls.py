from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("<int:pk>/", views.event_public, name="public"),
]
