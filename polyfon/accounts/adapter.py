from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from polyfon.core.email import send_templated_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails go through our worker, in the user's language."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "language", None) or settings.LANGUAGE_CODE
        ctx = {k: v for k, v in context.items() if k not in {"request"}}
        send_templated_email(to=email, template=f"{template_prefix}", context=ctx, language=language)
