from django.urls import path

from events import views

app_name = "events"

# The addresses are fixed: Facebook posts and calendar subscriptions point at them.
urlpatterns = [
    path("", views.programme, name="programme"),
    path("past/", views.past, name="past"),
    path("<int:pk>/", views.event_public, name="public"),
    path("<int:pk>.ics", views.event_ics, name="ics"),
    path("staff/<str:token>.ics", views.staff_feed, name="staff_feed"),
]
