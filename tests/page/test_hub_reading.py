"""The content script's reading of a hub page (extension/engine/hub.js), in a plain Chromium
page with the engine's own sources and no extension: the section's rows are read once they
show (rendered late), up to the next heading, each as its link and its first text; a heading
inside a row does not end the section; a page without the section sends nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tools.build import make

ENGINE_EXPORTS = {"engine/hub.js": ["readHub"]}
HUB = {"section": ["how linkedin uses your data"], "row": "a[href]"}

# The runtime the module sends with: a stand-in that keeps what is sent.
RUNTIME = """globalThis.sent = [];
globalThis.chrome = { runtime: { sendMessage: async (message) => { sent.push(message); } } };"""

# The hub as LinkedIn lays it out: a title, then each section's heading and its list of links
# (a name, then the value "On"), rendered `afterMs` after the reading starts.
READ_HUB = """
async ({ hub, afterMs, limitMs, rows, headingInRow }) => {
  const config = { timing: { limitMs } };
  const reading = readHub(hub, config, "/mypreferences/d/categories/privacy");
  const list = (items) => {
    const ul = document.createElement("ul");
    for (const [href, name] of items) {
      const a = Object.assign(document.createElement("a"), { href });
      const title = document.createElement(headingInRow ? "h3" : "span");
      title.textContent = name;
      a.append(title, Object.assign(document.createElement("span"), { textContent: "On" }));
      const item = document.createElement("li");
      item.append(a);
      ul.append(item);
    }
    return ul;
  };
  setTimeout(() => {
    const main = document.querySelector("main");
    const heading = (text) => Object.assign(document.createElement("h2"), { textContent: text });
    main.append(
      Object.assign(document.createElement("h1"), { textContent: "Data privacy" }),
      heading("  How LinkedIn uses  your data "),
      list(rows),
      heading("Advertising data"),
      list([["/mypreferences/d/settings/ads-by-age", "Ads by age"]]),
    );
  }, afterMs);
  const started = performance.now();
  while (sent.length === 0 && performance.now() - started < limitMs + 500) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  reading.abort();
  return sent;
}
"""

ROWS = [
    ["/mypreferences/d/settings/data-for-ai-improvement", "Data for Generative AI Improvement"],
    [
        "/mypreferences/d/settings/data-for-ai-personalization",
        "Data for AI-powered personalization",
    ],
]


@pytest.fixture
def engine_page(page: Page) -> Page:
    page.goto("https://www.linkedin.com/feed/")
    page.set_content("<!doctype html><html lang='en'><body><main></main></body></html>")
    page.add_script_tag(content=RUNTIME)
    page.add_script_tag(content=make.script_exposing(ENGINE_EXPORTS))
    return page


def expected(rows: list[list[str]]) -> list[dict]:
    return [{"href": f"https://www.linkedin.com{path}", "text": name} for path, name in rows]


@pytest.mark.parametrize("heading_in_row", [False, True])
def test_the_section_rows_are_read_once_they_show(engine_page: Page, heading_in_row: bool) -> None:
    arg = {
        "hub": HUB,
        "afterMs": 300,
        "limitMs": 5000,
        "rows": ROWS,
        "headingInRow": heading_in_row,
    }
    [message] = engine_page.evaluate(READ_HUB, arg)
    assert message["type"] == "hub"
    assert message["path"] == "/mypreferences/d/categories/privacy"
    assert message["rows"] == expected(ROWS), "the next section's rows are not in it"


def test_a_page_without_the_section_sends_nothing(engine_page: Page) -> None:
    hub = {**HUB, "section": ["wie linkedin ihre daten verwendet"]}
    arg = {"hub": hub, "afterMs": 0, "limitMs": 800, "rows": ROWS, "headingInRow": False}
    assert engine_page.evaluate(READ_HUB, arg) == []
