"""factory_boy factories for the content, and small helpers that make images and versions."""

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from polyfon.content.models import (
    KnowledgeDescription,
    NewsArticle,
    NewsletterIssue,
    PublicationStatus,
    Subscriber,
    SubscriberStatus,
    WorkArea,
)
from polyfon.core.richtext import render_markdown


def image_upload(name="bilde.png", *, size=(40, 20), image_format="PNG", mode="RGB", **save_options) -> SimpleUploadedFile:
    """A real, small image file as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new(mode, size, color=(20, 120, 160) if mode == "RGB" else None).save(buffer, format=image_format, **save_options)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class WorkAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkArea

    name = factory.Sequence(lambda n: f"Arbeidsområde {n}")
    slug = factory.Sequence(lambda n: f"omrade-{n}")
    summary = "Et område klyngen arbeider med."
    position = factory.Sequence(lambda n: 200 + n)


class KnowledgeDescriptionFactory(factory.django.DjangoModelFactory):
    """A version written straight to the table; tests of the rules use the services."""

    class Meta:
        model = KnowledgeDescription

    work_area = factory.LazyFunction(lambda: WorkArea.objects.get(slug="rus"))
    version = factory.LazyAttribute(
        lambda o: (o.work_area.knowledge_descriptions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    )
    status = PublicationStatus.PUBLISHED
    title = factory.Sequence(lambda n: f"Kunnskapsbeskrivelse {n}")
    body_source = "Musikkterapi er anbefalt i nasjonale faglige retningslinjer.\n\n## Forskning\n\nStudier viser effekt."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body_source))
    authors = "Brynjulf Stige"
    references = factory.LazyFunction(lambda: [{"text": "Geretsegger m.fl. (2017). Cochrane.", "url": "https://doi.org/10.1002/14651858.CD004025.pub4"}])
    guidelines = factory.LazyFunction(
        lambda: [{"title": "Nasjonal faglig retningslinje for rusbehandling", "url": "https://www.helsedirektoratet.no/retningslinjer"}]
    )
    review_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == PublicationStatus.PUBLISHED else None)


class NewsArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsArticle
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Nyhet nummer {n}")
    slug = factory.Sequence(lambda n: f"nyhet-{n}")
    lead = "Kort ingress om nyheten."
    body_source = "Brødtekst med **utheving**."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body_source))
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    @factory.post_generation
    def work_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.work_areas.set(extracted)


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonnent{n}@example.no")
    status = SubscriberStatus.CONFIRMED
    confirmed_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == SubscriberStatus.CONFIRMED else None)
    confirmation_sent_at = factory.LazyFunction(timezone.now)


class NewsletterIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    subject = factory.Sequence(lambda n: f"POLYFON-nytt nr. {n}")
    intro_source = "Velkommen til en ny utgave."
    intro_html = factory.LazyAttribute(lambda o: render_markdown(o.intro_source))
