/* A switch found by anything weaker than the setting's own key or label acts only when its text
   reads in the setting's sense; one element answers to one rule per page. Texts and negation
   words are the shipped rule data's, as the background sends them with the visit answer. */

import assert from "node:assert/strict";
import { test } from "node:test";

import "./browser.js";
import "../../extension/background/main.js";
import { fromTab, send } from "./background-messages.js";
import { senseOf } from "../../extension/lib/sense.js";
import { normalizeText } from "../../extension/lib/text.js";

const AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement";
const CONTENT_SCRIPT = fromTab(7);

/** The AI setting's rule as a content script on its page is sent it. */
async function aiRule() {
  const answer = await send({ type: "visit", path: AI_PAGE }, CONTENT_SCRIPT);
  return answer.rules.find((rule) => rule.id === "ai-training");
}

const read = (rule, ...texts) => senseOf(texts.map(normalizeText), rule.sense);

// The setting's switch reworded to its opposite (on = opted out), in the 8 languages.
const INVERTED = {
  en: "Don't use my data to train content creation AI models",
  de: "Meine Daten nicht zum Trainieren von KI-Modellen für die Erstellung von Inhalten verwenden",
  fr: "Ne pas utiliser mes données pour entraîner des modèles d'IA de création de contenu",
  es: "No usar mis datos para entrenar modelos de IA de creación de contenido",
  "pt-BR": "Não usar meus dados para treinar modelos de IA para criar conteúdos",
  it: "Non usare i miei dati per addestrare modelli di IA per la creazione di contenuti",
  nl: "Mijn gegevens niet gebruiken voor training van AI-modellen waarmee content wordt gemaakt",
  ja: "コンテンツ作成AIモデルのトレーニングにデータを使用しない",
};
// The same switch reworded in the same sense, as a redesign words it.
const REWORDED = {
  en: "Allow use of my data for training AI that generates content",
  de: "Nutzung meiner Daten für das Training von KI erlauben, die Inhalte generiert",
  fr: "Autoriser l'utilisation de mes données pour entraîner l'IA qui génère du contenu",
  ja: "コンテンツを生成するAIのトレーニングへのデータの使用を許可する",
};

test("a switch reworded to the opposite sense reads negated, in every language", async () => {
  const rule = await aiRule();
  for (const [lang, text] of Object.entries(INVERTED))
    assert.equal(read(rule, text), "negated", lang);
  // A negation in the row's text counts as much as one in the name.
  assert.equal(
    read(rule, REWORDED.en, "Stop LinkedIn from using my data. Allow use of my data"),
    "negated",
  );
  assert.equal(read(rule, "Opt out of training content creation AI models"), "negated");
});

test("a switch reworded in the same sense reads the same; an unrelated one does not", async () => {
  const rule = await aiRule();
  for (const [lang, text] of Object.entries(REWORDED)) assert.equal(read(rule, text), "same", lang);
  for (const step of rule.switch.filter((step) => step.text))
    assert.equal(read(rule, step.text), "same", step.lang);
  assert.equal(read(rule, "Show my profile photo to members outside my network"), "unrelated");
  assert.equal(read(rule, "", ""), "unrelated");
});

test("a negation word the setting's own texts hold is no negation there", async () => {
  const answer = await send(
    { type: "visit", path: "/mypreferences/d/member-cookies" },
    CONTENT_SCRIPT,
  );
  const [cookies] = answer.rules;
  assert.equal(read(cookies, "Allow non-essential cookies"), "same");
  assert.equal(read(cookies, "Don't allow non-essential cookies"), "negated");
});
