from django.urls import path

from credits import views

app_name = "credits"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("buy/<int:product_id>/", views.pack_buy_view, name="pack_buy"),
]
