"""ebok: the domain of a Polish housing cooperative's resident portal (e-BOK).

A thin Python layer over the Rust library ``ebok-core``: exact money as
:class:`decimal.Decimal` (floats are refused), dates as :class:`datetime.date`, instants as
timezone-aware :class:`datetime.datetime`. Every error is an :class:`ebok.EbokError`.

>>> import ebok, datetime
>>> from decimal import Decimal
>>> ledger = ebok.Ledger.from_entries([
...     ("N1", "0756555", "charge", Decimal("114.21"), datetime.date(2025, 5, 1), "eksploatacja",
...      datetime.date(2025, 5, 1), datetime.date(2025, 5, 10), "NAL 05/2025"),
... ])
>>> ledger.balance("0756555", datetime.date(2025, 5, 31))
Decimal('114.21')
"""

from ebok._ebok import (
    Account,
    AccountLine,
    Authenticator,
    Balances,
    Consumption,
    ConsumptionPart,
    Cooperative,
    Entry,
    Interest,
    InterestProjection,
    InterestSegment,
    Ledger,
    Meter,
    MeterBook,
    OpenItem,
    OpenItems,
    Payment,
    PostingLag,
    RateTable,
    Reading,
    Secret,
    SettlementPolicy,
    Statement,
    Transition,
    Verdict,
    allocate_payment,
    effective_due_date,
    estimate_from_average,
    import_snapshot,
    is_public_holiday,
    late_interest,
    legalization_valid_through,
    overdue_activations,
    parse_unblock_sms,
    terms_of_use,
    version,
)
from ebok.errors import (
    AccessDeniedError,
    BatchError,
    EbokError,
    FloatNotAllowedError,
    InvalidValueError,
    NaiveDatetimeError,
    NotFoundError,
    PasswordRejectedError,
    PolicyError,
    SnapshotError,
)

__version__ = version()

__all__ = [
    "AccessDeniedError",
    "Account",
    "AccountLine",
    "Authenticator",
    "Balances",
    "BatchError",
    "Consumption",
    "ConsumptionPart",
    "Cooperative",
    "EbokError",
    "Entry",
    "FloatNotAllowedError",
    "Interest",
    "InterestProjection",
    "InterestSegment",
    "InvalidValueError",
    "Ledger",
    "Meter",
    "MeterBook",
    "NaiveDatetimeError",
    "NotFoundError",
    "OpenItem",
    "OpenItems",
    "PasswordRejectedError",
    "Payment",
    "PolicyError",
    "PostingLag",
    "RateTable",
    "Reading",
    "Secret",
    "SettlementPolicy",
    "SnapshotError",
    "Statement",
    "Transition",
    "Verdict",
    "allocate_payment",
    "effective_due_date",
    "estimate_from_average",
    "import_snapshot",
    "is_public_holiday",
    "late_interest",
    "legalization_valid_through",
    "overdue_activations",
    "parse_unblock_sms",
    "terms_of_use",
    "version",
]
