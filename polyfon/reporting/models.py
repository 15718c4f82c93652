"""Indicators and the annual report.

An indicator is defined as data (code, names, unit, source, break-downs). Its values come from
one of three sources: computed from the register by a function registered under its code
(reporting.indicators), reported by the participants once a year in a reporting round, or
imported from an outside source (CSV). The annual report of a year assembles the coordinator's
text sections with the indicators' tables and charts; freezing it copies every value it shows
into IndicatorValue rows, so a published report never changes when the register does.

Writes go through reporting.services; the life cycles are declared in reporting.lifecycle;
reads that pages share are in reporting.selectors.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polyfon.content.i18n import localized

VALUE = {"max_digits": 18, "decimal_places": 4}
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


# --- Indicators ------------------------------------------------------------------------------------------


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from the register")
    REPORTED = "reported", _("Reported by the participants")
    IMPORTED = "imported", _("Imported from an outside source")


class Unit(models.TextChoices):
    COUNT = "count", pgettext_lazy("unit", "Number")
    NOK = "nok", _("Kroner (NOK)")
    PERCENT = "percent", _("Per cent")
    FTE = "fte", _("Full-time equivalents")


class Topic(models.TextChoices):
    """Where an indicator belongs in the annual report (a new report gets one section per topic)."""

    PARTICIPANTS = "participants", _("Participants")
    ECONOMY = "economy", _("Economy")
    FUNDING = "funding", _("Calls and grants")
    PROJECTS = "projects", _("Projects and results")
    EVENTS = "events", _("Events")
    SERVICES = "services", _("Music therapy at the participants")
    HEALTH = "health", _("Music therapy in the health services")


class Chart(models.TextChoices):
    YEARS = "years", _("Bars for each year (the total)")
    BREAKDOWN = "breakdown", _("Bars for each group of the first break-down, this year and the year before")
    NONE = "none", _("No chart, tables only")


CODE_VALIDATOR = RegexValidator(r"^[a-z][a-z0-9_]*$", _("Use small letters, digits and underscores, starting with a letter."))


class Indicator(models.Model):
    """The definition of an indicator: what is counted, in what unit, from which source, and
    which break-downs (work area, region, kind of participant, ...) its values have.

    Computed indicators are defined by the system (their code names a registered function);
    the coordinator adds indicators that participants report or that are imported. Indicators
    are never deleted, only made inactive, so earlier values and reports keep their meaning.
    """

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[CODE_VALIDATOR])
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    name = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (bokmål)"), blank=True)
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"), default=0, validators=[MaxValueValidator(2)]
    )
    breakdowns = models.JSONField(
        _("break-downs"),
        default=list,
        blank=True,
        help_text=_("The groups the values are also given for, e.g. work area or region."),
    )
    chart = models.CharField(_("chart in the annual report"), max_length=10, choices=Chart.choices, default=Chart.YEARS)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive indicators are not asked for, imported or added to new reports.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("reporting:indicator_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def is_computed(self) -> bool:
        return self.source == Source.COMPUTED

    @property
    def is_reported(self) -> bool:
        return self.source == Source.REPORTED

    @property
    def is_imported(self) -> bool:
        return self.source == Source.IMPORTED

    @property
    def per_work_area(self) -> bool:
        """A reported indicator whose value the participant gives for each work area."""
        return self.source == Source.REPORTED and "work_area" in (self.breakdowns or [])

    @property
    def whole_numbers(self) -> bool:
        return self.unit == Unit.COUNT


# --- Reporting rounds ----------------------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", pgettext_lazy("reporting round", "Open")
    CLOSED = "closed", pgettext_lazy("reporting round", "Closed")


def default_reminder_days() -> list[int]:
    return [14, 3]


class ReportingRound(models.Model):
    """The yearly round in which participants report their indicator data for `year`.

    The coordinator prepares it (which indicators are asked for, the deadline), opens it (the
    main contacts of every participant that was a member during the year are invited), and
    closes it. Reminders go out by themselves before the deadline and weekly after it."""

    year = models.PositiveSmallIntegerField(_("year reported on"), unique=True, validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    deadline = models.DateField(_("deadline"))
    intro = models.TextField(
        _("message to the participants"), blank=True, help_text=_("Shown on the form and in the invitation.")
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators asked for"), related_name="rounds", blank=True
    )
    reminder_days = models.JSONField(
        _("reminders (days before the deadline)"), default=default_reminder_days, blank=True
    )
    remind_after_deadline = models.BooleanField(
        _("remind weekly after the deadline"), default=True, help_text=_("Until the round is closed.")
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Indicator reporting %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("reporting:round_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Started, not submitted")
    SUBMITTED = "submitted", _("Submitted")


class ParticipantReport(models.Model):
    """A participant's answers in a reporting round: a draft until it is submitted, then locked;
    after that a value changes only through a correction with a reason."""

    round = models.ForeignKey(ReportingRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports")
    participant = models.ForeignKey(
        "members.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="indicator_reports"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices[1:], default=SubmissionStatus.DRAFT, db_index=True
    )
    comment = models.TextField(_("comments"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last saved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("participant's indicator report")
        verbose_name_plural = _("participants' indicator reports")
        ordering = ["round", "participant__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="reporting_report_once_per_round"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False), name="reporting_submitted_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.round.year}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:submission_detail", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return bool(self.submitted_at and timezone.localdate(self.submitted_at) > self.round.deadline)


class ReportedValue(models.Model):
    """One answer: the value of an indicator (for one work area, when it is asked per area)."""

    report = models.ForeignKey(ParticipantReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="reported_values")
    work_area = models.ForeignKey(
        "content.WorkArea", verbose_name=_("work area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["report", "indicator__position", "work_area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], condition=Q(work_area__isnull=True), name="reporting_value_once"
            ),
            models.UniqueConstraint(
                fields=["report", "indicator", "work_area"],
                condition=Q(work_area__isnull=False),
                name="reporting_value_once_per_area",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="reporting_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ReportCorrection(models.Model):
    """A change to a submitted report, with the reason given and the values before and after."""

    report = models.ForeignKey(ParticipantReport, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} ({self.created_at:%Y-%m-%d})"


class RoundReminder(models.Model):
    """A reminder sent to a participant that has not submitted its report."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reminders")
    participant = models.ForeignKey("members.Participant", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent"))
    automatic = models.BooleanField(_("sent by the system"), default=True)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["round", "participant", "-sent_on"]
        indexes = [models.Index(fields=["round", "participant", "sent_on"], name="reporting_reminder_lookup")]

    def __str__(self) -> str:
        return f"{self.participant_id} – {self.sent_on:%Y-%m-%d}"


# --- Imports -----------------------------------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: columns to be mapped")
    IMPORTED = "imported", _("Imported")
    UNDONE = "undone", _("Undone")
    DISCARDED = "discarded", _("Discarded")


def import_file_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    return f"reporting/imports/{uuid.uuid4().hex}.csv"


class IndicatorImport(models.Model):
    """A CSV file of indicator values from an outside source (e.g. the national patient
    register), kept as it came, with how its columns were mapped and what became of each row."""

    file = models.FileField(_("file"), upload_to=import_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    source_name = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the data come from, e.g. Norsk pasientregister (NPR).")
    )
    delimiter = models.CharField(_("column separator"), max_length=1, default=";")
    headers = models.JSONField(_("columns"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    mapping = models.JSONField(_("mapping of the columns"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED, db_index=True
    )
    value_count = models.PositiveIntegerField(_("values imported"), default=0)
    failed_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows already imported"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator import")
        verbose_name_plural = _("indicator imports")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # The same file is imported once (it may be imported again after an undo).
            models.UniqueConstraint(fields=["sha256"], condition=Q(status="imported"), name="reporting_file_imported_once"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("reporting:import_detail", args=[self.pk])


class RowOutcome(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    PARTLY = "partly", _("Partly imported")
    SKIPPED = "skipped", _("Already imported")
    FAILED = "failed", _("Not imported")


class ImportRow(models.Model):
    """One row of an imported file and what became of it, with the reasons when it failed."""

    source_import = models.ForeignKey(IndicatorImport, on_delete=models.CASCADE, related_name="rows")
    line_number = models.PositiveIntegerField(_("line"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    raw = models.JSONField(_("the row as it came"), default=list, blank=True)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["source_import", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["source_import", "line_number"], name="reporting_import_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source_import} #{self.line_number}"


# --- Annual reports -------------------------------------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft: live figures")
    FROZEN = "frozen", _("Figures frozen")
    PUBLISHED = "published", _("Published")


REPORT_LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk"))]


def report_pdf_path(instance, filename: str) -> str:
    return f"reporting/annual-reports/{instance.year}/{uuid.uuid4().hex}.pdf"


class AnnualReport(models.Model):
    """The annual report (årsmelding) of a year: text sections with indicator tables and charts
    comparing with earlier years, in bokmål or nynorsk. Its figures are live while it is a
    draft; freezing copies them, and a published report shows only the frozen copy."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    language = models.CharField(_("language of the report"), max_length=2, choices=REPORT_LANGUAGES, default="nb")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("A short introduction shown under the title."))
    comparison_years = models.PositiveSmallIntegerField(
        _("earlier years to compare with"), default=4, validators=[MaxValueValidator(10)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    frozen_at = models.DateTimeField(_("figures frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("frozen by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to=report_pdf_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(frozen_at__isnull=False), name="reporting_frozen_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="reporting_published_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("reporting:public_report", args=[self.year])

    @property
    def is_frozen(self) -> bool:
        """The figures are the frozen copy (frozen or published)."""
        return self.status in (ReportStatus.FROZEN, ReportStatus.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def years(self) -> list[int]:
        """The years the report shows, oldest first, ending with its own."""
        return list(range(self.year - self.comparison_years, self.year + 1))


class ReportSection(models.Model):
    """A section of an annual report: a heading, the coordinator's text (Markdown, stored with
    its sanitised HTML) and the indicators whose tables and charts follow the text."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    body_source = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(_("text (sanitised HTML)"), blank=True, editable=False)
    indicators = models.ManyToManyField(
        Indicator, through="SectionIndicator", verbose_name=_("indicators"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("reporting:section_edit", args=[self.pk])


class SectionIndicator(models.Model):
    """An indicator shown in a section. `frozen` keeps the indicator's name, description, unit,
    chart and break-down labels as they were when the report's figures were frozen."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="section_indicators")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="section_uses")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    frozen = models.JSONField(_("frozen definition"), default=dict, blank=True)

    class Meta:
        verbose_name = _("indicator in a section")
        verbose_name_plural = _("indicators in sections")
        ordering = ["section", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["section", "indicator"], name="reporting_section_indicator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.section} – {self.indicator}"


class IndicatorValue(models.Model):
    """A stored value of an indicator for a year, in total (empty break-down) or for one group
    of a break-down: either imported from an outside source, or a copy frozen into an annual
    report (with the group's label and position as they were)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    breakdown = models.CharField(_("break-down"), max_length=30, blank=True)
    key = models.CharField(_("group"), max_length=100, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    value = models.DecimalField(_("value"), **VALUE)
    source_import = models.ForeignKey(
        IndicatorImport, null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    report = models.ForeignKey(AnnualReport, null=True, blank=True, on_delete=models.CASCADE, related_name="values")

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year", "breakdown", "position", "key"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_import__isnull=False) & Q(report__isnull=True))
                | (Q(source_import__isnull=True) & Q(report__isnull=False)),
                name="reporting_value_imported_or_frozen",
            ),
            models.CheckConstraint(
                condition=(Q(breakdown="") & Q(key="")) | (~Q(breakdown="") & ~Q(key="")),
                name="reporting_value_key_with_breakdown",
            ),
            # An outside value is imported once: a second file with the same value is refused.
            models.UniqueConstraint(
                fields=["indicator", "year", "breakdown", "key"],
                condition=Q(report__isnull=True),
                name="reporting_value_imported_once",
            ),
            models.UniqueConstraint(
                fields=["report", "indicator", "year", "breakdown", "key"],
                condition=Q(report__isnull=False),
                name="reporting_value_frozen_once",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="reporting_value_lookup")]

    def __str__(self) -> str:
        where = f" {self.breakdown}={self.key}" if self.breakdown else ""
        return f"{self.indicator.code} {self.year}{where}: {self.value}"
