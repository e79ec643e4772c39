"""Walking the site as a user would, for the browser tests: every navigation link, the links one step beyond,
what the page says, and axe-core's accessibility findings."""

import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings

# What must never reach the screen: identifiers, formula text, Python values, stack traces, raw fen.
INTERNAL = [
    (re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"), "identifier"),
    (re.compile(r"\{'[a-z_]+':"), "dict"),
    (re.compile(r"\b(coalesce|div_down|has)\("), "formula"),
    (re.compile(r"Traceback \(most recent call last\)"), "traceback"),
    (re.compile(r"\bNone\b(?!\s+yet)"), "None"),
    (re.compile(r"（分）"), "fen"),
]
SKIP_LINK = re.compile(r"(\.xlsx|\.ics|\.csv|\.pdf|/logout|/admin/|/api/|/i18n/|/static/|/media/)")


def visible_text(page) -> str:
    return page.evaluate(
        """() => {
      const clone = document.body.cloneNode(true);
      clone.querySelectorAll('script, style, code, [data-internal-ok], select').forEach(e => e.remove());
      return clone.innerText;
    }"""
    )


def internal_findings(text: str) -> list[str]:
    found = []
    for pattern, kind in INTERNAL:
        for m in pattern.finditer(text):
            token = m.group(0)
            if kind == "identifier" and ("@" in text[max(0, m.start() - 30) : m.end() + 30]):
                continue  # e-mail addresses
            found.append(f"{kind}: {token}")
    return sorted(set(found))


def same_site_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        if not url.startswith(base) or SKIP_LINK.search(url):
            continue
        out.append(url.split("#")[0])
    return out


def run_axe(page) -> list[dict]:
    """Serious and critical violations only, each with its rule and the first offending element."""
    page.add_script_tag(
        url=settings.STATIC_URL + "vendor/axe-core/axe.min.js"
    )  # same origin: allowed by the CSP
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], "
        "runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "target": v["nodes"][0]["target"] if v["nodes"] else "",
            "n": len(v["nodes"]),
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
