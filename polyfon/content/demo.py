"""Demo content: knowledge descriptions for the five work areas, news, two newsletter issues and
some subscribers, made through the services so the histories read like real use.

The texts are short and plausible; the references are to real Cochrane reviews and to the
national guidelines of the Norwegian Directorate of Health that recommend music therapy.
"""

import io
import math
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from polyfon.core.demo import DEMO_USERS

from . import services
from .models import NewsletterIssue, Subscriber, WorkArea

HDIR = "https://www.helsedirektoratet.no/retningslinjer/"

KNOWLEDGE = {
    "barn-og-unge": {
        "title": "Musikkterapi for barn og unge",
        "summary": "Musikkterapi kan styrke barn og unges psykiske helse, mestring og deltakelse i skole, "
        "barnevern og helsetjenester.",
        "body": """Musikk er en naturlig del av barn og unges hverdag. I musikkterapi brukes dette som ressurs for
utvikling, mestring og fellesskap, både i individuelle forløp og i grupper.

## Hva vet vi?

Oversiktsstudier viser at musikkterapi kan redusere symptomer og styrke sosial kommunikasjon hos barn og
unge med psykiske vansker, og hos autistiske barn. Effekten ser ut til å være størst når tilbudet
varer over tid og gis av kvalifisert musikkterapeut.

## Praksis i klyngen

- Musikkterapi i barnevernsinstitusjoner og fosterhjemstjenesten
- Grupper i skole og skolehelsetjeneste
- Tilbud i barne- og ungdomspsykiatrien (BUP)

Kommunene i klyngen samarbeider om å prøve ut modeller der musikkterapeuten også veileder ansatte.""",
        "authors": "Tone Sæther Kvestad og Brynjulf Stige",
        "guidelines": [],
        "references": [
            "Gold C, Voracek M, Wigram T (2004). Effects of music therapy for children and adolescents with "
            "psychopathology: a meta-analysis. Journal of Child Psychology and Psychiatry, 45(6), 1054–1063.",
            "Geretsegger M, Fusar-Poli L, Elefant C, Mössler KA, Vitale G, Gold C (2022). Music therapy for "
            "autistic people. Cochrane Database of Systematic Reviews.",
        ],
    },
    "psykisk-helse": {
        "title": "Musikkterapi i psykisk helsearbeid for voksne",
        "summary": "Musikkterapi er anbefalt for personer med psykoselidelser, og brukes i psykisk "
        "helsevern og kommunale tjenester.",
        "body": """Helsedirektoratets nasjonale faglige retningslinje for psykoselidelser anbefaler at musikkterapi
tilbys personer med schizofreni og schizofrenilignende lidelser, gitt av fagperson med godkjent
musikkterapiutdanning.

## Hva vet vi?

En Cochrane-oversikt finner at musikkterapi i tillegg til vanlig behandling bedrer den generelle
tilstanden og livskvaliteten, og reduserer negative symptomer. Musikkterapi har også god effekt ved
depresjon.

## Praksis i klyngen

Helseforetakene i klyngen tilbyr musikkterapi i døgnenheter og poliklinikk, og flere kommuner har
etablert musikkbaserte lavterskeltilbud i samarbeid med frivillige og brukerorganisasjoner.""",
        "authors": "Brynjulf Stige og Christian Gold",
        "guidelines": [
            {"title": "Nasjonal faglig retningslinje for utredning, behandling og oppfølging av personer med "
             "psykoselidelser", "url": HDIR + "psykoselidelser"},
        ],
        "references": [
            "Geretsegger M, Mössler KA, Bieleninik Ł, Chen XJ, Heldal TO, Gold C (2017). Music therapy for people "
            "with schizophrenia and schizophrenia-like disorders. Cochrane Database of Systematic Reviews.",
            "Aalbers S m.fl. (2017). Music therapy for depression. Cochrane Database of Systematic Reviews.",
        ],
    },
    "rus": {
        "title": "Musikkterapi i rustjenestene",
        "summary": "Musikkterapi kan styrke motivasjon for behandling og gi meningsfull aktivitet i "
        "rehabilitering.",
        "body": """Den nasjonale faglige retningslinjen for behandling og rehabilitering av rusmiddelproblemer og
avhengighet peker på musikkterapi som et tiltak som kan bidra til motivasjon og mestring.

## Hva vet vi?

Studier tyder på at musikkterapi kan øke motivasjonen for behandling og redusere trang, særlig i
gruppeformat. Kunnskapsgrunnlaget er foreløpig begrenset, og klyngen prioriterer forskning på området.

## Praksis i klyngen

- Musikkterapi i døgnbehandling og i kommunale ettervernstilbud
- Band- og korgrupper som bro mellom behandling og samfunnsdeltakelse""",
        "authors": "Randi Rolvsjord",
        "guidelines": [
            {"title": "Nasjonal faglig retningslinje for behandling og rehabilitering av rusmiddelproblemer og "
             "avhengighet", "url": HDIR + "behandling-og-rehabilitering-av-rusmiddelproblemer-og-avhengighet"},
        ],
        "references": [
            "Ghetti C, Chen XJ, Fachner J, Gold C (2022). Music therapy for people with substance use disorders. "
            "Cochrane Database of Systematic Reviews.",
        ],
    },
    "eldrehelse": {
        "title": "Musikkterapi og musikkbaserte tiltak i eldreomsorgen",
        "summary": "Nasjonal faglig retningslinje om demens anbefaler musikkbaserte tiltak; musikkterapeuter "
        "kan lede og veilede slikt arbeid.",
        "body": """Den nasjonale faglige retningslinjen om demens anbefaler at personer med demens får tilbud om
musikkbaserte miljøbehandlingstiltak. Musikkterapeuter kan både gi behandling og veilede ansatte og
pårørende i å bruke musikk i hverdagen.

## Hva vet vi?

En Cochrane-oversikt finner at musikkbaserte tiltak trolig reduserer depressive symptomer og bedrer
emosjonelt velvære og livskvalitet hos personer med demens i institusjon.

## Praksis i klyngen

Flere kommuner i klyngen har ansatt musikkterapeuter i helse- og omsorgstjenesten, blant annet i
dagaktivitetstilbud og på sykehjem.""",
        "authors": "Ingrid Bergsland og Brynjulf Stige",
        "guidelines": [
            {"title": "Nasjonal faglig retningslinje om demens", "url": HDIR + "demens"},
        ],
        "references": [
            "van der Steen JT m.fl. (2018). Music-based therapeutic interventions for people with dementia. "
            "Cochrane Database of Systematic Reviews.",
        ],
    },
    "palliasjon": {
        "title": "Musikkterapi i palliativ omsorg",
        "summary": "Musikkterapi kan lindre smerte og uro og gi rom for mening og samvær i livets siste fase.",
        "body": """I palliativ omsorg brukes musikkterapi for å lindre smerte, angst og uro, og for å skape rom for
samtale, minner og samvær med pårørende.

## Hva vet vi?

Oversiktsstudier tyder på at musikkterapi kan bedre livskvaliteten for personer i livets sluttfase.
Kunnskapsgrunnlaget er fortsatt lite, og klyngen samarbeider om studier i palliative enheter.

## Praksis i klyngen

Helseforetak og kommuner i klyngen har musikkterapeuter knyttet til palliative team og
lindrende enheter på sykehjem.""",
        "authors": "Solveig Haugen",
        "guidelines": [
            {"title": "Nasjonalt handlingsprogram for palliasjon i kreftomsorgen",
             "url": HDIR + "palliasjon-i-kreftomsorgen-handlingsprogram"},
        ],
        "references": [
            "Bradt J, Dileo C (2010). Music therapy for end-of-life care. Cochrane Database of Systematic Reviews.",
            "McConnell T, Porter S (2017). Music therapy for palliative care: a realist review. "
            "Palliative and Supportive Care, 15(4), 454–464.",
        ],
    },
}

AREA_SUMMARIES = {
    "barn-og-unge": "Musikkterapi i barnehage, skole, barnevern og barne- og ungdomspsykiatri.",
    "psykisk-helse": "Musikkterapi for voksne i psykisk helsevern og i kommunale tjenester.",
    "rus": "Musikkterapi i behandling, rehabilitering og ettervern for voksne med rusproblemer.",
    "eldrehelse": "Musikkterapi og musikkbaserte tiltak for eldre, blant annet ved demens.",
    "palliasjon": "Musikkterapi for lindring, mening og samvær i livets siste fase.",
}

# title, lead, body, work-area slugs, days ago (negative: ahead), image colours or None, status
NEWS = [
    (
        "Ny kunnskapsbeskrivelse om musikk og demens",
        "Kunnskapsbeskrivelsen for eldrehelse er oppdatert med ny forskning og med anbefalingene i den "
        "nasjonale retningslinjen om demens.",
        "Beskrivelsen er skrevet av fagmiljøet ved Griegakademiet i samarbeid med kommunene i klyngen.\n\n"
        "Les den på [siden for eldrehelse](/arbeidsomrader/eldrehelse/).",
        ["eldrehelse"], 3, ((36, 86, 120), (120, 180, 200)), "published",
    ),
    (
        "Trondheim kommune blir med i POLYFON",
        "Fra 1. januar er Trondheim kommune deltaker i kunnskapsklynga, med vekt på psykisk helse og "
        "rustjenester.",
        "– Vi vil bygge opp musikkterapitilbudet systematisk, og får gjennom klyngen tilgang til både "
        "forskning og erfaringer fra andre kommuner, sier enhetslederen.",
        ["psykisk-helse", "rus"], 20, None, "published",
    ),
    (
        "Erfaringer fra musikkterapi i barnevernet",
        "Et pilotprosjekt med såkornmidler fra klyngen har prøvd ut musikkterapi i to "
        "barnevernsinstitusjoner.",
        "Ungdommene beskriver musikkterapien som et sted der de kan være seg selv. Prosjektet fortsetter "
        "med en masteroppgave ved UiB.\n\n## Videre arbeid\n\n- Veiledning av ansatte\n- Ny søknad om "
        "prosjektmidler",
        ["barn-og-unge"], 45, ((180, 90, 60), (240, 200, 120)), "published",
    ),
    (
        "Brukerpanelet: – Musikk gir oss noe å se fram til",
        "Brukerpanelet har gitt innspill til hvordan musikkterapi bør tilbys i kommunale tjenester.",
        "Panelet understreker at tilbudet må være lett tilgjengelig og ikke avhenge av diagnose.",
        ["psykisk-helse"], 70, None, "published",
    ),
    (
        "Musikkterapi i palliative team",
        "Helse Bergen har knyttet musikkterapeut til det palliative teamet, og deler erfaringene med "
        "klyngen.",
        "Musikkterapeuten møter pasienter både på sykehuset og hjemme, i samarbeid med kommunene.",
        ["palliasjon"], 110, ((60, 100, 70), (170, 210, 160)), "published",
    ),
    (
        "Årsmelding 2026 er snart klar",
        "Årsmeldingen med indikatordata for 2026 publiseres i februar.",
        "Deltakerne rapporterer indikatordata innen 15. januar.",
        [], 0, None, "draft",
    ),
]

SUBSCRIBERS = [
    ("Marit Kvinlaug", "marit.kvinlaug@example.no", "confirmed"),
    ("Per Sørensen", "per.sorensen@example.no", "confirmed"),
    ("Astrid Nygaard", "astrid.nygaard@example.no", "confirmed"),
    ("Jon Ove Dale", "jon.ove.dale@example.no", "confirmed"),
    ("Hilde Brekke", "hilde.brekke@example.no", "confirmed"),
    ("Kjersti Lunde", "kjersti.lunde@example.no", "confirmed"),
    ("", "musikkterapi@bergen.example.no", "confirmed"),
    ("Mari Fjeld", "mari.fjeld@example.no", "confirmed"),
    ("Rune Aase", "rune.aase@example.no", "confirmed"),
    ("Ellen Tveit", "ellen.tveit@example.no", "confirmed"),
    ("Sara Holm", "sara.holm@example.no", "pending"),
    ("Nils Berge", "nils.berge@example.no", "pending"),
    ("Oda Vik", "oda.vik@example.no", "unsubscribed"),
]


def _illustration(colours) -> SimpleUploadedFile:
    """An abstract picture of sound waves in two colours (the demo has no photos)."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    for wave in range(9):
        points = [
            (x, height / 2 + math.sin(x / (70 + wave * 12) + wave) * (60 + wave * 25)) for x in range(0, width + 10, 10)
        ]
        draw.line(points, fill=colours[1], width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("illustrasjon.jpg", buffer.getvalue(), content_type="image/jpeg")


def _coordinator(ctx):
    users = ctx.objects.get("users") if hasattr(ctx, "objects") else None
    if users and "Coordinator" in users:
        return users["Coordinator"]
    return get_user_model().objects.filter(email=DEMO_USERS[0][1]).first()


def load(ctx):
    coordinator = _coordinator(ctx)
    today = timezone.localdate()
    areas = {area.slug: area for area in WorkArea.objects.all()}

    # Knowledge descriptions: one published version each; psychiatry has an earlier version, and
    # elderly health a draft of the next one, so the history and the comparison have something to show.
    for position, (slug, text) in enumerate(KNOWLEDGE.items()):
        area = areas.get(slug)
        if area is None:
            continue
        values = {
            "title": text["title"],
            "summary": text["summary"],
            "body_source": text["body"],
            "authors": text["authors"],
            "guidelines": text["guidelines"],
            "references": [{"text": reference, "url": ""} for reference in text["references"]],
            "review_due": today + timedelta(days=300 + position * 40),
        }
        if slug == "psykisk-helse":
            services.knowledge_description_save(
                work_area=area,
                actor=coordinator,
                **{**values, "body_source": text["body"].split("## Praksis")[0].strip(), "review_due": today + timedelta(days=20)},
                change_note="Første versjon.",
                publish=True,
            )
        services.knowledge_description_save(
            work_area=area, actor=coordinator, **values, change_note="Oppdatert med ny forskning.", publish=True
        )
        if slug == "eldrehelse":
            services.knowledge_description_save(
                work_area=area,
                actor=coordinator,
                **{**values, "body_source": text["body"] + "\n\nNye tall fra kommunene kommer i 2027."},
                change_note="Utkast: tall fra kommunene.",
            )
    for slug, summary in AREA_SUMMARIES.items():
        if slug in areas:
            services.work_area_save(actor=coordinator, work_area=areas[slug], summary=summary)

    now = timezone.now()
    articles = []
    for title, lead, body, slugs, days_ago, colours, status in NEWS:
        image = _illustration(colours) if colours else None
        article = services.news_article_create(
            actor=coordinator,
            title=title,
            lead=lead,
            body_source=body,
            byline="Kari Koordinator",
            work_areas=[areas[s] for s in slugs if s in areas],
            image=image,
            image_alt="Illustrasjon: bølgelinjer som minner om lyd" if image else "",
            image_caption="Illustrasjon: POLYFON" if image else "",
            published_at=now - timedelta(days=days_ago) if status == "published" else None,
            publish=status == "published",
        )
        articles.append(article)

    for name, email, status in SUBSCRIBERS:
        subscriber = services.subscriber_subscribe(email=email, name=name, language="nb", actor=None)
        if status in {"confirmed", "unsubscribed"}:
            services.subscriber_confirm(subscriber=subscriber)
        if status == "unsubscribed":
            services.subscriber_unsubscribe(subscriber=subscriber)

    first = services.newsletter_issue_save(
        actor=coordinator,
        subject=f"POLYFON-nytt nr. 1/{today.year}",
        intro_source="Velkommen til årets første nyhetsbrev fra POLYFON!\n\nHer er nytt fra arbeidsområdene, "
        "og en påminnelse om at utlysningen av såkornmidler er åpen.",
        articles=[a for a in articles if a.is_public][2:5],
    )
    services.newsletter_issue_send(issue=first, actor=coordinator)
    # The worker sends the batches; the demo runs them here so the sending log has something to show
    # (the e-mails themselves are written to var/mail by the worker after the demo is loaded).
    for batch in first.batches.all():
        services.newsletter_batch_send(batch_id=batch.pk)
    services.newsletter_issue_save(
        actor=coordinator,
        subject=f"POLYFON-nytt nr. 2/{today.year}",
        intro_source="Utkast: nytt om kunnskapsbeskrivelser og nye deltakere.",
        articles=[a for a in articles if a.is_public][:2],
    )
    ctx["news"] = articles
    ctx["newsletter_issues"] = list(NewsletterIssue.objects.all())
    ctx["subscribers"] = list(Subscriber.objects.all())
