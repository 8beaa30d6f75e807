from django.urls import path

from hosting import views

app_name = "services"

urlpatterns = [
    path("diensten/", views.list_view, name="list"),
    path("diensten/<int:service_id>/", views.detail_view, name="detail"),
    path("diensten/<int:service_id>/wijzigingen/", views.changes_view, name="changes"),
    path("diensten/<int:service_id>/activiteit/", views.activity_view, name="activity"),
    path("diensten/<int:service_id>/aliassen/", views.alias_add_view, name="alias_add"),
    path(
        "diensten/<int:service_id>/aliassen/<int:alias_id>/verwijderen/", views.alias_remove_view, name="alias_remove"
    ),
    path("diensten/<int:service_id>/dns/", views.dns_add_view, name="dns_add"),
    path("diensten/<int:service_id>/dns/<int:record_id>/verwijderen/", views.dns_remove_view, name="dns_remove"),
    path("diensten/<int:service_id>/doorsturen/", views.forwarder_add_view, name="forwarder_add"),
    path(
        "diensten/<int:service_id>/doorsturen/<int:forwarder_id>/verwijderen/",
        views.forwarder_remove_view,
        name="forwarder_remove",
    ),
    path("diensten/<int:service_id>/php/", views.php_view, name="php"),
    path("diensten/<int:service_id>/https/", views.https_view, name="https"),
    path("diensten/<int:service_id>/backups/herstellen/", views.restore_view, name="restore"),
]
