"""Input parsing and field validation for reporting. Rules that span rows live in services."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polyfon.core.dates import local_today
from polyfon.core.forms import DateInput, Form, ModelForm

from . import breakdowns as bd
from .models import REPORT_LANGUAGES, AnnualReport, Indicator, ReportingRound, Source, Unit
from .services import Mapping

# --- Numbers as Norwegians write them --------------------------------------------------------------------


class NumberInput(forms.TextInput):
    """A text box for a number ('1 234,5' works): type=number would refuse the decimal comma in
    some browsers and read it differently in others."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "ds-input number-input", **(attrs or {})})


class LocalDecimalField(forms.Field):
    """A non-negative number written with a decimal comma or point and spaces between thousands."""

    widget = NumberInput

    def __init__(self, *, decimals: int = 2, **kwargs):
        self.decimals = decimals
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "20"}

    def to_python(self, value):
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value or "")).replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number, e.g. 12 or 1,5."), code="invalid") from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number, e.g. 12 or 1,5."), code="invalid")
        if number < 0:
            raise ValidationError(_("The number cannot be negative."), code="negative")
        if self.decimals == 0 and number != number.to_integral_value():
            raise ValidationError(_("Enter a whole number."), code="whole")
        if number.as_tuple().exponent < -self.decimals:
            raise ValidationError(_("Use at most %(n)s decimals.") % {"n": self.decimals}, code="decimals")
        return number


def _style_added_fields(form) -> None:
    """Designsystemet's class on fields added after the form's own __init__ (which styles the others)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
            continue
        classes = widget.attrs.get("class", "").split()
        if "ds-input" not in classes:
            widget.attrs["class"] = " ".join([*classes, "ds-input"])


# --- Indicators ----------------------------------------------------------------------------------------------


class IndicatorForm(ModelForm):
    breakdowns = forms.MultipleChoiceField(
        label=_("Break-downs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Reported indicators: “work area” asks for a value per work area; region and kind follow from the "
            "participant. Imported indicators: the groups the file gives values for (at most one)."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "code", "source", "topic", "name", "name_nn", "name_en", "description", "description_nn", "description_en",
            "unit", "decimals", "breakdowns", "chart", "position", "is_active",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_nn": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            del self.fields["code"], self.fields["source"]
            self.fields["breakdowns"].choices = bd.choices_for(source=instance.source)
            if instance.is_computed:
                for name in ("topic", "unit", "breakdowns"):
                    del self.fields[name]
        else:
            self.fields["source"].choices = [(Source.REPORTED, Source.REPORTED.label), (Source.IMPORTED, Source.IMPORTED.label)]
            reported = {code for code, _label in bd.choices_for(source=Source.REPORTED)}
            imported = {code for code, _label in bd.choices_for(source=Source.IMPORTED)}
            self.fields["breakdowns"].choices = [(b.code, b.label) for b in bd.BREAKDOWNS.values() if b.code in reported | imported]
            self.fields["code"].help_text = _("Short and stable, used in exports: e.g. mt_positions.")

    def validate_unique(self):
        # The service checks the code and says so at the field.
        pass


# --- Reporting rounds ----------------------------------------------------------------------------------------


class ReminderDaysField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reminders (days before the deadline)"))
        kwargs.setdefault("help_text", _("Comma-separated, e.g. 14, 3. Leave empty for no reminders before the deadline."))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        parts = [p for p in re.split(r"[,\s;]+", text) if p]
        if any(not p.isdigit() for p in parts):
            raise ValidationError(_("Give whole numbers of days, e.g. 14, 3."), code="invalid")
        return [int(p) for p in parts]


class RoundForm(ModelForm):
    reminder_days = ReminderDaysField()
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Indicators asked for"),
        required=False,
    )

    class Meta:
        model = ReportingRound
        fields = ["year", "deadline", "intro", "indicators", "reminder_days", "remind_after_deadline"]
        widgets = {"deadline": DateInput(), "intro": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Indicator.objects.filter(source=Source.REPORTED).order_by("position", "code")
        if self.instance.pk:
            del self.fields["year"]
            queryset = queryset.filter(is_active=True) | queryset.filter(rounds=self.instance)
        else:
            queryset = queryset.filter(is_active=True)
            self.fields["indicators"].initial = list(queryset.values_list("pk", flat=True))
            self.fields["year"].initial = local_today().year
        self.fields["indicators"].queryset = queryset.distinct().order_by("position", "code")
        self.fields["indicators"].label_from_instance = lambda i: i.display_name

    def validate_unique(self):
        pass


class ReportAnswersForm(Form):
    """The questions of a round: one field per indicator, or one per work area when the
    indicator is asked per area; then a free comment (and, to correct, the reason)."""

    def __init__(self, *args, indicators, work_areas, initial_answers=None, comment="", correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators, self.work_areas, self.correcting = list(indicators), list(work_areas), correcting
        initial_answers = initial_answers or {}
        self.keys: dict[str, tuple[int, int | None]] = {}
        for indicator in self.indicators:
            decimals = 0 if indicator.unit == Unit.COUNT else 2
            if indicator.per_work_area:
                for area in self.work_areas:
                    name = f"i{indicator.pk}_a{area.pk}"
                    self.fields[name] = LocalDecimalField(decimals=decimals, label=area.display_name)
                    self.keys[name] = (indicator.pk, area.pk)
            else:
                name = f"i{indicator.pk}"
                self.fields[name] = LocalDecimalField(
                    decimals=decimals, label=indicator.display_name, help_text=indicator.display_description
                )
                self.keys[name] = (indicator.pk, None)
        for name, key in self.keys.items():
            if key in initial_answers:
                value = initial_answers[key]
                self.initial[name] = _plain(value, decimals=self.fields[name].decimals)
        self.fields["comment"] = forms.CharField(
            label=_("Comments"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
            help_text=_("Anything the coordinator should know, for example about your local projects."),
        )
        self.initial["comment"] = comment
        if correcting:
            self.fields["reason"] = forms.CharField(
                label=_("Why is the report corrected?"),
                widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
                help_text=_("Kept with the change, for the coordinator and the history of the report."),
            )
        _style_added_fields(self)

    def groups(self):
        """For the template: each indicator with its fields (one, or one per work area)."""
        for indicator in self.indicators:
            names = [name for name, key in self.keys.items() if key[0] == indicator.pk]
            yield {"indicator": indicator, "per_area": indicator.per_work_area, "fields": [self[name] for name in names]}

    def answers(self) -> dict[tuple[int, int | None], Decimal | None]:
        return {key: self.cleaned_data.get(name) for name, key in self.keys.items()}


def _plain(value: Decimal, *, decimals: int) -> str:
    """A stored value as it is typed in: 1,5 (decimal comma), no trailing zeros."""
    text = f"{value.normalize():f}" if value is not None else ""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- Imports ---------------------------------------------------------------------------------------------------


class ImportUploadForm(Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A header row with the column names, then one row per year (and group). UTF-8 or Windows-1252."),
    )
    source_name = forms.CharField(
        label=_("Source"), max_length=200, required=False, help_text=_("Where the data come from, e.g. Norsk pasientregister (NPR).")
    )


class ImportMappingForm(Form):
    """Which column holds the year, which holds the group, and which holds each indicator."""

    def __init__(self, *args, headers, indicators, mapping: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("– none –"))] + [(h, h) for h in headers]
        self.indicators = list(indicators)
        self.fields["year_column"] = forms.ChoiceField(label=_("Column with the year"), choices=columns, required=False)
        self.fields["fixed_year"] = forms.IntegerField(
            label=_("Or: the year every row is for"), required=False, min_value=2000, max_value=2100
        )
        self.fields["key_column"] = forms.ChoiceField(
            label=_("Column with the group (region, work area, ...)"),
            choices=columns,
            required=False,
            help_text=_("Leave empty when each row gives a total."),
        )
        for indicator in self.indicators:
            groups = ", ".join(bd.label_of(code).lower() for code in indicator.breakdowns) or _("no break-down")
            self.fields[f"column_{indicator.code}"] = forms.ChoiceField(
                label=_("Column with: %(indicator)s") % {"indicator": indicator.display_name},
                choices=columns,
                required=False,
                help_text=_("Groups: %(groups)s.") % {"groups": groups},
            )
        mapping = mapping or {}
        self.initial.setdefault("year_column", mapping.get("year_column") or _guess(headers, ("år", "aar", "year", "årstall")))
        self.initial.setdefault("fixed_year", mapping.get("fixed_year"))
        self.initial.setdefault(
            "key_column", mapping.get("key_column") or _guess(headers, ("helseregion", "region", "rhf", "fylke", "county"))
        )
        for column, code in (mapping.get("columns") or {}).items():
            self.initial.setdefault(f"column_{code}", column)
        _style_added_fields(self)

    def mapping(self) -> Mapping:
        data = self.cleaned_data
        columns = {data[f"column_{i.code}"]: i.code for i in self.indicators if data.get(f"column_{i.code}")}
        return Mapping(
            columns=columns,
            year_column=data.get("year_column") or "",
            fixed_year=data.get("fixed_year"),
            key_column=data.get("key_column") or "",
        )


def _guess(headers, names) -> str:
    for header in headers:
        if header.strip().lower() in names:
            return header
    return ""


# --- Annual reports ----------------------------------------------------------------------------------------------


class AnnualReportForm(ModelForm):
    language = forms.ChoiceField(label=_("Language of the report"), choices=REPORT_LANGUAGES, widget=forms.RadioSelect)

    class Meta:
        model = AnnualReport
        fields = ["year", "language", "title", "summary", "comparison_years"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]
        else:
            self.fields["year"].initial = local_today().year - 1
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty for “Annual report <year>”.")

    def validate_unique(self):
        pass


class SectionForm(Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body_source = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: blank lines between paragraphs, **bold**, *italic*, lists with -, headings with ##, links as [text](https://…)."),
    )
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Indicators shown after the text"),
        help_text=_("Each with its figures for the year, the years before, and its break-downs, as tables and a chart."),
    )

    def __init__(self, *args, section=None, figures_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Indicator.objects.filter(is_active=True)
        if section is not None:
            queryset = queryset | Indicator.objects.filter(section_uses__section=section)
            self.initial.setdefault("heading", section.heading)
            self.initial.setdefault("body_source", section.body_source)
            self.initial.setdefault("indicators", list(section.section_indicators.values_list("indicator_id", flat=True)))
        self.fields["indicators"].queryset = queryset.distinct().order_by("position", "code")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.get_topic_display()}: {i.display_name}"
        if figures_locked:
            self.fields["indicators"].disabled = True
            self.fields["indicators"].help_text = _("The figures are frozen; unfreeze them to change which indicators are shown.")
