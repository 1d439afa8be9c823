"""Debian's Firefox ESR driven by Mozilla's marionette_driver with the packed extension
installed as a temporary add-on, pointed at the fake LinkedIn server through prefs (the
page keeps its real https URL): `network.dns.localDomains` resolves the hosts to 127.0.0.1 and
`network.socket.forcePort` sends port 443 to the server's port."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
from marionette_driver.addons import Addons
from marionette_driver.marionette import Marionette

from harness import BrowserNotFound
from harness.session import AXE_RUN, AXE_SOURCE, CLEAR_STORAGE

INSTALL_HINT = "install it with `apt-get install firefox-esr` or set FIREFOX_PATH"
EXTENSION_UUID = "6b1f3c2e-4f5a-4d8e-9a7b-0c1d2e3f4a5b"

QUIET_PREFS: dict[str, object] = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "app.normandy.enabled": False,
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "network.trr.mode": 5,
    "security.OCSP.enabled": 0,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.tabs.warnOnClose": False,
    "marionette.port": 0,
    # No content process started ahead of need, and the content processes of closed tabs kept
    # for the next tabs (a new tab's blank page, one process per site as before) instead of a
    # new process for each of them: CPU that the suite's 2 cores need for the tests. Only when
    # processes start and end changes, not which process a page runs in.
    "dom.ipc.processPrelaunch.enabled": False,
    "dom.ipc.keepProcessesAlive.web": 4,
    "dom.ipc.keepProcessesAlive.webIsolated.perOrigin": 1,
}


def find_firefox() -> str:
    """FIREFOX_PATH, then the system's firefox-esr or firefox; else BrowserNotFound."""
    candidates = [os.environ.get("FIREFOX_PATH")]
    candidates += [shutil.which(name) for name in ("firefox-esr", "firefox")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise BrowserNotFound(f"Firefox not found: {INSTALL_HINT}")


def gecko_id(extension_zip: Path) -> str:
    with zipfile.ZipFile(extension_zip) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return manifest["browser_specific_settings"]["gecko"]["id"]


def write_user_js(profile: Path, prefs: dict[str, object]) -> None:
    lines = [
        f"user_pref({json.dumps(name)}, {json.dumps(value)});" for name, value in prefs.items()
    ]
    (profile / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")


def wait_for_port_file(profile: Path, process: subprocess.Popen, timeout: float = 60) -> int:
    port_file = profile / "MarionetteActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"Firefox exited with {process.returncode} before Marionette started"
            )
        if port_file.exists() and port_file.read_text().strip():
            return int(port_file.read_text().strip())
        time.sleep(0.05)  # the harness waits for another process's file; the extension never sleeps
    raise TimeoutError("Firefox did not start Marionette in time")


# Seconds the rest of a Firefox's process group gets to end after Firefox, before it is killed.
GROUP_ENDS_WITHIN = 5


class FirefoxProcess:
    """One Firefox in its own process group, ended by its pid whatever happens."""

    def __init__(
        self,
        executable: str,
        profile: Path,
        prefs: dict[str, object],
        locale: str,
        headless: bool = True,
    ) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        # A profile started before still has the port of its last Firefox in this file.
        (profile / "MarionetteActivePort").unlink(missing_ok=True)
        write_user_js(profile, {**QUIET_PREFS, **prefs, "intl.locale.requested": locale})
        self.log = (profile / "firefox.log").open("wb")
        self.process = subprocess.Popen(
            [
                executable,
                *(["--headless"] if headless else []),
                "--marionette",
                "-no-remote",
                "--profile",
                str(profile),
                "--remote-allow-system-access",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "TZ": "UTC", "MOZ_CRASHREPORTER_DISABLE": "1"},
        )
        self.port = wait_for_port_file(profile, self.process)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """Firefox ended, then the rest of its process group: its content and socket processes
        end on their own a moment after it, and are killed if they have not within
        GROUP_ENDS_WITHIN seconds."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        deadline = time.monotonic() + GROUP_ENDS_WITHIN
        while (left := processes_in_group(self.process.pid)) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        for process in left:
            with contextlib.suppress(psutil.Error):
                process.kill()
        self.log.close()


def processes_in_group(group: int) -> list[psutil.Process]:
    """The running processes of process group `group` (not the ended ones not yet reaped)."""
    running = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            if os.getpgid(process.pid) == group and process.status() != psutil.STATUS_ZOMBIE:
                running.append(process)
    return running


def start_marionette(port: int, accept_insecure_certs: bool = True) -> Marionette:
    """A Marionette session, accepting the fake server's self-signed certificate unless
    `accept_insecure_certs` is False (the real site)."""
    client = Marionette(host="127.0.0.1", port=port)
    client.raise_for_port(timeout=60)
    client.start_session(capabilities={"acceptInsecureCerts": accept_insecure_certs})
    return client


def install_addon(client: Marionette, package: Path) -> str:
    return Addons(client).install(str(package), temp=True)


FIRST_RUN_PAGE = "welcome/welcome.html"
# How long a new session waits for the first-run page the extension opens after install.
FIRST_RUN_WAIT = 10

# Downloads saved in browser.download.dir without a dialog or the downloads panel.
DOWNLOAD_PREFS: dict[str, object] = {
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.download.alwaysOpenPanel": False,
}
KEYS = {"Tab": "\ue004", "Space": " ", "Enter": "\ue007", "Shift": "\ue008"}
POLL_SECONDS = 0.05

# Runs a `(arg) => value` function (sync or async) and answers with its JSON text.
PAGE_CALL = """
const done = arguments[arguments.length - 1];
const arg = JSON.parse(arguments[0]);
Promise.resolve().then(() => (%s)(arg)).then(
  (value) => done(JSON.stringify({ value: value === undefined ? null : value })),
  (error) => done(JSON.stringify({ error: String(error && error.stack || error) })));
"""
# The same with the extension's API, from an extension page (through its Xray wrapper).
EXTENSION_CALL = """
const done = arguments[arguments.length - 1];
const page = window.wrappedJSObject;
const arg = page.JSON.parse(arguments[0]);
page.Promise.resolve().then(() => (%s)(page.browser, arg)).then(
  (value) => done(page.JSON.stringify({ value: value === undefined ? null : value })),
  (error) => done(JSON.stringify({ error: String(error && error.stack || error) })));
"""
CLIPBOARD = """
const transferable = Cc["@mozilla.org/widget/transferable;1"].createInstance(Ci.nsITransferable);
transferable.init(null);
transferable.addDataFlavor("text/plain");
Services.clipboard.getData(transferable, Ci.nsIClipboard.kGlobalClipboard);
const data = {};
transferable.getTransferData("text/plain", data);
return data.value.QueryInterface(Ci.nsISupportsString).data;
"""
INJECTED = """
const [url, id] = arguments;
const policy = WebExtensionPolicy.getByID(id);
const uri = Services.io.newURI(url);
return policy.contentScripts.some((script) => script.matchesURI(uri));
"""


class ScriptInterrupted(AssertionError):
    """Marionette answered a script with nothing: the page it ran in was replaced (a new tab
    still going from about:blank to its address, a navigation) before it answered."""


def unpack(answer: str | None) -> Any:
    if answer is None:
        raise ScriptInterrupted("the page was replaced before the script answered")
    result = json.loads(answer)
    if "error" in result:
        raise AssertionError(f"script failed in Firefox: {result['error']}")
    return result["value"]


class FirefoxTab:
    def __init__(self, session: FirefoxSession, handle: str) -> None:
        self.session = session
        self.handle = handle

    @property
    def client(self) -> Marionette:
        self.session.focus(self.handle)
        return self.session.client

    @property
    def url(self) -> str:
        return self.client.get_url()

    def goto(self, url: str) -> None:
        self.client.navigate(url)

    def reload(self) -> None:
        self.client.refresh()

    def back(self) -> None:
        self.client.go_back()

    def forward(self) -> None:
        self.client.go_forward()

    def close(self) -> None:
        self.client.close()
        self.session.forget(self.handle)

    def is_closed(self) -> bool:
        return self.handle not in self.session.client.window_handles

    def bring_to_front(self) -> None:
        self.session.focus(self.handle, bring_to_front=True)

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return unpack(self.client.execute_async_script(PAGE_CALL % function, [json.dumps(arg)]))

    def wait_until(self, function: str, arg: Any = None, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(function, arg)
            except ScriptInterrupted:
                value = None
            if value or time.monotonic() > deadline:
                return value or None
            time.sleep(POLL_SECONDS)

    def click(self, selector: str) -> None:
        """Waits for the element like Playwright's click does, then clicks it for real."""
        present = "(s) => document.querySelector(s) !== null"
        assert self.wait_until(present, selector), f"no element matches {selector}"
        self.client.find_element("css selector", selector).click()

    def press(self, key: str) -> None:
        keys = [KEYS.get(part, part) for part in key.split("+")]
        sequence = self.client.actions.sequence("key", "keyboard")
        for code in keys:
            sequence.key_down(code)
        for code in reversed(keys):
            sequence.key_up(code)
        sequence.perform()

    def screenshot(self, selector: str, path: Path) -> None:
        element = self.client.find_element("css selector", selector)
        path.write_bytes(self.client.screenshot(element=element, format="binary"))

    def set_viewport(self, width: int, height: int) -> None:
        """The window sized so that the page gets width x height (the toolbars take the rest)."""
        client = self.client
        client.set_window_rect(width=width, height=height)
        inner = self.evaluate("() => [window.innerWidth, window.innerHeight]")
        client.set_window_rect(width=2 * width - inner[0], height=2 * height - inner[1])

    def screenshot_viewport(self, path: Path) -> None:
        path.write_bytes(self.client.screenshot(full=False, format="binary"))

    def set_color_scheme(self, scheme: str) -> None:
        """The page in `scheme`, once it says so: a pref reaches the page a moment later."""
        self.session.set_pref(
            "layout.css.prefers-color-scheme.content-override", 0 if scheme == "dark" else 1
        )
        self.wait_until(
            "(dark) => matchMedia('(prefers-color-scheme: dark)').matches === dark",
            scheme == "dark",
        )

    def wait_closed(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_closed():
            assert time.monotonic() < deadline, "the tab was not closed"
            time.sleep(POLL_SECONDS)
        self.session.forget(self.handle)

    def axe_violations(self) -> list[dict]:
        client = self.client
        client.execute_script(AXE_SOURCE, sandbox="axe", new_sandbox=True)
        answer = client.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve(({AXE_RUN})()).then((v) => done(JSON.stringify({{ value: v }})),"
            " (e) => done(JSON.stringify({ error: String(e) })));",
            sandbox="axe",
            new_sandbox=False,
        )
        return unpack(answer)

    def choose_file(self, selector: str, path: Path) -> None:
        """The file input given `path`, as the member picks it in the browser's file dialog."""
        self.client.find_element("css selector", selector).send_keys(str(path))

    def downloads(
        self, action: Callable[[], None], count: int, folder: Path, timeout: float = 20
    ) -> list[Path]:
        """The `count` files the page downloads while `action()` runs: Firefox saves them in
        `folder` without asking (the prefs of a member who never chose "always ask")."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, value in DOWNLOAD_PREFS.items():
            self.session.set_pref(name, value)
        self.session.set_pref("browser.download.dir", str(folder))
        before = set(folder.iterdir())
        action()
        deadline = time.monotonic() + timeout
        while True:
            new = [path for path in folder.iterdir() if path not in before]
            done = [path for path in new if not path.name.endswith(".part")]
            if len(done) >= count and len(done) == len(new):
                return sorted(done)
            assert time.monotonic() < deadline, f"downloaded so far: {[p.name for p in new]}"
            time.sleep(POLL_SECONDS)


class FirefoxSession:
    """Firefox ESR with the packed build installed as a temporary add-on."""

    name = "firefox"

    def __init__(
        self,
        executable: str,
        package: Path,
        profile: Path,
        server_prefs: dict[str, str],
        locale: str = "en-US",
        headless: bool = True,
        first_run_wait: float = FIRST_RUN_WAIT,
        accept_insecure_certs: bool = True,
    ) -> None:
        """`first_run_wait`: how long to wait for the first-run page (0: not at all)."""
        self.gecko_id = gecko_id(package)
        self.package = package
        prefs = {
            **server_prefs,
            "extensions.webextensions.uuids": json.dumps({self.gecko_id: EXTENSION_UUID}),
        }
        self.process = FirefoxProcess(executable, profile, prefs, locale, headless)
        try:
            self.client = start_marionette(self.process.port, accept_insecure_certs)
            self.client.timeout.script = 60
            install_addon(self.client, package)
            self.current = self.client.current_window_handle
            self.control = self.current  # an extension page that stays open for `extension()`
            self.client.navigate(self.popup_url)
            self.first_run = self.wait_for_first_run(first_run_wait)
        except BaseException:
            self.process.stop()
            raise

    @property
    def popup_url(self) -> str:
        return f"moz-extension://{EXTENSION_UUID}/popup/popup.html"

    def reinstall(self) -> None:
        """The same package installed over the installed one, as Firefox installs an update:
        the extension's pages close, it starts again and onInstalled says "update". A new tab
        showing the popup becomes the control page."""
        blank = self.client.open(type="tab", focus=True)["handle"]  # keeps the window open
        self.focus(blank, bring_to_front=True)
        install_addon(self.client, self.package)
        self.control = blank
        self.client.navigate(self.popup_url)

    @property
    def first_run_url(self) -> str:
        return f"moz-extension://{EXTENSION_UUID}/{FIRST_RUN_PAGE}"

    def first_run_tabs(self) -> list[FirefoxTab]:
        tabs = [FirefoxTab(self, h) for h in self.client.window_handles if h != self.control]
        return [tab for tab in tabs if tab.url == self.first_run_url]

    def wait_for_first_run(self, timeout: float = FIRST_RUN_WAIT) -> FirefoxTab | None:
        """The tab the extension opened after install, once it shows the first-run page."""
        deadline = time.monotonic() + timeout
        while not (opened := self.first_run_tabs()) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        return opened[0] if opened else None

    def focus(self, handle: str, bring_to_front: bool = False) -> None:
        if handle != self.current or bring_to_front:
            self.client.switch_to_window(handle, focus=bring_to_front)
            self.current = handle

    def forget(self, handle: str) -> None:
        if self.current == handle:
            self.current = None

    def set_pref(self, name: str, value: object) -> None:
        with self.client.using_context("chrome"):
            self.client.set_pref(name, value)

    def close(self) -> None:
        try:
            self.client.delete_session()
        finally:
            self.process.stop()

    def open(self, url: str) -> FirefoxTab:
        handle = self.client.open(type="tab", focus=True)["handle"]
        self.focus(handle, bring_to_front=True)
        tab = FirefoxTab(self, handle)
        tab.goto(url)
        return tab

    def open_popup(self) -> FirefoxTab:
        return self.open(self.popup_url)

    def open_extension_page(self, path: str) -> FirefoxTab:
        return self.open(f"moz-extension://{EXTENSION_UUID}/{path}")

    def expect_new_tab(self, action) -> FirefoxTab:
        before = set(self.client.window_handles)
        action()
        deadline = time.monotonic() + 20
        while not (new := set(self.client.window_handles) - before):
            assert time.monotonic() < deadline, "the extension opened no tab"
            time.sleep(POLL_SECONDS)
        return FirefoxTab(self, new.pop())

    def tab_count(self) -> int:
        return len(self.client.window_handles) - 1  # without the control page

    def extension(self, function: str, arg: Any = None) -> Any:
        self.focus(self.control)
        call = EXTENSION_CALL % function
        return unpack(self.client.execute_async_script(call, [json.dumps(arg)]))

    def send_message(self, message: dict) -> Any:
        """Send a runtime message as the popup does, from the extension page kept open."""
        return self.extension("(api, message) => api.runtime.sendMessage(message)", message)

    def read_clipboard(self) -> str:
        with self.client.using_context("chrome"):
            return self.client.execute_script(CLIPBOARD, sandbox="system")

    def content_script_injected(self, tab: FirefoxTab) -> bool:
        """Whether Firefox's own matcher gives this page the extension's content script.
        (Firefox has no DevTools-protocol list of a page's script worlds to read instead.)"""
        url = tab.url
        with self.client.using_context("chrome"):
            return self.client.execute_script(INJECTED, [url, self.gecko_id], sandbox="system")

    def reset(self) -> None:
        for handle in self.client.window_handles:
            if handle != self.control:
                self.client.switch_to_window(handle, focus=False)
                self.client.close()
        self.current = None
        self.extension(CLEAR_STORAGE)
