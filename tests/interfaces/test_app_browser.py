"""End to end: `python app.py` in a subprocess, driven by a real browser and by gradio_client.

The browser is Debian's Chromium through Playwright; these tests skip (with the reason) only
when /usr/bin/chromium is missing. The app runs with whatever CLAIMCHECK_* settings the test
run has; verdicts are not asserted, only the structure of the answers.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from bot.config import PROJECT_ROOT
from bot.conversation.follow_ups import WEIGHED
from bot.interfaces.app.batch_tab import COLUMNS
from bot.interfaces.present import BADGES
from bot.verdict.report import VERDICTS

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# The README's screenshots are refreshed on request, so a test run leaves the work tree clean:
# CLAIMCHECK_SCREENSHOT=docs/chat.png pytest tests/interfaces/test_app_browser.py (the conversation goes
# beside it, to docs/conversation.png)
SCREENSHOT = os.environ.get("CLAIMCHECK_SCREENSHOT")
START_TIMEOUT = 240  # seconds: the models load before the server listens
UI_TIMEOUT = 60_000  # milliseconds: generous, the machine may be busy training

STATEMENT = "Deep learning requires massive datasets to succeed."
QUIZ = ("Which of the following is NOT true about deep learning? A) It learns from data with many-layered neural "
        "networks. B) It needs massive datasets to succeed. C) It is used in medical diagnosis.")
# A source of the user's own, with markup that must show as text in the Knowledge tab.
USER_NOTES = """# Field <em>notes</em> <script>window.__pwned = 3</script>

Gradient clipping keeps <img src=x onerror="window.__pwned = 4"> recurrent training stable.
"""
HOSTILE = '<img src=x onerror="window.__pwned = 1"> <script>window.__pwned = 2</script> are **CNNs** good?'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_log(tmp_path_factory) -> Path:
    """What the app prints while the module's tests run."""
    return tmp_path_factory.mktemp("app") / "app.log"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, app_log):
    """Start the app on a free port, with one added source of the user's; stop it afterwards."""
    port = _free_port()
    log = app_log
    sources = tmp_path_factory.mktemp("sources")
    (sources / "field-notes.md").write_text(USER_NOTES, encoding="utf-8")
    # The index with the added source goes to the test session's cache (CLAIMCHECK_CACHE, tests/conftest.py).
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--knowledge", str(sources)],
                                   cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"the app exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not start in {START_TIMEOUT} s: {log.read_text()[-2000:]}")
            time.sleep(1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8", errors="replace")


# Hosts that serve fonts or scripts; the page must need none of them.
CDN = re.compile(r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs|googletagmanager|"
                 r"google-analytics|huggingface\.co/static|gradio\.s3|amazonaws\.com", re.IGNORECASE)


def test_page_loads_nothing_from_external_hosts(app_url):
    page = _get(app_url)
    theme = _get(app_url + "theme.css")
    assert not CDN.search(page) and not CDN.search(theme)
    # Everything the page loads (scripts, styles, icons, @import / url()) is local.
    loaded = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)|@import\s+(?:url\()?["']?([^"')\s]+)|url\(["']?([^"')]+)""",
                        page + theme)
    external = [url for match in loaded for url in match if url.startswith(("http:", "https:", "//"))
                and urlparse(url).hostname not in ("127.0.0.1", "localhost", "www.w3.org")]
    assert external == []


def test_check_endpoint_with_gradio_client(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    one = client.predict(STATEMENT, api_name="/check")
    assert one["statement"] == STATEMENT and one["verdict"] in VERDICTS and 0 <= one["confidence"] <= 1
    assert one["explanation"] and set(one) >= {"claim", "citation", "evidence"}
    several = client.predict("Deep learning is a kind of machine learning. It never needs much data.",
                             api_name="/check")
    assert len(several["claims"]) == 2
    quiz = client.predict(QUIZ, api_name="/check")["quiz"]
    assert [option["label"] for option in quiz["options"]] == ["A", "B", "C"] and quiz["asks_for"] == "false"
    assert client.predict(" ", api_name="/check")["error"]


def test_the_load_bench_http_client_gets_the_gradio_clients_answer(app_url):
    from gradio_client import Client

    from bench.load import http_asker, run

    over_http = http_asker(app_url)(STATEMENT)
    assert over_http == Client(app_url, verbose=False).predict(STATEMENT, api_name="/check")
    summary = run(app_url, users=2, seconds=2.0, statements=[STATEMENT], pid=None, client="http")
    assert summary.requests > 0 and summary.errors == 0 and 0 < summary.p50_ms <= summary.p95_ms


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def outside() -> list[str]:
    """Requests the page tried to make to other hosts (blocked)."""
    return []


@pytest.fixture
def page(browser, app_url, outside):
    """A fresh page on the app; any request to another host is blocked and recorded in `outside`."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT)
    host = urlparse(app_url).netloc

    def guard(route):
        if urlparse(route.request.url).netloc in (host, "") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(app_url)
    yield page
    context.close()


def _send(page, text: str) -> None:
    box = page.locator("#cc-input textarea")
    box.fill(text)
    box.press("Enter")


def _bot_messages(page):
    return page.locator("#cc-chat .cc-reply, #cc-chat .cc-help")


def test_chat_statement_quiz_and_escaping(page, outside, tmp_path):
    _send(page, STATEMENT)
    reply = _bot_messages(page).nth(0)
    reply.locator(".cc-badge").first.wait_for()
    badge = reply.locator(".cc-badge").first.inner_text()
    assert any(word in badge for word in ("TRUE", "FALSE", "NUANCED", "UNVERIFIABLE"))
    assert "confident" in reply.inner_text()
    citation = reply.locator("details.cc-citation")
    if "UNVERIFIABLE" not in badge:  # only an unverifiable verdict comes without a citation
        citation.first.locator("summary").click()
        assert citation.first.locator("blockquote").is_visible()
        assert "section" in citation.first.locator("summary").inner_text()
    screenshot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "chat.png"
    page.screenshot(path=str(screenshot))
    assert screenshot.stat().st_size > 10_000

    _send(page, QUIZ)
    quiz = _bot_messages(page).nth(1)
    quiz.locator(".cc-answer").wait_for()
    assert quiz.locator(".cc-answer").inner_text().startswith("Answer:")
    assert quiz.locator(".cc-options li").count() == 3

    _send(page, HOSTILE)
    _bot_messages(page).nth(2).wait_for()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#cc-chat img[src='x']").count() == 0
    assert "<script>" in page.locator("#cc-chat").inner_text() and "**CNNs**" in page.locator("#cc-chat").inner_text()

    _send(page, "what can you do?")
    page.locator("#cc-chat .cc-help").wait_for()
    assert "Myth 1" in page.locator("#cc-chat .cc-help").inner_text()

    page.locator("#cc-clear").click()
    page.wait_for_function("document.querySelectorAll('#cc-chat .cc-reply').length === 0")
    assert outside == []


def test_chat_holds_a_three_turn_conversation(page, outside, tmp_path):
    """A statement, "why?" and "what about TPUs?": each answer against the one before."""
    _send(page, "Deep learning requires GPUs.")
    first = _bot_messages(page).nth(0)
    first.locator(".cc-badge").first.wait_for()
    _send(page, "why?")
    why = page.locator("#cc-chat .cc-followup").first
    why.wait_for()
    assert WEIGHED in why.inner_text() and why.locator(".cc-weighed li").count() >= 1
    assert why.locator(".cc-weighed li").count() == why.locator(".cc-bar").count()  # each figure shown once
    assert "- “" not in why.inner_text()  # a list, not dashes typed into a paragraph
    _send(page, "what about TPUs?")
    page.get_by_text("Checking: Deep learning requires TPUs").wait_for()
    third = _bot_messages(page).nth(2)
    third.locator(".cc-badge").first.wait_for()
    assert "Deep learning requires TPUs" in third.locator(".cc-claim").first.inner_text()
    # The whole conversation in one picture: the chat's 540 px scroll box opens to its full height.
    page.add_style_tag(content="#cc-chat, #cc-chat .bubble-wrap { height: auto !important; overflow: visible !important; }")
    shot = Path(SCREENSHOT).with_name("conversation.png") if SCREENSHOT else tmp_path / "conversation.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000 and outside == []


def test_example_prompt_runs_on_click(page):
    page.get_by_text("What can you do?", exact=True).first.click()
    page.locator("#cc-chat .cc-help").wait_for()


def test_batch_tab_fills_the_table_and_offers_downloads(page, outside, app_url, tmp_path):
    upload = tmp_path / "statements.txt"
    upload.write_text("Deep learning requires massive datasets to succeed.\n"
                      "# a comment line, skipped\n"
                      "Deep learning is a branch of <b>machine</b> learning.\n"
                      "Cats are better than dogs.\n", encoding="utf-8")
    page.get_by_role("tab", name="Batch").click()
    page.locator("#cc-batch-file input[type=file]").set_input_files(str(upload))
    page.locator("#cc-batch-file").get_by_text("statements").first.wait_for()  # uploaded
    page.locator("#cc-batch-run").click()
    page.locator("#cc-batch-status").get_by_text("Done").wait_for()
    table = page.locator("#cc-batch-table")
    assert table.locator("[role=row]").count() == 4  # the header and three rows
    assert "Cats are better than dogs." in table.inner_text()
    assert "<b>machine</b>" in table.inner_text() and table.locator("b").count() == 0
    downloads = page.locator("#cc-batch-downloads")
    links = {ext: downloads.locator(f"a[download='statements-checked.{ext}']").get_attribute("href")
             for ext in ("csv", "jsonl")}
    csv_text = _get(urljoin(app_url, links["csv"]))
    assert csv_text.splitlines()[0].startswith("row,statement,claim,verdict,confidence,explanation,citation_id")
    records = [json.loads(line) for line in _get(urljoin(app_url, links["jsonl"])).splitlines()]
    assert [record["row"] for record in records] == [1, 2, 3]
    assert all(record["verdict"] in VERDICTS for record in records)
    assert "Done: 3 rows" in page.locator("#cc-batch-status").inner_text()
    assert outside == []


# Reads what a person sees of the results table: each header's and cell's box against the width its
# text needs on one line (in its own font), the header row's height, and which rows lie in the scroll box.
MEASURE_TABLE = """(root) => {
  const context = document.createElement("canvas").getContext("2d");
  const needs = (element, words) => {
    const style = getComputedStyle(element);
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return context.measureText(words ?? element.innerText.trim()).width;
  };
  const box = (element) => element.getBoundingClientRect();
  const viewport = box(root.querySelector(".virtual-table-viewport"));
  const headers = [...root.querySelectorAll("thead [role=columnheader]")].map((cell) => ({
    text: cell.innerText.trim(), width: box(cell).width, needs: needs(cell), height: box(cell).height}));
  const rows = [...root.querySelectorAll("[role=row]")].filter((row) => !row.closest("thead")).map((row) => ({
    inView: box(row).top >= viewport.top - 1 && box(row).bottom <= viewport.bottom + 1,
    cells: [...row.children].filter((cell) => box(cell).width > 0).map((cell) => ({
      text: cell.innerText.trim(), width: box(cell).width, needs: needs(cell),
      widestVerdict: Math.max(...BADGES.map((badge) => needs(cell, badge)))}))}));
  return {headers, rows, tableWidth: viewport.width};
}"""
NARROW = ("Row", "Verdict", "Confidence", "Section")  # columns whose values must stay on one line


def _assert_table_is_legible(page, rows: int) -> None:
    table = page.locator("#cc-batch-table").evaluate(MEASURE_TABLE.replace("BADGES", json.dumps(list(BADGES.values()))))
    headers = table["headers"]
    assert [header["text"] for header in headers] == COLUMNS
    for header in headers:  # at least as wide as its header, which fits on one line
        assert header["width"] >= header["needs"] + 8, header
        assert header["height"] < 60, header
    assert sum(header["width"] for header in headers) <= table["tableWidth"] + 1  # no sideways scrolling
    shown = [row for row in table["rows"] if row["inView"]]
    assert len(shown) == rows  # every row in the scroll box at once
    for row in shown:
        cells = dict(zip(COLUMNS, row["cells"]))
        for name in NARROW:
            assert cells[name]["width"] >= cells[name]["needs"] + 8, (name, cells[name])
        assert cells["Verdict"]["width"] >= cells["Verdict"]["widestVerdict"] + 8  # "? UNVERIFIABLE" on one line


@pytest.mark.parametrize("width", [1280, 1600])
def test_batch_results_table_is_legible(page, tmp_path, width):
    """Each column at least as wide as its header, the verdict on one line, every row of a short file in view."""
    page.set_viewport_size({"width": width, "height": 1000})
    upload = tmp_path / "legible.csv"
    upload.write_text("statement\nDeep learning requires massive datasets to succeed.\nCats are better than dogs.\n"
                      "Deep learning is a branch of machine learning.\n", encoding="utf-8")
    page.get_by_role("tab", name="Batch").click()
    page.locator("#cc-batch-file input[type=file]").set_input_files(str(upload))
    page.locator("#cc-batch-file").get_by_text("legible").first.wait_for()
    page.locator("#cc-batch-run").click()
    page.locator("#cc-batch-status").get_by_text("Done").wait_for()
    page.wait_for_function("document.querySelectorAll('#cc-batch-table .virtual-body [role=row]').length === 3")
    _assert_table_is_legible(page, rows=3)


def test_batch_tab_refuses_a_binary_file_in_one_line(page, outside, tmp_path, app_log):
    """The command line's message, the file named as the user named it; no error badges, no traceback logged."""
    upload = tmp_path / "binary.csv"
    upload.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    page.get_by_role("tab", name="Batch").click()
    page.locator("#cc-batch-file input[type=file]").set_input_files(str(upload))
    page.locator("#cc-batch-file").get_by_text("binary").first.wait_for()
    page.locator("#cc-batch-run").click()
    status = page.locator("#cc-batch-status")
    status.get_by_text("looks like a binary file").wait_for()
    assert status.inner_text().strip() == "Cannot check this file: binary.csv looks like a binary file, not text."
    assert page.get_by_text("Error", exact=True).count() == 0 and "/tmp" not in page.locator("body").inner_text()
    assert "Traceback" not in app_log.read_text() and outside == []


def test_knowledge_tab_lists_sections_claims_and_added_sources(page, outside):
    page.get_by_role("tab", name="Knowledge").click()
    knowledge = page.locator("#cc-knowledge")
    knowledge.get_by_text("Built-in knowledge").wait_for()
    assert knowledge.locator("details.cc-section").count() > 5
    assert "rated claims" in knowledge.inner_text()
    knowledge.locator("details.cc-section").last.locator("summary").click()
    text = knowledge.inner_text()
    yours = text[text.index("Your sources"):]
    assert "Field <em>notes</em> <script>window.__pwned = 3</script>" in yours
    assert '<img src=x onerror="window.__pwned = 4">' in yours
    assert page.evaluate("window.__pwned") is None and knowledge.locator("img, script, em").count() == 0
    assert outside == []


def test_uploads_over_the_size_limit_are_refused(app_url):
    import httpx

    response = httpx.post(app_url + "gradio_api/upload", files={"files": ("big.txt", b"a" * (6 * 1024 * 1024))},
                          timeout=60)
    assert response.status_code == 413


@pytest.mark.parametrize("target", [str(PROJECT_ROOT / "app.py"), str(PROJECT_ROOT / "knowledge" / "holbox-2025-deep-learning-myths.yaml"),
                                    "/etc/passwd", "app.py", "http://127.0.0.1:{port}/"])
def test_the_server_opens_no_path_a_client_names(app_url, target):
    """Gradio's file route serves uploads and the app's own results only: no project file, no local URL."""
    import httpx

    target = target.format(port=urlparse(app_url).port)
    response = httpx.get(app_url + "gradio_api/file=" + target, timeout=30)
    assert response.status_code == 403, response.text[:200]


def test_a_broken_knowledge_file_stops_the_app_with_one_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("sections:\n  x:\n    heading: X\n    records:\n      - id: Bad Id\n"
                                       "        text: hi\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "app.py", "--port", str(_free_port()), "--knowledge", str(tmp_path)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().startswith("claimcheck: error: ") and "bad.yaml" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr + done.stdout
