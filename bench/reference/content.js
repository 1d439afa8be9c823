// The polling reference for the benchmark (never shipped): what other tools do, after
// Brave's privacy settings component. Look for the switch once per second, six tries in all
// (the first at injection), click it if it reads on. No check after the click.
// It leaves one trace for the benchmark: a performance mark when it clicks or gives up.
(() => {
  "use strict";
  const SELECTOR = 'input[role="switch"][aria-labelledby="allowDataForGenerativeAI"]';
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
