from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("profilering/", views.profile_view, name="profile"),
    path("profilering/bezwaar/", views.objection_view, name="objection"),
]
