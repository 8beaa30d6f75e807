from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list_view, name="list"),
    path("<int:pk>/", views.order_detail_view, name="detail"),
    path("<int:pk>/pay/", views.order_pay_view, name="pay"),
    # The invoices moved to the billing app; old links (emails, bookmarks) still lead there.
    path("<int:pk>/invoice/", views.invoice_moved_view, name="invoice"),
    path("<int:pk>/invoice/download/", views.invoice_moved_view, {"pdf": True}, name="invoice_download"),
    path("shop/", views.catalogue_view, name="catalogue"),
    path("cart/", views.cart_view, name="cart"),
    path("cart/add/", views.cart_add_view, name="cart_add"),
    path("cart/<int:line_id>/", views.cart_quantity_view, name="cart_quantity"),
    path("cart/<int:line_id>/remove/", views.cart_remove_view, name="cart_remove"),
    path("cart/confirm/", views.cart_accept_view, name="cart_accept"),
    path("checkout/", views.checkout_view, name="checkout"),
    path("add-ons/", views.addons_view, name="addons"),
    path("add-ons/<int:product_id>/buy/", views.addon_buy_view, name="addon_buy"),
    path("credits/<int:product_id>/buy/", views.credit_pack_buy_view, name="credit_pack_buy"),
]
