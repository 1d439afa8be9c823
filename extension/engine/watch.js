/* Event-driven waiting: one MutationObserver, one deadline, an abort signal. No polling. */

const OBSERVED_CHANGES = {
  subtree: true,
  childList: true,
  characterData: true,
  attributes: true,
  attributeFilter: [
    "role", "type", "id", "checked", "disabled", "hidden",
    "aria-checked", "aria-busy", "aria-disabled", "aria-labelledby", "aria-label", "for",
  ],
};

/**
 * Calls `check(wake)` now and after every batch of DOM changes, until it returns a value
 * other than undefined. `wake(ms)` asks for one more call after ms even if the DOM stays
 * quiet (for "has it held still long enough?"; state read from properties changes no DOM).
 * Resolves to { value } | { timedOut: true } | { aborted: true }; the observer and every
 * timer are gone when it resolves.
 */
function watchDom(check, { deadline, signal }) {
  return new Promise((resolve) => {
    let finished = false;
    let wakeTimer;
    const observer = new MutationObserver(() => evaluate());
    const deadlineTimer = setTimeout(
      () => finish({ timedOut: true }),
      Math.max(0, deadline - performance.now()),
    );
    const onAbort = () => finish({ aborted: true });

    function finish(outcome) {
      if (finished) return;
      finished = true;
      observer.disconnect();
      clearTimeout(deadlineTimer);
      clearTimeout(wakeTimer);
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    }

    function wake(ms) {
      clearTimeout(wakeTimer);
      wakeTimer = setTimeout(evaluate, ms);
    }

    function evaluate() {
      if (finished) return;
      const value = check(wake);
      if (value !== undefined) finish({ value });
    }

    if (signal.aborted) return finish({ aborted: true });
    signal.addEventListener("abort", onAbort);
    observer.observe(document, OBSERVED_CHANGES);
    evaluate();
  });
}
