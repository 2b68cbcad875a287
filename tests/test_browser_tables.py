"""What a reader of a wide table sees, in each popular theme, in headless Chromium.

The site of ``tests/roots/test-themes`` (a 21-column, 200-row table of the Inf2 pages'
shape, tables in sphinx-design tabs, a page without tables) is built once per theme and
served on 127.0.0.1 with ``Content-Security-Policy: script-src 'self'``, so every check
below also runs under that policy. Screenshots go to ``docs/_build/browser/themes/``.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from required_tools import require

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(__file__).parent / "roots" / "test-themes"
SHOTS = ROOT / "docs" / "_build" / "browser" / "themes"
THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme"]
#: Themes with a dark mode that follows the reader's colour scheme.
DARK = {"furo", "pydata_sphinx_theme", "sphinx_book_theme"}
SCHEMES = [
    (theme, scheme)
    for theme in THEMES
    for scheme in ("light", "dark")
    if scheme == "light" or theme in DARK
]
CSP = "script-src 'self'"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
WIDE = "table#wide"
COST = "Cost per 1M tokens (USD)"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test site built in each theme, all builds at once."""
    out = tmp_path_factory.mktemp("themes")
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html"]
    builds = {
        theme: subprocess.Popen(
            [*command, "-D", f"html_theme={theme}", str(SOURCE), str(out / theme)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for theme in THEMES
    }
    for theme, build in builds.items():
        _, errors = build.communicate(timeout=600)
        assert build.returncode == 0, (theme, errors)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return out


class _CspHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(sites: Path) -> Iterator[str]:
    handler = functools.partial(_CspHandler, directory=str(sites))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = require(
        "chromium", "chromium-browser", "google-chrome", installer="Debian's chromium"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Records every Content-Security-Policy violation the page reports (init scripts are
# injected by the browser, outside the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
    {directive: e.violatedDirective, file: e.sourceFile, blocked: e.blockedURI}));
"""


class Reader:
    """One browser tab on one theme's site, failing the test on any page error."""

    def __init__(
        self,
        browser: Any,
        server: str,
        theme: str,
        width: int = 1400,
        height: int = 900,
        scheme: str = "light",
        javascript: bool = True,
    ) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.base = f"{server}/{theme}"
        self.theme, self.scheme, self.width = theme, scheme, width
        self.javascript = javascript

    def open(self, path: str = "index.html") -> Any:
        self.page.goto(f"{self.base}/{path}")
        if self.javascript:
            self.settle()
        return self.page

    def settle(self) -> None:
        """Wait two frames: scroll events come in one, the script's work for them in the next."""
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
            "() => setTimeout(r, 0))))"
        )

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{self.theme}-{name}.png"))

    def close(self) -> None:
        self.context.close()
        assert self.errors == []


@pytest.fixture
def reader(browser: Any, server: str) -> Iterator[Any]:
    readers: list[Reader] = []

    def make(theme: str, **kwargs: Any) -> Reader:
        readers.append(Reader(browser, server, theme, **kwargs))
        return readers[-1]

    yield make
    for one in readers:
        one.close()


MEASURE = """(selector) => {
    const table = document.querySelector(selector);
    const box = table.closest('.dftable-scroll');
    const wrapper = table.closest('.dftable-wrapper');
    const b = box.getBoundingClientRect();
    const left = b.left + box.clientLeft, right = left + box.clientWidth;
    const view = document.documentElement.clientWidth;
    const heads = [...table.tHead.rows[table.tHead.rows.length - 1].cells];
    const onScreen = heads.filter(h => {
        const r = h.getBoundingClientRect();
        return r.left >= left - 1 && r.right <= Math.min(right, view) + 1;
    }).length;
    const scrollers = [];
    for (let node = table.parentElement; node !== wrapper.parentElement;
         node = node.parentElement) {
        if (getComputedStyle(node).overflowX !== 'visible') scrollers.push(node.className);
    }
    const caption = table.caption.getBoundingClientRect();
    const hint = wrapper.querySelector('.dftable-more');
    return {
        onScreen, columns: heads.length, scrollers,
        boxLeft: left, boxRight: right, view,
        column: wrapper.parentElement.getBoundingClientRect().width,
        wrapperWidth: wrapper.getBoundingClientRect().width,
        captionLeft: caption.left, captionRight: caption.right, captionTop: caption.top,
        captionClipped: table.caption.scrollWidth > table.caption.clientWidth + 1,
        hint: hint.hidden ? '' : hint.textContent,
        shade: getComputedStyle(wrapper.querySelector('.dftable-shade')).opacity,
        pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
        boxScrolls: box.scrollWidth > box.clientWidth,
    };
}"""


def measure(page: Any, selector: str = WIDE) -> dict[str, Any]:
    return dict(page.evaluate(MEASURE, selector))


def caption_inside(m: dict[str, Any]) -> bool:
    """The caption lies within the visible part of the table's box (to 2 px)."""
    return bool(m["boxLeft"] - 2 <= m["captionLeft"] and m["captionRight"] <= m["boxRight"] + 2)


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


TWO_FRAMES = (
    "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))"
)

#: Every row of the page, in order: a long page holds only the rows near the view, so the
#: table's box is scrolled from top to bottom, each row read by its aria-rowindex.
READ_ROWS = f"""async ([selector, column]) => {{
    const table = document.querySelector(selector);
    const box = table.closest('.dftable-scroll');
    const c = column ? [...table.tHead.rows[0].cells]
        .findIndex(h => h.textContent.startsWith(column)) : -1;
    const seen = new Map();
    const start = box.scrollTop;
    box.scrollTop = 0;
    await {TWO_FRAMES};
    for (let step = 0; step < 1000; step++) {{
        for (const r of table.tBodies[0].rows) {{
            if (r.classList.contains('dftable-spacer') || !r.offsetParent) continue;
            seen.set(+r.getAttribute('aria-rowindex'), {{
                label: r.cells[0].textContent.trim(), text: r.innerText,
                height: r.getBoundingClientRect().height,
                sort: c >= 0 ? r.cells[c].dataset.sortValue ?? null : null}});
        }}
        if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
        box.scrollTop += box.clientHeight / 2;
        await {TWO_FRAMES};
    }}
    box.scrollTop = start;
    await {TWO_FRAMES};
    const indices = [...seen.keys()].sort((a, b) => a - b);
    return {{indices, rows: indices.map(i => seen.get(i)),
            body: table.tBodies[0].getBoundingClientRect().height}};
}}"""


def page_rows(page: Any, column: str | None = None, selector: str = WIDE) -> list[dict[str, Any]]:
    """The rows of the page shown, in order: label, text, height, `column`'s data-sort-value."""
    read = page.evaluate(READ_ROWS, [selector, column])
    indices = read["indices"]
    # One row for each place, none missed: 2, 3, ... (the header row is 1).
    assert indices == list(range(2, 2 + len(indices))), indices
    # The body is as tall as its rows: spacers stand for exactly the rows out of view.
    assert read["body"] == pytest.approx(sum(row["height"] for row in read["rows"]), abs=1)
    return list(read["rows"])


#: Scrolls the table's box until the row at aria-rowindex `index` is at its top, under
#: the header, or the box's end (the rows near it are put in the body as it comes near).
SCROLL_TO_ROW = f"""async ([selector, index]) => {{
    const table = document.querySelector(selector);
    const box = table.closest('.dftable-scroll');
    for (let step = 0; step < 200; step++) {{
        const row = table.querySelector(`tbody > tr[aria-rowindex="${{index}}"]`);
        const target = row ? row.offsetTop - table.tHead.offsetHeight
            : box.scrollTop + box.clientHeight / 2;
        const end = box.scrollHeight - box.clientHeight;
        const there = Math.abs(box.scrollTop - target) < 1;
        if (row && (there || target > end && box.scrollTop >= end - 1)) {{
            return true; // (a row near the end comes as near the top as the box scrolls)
        }}
        box.scrollTop = target;
        await {TWO_FRAMES};
    }}
    return false;
}}"""


def scroll_to_row(page: Any, index: int, selector: str = WIDE) -> None:
    assert page.evaluate(SCROLL_TO_ROW, [selector, index])


# -- layout at 1400 px ---------------------------------------------------------------------


@pytest.mark.parametrize(("theme", "scheme"), SCHEMES)
def test_wide_table_layout_at_1400(reader: Any, theme: str, scheme: str) -> None:
    one = reader(theme, scheme=scheme)
    page = one.open()
    page.evaluate("() => window.scrollTo({top: 0, behavior: 'instant'})")
    m = measure(page)
    one.shot(f"1400-{scheme}")
    # The table breaks out of the text column into the page's free width, one scroll box.
    assert m["wrapperWidth"] > m["column"] + 100, m
    assert m["boxRight"] <= m["view"], m
    assert len(m["scrollers"]) == 1, m["scrollers"]
    assert not m["pageScrolls"]
    # Half of the 21 columns or more are on screen (alabaster's fixed 940 px page, right
    # of its sidebar, leaves 904 px).
    share = m["onScreen"] / m["columns"]
    assert share >= 0.5, (theme, m["onScreen"])
    # The rest are announced: "N columns out of view", and the edge shade.
    hidden = m["columns"] - m["onScreen"]
    assert m["hint"].startswith(f"{hidden} columns out of view"), m["hint"]
    assert m["shade"] == "1"
    # The caption is above the visible part, whole.
    assert caption_inside(m), m
    assert not m["captionClipped"]
    cells = page.evaluate(
        """([selector, cost]) => {
            const table = document.querySelector(selector);
            const heads = [...table.tHead.rows[0].cells];
            const c = heads.findIndex(h => h.textContent.startsWith(cost));
            const row = table.tBodies[0].rows[0];
            const css = (el) => getComputedStyle(el);
            const borders = [...row.cells].slice(0, -1).map((cell, i) =>
                parseFloat(css(cell).borderRightWidth) > 0 &&
                parseFloat(css(row.cells[i + 1]).borderLeftWidth) > 0);
            return {align: css(row.cells[c]).textAlign,
                    figures: css(row.cells[c]).fontVariantNumeric,
                    headAlign: css(heads[c]).textAlign,
                    labelBg: css(row.cells[0]).backgroundColor,
                    nextLabelBg: css(row.nextElementSibling.cells[0]).backgroundColor,
                    headBg: css(heads[0]).backgroundColor,
                    doubled: borders.filter(Boolean).length};
        }""",
        [WIDE, COST],
    )
    assert cells["align"] == "right" and cells["headAlign"] == "right"
    assert "tabular-nums" in cells["figures"]
    assert cells["doubled"] == 0  # one line between two cells, not two
    # The sticky label cells are opaque (odd and even rows), in the colours of the scheme.
    for colour in (cells["labelBg"], cells["nextLabelBg"], cells["headBg"]):
        assert not colour.startswith("rgba") or colour.endswith(", 1)"), colour
        assert (luminance(colour) < 0.35) == (scheme == "dark"), (colour, scheme)


@pytest.mark.parametrize("theme", THEMES)
def test_first_column_and_caption_stay_when_scrolled_to_the_right_end(
    reader: Any, theme: str
) -> None:
    one = reader(theme)
    page = one.open()
    page.evaluate(
        "(s) => { const box = document.querySelector(s).closest('.dftable-scroll');"
        " box.scrollLeft = box.scrollWidth; }",
        WIDE,
    )
    one.settle()
    m = measure(page)
    seen = page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const label = table.tBodies[0].rows[0].cells[0];
            const head = table.tHead.rows[0].cells[0];
            const r = label.getBoundingClientRect();
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return {labelLeft: r.left, headLeft: head.getBoundingClientRect().left,
                    onTop: label.contains(top), last: table.tHead.rows[0].lastElementChild
                        .getBoundingClientRect().right};
        }""",
        WIDE,
    )
    one.shot("1400-scrolled-right")
    assert abs(seen["labelLeft"] - m["boxLeft"]) <= 1 and abs(seen["headLeft"] - m["boxLeft"]) <= 1
    assert seen["onTop"]  # not covered by the columns scrolled under it
    assert seen["last"] <= m["boxRight"] + 1  # the last column is in view
    assert caption_inside(m)
    assert m["shade"] == "0" and "\u2192" not in m["hint"]


@pytest.mark.parametrize("theme", THEMES)
def test_header_sticks_after_150_rows(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    # The table's box in view, then 150 rows scrolled inside it.
    page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const box = table.closest('.dftable-scroll');
            window.scrollTo({top: box.getBoundingClientRect().top + window.scrollY - 120,
                            behavior: 'instant'});
        }""",
        WIDE,
    )
    scroll_to_row(page, 152)  # the 151st row (the header row is 1)
    one.settle()
    inside = page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const box = table.closest('.dftable-scroll').getBoundingClientRect();
            const head = table.tHead.getBoundingClientRect();
            const row = table.querySelector('tbody > tr[aria-rowindex="152"]')
                .getBoundingClientRect();
            return {box: box.top, head: head.top, headBottom: head.bottom, row: row.top};
        }""",
        WIDE,
    )
    assert abs(inside["head"] - inside["box"]) <= 1, inside
    assert inside["head"] >= 0 and abs(inside["row"] - inside["headBottom"]) <= 2, inside
    one.shot("1400-150-rows")
    # Scrolling the page past the box's top: the header follows, below the theme's bar.
    page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).closest('.dftable-scroll');
            box.scrollTop = 0;
            window.scrollTo({top: box.getBoundingClientRect().top + window.scrollY + 300,
                            behavior: 'instant'});
        }""",
        WIDE,
    )
    one.settle()
    page_scroll = page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const head = table.tHead.getBoundingClientRect();
            const probe = document.elementFromPoint(head.left + 20, head.top + head.height / 2);
            const box = table.closest('.dftable-scroll').getBoundingClientRect();
            return {top: head.top, box: box.top,
                    seen: table.tHead.contains(probe)};
        }""",
        WIDE,
    )
    assert page_scroll["box"] < -250, page_scroll
    assert 0 <= page_scroll["top"] <= 100 and page_scroll["seen"], page_scroll


#: The rows in the body now: how many, any place of the box's visible part not covered
#: by a row, rows whose zebra class or :nth-child parity is not their place's, and where
#: the last row of the page ends (when it is in the body) against the box's bottom.
WINDOW = """(selector) => {
    const table = document.querySelector(selector);
    const box = table.closest('.dftable-scroll');
    const rows = [...table.tBodies[0].rows];
    const real = rows.filter(r => !r.classList.contains('dftable-spacer'));
    const b = box.getBoundingClientRect();
    const top = Math.max(table.tHead.getBoundingClientRect().bottom, 0) + 1;
    const bottom = Math.min(b.top + box.clientTop + box.clientHeight, innerHeight) - 1;
    const gaps = [];
    for (let y = top; y < bottom; y += 10) {
        const tr = document.elementFromPoint(b.left + 30, y)?.closest('tr');
        if (!tr || !table.tBodies[0].contains(tr) || tr.classList.contains('dftable-spacer')) {
            gaps.push(Math.round(y));
        }
    }
    // docutils counts the header row (row-odd) in its classes; :nth-child counts body rows.
    const zebra = real.filter(r => {
        const even = +r.getAttribute('aria-rowindex') % 2 === 0; // the first body row is 2
        return r.classList.contains('row-odd') === even || r.matches(':nth-child(odd)') !== even;
    }).map(r => r.getAttribute('aria-rowindex'));
    const last = table.querySelector('tbody > tr[aria-rowindex="201"]');
    return {inBody: real.length, gaps, zebra, rowcount: table.getAttribute('aria-rowcount'),
            lastGap: last ? b.top + box.clientTop + box.clientHeight
                - last.getBoundingClientRect().bottom : null};
}"""


def check_window(page: Any) -> dict[str, Any]:
    """The rows near the view are in the body, and only they; returns what was seen."""
    seen = dict(page.evaluate(WINDOW, WIDE))
    assert 0 < seen["inBody"] <= 100, seen  # a page of 200 rows: about a screen and a half
    assert seen["gaps"] == [] and seen["zebra"] == [], seen
    assert seen["rowcount"] == "201", seen
    return seen


@pytest.mark.parametrize("theme", THEMES)
def test_long_page_holds_the_rows_near_the_view(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    rows = all_rows(page, one.base)
    # The box in view below the themes' bars, at its top, in its middle and at its end.
    page.evaluate(
        """(s) => { const box = document.querySelector(s).closest('.dftable-scroll');
            window.scrollTo({top: box.getBoundingClientRect().top + window.scrollY - 120,
                            behavior: 'instant'}); }""",
        WIDE,
    )
    one.settle()
    check_window(page)
    scroll_to_row(page, 102)
    one.settle()
    check_window(page)
    page.evaluate(
        "(s) => { const box = document.querySelector(s).closest('.dftable-scroll');"
        " box.scrollTop = box.scrollHeight; }",
        WIDE,
    )
    one.settle()
    end = check_window(page)
    # The last row ends at the box's end (to a pixel; below it, the table's border at most).
    assert end["lastGap"] is not None and -1 <= end["lastGap"] <= 2, end
    one.shot("1400-last-rows")
    # Every row is there for the reader, once, in order.
    assert shown_models(page) == [r["Model"] for r in rows]
    # A sort puts a screen of rows in the body, not the page.
    wrapper(page).locator("th", has_text=COST).locator("button.dftable-sort").click()
    one.settle()
    check_window(page)
    costs = [float(row["sort"]) for row in page_rows(page, COST)]
    assert costs == sorted(float(r[COST]) for r in rows)


FOCUS_PROBE = """(selector) => {
    const row = document.querySelector(selector).querySelector('tbody > tr[aria-rowindex="4"]');
    const link = document.createElement('a');
    link.href = '#probe';
    link.id = 'probe';
    link.textContent = 'script';
    row.cells[1].append(' ', link);
    link.focus();
    window.__probe = link; // (a link out of the document is not found by its id)
    return document.activeElement === link;
}"""
FOCUSED = """() => { const link = window.__probe;
    return {connected: link.isConnected, focused: document.activeElement === link}; }"""


@pytest.mark.parametrize("theme", ["furo", "sphinx_rtd_theme"])
def test_focus_in_a_long_page_survives_scrolling_its_row_away(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    # A link in the third row (as a page's :benchmark-pt: links are), focused by the reader.
    assert page.evaluate(FOCUS_PROBE, WIDE)
    scroll_to_row(page, 190)
    one.settle()
    assert page.evaluate(FOCUSED) == {"connected": True, "focused": True}
    assert len(page_rows(page)) == 200  # the rows between are there too, in order
    # Without the focus, the row goes at the next scroll (it is far from the view).
    page.evaluate("() => window.__probe.blur()")
    scroll_to_row(page, 170)
    one.settle()
    assert page.evaluate(FOCUSED)["connected"] is False
    check_window(page)


# -- narrow screens ------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_no_sideways_page_scroll_at_420(reader: Any, theme: str) -> None:
    one = reader(theme, width=420, height=800)
    page = one.open()
    m = measure(page)
    assert not m["pageScrolls"] and m["boxScrolls"], m
    assert m["hint"]  # the cue for the columns out of view
    assert caption_inside(m)
    one.shot("420")
    # An open filter menu stays on the page too.
    page.locator(
        f"{WIDE} >> xpath=ancestor::div[contains(@class,'dftable-wrapper')]//summary"
    ).last.click()
    assert not measure(page)["pageScrolls"]
    # and all of it is in the window: a panel wider than the room on either side of its
    # menu is moved in, not cut off at the window's left edge
    left, right, window = page.evaluate(OPEN_PANEL_EDGES)
    assert left >= 0 and right <= window, (left, right, window)
    one.shot("420-menu-open")


OPEN_PANEL_EDGES = """() => {
  const panels = document.querySelectorAll("details.dftable-menu[open] > .dftable-panel");
  const box = panels[panels.length - 1].getBoundingClientRect();
  return [box.left, box.right, document.documentElement.clientWidth];
}"""


# -- finding rows ----------------------------------------------------------------------------


def wrapper(page: Any) -> Any:
    return page.locator("div.dftable-wrapper", has=page.locator(WIDE))


def all_rows(page: Any, base: str) -> list[dict[str, str]]:
    """The table's data, from its CSV download (raw values, as the build wrote them)."""
    href = wrapper(page).locator("p.dftable-download a").get_attribute("href")
    response = page.request.get(f"{base}/{href}")
    assert response.ok
    return list(csv.DictReader(io.StringIO(response.text())))


def status(page: Any) -> str:
    return str(wrapper(page).locator(".dftable-status").text_content())


def shown_models(page: Any) -> list[str]:
    return [row["label"] for row in page_rows(page)]


@pytest.mark.parametrize("theme", THEMES)
def test_facets_range_search_url_and_download(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    rows = all_rows(page, one.base)
    assert len(rows) == 200
    assert status(page) == "Showing 200 of 200 rows."
    box = wrapper(page)
    # A multi-select facet per categorical column, one search, one panel of ranges.
    facets = [s.strip() for s in box.locator("details.dftable-menu > summary").all_inner_texts()]
    assert facets[:3] == ["Model", "Framework", "Inst. Type"] and facets[-1] == "Ranges", facets
    assert "Scripts" not in facets and "Task" not in facets  # one value only: no facet
    box.locator("summary", has_text=re.compile(r"^Model$")).click()
    box.get_by_label("Llama 3.1 8B Instruct", exact=False).check()
    model = [r for r in rows if r["Model"] == "Llama 3.1 8B Instruct"]
    assert status(page) == f"Showing {len(model)} of 200 rows."
    box.locator("summary", has_text="Ranges").click()
    box.get_by_label(f"Minimum {COST}").fill("0.5")
    cheap = [r for r in model if float(r[COST] or "nan") >= 0.5]
    assert status(page) == f"Showing {len(cheap)} of 200 rows."
    box.locator("input.dftable-search").fill("tgi")
    found = [r for r in cheap if r["Framework"] == "TGI"]
    assert 0 < len(found) < len(cheap)
    assert status(page) == f"Showing {len(found)} of 200 rows."
    assert shown_models(page) == [r["Model"] for r in found]
    # Sorted by cost, descending: the view is in the URL and a reload restores it.
    cost = box.locator("th", has_text=COST).locator("button.dftable-sort")
    cost.click()
    cost.click()
    page.wait_for_function("() => location.hash.includes('desc=1')")
    assert page.evaluate("() => location.hash").startswith("#dftable/wide?")
    one.settle()
    before = [row["text"] for row in page_rows(page)]
    one.shot("1400-filtered")
    page.reload()
    one.settle()
    assert status(page) == f"Showing {len(found)} of 200 rows, sorted by {COST}, descending."
    after = [row["text"] for row in page_rows(page)]
    assert after == before
    assert box.locator("input.dftable-search").input_value() == "tgi"
    assert box.locator("th", has_text=COST).get_attribute("aria-sort") == "descending"
    # The CSV of the rows shown: raw values, in the order shown; the link keeps all rows.
    with page.expect_download() as download:
        box.locator("button.dftable-download-shown").click()
    assert download.value.suggested_filename == "wide-shown.csv"
    shown = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    expected = sorted(found, key=lambda r: -float(r[COST]))
    assert shown == expected
    assert box.locator("button.dftable-download-shown").inner_text() == (
        f"Download the {len(found)} rows shown (CSV)"
    )
    # Reset: every row, page order, and no view left in the URL.
    box.locator("button.dftable-reset").click()
    assert status(page) == "Showing 200 of 200 rows."
    assert shown_models(page) == [r["Model"] for r in rows]
    page.wait_for_function("() => location.hash === ''")


WIDTHS = """(s) => [...document.querySelector(s).tHead.rows[0].cells]
    .map(h => h.getBoundingClientRect().width)"""
#: Each row in the body: its cells' text, and its height (the look of the cells, to 0.5 px).
ROWS = """(s) => [...document.querySelector(s).tBodies[0].rows]
    .filter(r => !r.classList.contains('dftable-spacer')).map(r =>
    [[...r.cells].map(c => c.textContent.trim()), r.getBoundingClientRect().height])"""
OVERFLOWING = """(s) => [...document.querySelector(s).tBodies[0].rows]
    .filter(r => !r.classList.contains('dftable-spacer'))
    .flatMap(r => [...r.cells]).filter(c => c.scrollWidth > c.clientWidth + 1).length"""


@pytest.mark.parametrize("theme", THEMES)
def test_columns_keep_their_widths_when_sorted_and_filtered(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    box = wrapper(page)
    widths = page.evaluate(WIDTHS, WIDE)
    rows = page.evaluate(ROWS, WIDE)
    assert page.evaluate(
        "(s) => document.querySelector(s).tBodies[0].querySelector('td > p')", WIDE
    )
    assert page.evaluate(OVERFLOWING, WIDE) == 0
    box.locator("th", has_text=COST).locator("button.dftable-sort").click()
    box.locator("input.dftable-search").fill("tgi")
    assert status(page).startswith("Showing ") and not status(page).startswith("Showing 200 ")
    assert page.evaluate(WIDTHS, WIDE) == pytest.approx(widths, abs=0.5)
    assert page.evaluate(OVERFLOWING, WIDE) == 0
    box.locator("button.dftable-reset").click()
    # The cells the script took out of their paragraphs read and look as before.
    assert (
        page.evaluate("(s) => document.querySelector(s).tBodies[0].querySelector('td > p')", WIDE)
        is None
    )
    after = page.evaluate(ROWS, WIDE)
    assert [texts for texts, _ in after] == [texts for texts, _ in rows]
    assert [height for _, height in after] == pytest.approx([h for _, h in rows], abs=0.5)
    assert page.evaluate(WIDTHS, WIDE) == pytest.approx(widths, abs=0.5)


#: Headers whose sort icon is not on the line of its label's last word: the icon's box
#: against the last line box of the label's text.
ICON_APART = """(selector) => [...document.querySelector(selector).tHead.rows[0].cells]
    .filter(th => {
        const button = th.querySelector('button.dftable-sort');
        const icon = button.querySelector('.dftable-sort-icon').getBoundingClientRect();
        const range = document.createRange();
        range.setStartBefore(button.firstChild);
        range.setEndBefore(button.querySelector('.dftable-sort-icon'));
        const lines = [...range.getClientRects()].filter(r => r.width > 0);
        const last = lines[lines.length - 1];
        return !(icon.top < last.bottom && last.top < icon.bottom);
    }).map(th => th.textContent.trim())"""


@pytest.mark.parametrize("theme", THEMES)
def test_sort_icon_stays_on_its_labels_last_line(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    assert page.evaluate(ICON_APART, WIDE) == []
    wrapper(page).locator("th", has_text=COST).locator("button.dftable-sort").click()
    assert page.evaluate(ICON_APART, WIDE) == []  # the sorted column's arrow too


@pytest.mark.parametrize("theme", THEMES)
def test_keyboard_sort_keeps_focus_and_is_announced(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    box = wrapper(page)
    header = box.locator("th", has_text=COST)
    button = header.locator("button.dftable-sort")
    assert header.get_attribute("aria-sort") is None
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.evaluate("() => document.activeElement.closest('th').textContent").startswith(COST)
    live = box.locator("[role=status]")
    assert live.text_content() == f"Showing 200 of 200 rows, sorted by {COST}, ascending."
    keys = [float(row["sort"]) for row in page_rows(page, COST)]
    assert keys == sorted(keys) and len(keys) == 200
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert page.evaluate("() => document.activeElement.classList.contains('dftable-sort')")
    # Tab moves on to the next header's sort button.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('th').textContent").startswith(
        "Application Type"
    )


CHANGES = """(selector) => {
    const table = document.querySelector(selector);
    const c = [...table.tHead.rows[0].cells].findIndex(h => h.textContent.startsWith('Throughput'));
    return [...table.tBodies[0].rows].map(r => r.cells[c].getAttribute('data-dftable-change'));
}"""


def in_change_order(changes: list[str | None], descending: bool) -> bool:
    """The changes in order, each way, and the rows without one after them."""
    known = [float(c) for c in changes if c is not None]
    first_missing = changes.index(None) if None in changes else len(changes)
    return known == sorted(known, reverse=descending) and len(known) == first_missing


@pytest.mark.parametrize("theme", THEMES)
def test_compared_metric_sorts_by_its_change(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open("compare.html")
    table = "table#compared"
    header = page.locator(f"{table} th", has_text="Throughput")
    button = header.get_by_role("button", name="Sort by change in Throughput")
    assert page.locator(f"{table} button.dftable-sort-change").count() == 2  # two metrics
    assert button.inner_text() == "" and header.text_content() == "Throughput"  # drawn by CSS
    page_order = page.evaluate(CHANGES, table)
    assert page_order.count(None) == 2  # a figure missing now, and a new row
    assert not in_change_order(page_order, descending=False)
    button.click()
    ascending = page.evaluate(CHANGES, table)
    assert in_change_order(ascending, descending=False), ascending
    assert ascending[:5] == ["-20", "-10", "-5", "10", "30"]
    assert header.get_attribute("aria-sort") == "ascending"
    live = page.locator(".dftable-wrapper:has(table#compared) [role=status]")
    assert live.text_content() == "Showing 7 of 7 rows, sorted by change in Throughput, ascending."
    # The keyboard: Enter and Space on the focused button reverse it; focus stays there.
    button.focus()
    page.keyboard.press("Enter")
    descending = page.evaluate(CHANGES, table)
    assert in_change_order(descending, descending=True), descending
    assert header.get_attribute("aria-sort") == "descending"
    assert live.text_content().endswith("sorted by change in Throughput, descending.")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == (
        "Sort by change in Throughput"
    )
    page.keyboard.press("Space")
    assert page.evaluate(CHANGES, table) == ascending
    page.keyboard.press("Space")
    # The hash is written a moment after the last change (one history entry).
    page.wait_for_function(
        "() => location.hash === '#dftable/compared?sort=Throughput&desc=1&by=change'"
    )
    one.shot("compare-by-change")
    # A reload with the address restores the order and the header's state.
    page.reload()
    one.settle()
    assert page.evaluate(CHANGES, table) == descending
    assert header.get_attribute("aria-sort") == "descending"
    assert live.text_content().endswith("sorted by change in Throughput, descending.")
    # The value button sorts by the value again; an old address (no "by") does too.
    header.locator("button.dftable-sort").click()
    assert live.text_content().endswith("sorted by Throughput, ascending.")
    page.goto(f"{one.base}/compare.html#dftable/compared?sort=Throughput&desc=1")
    one.settle()
    values = page.evaluate(
        """(selector) => [...document.querySelector(selector).tBodies[0].rows]
            .map(r => parseFloat(r.cells[2].dataset.sortValue ?? r.cells[2].textContent))
            .filter(v => !Number.isNaN(v))""",
        table,
    )
    assert values == sorted(values, reverse=True) and len(values) == 6
    assert live.text_content().endswith("sorted by Throughput, descending.")
    # Print hides the button like the other controls.
    page.emulate_media(media="print")
    one.settle()
    assert page.evaluate(
        """(s) => [...document.querySelectorAll(s + ' .dftable-sort-change')]
            .every(b => getComputedStyle(b).display === 'none')""",
        table,
    )


@pytest.mark.parametrize("theme", THEMES)
def test_print_shows_every_row_and_column_without_controls(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    wrapper(page).locator("input.dftable-search").fill("tgi")  # a filtered view
    page.emulate_media(media="print")
    one.settle()  # media query changes reach the page's listeners in the next frame
    printed = page.evaluate(
        """(selector) => {
            const table = document.querySelector(selector);
            const wrapper = table.closest('.dftable-wrapper');
            const displayed = (e) => getComputedStyle(e).display !== 'none';
            const shown = [...table.tBodies[0].rows].filter(displayed);
            const controls = [...wrapper.querySelectorAll(
                '.dftable-bar, .dftable-pager, .dftable-shade, button.dftable-download-shown',
            )].filter(displayed);
            const view = document.documentElement.clientWidth;
            const heads = [...table.tHead.rows[0].cells];
            const clipped = [];
            for (let node = table.parentElement; node !== wrapper.parentElement;
                 node = node.parentElement) {
                if (getComputedStyle(node).overflowX !== 'visible') clipped.push(node.className);
            }
            return {rows: shown.length, controls: controls.length, clipped,
                    outside: heads.filter(h => h.getBoundingClientRect().right > view + 1).length};
        }""",
        WIDE,
    )
    assert printed == {"rows": 200, "controls": 0, "clipped": [], "outside": 0}
    one.shot("print")


# -- tabs, no JavaScript, the policy, the assets -----------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_table_in_a_newly_shown_tab_is_laid_out(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open("tabs.html")
    page.locator("label.sd-tab-label", has_text="Latency optimized").click()
    one.settle()
    m = measure(page, "table#tab-realtime")
    assert m["wrapperWidth"] > m["column"] + 100 and m["hint"], m
    assert caption_inside(m)
    narrow = page.evaluate(
        """() => { const w = document.querySelector('table#prices').closest('.dftable-wrapper');
                   return [w.getBoundingClientRect().width, w.parentElement.clientWidth,
                           w.querySelector('.dftable-more').hidden]; }"""
    )
    assert narrow[0] <= narrow[1] + 1 and narrow[2]  # a narrow table stays in the text column
    one.shot("tabs")


@pytest.mark.parametrize("theme", ["alabaster", "furo", "sphinx_rtd_theme"])
def test_without_javascript_a_plain_complete_table(reader: Any, theme: str) -> None:
    one = reader(theme, javascript=False)
    page = one.open()
    plain = page.evaluate(
        """([selector, cost]) => {
            const table = document.querySelector(selector);
            const heads = [...table.tHead.rows[0].cells];
            const c = heads.findIndex(h => h.textContent.startsWith(cost));
            const rows = [...table.tBodies[0].rows];
            const scrollers = [];
            for (let node = table.parentElement; !node.matches('section, article, body');
                 node = node.parentElement) {
                if (getComputedStyle(node).overflowX !== 'visible') scrollers.push(node.className);
            }
            return {rows: rows.filter(r => r.offsetParent !== null).length,
                    cells: rows[0].cells.length,
                    buttons: table.querySelectorAll('button').length,
                    controls: document.querySelectorAll('.dftable-bar').length,
                    sorted: heads.filter(h => h.hasAttribute('aria-sort')).length,
                    align: getComputedStyle(rows[0].cells[c]).textAlign,
                    sticky: getComputedStyle(table.tHead).position, scrollers};
        }""",
        [WIDE, COST],
    )
    assert plain["rows"] == 200 and plain["cells"] == 21
    assert plain["buttons"] == plain["controls"] == plain["sorted"] == 0
    assert plain["align"] == "right" and plain["sticky"] == "sticky"
    assert len(plain["scrollers"]) == 1, plain["scrollers"]


@pytest.mark.parametrize("theme", THEMES)
def test_works_under_script_src_self(reader: Any, theme: str) -> None:
    one = reader(theme)
    page = one.open()
    response = page.request.get(f"{one.base}/index.html")
    assert response.headers["content-security-policy"] == CSP
    # The script ran (sort buttons, filters) although the policy allows no inline script.
    assert wrapper(page).locator("button.dftable-sort").count() == 21
    wrapper(page).locator("input.dftable-search").fill("qwen")
    assert status(page) != "Showing 200 of 200 rows."
    # Violations there are the themes' own inline scripts and handlers: none is ours.
    violations = page.evaluate("() => window.__violations")
    assert [v for v in violations if "dftable" in (v["file"] or "") or v["blocked"] == "eval"] == []
    ours = page.evaluate(
        """() => [...document.querySelectorAll('.dftable-wrapper, .dftable-wrapper *')]
            .filter(e => e.tagName === 'SCRIPT'
                || [...e.attributes].some(a => /^on/i.test(a.name) || a.name === 'style'
                    && e.closest('.dftable-bar')))
            .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert ours == []  # no script element, no inline handler in or around the tables
    script = page.request.get(f"{one.base}/_static/dftable.js").text()
    assert "eval(" not in script and "new Function" not in script and "innerHTML" not in script


def test_assets_only_on_pages_with_a_table(reader: Any) -> None:
    one = reader("furo")
    assets = (
        "() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')]"
        ".map(e => e.src || e.href)"
    )
    with_table = one.open("index.html").evaluate(assets)
    without = one.open("plain.html").evaluate(assets)
    assert any(a.endswith("dftable.js") for a in with_table)
    assert any(a.endswith("dftable.css") for a in with_table)
    assert not [a for a in without if "dftable" in a]
