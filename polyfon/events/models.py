"""Events: webinars, seminars, conferences and meetings, their registrations and waiting lists.

Writes go through events.services; reads that pages share are in events.selectors. The states
and moves of an event and of a registration are declared in events.lifecycle.
"""

from datetime import UTC, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polyfon.members.models import OrganisationKind

K = OrganisationKind


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    STEERING_MEETING = "steering_meeting", _("Steering-group meeting (internal)")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")


class Audience(models.TextChoices):
    """Who an event is for. The first three are kinds of organisation in the register."""

    MUNICIPALITIES = "municipalities", _("Municipalities and county municipalities")
    HEALTH_TRUSTS = "health_trusts", _("Health trusts and hospitals")
    UNIVERSITIES = "universities", _("Universities, research institutes and competence centres")
    PUBLIC = "public", _("The public")
    PARTICIPANTS = "participants", _("Participants only")


# The register's kinds of organisation behind each audience; the public and "participants only"
# are not kinds of organisation.
AUDIENCE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
    Audience.MUNICIPALITIES: (K.MUNICIPALITY, K.COUNTY_MUNICIPALITY),
    Audience.HEALTH_TRUSTS: (K.HEALTH_TRUST, K.HOSPITAL),
    Audience.UNIVERSITIES: (K.UNIVERSITY, K.RESEARCH_INSTITUTE, K.COMPETENCE_CENTRE),
}


def audience_of_organisation_kind(kind: str) -> str | None:
    """The audience an organisation of this kind belongs to (None for other kinds)."""
    for audience, kinds in AUDIENCE_ORGANISATION_KINDS.items():
        if kind in kinds:
            return audience
    return None


class QuestionMode(models.TextChoices):
    OFF = "off", _("Not asked")
    OPTIONAL = "optional", _("Optional")
    REQUIRED = "required", _("Required")


class Event(models.Model):
    """A webinar, seminar, conference or meeting that people register for."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.WEBINAR)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: blank lines between paragraphs, *italic*, **bold**, lists with -.")
    )
    work_areas = models.ManyToManyField(
        "content.WorkArea", verbose_name=_("work areas"), blank=True, related_name="events"
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("Venue and address; leave empty for an online event.")
    )
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, help_text=_("Shown only to registered people, never on the public page.")
    )
    online_details = models.TextField(
        _("online details"), blank=True, help_text=_("Meeting ID, passcode or other details for registered people.")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit. When full, people join the waiting list.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Leave empty to open registration when the event is published.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Leave empty to close registration when the event starts.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Public events are listed on the website and in the calendar feed. Others are seen only by participants' contacts and the steering group."),
    )
    ask_organisation = models.CharField(
        _("ask for organisation"), max_length=10, choices=QuestionMode.choices, default=QuestionMode.REQUIRED
    )
    ask_role = models.CharField(
        _("ask for role or position"), max_length=10, choices=QuestionMode.choices, default=QuestionMode.OPTIONAL
    )
    ask_dietary_needs = models.BooleanField(
        _("ask for dietary needs"), default=False, help_text=_("Only for events with a place (meals).")
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before the start)"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
        help_text=_("0 sends no reminder."),
    )
    reminders_sent_at = models.DateTimeField(_("reminders sent"), null=True, blank=True)
    certificate_hours = models.DecimalField(
        _("hours on the certificate of attendance"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Leave empty to compute from the start and end (per day for events over several days)."),
    )
    keep_dietary_days = models.PositiveSmallIntegerField(
        _("dietary needs are deleted (days after the event)"), default=7, validators=[MaxValueValidator(3650)]
    )
    keep_personal_data_days = models.PositiveSmallIntegerField(
        _("personal data are deleted (days after the event)"),
        default=180,
        validators=[MaxValueValidator(3650)],
        help_text=_("Names, e-mail addresses and answers are removed; the counts are kept. Certificates can be downloaded until then."),
    )
    personal_data_removed_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="events_event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="events_event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="events_event_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(keep_personal_data_days__gte=models.F("keep_dietary_days")),
                name="events_event_dietary_deleted_first",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:office_event_detail", args=[self.pk])

    @property
    def public_url(self) -> str:
        return reverse("events:event_detail", args=[self.slug])

    # --- Small properties the pages share -------------------------------------------------------

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) or not self.location

    @property
    def is_in_person(self) -> bool:
        return bool(self.location)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_single_day(self) -> bool:
        return timezone.localtime(self.starts_at).date() == timezone.localtime(self.ends_at).date()

    @property
    def places_left(self) -> int | None:
        """Free places (None when there is no limit); uses the list's `confirmed_count` when annotated."""
        if self.capacity is None:
            return None
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def registration_state(self, now=None) -> str:
        """'draft', 'cancelled', 'not_open', 'open' or 'closed' at `now`."""
        now = now or timezone.now()
        if self.status == EventStatus.DRAFT:
            return "draft"
        if self.status == EventStatus.CANCELLED:
            return "cancelled"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_open"
        if now >= self.closes_at or now >= self.starts_at:
            return "closed"
        return "open"

    @property
    def audience_codes(self) -> list[str]:
        """The event's audiences in the order of Audience (from the prefetched rows)."""
        codes = {row.audience for row in self.audiences.all()}
        return [code for code in Audience.values if code in codes]

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(code).label for code in self.audience_codes]

    @property
    def is_for_participants_only(self) -> bool:
        return Audience.PARTICIPANTS in self.audience_codes

    @property
    def hours(self) -> Decimal:
        """Hours of attendance for the certificate: the set figure, or computed from the times.

        An event over several days counts the same time of day on each day (09:00–16:00 on two
        days is 14 hours, not 31)."""
        if self.certificate_hours:
            return self.certificate_hours
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        days = (end.date() - start.date()).days + 1
        if days == 1:
            # In UTC: wall-clock subtraction would miss the hour the clocks skip or repeat.
            seconds = (self.ends_at.astimezone(UTC) - self.starts_at.astimezone(UTC)).total_seconds()
        else:
            daily = (end - end.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)).total_seconds()
            seconds = max(daily, 0) * days
        return (Decimal(int(seconds)) / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def dietary_deleted_after(self):
        return self.ends_at + timedelta(days=self.keep_dietary_days)

    def personal_data_deleted_after(self):
        return self.ends_at + timedelta(days=self.keep_personal_data_days)


class EventAudience(models.Model):
    """One audience of an event (an event may have several)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["event", "audience"]
        constraints = [models.UniqueConstraint(fields=["event", "audience"], name="events_audience_unique")]

    def __str__(self) -> str:
        return self.get_audience_display()


class EventQuestion(models.Model):
    """A free-text question the registration form asks (besides organisation, role and diet)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


# A person holds at most one of these per event (and per e-mail address).
ACTIVE_STATES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class RegistrationSource(models.TextChoices):
    PUBLIC = "public", _("Registration form")
    COLLEAGUE = "colleague", _("Registered by a contact person")
    OFFICE = "office", _("Registered by the coordinator")


class Registration(models.Model):
    """One person's registration for an event: registered, on the waiting list or cancelled.

    The person reaches it through a signed, unguessable link (see events.tokens). Some time after
    the event the personal data are removed; status, attendance and organisation stay for the counts.
    """

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    # NULL once the personal data are removed: many cleared secrets must not collide in the unique index.
    secret = models.CharField(_("secret of the personal link"), max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nb")
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=30, choices=OrganisationKind.choices, blank=True
    )
    role = models.CharField(_("role or position"), max_length=150, blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    source = models.CharField(
        _("registered through"), max_length=10, choices=RegistrationSource.choices, default=RegistrationSource.PUBLIC
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("place confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="events_reg_event_status")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(status__in=["confirmed", "waiting"]) & ~Q(email=""),
                name="events_registration_one_active_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Anonymised registration"))

    def get_absolute_url(self) -> str:
        return reverse("events:office_registration_edit", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATES

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id and self.organisation else self.organisation_name

    @property
    def answered_questions(self) -> list[tuple]:
        """(question, answer) for each of the event's current questions."""
        return [(q, self.answers.get(str(q.pk), "")) for q in self.event.questions.all()]

    def can_download_certificate(self, now=None) -> bool:
        return bool(
            self.attended
            and self.status == RegistrationStatus.CONFIRMED
            and not self.is_anonymised
            and self.event.has_ended(now)
            and not self.event.is_cancelled
        )


class MessageRecipients(models.TextChoices):
    REGISTERED = "registered", _("Everyone registered")
    ATTENDEES = "attendees", _("Everyone who attended")
    WAITING = "waiting", _("Everyone on the waiting list")
    ACTIVE = "active", _("Everyone registered or on the waiting list")


class EventMessage(models.Model):
    """An e-mail the organiser sent to the registrants or attendees of an event."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="messages")
    recipients = models.CharField(_("recipients"), max_length=12, choices=MessageRecipients.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    recipient_count = models.PositiveIntegerField(_("number of recipients"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
