"""Form base classes: Designsystemet classes on every widget, and domain errors on the form."""

from django import forms

from .errors import DomainError


class StyledFormMixin:
    """Gives every widget Designsystemet's classes; the field template adds label and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = "ds-input"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in getattr(self, "fields", {}) else None
        self.add_error(field, error.message)


class Form(StyledFormMixin, forms.Form):
    template_name = "polyfon/forms/form.html"


class ModelForm(StyledFormMixin, forms.ModelForm):
    template_name = "polyfon/forms/form.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class HoneypotInput(forms.TextInput):
    """A field people leave empty and bots fill in. It is moved off-screen and out of the tab
    order; its label tells screen-reader users to leave it empty."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off", **(attrs or {})})


class HoneypotField(forms.CharField):
    widget = HoneypotInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
