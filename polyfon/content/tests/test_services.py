"""The content's services, rule by rule: knowledge-description versions, news, the newsletter."""

import io
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from polyfon.content import selectors, services, tokens
from polyfon.content.images import validate_image_upload
from polyfon.content.models import (
    DeliveryStatus,
    IssueStatus,
    KnowledgeDescription,
    NewsArticle,
    NewsletterBatch,
    NewsletterDelivery,
    PublicationStatus,
    Subscriber,
    SubscriberStatus,
    WorkArea,
)
from polyfon.content.related import Teaser
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry

from .factories import NewsArticleFactory, NewsletterIssueFactory, SubscriberFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return WorkArea.objects.get(slug="eldrehelse")


def _version(area, actor, **overrides):
    values = {
        "title": "Musikk og demens",
        "body_source": "Musikkbaserte tiltak er anbefalt.",
        "authors": "Ingrid Bergsland",
        "review_due": timezone.localdate() + timedelta(days=365),
        "guidelines": [{"title": "Nasjonal faglig retningslinje om demens", "url": "https://www.helsedirektoratet.no/retningslinjer/demens"}],
        "references": [{"text": "van der Steen m.fl. (2018).", "url": ""}],
    }
    values.update(overrides)
    return services.knowledge_description_save(work_area=area, actor=actor, **values)


# --- Work areas -----------------------------------------------------------------------------------------


def test_work_areas_can_be_added_changed_and_are_audited(coordinator):
    area = services.work_area_save(actor=coordinator, name="Habilitering", slug="habilitering", position=60)
    services.work_area_save(actor=coordinator, work_area=area, summary="Musikkterapi i habilitering.")
    assert list(AuditEntry.objects.filter(object_id=str(area.pk), action__startswith="polyfon.content.work_area")
                .values_list("action", flat=True)) == ["polyfon.content.work_area.changed", "polyfon.content.work_area.created"]
    assert WorkArea.objects.count() == 6


def test_work_area_names_and_short_names_are_unique(coordinator):
    with pytest.raises(DomainError) as error:
        services.work_area_save(actor=coordinator, name="Rustjenester", slug="rus-2")
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        services.work_area_save(actor=coordinator, name="Rus og avhengighet", slug="rus")
    assert error.value.field == "slug"


# --- Knowledge descriptions ---------------------------------------------------------------------------


def test_every_save_is_a_new_version_with_author_and_audit(area, coordinator):
    first = _version(area, coordinator)
    second = _version(area, coordinator, body_source="Oppdatert tekst.", change_note="Ny forskning")
    assert (first.version, second.version) == (1, 2)
    assert first.status == second.status == PublicationStatus.DRAFT
    assert second.created_by == coordinator and second.change_note == "Ny forskning"
    first.refresh_from_db()
    assert first.body_source == "Musikkbaserte tiltak er anbefalt."  # the old version is untouched
    entries = AuditEntry.objects.filter(action="polyfon.content.knowledge.saved")
    assert entries.count() == 2 and entries.first().actor == coordinator


def test_a_version_identical_to_the_last_is_refused(area, coordinator):
    _version(area, coordinator)
    with pytest.raises(DomainError, match="versjon 1"):
        _version(area, coordinator)
    assert _version(area, coordinator, review_due=timezone.localdate() + timedelta(days=400)).version == 2


def test_review_date_must_lie_ahead(area, coordinator):
    with pytest.raises(DomainError) as error:
        _version(area, coordinator, review_due=timezone.localdate())
    assert error.value.field == "review_due"
    assert not KnowledgeDescription.objects.exists()


def test_the_public_sees_the_newest_published_version(area, coordinator):
    assert selectors.published_description(area) is None
    first = _version(area, coordinator, publish=True)
    draft = _version(area, coordinator, body_source="Utkast.")
    assert selectors.published_description(area) == first  # a draft does not replace it
    services.knowledge_description_publish(description=draft, actor=coordinator)
    assert selectors.published_description(area).version == 2
    draft.refresh_from_db()
    assert draft.published_by == coordinator and draft.published_at is not None
    assert AuditEntry.objects.filter(action="polyfon.content.knowledge.published").count() == 2


def test_withdrawing_falls_back_to_the_previous_published_version(area, coordinator):
    first = _version(area, coordinator, publish=True)
    second = _version(area, coordinator, body_source="Feil tekst.", publish=True)
    services.knowledge_description_withdraw(description=second, actor=coordinator)
    assert selectors.published_description(area) == first
    services.knowledge_description_withdraw(description=first, actor=coordinator)
    assert selectors.published_description(area) is None


def test_an_older_version_cannot_be_published_over_a_newer_one(area, coordinator):
    old_draft = _version(area, coordinator)
    _version(area, coordinator, body_source="Nyere.", publish=True)
    with pytest.raises(DomainError, match="nyere"):
        services.knowledge_description_publish(description=old_draft, actor=coordinator)


def test_moves_outside_the_life_cycle_are_refused(area, coordinator):
    draft = _version(area, coordinator)
    with pytest.raises(DomainError):
        services.knowledge_description_withdraw(description=draft, actor=coordinator)
    published = services.knowledge_description_publish(description=draft, actor=coordinator)
    with pytest.raises(DomainError):
        services.knowledge_description_publish(description=published, actor=coordinator)


def test_hostile_text_is_stored_sanitised(area, coordinator):
    description = _version(area, coordinator, body_source="Hei <script>alert(1)</script>[x](javascript:alert(1))")
    assert "<script" not in description.body_html and "javascript:" not in description.body_html
    assert "<script>" in description.body_source  # the source is kept as written, never shown as HTML


def test_references_and_guidelines_are_cleaned(area, coordinator):
    description = _version(
        area, coordinator, references=[{"text": "  A  ", "url": ""}, {"text": "", "url": "https://x.no"}],
        guidelines=[{"title": "", "url": "https://x.no"}, {"title": "Retningslinje", "url": " https://h.no "}],
    )
    assert description.references == [{"text": "A", "url": ""}]
    assert description.guidelines == [{"title": "Retningslinje", "url": "https://h.no"}]


def test_review_reminder_names_due_descriptions_to_the_coordinators(area, coordinator, django_capture_on_commit_callbacks):
    due = _version(area, coordinator, review_due=timezone.localdate() + timedelta(days=10), publish=True)
    _version(WorkArea.objects.get(slug="rus"), coordinator, review_due=timezone.localdate() + timedelta(days=200), publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_knowledge_reviews() == 1
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_coordinator) == 1 and due.title in to_coordinator[0].body and "Rustjenester" not in to_coordinator[0].body


def test_no_review_reminder_when_nothing_is_due(area, coordinator, django_capture_on_commit_callbacks):
    _version(area, coordinator, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_knowledge_reviews() == 0
    assert mail.outbox == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_get_distinct_version_numbers():
    area = WorkArea.objects.get(slug="palliasjon")
    barrier, errors = threading.Barrier(4), []

    def save(n):
        try:
            barrier.wait()
            _version(area, None, body_source=f"Tekst {n}")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(area.knowledge_descriptions.values_list("version", flat=True)) == [1, 2, 3, 4]


# --- News --------------------------------------------------------------------------------------------------


def _article(actor=None, **values):
    return services.news_article_create(actor=actor, **{"title": "Nytt fra klyngen", "lead": "Ingress.", **values})


def test_a_new_article_is_a_draft_nobody_sees(coordinator):
    article = _article(coordinator, body_source="Tekst")
    assert article.status == PublicationStatus.DRAFT and not article.is_public
    assert list(selectors.public_news()) == []
    assert AuditEntry.objects.filter(action="polyfon.content.news.created", actor=coordinator).exists()


def test_publishing_now_and_ahead(coordinator, travel_to):
    travel_to(date(2026, 5, 1))
    now = _article(coordinator, title="Nå", publish=True)
    ahead = _article(coordinator, title="Senere", published_at=timezone.now() + timedelta(days=3), publish=True)
    assert now.published_at == timezone.now() and now.is_public
    assert ahead.status == PublicationStatus.PUBLISHED and not ahead.is_public
    assert list(selectors.public_news()) == [now]
    travel_to(date(2026, 5, 5))
    assert list(selectors.public_news()) == [ahead, now]


def test_withdraw_and_publish_again(coordinator):
    article = _article(coordinator, publish=True)
    services.news_article_withdraw(article=article, actor=coordinator)
    assert list(selectors.public_news()) == []
    with pytest.raises(DomainError):
        services.news_article_withdraw(article=article, actor=coordinator)
    services.news_article_publish(article=article, actor=coordinator)
    assert list(selectors.public_news()) == [article]


def test_slugs_are_unique_and_never_a_reserved_path(coordinator):
    assert _article(coordinator, title="Rss").slug == "rss-2"
    assert _article(coordinator, title="Ny avtale").slug == "ny-avtale"
    assert _article(coordinator, title="Ny avtale").slug == "ny-avtale-2"


def test_an_image_needs_a_text_alternative(coordinator):
    with pytest.raises(DomainError) as error:
        _article(coordinator, image=image_upload())
    assert error.value.field == "image_alt"
    article = _article(coordinator, image=image_upload(), image_alt="Kor som synger")
    with pytest.raises(DomainError):
        services.news_article_update(article=article, actor=coordinator, image_alt="")


def test_the_image_is_reencoded_without_metadata_and_resized(coordinator):
    exif = Image.Exif()
    exif[0x010F] = "Kameraprodusent"  # Make
    upload = image_upload("foto.jpg", size=(3200, 1600), image_format="JPEG", exif=exif.tobytes())
    article = _article(coordinator, image=upload, image_alt="Et kor")
    assert (article.image_format, article.image_width, article.image_height) == ("jpg", 1600, 800)
    assert "foto" not in article.image.name  # random names, nothing from the upload
    with article.image.open("rb") as f, Image.open(io.BytesIO(f.read())) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 800)
        assert not stored.getexif()


def test_a_transparent_png_stays_a_png(coordinator):
    article = _article(coordinator, image=image_upload("logo.png", mode="RGBA"), image_alt="Logo")
    assert article.image_format == "png" and article.image.name.endswith(".png")


def test_replacing_the_image_deletes_the_old_file_after_commit(coordinator, django_capture_on_commit_callbacks):
    article = _article(coordinator, image=image_upload(), image_alt="Første")
    old = article.image.name
    with django_capture_on_commit_callbacks(execute=True):
        article = services.news_article_update(article=article, actor=coordinator, image=image_upload(), image_alt="Andre")
    assert article.image.name != old and not default_storage.exists(old) and default_storage.exists(article.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.news_article_update(article=article, actor=coordinator, remove_image=True, image_alt="")
    assert not article.image and article.image_width is None


def test_changes_are_audited_with_long_texts_shortened(coordinator):
    article = _article(coordinator, body_source="Kort")
    services.news_article_update(article=article, actor=coordinator, body_source="x" * 1000, title="Ny tittel")
    entry = AuditEntry.objects.get(action="polyfon.content.news.changed")
    assert entry.payload["changes"]["title"] == ["Nytt fra klyngen", "Ny tittel"]
    assert len(entry.payload["changes"]["body_source"][1]) < 300
    article.refresh_from_db()
    assert article.body_html == "<p>" + "x" * 1000 + "</p>"


def test_only_a_draft_never_out_can_be_deleted(coordinator):
    draft = _article(coordinator, title="Utkast")
    services.news_article_delete(article=draft, actor=coordinator)
    assert not NewsArticle.objects.filter(title="Utkast").exists()
    assert AuditEntry.objects.filter(action="polyfon.content.news.deleted", payload__title="Utkast").exists()
    published = _article(coordinator, publish=True)
    with pytest.raises(DomainError):
        services.news_article_delete(article=published, actor=coordinator)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("bilde.png", b"MZ\x90\x00 not an image", content_type="image/png"), "not_image"),
        (image_upload("animasjon.gif", image_format="GIF"), "not_image"),
        (SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml"), "not_image"),
    ],
)
def test_uploads_are_checked_by_content(upload, code):
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == code


def test_uploads_are_checked_for_size_and_pixels(settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_image_upload(image_upload(size=(400, 400)))
    assert error.value.code == "image_too_large"
    settings.MAX_IMAGE_UPLOAD_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        validate_image_upload(image_upload(size=(8000, 6000), image_format="PNG", mode="1"))
    assert error.value.code == "image_too_many_pixels"


# --- Subscribers ------------------------------------------------------------------------------------------


def _confirm_url_in(message) -> str:
    return next(line for line in message.body.splitlines() if "/nyhetsbrev/bekreft/" in line).strip()


def test_subscribing_sends_a_signed_confirmation_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscriber_subscribe(email="  Kari@Example.no ", name="Kari", language="en")
    assert (subscriber.email, subscriber.status) == ("kari@example.no", SubscriberStatus.PENDING)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kari@example.no"]
    assert "Confirm your subscription" in mail.outbox[0].subject  # in the subscriber's language
    token = _confirm_url_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1]
    assert tokens.subscriber_from_confirm_token(token) == subscriber
    assert "kari" not in token.lower()  # the address is not in the link


def test_confirming_makes_a_subscriber():
    subscriber = services.subscriber_subscribe(email="ola@example.no")
    services.subscriber_confirm(subscriber=subscriber)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.confirmed_at is not None
    services.subscriber_confirm(subscriber=subscriber)  # twice is no error
    assert AuditEntry.objects.filter(action="polyfon.content.subscriber.confirmed").count() == 1


def test_subscribing_again_tells_nobody_anything_and_does_not_flood(django_capture_on_commit_callbacks, travel_to):
    travel_to(date(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="per@example.no")
        services.subscriber_subscribe(email="PER@example.no")  # within ten minutes: no second mail
    assert len(mail.outbox) == 1
    travel_to(timezone.now() + timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscriber_subscribe(email="per@example.no")
    assert len(mail.outbox) == 2
    services.subscriber_confirm(subscriber=subscriber)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="per@example.no")  # already subscribed: nothing happens
    assert len(mail.outbox) == 2 and Subscriber.objects.count() == 1


def test_an_unsubscribed_address_must_confirm_anew(django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory(email="liv@example.no")
    services.subscriber_unsubscribe(subscriber=subscriber)
    with pytest.raises(DomainError):
        services.subscriber_confirm(subscriber=subscriber)
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscriber_subscribe(email="liv@example.no")
    assert subscriber.status == SubscriberStatus.PENDING and len(mail.outbox) == 1


def test_unsubscribing_is_one_step_and_can_be_repeated():
    subscriber = SubscriberFactory()
    services.subscriber_unsubscribe(subscriber=subscriber)
    services.subscriber_unsubscribe(subscriber=subscriber)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert AuditEntry.objects.filter(action="polyfon.content.subscriber.unsubscribed").count() == 1


def test_tokens_expire_and_cannot_be_forged_or_reused_for_another_address(travel_to):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    token = tokens.confirm_token(subscriber)
    assert tokens.subscriber_from_confirm_token(token[:-2] + "xx") is None
    assert tokens.subscriber_from_unsubscribe_token(token) is None  # another purpose, another salt
    Subscriber.objects.filter(pk=subscriber.pk).update(email="annen@example.no")
    assert tokens.subscriber_from_confirm_token(token) is None
    Subscriber.objects.filter(pk=subscriber.pk).update(email=subscriber.email)
    travel_to(timezone.now() + timedelta(days=8))
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp()), pytest.raises(tokens.TokenExpired):
        tokens.subscriber_from_confirm_token(token)


def test_deleting_a_subscriber_keeps_the_counts_but_not_the_address(coordinator):
    subscriber = SubscriberFactory(email="slett.meg@example.no")
    issue = NewsletterIssueFactory(status=IssueStatus.SENT)
    batch = NewsletterBatch.objects.create(issue=issue, number=1, size=1, sent_count=1)
    NewsletterDelivery.objects.create(issue=issue, batch=batch, subscriber=subscriber, status=DeliveryStatus.SENT)
    services.subscriber_delete(subscriber=subscriber, actor=coordinator, reason="Bedt om det på e-post")
    assert not Subscriber.objects.exists()
    assert NewsletterDelivery.objects.get().subscriber is None
    assert selectors.issue_delivery_totals(issue)["sent"] == 1
    log = " ".join(f"{e.object_repr} {e.payload}" for e in AuditEntry.objects.all())
    assert "slett.meg" not in log and "Bedt om det" in log


def test_unconfirmed_subscriptions_are_deleted_after_fourteen_days():
    old = services.subscriber_subscribe(email="gammel@example.no")
    Subscriber.objects.filter(pk=old.pk).update(confirmation_sent_at=timezone.now() - timedelta(days=15))
    services.subscriber_subscribe(email="ny@example.no")
    confirmed = SubscriberFactory(confirmation_sent_at=timezone.now() - timedelta(days=100))
    assert services.purge_unconfirmed_subscribers() == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"ny@example.no", confirmed.email}


# --- Issues and sending -----------------------------------------------------------------------------------


@pytest.fixture
def issue(coordinator):
    article = NewsArticleFactory(title="Nyhet i brevet")
    event = Teaser(key="events.event:1", title="Webinar om demens", url="/arrangement/webinar/", when=timezone.now() + timedelta(days=9))
    return services.newsletter_issue_save(
        actor=coordinator, subject="POLYFON-nytt nr. 1", intro_source="Hei *alle*! [Les mer](/nyheter/)",
        articles=[article], events=[event],
    )


def test_an_issue_is_composed_of_news_and_event_snapshots(issue):
    assert issue.status == IssueStatus.DRAFT and list(issue.articles.values_list("title", flat=True)) == ["Nyhet i brevet"]
    assert issue.events[0]["title"] == "Webinar om demens" and issue.events[0]["url"] == "/arrangement/webinar/"
    assert Teaser.from_snapshot(issue.events[0]).has_time
    assert "<em>alle</em>" in issue.intro_html


def test_only_published_news_can_go_in_an_issue(coordinator):
    draft = NewsArticleFactory(status=PublicationStatus.DRAFT)
    with pytest.raises(DomainError):
        services.newsletter_issue_save(actor=coordinator, subject="x", articles=[draft])


def test_sending_goes_out_in_batches_with_one_click_unsubscribe(issue, coordinator, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 2
    subscribers = SubscriberFactory.create_batch(4) + [SubscriberFactory(language="en")]
    SubscriberFactory(status=SubscriberStatus.PENDING, confirmed_at=None)
    SubscriberFactory(status=SubscriberStatus.UNSUBSCRIBED)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.recipient_count == 5 and issue.sent_by == coordinator
    assert list(issue.batches.values_list("number", "size", "sent_count")) == [(1, 2, 2), (2, 2, 2), (3, 1, 1)]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)
    message = next(m for m in mail.outbox if m.to == [subscribers[0].email])
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/nyhetsbrev/avmeld/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body  # the same personal link in the text
    token = unsubscribe.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert tokens.subscriber_from_unsubscribe_token(token) == subscribers[0]
    html = message.alternatives[0][0]
    assert 'href="http://127.0.0.1:8000/nyheter/"' in html  # relative links made absolute for mail
    english = next(m for m in mail.outbox if m.to == [subscribers[-1].email])
    assert "Unsubscribe" in english.body and "Webinar om demens" in english.body
    assert AuditEntry.objects.filter(action="polyfon.content.issue.sent", payload__sent=5).exists()


def test_an_issue_is_sent_once(issue, coordinator, django_capture_on_commit_callbacks):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    with pytest.raises(DomainError):
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    with pytest.raises(DomainError):
        services.newsletter_issue_save(actor=coordinator, issue=issue, subject="Endret")
    batch = issue.batches.get()
    services.newsletter_batch_send(batch_id=batch.pk)  # the worker running a batch twice
    assert len(mail.outbox) == 1


def test_a_batch_cut_off_half_way_resumes_without_sending_twice(issue, coordinator, django_capture_on_commit_callbacks):
    first, second = SubscriberFactory(), SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=False):
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    batch = issue.batches.get()
    # As if the worker had stopped after the first recipient: its delivery is written, the batch is not finished.
    NewsletterDelivery.objects.create(issue=issue, batch=batch, subscriber=first, status=DeliveryStatus.SENT,
                                      sent_at=timezone.now())
    services.newsletter_batch_send(batch_id=batch.pk)
    assert [m.to for m in mail.outbox] == [[second.email]]
    batch.refresh_from_db()
    assert (batch.sent_count, batch.skipped_count, batch.failed_count) == (2, 0, 0) and batch.finished_at
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


def test_nothing_is_sent_without_content_or_subscribers(coordinator, issue):
    empty = services.newsletter_issue_save(actor=coordinator, subject="Tom")
    SubscriberFactory()
    with pytest.raises(DomainError, match="Utgaven er tom"):
        services.newsletter_issue_send(issue=empty, actor=coordinator)
    Subscriber.objects.all().delete()
    with pytest.raises(DomainError, match="Ingen abonnerer"):
        services.newsletter_issue_send(issue=issue, actor=coordinator)


def test_no_mail_when_the_transaction_rolls_back(issue, coordinator, django_capture_on_commit_callbacks):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.newsletter_issue_send(issue=issue, actor=coordinator)
            raise RuntimeError("rollback")
    assert callbacks == [] and mail.outbox == []
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and not NewsletterBatch.objects.exists()


def test_who_unsubscribes_before_their_batch_is_skipped(issue, coordinator, django_capture_on_commit_callbacks):
    stays, leaves, deleted = SubscriberFactory(), SubscriberFactory(), SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    issue.refresh_from_db()
    assert selectors.issue_delivery_totals(issue) == {"waiting": 3, "sent": 0, "skipped": 0, "failed": 0}
    services.subscriber_unsubscribe(subscriber=leaves)
    services.subscriber_delete(subscriber=deleted)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert [m.to for m in mail.outbox] == [[stays.email]]
    assert NewsletterDelivery.objects.get(subscriber=leaves).status == DeliveryStatus.SKIPPED
    assert selectors.issue_delivery_totals(issue) == {"waiting": 0, "sent": 1, "skipped": 2, "failed": 0}
    assert NewsletterDelivery.objects.count() == 2  # the deleted subscriber left only the count


def test_stopping_a_sending_skips_the_batches_not_yet_sent(issue, coordinator, settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 1
    SubscriberFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    first = issue.batches.order_by("number").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_batch_send(batch_id=first.pk)
    services.newsletter_issue_cancel(issue=issue, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the worker picks up the remaining tasks after the stop
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CANCELLED and len(mail.outbox) == 1
    assert selectors.issue_delivery_totals(issue) == {"waiting": 0, "sent": 1, "skipped": 2, "failed": 0}
    with pytest.raises(DomainError):
        services.newsletter_issue_cancel(issue=issue, actor=coordinator)


def test_one_failing_address_does_not_stop_the_batch(issue, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    """The mail server refuses one address: its delivery is logged as failed (what the server
    said, without the address), the others go out over the same connection."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    good, bad = SubscriberFactory(), SubscriberFactory(email="feil@example.no")
    real = EmailBackend.send_messages

    def refusing(self, messages):
        if any(bad.email in message.to for message in messages):
            raise smtplib.SMTPRecipientsRefused({bad.email: (550, b"No such user")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and [m.to for m in mail.outbox] == [[good.email]]
    failed = NewsletterDelivery.objects.get(subscriber=bad)
    assert failed.status == DeliveryStatus.FAILED and failed.error == "SMTPRecipientsRefused"  # no address in the log
    assert NewsletterDelivery.objects.get(subscriber=good).status == DeliveryStatus.SENT
    assert (issue.batches.get().sent_count, issue.batches.get().failed_count) == (1, 1)


def test_a_test_copy_goes_only_to_the_coordinator(issue, coordinator, django_capture_on_commit_callbacks):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_send_test(issue=issue, actor=coordinator, email=coordinator.email)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "[TEST]" in mail.outbox[0].subject and "List-Unsubscribe" not in mail.outbox[0].extra_headers
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
