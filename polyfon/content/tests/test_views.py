"""The content's pages through their real URLs, with the real permissions."""

from datetime import timedelta
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from polyfon.content import related, services, tokens
from polyfon.content.models import (
    IssueStatus,
    KnowledgeDescription,
    NewsArticle,
    NewsletterIssue,
    PublicationStatus,
    Subscriber,
    SubscriberStatus,
    WorkArea,
)
from polyfon.members.tests.factories import MemberFactory

from .factories import (
    KnowledgeDescriptionFactory,
    NewsArticleFactory,
    NewsletterIssueFactory,
    SubscriberFactory,
    image_upload,
)

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# --- Public pages ------------------------------------------------------------------------------------------


def test_work_area_page_shows_the_newest_published_version_only(english):
    area = WorkArea.objects.get(slug="psykisk-helse")
    KnowledgeDescriptionFactory(work_area=area, title="Gammel versjon")
    KnowledgeDescriptionFactory(work_area=area, title="Gjeldende versjon", authors="Christian Gold")
    KnowledgeDescriptionFactory(work_area=area, title="Utkast", status=PublicationStatus.DRAFT)
    html = english.get(reverse("content:work_area_page", args=["psykisk-helse"])).content.decode()
    assert "Gjeldende versjon" in html and "Gammel versjon" not in html and "Utkast" not in html
    assert "Christian Gold" in html and "To be reviewed by" in html
    assert 'href="https://www.helsedirektoratet.no/retningslinjer"' in html  # the national guideline
    assert 'lang="nb"' in html  # Norwegian text marked as such on an English page


def test_work_area_without_description_says_it_is_being_written(english):
    html = english.get(reverse("content:work_area_page", args=["rus"])).content.decode()
    assert "being written" in html
    assert english.get(reverse("content:work_area_page", args=["finnes-ikke"])).status_code == 404


def test_work_area_page_shows_area_news_and_member_participants(english):
    area = WorkArea.objects.get(slug="rus")
    NewsArticleFactory(title="Rusnyhet", work_areas=[area])
    NewsArticleFactory(title="Annen nyhet")
    member = MemberFactory(name="Rusdeltakeren")
    member.work_areas.add(area)
    html = english.get(reverse("content:work_area_page", args=["rus"])).content.decode()
    assert "Rusnyhet" in html and "Annen nyhet" not in html and "Rusdeltakeren" in html


def test_public_work_area_list_links_every_active_area(client):
    WorkArea.objects.filter(slug="palliasjon").update(is_active=False)
    html = client.get(reverse("content:public_work_areas")).content.decode()
    assert "/arbeidsomrader/rus/" in html and "/arbeidsomrader/palliasjon/" not in html


def test_news_list_shows_public_news_by_work_area_and_pages(client):
    area = WorkArea.objects.get(slug="eldrehelse")
    NewsArticleFactory(title="Publisert om demens", work_areas=[area])
    NewsArticleFactory(title="Annet tema")
    NewsArticleFactory(title="Et utkast", status=PublicationStatus.DRAFT)
    NewsArticleFactory(title="Kommer senere", published_at=timezone.now() + timedelta(days=2))
    html = client.get(reverse("content:news_list")).content.decode()
    assert "Publisert om demens" in html and "Annet tema" in html
    assert "Et utkast" not in html and "Kommer senere" not in html
    filtered = client.get(reverse("content:news_list"), {"omrade": "eldrehelse"}).content.decode()
    assert "Publisert om demens" in filtered and "Annet tema" not in filtered
    NewsArticleFactory.create_batch(12)
    second = client.get(reverse("content:news_list"), {"page": 2}).content.decode()
    assert "Publisert om demens" in second or "Annet tema" in second


def test_public_news_list_and_front_page_use_a_constant_number_of_queries(client):
    areas = list(WorkArea.objects.all())
    for _n in range(3):
        NewsArticleFactory(work_areas=areas[:2], image="news/x.jpg", image_alt="Bilde", image_format="jpg")
    few = (_queries(client, reverse("content:news_list")), _queries(client, reverse("core:home")))
    for _n in range(30):
        NewsArticleFactory(work_areas=areas, image="news/y.jpg", image_alt="Bilde", image_format="jpg")
    assert (_queries(client, reverse("content:news_list")), _queries(client, reverse("core:home"))) == few


def test_a_draft_is_hidden_from_the_public_but_previewed_by_coordinators(client, coordinator, registered_user):
    draft = NewsArticleFactory(status=PublicationStatus.DRAFT, slug="hemmelig")
    url = reverse("content:news_detail", args=["hemmelig"])
    assert client.get(url).status_code == 404
    client.force_login(registered_user)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200 and draft.title in response.content.decode()
    assert "ds-alert" in response.content.decode()  # the preview banner


def test_article_page_shows_image_with_text_alternative(client, coordinator):
    article = services.news_article_create(
        actor=coordinator, title="Koret synger", lead="Ingress", body_source="## Mellomtittel\n\nTekst",
        image=image_upload(), image_alt="Seks personer synger i kor", image_caption="Foto: NORCE", publish=True,
    )
    html = client.get(article.get_public_url()).content.decode()
    assert 'alt="Seks personer synger i kor"' in html and "Foto: NORCE" in html and "<h2>Mellomtittel</h2>" in html
    image = client.get(article.image_url)
    # An opaque PNG is served as the JPEG the server made of it.
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")


def test_the_image_of_a_draft_is_not_public(client, coordinator):
    article = services.news_article_create(
        actor=coordinator, title="Utkast", lead="Ingress", image=image_upload(), image_alt="Bilde"
    )
    assert client.get(article.image_url).status_code == 404
    client.force_login(coordinator)
    response = client.get(article.image_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert client.get(reverse("content:news_image", args=[NewsArticleFactory().pk])).status_code == 404  # no image


def test_rss_and_atom_feeds_carry_the_public_news(client):
    area = WorkArea.objects.get(slug="rus")
    NewsArticleFactory(title="I strømmen", work_areas=[area], byline="Kari")
    NewsArticleFactory(title="Utenfor området")
    NewsArticleFactory(title="Ikke publisert", status=PublicationStatus.DRAFT)
    rss = client.get(reverse("content:news_rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    titles = [item.findtext("title") for item in ElementTree.fromstring(rss.content).iter("item")]
    assert "I strømmen" in titles and "Utenfor området" in titles and "Ikke publisert" not in titles
    atom = client.get(reverse("content:news_atom"), {"omrade": "rus"})
    assert atom["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ElementTree.fromstring(atom.content).findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["I strømmen"]
    assert "/nyheter/" in entries[0].find("a:link", ns).get("href")
    assert client.get(reverse("content:news_rss"), {"omrade": "ukjent"}).status_code == 404


def test_about_page_names_participants_and_how_to_reach_the_coordinator(english, settings):
    MemberFactory(name="Bergen kommune")
    html = english.get(reverse("content:about")).content.decode()
    assert "Bergen kommune" in html and settings.CLUSTER["email"] in html and settings.CLUSTER["coordinator"] in html


def test_front_page_shows_latest_news_and_work_areas(english):
    NewsArticleFactory(title="Fersk nyhet")
    html = english.get(reverse("core:home")).content.decode()
    assert "Fersk nyhet" in html and "/arbeidsomrader/eldrehelse/" in html and "/nyhetsbrev/" in html


def test_front_page_and_work_area_page_show_the_real_calls_and_events(client):
    """The pages read the funding and events apps themselves (not stand-ins): an open call and
    a coming public event of the area are shown; an internal event is not."""
    from polyfon.content.models import WorkArea
    from polyfon.events.tests.factories import EventFactory
    from polyfon.funding.tests.factories import CallFactory

    area = WorkArea.objects.order_by("position").first()
    call = CallFactory(title="Såkornmidler til prosjekter i eldrehelse")
    call.work_areas.add(area)
    event = EventFactory(title="Webinar om musikk og demens")
    event.work_areas.add(area)
    hidden = EventFactory(title="Internt planleggingsmøte", is_public=False)
    hidden.work_areas.add(area)
    for url in [reverse("core:home"), area.get_public_url()]:
        html = client.get(url).content.decode()
        assert call.display_title in html and event.title in html, url
        assert hidden.title not in html, url


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize(
    "url_name", ["core:home", "core:privacy", "core:accessibility", "content:about", "content:news_list",
                 "content:public_work_areas", "content:newsletter_subscribe"],
)
def test_public_pages_render_in_every_language(client, settings, language, url_name):
    NewsArticleFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(url_name))
    assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()


# --- Newsletter, public side ---------------------------------------------------------------------------------


def test_subscribe_then_confirm_through_the_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("content:newsletter_subscribe"), {"email": "kari@example.no", "name": "Kari"})
    assert response.status_code == 302 and response["Location"] == reverse("content:newsletter_pending")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/nyhetsbrev/bekreft/" in line).strip()
    path = link.split("8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and Subscriber.objects.get().status == SubscriberStatus.PENDING  # GET confirms nothing
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_confirmation_links_that_are_wrong_or_old(client):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING, confirmed_at=None)
    assert client.get(reverse("content:newsletter_confirm", args=["feil"])).status_code == 404
    from unittest import mock

    token = tokens.confirm_token(subscriber)
    later = timezone.now().timestamp() + 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(reverse("content:newsletter_confirm", args=[token])).status_code == 410


def test_the_subscription_form_has_a_honeypot_and_a_rate_limit(client):
    response = client.post(reverse("content:newsletter_subscribe"), {"email": "bot@example.no", "website": "http://spam"})
    assert response.status_code == 302 and not Subscriber.objects.exists()
    for n in range(10):
        client.post(reverse("content:newsletter_subscribe"), {"email": f"p{n}@example.no"})
    response = client.post(reverse("content:newsletter_subscribe"), {"email": "siste@example.no"})
    assert response.status_code == 200 and not Subscriber.objects.filter(email="siste@example.no").exists()


def test_invalid_address_is_explained_at_the_field(client):
    response = client.post(reverse("content:newsletter_subscribe"), {"email": "ikke-en-adresse"})
    assert response.status_code == 200 and 'id="id_email_error"' in response.content.decode()


def test_one_click_unsubscribe_works_without_a_form_token():
    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)  # as a mail program posts it (RFC 8058)
    url = reverse("content:newsletter_unsubscribe", args=[tokens.unsubscribe_token(subscriber)])
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_unsubscribe_page_asks_first_and_offers_deletion(client):
    subscriber = SubscriberFactory()
    url = reverse("content:newsletter_unsubscribe", args=[tokens.unsubscribe_token(subscriber)])
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED  # opening the link changes nothing
    client.post(url, {"action": "delete"})
    assert not Subscriber.objects.exists()
    assert client.post(url).status_code == 200  # the same answer once the address is gone
    assert client.get(url).status_code == 404


def test_the_archive_shows_sent_issues_only(client, coordinator):
    sent = NewsletterIssueFactory(status=IssueStatus.SENT, sent_at=timezone.now(), subject="Sendt utgave")
    draft = NewsletterIssueFactory(subject="Ikke sendt")
    assert "Sendt utgave" in client.get(reverse("content:newsletter_subscribe")).content.decode()
    assert client.get(sent.get_public_url()).status_code == 200
    assert client.get(draft.get_public_url()).status_code == 404
    client.force_login(coordinator)
    assert client.get(draft.get_public_url()).status_code == 200


# --- Office: knowledge descriptions ------------------------------------------------------------------------


def _knowledge_form(**overrides):
    return {
        "title": "Musikkterapi i rustjenestene",
        "language": "nb",
        "summary": "Kort.",
        "body_source": "Tekst om rus.",
        "authors": "Randi Rolvsjord",
        "guidelines": "Nasjonal faglig retningslinje for rus | https://www.helsedirektoratet.no/retningslinjer/rus",
        "references": "Ghetti m.fl. (2022). Cochrane. https://doi.org/10.1002/x\nBok uten lenke (2020).",
        "review_due": (timezone.localdate() + timedelta(days=300)).isoformat(),
        "change_note": "Første versjon",
        **overrides,
    }


def test_coordinator_writes_and_publishes_a_version(client, coordinator):
    area = WorkArea.objects.get(slug="rus")
    client.force_login(coordinator)
    response = client.post(reverse("content:knowledge_create", args=[area.pk]), _knowledge_form(publish="on"))
    description = KnowledgeDescription.objects.get()
    assert response.status_code == 302 and response["Location"] == description.get_absolute_url()
    assert description.status == PublicationStatus.PUBLISHED
    assert description.guidelines == [{"title": "Nasjonal faglig retningslinje for rus", "url": "https://www.helsedirektoratet.no/retningslinjer/rus"}]
    assert description.references == [
        {"text": "Ghetti m.fl. (2022). Cochrane.", "url": "https://doi.org/10.1002/x"},
        {"text": "Bok uten lenke (2020).", "url": ""},
    ]
    # The next version's form starts from this one.
    form_html = client.get(reverse("content:knowledge_create", args=[area.pk])).content.decode()
    assert "Ghetti m.fl. (2022). Cochrane. https://doi.org/10.1002/x" in form_html


def test_bad_lines_are_reported_by_number(english, coordinator):
    english.force_login(coordinator)
    area = WorkArea.objects.get(slug="rus")
    response = english.post(
        reverse("content:knowledge_create", args=[area.pk]),
        _knowledge_form(guidelines="Riktig | https://ok.no\n | https://mangler-navn.no\nFeil | ftp://x"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Line 2" in html and "Line 3" in html
    assert not KnowledgeDescription.objects.exists()


def test_domain_errors_are_shown_on_the_knowledge_form(english, coordinator):
    english.force_login(coordinator)
    area = WorkArea.objects.get(slug="rus")
    english.post(reverse("content:knowledge_create", args=[area.pk]), _knowledge_form())
    response = english.post(reverse("content:knowledge_create", args=[area.pk]), _knowledge_form())
    assert response.status_code == 200 and "Nothing has changed since version 1" in response.content.decode()


def test_history_and_comparison_of_versions(english, coordinator):
    area = WorkArea.objects.get(slug="rus")
    old = KnowledgeDescriptionFactory(work_area=area, body_source="Første linje\nAndre linje")
    new = KnowledgeDescriptionFactory(work_area=area, body_source="Første linje\nEndret linje", status=PublicationStatus.DRAFT)
    english.force_login(coordinator)
    history = english.get(reverse("content:knowledge_history", args=[area.pk])).content.decode()
    assert "Shown to the public" in history and new.get_absolute_url() in history
    compare = english.get(reverse("content:knowledge_compare", args=[area.pk]), {"a": old.version, "b": new.version})
    html = compare.content.decode()
    assert "<del>" in html and "Andre linje" in html and "<ins>" in html and "Endret linje" in html
    assert "unchanged" in html  # the fields that did not change say so
    # Nonsense in the address falls back to the newest two.
    assert english.get(reverse("content:knowledge_compare", args=[area.pk]), {"a": "x", "b": "99"}).status_code == 200


def test_publish_and_withdraw_from_the_version_page(client, coordinator):
    draft = KnowledgeDescriptionFactory(status=PublicationStatus.DRAFT, published_at=None)
    client.force_login(coordinator)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("content:knowledge_move", args=[draft.pk, "publish"]) in page
    assert reverse("content:knowledge_move", args=[draft.pk, "withdraw"]) not in page
    client.post(reverse("content:knowledge_move", args=[draft.pk, "publish"]))
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    response = client.post(reverse("content:knowledge_move", args=[draft.pk, "publish"]), follow=True)
    assert response.status_code == 200  # refused with a message, not an error page
    assert client.post(reverse("content:knowledge_move", args=[draft.pk, "nonsense"])).status_code == 404


def test_markdown_preview_is_sanitised(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("content:markdown_preview"), {"body_source": "**fet** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<strong>fet</strong>" in response.content and b"<script" not in response.content


def test_coordinator_adds_a_work_area_that_the_public_then_sees(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("content:work_area_create"),
        {"name": "Habilitering", "name_nn": "", "name_en": "Habilitation", "slug": "habilitering", "summary": "",
         "summary_nn": "", "summary_en": "", "position": "60", "is_active": "on"},
    )
    assert response.status_code == 302
    assert "/arbeidsomrader/habilitering/" in client.get(reverse("content:public_work_areas")).content.decode()
    duplicate = client.post(reverse("content:work_area_create"), {"name": "Rustjenester", "slug": "rus-igjen", "position": "1"})
    assert duplicate.status_code == 200 and 'id="id_name_error"' in duplicate.content.decode()


def test_office_work_area_list_shows_description_state(english, coordinator):
    KnowledgeDescriptionFactory(work_area=WorkArea.objects.get(slug="rus"), review_due=timezone.localdate() - timedelta(days=1))
    english.force_login(coordinator)
    html = english.get(reverse("content:work_area_list")).content.decode()
    assert "version 1 published" in html and "overdue" in html and "not written yet" in html


# --- Office: news ---------------------------------------------------------------------------------------------


def test_coordinator_writes_an_article_with_an_image(client, coordinator):
    client.force_login(coordinator)
    area = WorkArea.objects.get(slug="barn-og-unge")
    response = client.post(
        reverse("content:news_create"),
        {"title": "Korprosjekt", "lead": "Ingress", "body_source": "Tekst", "language": "nb", "work_areas": [area.pk],
         "image_upload": image_upload("kor.jpg", image_format="JPEG"), "image_alt": "Barn som synger", "publish": "on"},
    )
    article = NewsArticle.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.is_public and article.image and list(article.work_areas.all()) == [area]


def test_article_form_refuses_fake_images_and_missing_text_alternatives(english, coordinator):
    english.force_login(coordinator)
    fake = image_upload("virus.png")
    fake.file = BytesIO(b"MZ\x90\x00 this is no image at all")
    fake.size = len(fake.file.getvalue())
    response = english.post(reverse("content:news_create"), {"title": "T", "lead": "L", "language": "nb", "image_upload": fake, "image_alt": "x"})
    assert "Only JPEG, PNG and WebP" in response.content.decode()
    response = english.post(reverse("content:news_create"), {"title": "T", "lead": "L", "language": "nb", "image_upload": image_upload()})
    assert 'id="id_image_alt_error"' in response.content.decode()
    assert not NewsArticle.objects.exists()


def test_editing_publishing_and_withdrawing_an_article(client, coordinator):
    article = services.news_article_create(actor=coordinator, title="Gammel tittel", lead="Ingress")
    client.force_login(coordinator)
    response = client.post(article.get_absolute_url(), {"title": "Ny tittel", "lead": "Ingress", "language": "nb", "slug": article.slug})
    assert response.status_code == 302
    client.post(reverse("content:news_move", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert (article.title, article.status) == ("Ny tittel", PublicationStatus.PUBLISHED)
    client.post(reverse("content:news_move", args=[article.pk, "withdraw"]))
    article.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    client.post(reverse("content:news_delete", args=[article.pk]))
    assert NewsArticle.objects.filter(pk=article.pk).exists()  # once out, never deleted


def test_deleting_a_draft(client, coordinator):
    article = services.news_article_create(actor=coordinator, title="Feilskrevet", lead="Ingress")
    client.force_login(coordinator)
    response = client.post(reverse("content:news_delete", args=[article.pk]))
    assert response.status_code == 302 and not NewsArticle.objects.exists()


# --- Office: lists, exports and query counts -------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["content:news_office_list", "content:subscriber_list", "content:issue_list", "content:work_area_list"])
def test_office_lists_use_a_constant_number_of_queries(client, coordinator, url_name):
    client.force_login(coordinator)
    areas = list(WorkArea.objects.all())

    def data(n):
        for _ in range(n):
            NewsArticleFactory(work_areas=areas[:3])
            SubscriberFactory()
            issue = NewsletterIssueFactory()
            issue.articles.set(NewsArticle.objects.all()[:2])
            KnowledgeDescriptionFactory(work_area=areas[_ % len(areas)])

    data(3)
    few = _queries(client, reverse(url_name))
    data(30)
    assert _queries(client, reverse(url_name)) == few


def test_subscriber_export_and_filter(client, coordinator):
    SubscriberFactory(email="bekreftet@example.no", name="Bekreftet Person")
    SubscriberFactory(email="venter@example.no", status=SubscriberStatus.PENDING, confirmed_at=None)
    client.force_login(coordinator)
    html = client.get(reverse("content:subscriber_list"), {"status": "confirmed"}).content.decode()
    assert "bekreftet@example.no" in html and "venter@example.no" not in html
    csv = client.get(reverse("content:subscriber_list"), {"status": "confirmed", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "abonnenter.csv" in csv["Content-Disposition"]
    body = csv.content.decode("utf-8-sig")
    assert "bekreftet@example.no;Bekreftet Person" in body and "venter@example.no" not in body
    xlsx = client.get(reverse("content:subscriber_list"), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(xlsx.content)).active.values)
    assert len(rows) == 3 and "E-postadresse" in rows[0]


def test_coordinator_deletes_a_subscriber_on_request(client, coordinator):
    subscriber = SubscriberFactory()
    client.force_login(coordinator)
    assert client.get(reverse("content:subscriber_delete", args=[subscriber.pk])).status_code == 200
    response = client.post(reverse("content:subscriber_delete", args=[subscriber.pk]), {"reason": "Telefon 3. mars"})
    assert response.status_code == 302 and not Subscriber.objects.exists()


def test_coordinator_adds_a_subscriber_who_must_confirm(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("content:subscriber_add"), {"email": "ny@example.no", "name": "Ny", "language": "nn"})
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.source == "office" and subscriber.language == "nn"
    assert mail.outbox[0].to == ["ny@example.no"]


def test_subscriber_page_and_office_unsubscribe(english, coordinator):
    subscriber = SubscriberFactory(email="les@example.no")
    english.force_login(coordinator)
    assert "les@example.no" in english.get(subscriber.get_absolute_url()).content.decode()
    english.post(reverse("content:subscriber_unsubscribe", args=[subscriber.pk]))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


# --- Office: issues -----------------------------------------------------------------------------------------------


def test_compose_an_issue_with_news_and_events_then_send_it(client, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    article = NewsArticleFactory(title="Med i brevet")
    event = related.Teaser(key="events.event:7", title="Seminar i Bergen", url="/arrangement/seminar/", when=timezone.now() + timedelta(days=20))
    monkeypatch.setattr(related, "upcoming_events", lambda **kwargs: [event])
    SubscriberFactory.create_batch(3)
    client.force_login(coordinator)
    response = client.post(
        reverse("content:issue_create"),
        {"subject": "POLYFON-nytt nr. 4", "language": "nb", "intro_source": "Hei", "articles": [article.pk], "events": [event.key]},
    )
    issue = NewsletterIssue.objects.get()
    assert response.status_code == 302 and issue.events[0]["title"] == "Seminar i Bergen"
    edit = client.get(reverse("content:issue_edit", args=[issue.pk])).content.decode()
    assert "Seminar i Bergen" in edit and "checked" in edit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("content:issue_send_test", args=[issue.pk]))
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("content:issue_move", args=[issue.pk, "send"]))
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and len(mail.outbox) == 4
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Seminar i Bergen" in page
    # A sent issue cannot be edited any more; the edit address sends back to the issue.
    assert client.get(reverse("content:issue_edit", args=[issue.pk])).status_code == 302
    assert client.post(reverse("content:issue_move", args=[issue.pk, "finish"])).status_code == 404


def test_the_sending_log_is_on_the_issue_page(english, coordinator, django_capture_on_commit_callbacks):
    issue = services.newsletter_issue_save(actor=coordinator, subject="Loggtest", intro_source="Hei")
    SubscriberFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_send(issue=issue, actor=coordinator)
    english.force_login(coordinator)
    html = english.get(issue.get_absolute_url()).content.decode()
    assert "Sending log" in html and "Batches handled by the background worker" in html
    assert "Sending finished" in html  # the timeline
