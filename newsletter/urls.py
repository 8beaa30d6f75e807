from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("nieuwsbrief/", views.subscribe_view, name="subscribe"),
    path("nieuwsbrief/bevestigen/<str:token>/", views.confirm_view, name="confirm"),
    path("nieuwsbrief/afmelden/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("reclame/bezwaar/<str:token>/", views.advertising_object_view, name="advertising_object"),
    path("voorkeuren/", views.preferences_view, name="preferences"),
    path("voorkeuren/account/", views.preferences_account_view, name="preferences_account"),
]
