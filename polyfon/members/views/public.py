"""Public pages of the register: the join page with the letter of intent, and the participants."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django_ratelimit.decorators import ratelimit

from polyfon.content.models import WorkArea
from polyfon.core.dates import local_today
from polyfon.core.pages import errors_on
from polyfon.core.permissions import public

from .. import selectors, services
from ..forms import LetterOfIntentForm
from ..join import fee_table, return_share


@public
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def join(request):
    form = LetterOfIntentForm(request.POST or None)
    admission_round = services.current_admission_round()
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, _too_many())
        elif form.is_bot:
            # A filled-in hidden field: answer as if it worked, keep nothing.
            return redirect("members:join_thanks")
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            with errors_on(form):
                services.letter_of_intent_submit(language=(get_language() or "nb")[:2], **data)
                return redirect("members:join_thanks")
    return render(
        request,
        "members/public/join.html",
        {
            "form": form,
            "fee_table": fee_table(),
            "return_share": return_share(),
            "work_areas": WorkArea.objects.filter(is_active=True),
            "admission_round": admission_round,
            "past_deadline": bool(admission_round and local_today() > admission_round.letter_deadline),
            "cluster": settings.CLUSTER,
        },
    )


def _too_many():
    from django.utils.translation import gettext as _

    return _("Too many letters have been sent from your network in a short time. Wait an hour, or e-mail us.")


@public
def join_thanks(request):
    return render(request, "members/public/join_thanks.html")


@public
def public_participants(request):
    return render(request, "members/public/participants.html", {"groups": selectors.public_members_by_kind()})
