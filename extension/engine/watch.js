/* Event-driven waiting: one MutationObserver, one deadline, an abort signal. No polling. */

import { STEP_KINDS, SWITCH_ATTRIBUTES } from "./switches.js";

// Changes that can make an element the switch, name it, or change what it reads: the switch
// attributes and those each step kind reads (from its table, so a new kind is watched by
// construction). Text is not among them: text changes are watched only inside the nodes a
// check names (labels).
const OBSERVED_CHANGES = {
  subtree: true,
  childList: true,
  attributes: true,
  attributeFilter: [
    ...SWITCH_ATTRIBUTES,
    ...Object.values(STEP_KINDS).flatMap((kind) => kind.reads),
  ],
};
const TEXT_CHANGES = { subtree: true, characterData: true };

// A page that changed again within a frame of each of its last BUSY_AFTER looks is busy (a
// feed, a ticker). It is then looked at once per BUSY_LOOK_INTERVAL_MS (two frames) with the
// observer off in between, so it pays for the records of one batch per interval instead of
// all of them. Every look reads the whole page, so nothing that changed meanwhile is missed.
// A hidden page (the run's background tab) is never treated as busy: Firefox runs no timer of a
// background tab sooner than 1 s after it was set (its pages' too, so they change less often),
// and the look after the pause would come a second late, at every stage of a run.
const FRAME_MS = 16;
const BUSY_AFTER = 3;
const BUSY_LOOK_INTERVAL_MS = 32;
// A wake-up is set this much later than asked (Firefox's clock ticks in whole milliseconds in a
// page: a timer a tick early would be set again).
const WAKE_SLACK_MS = 2;
// Two wake-ups asked for within a frame of each other are the same moment: a check asks again at
// each look, and the page's thread may be paused between its reading of the clock and ours.

/**
 * Calls `check(wake)` now and after every batch of DOM changes, until it returns a value
 * other than undefined. `wake(ms)` asks for one more call after ms even if the DOM stays
 * quiet (for "has it held still long enough?"; state read from properties changes no DOM).
 * `textIn()` names the nodes whose text the check reads. Resolves to { value } |
 * { timedOut: true } | { aborted: true }; the observer and every timer are gone by then.
 */
export function watchDom(check, { deadline, signal, textIn = () => [] }) {
  return new Promise((resolve) => {
    let finished = false;
    let wakeTimer;
    let wakeAt = 0;
    let resumeTimer;
    let paused = false; // the page is busy and the observer off until the next look
    let lastLook = -Infinity;
    let quickLooks = 0; // looks in a row that came within a frame of the one before
    const observer = new MutationObserver(onChanges);
    const deadlineTimer = setTimeout(
      () => finish({ timedOut: true }),
      Math.max(0, deadline - performance.now()),
    );
    const onAbort = () => finish({ aborted: true });

    function finish(outcome) {
      if (finished) return;
      finished = true;
      observer.disconnect();
      for (const timer of [deadlineTimer, wakeTimer, resumeTimer]) clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    }

    function observeText() {
      if (!paused) for (const node of textIn()) observer.observe(node, TEXT_CHANGES);
    }

    function onChanges() {
      const sinceLook = performance.now() - lastLook;
      quickLooks = sinceLook < FRAME_MS ? quickLooks + 1 : 0;
      if (quickLooks < BUSY_AFTER || document.hidden) return evaluate();
      paused = true;
      observer.disconnect();
      resumeTimer = setTimeout(resume, Math.max(0, BUSY_LOOK_INTERVAL_MS - sinceLook));
    }

    function resume() {
      paused = false;
      observer.observe(document, OBSERVED_CHANGES);
      evaluate();
    }

    // One wake-up, at the moment last asked for. A check asks again for the same moment at
    // each look (the switch must hold until then); a timer set again each time would, in a
    // background tab, wait Firefox's 1 s minimum from the last look instead.
    function wake(ms) {
      const at = performance.now() + ms;
      if (wakeTimer !== undefined && Math.abs(at - wakeAt) < FRAME_MS) return;
      clearTimeout(wakeTimer);
      wakeAt = at;
      // A tick later than asked: a timer that fired a clock tick early would be set again.
      wakeTimer = setTimeout(() => {
        wakeTimer = undefined;
        evaluate();
      }, ms + WAKE_SLACK_MS);
    }

    function evaluate() {
      if (finished) return;
      lastLook = performance.now();
      const value = check(wake);
      if (value === undefined) observeText();
      else finish({ value });
    }

    if (signal.aborted) return finish({ aborted: true });
    signal.addEventListener("abort", onAbort);
    observer.observe(document, OBSERVED_CHANGES);
    evaluate();
  });
}
