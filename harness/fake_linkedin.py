"""A local fake of www.linkedin.com for browser tests.

One HTTPS server (stdlib only) plays LinkedIn at its real address: browsers are told to
resolve www.linkedin.com (and the look-alike www.linkedin.com.example.org) to 127.0.0.1:<port>.
It serves the client-side rendered settings app from fixtures/, answers the app's API,
records every request and every save, keeps the saved state across reloads, and sends
signed-out visitors to a sign-in page. What it varies comes from a `Scenario`.
"""

from __future__ import annotations

import dataclasses
import html
import json
import random
import re
import secrets
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
STATIC_DIR = FIXTURES_DIR / "static"
TEMPLATES_DIR = FIXTURES_DIR / "templates"

HOST = "www.linkedin.com"
LOOKALIKE_HOST = "www.linkedin.com.example.org"
# Another website, not LinkedIn's: its pages can send the browser to LinkedIn's sign-in pages.
OTHER_SITE_HOST = "news.example.net"
HOSTS = (HOST, LOOKALIKE_HOST, OTHER_SITE_HOST)

# The fake world, described once (fixtures/world.json) for the server and the settings app,
# which gets it embedded in the page: every data-use setting page the app renders (the AI
# setting's and LinkedIn's other ones, keys from https://github.com/brave/psst-component,
# src/linkedin/user.ts and policy.ts): its path, heading, question and switches (key and
# English label, in page order); the AI setting's translations; the privacy hub's rows; the
# settings navigation; the texts the fuzz variations draw from. A key is what the API saves
# and, except on a page with an inputId (the cookie consent: an <input id> with a
# <label for>), the switch's aria-labelledby and its label's id. All settings start on (as
# LinkedIn ships them) unless Scenario.value/values say not.
WORLD: dict[str, Any] = json.loads((FIXTURES_DIR / "world.json").read_text(encoding="utf-8"))

AI_KEY: str = WORLD["aiSetting"]["key"]
DECOY_KEY: str = WORLD["decoy"]["key"]
SETTING_PATH, MOBILE_SETTING_PATH = WORLD["aiSetting"]["paths"]
HUB_PATH: str = WORLD["hub"]["path"]
SETTING_URL = f"https://{HOST}{SETTING_PATH}"
# Where Scenario.setting_moved_to sends the AI setting's addresses.
MOVED_TO: dict[str | None, str | None] = {None: None, "hub": HUB_PATH, "feed": "/feed/"}
HUB_URL = f"https://{HOST}{HUB_PATH}"

SETTING_PAGES: dict[str, tuple[str, ...]] = {
    path: tuple(switch["key"] for switch in page["switches"])
    for path, page in WORLD["settingPages"].items()
}
SETTING_HEADINGS: dict[str, str] = {
    path: page["heading"] for path, page in WORLD["settingPages"].items()
}
SETTING_NAMES: dict[str, str] = {
    switch["key"]: switch["label"]
    for page in WORLD["settingPages"].values()
    for switch in page["switches"]
}
[COOKIE_KEY] = [page["inputId"] for page in WORLD["settingPages"].values() if "inputId" in page]
# A data-use setting LinkedIn adds later (Scenario.new_setting): listed on the hub, with a page
# and a switch of its own, on as LinkedIn ships its settings; no rule knows it.
NEW_SETTING_PATH: str = WORLD["newSetting"]["path"]
[NEW_SETTING_KEY] = [switch["key"] for switch in WORLD["newSetting"]["page"]["switches"]]
NEW_SETTING_NAME: str = WORLD["newSetting"]["page"]["heading"]
ERROR_TEXT: str = WORLD["errorText"]
# Every address form LinkedIn uses for a setting page leads to it: /mypreferences/<prefix>/,
# then the page's slug with or without settings/, a trailing slash or not, any query; a slug
# LinkedIn gave a page later (its alias) too. The app maps an address to a page by its slug.
ADDRESS_PREFIXES: tuple[str, ...] = tuple(WORLD["addresses"]["prefixes"])
SLUG_ALIASES: dict[str, str] = WORLD["addresses"]["slugAliases"]
# The AI setting's page with its switch in the opposite sense (Scenario.inverted): a key of its
# own, on = the member opted out, and a negated label per language.
INVERTED_KEY: str = WORLD["inverted"]["key"]
INVERTED_LABELS: dict[str, str] = WORLD["inverted"]["labels"]

# The front ends LinkedIn serves its settings app with (Scenario.stack): its Ember app of today,
# the 2026 rebuild ("new": hashed CSS-module class names, componentkey and data-testid, texts in
# <p>, generated ids, rows rendered anew on each change), or either, drawn per page load ("ab").
STACKS = ("ember", "new", "ab")
# The two front ends a page load is served by.
FRONT_ENDS = ("ember", "new")
# The new stack's switch: a <button role=switch aria-checked> or an <input type=checkbox>.
NEW_CONTROLS = ("button", "checkbox")

API_SETTINGS_PATH: str = WORLD["api"]
STATIC_PREFIX = "/static/"

# The redesign's markup (a div role=switch named by its row) is drawn apart in the fuzz.
MARKUPS: tuple[str, ...] = (*WORLD["markups"], WORLD["redesign"]["markup"])
LANGS = ("en", *WORLD["settingPages"][SETTING_PATH]["translations"])
SIGNED_OUT_TARGETS = ("uas-login", "authwall")
SIGN_IN_PATHS = ("/uas/login", "/login", "/authwall")
SIGN_IN_PREFIX = "/checkpoint/"

# A seeded variation (Scenario.variation_seed): what the server decides for it. The page
# structure is drawn by the settings app itself from the same seed (and world.json).
VARIATION_LANGS = ("en", "de", "fr", "nl", "pt-BR")
VARIATION_SAVES = ("ok", "fail-once", "always-fail", "slow")
VARIATION_SAVE_WEIGHTS = (5, 2, 2, 2)

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}

SIMPLE_PAGES = {
    "feed": ("Feed | LinkedIn", "Feed", "Start a post. Posts from your network appear here."),
    "profile": ("Profile | LinkedIn", "Profile", "Experience, education and skills of a member."),
    "messaging": ("Messaging | LinkedIn", "Messaging", "Your conversations appear here."),
}


@dataclass
class Save:
    """One save request the page sent."""

    key: str
    value: bool
    status: int
    host: str


@dataclass
class Scenario:
    """Everything a test can vary; the defaults are the canonical page with the setting on."""

    markup: str = "modern"
    lang: str = "en"
    aria_key: str = AI_KEY
    value: bool = True
    render_delay_ms: int | None = 0
    offered: bool = True
    disabled: bool = False
    decoy: bool = False
    duplicate: bool = False
    busy_while_saving: bool = False
    replace_after_save: bool = False
    save_failures: int = 0
    save_delay_ms: int = 0
    # False: LinkedIn answers a save with 200 but does not keep it (the next load shows the
    # value it had before the save).
    keeps_saves: bool = True
    signed_in: bool = True
    signed_out_to: str = "uas-login"
    # After a save that went through, a toast "Setting saved." with an "Undo" button.
    undo_toast: bool = False
    busy_mutations: int = 0  # DOM mutations the app makes in bursts after start (benchmark)
    # The page as LinkedIn shows it in 2026: a Back button, the On/Off text beside each
    # switch, the footnote with its link, a footer, and the EU cookie banner (Accept/Reject).
    layout_2026: bool = False
    # Every switch's key renamed (a generated id) and its label reworded, as a redesign does.
    reworded: bool = False
    # The privacy hub shows one switch of its own (under the AI setting's heading).
    hub_switch: bool = False
    # LinkedIn has added a data-use setting (world.json newSetting): a row in the hub's
    # section and a page of its own.
    new_setting: bool = False
    # A seeded random variation of the setting page (fuzz tests). When set, the seed decides
    # lang, value, save_failures, save_delay_ms and busy_while_saving (given values are
    # replaced), and the app draws the page's structure from it (markup, attribute order,
    # wrappers, other settings' switches, label ids, disabled, duplicated, re-rendered).
    variation_seed: int | None = None
    # Initial values of any settings (keys of SETTING_NAMES); None: all on, the AI setting as
    # `value` says. A value given here for AI_KEY wins over `value`.
    values: dict[str, bool] | None = None
    # The member's own data, for the diagnostics tests: when given, the page shows it wherever
    # a page can show text (the navigation, headings, labels, ids, attributes, <html lang>),
    # and the setting's switch carries it as its label and key, so no rule step finds it.
    personal_data: tuple[str, ...] = ()
    # The front end serving each page of the settings app: "ember", "new" or "ab" (each page
    # load one of the two, drawn by the server; FakeLinkedIn.served_stacks() says which).
    stack: str = "ember"
    # The new stack's switch: "button" (aria-checked) or "checkbox" (checked).
    new_control: str = "button"
    # The AI setting's page shows one switch in the opposite sense ("Don't use my data …"), its
    # key INVERTED_KEY, on = opted out; the server keeps that key, initially on.
    inverted: bool = False
    # The draws of "ab" from this seed (a test that needs both stacks served); None: unseeded.
    ab_seed: int | None = None
    # LinkedIn answers the app's read of the settings with 502: the app renders its error page
    # ("Something went wrong. Please try again.") where the setting would be.
    load_error: bool = False
    # The AI setting's addresses answer with a redirect elsewhere: "hub" (the privacy hub) or
    # "feed", as a site may for an account it shows no such page; None: no redirect.
    setting_moved_to: str | None = None

    def __post_init__(self) -> None:
        if self.variation_seed is None:
            return
        rng = random.Random(self.variation_seed)
        self.lang = rng.choice(VARIATION_LANGS)
        self.value = rng.random() < 0.8
        saves = rng.choices(VARIATION_SAVES, weights=VARIATION_SAVE_WEIGHTS)[0]
        self.save_failures = {"fail-once": 1, "always-fail": -1}.get(saves, 0)
        self.save_delay_ms = rng.randrange(1500, 3001, 100) if saves == "slow" else 0
        busy = rng.random() < 0.3  # a fast save may show the busy state too
        self.busy_while_saving = saves == "slow" or busy

    @property
    def variation_summary(self) -> str:
        """What the server side of a seeded variation is, for a failing test to print."""
        saves = {0: "ok", 1: "fail once", -1: "always fail"}.get(self.save_failures, "?")
        if self.save_delay_ms:
            saves += f", {self.save_delay_ms} ms slow"
        busy = ", busy while saving" if self.busy_while_saving else ""
        value = "on" if self.value else "off"
        return f"seed {self.variation_seed}: lang {self.lang}, {value}, saves {saves}{busy}"

    def validate(self) -> None:
        if self.markup not in MARKUPS:
            raise ValueError(f"markup must be one of {MARKUPS}, not {self.markup!r}")
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {self.lang!r}")
        if self.signed_out_to not in SIGNED_OUT_TARGETS:
            raise ValueError(f"signed_out_to must be one of {SIGNED_OUT_TARGETS}")
        if self.save_failures < -1:
            raise ValueError("save_failures must be >= -1")
        if self.busy_mutations < 0:
            raise ValueError("busy_mutations must be >= 0")
        for key, value in (self.values or {}).items():
            if key not in (*SETTING_NAMES, INVERTED_KEY) or not isinstance(value, bool):
                raise ValueError(f"values: {key!r} is no setting key or {value!r} no bool")
        if any(not isinstance(item, str) or not item.strip() for item in self.personal_data):
            raise ValueError("personal_data must be texts, none of them blank")
        if self.setting_moved_to not in MOVED_TO:
            places = sorted(place for place in MOVED_TO if place)
            raise ValueError(f"setting_moved_to must be one of {places} or None")
        self._validate_stack()

    def _validate_stack(self) -> None:
        if self.stack not in STACKS:
            raise ValueError(f"stack must be one of {STACKS}, not {self.stack!r}")
        if self.new_control not in NEW_CONTROLS:
            raise ValueError(f"new_control must be one of {NEW_CONTROLS}")
        redrawn = [name for name, used in self._page_redrawing_modes().items() if used]
        if redrawn and self.stack != "ember":
            raise ValueError(f"{', '.join(redrawn)}: the Ember stack's only (stack='ember')")
        if redrawn and self.inverted:
            raise ValueError(f"{', '.join(redrawn)} and inverted draw the same switch apart")
        ember_shapes = self.markup != "modern" or self.aria_key != AI_KEY
        if ember_shapes and self.stack == "new":
            raise ValueError("markup and aria_key shape Ember's switch: not with stack='new'")
        if self.aria_key != AI_KEY and self.inverted:
            raise ValueError("aria_key renames the AI key, which an inverted page does not show")

    def _page_redrawing_modes(self) -> dict[str, bool]:
        """The modes that draw the setting's page their own way (the Ember app's only)."""
        return {
            "variation_seed": self.variation_seed is not None,
            "personal_data": bool(self.personal_data),
            "reworded": self.reworded,
        }

    def initial_values(self) -> dict[str, bool]:
        """The server's settings before any save: every key, on unless said otherwise."""
        values = dict.fromkeys([*SETTING_NAMES, NEW_SETTING_KEY], True)
        values[AI_KEY] = self.value
        values[INVERTED_KEY] = True
        values.update(self.values or {})
        return values

    def bootstrap(self, stack: str | None = None) -> dict[str, Any]:
        """What the app needs to render, embedded in the page like LinkedIn's bootstrap data;
        `stack`: the stack serving this load (the server's draw for "ab"), None: the scenario's."""
        served = self.stack if stack is None else stack
        if served not in FRONT_ENDS:
            raise ValueError(f"a page is served by one of {FRONT_ENDS}, not {served!r}")
        return {
            "markup": self.markup,
            "lang": self.lang,
            "ariaKey": self.aria_key,
            "renderDelayMs": self.render_delay_ms,
            "offered": self.offered,
            "disabled": self.disabled,
            "decoy": self.decoy,
            "duplicate": self.duplicate,
            "busyWhileSaving": self.busy_while_saving,
            "replaceAfterSave": self.replace_after_save,
            "busyMutations": self.busy_mutations,
            "layout2026": self.layout_2026,
            "reworded": self.reworded,
            "hubSwitch": self.hub_switch,
            "newSetting": self.new_setting,
            "undoToast": self.undo_toast,
            **({} if self.variation_seed is None else {"variationSeed": self.variation_seed}),
            **({"personalData": list(self.personal_data)} if self.personal_data else {}),
            **({} if self.stack == "ember" else {"stack": served, "newControl": self.new_control}),
            **({"inverted": True} if self.inverted else {}),
        }


@dataclass
class _Request:
    host: str
    method: str
    target: str
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)


@dataclass
class _Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _html(status: int, text: str, headers: dict[str, str] | None = None) -> _Response:
    return _Response(status, text.encode(), "text/html; charset=utf-8", headers or {})


def _json(status: int, data: object) -> _Response:
    return _Response(status, json.dumps(data).encode(), "application/json; charset=utf-8")


def _render(template_name: str, **values: str) -> str:
    text = (TEMPLATES_DIR / template_name).read_text(encoding="utf-8")
    return Template(text).substitute(values)


def _script_json(data: object) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_WORLD_JSON = _script_json(WORLD)


_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def _module_hash() -> str:
    """A CSS-module class name: 8 hex digits, an underscore first when they start with a digit."""
    digits = secrets.token_hex(4)
    return f"_{digits}" if digits[0].isdigit() else digits


def _with_hashed_classes(page: str) -> str:
    """The page's class names as the new stack's build names them: hashes, new on each load."""
    hashes: dict[str, str] = {}

    def hash_of(name: str) -> str:
        if name not in hashes:
            hashes[name] = _module_hash()
        return hashes[name]

    def hashed(match: re.Match[str]) -> str:
        return f'class="{" ".join(map(hash_of, match[1].split()))}"'

    return _CLASS_ATTRIBUTE.sub(hashed, page)


def _is_ai_setting_address(path: str) -> bool:
    """Whether `path` is one of the AI setting's addresses (any form, with its slug)."""
    slug = SETTING_PATH.rsplit("/", 1)[1]
    return path.startswith("/mypreferences/") and path.rstrip("/").rsplit("/", 1)[1] == slug


def _is_sign_in_path(path: str) -> bool:
    return path.rstrip("/") in SIGN_IN_PATHS or path.startswith(SIGN_IN_PREFIX)


def _simple_page_name(path: str) -> str | None:
    if path.rstrip("/") == "/feed":
        return "feed"
    if path == "/messaging" or path.startswith("/messaging/"):
        return "messaging"
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "in" and parts[1]:
        return "profile"
    return None


def _make_certificate(workdir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for both hosts, made with the openssl CLI."""
    cert, key = workdir / "fake-linkedin-cert.pem", workdir / "fake-linkedin-key.pem"
    san = ",".join(f"DNS:{host}" for host in HOSTS)
    command = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "30", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName={san}",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


def host_resolver_rules(hosts: tuple[str, ...], address: str, port: int) -> str:
    """Value for Chromium's --host-resolver-rules: each host's port 443 to address:port."""
    return ",".join(f"MAP {host}:443 {address}:{port}" for host in hosts)


def chromium_server_args(hosts: tuple[str, ...], address: str, port: int) -> list[str]:
    """Chromium's flags that send `hosts` to a local HTTPS server at address:port and accept
    its self-signed certificate (Playwright's ignore_https_errors does the same for pages)."""
    rules = host_resolver_rules(hosts, address, port)
    return [f"--host-resolver-rules={rules}", "--ignore-certificate-errors"]


def firefox_server_prefs(hosts: tuple[str, ...], port: int) -> dict[str, str]:
    """Firefox's prefs that send `hosts` to a local HTTPS server on 127.0.0.1:port (every
    host's port 443: forcePort applies to all); Marionette's acceptInsecureCerts accepts its
    certificate."""
    return {
        "network.dns.localDomains": ",".join(hosts),
        "network.socket.forcePort": f"443={port}",
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: FakeLinkedIn, context: ssl.SSLContext) -> None:
        self.fake = fake
        self.ssl_context = context
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self) -> tuple[Any, Any]:
        sock, address = self.socket.accept()
        # Headers and body go out in two writes: without this, the body waits for the client's
        # delayed acknowledgement of the headers (about 40 ms per response here).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        wrapped = self.ssl_context.wrap_socket(
            sock, server_side=True, do_handshake_on_connect=False
        )
        return wrapped, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: browsers drop connections and fail handshakes all the time."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30

    def setup(self) -> None:
        self.request.settimeout(self.timeout)
        self.request.do_handshake()  # in this connection's thread, not the accept loop
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no request log on stderr."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = _Request(self.headers.get("Host", HOST), method, self.path, body)
        self._write(self.server.fake.dispatch(request))

    def _write(self, response: _Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)


class FakeLinkedIn:
    """The fake www.linkedin.com. Thread-safe; use as a context manager or start()/stop()."""

    def __init__(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.cert_path, self.key_path = _make_certificate(workdir)
        self._cond = threading.Condition()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._csrf = f"ajax:{secrets.randbelow(10**19):019d}"
        self._generation = 0
        # What every reset starts from besides Scenario's defaults (a test run's page stack).
        self.defaults: dict[str, Any] = {}
        self.reset()

    # lifecycle

    def start(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        context.set_alpn_protocols(["http/1.1"])
        self._server = _Server(self, context)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-linkedin", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeLinkedIn:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeLinkedIn is not started")
        return self._server.server_address[1]

    @property
    def host_resolver_rules(self) -> str:
        """Value for Chromium's --host-resolver-rules: both hosts to 127.0.0.1:port."""
        return host_resolver_rules(HOSTS, "127.0.0.1", self.port)

    @property
    def chromium_args(self) -> list[str]:
        return chromium_server_args(HOSTS, "127.0.0.1", self.port)

    @property
    def firefox_prefs(self) -> dict[str, str]:
        return firefox_server_prefs(HOSTS, self.port)

    # scenario and recorded state

    def reset(self, scenario: Scenario | None = None, **changes: Any) -> None:
        """A new scenario (defaults, self.defaults, then changes); clears saves and requests."""
        new = dataclasses.replace(scenario or Scenario(**self.defaults), **changes)
        new.validate()
        with self._cond:
            self._scenario = new
            self._values = new.initial_values()
            self._saves: list[Save] = []
            self._requests: list[tuple[str, str, str]] = []
            self._save_count = 0
            self._served_stacks: list[tuple[str, str]] = []
            self._ab_draw = random.Random(new.ab_seed)
            self._generation += 1
            self._cond.notify_all()

    @property
    def scenario(self) -> Scenario:
        with self._cond:
            return self._scenario

    def saves(self, key: str = AI_KEY) -> list[Save]:
        with self._cond:
            return [save for save in self._saves if save.key == key]

    def all_saves(self) -> list[Save]:
        with self._cond:
            return list(self._saves)

    def served_stacks(self) -> list[tuple[str, str]]:
        """(path, stack) of each settings-app page load (GET) since the last reset, in order."""
        with self._cond:
            return list(self._served_stacks)

    def value(self, key: str = AI_KEY) -> bool:
        with self._cond:
            return self._values[key]

    def requests(self) -> list[tuple[str, str, str]]:
        with self._cond:
            return list(self._requests)

    def wait_for_saves(self, n: int, timeout: float = 10) -> list[Save]:
        """Blocks until at least n saves (all keys) were answered; TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._saves) >= n, timeout):
                raise TimeoutError(f"expected {n} save(s) within {timeout}s, got {self._saves}")
            return list(self._saves)

    # routing

    def dispatch(self, request: _Request) -> _Response:
        """Answers one request (called from the connection threads)."""
        with self._cond:
            self._requests.append((request.host, request.method, request.target))
            scenario = self._scenario
        if request.host.split(":")[0] == OTHER_SITE_HOST:
            return self._other_site(request)
        path = request.path
        if path.startswith("/voyager/api/"):
            return self._api(request, scenario)
        if request.method not in ("GET", "HEAD"):
            return self._not_found()
        if path.startswith("/mypreferences/"):
            return self._settings_app(request, scenario)
        if _is_sign_in_path(path):
            return self._sign_in_page(request)
        if path.startswith(STATIC_PREFIX):
            return self._static(path.removeprefix(STATIC_PREFIX))
        page = _simple_page_name(path)
        return self._simple_page(page) if page else self._not_found()

    def _settings_app(self, request: _Request, scenario: Scenario) -> _Response:
        if not scenario.signed_in:
            return self._signed_out_redirect(request, scenario)
        moved_to = MOVED_TO[scenario.setting_moved_to]
        if moved_to and _is_ai_setting_address(request.path):
            return _html(302, "", {"Location": f"https://{request.host}{moved_to}"})
        stack = self._serving_stack(request, scenario)
        page = _render(
            "settings-shell.html",
            lang=html.escape(scenario.lang),
            world=_WORLD_JSON,
            bootstrap=_script_json(scenario.bootstrap(stack)),
        )
        if stack == "new":
            page = _with_hashed_classes(page)
        cookie = f'JSESSIONID="{self._csrf}"; Path=/; Secure; SameSite=None'
        return _html(200, page, {"Set-Cookie": cookie})

    def _serving_stack(self, request: _Request, scenario: Scenario) -> str:
        """The stack that serves this page load ("ab": either, 50/50), recorded for a GET."""
        with self._cond:
            stack = self._ab_draw.choice(FRONT_ENDS) if scenario.stack == "ab" else scenario.stack
            if request.method == "GET":
                self._served_stacks.append((request.path, stack))
        return stack

    def _signed_out_redirect(self, request: _Request, scenario: Scenario) -> _Response:
        original = quote(f"https://{request.host}{request.target}", safe="")
        if scenario.signed_out_to == "authwall":
            target = f"/authwall?trk=gf&original_referer=&sessionRedirect={original}"
        else:
            target = f"/uas/login?session_redirect={original}"
        return _html(302, "", {"Location": f"https://{request.host}{target}"})

    def _sign_in_page(self, request: _Request) -> _Response:
        query = request.query
        redirect = (query.get("session_redirect") or query.get("sessionRedirect") or [""])[0]
        return _html(200, _render("sign-in.html", session_redirect=html.escape(redirect)))

    def _other_site(self, request: _Request) -> _Response:
        """A page of another website that sends the browser to LinkedIn's sign-in page with a
        return address on a setting's page (?to=<sign-in URL>), as any site can."""
        target = request.query.get("to", [""])[0]
        if not target.startswith(f"https://{HOST}/"):
            return self._not_found()
        script = f"location.replace({_script_json(target)});"
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>News</title></head><body><p>Loading…</p><script>{script}</script></body></html>"
        )
        return _html(200, page)

    def _simple_page(self, name: str) -> _Response:
        title, heading, text = SIMPLE_PAGES[name]
        page = _render("simple-page.html", title=title, heading=heading, text=text)
        return _html(200, page)

    def _static(self, relative: str) -> _Response:
        file = (STATIC_DIR / relative).resolve()
        content_type = CONTENT_TYPES.get(file.suffix)
        if not (file.is_relative_to(STATIC_DIR) and file.is_file() and content_type):
            return self._not_found()
        return _Response(200, file.read_bytes(), content_type)

    def _not_found(self) -> _Response:
        return _html(404, _render("not-found.html"))

    # the app's API

    def _api(self, request: _Request, scenario: Scenario) -> _Response:
        if not scenario.signed_in:
            return _json(401, {"status": 401, "message": "Unauthorized"})
        if request.path.rstrip("/") != API_SETTINGS_PATH:
            return _json(404, {"status": 404, "message": "Not Found"})
        if request.method == "POST":
            return self._save_setting(request)
        return self._get_settings(request)

    def _get_settings(self, request: _Request) -> _Response:
        with self._cond:
            if self._scenario.load_error:
                return _json(502, {"status": 502, "message": "Bad Gateway"})
        wanted = ",".join(request.query.get("keys", [])).split(",")
        with self._cond:
            keys = [key for key in wanted if key in self._values] or list(self._values)
            elements = [{"settingKey": key, "value": self._values[key]} for key in keys]
        return _json(200, {"elements": elements})

    def _save_setting(self, request: _Request) -> _Response:
        try:
            payload = json.loads(request.body)
            key, value = payload["settingKey"], payload["value"]
        except (ValueError, KeyError, TypeError):
            return _json(400, {"status": 400, "message": "Bad Request"})
        if not isinstance(key, str) or not isinstance(value, bool):
            return _json(400, {"status": 400, "message": "Bad Request"})
        with self._cond:
            self._save_count += 1
            failures = self._scenario.save_failures
            fails = failures == -1 or self._save_count <= failures
            delay_ms, generation = self._scenario.save_delay_ms, self._generation
        time.sleep(delay_ms / 1000)
        status = 500 if fails else 200
        self._record_save(Save(key, value, status, request.host), generation)
        if fails:
            return _json(500, {"status": 500, "message": "Internal Server Error"})
        return _json(200, {"value": {"settingKey": key, "value": value}})

    def _record_save(self, save: Save, generation: int) -> None:
        with self._cond:
            if generation != self._generation:
                return  # the test reset the scenario while this save was pending
            if save.status == 200 and self._scenario.keeps_saves:
                self._values[save.key] = save.value
            self._saves.append(save)
            self._cond.notify_all()
