"""The customer's profiling page: what we built, and the switch to object (C10, C39f)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stats import selectors, services
from stats.buffer import buffer


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    buffer.flush_quietly()  # so the page shows this process's latest visits too
    return render(request, "stats/profile.html", {"profile": selectors.profile_of(user=request.user)})


@login_required
@require_POST
def objection_view(request: HttpRequest) -> HttpResponse:
    if request.POST.get("choice") == "allow":
        if services.profiling_allow(user=request.user, request=request):
            messages.success(request, _("Profiling is allowed again. You can object at any time."))
    elif services.profiling_object(user=request.user, request=request):
        messages.success(
            request, _("Your objection is recorded: we no longer build a profile of you, and what we had is deleted.")
        )
    return redirect("stats:profile")
