"""Receivers of the orders app: what it does when something happens elsewhere.

``user_logged_in`` (``django.contrib.auth``, also sent by allauth's log-in): the cart the visitor filled
before logging in joins the customer's own cart (``orders.cart.cart_merge``).
"""

from orders.cart import cart_merge


def cart_merge_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        cart_merge(request=request, user=user)
