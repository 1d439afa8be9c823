"""CONTRIBUTING.md's recipes stay true (issue 25): six or more, each naming files that exist
and a test that exists, and ending with a "Prove it" block whose commands run in CI.

The cheap commands run here, as a recipe writes them: `python build.py` (with `--lint` or
not) and `python build.py release` / `release --check` into a temporary folder (never dist/,
which other tests read while this one runs), `python build.py check-rules` on the report kept
in tests/build/contributing/, and `node --test` on the unit files named. A pytest command is the
suite itself: its files must exist under pyproject's testpaths, which `bash scripts/test` runs
with a bare `python -m pytest`. An npm script must be in package.json and run by scripts/test.

tests/build/contributing/report.txt is a report as the popup copies it, written by the
extension's own code (tests/unit/write-report.js, as tests/build/test_rulecheck.py drives it):
the AI setting's page after LinkedIn reworded the label and renamed the key, so that only the
page-level step (only-switch) found the switch and the click did not hold (failed, reverted).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
SAMPLE_REPORT = ROOT / "tests" / "build" / "contributing" / "report.txt"
SCRIPTS_TEST = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
PYTEST_OPTIONS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "pytest"
]["ini_options"]

RECIPE_HEADING = re.compile(r"^## (\d+)\. (.+)$", re.MULTILINE)
# A path in backticks: a "/" in it or a file's extension; `<lang>` stands for any one folder.
BACKTICKED = re.compile(r"`([\w.<>*/-]+)`")
PATH_ENDINGS = (".py", ".js", ".json", ".md", ".toml")
LINK = re.compile(r"\]\(([^)\s]+)\)")
TEST_FILE = re.compile(r"(?:^|/)(?:test_\w+\.py|[\w-]+\.test\.js)$")
PROVE_IT = re.compile(r"\nProve it:\n\n```sh\n(.*?)\n```\n*\Z", re.DOTALL)


def recipes() -> dict[str, str]:
    """Each recipe's heading -> its text, up to the next second-level heading."""
    sections = re.split(r"^(?=## )", CONTRIBUTING, flags=re.MULTILINE)
    return {
        section.splitlines()[0][3:]: section
        for section in sections
        if RECIPE_HEADING.match(section.splitlines()[0])
    }


RECIPES = recipes()


def named_paths(text: str) -> set[str]:
    """The repository paths a text names in backticks and links (anchors left off)."""
    paths = {
        name
        for name in BACKTICKED.findall(text)
        if not name.startswith("/") and ("/" in name or name.endswith(PATH_ENDINGS))
    }
    links = {target.split("#")[0] for target in LINK.findall(text) if "://" not in target}
    return paths | {link for link in links if link}


def exists(path: str) -> bool:
    pattern = re.sub(r"<\w+>", "*", path)
    if "*" in pattern:
        return any(ROOT.glob(pattern))
    return (ROOT / pattern).exists()


def part(recipe: str, start: str, end: str) -> str:
    """The recipe's text from the line starting `start` up to the one starting `end`."""
    match = re.search(rf"^{re.escape(start)}(.*?)^{re.escape(end)}", recipe, re.S | re.M)
    return match[1] if match else ""


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_there_are_six_recipes_or_more_numbered_in_order() -> None:
    numbers = [int(number) for number, _ in RECIPE_HEADING.findall(CONTRIBUTING)]
    assert len(numbers) >= 6, f"{len(numbers)} recipes"
    assert numbers == list(range(1, len(numbers) + 1))
    titles = " | ".join(RECIPES)
    for task in ("Fix a rule", "Add a setting", "Add a language", "Add a step kind"):
        assert task in titles
    assert "Add an outcome or a message" in titles and "Release a hotfix" in titles


def test_every_path_it_names_exists() -> None:
    named = named_paths(CONTRIBUTING)
    assert {"extension/rules/linkedin.json", "tools/checkrules/check.py"} <= named
    assert not sorted(path for path in named if not exists(path))


def test_each_recipe_names_its_files_and_a_test_that_exists() -> None:
    for title, recipe in RECIPES.items():
        files = named_paths(part(recipe, "**Files:**", "**Test:**"))
        assert files, f"{title}: no **Files:** with a path, before **Test:**"
        tests = [
            path
            for path in named_paths(part(recipe, "**Test:**", "Prove it:"))
            if path.startswith("tests/") and TEST_FILE.search(path)
        ]
        assert tests, f"{title}: its **Test:** names no test file (test_*.py, *.test.js)"
        assert all(exists(path) for path in tests), f"{title}: {tests}"


def test_each_recipe_ends_with_its_prove_it_block() -> None:
    for title, recipe in RECIPES.items():
        block = PROVE_IT.search(recipe.rstrip("\n") + "\n")
        assert block, f"{title}: does not end with 'Prove it:' and a ```sh block"
        assert commands(block[1]), f"{title}: an empty Prove it block"


def test_the_sections_other_documents_point_to_are_here() -> None:
    headings = [line[3:] for line in CONTRIBUTING.splitlines() if line.startswith("## ")]
    anchors = {github_anchor(heading) for heading in headings}
    for document in (ROOT / "RELEASING.md", ROOT / "README.md", *ROOT.glob("docs/*.md")):
        text = document.read_text(encoding="utf-8")
        for quoted in re.findall(r'CONTRIBUTING\.md \("([^"]+)"\)', text):
            quoted = " ".join(quoted.split())
            assert any(quoted.lower() in h.lower() for h in headings), (document.name, quoted)
        for anchor in re.findall(r"CONTRIBUTING\.md#([\w-]+)", text):
            assert anchor in anchors, (document.name, anchor)


def test_its_links_into_other_documents_name_a_heading_there() -> None:
    """RELEASING.md's hotfix section, docs/architecture.md's message catalogue."""
    links = [link.split("#", 1) for link in LINK.findall(CONTRIBUTING) if "#" in link]
    assert ["RELEASING.md", "5-hotfix-recipe-from-a-broken-rule-to-uploaded-ready-packages"] in (
        links
    )
    for file, anchor in links:
        lines = (ROOT / file).read_text(encoding="utf-8").splitlines()
        headings = {github_anchor(line.lstrip("#")) for line in lines if line.startswith("#")}
        assert anchor in headings, f"{file}#{anchor}"


def test_the_commits_section_is_kept() -> None:
    commits = CONTRIBUTING.split("## Commits", 1)[1]
    assert "at most 72 characters" in commits and '"Area: what changed"' in commits
    assert "python3 .ci/commit_subjects.py origin/main HEAD" in commits


# ---------------------------------------------------------------- the commands


def commands(block: str) -> list[str]:
    lines = (line.split(" #", 1)[0].strip() for line in block.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def run(arguments: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def said(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def build_py(arguments: list[str], out: Path) -> str | None:
    """Runs `python build.py …` as written, into `out`; what is wrong, or None."""
    if arguments[:1] == ["check-rules"]:
        # FILE… is the member's report: the one kept here stands in for it.
        result = run([sys.executable, "build.py", "check-rules", str(SAMPLE_REPORT)])
        verdicts = [line for line in result.stdout.splitlines() if "  verdict: " in line]
        if result.returncode or not any("finds exactly one switch" in v for v in verdicts):
            return f"on {SAMPLE_REPORT.name}, no verdict 'finds exactly one switch': {said(result)}"
        return None
    if arguments[:1] == ["release"]:
        result = run([sys.executable, "build.py", *arguments, "--out", str(out / "release")])
        wanted = "every check passed" if "--check" in arguments else "SHA256SUMS"
    else:
        result = run([sys.executable, "build.py", *arguments, "--out", str(out / "dist")])
        wanted = "-firefox.zip"
    if result.returncode or wanted not in result.stdout:
        return f"no line with {wanted!r}: {said(result)}"
    if "--lint" in arguments and not re.search(r"web-ext lint .*: 0 errors", result.stdout):
        return f"web-ext lint: {said(result)}"
    return None


def node_test(arguments: list[str]) -> str | None:
    files = [a for a in arguments if not a.startswith("-")]
    if not files or not all(f.startswith("tests/unit/") and (ROOT / f).is_file() for f in files):
        return f"node --test names no file of tests/unit/ that exists: {files}"
    node = shutil.which("node")
    assert node, "node is missing: install Node.js 20 (the README's first command needs it)"
    result = run([node, *arguments])
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.MULTILINE)
    if result.returncode or "\n# fail 0" not in result.stdout or not passed or passed[1] == "0":
        return said(result)
    return None


def pytest_command(arguments: list[str]) -> str | None:
    """Not run here: the named files must lie where scripts/test's bare pytest collects."""
    if not re.search(r"^python -m pytest$", SCRIPTS_TEST, re.MULTILINE):
        return "scripts/test runs no bare `python -m pytest`"
    paths, skip = [], False
    for argument in arguments:
        if skip or argument.startswith("-"):
            skip = argument in ("-k", "-m")
            continue
        paths.append(argument)
    if not paths:
        return "names no test file"
    testpaths = [PurePosixPath(p) for p in PYTEST_OPTIONS["testpaths"]]
    for path in paths:
        file = PurePosixPath(path.split("::")[0])
        if not (ROOT / file).exists():
            return f"{file}: no such file"
        if not any(file.is_relative_to(top) for top in testpaths):
            return f"{file}: outside testpaths {PYTEST_OPTIONS['testpaths']}"
        if any(part.startswith(".") or part == "dist" for part in file.parts):
            return f"{file}: in a folder pytest does not recurse into"
        if (ROOT / file).is_file() and not re.fullmatch(r"test_\w+\.py", file.name):
            return f"{file}: not a file pytest collects (test_*.py)"
    return None


def npm_command(arguments: list[str]) -> str | None:
    if not arguments:
        return "names no npm script"
    name = arguments[1] if arguments[:1] == ["run"] and len(arguments) > 1 else arguments[0]
    if name == "run" or name.startswith("-"):
        return "names no npm script"
    scripts = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]
    if name not in scripts:
        return f"package.json defines no script {name!r}"
    # `npm run --silent lint:js` runs lint:js too.
    runs = rf"^npm run (--\S+ )*{re.escape(name)}(\s|$)"
    if name == "test":
        runs += r"|^npm test(\s|$)"
    if not re.search(runs, SCRIPTS_TEST, re.MULTILINE):
        return f"scripts/test does not run npm script {name!r}"
    return None


def test_every_recipes_commands_run_in_ci(tmp_path: Path) -> None:
    """Each distinct command once (several recipes share `python build.py --lint`), two at a
    time; `release --check` after `release`, which writes the packages it checks."""
    by_recipe = {}
    for title, recipe in RECIPES.items():
        block = PROVE_IT.search(recipe.rstrip("\n") + "\n")
        by_recipe[title] = commands(block[1]) if block else []
    distinct = list(dict.fromkeys(c for listed in by_recipe.values() for c in listed))
    assert "python build.py check-rules report.txt" in distinct
    releases = [c for c in distinct if c.startswith("python build.py release")]
    jobs = [releases, *([c] for c in distinct if c not in releases)]
    # The builds first: they take longest (`--lint` about 4 s, the release pair about 3 s).
    jobs.sort(key=lambda job: not job or not job[0].startswith("python build.py"))
    checked: dict[str, str | None] = {}

    def run_job(job: list[str]) -> None:
        for command in job:
            checked[command] = prove(command, tmp_path)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run_job, jobs))
    failures = [
        f"{title}: `{command}`: {checked[command]}"
        for title, listed in by_recipe.items()
        for command in listed
        if checked[command]
    ]
    assert not failures, "\n".join(failures)


def prove(command: str, out: Path) -> str | None:
    words = shlex.split(command)
    how: dict[tuple[str, ...], Callable[[list[str]], str | None]] = {
        ("python", "build.py"): lambda rest: build_py(rest, out),
        ("node", "--test"): lambda rest: node_test(["--test", *rest]),
        ("python", "-m", "pytest"): pytest_command,
        ("npm",): npm_command,
    }
    for prefix, proof in how.items():
        if tuple(words[: len(prefix)]) == prefix:
            return proof(words[len(prefix) :])
    return "no way to prove it here: a command this test neither runs nor finds CI running"
