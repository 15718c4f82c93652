"""Rich text: whatever the Markdown holds, what is stored cannot run anything."""

import pytest

from polyfon.core.richtext import render_markdown, sanitise_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<a href='javascript:alert(1)'>klikk</a>",
    "<a href=' JaVaScRiPt:alert(1)'>klikk</a>",
    "[klikk](javascript:alert(1))",
    "[klikk](jav&#x61;script:alert(1))",
    "[klikk](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href='vbscript:msgbox(1)'>klikk</a>",
    "<p onclick='alert(1)' style='background:url(javascript:alert(1))'>tekst</p>",
    "<div onmouseover=alert(1)>tekst</div>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<form action=https://evil.example><input name=x><button>Send</button></form>",
    "<base href='https://evil.example/'>",
    "<!-- <script>alert(1)</script> -->",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "<template><script>alert(1)</script></template>",
    "![bilde](javascript:alert(1))",
    "<details open ontoggle=alert(1)>",
    "<a href='https://ok.example' onclick='alert(1)' target='_blank'>ok</a>",
]

FORBIDDEN = ["<script", "javascript:", "vbscript:", "data:", "onerror", "onload", "onclick", "onmouseover", "ontoggle",
             "<iframe", "<object", "<embed", "<svg", "<math", "<style", "<link", "<meta", "<form", "<input", "<base",
             "<img", "style=", "target=", "<!--", "<template", "<noscript", "<details"]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_made_harmless(source):
    html = render_markdown(source).lower()
    for needle in FORBIDDEN:
        assert needle not in html, (source, html)


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "# Tittel\n\nTekst med **fet**, *kursiv* og [lenke](https://www.helsedirektoratet.no/retningslinjer/demens).\n\n"
        "- punkt én\n- punkt to\n\n> sitat\n\n| År | Antall |\n|---|---|\n| 2026 | 12 |"
    )
    assert "<h2>Tittel</h2>" in html  # the page has the h1: headings start at level 2
    assert "<strong>fet</strong>" in html and "<em>kursiv</em>" in html
    assert 'href="https://www.helsedirektoratet.no/retningslinjer/demens"' in html
    assert 'rel="noopener noreferrer"' in html and 'class="ds-link"' in html
    assert "<ul>" in html and "<blockquote>" in html
    assert '<th scope="col">År</th>' in html and 'class="rich-table"' in html


def test_the_highest_heading_becomes_level_two_and_the_rest_follow():
    html = render_markdown("# a\n\n## b\n\n###### f")
    assert "<h2>a</h2>" in html and "<h3>b</h3>" in html and "<h6>f</h6>" in html
    html = render_markdown("## a\n\n### b")  # written from ##: no level is skipped under the page's h1
    assert "<h2>a</h2>" in html and "<h3>b</h3>" in html
    assert "<h1" not in render_markdown("<h1>rå</h1>")


def test_mail_links_and_relative_links_are_kept_and_can_be_made_absolute():
    html = render_markdown("[skriv](mailto:polyfon@uib.no) og [side](/arbeidsomrader/rus/)")
    assert 'href="mailto:polyfon@uib.no"' in html and 'href="/arbeidsomrader/rus/"' in html
    assert 'href="https://polyfon.example/arbeidsomrader/rus/"' in sanitise_html(html, base_url="https://polyfon.example/")


def test_empty_text_gives_empty_html():
    assert render_markdown("") == "" and render_markdown("  \n ") == ""
