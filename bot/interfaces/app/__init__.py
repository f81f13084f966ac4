"""The browser app (Gradio): chat, batch and knowledge tabs, and the `/check` API.

`layout` builds the page, `chat` and `batch_tab` handle its events, `format` writes the HTML,
`engine` shares one checker between sessions, `options` reads the command line. Importing
this package loads nothing heavy; `app.py` at the repository root starts the server.
"""
