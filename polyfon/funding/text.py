"""Call texts are written in Markdown and shown as sanitised HTML (Markdown, then nh3)."""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# The text sits in a section under an h2: # and ## become h3, deeper headings h4.
HEADING_LEVELS = {"1": "3", "2": "3", "3": "4", "4": "4", "5": "4", "6": "4"}
CLASSES = {
    "<h3>": '<h3 class="ds-heading" data-size="xs">',
    "<h4>": '<h4 class="ds-heading" data-size="2xs">',
    "<p>": '<p class="ds-paragraph">',
    "<ul>": '<ul class="ds-list">',
    "<ol>": '<ol class="ds-list">',
}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML with only harmless tags and Designsystemet's classes."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{HEADING_LEVELS[m.group(2)]}>", html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer")
    for plain, styled in CLASSES.items():
        clean = clean.replace(plain, styled)
    return mark_safe(clean)  # nh3 has removed everything but the allowed tags
