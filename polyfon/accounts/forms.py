from django.utils.translation import gettext_lazy as _

from polyfon.core.forms import ModelForm

from .models import User


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
        help_texts = {"language": _("E-mails to you are written in this language.")}
