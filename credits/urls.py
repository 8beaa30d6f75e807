from django.urls import path

from credits import views

app_name = "credits"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("add-ons/<int:product_id>/", views.addon_credits_view, name="addon_credits"),
]
