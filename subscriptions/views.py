"""The customer's subscription pages: the list with the plans, taking one out, the detail, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from payments.gateway import GatewayError
from portal import dashboard
from portal.page_copies import page_copy
from subscriptions import selectors, services
from subscriptions.forms import SubscribeForm

# The list offers the active plans: a change of a plan renews its copies.
dashboard.watch("subscriptions.Plan")

GATEWAY_DOWN = gettext_lazy(
    "Our payment provider cannot be reached at the moment. Nothing has been charged or recorded; "
    "please try again in a few minutes."
)


@login_required
@page_copy
def list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.subscriptions_of(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "subscriptions/list.html", {"page": page, "plans": selectors.plans_available()})


@login_required
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def subscribe_view(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_object_or_404(selectors.plans_available(), code=code)
    targets = selectors.targets_open(user=request.user)
    form = SubscribeForm(request.POST if request.method == "POST" else None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target_ref, domain = form.target_and_domain()
        try:
            _subscription, payment = services.subscription_start(
                user=request.user, plan=plan, target_ref=target_ref, domain=domain, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.SubscriptionRefused as exc:
            messages.error(request, str(exc))
            return redirect("subscriptions:list")
        except GatewayError:
            messages.error(request, GATEWAY_DOWN)
            return redirect("subscriptions:list")
        else:
            return redirect(payment.checkout_url)
    context = {"plan": plan, "address": request.user.billing_address(), "form": form}
    return render(request, "subscriptions/subscribe.html", context)


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(selectors.subscriptions_of(user=request.user), pk=pk)
    payments = Paginator(selectors.payments_of(subscription=subscription), 20).get_page(request.GET.get("page"))
    context = {"subscription": subscription, "page": payments, "end": selectors.subscription_end(subscription)}
    return render(request, "subscriptions/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(selectors.subscriptions_of(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            services.subscription_cancel(subscription=subscription, user=request.user, request=request)
        except services.SubscriptionRefused as exc:
            messages.error(request, str(exc))
        except GatewayError:
            messages.error(request, GATEWAY_DOWN)
        else:
            messages.success(request, _("Your subscription has been cancelled."))
        return redirect(subscription.get_absolute_url())
    return render(request, "subscriptions/cancel.html", {"subscription": subscription})
