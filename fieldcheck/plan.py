"""What the field check visits, from the rule data: each rule's pages under the address forms
LinkedIn links, and each hub page; and how an address it ended on is reported (nothing of
the member's own: a path the rule data does not know is cut to its first segment)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# The address forms visited for every slug of a rule, besides the rule's own pages: the form
# LinkedIn's help and notices link most (`--all-forms`: every form of site.pageForms).
LINKED_FORMS = ("/mypreferences/d/settings/",)


@dataclass(frozen=True)
class Visit:
    """One page to visit: a rule's page (`rule` its id) or a hub page (`rule` None)."""

    path: str
    rule: str | None = None

    @property
    def label(self) -> str:
        return self.rule or "hub"


def rule_paths(rule: dict, forms: tuple[str, ...]) -> list[str]:
    """The rule's pages (pages[0] first), then each slug under each of `forms`, once each."""
    paths = [*rule["pages"], *(form + slug for form in forms for slug in rule["slugs"])]
    return list(dict.fromkeys(paths))


def plan_visits(site: dict, rules: list[dict], all_forms: bool = False) -> list[Visit]:
    """Every rule's pages, in rule order, then every hub page."""
    forms = tuple(site["pageForms"]) if all_forms else LINKED_FORMS
    visits = [Visit(path, rule["id"]) for rule in rules for path in rule_paths(rule, forms)]
    hubs = [Visit(path) for hub in site.get("hubs", []) for path in hub["pages"]]
    return visits + hubs


def known_paths(site: dict, rules: list[dict]) -> set[str]:
    """Every settings path the rule data names: rules' pages under every form, hub pages, and
    the hubs' pages that hold no switch."""
    forms = tuple(site["pageForms"])
    paths = {path for rule in rules for path in rule_paths(rule, forms)}
    for hub in site.get("hubs", []):
        paths.update(hub["pages"])
        paths.update(hub.get("notSwitches", []))
    return paths


def sign_in_prefix(path: str, site: dict) -> str | None:
    """The site's sign-in path that `path` is (or starts, for one ending in /), else None."""
    for prefix in site["signIn"]["paths"]:
        if prefix.endswith("/") and path.startswith(prefix):
            return prefix
        if path.rstrip("/") == prefix:
            return prefix
    return None


def reported_address(url: str, site: dict, known: set[str]) -> str:
    """`url` as the field check reports it: no query or fragment; a path the rule data knows
    as it is, a sign-in page by its sign-in path, any other by its first segment ("/in/…"),
    so that no member's name, token or id is in a report."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return parts.scheme + ":" if parts.scheme else "(none)"
    path = parts.path or "/"
    origin = f"{parts.scheme}://{parts.netloc}"
    normal = path.rstrip("/") or "/"
    if normal in known or path in ("/", ""):
        return origin + normal
    prefix = sign_in_prefix(path, site)
    if prefix is not None:
        return origin + (prefix if normal == prefix.rstrip("/") else prefix + "…")
    first = normal.strip("/").split("/")[0]
    return f"{origin}/{first}/…"


def is_signed_out(url: str, site: dict) -> bool:
    """Whether a visit that ended at `url` ended on a sign-in page."""
    return sign_in_prefix(urlsplit(url).path, site) is not None
