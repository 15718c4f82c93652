"""Calls for funds: calls, applications, conflict-free review, decisions, grants turned into
projects, and what the projects report and produce.

Writes go through funding.services; the life cycles are declared in funding.lifecycle; reads
that pages and other apps share are in funding.selectors.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polyfon.content.i18n import localized
from polyfon.core.validators import validate_org_number

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0")

# --- Calls --------------------------------------------------------------------------------------------


class CallKind(models.TextChoices):
    SEED = "seed", _("Research seed funds")
    PROJECT = "project", _("Project funds")
    DISSEMINATION = "dissemination", _("Dissemination and event support")
    OTHER = "other", pgettext_lazy("kind of call", "Other")


class Eligibility(models.TextChoices):
    """Who may lead a project. A participant in its notice period is still a member.

    Associates are participants on their way in: they have sent a letter of intent but have not
    signed the consortium agreement yet. A call may admit them (see ASSOCIATE_STATES)."""

    MEMBERS = "members", _("Employees of member participants")
    MEMBERS_AND_ASSOCIATES = "members_and_associates", _(
        "Employees of member participants and of associates (participants that have sent a letter of intent)"
    )


class ReviewTrack(models.TextChoices):
    SECRETARIAT = "secretariat", _("Assessed by the coordinator's secretariat")
    COMMITTEE = "committee", _("Assessed by a scientific committee")


class AttachmentKind(models.TextChoices):
    PROJECT_SKETCH = "project_sketch", _("Project sketch")
    TIMELINE = "timeline", _("Timeline")
    FINANCING_PLAN = "financing_plan", _("Financing plan")
    DISSEMINATION_PLAN = "dissemination_plan", _("Dissemination plan")
    CV = "cv", _("CV of the project leader")
    SUPPORT_LETTER = "support_letter", _("Letter of support")
    OTHER = "other", _("Other attachment")


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, deadline__gt=now)


class Call(models.Model):
    """A call for funds (utlysning): who may apply, for what, until when, and how it is assessed."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", _("Use capital letters, digits and hyphens."))],
        help_text=_("Short code that prefixes the application numbers, e.g. SK-2027."),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CallKind.choices, default=CallKind.SEED)
    title = models.CharField(_("title (bokmål)"), max_length=200)
    title_nn = models.CharField(_("title (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text = models.TextField(_("text of the call (bokmål)"), help_text=_("Markdown: headings with #, lists with -."))
    text_nn = models.TextField(_("text of the call (nynorsk)"), blank=True)
    text_en = models.TextField(_("text of the call (English)"), blank=True)
    work_areas = models.ManyToManyField(
        "content.WorkArea",
        verbose_name=_("work areas"),
        blank=True,
        related_name="calls",
        help_text=_("Leave empty to admit every work area."),
    )
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    total_budget = models.DecimalField(_("total budget (NOK)"), **MONEY, validators=[MinValueValidator(ZERO)])
    max_per_application = models.DecimalField(
        _("maximum per application (NOK)"), **MONEY, validators=[MinValueValidator(Decimal("1"))]
    )
    eligibility = models.CharField(
        _("who may apply"), max_length=30, choices=Eligibility.choices, default=Eligibility.MEMBERS
    )
    review_track = models.CharField(
        _("assessment"), max_length=20, choices=ReviewTrack.choices, default=ReviewTrack.SECRETARIAT
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews wanted per application"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    review_due_on = models.DateField(_("reviews due"), null=True, blank=True)
    score_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=7,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("Criteria are scored from 1 to this number."),
    )
    required_attachments = models.JSONField(_("attachments asked for"), default=list, blank=True)
    attachment_max_mb = models.PositiveSmallIntegerField(
        _("largest attachment (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    share_reviews_with_declined = models.BooleanField(
        _("declined applicants get the reviewers' comments"), default=False
    )
    progress_report_months = models.PositiveSmallIntegerField(
        _("progress report every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Leave empty when the projects write no progress reports."),
    )
    final_report_months = models.PositiveSmallIntegerField(
        _("final report due (months after the end)"),
        null=True,
        blank=True,
        default=3,
        validators=[MaxValueValidator(24)],
    )
    spending_report_months = models.PositiveSmallIntegerField(
        _("spending report due (months after the end)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24)],
        help_text=_("Dissemination and event support: a spending report within one month."),
    )
    reviewers = models.ManyToManyField(
        "members.Person",
        verbose_name=_("reviewers"),
        blank=True,
        related_name="review_calls",
        help_text=_("The secretariat or the scientific committee that assesses this call's applications."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-deadline", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gt=models.F("opens_at")), name="funding_call_deadline_after_open"),
            models.CheckConstraint(
                condition=Q(max_per_application__lte=models.F("total_budget")), name="funding_call_max_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("funding:call_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("funding:public_call", args=[self.slug])

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_text(self) -> str:
        return localized(self, "text")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.deadline

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.deadline

    @property
    def phase(self) -> str:
        """draft, upcoming, open or closed: what the public and the applicants see."""
        if not self.is_published:
            return "draft"
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.deadline else "closed"

    @property
    def admits_associates(self) -> bool:
        return self.eligibility == Eligibility.MEMBERS_AND_ASSOCIATES

    def required_attachment_labels(self) -> list[str]:
        labels = dict(AttachmentKind.choices)
        return [str(labels[k]) for k in self.required_attachments if k in labels]

    @property
    def attachment_max_bytes(self) -> int:
        return min(self.attachment_max_mb * 1024 * 1024, settings.MAX_DOCUMENT_UPLOAD_BYTES)


class Criterion(models.Model):
    """An evaluation criterion of a call, with its weight in the weighted score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion (bokmål)"), max_length=150)
    name_nn = models.CharField(_("criterion (nynorsk)"), max_length=150, blank=True)
    name_en = models.CharField(_("criterion (English)"), max_length=150, blank=True)
    description = models.TextField(_("what the reviewers look for"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["call", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="funding_criterion_unique_name")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


# --- Applications ---------------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


# The applicant may change the application in these states; it is locked in every other.
EDITABLE_STATES = (ApplicationStatus.DRAFT, ApplicationStatus.REOPENED)
# Submitted and waiting for review and decision.
UNDER_CONSIDERATION = (ApplicationStatus.SUBMITTED,)
# What counts as "applied" in totals: everything that was submitted once.
SUBMITTED_STATES = (ApplicationStatus.SUBMITTED, ApplicationStatus.GRANTED, ApplicationStatus.DECLINED)


class ProposedOutcome(models.TextChoices):
    NONE = "", _("No proposal yet")
    GRANT = "grant", _("Propose to grant")
    DECLINE = "decline", _("Propose to decline")


class Application(models.Model):
    """An application to a call, written by the project leader over one or more sittings.

    Locked at submission; reviewed by people without a conflict of interest; decided by the
    steering group."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    number = models.PositiveIntegerField(_("number"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="funding_applications"
    )
    leader = models.ForeignKey(
        "members.Person", verbose_name=_("project leader"), on_delete=models.PROTECT, related_name="led_applications"
    )
    lead_participant = models.ForeignKey(
        "members.Participant",
        verbose_name=_("lead participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_applications",
    )
    partner_participants = models.ManyToManyField(
        "members.Participant", verbose_name=_("partner participants"), blank=True, related_name="partner_applications"
    )
    work_area = models.ForeignKey(
        "content.WorkArea", verbose_name=_("work area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("project title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True, help_text=_("At most 1 500 characters; may be published if the project is granted."))
    description = models.TextField(
        _("project description"), blank=True, help_text=_("Background, aims, method, user involvement and dissemination.")
    )
    student_work = models.TextField(
        _("master's or PhD work"), blank=True, help_text=_("How the project is linked to master's theses or PhD work, if it is.")
    )
    start_date = models.DateField(_("project starts"), null=True, blank=True)
    end_date = models.DateField(_("project ends"), null=True, blank=True)
    previous_funding_report = models.TextField(
        _("report on earlier funds from the cluster"),
        blank=True,
        help_text=_("Progress of the earlier project and how its funds were used."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopened_until = models.DateTimeField(_("open for changes until"), null=True, blank=True)
    proposed_outcome = models.CharField(
        _("proposal"), max_length=10, choices=ProposedOutcome.choices, default=ProposedOutcome.NONE, blank=True
    )
    proposed_amount = models.DecimalField(_("proposed amount (NOK)"), **MONEY, null=True, blank=True)
    proposal_note = models.TextField(_("note on the proposal"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="funding_application_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="funding_application_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["applicant", "status"], name="funding_app_applicant_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:application_detail", args=[self.pk])

    def get_mine_url(self) -> str:
        return reverse("funding:mine_application", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.call.code}-{self.number:03d}"

    @property
    def is_editable(self) -> bool:
        """A draft, or a reopened application until the time the coordinator set."""
        if self.status == ApplicationStatus.REOPENED and self.reopened_until:
            return timezone.now() < self.reopened_until
        return self.status in EDITABLE_STATES


class TeamRole(models.TextChoices):
    CO_APPLICANT = "co_applicant", _("Co-applicant")
    RESEARCHER = "researcher", _("Researcher")
    CLINICIAN = "clinician", _("Music therapist or clinician")
    MASTER = "master", _("Master's student")
    PHD = "phd", _("PhD candidate")
    SUPERVISOR = "supervisor", _("Supervisor")
    USER_REPRESENTATIVE = "user_representative", _("User representative")
    OTHER = "other", pgettext_lazy("team role", "Other")


STUDENT_ROLES = (TeamRole.MASTER, TeamRole.PHD)


class TeamMember(models.Model):
    """A person named in the application's project team (besides the project leader)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=TeamRole.choices, default=TeamRole.RESEARCHER)
    thesis_title = models.CharField(_("thesis title"), max_length=250, blank=True)
    # Matched on e-mail with the register when the team is saved, for the conflict check.
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="application_teams"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["application", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ExternalPartner(models.Model):
    """A partner outside the cluster: a university abroad, a user organisation, a company."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="external_partners")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    org_number = models.CharField(
        _("organisation number"), max_length=9, blank=True, validators=[validate_org_number],
        help_text=_("Norwegian organisations only."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("external partner")
        verbose_name_plural = _("external partners")
        ordering = ["application", "position", "pk"]

    def __str__(self) -> str:
        return self.organisation_name


class BudgetCategory(models.TextChoices):
    SALARY = "salary", _("Salaries and social costs")
    OPERATING = "operating", _("Operating costs")
    TRAVEL = "travel", _("Travel")
    EQUIPMENT = "equipment", _("Equipment")
    DISSEMINATION = "dissemination", _("Dissemination and events")
    OTHER = "other", pgettext_lazy("budget category", "Other")


class BudgetLine(models.Model):
    """A line of the application's budget: what is asked from the cluster and what the
    applicants contribute themselves, in kroner."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=250)
    requested = models.DecimalField(_("requested (NOK)"), **MONEY, default=ZERO, validators=[MinValueValidator(ZERO)])
    own_contribution = models.DecimalField(
        _("own contribution (NOK)"), **MONEY, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested__gte=0) & Q(own_contribution__gte=0), name="funding_budget_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.description


def attachment_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    return f"funding/applications/{instance.application_id}/{uuid.uuid4().hex}.pdf"


class ApplicationAttachment(models.Model):
    """An uploaded PDF of an application (project sketch, timeline, ...)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


# --- Review -----------------------------------------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned: conflict of interest not yet declared")
    ACCEPTED = "accepted", _("No conflict declared: reviewing")
    CONFLICT = "conflict", _("Conflict of interest declared")
    SUBMITTED = "submitted", _("Review submitted")


class Review(models.Model):
    """A reviewer's assignment to one application and, once done, their scores and comments.

    The reviewer first declares whether they have a conflict of interest; only then do they see
    the application. A declared conflict removes them from it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        "members.Person", verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="funding_reviews"
    )
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    declared_at = models.DateTimeField(_("conflict of interest declared"), null=True, blank=True)
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    comment = models.TextField(
        _("comment to the applicant"), blank=True, help_text=_("May be sent to the applicant if the application is declined.")
    )
    confidential_comment = models.TextField(
        _("comment to the coordinator and the steering group"), blank=True, help_text=_("Never shown to the applicant.")
    )
    weighted_score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("review submitted"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="funding_review_once")]
        # The ranking's per-application sums and means look reviews up by application and status.
        indexes = [models.Index(fields=["application", "status"], name="funding_review_app_status")]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application.reference}"

    def get_mine_url(self) -> str:
        return reverse("funding:mine_review", args=[self.pk])


class ReviewScore(models.Model):
    """The score a reviewer gives one criterion (1 to the call's highest score)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(10)])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="funding_score_once"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=10), name="funding_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- Decisions and grants -----------------------------------------------------------------------------


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class Decision(models.Model):
    """The steering group's decision on an application, with the meeting it was made in.

    The meeting is a plain reference and a date, so decisions can be recorded before (or
    without) the meeting being kept in the governance pages."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(_("granted amount (NOK)"), **MONEY, null=True, blank=True)
    meeting_reference = models.CharField(
        _("meeting"), max_length=200, help_text=_("E.g. “Steering group 12 March 2026, item 7/26”.")
    )
    decided_on = models.DateField(_("decided"), db_index=True)
    note = models.TextField(_("note to the applicant"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="granted") & Q(amount__gt=0)) | (Q(outcome="declined") & Q(amount__isnull=True)),
                name="funding_decision_amount_matches_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_outcome_display()}"


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Grant(models.Model):
    """A grant and the project it funds: leader, participants, students, period and budget,
    with its payments, reports and outputs."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="grant")
    amount = models.DecimalField(_("granted amount (NOK)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    title = models.CharField(_("project title"), max_length=250)
    leader = models.ForeignKey(
        "members.Person", verbose_name=_("project leader"), on_delete=models.PROTECT, related_name="led_grants"
    )
    participants = models.ManyToManyField(
        "members.Participant", verbose_name=_("participants"), blank=True, related_name="funding_grants"
    )
    start_date = models.DateField(_("project starts"))
    end_date = models.DateField(_("project ends"))
    budget_total = models.DecimalField(
        _("total budget incl. own contributions (NOK)"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.ACTIVE, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("grant (project)")
        verbose_name_plural = _("grants (projects)")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="funding_grant_end_after_start"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:grant_detail", args=[self.pk])

    def get_mine_url(self) -> str:
        return reverse("funding:mine_grant", args=[self.pk])


class GrantStudent(models.Model):
    """A master's student or PhD candidate whose thesis is part of the project."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="students")
    person = models.ForeignKey("members.Person", verbose_name=_("student"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(
        _("level"), max_length=10, choices=[(TeamRole.MASTER, TeamRole.MASTER.label), (TeamRole.PHD, TeamRole.PHD.label)]
    )
    thesis_title = models.CharField(_("thesis title"), max_length=250, blank=True)
    institution = models.CharField(_("university or college"), max_length=200, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("student in project")
        verbose_name_plural = _("students in projects")
        ordering = ["grant", "level", "person__name"]
        constraints = [models.UniqueConstraint(fields=["grant", "person"], name="funding_student_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_level_display()})"


class GrantPayment(models.Model):
    """A payment of the grant to the lead participant: planned, then made."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField(_("planned"))
    amount = models.DecimalField(_("amount (NOK)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    reference = models.CharField(_("voucher or payment reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("grant payment")
        verbose_name_plural = _("grant payments")
        ordering = ["grant", "due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.grant} – {self.due_on:%d.%m.%Y}"


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")
    SPENDING = "spending", _("Spending report")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


def report_path(instance, filename: str) -> str:
    return f"funding/reports/{instance.grant_id}/{uuid.uuid4().hex}.pdf"


class GrantReport(models.Model):
    """A report the project owes the cluster: when it is due, what was sent, and whether it was approved."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("due"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    summary = models.TextField(_("what was done"), blank=True)
    use_of_funds = models.TextField(_("use of funds"), blank=True)
    spent_amount = models.DecimalField(
        _("spent of the grant (NOK)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    file = models.FileField(_("attachment (PDF)"), upload_to=report_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    review_note = models.TextField(_("coordinator's note"), blank=True)
    reminder_sent_on = models.DateField(_("reminder sent"), null=True, blank=True)
    overdue_notice_sent_on = models.DateField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.grant}"

    def get_absolute_url(self) -> str:
        return reverse("funding:report_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status in (ReportStatus.DUE, ReportStatus.RETURNED) and self.due_on < timezone.localdate()


class OutputKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    PRESENTATION = "presentation", _("Presentation")
    MEDIA = "media", _("Media and popular dissemination")
    EVENT = "event", _("Seminar or event")
    FUNDING = "funding", _("Application for external funding")
    OTHER = "other", pgettext_lazy("kind of output", "Other")


class FundingStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    WON = "won", _("Won")
    NOT_WON = "not_won", _("Not won")


DOI_VALIDATOR = RegexValidator(r"^10\.\d{4,9}/\S+$", _("A DOI looks like 10.1080/08098131.2021.1234567."))


class GrantOutput(models.Model):
    """Something the project produced: a publication, a presentation, or an application for
    larger external funding (the follow-up that shows whether seed funds led further)."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=300)
    occurred_on = models.DateField(_("date"))
    venue = models.CharField(_("journal, conference or channel"), max_length=250, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[DOI_VALIDATOR])
    url = models.URLField(_("link"), blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True, help_text=_("E.g. the Research Council of Norway."))
    amount_applied = models.DecimalField(_("amount applied for (NOK)"), **MONEY, null=True, blank=True)
    funding_status = models.CharField(_("result"), max_length=10, choices=FundingStatus.choices, blank=True)
    amount_won = models.DecimalField(_("amount won (NOK)"), **MONEY, null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("project output")
        verbose_name_plural = _("project outputs")
        ordering = ["grant", "-occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_won__isnull=True) | Q(funding_status="won"), name="funding_output_won_amount_only_when_won"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""
