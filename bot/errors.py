"""Errors the command line turns into one clear line and an exit code."""


class ClaimCheckError(Exception):
    """Base class: an expected failure with a message meant for the user."""

    exit_code = 1


class UsageError(ClaimCheckError):
    """Bad usage or unreadable input (exit code 2)."""

    exit_code = 2


class KnowledgeError(UsageError):
    """A knowledge file is malformed; the message names the file and record."""


class ModelError(ClaimCheckError):
    """A model could not be found or loaded; the message says how to fix it."""


class IndexStoreError(ClaimCheckError):
    """The shipped index is missing, broken or out of date; the message says how to rebuild it."""
