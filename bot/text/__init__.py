"""Text: the words of a message, before any model sees them.

Owns sentence splitting and claim normalisation (`claims`), questions turned into statements
and framed denials (`claims`), quiz parsing (`quiz`), the passages of a user's notes
(`passages`) and reading Markdown, HTML, text and PDF files (`extract`).

May import: `bot.config`, `bot.errors`, `bot.fileio`. Pure functions; no models.
"""
