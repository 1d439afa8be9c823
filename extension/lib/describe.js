/* Stored results in words, for the popup, the options page and the first-run page: the
   status card, a run's progress, the opt-out record and the settings' names (the diagnostics
   report is lib/report.js). Pure functions of the stored data and the browser's language; no
   DOM here. */

import { api } from "./api.js";
import { isOff, needsDiagnostics } from "./outcomes.js";

/** A message in the browser's language, from _locales/. */
export const t = (key, substitutions) => api.i18n.getMessage(key, substitutions);
/** The language the extension's messages are shown in, as a BCP 47 tag ("de", "pt-BR"). */
export const uiLanguage = () => t("languageTag") || "en";

/** A rule's id as its messages spell it: rule_<id>_name, rule_<id>_explanation. */
const ruleKey = (ruleId) => ruleId.replaceAll("-", "_");
/** A setting's name in the browser's language. */
export const settingName = (ruleId) => t(`rule_${ruleKey(ruleId)}_name`);
/** One plain line on what a setting controls, in the browser's language. */
export const settingExplanation = (ruleId) => t(`rule_${ruleKey(ruleId)}_explanation`);

const FAILURE_DETAIL = {
  "save-error": "failedSaveError",
  reverted: "failedReverted",
  "timed-out": "failedTimedOut",
  "not-kept": "failedNotKept",
};
const FAILURE_SHORT = {
  "save-error": "reasonSaveError",
  reverted: "reasonReverted",
  "timed-out": "reasonTimedOut",
  "not-kept": "reasonNotKept",
};
/** A run's failures to check (no claim about the setting): what happened, and what to try. */
const NOT_CHECKED_DETAIL = {
  "no-answer": "failedNoAnswer",
  "site-access": "failedSiteAccess",
  redirected: "failedRedirected",
  cancelled: "failedCancelled",
};
const NOT_CHECKED_SHORT = {
  "no-answer": "reasonNoAnswer",
  "site-access": "reasonSiteAccess",
  redirected: "reasonRedirected",
  cancelled: "reasonCancelled",
};
const notChecked = (entry) =>
  entry.outcome === "failed" && Object.hasOwn(NOT_CHECKED_DETAIL, entry.reason ?? "");

/** Ways of finding the switch that the status mentions (the precise steps go unmentioned). */
const HOW_FOUND = { "only-switch": "foundByOnlySwitch" };

/** Whether a result is off as read on a fresh load of the page: the one proof called verified. */
export const isVerifiedOff = (result) => isOff(result?.outcome) && result.proof === "reload";

/** Date and time in the browser's language, local time, 24-hour clock ("Nov 29, 2026, 14:02"). */
export function formatTime(iso, language = uiLanguage()) {
  const format = new Intl.DateTimeFormat(language, {
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
  });
  return format.format(new Date(iso));
}

/**
 * The status card for the latest result: { state, title, detail, time }. The off title says
 * what the main setting's switch covers; another setting's says "Off" and no more.
 */
export function describeState(latest, mainRule = latest?.rule) {
  if (!latest)
    return {
      state: "unknown",
      title: t("stateUnknownTitle"),
      detail: t("stateUnknownDetail"),
      time: "",
    };
  const checked = t("stateCheckedAt", [formatTime(latest.at)]);
  const offTitle = t(latest.rule === mainRule ? "stateOffTitle" : "stateOffTitleOther");
  if (isVerifiedOff(latest)) {
    const how = HOW_FOUND[latest.strategy];
    return {
      state: "off",
      title: offTitle,
      detail: how ? t(how) : "",
      time: t("stateOffReloaded", [formatTime(latest.at)]),
    };
  }
  if (latest.outcome === "on" && latest.reason === "not-kept") {
    return { state: "on", title: t("stateOnTitle"), detail: t("stateOnNotKept"), time: checked };
  }
  switch (latest.outcome) {
    case "turned-off":
    case "already-off": {
      // Only a fresh load verifies (above): any other off was read on a page, and says only that.
      const how = HOW_FOUND[latest.strategy];
      const detail = how
        ? [t("stateOffOnPageDetail"), t(how)].join(" ")
        : t("stateOffOnPageDetail");
      const time = t("stateOffCheckedOnPage", [formatTime(latest.at)]);
      return { state: "checked", title: t("stateOffOnPageTitle"), detail, time };
    }
    case "on": {
      const detail =
        latest.reason === "changed-by-member" ? "stateOnByMember" : "stateOnAutomaticOff";
      return { state: "on", title: t("stateOnTitle"), detail: t(detail), time: checked };
    }
    case "signed-out":
      return {
        state: "signed-out",
        title: t("stateSignedOutTitle"),
        detail: t("stateSignedOutDetail"),
        time: checked,
      };
    case "not-offered":
      return {
        state: "not-offered",
        title: t("stateNotOfferedTitle"),
        detail: t("stateNotOfferedDetail"),
        time: checked,
      };
    case "ambiguous": {
      const detail =
        latest.reason === "unsure-sense" ? "stateUnsureSenseDetail" : "stateAmbiguousDetail";
      return {
        state: "not-found",
        title: t("stateNotFoundTitle"),
        detail: t(detail),
        time: checked,
      };
    }
    case "wrong-address": // a line of the record only; never a latest result the background stores
      return {
        state: "unknown",
        title: t("stateUnknownTitle"),
        detail: t("recordWrongAddress"),
        time: checked,
      };
    case "disabled":
      return {
        state: "disabled",
        title: t("stateDisabledTitle"),
        detail: t("stateDisabledDetail"),
        time: checked,
      };
    case "failed":
      if (notChecked(latest)) {
        return {
          state: "failed",
          title: t("stateNotCheckedTitle"),
          detail: t(NOT_CHECKED_DETAIL[latest.reason]),
          time: checked,
        };
      }
      return {
        state: "failed",
        title: t("stateFailedTitle"),
        detail: t(FAILURE_DETAIL[latest.reason] ?? "failedTimedOut"),
        time: checked,
      };
    default:
      return {
        state: "not-found",
        title: t("stateNotFoundTitle"),
        detail: t("stateNotFoundDetail"),
        time: checked,
      };
  }
}

/** A run's states (background/runstate.js) as the popup says them. */
const PROGRESS = {
  opening: "progressOpening",
  reading: "progressOpening",
  switching: "progressSwitching",
  settling: "progressSwitching",
  reloading: "progressVerifying",
  verifying: "progressVerifying",
};

/** "Switching off…", or in a sweep "3 of 6: Share data with partners — Switching off…". */
export function progressText(run) {
  const phase = t(PROGRESS[run.phase] ?? "progressOpening");
  if (run.total < 2) return phase;
  return t("sweepStep", [String(run.step), String(run.total), settingName(run.rule), phase]);
}

/** How a run that did not finish is told (background/runstate.js RUN_ENDINGS). */
const RUN_ENDED = {
  interrupted: "runInterrupted",
  "timed-out": "runTimedOut",
  cancelled: "runCancelled",
  member: "runMembersChange",
};

/** After a sweep: how many of the chosen settings are off, or why it stopped. */
export function sweepSummary(sweep) {
  if (sweep?.ended && sweep.ended in RUN_ENDED) return t(RUN_ENDED[sweep.ended]);
  if (!sweep || sweep.total < 2) return "";
  if (sweep.signedOut) return t("sweepStopped");
  const off = sweep.results.filter((result) => isOff(result.outcome));
  return t("sweepDone", [String(off.length), String(sweep.total)]);
}

/**
 * A scheduled check's result: skipped when LinkedIn asked to sign in; otherwise what it found,
 * with "found on again (it was off on ‹date›)" when the setting had been read off before and
 * was found on. It claims only what was seen: never who switched it on.
 */
function describeScheduled(entry, offBefore) {
  if (entry.outcome === "signed-out") return t("recordScheduledSkipped");
  const { check, backOn, ...found } = entry;
  const what = describeEntry(found, backOn ? null : offBefore);
  if (!backOn) return t("recordScheduled", [what]);
  const again =
    typeof offBefore === "string"
      ? t("recordBackOn", [what, formatTime(offBefore)])
      : t("recordBackOnUndated", [what]);
  return t("recordScheduled", [again]);
}

/**
 * What one stored result means, as a record line's text. `offBefore`: when the setting was
 * last read off before this line (its time), or null.
 */
export function describeEntry(entry, offBefore) {
  if (entry.check === "scheduled") return describeScheduled(entry, offBefore);
  if (isVerifiedOff(entry))
    return t(entry.outcome === "turned-off" ? "recordTurnedOffReloaded" : "recordOffReloaded");
  if (entry.outcome === "on" && entry.reason === "not-kept") return t("recordOnNotKept");
  // "Verified" is kept for a fresh load (above): any other off was read on a page.
  switch (entry.outcome) {
    case "turned-off":
      return t(offBefore ? "recordFoundOnAgainOnPage" : "recordTurnedOffOnPage");
    case "already-off":
      return t("recordAlreadyOffOnPage");
    case "on":
      return t(entry.reason === "changed-by-member" ? "recordOnByMember" : "recordOn");
    case "signed-out":
      return t("recordSignedOut");
    case "not-offered":
      return t("recordNotOffered");
    case "wrong-address":
      return t("recordWrongAddress");
    case "ambiguous":
      return t("recordAmbiguous");
    case "disabled":
      return t("recordDisabled");
    case "failed":
      if (notChecked(entry)) return t("recordNotChecked", [t(NOT_CHECKED_SHORT[entry.reason])]);
      return t("recordFailed", [t(FAILURE_SHORT[entry.reason] ?? "reasonTimedOut")]);
    default:
      return t("recordNotFound");
  }
}

/**
 * The record, oldest first: ["29 Nov 2026 14:02 — switched off, verified", …]. Lines of the
 * other chosen settings name their setting: "… — Ads by age: switched off, verified".
 */
export function recordLines(history, mainRule) {
  const offBefore = new Map(); // rule -> when the record last shows it off
  return history.map((entry) => {
    const what = describeEntry(entry, offBefore.get(entry.rule) ?? null);
    const named = entry.rule === mainRule ? what : `${settingName(entry.rule)}: ${what}`;
    if (isOff(entry.outcome)) offBefore.set(entry.rule, entry.last ?? entry.at);
    const said =
      entry.count > 1
        ? t("recordRepeated", [named, String(entry.count), formatTime(entry.last)])
        : named;
    const line = `${formatTime(entry.at)} — ${said}`;
    return entry.restored ? t("recordLineFromFile", [line, formatTime(entry.restored)]) : line;
  });
}

/** The plain-text record a member can keep as proof of their objection, with what "off" covers. */
export function recordText(history, mainRule) {
  const header = t("recordHeader", [settingName(mainRule), t("extName")]);
  return [header, t("recordCovers"), ...recordLines(history, mainRule)].join("\n") + "\n";
}

/** Whether the popup offers "Copy diagnostics" for this result. */
export function hasDiagnostics(latest) {
  return needsDiagnostics(latest?.outcome);
}

/** The popup's notice of settings a scheduled check found on again and switched off, or "". */
export function switchedBackOnText(notice) {
  if (!notice) return "";
  return t("backOnNotice", [notice.rules.map(settingName).join(", "), formatTime(notice.at)]);
}
