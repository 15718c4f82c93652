"""Governance: bodies and their seats, meetings with agenda, documents, attendance and minutes,
decisions, the general assembly, elections, motions and the polls that count their votes.

The formal record of who sits where is `Seat` (with a term). The register's contact roles
`steering_rep` / `steering_deputy` mirror the current steering-group seats; the services keep
them in step. Writes go through governance.services; shared reads are in governance.selectors.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- Bodies and seats --------------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("Steering group")
    SCIENTIFIC_BOARD = "scientific_board", _("Scientific advisory board")
    EXPERIENCE_PANEL = "experience_panel", _("Experience or user panel")
    WORKING_GROUP = "working_group", _("Working group")
    STRATEGY_GROUP = "strategy_group", _("Strategy group")
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
    OTHER = "other", _("Other body")


# Kinds a cluster has at most one active body of.
SINGLE_BODY_KINDS = (BodyKind.STEERING_GROUP, BodyKind.GENERAL_ASSEMBLY)


class Body(models.Model):
    """A body of the cluster: the steering group, a board, a panel, a working group, the general assembly."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices, default=BodyKind.OTHER)
    work_area = models.ForeignKey(
        "content.WorkArea",
        verbose_name=_("work area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("For a working group: the work area it serves."),
    )
    mandate = models.TextField(_("mandate"), blank=True)
    is_public = models.BooleanField(
        _("membership is public"), default=False, help_text=_("Shows the body and its current members on the public site.")
    )
    publishes_agenda = models.BooleanField(
        _("publishes its agendas"), default=False, help_text=_("Only for public bodies: agendas are public once the invitation is sent.")
    )
    publishes_minutes = models.BooleanField(
        _("publishes its minutes"), default=False, help_text=_("Only for public bodies: minutes are public once approved.")
    )
    represents_participants = models.BooleanField(
        _("seats represent participants"),
        default=False,
        help_text=_("Every member participant has a representative (and a deputy) here; the contacts propose them."),
    )
    seats_by_work_area = models.BooleanField(
        _("seats per work area"), default=False, help_text=_("Members and deputies are appointed for a work area.")
    )
    term_months = models.PositiveSmallIntegerField(
        _("usual term (months)"), null=True, blank=True, help_text=_("Proposes the end of new terms; empty for open-ended seats.")
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"), default=50, help_text=_("Share of those with a vote who must vote for a ballot to be valid.")
    )
    max_proxies = models.PositiveSmallIntegerField(
        _("proxies one participant may hold"), default=1, help_text=_("Only where participants vote.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=["steering_group", "general_assembly"], is_active=True),
                name="governance_body_one_active_per_single_kind",
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="governance_body_quorum_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("governance:public_body", args=[self.slug])

    @property
    def is_steering_group(self) -> bool:
        return self.kind == BodyKind.STEERING_GROUP

    @property
    def is_general_assembly(self) -> bool:
        return self.kind == BodyKind.GENERAL_ASSEMBLY


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    MEMBER = "member", pgettext_lazy("seat role", "Member")
    DEPUTY_MEMBER = "deputy_member", _("Deputy member")
    OBSERVER = "observer", _("Observer")
    SECRETARY = "secretary", _("Secretary")


# The seat that represents a participant as its representative (the register's steering_rep);
# its deputy holds a DEPUTY_MEMBER seat. Chair and deputy chair are functions held in seats of
# their own (without a participant), so electing a chair never changes who represents whom.
REPRESENTATIVE_ROLES = (SeatRole.MEMBER,)
# Seat holders with a vote of their own where participants do not vote.
VOTING_ROLES = (SeatRole.CHAIR, SeatRole.DEPUTY_CHAIR, SeatRole.MEMBER)
# Roles a body has at most one current holder of.
SINGLE_ROLES = (SeatRole.CHAIR, SeatRole.DEPUTY_CHAIR)
ROLE_ORDER = {role: index for index, role in enumerate(SeatRole.values)}


class SeatSource(models.TextChoices):
    APPOINTED = "appointed", _("Appointed by the coordinator")
    PROPOSED = "proposed", _("Proposed by the participant")
    ELECTED = "elected", _("Elected")
    REGISTER = "register", _("Taken over from the register")


class SeatQuerySet(models.QuerySet):
    def current(self, on=None):
        """Seats whose term includes `on` (today in Oslo by default)."""
        from polyfon.core.dates import local_today

        on = on or local_today()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class Seat(models.Model):
    """A person in a body with a role for a term; ended seats are kept as the body's history."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER)
    participant = models.ForeignKey(
        "members.Participant",
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
    )
    work_area = models.ForeignKey(
        "content.WorkArea", verbose_name=_("work area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"), null=True, blank=True)
    source = models.CharField(_("how"), max_length=20, choices=SeatSource.choices, default=SeatSource.APPOINTED)
    election = models.ForeignKey(
        "Election", verbose_name=_("election"), null=True, blank=True, on_delete=models.SET_NULL, related_name="elected_seats"
    )
    decision = models.ForeignKey(
        "Decision", verbose_name=_("decision"), null=True, blank=True, on_delete=models.SET_NULL, related_name="seats"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["-start_date", "person__name"]
        indexes = [models.Index(fields=["body", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="governance_seat_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.body})"

    def is_current(self, on=None) -> bool:
        from polyfon.core.dates import local_today

        on = on or local_today()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def is_deputy(self) -> bool:
        return self.role == SeatRole.DEPUTY_MEMBER


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the coordinator")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RepresentationProposal(models.Model):
    """A participant contact's proposal of the participant's representative and deputy in a body."""

    participant = models.ForeignKey(
        "members.Participant", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="representation_proposals"
    )
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="proposals")
    representative = models.ForeignKey(
        "members.Person", verbose_name=_("representative"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    representative_name = models.CharField(_("new representative's name"), max_length=200, blank=True)
    representative_email = models.EmailField(_("new representative's e-mail address"), blank=True)
    deputy = models.ForeignKey(
        "members.Person", verbose_name=_("deputy"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deputy_name = models.CharField(_("new deputy's name"), max_length=200, blank=True)
    deputy_email = models.EmailField(_("new deputy's e-mail address"), blank=True)
    start_date = models.DateField(_("from"))
    message = models.TextField(_("message to the coordinator"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("representation proposal")
        verbose_name_plural = _("representation proposals")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "body"], condition=Q(status="pending"), name="governance_one_pending_proposal"
            ),
            models.CheckConstraint(
                condition=Q(representative__isnull=False)
                | ~Q(representative_email="")
                | Q(deputy__isnull=False)
                | ~Q(deputy_email=""),
                name="governance_proposal_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.body} ({self.proposed_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("governance:proposal_decide", args=[self.pk])

    @property
    def representative_display(self) -> str:
        return str(self.representative) if self.representative_id else self.representative_name

    @property
    def deputy_display(self) -> str:
        return str(self.deputy) if self.deputy_id else self.deputy_name


# --- Meetings ----------------------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    INVITED = "invited", _("Invitation sent")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A meeting of a body: when and where, its agenda items, attendance and minutes."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("link to the video meeting"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True
    )
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    invitation_sequence = models.PositiveIntegerField(_("invitations sent"), default=0)
    chaired_by = models.CharField(_("chaired by"), max_length=200, blank=True)
    minutes_by = models.CharField(_("minutes taken by"), max_length=200, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_in = models.ForeignKey(
        "AgendaItem",
        verbose_name=_("minutes approved under"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["body", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="governance_meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{self.title} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def local_date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()

    @property
    def agenda_is_public(self) -> bool:
        return (
            self.body.is_public
            and self.body.publishes_agenda
            and self.status in (MeetingStatus.INVITED, MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
        )

    @property
    def minutes_are_public(self) -> bool:
        return self.body.is_public and self.body.publishes_minutes and self.status == MeetingStatus.MINUTES_APPROVED


class ItemKind(models.TextChoices):
    DECISION = "decision", _("For decision")
    INFORMATION = "information", _("For information")
    DISCUSSION = "discussion", _("For discussion")
    MINUTES_APPROVAL = "minutes_approval", _("Approval of minutes")
    ELECTION = "election", _("Election")


class AgendaItem(models.Model):
    """An item on a meeting's agenda, numbered per body and year: "Sak 12/2027"."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items")
    # Denormalised from the meeting, so the number is unique per body and year in the database.
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.DECISION)
    description = models.TextField(_("case presentation"), blank=True)
    proposed_decision = models.TextField(_("proposed decision"), blank=True)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    is_confidential = models.BooleanField(
        _("exempt from publication"), default=False, help_text=_("Shown only as a number on public agendas and minutes.")
    )
    approves_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("minutes to approve"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approval_items",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="governance_item_number_per_body_year"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"

    @property
    def reference(self) -> str:
        from django.utils.translation import gettext

        return gettext("Item %(number)s/%(year)s") % {"number": self.number, "year": self.year}


def document_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    return f"governance/{instance.item.meeting_id}/{uuid.uuid4().hex}.{instance.extension}"


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"
    DOC = "doc", "Word (.doc)"


DOCUMENT_CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.DOC: "application/msword",
}


class ItemDocument(models.Model):
    """A paper for an agenda item (PDF or Word), checked by content, stored under a random name."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    kind = models.CharField(_("file type"), max_length=5, choices=DocumentKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_public = models.BooleanField(
        _("may be published"), default=True, help_text=_("Published with the agenda when the body publishes it.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:document_download", args=[self.pk])

    @property
    def extension(self) -> str:
        return self.kind

    @property
    def content_type(self) -> str:
        return DOCUMENT_CONTENT_TYPES[self.kind]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Sent apologies")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Whether a seat holder (or a guest) was at a meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(Seat, verbose_name=_("seat"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["person__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="governance_attendance_once")]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class Decision(models.Model):
    """A decision (vedtak) recorded under an agenda item, linkable to what it decides."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decisions")
    # Denormalised for the register's filters and search.
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions")
    decided_on = models.DateField(_("decided"))
    text = models.TextField(_("decision"))
    vote = models.CharField(
        _("vote"), max_length=255, blank=True, help_text=_("For example: unanimous, or 7 for, 2 against.")
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("decides about (type)"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.CharField(_("decides about (id)"), max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("decides about"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["body", "-decided_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()

    @property
    def subject_url(self) -> str:
        subject = self.subject if self.subject_type_id else None
        getter = getattr(subject, "get_absolute_url", None)
        return getter() if callable(getter) else ""


# --- General assembly, elections, motions and polls ---------------------------------------------------------


class Proxy(models.Model):
    """A participant lets another participant vote for it at a meeting (fullmakt)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(
        "members.Participant", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="proxies_given"
    )
    holder = models.ForeignKey(
        "members.Participant", verbose_name=_("given to"), on_delete=models.PROTECT, related_name="proxies_held"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["giver__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "giver"], condition=Q(revoked_at__isnull=True), name="governance_one_proxy_per_giver"
            ),
            models.CheckConstraint(condition=~Q(giver=models.F("holder")), name="governance_proxy_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder}"


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    NOMINATION = "nomination", _("Nomination open")
    VOTING = "voting", _("Voting open")
    COUNTED = "counted", _("Counted")
    DECIDED = "decided", _("Result recorded")
    CANCELLED = "cancelled", _("Cancelled")


class Election(models.Model):
    """An election of seats (for example the steering group's chair) held under an agenda item."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="elections")
    title = models.CharField(_("title"), max_length=200)
    seat_body = models.ForeignKey(
        Body, verbose_name=_("seats in"), on_delete=models.PROTECT, related_name="elections_for"
    )
    seat_role = models.CharField(_("role of the elected"), max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER)
    seats = models.PositiveSmallIntegerField(_("seats to fill"), default=1)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    is_secret = models.BooleanField(_("secret ballot"), default=True)
    nomination_opens_on = models.DateField(_("nominations open"), null=True, blank=True)
    nomination_closes_on = models.DateField(_("nominations close"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT, db_index=True
    )
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="governance_election_at_least_one_seat"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="governance_election_term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:election_detail", args=[self.pk])


class ConsentStatus(models.TextChoices):
    PENDING = "pending", _("Not answered")
    GIVEN = "given", _("Consents")
    DECLINED = "declined", _("Declines")


class Candidate(models.Model):
    """A person nominated in an election; only those who consent go on the ballot."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        "members.Participant", verbose_name=_("from participant"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    presentation = models.TextField(_("presentation"), blank=True)
    nominated_by = models.CharField(_("nominated by"), max_length=200, blank=True)
    consent = models.CharField(_("consent"), max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.PENDING)
    consent_at = models.DateTimeField(_("answered"), null=True, blank=True)
    is_elected = models.BooleanField(_("elected"), default=False)
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["person__name"]
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="governance_candidate_once")]

    def __str__(self) -> str:
        return str(self.person)


class MotionMethod(models.TextChoices):
    BALLOT = "ballot", _("Electronic ballot")
    COUNTED = "counted", _("Counted in the room (show of hands)")


class MotionStatus(models.TextChoices):
    DRAFT = "draft", _("Not voted on yet")
    VOTING = "voting", _("Voting open")
    CLOSED = "closed", _("Voted on")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MotionResult(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    TIE = "tie", _("Tie")
    NO_QUORUM = "no_quorum", _("No quorum")


class Motion(models.Model):
    """A motion voted on under an agenda item: for, against or abstain."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="motions")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("motion"))
    proposed_by = models.CharField(_("proposed by"), max_length=200, blank=True)
    method = models.CharField(_("how the vote is taken"), max_length=10, choices=MotionMethod.choices, default=MotionMethod.BALLOT)
    is_secret = models.BooleanField(_("secret ballot"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=MotionStatus.choices, default=MotionStatus.DRAFT, db_index=True
    )
    result = models.CharField(_("result"), max_length=20, choices=MotionResult.choices, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:motion_detail", args=[self.pk])


class PollStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Poll(models.Model):
    """One round of voting: an election round or the vote on a motion.

    At opening the electorate is fixed (`PollVoter`); a ballot (`Ballot`) of a secret poll
    carries no link to its voter, and the voter row only says that they have voted.
    """

    election = models.ForeignKey(
        Election, verbose_name=_("election"), null=True, blank=True, on_delete=models.CASCADE, related_name="polls"
    )
    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), null=True, blank=True, on_delete=models.CASCADE, related_name="polls"
    )
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="polls")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    is_secret = models.BooleanField(_("secret ballot"))
    by_participant = models.BooleanField(_("one vote per participant"))
    seats = models.PositiveSmallIntegerField(_("choices per ballot"), default=1)
    candidates = models.ManyToManyField(Candidate, verbose_name=_("on the ballot"), blank=True, related_name="polls")
    status = models.CharField(_("status"), max_length=10, choices=PollStatus.choices, default=PollStatus.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("opened"))
    closes_at = models.DateTimeField(_("closes by itself"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("with a vote"), default=0)
    voted_count = models.PositiveIntegerField(_("voted"), default=0)
    quorum_required = models.PositiveIntegerField(_("votes needed for quorum"), default=0)
    quorum_reached = models.BooleanField(_("quorum reached"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(election__isnull=False) & Q(motion__isnull=True))
                | (Q(election__isnull=True) & Q(motion__isnull=False)),
                name="governance_poll_election_or_motion",
            ),
            models.UniqueConstraint(
                fields=["election"], condition=Q(status="open"), name="governance_one_open_poll_per_election"
            ),
            models.UniqueConstraint(
                fields=["motion"], condition=Q(status="open"), name="governance_one_open_poll_per_motion"
            ),
        ]

    def __str__(self) -> str:
        subject = self.election or self.motion
        return f"{subject} ({self.round})"

    def get_absolute_url(self) -> str:
        return reverse("governance:mine_vote", args=[self.pk])

    @property
    def subject(self):
        return self.election if self.election_id else self.motion

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN


class CastAs(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    DEPUTY = "deputy", _("Deputy")
    PROXY = "proxy", _("Proxy holder")
    MEMBER = "member", pgettext_lazy("seat role", "Member")


class PollVoter(models.Model):
    """One vote in a poll (a participant's, or a seat holder's where participants do not vote),
    fixed when the poll opens; `voted_at` proves that the vote was cast, not how."""

    poll = models.ForeignKey(Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="voters")
    participant = models.ForeignKey(
        "members.Participant", verbose_name=_("participant"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voted_at = models.DateTimeField(_("voted"), null=True, blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cast by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_as = models.CharField(_("cast as"), max_length=20, choices=CastAs.choices, blank=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(participant__isnull=False) & Q(person__isnull=True))
                | (Q(participant__isnull=True) & Q(person__isnull=False)),
                name="governance_voter_participant_or_person",
            ),
            models.UniqueConstraint(
                fields=["poll", "participant"], condition=Q(participant__isnull=False), name="governance_voter_participant_once"
            ),
            models.UniqueConstraint(
                fields=["poll", "person"], condition=Q(person__isnull=False), name="governance_voter_person_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.participant or self.person)


class BallotChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")
    CANDIDATES = "candidates", _("Candidates")


class Ballot(models.Model):
    """A cast ballot. Random id and no time, so in a secret poll nothing in the data ties it to
    its voter (the database's physical row order is not part of the data; whoever administers
    the database is trusted, as the keeper of a ballot box is); in an open poll `participant` /
    `person` say whose it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=12, choices=BallotChoice.choices)
    candidate_ids = models.JSONField(_("candidates chosen"), default=list, blank=True)
    participant = models.ForeignKey(
        "members.Participant", verbose_name=_("participant"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.poll}: {self.get_choice_display()}"
