from django.urls import path

from contact import views

app_name = "contact"

urlpatterns = [
    path("contact/", views.contact_view, name="form"),
    path("contact/verzonden/", views.thanks_view, name="thanks"),
    path("contact/mijn-vragen/", views.my_requests_view, name="mine"),
    path("contact/mijn-vragen/<int:pk>/", views.thread_view, name="thread"),
    path("contact/mijn-vragen/<int:pk>/tevreden/", views.thread_satisfied_view, name="thread_satisfied"),
    path("contact/tevreden/<str:token>/", views.satisfied_view, name="satisfied"),
    path("contact/nog-niet/<str:token>/", views.not_yet_view, name="not_yet"),
]
