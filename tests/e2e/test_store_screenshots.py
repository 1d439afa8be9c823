"""The stores' screenshots (1280x800), taken by the tests from the real extension in both
browsers over the fake LinkedIn page, into test-artifacts/screenshots/ (CI keeps that folder):

- store-<browser>-popup-<lang>-<theme>.png: the popup after "Opt out now" switched the setting
  off, drawn at the top right over the fake LinkedIn settings page it just switched off (as a
  toolbar popup opens over the page);
- store-<browser>-options-en-<theme>.png and store-<browser>-first-run-<lang>-<theme>.png: the
  page at a 1280x800 viewport.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from harness.fake_linkedin import SETTING_URL, FakeLinkedIn
from harness.session import Session, Tab, wait_for_history, wait_for_text

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SIZE = (1280, 800)
THEMES = ("light", "dark")
POPUP_MARGIN = 12  # from the canvas' right edge, as a toolbar popup sits under its button
OFF_TITLES = {
    "en": "Off: LinkedIn will not use your data to train its content-creating AI models",
    "de": (
        "Aus: LinkedIn verwendet Ihre Daten nicht, um seine KI-Modelle"
        " zur Erstellung von Inhalten zu trainieren"
    ),
}
SETTINGS_SHOWN = "() => document.querySelectorAll('.include').length > 1"


def store_path(browser: Session, what: str, language: str, theme: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"store-{browser.name}-{what}-{language}-{theme}.png"


def viewport_shot(tab: Tab, path: Path) -> None:
    tab.set_viewport(*SIZE)
    tab.screenshot_viewport(path)


def compose_popup(page_png: Path, popup_png: Path, out: Path) -> None:
    """The popup at the top right of the page, with a border and a soft shadow below it."""
    canvas = Image.open(page_png).convert("RGB")
    popup = Image.open(popup_png).convert("RGB")
    x, y = canvas.width - popup.width - POPUP_MARGIN, 0
    shadow = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shadow)
    for spread in range(8, 0, -1):
        box = (x - spread, y, x + popup.width + spread, y + popup.height + spread)
        draw.rectangle(box, fill=(0, 0, 0, 10))
    canvas = Image.alpha_composite(canvas.convert("RGBA"), shadow).convert("RGB")
    canvas.paste(popup, (x, y))
    ImageDraw.Draw(canvas).rectangle(
        (x - 1, y, x + popup.width, y + popup.height), outline=(120, 124, 130)
    )
    canvas.save(out)


def assert_store_size(path: Path) -> None:
    with Image.open(path) as image:
        assert image.size == SIZE, f"{path.name}: {image.size}"


def popup_after_opt_out_now(browser: Session, language: str, tmp_path: Path) -> list[Path]:
    popup = browser.open_popup()
    popup.bring_to_front()
    tab = browser.expect_new_tab(lambda: popup.click("#opt-out-now"))
    wait_for_text(popup, "#status-title", OFF_TITLES[language], timeout=20)
    tab.wait_closed()
    assert [entry["outcome"] for entry in wait_for_history(browser, 1)] == ["turned-off"]
    popups = {}
    for theme in THEMES:
        popup.set_color_scheme(theme)
        popups[theme] = tmp_path / f"popup-{theme}.png"
        popup.screenshot("main", popups[theme])
    page = browser.open(SETTING_URL)  # the page the run switched off, behind the popup
    assert page.wait_until("() => document.querySelector('[role=\"switch\"]') !== null")
    written = []
    for theme in THEMES:
        page.set_color_scheme(theme)
        behind = tmp_path / f"page-{theme}.png"
        viewport_shot(page, behind)
        assert_store_size(behind)
        out = store_path(browser, "popup", language, theme)
        compose_popup(behind, popups[theme], out)
        written.append(out)
    page.set_color_scheme("light")
    return written


def page_shots(browser: Session, tab: Tab, what: str, language: str) -> list[Path]:
    assert tab.wait_until(SETTINGS_SHOWN)
    written = []
    for theme in THEMES:
        tab.set_color_scheme(theme)
        out = store_path(browser, what, language, theme)
        viewport_shot(tab, out)
        written.append(out)
    tab.set_color_scheme("light")
    return written


def test_store_screenshots_english(
    browser: Session, linkedin: FakeLinkedIn, tmp_path: Path
) -> None:
    written = popup_after_opt_out_now(browser, "en", tmp_path)
    options = browser.open_extension_page("options/options.html")
    written += page_shots(browser, options, "options", "en")
    first_run = browser.open_extension_page("welcome/welcome.html")
    written += page_shots(browser, first_run, "first-run", "en")
    assert len(written) == 6
    for path in written:
        assert_store_size(path)


def test_store_screenshots_german(
    german_browser: Session, fake_linkedin: FakeLinkedIn, tmp_path: Path
) -> None:
    fake_linkedin.reset()
    assert german_browser.first_run is not None
    written = page_shots(german_browser, german_browser.first_run, "first-run", "de")
    written += popup_after_opt_out_now(german_browser, "de", tmp_path)
    assert len(written) == 4
    for path in written:
        assert_store_size(path)
