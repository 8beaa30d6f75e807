"""The customer's account closure: a confirmation page after re-authentication, then closure at once."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import closure
from retention.forms import AccountCloseForm


@login_required
@reauthentication_required
def account_close_view(request: HttpRequest) -> HttpResponse:
    form = AccountCloseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                closure.account_close(user=request.user, request=request)
            except closure.ClosureBlocked:
                messages.error(
                    request,
                    _(
                        "We cannot close your account right now because the law requires us to keep some of your "
                        "data for the time being. Contact us and we will explain what we keep and why."
                    ),
                )
                return redirect("retention:account_close")
            return redirect("retention:account_closed")
        messages.error(request, _("Tick the box to confirm that you want to close your account."))
    return render(
        request,
        "retention/account_close.html",
        {"form": form, "plan": closure.closure_plan(user=request.user)},
    )


def account_closed_view(request: HttpRequest) -> HttpResponse:
    return render(request, "retention/account_closed.html")
