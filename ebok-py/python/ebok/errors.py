"""The exceptions of ebok: one hierarchy rooted at :class:`EbokError`.

Each subclass also inherits the built-in exception that fits, so ``except ValueError``
catches a bad amount and ``except KeyError`` an unknown premises. Messages name the field,
the row and the value.
"""

from __future__ import annotations

from typing import Any


class EbokError(Exception):
    """Base class of every error raised by ebok."""


class InvalidValueError(EbokError, ValueError):
    """A value was refused: a malformed amount, date, identifier or code."""


class FloatNotAllowedError(EbokError, TypeError):
    """A float was given where money is expected; a float cannot hold an exact amount."""


class NaiveDatetimeError(EbokError, TypeError):
    """A datetime without a time zone was given where an instant is expected."""


class BatchError(EbokError, ValueError):
    """A batch of ledger entries was refused; nothing was changed.

    ``rows`` lists every problem as a dict: ``row``, ``entry_id``, ``field``, ``value``, ``reason``.
    """

    def __init__(self, message: str, rows: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.rows: list[dict[str, Any]] = rows or []


class SnapshotError(EbokError, ValueError):
    """A snapshot from the accounting system was refused; nothing was changed.

    ``issues`` lists every problem as a dict: ``file``, ``line``, ``column``, ``value``, ``reason``.
    """

    def __init__(self, message: str, issues: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.issues: list[dict[str, Any]] = issues or []


class NotFoundError(EbokError, KeyError):
    """No such premises, meter, entry or account."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class AccessDeniedError(EbokError, PermissionError):
    """An access operation was refused (a closed account, a block for misuse …)."""


class PasswordRejectedError(EbokError, ValueError):
    """A new password was refused; ``reasons`` lists each reason code and message."""

    def __init__(self, message: str, reasons: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.reasons: list[dict[str, str]] = reasons or []


class StatementFormatError(EbokError, ValueError):
    """A bank statement file could not be read; ``line`` (MT940) or ``path`` (camt XML) says where."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.line: int | None = line
        self.path: str | None = path


class BankConflictError(EbokError, ValueError):
    """A statement entry is already in the bank book with other content; nothing was imported.

    ``key`` is ``account/bank reference``; ``field`` the first field that differs.
    """

    def __init__(self, message: str, key: str = "", field: str = "") -> None:
        super().__init__(message)
        self.key: str = key
        self.field: str = field


class PolicyError(EbokError, ValueError):
    """A policy or configuration value is out of bounds."""


__all__ = [
    "AccessDeniedError",
    "BankConflictError",
    "BatchError",
    "EbokError",
    "FloatNotAllowedError",
    "InvalidValueError",
    "NaiveDatetimeError",
    "NotFoundError",
    "PasswordRejectedError",
    "PolicyError",
    "StatementFormatError",
    "SnapshotError",
]
