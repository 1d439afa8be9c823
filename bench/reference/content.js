// The polling reference for the benchmark (never shipped): what other tools do, after
// Brave's privacy settings component. Look for the switch once per second, six tries in all
// (the first at injection), click it if it reads on. No check after the click.
// Brave's component knows the AI setting's page only; for the benchmark's sweep of every
// setting the same polling knows each setting's page and switch, written out as such a tool
// would write them.
// It leaves one trace for the benchmark: a performance mark when it clicks or gives up.
(() => {
  "use strict";
  const labelled = (key) => `input[role="switch"][aria-labelledby="${key}"]`;
  // Under /mypreferences/d/.
  const SELECTORS = {
    "settings/data-for-ai-improvement": labelled("allowDataForGenerativeAI"),
    "settings/policy-and-academic-research": labelled("allowAnonymizedDataResearch"),
    "settings/share-data-with-select-partners": labelled("shareDataWithTrustedPartners"),
    "settings/linkedin-promotions": labelled("allowProfileAndActivityDataForMarketingAds"),
    "settings/ads-by-age": labelled("allowAdsByAge"),
    "settings/ads-by-gender": labelled("allowAdsByGender"),
    "settings/ads-beyond-linkedin": labelled("allowLinkedInAudienceNetwork"),
    "settings/ads-interactions-with-business": labelled("allowUseOfThirdPartyData"),
    "settings/ads-related-actions": labelled("allowConversionTrackings"),
    "settings/ads-inferred-location": labelled("allowIpToPersonalizeAds"),
    "interest-categories": labelled("adsPrivacyAllowInterestsAndBehaviors"),
    "member-cookies": 'input[role="switch"]#nonEssentialCookieConsent',
  };
  const SELECTOR = SELECTORS[location.pathname.replace("/mypreferences/d/", "")];
  if (!SELECTOR) return;
  const INTERVAL_MS = 1000;
  const TRIES = 6;

  function attempt(tries) {
    const element = document.querySelector(SELECTOR);
    if (element) {
      const on = element.checked;
      if (on) element.click();
      performance.mark("reference:done", { detail: { clicked: on } });
      return;
    }
    if (tries + 1 >= TRIES) {
      performance.mark("reference:gave-up", { detail: { tries: tries + 1 } });
      return;
    }
    setTimeout(() => attempt(tries + 1), INTERVAL_MS);
  }

  attempt(0);
})();
