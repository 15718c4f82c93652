from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from polyfon.core.permissions import authenticated, requires

from . import roles
from .forms import ProfileForm
from .services import user_update_profile


@requires(authenticated)
def home(request):
    """Where a login lands: the office for coordinators, the participant's own pages otherwise."""
    if roles.is_coordinator(request.user) and not request.GET.get("mine"):
        return redirect("members:office_dashboard")
    return redirect("members:mine_home")


@requires(authenticated)
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your account is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
