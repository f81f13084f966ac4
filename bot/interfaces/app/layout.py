"""The page: Chat, Batch and Knowledge tabs, and the `/check` API endpoint.

Look and feel only; what happens on each event lives in `chat.py` and `batch_tab.py`.
"""

from __future__ import annotations

import gradio as gr

from bot.interfaces.app import format
from bot.interfaces.app.batch_tab import BatchTab
from bot.interfaces.app.chat import Chat
from bot.interfaces.app.engine import SharedChecker
from bot.interfaces.app.options import MAX_UPLOAD

# System fonts only: nothing is fetched from a font CDN, so the page looks right offline.
THEME = gr.themes.Default(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
)

# Badges carry a symbol and a word; colour only reinforces them.
CSS = """
.cc-badge { display: inline-block; padding: 0 .45em; border-radius: .35em; font-weight: 700;
            font-size: .9em; white-space: nowrap; border: 1px solid currentColor; }
.cc-true { background: #dcfce7; color: #14532d; }
.cc-false { background: #fee2e2; color: #7f1d1d; }
.cc-nuanced { background: #fef3c7; color: #78350f; }
.cc-unverifiable { background: #e5e7eb; color: #1f2937; }
.cc-confidence, .cc-meta { color: var(--body-text-color-subdued); font-size: .9em; }
.cc-low { color: #b45309; font-size: .9em; font-style: italic; }
.cc-verdict + .cc-verdict { margin-top: .8em; padding-top: .6em; border-top: 1px solid var(--border-color-primary); }
.cc-citation summary { cursor: pointer; }
.cc-citation blockquote { margin: .3em 0 .3em .6em; padding-left: .6em; border-left: 3px solid var(--border-color-primary); }
.cc-options { list-style: none; padding-left: 0; }
.cc-outside, .cc-note { font-style: italic; }
.cc-myth q, .cc-rewritten { font-style: italic; }
.cc-bars { list-style: none; padding-left: 0; margin: .3em 0; }
.cc-bar { display: inline-flex; width: 8em; height: .7em; vertical-align: middle; border: 1px solid var(--border-color-primary); }
.cc-e { background: #16a34a; } .cc-n { background: #9ca3af; } .cc-c { background: #dc2626; }
.cc-chart ul { list-style: none; padding-left: 0; margin: 0; }
.cc-chart-name { display: inline-block; width: 7em; }
.cc-chart-bar { display: inline-flex; width: 20em; height: .9em; vertical-align: middle; }
.cc-chart-bar span { border-right: 1px solid var(--background-fill-primary); }
.cc-chart-bar .cc-quiz { background: #c7d2fe; } .cc-chart-bar .cc-error { background: #fca5a5; }
#cc-batch-table th { word-break: normal; overflow-wrap: normal; hyphens: none; }
"""

EXAMPLES = [
    "Deep learning requires massive datasets to succeed.",
    "Is deep learning a branch of machine learning?",
    "Deep learning models are always black boxes. They never need human oversight.",
    ("Which of the following is NOT true about deep learning? A) It learns from data with many-layered "
     "neural networks. B) It needs massive datasets to succeed. C) It is used in medical diagnosis."),
    "What can you do?",
]

PLACEHOLDER = ("**Check a claim about deep learning.** Type a statement, a question or a whole quiz; "
               "I answer with a verdict, how sure I am, why, and the passage I relied on. Type *help* to see "
               "what I know.")


def build(engine: SharedChecker) -> gr.Blocks:
    """The whole app around one shared checker (models already loaded)."""
    chat = Chat(engine)
    batch = BatchTab(engine)
    builtin, added = engine.split_records()
    # Uploads and result files are deleted after an hour, checked every hour.
    with gr.Blocks(title="claimcheck", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("# claimcheck\nCited verdicts on statements about deep learning, from a local knowledge base.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                conversation = gr.Chatbot(label="claimcheck", elem_id="cc-chat", height=540,
                                          placeholder=PLACEHOLDER, latex_delimiters=[], feedback_options=None,
                                          buttons=["copy"])
                with gr.Row():
                    message = gr.Textbox(show_label=False, placeholder="Type a statement, question or quiz…",
                                         elem_id="cc-input", scale=8, lines=1, max_lines=8, autofocus=True)
                    send = gr.Button("Check", variant="primary", elem_id="cc-send", scale=1)
                    # What this browser session said last, for follow-ups; never shared between sessions.
                    context = gr.State(None)
                    gr.ClearButton([message, conversation, context], value="Clear", elem_id="cc-clear", scale=1)
                examples = gr.Examples(EXAMPLES, inputs=message, label="Try one", api_visibility="private")
                # Enter, the button and a click on an example all send the message.
                for event in (message.submit, send.click, examples.load_input_event.then):
                    event(chat.respond, inputs=[message, conversation, context], outputs=[conversation, message, context],
                          api_visibility="private", concurrency_limit=8, concurrency_id="chat")
            with gr.Tab("Batch", id="batch"):
                batch.render()
            with gr.Tab("Knowledge", id="knowledge"):
                gr.HTML(format.knowledge(builtin, added, engine.settings.knowledge_dirs), elem_id="cc-knowledge")
        # The API: `Client(url).predict("statement", api_name="/check")` -> Report.to_dict().
        # Concurrent requests queue up and run together through one `check_many` pass.
        statement = gr.Textbox(visible=False, label="statement")
        report = gr.JSON(visible=False, label="report")
        statement.submit(chat.check_api, statement, report, api_name="check", batch=True, max_batch_size=16,
                         concurrency_limit=1, concurrency_id="check",
                         api_description="Check one statement, question or quiz; returns the JSON object of "
                                         "`claimcheck check --json`.")
    return demo


# Gradio keeps the state of its most recent sessions, and every REST call (POST
# /gradio_api/call/check) is a new session: with its default of 10,000 the app grew by 450 MiB
# in 5 minutes of scripted calls; with 1,000 it stays flat (docs/measurements.md, "The app under load"). A chat
# idle while a thousand newer sessions came in forgets what it was talking about.
SESSIONS_KEPT = 1000


def launch(demo: gr.Blocks, *, host: str, port: int) -> None:
    """Serve the app until interrupted: queued, offline-safe, with a cap on upload size."""
    # The queue is shared by all users; chat handlers wait on the one checker, /check batches.
    demo.queue(max_size=256, default_concurrency_limit=8)
    demo.launch(server_name=host, server_port=port, max_file_size=MAX_UPLOAD, theme=THEME, css=CSS,
                footer_links=["api", "settings"], ssr_mode=False, pwa=False, mcp_server=False,
                enable_monitoring=False, show_error=True, state_session_capacity=SESSIONS_KEPT)
