from django.urls import path

from rights import views

app_name = "rights"

urlpatterns = [
    path("mijn-gegevens/", views.my_data_view, name="my_data"),
    path("mijn-gegevens/gegevens/<str:reference>/", views.my_data_item_view, name="my_data_item"),
    path("mijn-gegevens/export/", views.export_create_view, name="export_create"),
    path("mijn-gegevens/export/<uuid:export_id>/", views.export_detail_view, name="export_detail"),
    path("mijn-gegevens/export/<uuid:export_id>/download/", views.export_download_view, name="export_download"),
    path("rechten/", views.rights_view, name="rights"),
    path("rechten/verzoek/", views.request_new_view, name="request_new"),
    path("rechten/verzoek/verstuurd/", views.request_sent_view, name="request_sent"),
    path("rechten/verzoek/bevestigen/<str:token>/", views.request_confirm_view, name="request_confirm"),
]
