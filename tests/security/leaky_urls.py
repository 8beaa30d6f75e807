"""The portal's URLs plus one deliberately broken view: proves the access sweep fails on a leak."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from netrex.urls import urlpatterns as portal
from orders.models import Order


def leak(request, pk: int) -> HttpResponse:
    order = get_object_or_404(Order, pk=pk)  # no owner check: the bug the sweep must find
    return HttpResponse(f"{order.user.email} {order.user.last_name}")


urlpatterns = [*portal, path("leak/orders/<int:pk>/", leak, name="leak")]
