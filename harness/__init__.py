"""What the tests and the benchmark drive: a fake www.linkedin.com (`fake_linkedin`, its pages
in `fixtures/`), the browsers with the extension installed (`chromium`, `firefox`) and the
browser-neutral session API they share (`session`)."""


class BrowserNotFound(Exception):
    """A browser to drive is not installed; the message says how to install it."""
