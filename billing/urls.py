from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("facturen/", views.billing_list_view, name="list"),
    path("facturen/<int:pk>/", views.document_view, {"kind": "invoice"}, name="invoice"),
    path("facturen/<int:pk>/pdf/", views.document_pdf_view, {"kind": "invoice"}, name="invoice_pdf"),
    path("creditnotas/<int:pk>/", views.document_view, {"kind": "credit_note"}, name="credit_note"),
    path("creditnotas/<int:pk>/pdf/", views.document_pdf_view, {"kind": "credit_note"}, name="credit_note_pdf"),
    path("facturen/bestelling/<int:pk>/", views.order_invoice_view, name="order_invoice"),
    path("facturen/bestelling/<int:pk>/pdf/", views.order_invoice_view, {"pdf": True}, name="order_invoice_pdf"),
]
