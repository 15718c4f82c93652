"""The content's main flows in a real browser, with an axe-core scan of every page visited:
a visitor reads and subscribes to the newsletter; the coordinator writes knowledge-description
versions, a news article with an image, and sends a newsletter issue."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from PIL import Image

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
from polyfon.content.tests.factories import KnowledgeDescriptionFactory, NewsArticleFactory, SubscriberFactory
from polyfon.members.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _english(page, live_server):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )


def _link_in_mail(pattern: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(pattern, message.body)
        if match:
            return match.group(0)
    raise AssertionError(f"no mail with {pattern}")


def test_visitor_reads_about_a_work_area_and_subscribes_to_the_newsletter(page, axe, live_server):
    area = WorkArea.objects.get(slug="eldrehelse")
    KnowledgeDescriptionFactory(work_area=area, title="Musikk og demens", authors="Ingrid Bergsland")
    NewsArticleFactory(title="Nytt om demens", work_areas=[area])
    _english(page, live_server)
    page.goto("/")
    axe(page, context="front page")
    page.get_by_role("link", name="Nytt om demens").first.click()
    page.wait_for_url("**/nyheter/**")
    axe(page, context="news article")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Work areas").click()
    axe(page, context="work areas")
    page.get_by_role("link", name=area.name_en).click()  # the English page shows the English name
    assert page.get_by_role("heading", name="Musikk og demens").is_visible()
    axe(page, context="work area page")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="News", exact=True).click()
    axe(page, context="news list")
    page.get_by_role("navigation", name="News by work area").get_by_role("link", name=area.name_en).click()
    assert page.get_by_role("link", name="Nytt om demens").is_visible()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="About the cluster").click()
    axe(page, context="about the cluster")

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Newsletter").click()
    axe(page, context="newsletter subscription")
    page.get_by_label("E-mail address").fill("ikke-en-adresse")
    page.get_by_role("button", name="Subscribe").click()
    assert page.locator("#id_email_error").is_visible()
    axe(page, context="subscription with an error")
    page.get_by_label("E-mail address").fill("kari@example.no")
    page.get_by_label(re.compile(r"^Name")).fill("Kari Nordmann")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/nyhetsbrev/sjekk-e-posten/")
    axe(page, context="check your e-mail")

    confirm = _link_in_mail(r"http\S+/nyhetsbrev/bekreft/\S+/")
    page.goto(confirm.split("8000", 1)[1])
    axe(page, context="confirm subscription")
    page.get_by_role("button", name="Yes, confirm the subscription").click()
    assert page.get_by_role("heading", name="You are subscribed").is_visible()
    axe(page, context="subscribed")
    subscriber = Subscriber.objects.get(email="kari@example.no")
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.language == "en"

    from polyfon.content.tokens import unsubscribe_token

    page.goto(f"/nyhetsbrev/avmeld/{unsubscribe_token(subscriber)}/")
    axe(page, context="unsubscribe")
    page.get_by_role("button", name="Unsubscribe", exact=True).click()
    assert page.get_by_role("heading", name="You are unsubscribed").is_visible()
    axe(page, context="unsubscribed")
    page.get_by_role("button", name="Delete my address").click()
    assert page.get_by_role("heading", name="Your address is deleted").is_visible()
    assert not Subscriber.objects.exists()


def test_coordinator_writes_versions_of_a_knowledge_description_and_compares_them(page, axe, live_server):
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    _english(page, live_server)
    _log_in(page, live_server, coordinator)
    page.goto("/kontor/arbeidsomrader/")
    axe(page, context="office work areas")
    page.get_by_role("link", name=re.compile(r"not written yet\W+Substance-use services")).click()
    axe(page, context="knowledge history (empty)")
    page.get_by_role("link", name="Write the knowledge description").click()
    page.get_by_label("Title").fill("Musikkterapi i rustjenestene")
    page.get_by_label("Text", exact=True).fill("## Hva vet vi?\n\nMusikkterapi kan styrke **motivasjon**. <script>alert(1)</script>")
    page.get_by_role("button", name="Show preview").click()
    preview = page.locator("#preview-id_body_source")
    preview.locator("strong").wait_for()
    assert preview.locator("h2").inner_text() == "Hva vet vi?" and preview.locator("script").count() == 0
    axe(page, context="knowledge form with preview")
    page.get_by_label("Written by").fill("Randi Rolvsjord")
    page.get_by_label("National guidelines").fill(
        "Nasjonal faglig retningslinje for behandling og rehabilitering av rusmiddelproblemer og avhengighet"
        " | https://www.helsedirektoratet.no/retningslinjer/behandling-og-rehabilitering-av-rusmiddelproblemer-og-avhengighet"
    )
    page.get_by_label("References").fill("Ghetti C m.fl. (2022). Music therapy for people with substance use disorders.")
    page.get_by_label("To be reviewed by").fill((timezone.localdate() + timedelta(days=365)).isoformat())
    page.get_by_label("Publish this version now").check()
    page.get_by_role("button", name="Save the new version").click()
    page.wait_for_url(re.compile(r".*/kontor/kunnskapsbeskrivelser/\d+/$"))
    assert page.get_by_text("Shown to the public").first.is_visible()
    axe(page, context="version page")

    page.get_by_role("link", name="Write a new version").click()
    page.get_by_label("Text", exact=True).fill("## Hva vet vi?\n\nMusikkterapi kan styrke motivasjon og mestring.")
    page.get_by_label("What changed").fill("Mestring lagt til")
    page.get_by_role("button", name="Save the new version").click()
    page.wait_for_url(re.compile(r".*/kontor/kunnskapsbeskrivelser/\d+/$"))
    page.get_by_role("link", name="Compare with version 1").click()
    axe(page, context="comparison")
    assert page.locator("ins", has_text="mestring").is_visible() and page.locator("del").first.is_visible()
    page.go_back()
    page.get_by_role("button", name="Publish this version").click()
    assert page.get_by_text("Shown to the public").first.is_visible()
    area = WorkArea.objects.get(slug="rus")
    assert list(area.knowledge_descriptions.values_list("version", "status")) == [(2, "published"), (1, "published")]

    page.goto("/arbeidsomrader/rus/")
    axe(page, context="public work area page")
    assert page.get_by_text("mestring").first.is_visible() and page.locator("main script").count() == 0
    assert KnowledgeDescription.objects.get(version=1).body_source.endswith("<script>alert(1)</script>")


def test_coordinator_publishes_news_with_an_image_and_sends_a_newsletter(page, axe, live_server):
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    SubscriberFactory.create_batch(3)
    area = WorkArea.objects.get(slug="barn-og-unge")
    _english(page, live_server)
    _log_in(page, live_server, coordinator)
    page.goto("/kontor/nyheter/")
    axe(page, context="office news list")
    page.get_by_role("link", name="New article").click()
    axe(page, context="news form")
    page.get_by_label("Title").fill("Kor i barnevernet")
    page.get_by_label("Introduction").fill("Et nytt prosjekt med kor for ungdom.")
    page.get_by_label("Text (Markdown)").fill("Ungdommene øver hver uke.")
    page.get_by_label(area.name_en).check()
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (30, 110, 150)).save(buffer, format="JPEG")
    page.get_by_label(re.compile(r"^Image \(optional")).set_input_files(files=[{"name": "kor.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}])
    page.get_by_label("Publish", exact=True).check()
    page.get_by_role("button", name="Save").click()
    # No text alternative: the form says so at the field, and nothing is saved.
    assert page.locator("#id_image_alt_error").is_visible()
    axe(page, context="news form with errors")
    assert not NewsArticle.objects.exists()
    page.get_by_label("Text alternative for the image").fill("Ungdommer som synger i kor")
    page.get_by_label(re.compile(r"^Image \(optional")).set_input_files(files=[{"name": "kor.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}])
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/kontor/nyheter/\d+/$"))
    axe(page, context="news editor")
    article = NewsArticle.objects.get()
    assert article.status == PublicationStatus.PUBLISHED and article.image_alt == "Ungdommer som synger i kor"

    page.goto(article.get_public_url())
    axe(page, context="public article")
    image = page.get_by_role("img", name="Ungdommer som synger i kor")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 800

    page.goto("/kontor/nyhetsbrev/")
    axe(page, context="issue list")
    page.get_by_role("link", name="New issue").click()
    page.get_by_label("Subject").fill("POLYFON-nytt nr. 1")
    page.get_by_label("Introduction").fill("Hei alle!")
    page.get_by_label("Kor i barnevernet").check()
    axe(page, context="issue form")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(re.compile(r".*/kontor/nyhetsbrev/\d+/$"))
    axe(page, context="draft issue")
    page.get_by_role("button", name=re.compile("Send a test copy")).click()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send to all subscribers").click()
    page.wait_for_load_state()
    issue = NewsletterIssue.objects.get()
    assert issue.status == IssueStatus.SENT and issue.recipient_count == 3
    assert page.get_by_role("heading", name="Sending log").is_visible()
    axe(page, context="sent issue with its log")
    newsletters = [m for m in mail.outbox if m.subject.endswith("POLYFON-nytt nr. 1") and "TEST" not in m.subject]
    assert len(newsletters) == 3 and all("List-Unsubscribe" in m.extra_headers for m in newsletters)
    page.goto(issue.get_public_url())
    axe(page, context="issue in the archive")
    assert page.get_by_role("link", name="Kor i barnevernet").is_visible()
