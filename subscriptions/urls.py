from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("abonnementen/", views.list_view, name="list"),
    path("abonnementen/nieuw/<slug:code>/", views.subscribe_view, name="subscribe"),
    path("abonnementen/<int:pk>/", views.detail_view, name="detail"),
    path("abonnementen/<int:pk>/opzeggen/", views.cancel_view, name="cancel"),
]
