"""What a reader sees: the docs site in headless Chromium (tabs, sorting, scrolling, CSV)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from required_tools import require

from sphinx_dftable.snippet.names import cost_per_million

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BUILD = ROOT / "docs" / "_build" / "browser"  # screenshots land here, beside the site
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site() -> Path:
    """The real docs, built from data/ as `make docs` builds them."""
    outdir = BUILD / "html"
    shutil.rmtree(BUILD, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(ROOT / "docs"),
            str(outdir),
        ],
        check=True,
    )
    return outdir


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []  # no JavaScript errors on any page


def visible_table_rows(page: Any) -> int:
    return int(
        page.evaluate(
            """() => {
                const tables = [...document.querySelectorAll('table.dftable')]
                    .filter(t => t.offsetParent !== null);
                if (tables.length !== 1) return -tables.length;
                return tables[0].tBodies[0].rows.length;
            }"""
        )
    )


def test_each_tab_shows_its_table(page: Any, server: str) -> None:
    decoder = pd.read_csv(DATA / "decoder_llama31_8b_inf2_48xlarge.csv")
    guidellm = pd.read_csv(DATA / "guidellm_llama31_8b_inf2_48xlarge.csv")
    fmbench = pd.read_csv(DATA / "fmbench_llama2_13b.csv")
    expected = {
        "inf2/llm.html": {
            "Throughput optimized": int((decoder["Application Type"] == "Batch").sum()),
            "Latency optimized": int((decoder["Application Type"] == "Real Time").sum()),
        },
        "inf2/serving.html": {
            "Synchronous": int((guidellm["Mode"] == "synchronous").sum()),
            "Constant rate": int((guidellm["Mode"] == "constant@0.85").sum()),
            "Throughput": int((guidellm["Mode"] == "throughput").sum()),
        },
        "inf2/price-performance.html": {
            label: int(((fmbench["Dataset"] == dataset) & (fmbench["Concurrency"] == 4)).sum())
            for label, dataset in [
                ("1-500 tokens", "en_1-500"),
                ("500-1000", "en_500-1000"),
                ("1000-2000", "en_1000-2000"),
                ("2000-3000", "en_2000-3000"),
                ("3000-4000", "en_3000-4000"),
            ]
        },
    }
    for path, tabs in expected.items():
        page.goto(f"{server}/{path}")
        for label, rows in tabs.items():
            assert rows > 0
            page.locator("label.sd-tab-label", has_text=label).first.click()
            # only the selected tab's table is visible; serving.html also shows llmperf's
            counted = page.evaluate(
                """(label) => {
                    const tab = [...document.querySelectorAll('label.sd-tab-label')]
                        .find(l => l.textContent.trim() === label);
                    const content = tab.nextElementSibling;
                    if (content.offsetParent === null) return -1;
                    return content.querySelector('table.dftable').tBodies[0].rows.length;
                }""",
                label,
            )
            assert counted == rows, (path, label)
    page.screenshot(path=str(BUILD / "inf2-price-performance.png"), full_page=True)


def column_values(page: Any, table: str, column: str) -> list[str]:
    return list(
        page.evaluate(
            """([selector, column]) => {
                const table = document.querySelector(selector);
                const heads = [...table.tHead.rows[table.tHead.rows.length - 1].cells];
                const index = heads.findIndex(h => h.textContent.trim().startsWith(column));
                return [...table.tBodies[0].rows].map(r => r.cells[index].textContent.trim());
            }""",
            [table, column],
        )
    )


def test_sorting_a_cost_column_both_ways(page: Any, server: str) -> None:
    results = pd.read_csv(DATA / "llmperf_llama3_8b_inf2_xlarge.csv")
    prices = pd.read_csv(DATA / "inf2_instance_prices.csv").set_index("Inst. Type")
    rate = prices.loc["Inf2.xlarge", "On-Demand hourly rate"]
    costs = cost_per_million(rate, results["Output Throughput (tokens/second)"])
    shown = [f"${value:,.3f}" for value in costs]
    page.goto(f"{server}/inf2/serving.html")
    table = "table#llmperf-sweep"
    header = page.locator(f"{table} thead th", has_text="Cost per 1M tokens (USD)")
    assert column_values(page, table, "Cost per 1M tokens") == shown  # page order
    header.click()
    ascending = column_values(page, table, "Cost per 1M tokens")
    assert ascending == [f"${value:,.3f}" for value in sorted(costs)]
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert column_values(page, table, "Cost per 1M tokens") == ascending[::-1]
    assert header.get_attribute("aria-sort") == "descending"
    # a numeric column sorts as numbers, not as text ("1001.0" < "7503.0" < "1419.0"?)
    page.locator(f"{table} thead th", has_text="TTFT P50 (ms)").click()
    ttft = [float(v) for v in column_values(page, table, "TTFT P50")]
    assert ttft == sorted(ttft)
    page.screenshot(path=str(BUILD / "inf2-serving-sorted.png"), full_page=True)


def test_wide_tables_scroll_in_their_box_not_the_page(page: Any, server: str) -> None:
    page.set_viewport_size({"width": 700, "height": 800})
    page.goto(f"{server}/inf2/llm.html")
    sizes = page.evaluate(
        """() => {
            const box = [...document.querySelectorAll('.dftable-scroll')]
                .find(b => b.offsetParent !== null);
            const head = box.querySelector('thead');
            return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                    boxScroll: box.scrollWidth, boxClient: box.clientWidth,
                    sticky: getComputedStyle(head).position};
        }"""
    )
    assert sizes["page"] <= sizes["view"]  # the page never scrolls sideways
    assert sizes["boxScroll"] > sizes["boxClient"]  # the table scrolls inside its box
    assert sizes["sticky"] == "sticky"  # the header row stays in view


def test_without_javascript_it_is_a_plain_table(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/inf2/serving.html")
    header = page.locator("table#llmperf-sweep thead th").first
    assert header.get_attribute("aria-sort") is None
    assert page.locator("table#llmperf-sweep tbody tr").count() == 5
    context.close()


def test_csv_download_holds_the_table_data(page: Any, server: str) -> None:
    page.goto(f"{server}/inf2/serving.html")
    link = page.locator("p.dftable-download a").first
    assert link.get_attribute("download") == "llmperf_llama3_8b_inf2_xlarge.csv"
    response = page.request.get(f"{server}/inf2/{link.get_attribute('href')}")
    assert response.ok
    lines = response.text().splitlines()
    assert lines[0].startswith("Concurrency,")
    assert len(lines) == 6


CHART_PAGES = {"inf2/serving.html": 2, "inf2/price-performance.html": 2, "charts.html": 4}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_chart_is_an_image_that_loads(page: Any, server: str, color_scheme: str) -> None:
    page.emulate_media(color_scheme=color_scheme)
    for path, expected in CHART_PAGES.items():
        failed: list[str] = []
        page.on("requestfailed", lambda request, failed=failed: failed.append(request.url))
        page.goto(f"{server}/{path}", wait_until="load")
        charts = page.evaluate(
            """async () => {
                const images = [...document.querySelectorAll('figure img.dftable-chart')];
                await Promise.all(images.map(img => img.decode()));
                return images.map(img => ({
                    src: img.currentSrc, alt: img.alt, complete: img.complete,
                    natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
                    column: img.closest('figure').parentElement.getBoundingClientRect().width,
                }));
            }"""
        )
        assert len(charts) == expected, path
        for chart in charts:
            assert chart["src"].endswith(".svg")
            assert chart["complete"] and chart["natural"] > 0, chart
            assert 0 < chart["shown"] <= chart["column"] + 0.5  # shrinks to the column
            assert chart["alt"].endswith(".")  # the generated one-line description
        assert failed == []
    # On a phone-sized screen the drawing shrinks; the page never scrolls sideways.
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(f"{server}/inf2/serving.html")
    sizes = page.evaluate(
        """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                 ...[...document.querySelectorAll('img.dftable-chart')]
                    .map(img => img.getBoundingClientRect().width)]"""
    )
    assert sizes[0] <= sizes[1]
    assert all(0 < width < 420 for width in sizes[2:])
    # The drawing is an opaque white card, readable on the dark theme too.
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(f"{server}/inf2/serving.html")
    chart = page.locator("img.dftable-chart").first
    chart.scroll_into_view_if_needed()
    shot = BUILD / f"inf2-serving-chart-{color_scheme}.png"
    chart.screenshot(path=str(shot))
    from PIL import Image

    with Image.open(shot) as image:
        corner = image.convert("RGB").getpixel((3, image.height // 2))
    assert min(corner) >= 245, corner  # white, whatever the page's theme


#: The rendered size of each chart's text, measured on an inline copy of the drawing the
#: browser chose: for each tick label (matplotlib names each text in a comment), the height
#: of its digits, which in DejaVu Sans are 0.729 em tall, and the font size the drawing's
#: scale gives its 10 pt tick labels.
CHART_TEXT = """async () => {
    const found = [];
    for (const img of document.querySelectorAll('figure img.dftable-chart')) {
        await img.decode();
        const box = document.createElement('div');
        box.style.width = img.getBoundingClientRect().width + 'px';
        box.innerHTML = await (await fetch(img.currentSrc)).text();
        const svg = box.querySelector('svg');
        svg.setAttribute('width', '100%');
        svg.removeAttribute('height');
        document.body.appendChild(box);
        const walker = document.createTreeWalker(svg, NodeFilter.SHOW_COMMENT);
        const heights = [];
        while (walker.nextNode()) {
            if (/^ [0-9][0-9,.]* $/.test(walker.currentNode.data)) {
                heights.push(walker.currentNode.parentNode.getBoundingClientRect().height);
            }
        }
        found.push({
            src: img.currentSrc,
            scaled: 10 * 96 / 72 * img.getBoundingClientRect().width / img.naturalWidth,
            labels: heights.length,
            digits: Math.min(...heights) / 0.729,
            titles: svg.querySelectorAll('title').length,
        });
        box.remove();
    }
    return found;
}"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_chart_text_is_legible_on_any_screen(browser: Any, server: str, color_scheme: str) -> None:
    for width in (420, 640, 700, 1000):
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.emulate_media(color_scheme=color_scheme)
        tab.goto(f"{server}/inf2/serving.html", wait_until="load")
        charts = tab.evaluate(CHART_TEXT)
        print(width, color_scheme, charts)
        assert len(charts) == 2
        for chart in charts:
            # a phone gets the narrow drawing; a wider screen the wide one
            assert chart["src"].endswith("-narrow.svg") == (width <= 640), (width, chart)
            assert chart["labels"] >= 5, chart  # tick labels found and measured
            assert chart["scaled"] >= 11, (width, chart)
            assert chart["digits"] >= 11 * 0.97, (width, chart)  # glyph outlines round a little
            assert chart["titles"] >= 5  # a title per point
        chart = tab.locator("figure img.dftable-chart").first
        chart.scroll_into_view_if_needed()
        if width in (420, 1000):
            tab.screenshot(path=str(BUILD / f"inf2-serving-{width}px-{color_scheme}.png"))
        context.close()


def test_chart_values_are_on_hover_and_in_a_table(page: Any, server: str) -> None:
    page.goto(f"{server}/inf2/serving.html")
    results = pd.read_csv(DATA / "llmperf_llama3_8b_inf2_xlarge.csv")
    summary = page.locator("details.dftable-chart-data summary").first
    table = page.locator("details.dftable-chart-data table").first
    assert not table.is_visible()  # closed until asked for
    summary.click()
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 2 * len(results)  # throughput and TTFT for each concurrency
    first = [c.strip() for c in rows.first.locator("td").all_inner_texts()]
    assert first == ["1", "Output Throughput (tokens/second)", "16.23"]
    page.screenshot(path=str(BUILD / "inf2-serving-chart-data.png"), full_page=True)
