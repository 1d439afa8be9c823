"""No text claims more than LinkedIn's switch does (linkedin-facts.md, "What the switch does not
cover"): it stops future training of content-creating AI models only. Every message that
describes the AI-training setting off says exactly that, in all 8 languages; no message, store
text or README says more ("may not train AI on your data"); and the objection text names what
is objected to, under Article 21 GDPR where it applies and neutrally otherwise."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "extension" / "_locales"
LANGUAGES = ("en", "de", "fr", "es", "pt_BR", "it", "nl", "ja")

# The messages that describe the AI-training setting off: the popup's and first-run page's
# title, the toolbar tooltip, the options page's line, the copied record's line.
OFF_STATE_KEYS = ("stateOffTitle", "badgeOff", "aiTrainingOffCovers", "recordCovers")

# What the switch covers, as each language says it.
COVERS = {
    "en": "LinkedIn will not use your data to train its content-creating AI models",
    "de": "Ihre Daten nicht, um seine KI-Modelle zur Erstellung von Inhalten zu trainieren",
    "fr": "n’utilisera pas vos données pour entraîner ses modèles d’IA qui créent du contenu",
    "es": "no usará tus datos para entrenar sus modelos de IA que crean contenido",
    "pt_BR": "não usará seus dados para treinar seus modelos de IA que criam conteúdo",
    "it": "non userà i tuoi dati per addestrare i suoi modelli di IA che creano contenuti",
    "nl": "je gegevens niet om zijn AI-modellen die content maken te trainen",
    "ja": "コンテンツを作成するAIモデルのトレーニングに使用しません",
}

# Claims wider than the switch: the texts this project used to show, and the usual ways of
# saying "no AI training at all". Matched case-insensitively, apostrophes unified.
OVERCLAIMS = {
    "en": [
        r"may not train AI",
        r"not train AI on your data",
        r"(won't|will not|cannot|can't|doesn't|does not|no longer) (use|uses) your data for AI\b",
        r"(won't|will not|cannot|can't|doesn't|does not) train (any )?AI on",
        r"AI training: off",
        r"your data is (now )?out of (LinkedIn's )?AI training",
    ],
    "de": [r"darf Ihre Daten nicht zum Trainieren von KI verwenden", r"KI-Training: aus"],
    "fr": [
        r"ne peut pas utiliser vos données pour entraîner l'IA",
        r"Entraînement de l'IA par LinkedIn : désactivé",
    ],
    "es": [
        r"no puede usar tus datos para entrenar IA",
        r"Entrenamiento de IA de LinkedIn: desactivado",
    ],
    "pt_BR": [
        r"não pode usar seus dados para treinar IA",
        r"Treinamento de IA do LinkedIn: desativado",
    ],
    "it": [
        r"non può usare i tuoi dati per addestrare l'IA",
        r"Addestramento IA di LinkedIn: disattivato",
    ],
    "nl": [r"mag je gegevens niet gebruiken om AI te trainen", r"AI-training door LinkedIn: uit\b"],
    "ja": [r"あなたのデータをAIの学習に使用できません", r"LinkedInのAI学習：オフ（"],
}

# What the objection names, in each language: the law where it applies, models that do not
# create content, data already used.
OBJECTION_NAMES = {
    "en": ("Article 21 GDPR where it applies to me", "do not create content", "already used"),
    "de": ("Art. 21 DSGVO, soweit sie für mich gilt", "keine Inhalte erstellen", "bereits"),
    "fr": (
        "article 21 du RGPD lorsqu’il s’applique à moi",
        "ne créent pas de contenu",
        "déjà utilisés",
    ),
    "es": ("artículo 21 del RGPD cuando me sea aplicable", "no crean contenido", "ya utilizados"),
    "pt_BR": ("artigo 21 do RGPD, quando se aplicar a mim", "não criam conteúdo", "já usados"),
    "it": ("articolo 21 del GDPR, ove applicabile", "non creano contenuti", "già utilizzati"),
    "nl": (
        "artikel 21 AVG, voor zover die op mij van toepassing is",
        "geen content maken",
        "al voor zulke training",
    ),
    "ja": ("GDPR第21条が私に適用される場合", "コンテンツを作成しないモデル", "すでに"),
}

FORM_PATH = "/help/linkedin/ask/TS-DPRO"


def messages(language: str) -> dict[str, str]:
    data = json.loads((LOCALES / language / "messages.json").read_text(encoding="utf-8"))
    return {key: entry["message"] for key, entry in data.items()}


def unified(text: str) -> str:
    return text.replace("’", "'").replace("\u00a0", " ")


def shown_texts() -> dict[str, str]:
    """Every text members or store visitors read, by where it is."""
    texts = {
        f"{language}/messages.json: {key}": text
        for language in LANGUAGES
        for key, text in messages(language).items()
    }
    for path in sorted((ROOT / "store").rglob("*.toml")):
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for name in ("README.md", "PRIVACY.md"):
        texts[name] = (ROOT / name).read_text(encoding="utf-8")
    return texts


def overclaims(text: str) -> list[str]:
    return [
        pattern
        for patterns in OVERCLAIMS.values()
        for pattern in patterns
        if re.search(unified(pattern), unified(text), re.IGNORECASE)
    ]


def test_every_language_is_covered() -> None:
    assert sorted(path.name for path in LOCALES.iterdir()) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_off_state_message_says_what_the_switch_covers(language: str) -> None:
    shown = messages(language)
    for key in OFF_STATE_KEYS:
        assert COVERS[language] in shown[key], f"{language}: {key}: {shown[key]!r}"


def test_no_text_claims_more_than_the_switch() -> None:
    found = {where: claims for where, text in shown_texts().items() if (claims := overclaims(text))}
    assert found == {}


def test_the_overclaims_check_catches_the_old_texts() -> None:
    """The old off titles and tooltips, put back, are each caught."""
    old = {
        "en": [
            "Off: LinkedIn may not train AI on your data",
            "LinkedIn AI training: off (verified)",
        ],
        "de": [
            "Aus: LinkedIn darf Ihre Daten nicht zum Trainieren von KI verwenden",
            "LinkedIn-KI-Training: aus (bestätigt)",
        ],
        "fr": [
            "Désactivé : LinkedIn ne peut pas utiliser vos données pour entraîner l’IA",
            "Entraînement de l’IA par LinkedIn : désactivé (confirmé)",
        ],
        "es": [
            "Desactivado: LinkedIn no puede usar tus datos para entrenar IA",
            "Entrenamiento de IA de LinkedIn: desactivado (confirmado)",
        ],
        "pt_BR": [
            "Desativado: o LinkedIn não pode usar seus dados para treinar IA",
            "Treinamento de IA do LinkedIn: desativado (confirmado)",
        ],
        "it": [
            "Disattivata: LinkedIn non può usare i tuoi dati per addestrare l’IA",
            "Addestramento IA di LinkedIn: disattivato (verificato)",
        ],
        "nl": [
            "Uit: LinkedIn mag je gegevens niet gebruiken om AI te trainen",
            "AI-training door LinkedIn: uit (bevestigd)",
        ],
        "ja": [
            "オフ：LinkedInはあなたのデータをAIの学習に使用できません",
            "LinkedInのAI学習：オフ（確認済み）",
        ],
    }
    for language, texts in old.items():
        for text in texts:
            assert overclaims(text), f"{language}: {text!r} is not caught"
            assert COVERS[language] not in text


def test_the_readme_says_what_the_switch_covers_and_links_the_form() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    flat = " ".join(readme.split())
    assert f"Off: {COVERS['en']}" in flat
    assert f"https://www.linkedin.com{FORM_PATH}" in flat


def test_other_settings_off_title_says_only_off() -> None:
    for language in LANGUAGES:
        shown = messages(language)
        assert shown["stateOffTitle"].startswith(shown["stateOffTitleOther"]), language
        assert len(shown["stateOffTitleOther"]) <= 12, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_objection_names_what_is_objected_to(language: str) -> None:
    text = messages(language)["objectionText"]
    for words in OBJECTION_NAMES[language]:
        assert words in text, f"{language}: {words!r}"
    # Nothing personal: the member's name, e-mail or account is not in it (the one line left to
    # fill in is the member's grounds, tests/build/test_promises.py).
    assert not re.search(r"[@$<>\[\]{}]|https?:", text), text
    assert len(text) < 900


def test_the_objection_form_is_rule_data() -> None:
    rules = json.loads((ROOT / "extension" / "rules" / "linkedin.json").read_text(encoding="utf-8"))
    forms = {rule["id"]: rule.get("objectionForm") for rule in rules["rules"]}
    assert forms["ai-training"] == FORM_PATH
    assert [rule for rule, form in forms.items() if form and rule != "ai-training"] == []
