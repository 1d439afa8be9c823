"""Promises the texts keep (issue 24, "Honest promises elsewhere"), in all 8 languages:

- The objection text has a line for the member's grounds, "relating to my particular
  situation" as Article 21(1) GDPR asks, left for the member to complete, and names what
  LinkedIn's 2026 notices leave outside the switch (../shared/linkedin-facts.md): training of
  Microsoft's models with the member's content, the Hiring Assistant and safety and security
  models, messages in groups. The text under a setting shown off says what the switch does not
  cover.
- "Keeps it off" only together with the re-check: a visit or "Opt out now" switches the setting
  off once; only "Check my settings again" (every week or month) checks it again. The build
  refuses a message, a listing line or a store form text that promises to keep it off without
  naming the re-check, in every language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.build.helpers import listing_copy, listing_problem, set_message
from tools.build import listing

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "extension" / "_locales"
LANGUAGES = ("en", "de", "es", "fr", "it", "ja", "nl", "pt_BR")


def messages(language: str, root: Path = ROOT) -> dict[str, str]:
    path = root / "extension" / "_locales" / language / "messages.json"
    return {key: entry["message"] for key, entry in json.loads(path.read_text("utf-8")).items()}


# ---------------------------------------------------------------- the objection

# The line the member completes, as each language's text of Article 21(1) GDPR words the
# grounds ("on grounds relating to his or her particular situation").
GROUNDS = {
    "en": "My grounds, relating to my particular situation: …",
    "de": "Meine Gründe, die sich aus meiner besonderen Situation ergeben: …",
    "es": "Mis motivos, relacionados con mi situación particular: …",
    "fr": "Mes raisons, tenant à ma situation particulière : …",
    "it": "I miei motivi, connessi alla mia situazione particolare: …",
    "ja": "私の特別な状況に関連する理由：…",
    "nl": "Mijn redenen, die verband houden met mijn specifieke situatie: …",
    "pt_BR": "Meus motivos, relacionados à minha situação particular: …",
}

# What the objection names beyond the switch: Microsoft's training, the Hiring Assistant,
# safety and security models, messages in groups.
BEYOND_THE_SWITCH = {
    "en": ("Microsoft", "Hiring Assistant", "safety and security", "my messages in groups"),
    "de": ("Microsoft", "Hiring Assistant", "Sicherheit und Schutz", "Nachrichten in Gruppen"),
    "es": ("Microsoft", "Hiring Assistant", "protección y seguridad", "mis mensajes en grupos"),
    "fr": (
        "Microsoft",
        "Hiring Assistant",
        "sûreté et de sécurité",
        "mes messages dans les groupes",
    ),
    "it": ("Microsoft", "Hiring Assistant", "per la sicurezza", "miei messaggi nei gruppi"),
    "ja": ("Microsoft", "Hiring Assistant", "安全・セキュリティ", "グループでの私のメッセージ"),
    "nl": (
        "Microsoft",
        "Hiring Assistant",
        "veiligheid en beveiliging",
        "mijn berichten in groepen",
    ),
    "pt_BR": (
        "Microsoft",
        "Hiring Assistant",
        "proteção e segurança",
        "minhas mensagens em grupos",
    ),
}

# Under a setting shown off: what the switch does not cover (data already used, models that do
# not create content, such as the Hiring Assistant's).
NOT_COVERED = {
    "en": ("does not cover data already used", "do not create content", "Hiring Assistant"),
    "de": ("gilt nicht für bereits genutzte Daten", "keine Inhalte erstellen", "Hiring Assistant"),
    "es": ("no cubre los datos ya usados", "no crean contenido", "Hiring Assistant"),
    "fr": (
        "ne couvre ni les données déjà utilisées",
        "ne créent pas de contenu",
        "Hiring Assistant",
    ),
    "it": ("non copre i dati già usati", "non creano contenuti", "Hiring Assistant"),
    "ja": (
        "すでに使われたデータ",
        "コンテンツを作成しないAIモデルには及びません",
        "Hiring Assistant",
    ),
    "nl": (
        "geldt niet voor gegevens die al zijn gebruikt",
        "geen content maken",
        "Hiring Assistant",
    ),
    "pt_BR": ("não cobre dados já usados", "não criam conteúdo", "Hiring Assistant"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_objection_has_a_line_for_the_members_grounds(language: str) -> None:
    paragraphs = messages(language)["objectionText"].split("\n\n")
    assert GROUNDS[language] in paragraphs, paragraphs
    # Part of the objection, before the request to stop and the thanks.
    assert 1 < paragraphs.index(GROUNDS[language]) < len(paragraphs) - 2, paragraphs


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_objection_names_what_the_switch_leaves_out(language: str) -> None:
    text = messages(language)["objectionText"]
    for words in BEYOND_THE_SWITCH[language]:
        assert words in text, f"{language}: {words!r} not in {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_text_under_a_setting_shown_off_says_what_it_does_not_cover(language: str) -> None:
    text = messages(language)["aiTrainingOffCovers"]
    for words in NOT_COVERED[language]:
        assert words in text, f"{language}: {words!r} not in {text!r}"


# ---------------------------------------------------------------- "keeps it off"

# The texts that promised it before, each in its place: (message key or None for a line of
# the store listing, the old text).
OLD_PROMISES = {
    "en": [
        (
            "extDescription",
            "Switches off LinkedIn's “Data for Generative AI Improvement” setting and keeps it"
            " off. Nothing leaves your browser.",
        ),
        (None, "This extension switches it off for you and keeps it off."),
    ],
    "de": [
        (
            "extDescription",
            "Schaltet die LinkedIn-Einstellung „Daten zur Verbesserung generativer KI“ dauerhaft"
            " aus. Nichts verlässt Ihren Browser.",
        ),
        (None, "Diese Erweiterung schaltet sie für Sie aus und hält sie aus."),
    ],
    "es": [
        (
            "extDescription",
            "Desactiva el ajuste «Datos para la mejora de la IA generativa» de LinkedIn y lo"
            " mantiene desactivado. Nada sale de tu navegador.",
        ),
        (None, "Esta extensión lo desactiva por ti y lo mantiene desactivado."),
    ],
    "fr": [
        (
            "extDescription",
            "Désactive durablement le paramètre LinkedIn «\u202fDonnées pour l’amélioration de"
            " l’IA générative\u202f». Rien ne quitte votre navigateur.",
        ),
        (None, "Cette extension le désactive pour vous et le garde désactivé."),
    ],
    "it": [
        (
            "extDescription",
            "Disattiva l’impostazione «Dati per migliorare l’IA generativa» di LinkedIn e la"
            " mantiene disattivata. Nulla esce dal tuo browser.",
        ),
        (None, "Questa estensione la disattiva per te e la mantiene disattivata."),
    ],
    "ja": [
        (
            "extDescription",
            "LinkedInの「生成AI改善のためのデータ」設定をオフにし、オフのまま保ちます。"
            "データがブラウザの外に送信されることはありません。",
        ),
        (None, "この拡張機能はこの設定をオフにし、オフのまま保ちます。"),
    ],
    "nl": [
        (
            "extDescription",
            "Schakelt de LinkedIn-instelling “Gegevens voor verbetering van generatieve AI” uit"
            " en houdt die uit. Niets verlaat je browser.",
        ),
        (None, "Deze extensie zet hem voor je uit en houdt hem uit."),
    ],
    "pt_BR": [
        (
            "extDescription",
            "Desativa a configuração “Dados para aprimoramento da IA generativa” do LinkedIn e a"
            " mantém desativada. Nada sai do seu navegador.",
        ),
        (None, "Esta extensão a desativa para você e a mantém desativada."),
    ],
}
OLD_SINGLE_PURPOSE = (
    'Switches off LinkedIn\'s "Data for Generative AI Improvement" setting, and the other'
    " LinkedIn data-use settings the member chooses, on LinkedIn's own settings pages, and keeps"
    " them off."
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of what the listing check reads, as the current folder."""
    return listing_copy(tmp_path, monkeypatch)


problem = listing_problem


def add_listing_line(root: Path, language: str, line: str) -> None:
    """`line` as a paragraph of the listing's description, after its first."""
    file = root / "store" / "listing" / f"{language}.toml"
    text = file.read_text(encoding="utf-8")
    first_line_end = text.index("\n", text.index('description = """\n') + 18)
    file.write_text(f"{text[: first_line_end + 1]}{line}\n{text[first_line_end + 1 :]}", "utf-8")


def test_the_shipped_texts_promise_nothing_without_the_recheck() -> None:
    listing.check(ROOT)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unconditional_keeps_it_off_in_the_package_fails(root: Path, language: str) -> None:
    [(key, old)] = [(key, text) for key, text in OLD_PROMISES[language] if key]
    set_message(root, language, key, old)
    recheck = messages(language)["recheckLegend"]
    assert re.fullmatch(
        rf"extension/_locales/{language}/messages\.json: {key}: promises to keep the setting "
        rf"off \(“[^”]+”\) without naming the re-check that does it \(“{re.escape(recheck)}”\)",
        problem(root),
    ), problem(root)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unconditional_keeps_it_off_in_the_listing_fails(root: Path, language: str) -> None:
    [old] = [text for key, text in OLD_PROMISES[language] if key is None]
    add_listing_line(root, language, old)
    assert problem(root).startswith(
        f"store/listing/{language}.toml: description: promises to keep the setting off (“"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_that_keeps_it_off_names_the_recheck(language: str) -> None:
    """The promise is still made, where the re-check is named with it: in the listing's intro,
    shown on the first-run page too."""
    shown = messages(language)
    recheck = shown["recheckLegend"]
    promising = [
        key
        for key, text in shown.items()
        if any(re.search(pattern, text, re.IGNORECASE) for pattern in listing.KEEPS_OFF[language])
    ]
    assert promising == ["listingIntro"], promising
    assert recheck in shown["listingIntro"]
    for key, text in OLD_PROMISES[language]:
        assert listing.keeps_off_promise(text, language, recheck), (language, key, text)
    assert shown["extDescription"] != OLD_PROMISES[language][0][1]


def test_a_store_form_that_keeps_them_off_unconditionally_fails(root: Path) -> None:
    form = root / "store" / "chrome-web-store.toml"
    text = form.read_text(encoding="utf-8")
    current = re.search(r'(?s)single_purpose = """\n(.*?)\n"""', text).group(1)
    form.write_text(text.replace(current, OLD_SINGLE_PURPOSE), encoding="utf-8")
    assert problem(root) == (
        "store/chrome-web-store.toml: single_purpose: promises to keep the setting off (“keeps"
        " them off”) without naming the re-check that does it (“Check my settings again”)"
    )


def test_the_readme_and_privacy_policy_keep_it_off_only_with_the_recheck() -> None:
    recheck = messages("en")["recheckLegend"]
    for name in ("README.md", "PRIVACY.md"):
        for paragraph in (ROOT / name).read_text(encoding="utf-8").split("\n\n"):
            flat = " ".join(paragraph.replace("*", "").split())
            assert listing.keeps_off_promise(flat, "en", recheck) is None, (name, flat)
