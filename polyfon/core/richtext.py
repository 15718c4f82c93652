"""Rich text: Markdown written by the coordinator, turned into HTML and sanitised with nh3.

The one place where text becomes HTML: news, knowledge descriptions, newsletters and annual
report sections (stored beside their source when saved), call texts and event descriptions
(rendered when shown, with the `markdown` template filter). Whatever the source holds (raw HTML, script,
event handlers, `javascript:` links, frames, styles), only the tags and attributes listed here
survive, so the pages cannot be made to run anything.

Headings start at level 2, because the page around the text has the level-1 heading (or at
the level the caller gives, when the text sits in a section of its own), and table header
cells get `scope="col"`, so the markup stays accessible whatever is written.
"""

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "s", "sub", "sup", "small", "abbr", "cite", "q",
    "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "q": {"cite"},
}
ATTRIBUTE_VALUES = {"th": {"scope": {"col", "row", "colgroup", "rowgroup"}}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
FIXED_ATTRIBUTES = {"table": {"class": "rich-table"}, "a": {"class": "ds-link"}}


def _heading_level(element: etree.Element) -> int | None:
    tag = element.tag
    return int(tag[1]) if isinstance(tag, str) and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else None


class _AccessibleStructure(Treeprocessor):
    """Make the text's highest heading `top_heading` (2 by default) and keep the others in step
    (so `# A` and `## A` both become <h2> under the page's <h1>, and no level is skipped), and
    give column headers a scope."""

    def __init__(self, md, top_heading: int):
        super().__init__(md)
        self.top_heading = top_heading

    def run(self, root: etree.Element) -> None:
        levels = [level for element in root.iter() if (level := _heading_level(element))]
        shift = self.top_heading - min(levels) if levels else 0
        for element in root.iter():
            level = _heading_level(element)
            if level:
                element.tag = f"h{min(max(level + shift, self.top_heading), 6)}"
            elif element.tag == "th":
                element.set("scope", "col")


class AccessibleStructureExtension(Extension):
    def __init__(self, top_heading: int = 2):
        super().__init__()
        self.top_heading = top_heading

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_AccessibleStructure(md, self.top_heading), "polyfon_accessible_structure", 1)


def sanitise_html(html: str, *, base_url: str | None = None) -> str:
    """Keep only the allowed tags, attributes and link schemes; drop scripts and styles whole.
    With `base_url`, relative links are made absolute (for e-mail)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES,
        set_tag_attribute_values=FIXED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
    ).strip()


def render_markdown(source: str, *, top_heading: int = 2) -> str:
    """Markdown source → sanitised HTML, ready to store and show (`top_heading`: the level of
    the text's highest heading, 3 for a text in a section under an <h2>)."""
    if not source or not source.strip():
        return ""
    html = markdown.markdown(
        source,
        extensions=["tables", "sane_lists", "def_list", "abbr", AccessibleStructureExtension(top_heading)],
        output_format="html",
    )
    return sanitise_html(html)
