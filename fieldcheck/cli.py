"""`python -m fieldcheck`: the command line, and one run from start to end: the browser
started, the extension told to only read (or, with --act, to switch off), every page visited,
the member's own choices put back, the table printed and the JSON written."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fieldcheck.browser import (
    BROWSERS,
    Launch,
    UsageError,
    browser_session,
    check_launch,
    parse_mapping,
)
from fieldcheck.plan import Visit, known_paths, plan_visits
from fieldcheck.report import Run, table, write_json
from fieldcheck.visit import READ_KEYS, RESTORE_KEYS, Context, Row, check_page, restoring
from harness import BrowserNotFound
from harness.session import Session
from tools.build import make, rules
from tools.build.sources import BuildError

# Above the extension's own limit for a visit (site.timing.limitMs, 20 s as shipped).
DEFAULT_PAGE_LIMIT = 30.0
USER_AGENT = "() => navigator.userAgent"

ACT_WARNING = (
    "WARNING: --act switches settings off for real on the signed-in account: every setting"
    " visited ({count}) that reads on is switched off, as Opt out now would."
)
SCREENSHOT_WARNING = (
    "WARNING: screenshots show the signed-in maintainer's account (name, photo, settings):"
    " keep {folder} private and never attach it to an issue."
)
TEMPORARY_PROFILE_NOTE = (
    "note: no --profile: a temporary profile, signed out of LinkedIn, so its settings pages"
    " end on a sign-in page (sign in once by hand on a profile of your own: docs/fieldcheck.md)."
)


class Parser(argparse.ArgumentParser):
    """Usage errors as one line and exit status 2, no usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = Parser(
        prog="python -m fieldcheck",
        description="Run the built extension on www.linkedin.com and check that every rule still"
        " finds its switch. Read-only unless --act. Exit status: 0 all found, 1 not, 2 usage.",
    )
    parser.add_argument("--browser", choices=BROWSERS, default="chromium")
    parser.add_argument(
        "--extension",
        type=Path,
        default=make.ROOT / "dist",
        metavar="DIR",
        help="a build's folder, as python build.py writes it (default: dist/)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="the browser profile signed in to LinkedIn (default: a temporary one, signed out)",
    )
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument(
        "--act", action="store_true", help="switch settings off for real (default: only read them)"
    )
    parser.add_argument(
        "--rule",
        action="append",
        metavar="ID",
        help="check this rule only (repeatable; default: every rule)",
    )
    parser.add_argument(
        "--all-forms",
        action="store_true",
        help="visit every address form of site.pageForms, not only the linked ones",
    )
    parser.add_argument(
        "--page-limit",
        type=float,
        default=DEFAULT_PAGE_LIMIT,
        metavar="SECONDS",
        help=f"longest wait for a page's outcome (default {DEFAULT_PAGE_LIMIT:g})",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    parser.add_argument(
        "--screenshots", type=Path, metavar="DIR", help="a PNG of each page (they show the account)"
    )
    parser.add_argument(
        "--map-linkedin",
        metavar="HOST:PORT",
        help="send www.linkedin.com to a local HTTPS server (tests)",
    )
    args = parser.parse_args(argv)
    if args.page_limit <= 0:
        raise UsageError(f"--page-limit {args.page_limit:g}: must be above 0")
    return args


def selected_rules(all_rules: list[dict], wanted: list[str] | None) -> list[dict]:
    if not wanted:
        return all_rules
    ids = [rule["id"] for rule in all_rules]
    unknown = [rule_id for rule_id in wanted if rule_id not in ids]
    if unknown:
        raise UsageError(f"--rule {unknown[0]}: no such rule (rules: {', '.join(ids)})")
    return [rule for rule in all_rules if rule["id"] in wanted]


def browser_name(user_agent: str) -> str:
    """The browser as a diagnostics report names it: Firefox 153.0, Chrome 156.0.8078.108."""
    match = re.search(r"(Firefox|Chrome)/([\d.]{1,20})", user_agent)
    return f"{match[1]} {match[2]}" if match else "unknown browser"


def extension_version(out: Path) -> str:
    manifest = out / "chrome" / "manifest.json"
    if manifest.is_file():
        return json.loads(manifest.read_text(encoding="utf-8"))["version"]
    return make.read_version()


def prepare(session: Session, rule_ids: list[str], act: bool) -> dict:
    """The extension told what to do on every visit (reading only, or switching off), the way
    the options page stores it; returns the stored choices as they were, to put back."""
    before = session.extension(READ_KEYS, ["automatic", "chosen"])
    choices = {"automatic": act, "chosen": rule_ids}
    session.extension(RESTORE_KEYS, restoring(choices))
    return {key: before.get(key) for key in choices}


def visit_all(
    session: Session, ruleset: rules.RuleSet, visits: list[Visit], args: argparse.Namespace
) -> list[Row]:
    context = Context(
        session=session,
        site=ruleset.site,
        known=known_paths(ruleset.site, ruleset.rules),
        page_limit=args.page_limit,
        screenshots=args.screenshots,
    )
    rows = []
    for index, visit in enumerate(visits, start=1):
        row = check_page(context, index, visit)
        print(f"  {index}/{len(visits)} {row.rule} {row.asked}: {row.outcome}", file=sys.stderr)
        rows.append(row)
    return rows


def run_check(args: argparse.Namespace, launch: Launch, ruleset: rules.RuleSet) -> Run:
    checked = selected_rules(ruleset.rules, args.rule)
    visits = plan_visits(ruleset.site, checked, args.all_forms)
    if args.act:
        print(ACT_WARNING.format(count=len(checked)), file=sys.stderr)
    if args.screenshots:
        print(SCREENSHOT_WARNING.format(folder=args.screenshots), file=sys.stderr)
        args.screenshots.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    with browser_session(launch) as session:
        before = prepare(session, [rule["id"] for rule in checked], args.act)
        try:
            rows = visit_all(session, ruleset, visits, args)
        finally:
            session.extension(RESTORE_KEYS, restoring(before))
        browser = browser_name(session.extension(USER_AGENT))
    return Run(
        browser=browser,
        extension=extension_version(args.extension),
        mode="act" if args.act else "read-only",
        profile="persistent" if args.profile else "temporary",
        started=started,
        page_limit=args.page_limit,
        rows=rows,
    )


def launch_of(args: argparse.Namespace, profile: Path) -> Launch:
    mapping = parse_mapping(args.map_linkedin) if args.map_linkedin else None
    return Launch(args.browser, args.extension, profile, not args.headed, mapping, args.page_limit)


def field_check(args: argparse.Namespace, launch: Launch, ruleset: rules.RuleSet) -> int:
    run = run_check(args, launch, ruleset)
    print(table(run, ruleset.site["origin"]))
    if args.json:
        write_json(run, args.json)
    return run.exit_status


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        ruleset = rules.load_rules()
        selected_rules(ruleset.rules, args.rule)  # an unknown --rule before the browser starts
        if args.profile:
            launch = launch_of(args, args.profile.resolve())
            check_launch(launch)
            return field_check(args, launch, ruleset)
        check_launch(launch_of(args, Path("profile")))
        print(TEMPORARY_PROFILE_NOTE, file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="fieldcheck-profile-") as folder:
            return field_check(args, launch_of(args, Path(folder) / "profile"), ruleset)
    except (UsageError, BrowserNotFound, BuildError) as error:
        print(f"fieldcheck: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # the browser would not start (a profile in use) or went away
        first_line = (str(error).strip().splitlines() or [""])[0]
        print(
            f"fieldcheck: the check stopped: {type(error).__name__}: {first_line}", file=sys.stderr
        )
        return 2
