"""The register: organisations, persons, participants and their life cycle.

Writes go through members.services; reads that pages share are in members.selectors.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polyfon.core.validators import validate_org_number, validate_phone


class County(models.Model):
    """A county (fylke) in the 2024 regional division, loaded from members/data/."""

    number = models.CharField(_("number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=150)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommune) in the 2024 regional division, loaded from members/data/."""

    number = models.CharField(_("number"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=150)
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.official_name}"


class Network(models.Model):
    """A regional network (regionalt nettverk) inside the national cluster."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    counties = models.ManyToManyField(County, verbose_name=_("counties"), blank=True, related_name="networks")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("regional network")
        verbose_name_plural = _("regional networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COUNTY_MUNICIPALITY = "county_municipality", _("County municipality")
    HEALTH_TRUST = "health_trust", _("Health trust")
    HOSPITAL = "hospital", _("Hospital or foundation")
    UNIVERSITY = "university", _("University or college")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    COMPETENCE_CENTRE = "competence_centre", _("Competence centre")
    USER_ORGANISATION = "user_organisation", _("User organisation")
    OTHER = "other", _("Other")


ORGANISATION_KIND_PLURALS = {
    OrganisationKind.MUNICIPALITY: _("Municipalities"),
    OrganisationKind.COUNTY_MUNICIPALITY: _("County municipalities"),
    OrganisationKind.HEALTH_TRUST: _("Health trusts"),
    OrganisationKind.HOSPITAL: _("Hospitals and foundations"),
    OrganisationKind.UNIVERSITY: _("Universities and colleges"),
    OrganisationKind.RESEARCH_INSTITUTE: _("Research institutes"),
    OrganisationKind.COMPETENCE_CENTRE: _("Competence centres"),
    OrganisationKind.USER_ORGANISATION: _("User organisations"),
    OrganisationKind.OTHER: _("Other organisations"),
}


class Organisation(models.Model):
    """A legal entity with a Norwegian organisation number: a municipality, a health trust, ..."""

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"), max_length=9, unique=True, validators=[validate_org_number]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        County, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=4, blank=True)
    postal_place = models.CharField(_("post town"), max_length=100, blank=True)
    invoice_address = models.CharField(
        _("invoice address"), max_length=200, blank=True, help_text=_("Leave empty to use the postal address.")
    )
    invoice_postal_code = models.CharField(_("invoice postcode"), max_length=4, blank=True)
    invoice_postal_place = models.CharField(_("invoice post town"), max_length=100, blank=True)
    invoice_email = models.EmailField(_("invoice e-mail"), blank=True)
    receives_ehf = models.BooleanField(
        _("receives EHF e-invoices"), default=False, help_text=_("Public bodies usually receive invoices as EHF.")
    )
    buyer_reference = models.CharField(
        _("buyer reference (“Deres ref.”)"),
        max_length=100,
        blank=True,
        help_text=_("The reference the organisation's invoice reception routes on, e.g. a cost centre or a person."),
    )
    website = models.URLField(_("website"), blank=True)
    brreg_form = models.CharField(_("form of organisation (Brønnøysund)"), max_length=10, blank=True)
    brreg_updated_at = models.DateTimeField(_("last updated from Brønnøysund"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="members_org_name_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation_detail", args=[self.pk])

    @property
    def invoice_address_lines(self) -> list[str]:
        """Where invoices go: the invoice address, or the postal address when none is set."""
        if self.invoice_address:
            return [self.invoice_address, f"{self.invoice_postal_code} {self.invoice_postal_place}".strip()]
        return [line for line in [self.postal_address, f"{self.postal_code} {self.postal_place}".strip()] if line]


class StudentLevel(models.TextChoices):
    NONE = "", _("Not a student")
    MASTER = "master", _("Master's student")
    PHD = "phd", _("PhD candidate")


class Person(models.Model):
    """A person the cluster deals with: contacts, representatives, applicants, students."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    title = models.CharField(_("title"), max_length=150, blank=True)
    student_level = models.CharField(
        _("student"), max_length=10, choices=StudentLevel.choices, default=StudentLevel.NONE, blank=True
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nb")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", verbose_name=_("affiliations"), related_name="people", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="members_person_email_ci_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:person_detail", args=[self.pk])


class Affiliation(models.Model):
    """A person's employment or other tie to an organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    role = models.CharField(_("job title"), max_length=150, blank=True)
    is_primary = models.BooleanField(_("main affiliation"), default=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["person__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="members_affiliation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation}"


class ParticipantKind(models.TextChoices):
    SINGLE = "single", _("Single participant")
    GROUP = "group", _("Sub-group")


class FeeCategory(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    LARGE = "large", _("Large participant")
    GROUP = "group", pgettext_lazy("fee category", "Sub-group")


class ParticipantStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    MEMBER = "member", _("Member")
    NOTICE_GIVEN = "notice_given", _("Notice given")
    FORMER = "former", _("Former participant")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which a participant is part of the cluster (and pays, votes, applies).
MEMBER_STATES = (ParticipantStatus.MEMBER, ParticipantStatus.NOTICE_GIVEN)


class InvoiceSplit(models.TextChoices):
    LEAD = "lead", _("The lead organisation is invoiced")
    SHARES = "shares", _("Each organisation is invoiced its share")


class Participant(models.Model):
    """A participant (klyngedeltaker): one organisation, or a sub-group of several with a lead."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ParticipantKind.choices, default=ParticipantKind.SINGLE)
    status = models.CharField(
        _("status"), max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.PROSPECT, db_index=True
    )
    fee_category = models.CharField(
        _("fee category"), max_length=10, choices=FeeCategory.choices, default=FeeCategory.ORDINARY
    )
    invoice_split = models.CharField(
        _("invoicing of a sub-group"), max_length=10, choices=InvoiceSplit.choices, default=InvoiceSplit.LEAD
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("regional network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    work_areas = models.ManyToManyField(
        "content.WorkArea", verbose_name=_("work areas of interest"), blank=True, related_name="participants"
    )
    organisations = models.ManyToManyField(
        Organisation, through="ParticipantOrganisation", related_name="participants", verbose_name=_("organisations")
    )
    description = models.TextField(_("public description"), blank=True)
    # Denormalised from the agreements by the life-cycle services, for lists and filters.
    member_since = models.DateField(_("member since"), null=True, blank=True)
    member_until = models.DateField(_("member until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="members_participant_name_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:participant_detail", args=[self.pk])

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATES

    @property
    def is_group(self) -> bool:
        return self.kind == ParticipantKind.GROUP


class ParticipantOrganisation(models.Model):
    """An organisation's place in a participant; a sub-group has several, one of them the lead."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    is_lead = models.BooleanField(_("lead organisation"), default=False)
    invoice_share = models.DecimalField(
        _("share of the fee (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("organisation in participant")
        verbose_name_plural = _("organisations in participant")
        ordering = ["-is_lead", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "organisation"], name="members_partorg_unique"),
            models.UniqueConstraint(
                fields=["participant"], condition=Q(is_lead=True), name="members_partorg_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.participant})"


class ContactRole(models.TextChoices):
    MAIN = "main", _("Main contact")
    INVOICE = "invoice", _("Invoice contact")
    STEERING_REP = "steering_rep", _("Steering-group representative")
    STEERING_DEPUTY = "steering_deputy", _("Steering-group deputy")
    CONTACT = "contact", _("Contact person")


# Roles a participant has at most one holder of.
SINGLE_HOLDER_ROLES = (ContactRole.MAIN, ContactRole.STEERING_REP, ContactRole.STEERING_DEPUTY)


class ParticipantContactQuerySet(models.QuerySet):
    def steering_group(self):
        """Representatives and deputies of the participants that are members now."""
        return self.filter(
            role__in=[ContactRole.STEERING_REP, ContactRole.STEERING_DEPUTY],
            participant__status__in=MEMBER_STATES,
        )


class ParticipantContact(models.Model):
    """A person with a role for a participant: main contact, invoice contact, representative..."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_roles")
    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices)

    objects = ParticipantContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["participant__name", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "person", "role"], name="members_contact_unique"),
            models.UniqueConstraint(
                fields=["participant", "role"],
                condition=Q(role__in=["main", "steering_rep", "steering_deputy"]),
                name="members_contact_single_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.participant})"


class AdmissionRound(models.Model):
    """An invitation to join, with the deadline for letters of intent (e.g. 20 November 2020)."""

    name = models.CharField(_("name"), max_length=150)
    opens_on = models.DateField(_("opens"))
    letter_deadline = models.DateField(_("deadline for letters of intent"))
    agreement_by = models.DateField(_("consortium agreement signed by"), null=True, blank=True)
    intro = models.TextField(_("text on the join page"), blank=True)

    class Meta:
        verbose_name = _("admission round")
        verbose_name_plural = _("admission rounds")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(letter_deadline__gte=models.F("opens_on")), name="members_round_deadline_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LetterOfIntent(models.Model):
    """What a prospective participant sent through the join page (or the coordinator entered)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="letters_of_intent")
    admission_round = models.ForeignKey(
        AdmissionRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters"
    )
    submitted_at = models.DateTimeField(_("received"))
    is_late = models.BooleanField(_("after the deadline"), default=False)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=9)
    participation_kind = models.CharField(_("participates as"), max_length=10, choices=ParticipantKind.choices)
    other_organisations = models.JSONField(_("other organisations in the sub-group"), default=list, blank=True)
    intended_fee_category = models.CharField(_("intended fee category"), max_length=10, choices=FeeCategory.choices)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_title = models.CharField(_("contact title"), max_length=150, blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="nb")

    class Meta:
        verbose_name = _("letter of intent")
        verbose_name_plural = _("letters of intent")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.submitted_at:%Y-%m-%d})"


class Agreement(models.Model):
    """A signed consortium agreement: one membership period of a participant."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="agreements")
    signed_on = models.DateField(_("signed"))
    start_date = models.DateField(_("membership starts"))
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), default=12, validators=[MaxValueValidator(60)]
    )
    notice_given_on = models.DateField(_("notice given"), null=True, blank=True)
    end_date = models.DateField(_("membership ends"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("consortium agreement")
        verbose_name_plural = _("consortium agreements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="members_agreement_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.start_date:%d.%m.%Y}"


def agreement_document_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    return f"agreements/{instance.agreement.participant_id}/{uuid.uuid4().hex}.pdf"


class AgreementDocument(models.Model):
    """A version of an agreement's document (PDF); new versions never replace old ones."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=agreement_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "-version"]
        constraints = [models.UniqueConstraint(fields=["agreement", "version"], name="members_agreementdoc_version")]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"
