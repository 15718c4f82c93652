"""Input parsing and field validation for the content. Rules that span rows live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from polyfon.core.forms import DateInput, DateTimeInput, Form, HoneypotField, ModelForm

from .images import max_image_bytes, validate_image_upload
from .models import CONTENT_LANGUAGES, NewsArticle, WorkArea
from .related import Teaser

MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, ## for a heading, - for a list, **bold**, "
    "[link text](https://address). Scripts and other HTML are removed when the text is saved."
)

_url = URLValidator(schemes=["http", "https"])


def _valid_url(value: str) -> bool:
    try:
        _url(value)
    except ValidationError:
        return False
    return True


def _line_error(problems: list[str]):
    raise ValidationError(problems)


class WorkAreaForm(ModelForm):
    class Meta:
        model = WorkArea
        fields = ["name", "name_nn", "name_en", "slug", "summary", "summary_nn", "summary_en", "position", "is_active"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ["summary", "summary_nn", "summary_en"]}


# --- Knowledge descriptions ------------------------------------------------------------------------------


def guidelines_to_text(guidelines: list[dict]) -> str:
    return "\n".join(f"{g['title']} | {g['url']}" if g.get("url") else g["title"] for g in guidelines)


def references_to_text(references: list[dict]) -> str:
    return "\n".join(f"{r['text']} {r.get('url', '')}".strip() for r in references)


class KnowledgeDescriptionForm(Form):
    """A new version of a knowledge description; it starts from the newest version's text."""

    title = forms.CharField(max_length=200, label=_("Title"))
    language = forms.ChoiceField(choices=CONTENT_LANGUAGES, label=_("Language of the text"))
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Summary"),
        help_text=_("Plain text, shown at the top of the page and in the list of work areas."),
    )
    body_source = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), label=_("Text"), help_text=MARKDOWN_HELP)
    authors = forms.CharField(max_length=300, label=_("Written by"), help_text=_("The authors' names, as they are to be shown."))
    guidelines = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("National guidelines"),
        help_text=_("One per line: the guideline's name, a vertical bar, its web address. "
                    "Example: Nasjonal faglig retningslinje for demens | https://www.helsedirektoratet.no/retningslinjer/demens"),
    )
    references = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("References"),
        help_text=_("One reference per line. A web address (https://…) at the end of the line becomes a link."),
    )
    review_due = forms.DateField(widget=DateInput, label=_("To be reviewed by"))
    change_note = forms.CharField(
        required=False, max_length=300, label=_("What changed"), help_text=_("A short note for the version history.")
    )
    publish = forms.BooleanField(required=False, label=_("Publish this version now"))

    def clean_guidelines(self):
        guidelines, problems = [], []
        for number, line in enumerate(self.cleaned_data.get("guidelines", "").splitlines(), start=1):
            if not line.strip():
                continue
            title, _bar, url = (part.strip() for part in line.partition("|"))
            if not title:
                problems.append(_("Line %(line)s: the guideline's name is missing.") % {"line": number})
            elif url and not _valid_url(url):
                problems.append(_("Line %(line)s: %(url)s is not a web address (https://…).") % {"line": number, "url": url})
            else:
                guidelines.append({"title": title, "url": url})
        if problems:
            _line_error(problems)
        return guidelines

    def clean_references(self):
        references, problems = [], []
        for number, line in enumerate(self.cleaned_data.get("references", "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            words = line.split()
            url = words[-1] if words[-1].startswith(("http://", "https://")) else ""
            if url and not _valid_url(url):
                problems.append(_("Line %(line)s: %(url)s is not a web address (https://…).") % {"line": number, "url": url})
                continue
            references.append({"text": " ".join(words[:-1]) if url else line, "url": url})
        if problems:
            _line_error(problems)
        return references

    @classmethod
    def initial_from(cls, description) -> dict:
        if description is None:
            return {"language": "nb"}
        return {
            "title": description.title,
            "language": description.language,
            "summary": description.summary,
            "body_source": description.body_source,
            "authors": description.authors,
            "guidelines": guidelines_to_text(description.guidelines),
            "references": references_to_text(description.references),
            "review_due": description.review_due,
        }


# --- News ---------------------------------------------------------------------------------------------


class NewsArticleForm(ModelForm):
    image_upload = forms.FileField(
        required=False,
        label=_("Image"),
        help_text=_("JPEG, PNG or WebP, at most %(mb)s MB. It is stored without its metadata (such as where it was taken).")
        % {"mb": max_image_bytes() // 1_048_576},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_image = forms.BooleanField(required=False, label=_("Remove the image"))
    published_at = forms.DateTimeField(
        required=False,
        widget=DateTimeInput,
        label=_("Publication time"),
        help_text=_("Norwegian time. Empty: when it is published. A time ahead: the article appears by itself then."),
    )
    work_areas = forms.ModelMultipleChoiceField(
        queryset=WorkArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Work areas"),
    )
    publish = forms.BooleanField(
        required=False, label=_("Publish"), help_text=_("Leave unticked to save a draft that only coordinators see.")
    )

    class Meta:
        model = NewsArticle
        fields = ["title", "lead", "body_source", "language", "byline", "work_areas", "image_alt", "image_caption", "slug"]
        widgets = {"lead": forms.Textarea(attrs={"rows": 3}), "body_source": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "body_source": MARKDOWN_HELP,
            "slug": _("Made from the title when left empty. Changing it breaks links to a published article."),
        }

    field_order = [
        "title", "lead", "body_source", "language", "byline", "work_areas",
        "image_upload", "remove_image", "image_alt", "image_caption", "published_at", "slug", "publish",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            del self.fields["publish"]  # published and withdrawn through the buttons on the page
            self.fields["published_at"].initial = self.instance.published_at
        if not (self.instance.pk and self.instance.image):
            del self.fields["remove_image"]

    def clean_image_upload(self):
        upload = self.cleaned_data.get("image_upload")
        if upload:
            validate_image_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_image = bool(cleaned.get("image_upload")) or (
            bool(self.instance.pk and self.instance.image) and not cleaned.get("remove_image")
        )
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe what the image shows; the text alternative is required with an image."))
        return cleaned

    def validate_unique(self):
        # The service makes the short name unique.
        pass


# --- Newsletter ---------------------------------------------------------------------------------------


class SubscribeForm(Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(required=False, max_length=200, label=_("Name"))
    # Left empty by people, filled by bots.
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class SubscriberAddForm(Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(required=False, max_length=200, label=_("Name"))
    language = forms.ChoiceField(choices=CONTENT_LANGUAGES, label=_("Language"))


class SubscriberDeleteForm(Form):
    reason = forms.CharField(
        required=False,
        max_length=200,
        label=_("Reason"),
        help_text=_("For example: asked by e-mail on 3 March. Do not write the address here."),
    )


class NewsletterIssueForm(Form):
    subject = forms.CharField(max_length=200, label=_("Subject"))
    language = forms.ChoiceField(choices=CONTENT_LANGUAGES, label=_("Language of the text"))
    intro_source = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 10}), label=_("Introduction"), help_text=MARKDOWN_HELP
    )
    articles = forms.ModelMultipleChoiceField(
        queryset=NewsArticle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("News"),
        help_text=_("Published news of the last four months."),
    )
    events = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Events"), help_text=_("Upcoming public events.")
    )

    def __init__(self, *args, articles, events: list[Teaser], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = articles
        self.event_teasers = {teaser.key: teaser for teaser in events}
        self.fields["events"].choices = [(t.key, self._event_label(t)) for t in events]
        if not events:
            del self.fields["events"]

    @staticmethod
    def _event_label(teaser: Teaser) -> str:
        from django.utils import formats, timezone

        if teaser.when is None:
            return teaser.title
        when = timezone.localtime(teaser.when) if teaser.has_time else teaser.when
        return f"{teaser.title} ({formats.date_format(when, 'SHORT_DATETIME_FORMAT' if teaser.has_time else 'SHORT_DATE_FORMAT')})"

    def clean_events(self):
        return [self.event_teasers[key] for key in self.cleaned_data.get("events", []) if key in self.event_teasers]
