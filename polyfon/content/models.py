"""The public face of the cluster: work areas with their knowledge descriptions, news and the
newsletter (POLYFON-nytt).

Writes go through content.services; reads that pages share are in content.selectors. Text the
coordinator writes is Markdown; what is stored beside it is sanitised HTML (core.richtext).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .i18n import localized


class WorkArea(models.Model):
    """A field the cluster works in (arbeidsområde): the five of the seeds, more can be added."""

    name = models.CharField(_("name (bokmål)"), max_length=120, unique=True)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    summary = models.TextField(_("summary (bokmål)"), blank=True)
    summary_nn = models.TextField(_("summary (nynorsk)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("work area")
        verbose_name_plural = _("work areas")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("content:work_area_edit", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("content:work_area_page", args=[self.slug])

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")


class PublicationStatus(models.TextChoices):
    """Where a knowledge description version or a news article stands (content.lifecycle)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CONTENT_LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]


class KnowledgeDescription(models.Model):
    """One version of a work area's knowledge description (kunnskapsbeskrivelse).

    A version is never changed after it is saved: every save adds a new version, with its
    author, date, review date, references and links to the national guidelines. The public
    sees the latest published version; the coordinator sees them all and compares them.
    """

    work_area = models.ForeignKey(
        WorkArea, verbose_name=_("work area"), on_delete=models.PROTECT, related_name="knowledge_descriptions"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language of the text"), max_length=5, choices=CONTENT_LANGUAGES, default="nb")
    summary = models.TextField(_("summary"), blank=True)
    body_source = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text (sanitised HTML)"), editable=False)
    authors = models.CharField(_("written by"), max_length=300)
    references = models.JSONField(_("references"), default=list, blank=True)
    guidelines = models.JSONField(_("national guidelines"), default=list, blank=True)
    review_due = models.DateField(_("to be reviewed by"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("knowledge description")
        verbose_name_plural = _("knowledge descriptions")
        ordering = ["work_area__position", "work_area__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["work_area", "version"], name="content_knowledge_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="content_knowledge_version_positive"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="content_knowledge_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["work_area", "status", "-version"], name="content_knowledge_current")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("content:knowledge_detail", args=[self.pk])


def news_image_path(instance, filename: str) -> str:
    # Random names: nothing of the original file name reaches the disk or an address.
    return f"news/{uuid.uuid4().hex}.{instance.image_format or 'jpg'}"


class NewsArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """Published articles whose publication time has come."""
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=now or timezone.now())


class NewsArticle(models.Model):
    """A news item on the public site, in the RSS and Atom feeds and for the newsletter.

    An article is published from a given time (which may lie ahead: it then appears by itself);
    it can be withdrawn and published again. Its image is checked, re-encoded without its
    metadata, and always carries a text alternative.
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=200, unique=True)
    lead = models.TextField(_("introduction"), max_length=600, help_text=_("One or two sentences, shown in lists and feeds."))
    body_source = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(_("text (sanitised HTML)"), blank=True, editable=False)
    language = models.CharField(_("language of the text"), max_length=5, choices=CONTENT_LANGUAGES, default="nb")
    work_areas = models.ManyToManyField(
        WorkArea, verbose_name=_("work areas"), blank=True, related_name="news_articles"
    )
    byline = models.CharField(_("written by"), max_length=200, blank=True)
    image = models.FileField(_("image"), upload_to=news_image_path, blank=True)
    image_format = models.CharField(_("image format"), max_length=4, blank=True, editable=False)
    image_width = models.PositiveIntegerField(_("image width"), null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(_("image height"), null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("text alternative for the image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for those who cannot see it. Required with an image."),
    )
    image_caption = models.CharField(_("image caption and credit"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(image="") | ~Q(image_alt=""), name="content_news_image_has_alt"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="content_news_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="content_news_public")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:news_edit", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("content:news_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and bool(self.published_at) and self.published_at <= timezone.now()

    @property
    def image_url(self) -> str:
        if not self.image:
            return ""
        # The file name changes with every new image, so the address can be cached for long.
        return reverse("content:news_image", args=[self.pk]) + "?v=" + self.image.name.rsplit("/", 1)[-1][:8]


# --- Newsletter ------------------------------------------------------------------------------------


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("newsletter", "Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class SubscriptionSource(models.TextChoices):
    WEB = "web", _("Subscription form")
    OFFICE = "office", _("Added by the coordinator")


class Subscriber(models.Model):
    """A recipient of the newsletter. Subscriptions are confirmed through a signed link sent to
    the address (double opt-in); unsubscribing takes one click, and the address can be deleted."""

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nb")
    status = models.CharField(
        _("status"), max_length=15, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING, db_index=True
    )
    source = models.CharField(
        _("subscribed through"), max_length=10, choices=SubscriptionSource.choices, default=SubscriptionSource.WEB
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation link sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="content_subscriber_email_ci_unique"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="content_subscriber_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        # No address here: this text is what the audit log keeps, also after a deletion.
        return gettext("Subscriber %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("content:subscriber_detail", args=[self.pk])


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Being sent")
    SENT = "sent", pgettext_lazy("newsletter issue", "Sent")
    CANCELLED = "cancelled", _("Sending stopped")


class NewsletterIssue(models.Model):
    """An issue of the newsletter (POLYFON-nytt): an introduction, chosen news and events.

    The chosen events are kept as a snapshot (title, time, address) so that an issue that has
    been sent reads the same later, whatever happens to the events.
    """

    subject = models.CharField(_("subject"), max_length=200)
    language = models.CharField(_("language of the text"), max_length=5, choices=CONTENT_LANGUAGES, default="nb")
    intro_source = models.TextField(_("introduction (Markdown)"), blank=True)
    intro_html = models.TextField(_("introduction (sanitised HTML)"), blank=True, editable=False)
    articles = models.ManyToManyField(
        NewsArticle, verbose_name=_("news"), blank=True, related_name="newsletter_issues"
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.DRAFT, db_index=True
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("content:issue_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("content:newsletter_archive_issue", args=[self.pk])


class NewsletterBatch(models.Model):
    """One batch of an issue's sending, handled by one background task: the sending's log.

    `recipients` holds the ids of the subscribers the batch was given when the sending started
    (who was subscribed then); the task turns them into deliveries and empties it."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField(_("batch"))
    size = models.PositiveIntegerField(_("recipients"))
    recipients = models.JSONField(_("subscribers to send to"), default=list, blank=True)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter batch")
        verbose_name_plural = _("newsletter batches")
        ordering = ["issue", "number"]
        constraints = [models.UniqueConstraint(fields=["issue", "number"], name="content_batch_number_unique")]

    def __str__(self) -> str:
        return f"{self.issue} #{self.number}"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("e-mail", "Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class NewsletterDelivery(models.Model):
    """What happened for one recipient of one issue, written by the batch that handled them. The
    pair is unique, so nobody gets an issue twice; the subscriber link is cleared when a
    subscriber is deleted, and the batch's counts stay."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    batch = models.ForeignKey(NewsletterBatch, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, db_index=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="content_delivery_once_per_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscriber_id}"
