"""Benchmarks of the content: the public front page and news list at scale, the other public
pages, the office lists, and the newsletter's sending work.

Data (GENERATE): news over six years (small 1 000, large 5 000; a third with an image, each in
one or two work areas), 10/30 versions of every work area's knowledge description, subscribers
(small 2 000, large 20 000, nine in ten confirmed) and sent issues with their sending logs
(one delivery row per recipient).

Run: python -m bench.run --sizes small,large --only content
"""

import io
import random
from datetime import timedelta

ORDER = 60

SIZES = {
    "small": {"news": 1_000, "versions": 10, "subscribers": 2_000, "issues": 5},
    "large": {"news": 5_000, "versions": 30, "subscribers": 20_000, "issues": 10},
}

BODY = """Musikkterapi er anbefalt i flere nasjonale faglige retningslinjer.

## Hva vet vi?

Oversiktsstudier viser effekt på livskvalitet og symptomer. Klyngen samarbeider om å
omsette anbefalingene til praksis i kommuner og helseforetak.

- Individuelle forløp
- Grupper og kor
- Veiledning av ansatte
"""


def _bench_image() -> str:
    """One real image file that the generated articles share."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (36, 86, 120)).save(buffer, format="JPEG", quality=80)
    return default_storage.save("news/bench-shared.jpg", ContentFile(buffer.getvalue()))


def GENERATE(size: str, ctx: dict) -> None:  # noqa: N802 (the name bench.generate looks for)
    from django.utils import timezone

    from polyfon.content.models import (
        DeliveryStatus,
        IssueStatus,
        KnowledgeDescription,
        NewsArticle,
        NewsletterBatch,
        NewsletterDelivery,
        NewsletterIssue,
        PublicationStatus,
        Subscriber,
        SubscriberStatus,
        WorkArea,
    )
    from polyfon.core.richtext import render_markdown

    counts = SIZES[size]
    rng = random.Random(7)
    now = timezone.now()
    areas = list(WorkArea.objects.all())
    body_html = render_markdown(BODY)
    image = _bench_image()

    articles = []
    for i in range(counts["news"]):
        with_image = i % 3 == 0
        articles.append(
            NewsArticle(
                title=f"Nyhet {i:05d} om musikkterapi",
                slug=f"nyhet-{i:05d}",
                lead="Kort ingress om hva som har skjedd i klyngen, og hvorfor det er viktig.",
                body_source=BODY,
                body_html=body_html,
                status=PublicationStatus.PUBLISHED if i % 20 else PublicationStatus.DRAFT,
                published_at=now - timedelta(minutes=rng.randint(60, 6 * 365 * 24 * 60)),
                image=image if with_image else "",
                image_format="jpg" if with_image else "",
                image_width=1200 if with_image else None,
                image_height=800 if with_image else None,
                image_alt="Illustrasjon" if with_image else "",
                byline="Kari Koordinator",
            )
        )
    articles = NewsArticle.objects.bulk_create(articles, batch_size=2000)
    through = NewsArticle.work_areas.through
    links = []
    for i, article in enumerate(articles):
        links.append(through(newsarticle_id=article.pk, workarea_id=areas[i % len(areas)].pk))
        if i % 2:
            links.append(through(newsarticle_id=article.pk, workarea_id=areas[(i + 2) % len(areas)].pk))
    through.objects.bulk_create(links, batch_size=5000)

    versions = []
    for area in areas:
        for version in range(1, counts["versions"] + 1):
            versions.append(
                KnowledgeDescription(
                    work_area=area, version=version, status=PublicationStatus.PUBLISHED,
                    title=f"Kunnskapsbeskrivelse for {area.name}", body_source=BODY + f"\nVersjon {version}.",
                    body_html=body_html, authors="Brynjulf Stige", review_due=now.date() + timedelta(days=365),
                    published_at=now - timedelta(days=counts["versions"] - version),
                    guidelines=[{"title": "Nasjonal faglig retningslinje", "url": "https://www.helsedirektoratet.no/retningslinjer"}],
                    references=[{"text": f"Referanse {n}", "url": ""} for n in range(8)],
                )
            )
    KnowledgeDescription.objects.bulk_create(versions, batch_size=1000)

    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"abonnent{i:06d}@bench.example.no",
                name=f"Abonnent {i:06d}",
                language=rng.choice(["nb", "nb", "nb", "nn", "en"]),
                status=SubscriberStatus.CONFIRMED if i % 10 else SubscriberStatus.PENDING,
                confirmed_at=now if i % 10 else None,
                confirmation_sent_at=now,
            )
            for i in range(counts["subscribers"])
        ],
        batch_size=5000,
    )
    confirmed = [s.pk for s in subscribers if s.status == SubscriberStatus.CONFIRMED]
    public = [a for a in articles if a.status == PublicationStatus.PUBLISHED]
    for n in range(counts["issues"]):
        issue = NewsletterIssue.objects.create(
            subject=f"POLYFON-nytt nr. {n + 1}", intro_source="Hei!", intro_html="<p>Hei!</p>",
            status=IssueStatus.SENT, recipient_count=len(confirmed), send_started_at=now, sent_at=now,
        )
        issue.articles.set(public[n * 5 : n * 5 + 5])
        chunks = [confirmed[i : i + 100] for i in range(0, len(confirmed), 100)]
        batches = NewsletterBatch.objects.bulk_create(
            [NewsletterBatch(issue=issue, number=k + 1, size=len(c), sent_count=len(c), started_at=now, finished_at=now)
             for k, c in enumerate(chunks)]
        )
        NewsletterDelivery.objects.bulk_create(
            [NewsletterDelivery(issue=issue, batch=b, subscriber_id=pk, status=DeliveryStatus.SENT, sent_at=now)
             for b, c in zip(batches, chunks, strict=True) for pk in c],
            batch_size=5000,
        )
    ctx.update(content_areas=areas, content_articles=public)


def bench_content(ctx: dict, repeat: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from bench.run import measure, page
    from polyfon.content import services
    from polyfon.content.models import IssueStatus, NewsletterBatch, NewsletterIssue

    public = Client()
    office = Client()
    office.force_login(ctx["coordinator"])
    article = ctx["content_articles"][len(ctx["content_articles"]) // 2]
    area = ctx["content_areas"][1]
    news = reverse("content:news_list")
    rows = [
        measure("front page (public)", page(public, reverse("core:home")), repeat=repeat),
        measure("news list (public, 12 a page)", page(public, news), repeat=repeat),
        measure("news list, page 100", page(public, news + "?page=100"), repeat=repeat),
        measure("news list, one work area", page(public, f"{news}?omrade={area.slug}"), repeat=repeat),
        measure("news article", page(public, article.get_public_url()), repeat=repeat),
        measure("work area page", page(public, area.get_public_url()), repeat=repeat),
        measure("RSS feed (30 items)", page(public, reverse("content:news_rss")), repeat=repeat),
        measure("about the cluster", page(public, reverse("content:about")), repeat=repeat),
        measure("office: news list", page(office, reverse("content:news_office_list")), repeat=repeat),
        measure("office: subscriber list", page(office, reverse("content:subscriber_list")), repeat=repeat),
        measure(
            "office: subscriber export (CSV, all)",
            page(office, reverse("content:subscriber_list") + "?format=csv"),
            repeat=min(repeat, 5),
        ),
        measure("office: knowledge history", page(office, reverse("content:knowledge_history", args=[area.pk])), repeat=repeat),
    ]

    # The worker's share of a sending: one batch of 100 recipients rendered and handed to the
    # mail queue (the batch is put back before each run; 3 of the queries are that reset).
    batch = NewsletterBatch.objects.filter(issue__status=IssueStatus.SENT).order_by("pk").first()
    recipients = list(batch.deliveries.values_list("subscriber_id", flat=True))

    def one_batch():
        batch.deliveries.all().delete()
        NewsletterBatch.objects.filter(pk=batch.pk).update(finished_at=None, recipients=recipients)
        NewsletterIssue.objects.filter(pk=batch.issue_id).update(status=IssueStatus.SENDING)
        services.newsletter_batch_send(batch_id=batch.pk)

    rows.append(measure("newsletter: one batch of 100 sent", one_batch, repeat=repeat))

    def start_sending():
        issue = services.newsletter_issue_save(actor=None, subject="Benchmark", intro_source="Hei!")
        services.newsletter_issue_send(issue=issue, actor=None)

    rows.append(measure("newsletter: start sending to all", start_sending, repeat=min(repeat, 5)))
    return rows


BENCHMARKS = {"content": bench_content}
