"""Type stubs of the native module ``ebok._ebok`` (hand-curated; checked with mypy.stubtest)."""

import datetime
import os
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Self, final

from ebok.records import (
    AccountLineDict,
    Allocation,
    BankBalanceDict,
    BankEntryDict,
    BankImportReport,
    BankMatchDict,
    BankStatementDict,
    ConsumptionDict,
    ConsumptionPartDict,
    Effect,
    EntryDict,
    HolderChangeReport,
    ImportReport,
    InsertCounts,
    InterestDict,
    InterestProjectionDict,
    InterestSegmentDict,
    MeterDict,
    OpenItemDict,
    OpenItemsDict,
    PaymentCodeDict,
    PaymentDict,
    PendingPaymentDict,
    PostingLagDict,
    PremisesInfo,
    ReadingDict,
    Relation,
    StatementDict,
    TransferDict,
    VerdictDict,
)

__all__ = [
    "Account",
    "AccountLine",
    "Authenticator",
    "Balances",
    "BankBalance",
    "BankEntry",
    "BankMatch",
    "BankStatement",
    "Consumption",
    "ConsumptionPart",
    "Cooperative",
    "Entry",
    "Interest",
    "InterestProjection",
    "InterestSegment",
    "Ledger",
    "Meter",
    "MeterBook",
    "OpenItem",
    "OpenItems",
    "Payment",
    "PaymentCode",
    "PendingPayment",
    "PostingLag",
    "RateTable",
    "Reading",
    "Secret",
    "SettlementPolicy",
    "Statement",
    "StatementFile",
    "Transfer",
    "Transition",
    "Verdict",
    "VirtualAccountScheme",
    "allocate_payment",
    "effective_due_date",
    "estimate_from_average",
    "format_nrb",
    "import_snapshot",
    "is_public_holiday",
    "late_interest",
    "legalization_valid_through",
    "overdue_activations",
    "parse_payment_code",
    "parse_unblock_sms",
    "payment_code",
    "qr_svg",
    "read_statement",
    "terms_of_use",
    "transfer",
    "version",
]

from typing import TypeAlias

_Money: TypeAlias = Decimal | int | str
_EntryInput: TypeAlias = tuple[Any, ...] | list[Any] | dict[str, Any]
_Month: TypeAlias = str | tuple[int, int] | datetime.date
# An arro3 Table: it has `__arrow_c_stream__`, so pyarrow.table(t), polars.DataFrame(t) and DuckDB read it.
_ArrowTable: TypeAlias = Any
# Anything with `__arrow_c_stream__`: a pyarrow Table or RecordBatchReader, a polars DataFrame, …
_ArrowStream: TypeAlias = object

def version() -> str:
    """The version of the ebok library."""
def terms_of_use(language: str = "pl") -> list[str]:
    """The rules of using the e-BOK in the resident's words; `language` is "pl" or "en"."""

@final
class Entry:
    """One entry of a premises account."""
    @property
    def id(self) -> str:
        """The entry's id in the accounting system (unique within the ledger)."""
    @property
    def premises(self) -> str:
        """The premises whose account the entry belongs to."""
    @property
    def kind(self) -> str:
        """The kind: charge, payment, correction, interest, settlement, refund or opening_balance."""
    @property
    def amount(self) -> Decimal:
        """The amount as booked (exact `Decimal`, two places); its sign follows the kind."""
    @property
    def component(self) -> str | None:
        """The charge component (`eksploatacja`, `woda i ścieki`, …), when given."""
    @property
    def operation_date(self) -> datetime.date:
        """The day of the operation: for a payment, the day the money reached the cooperative."""
    @property
    def posted_on(self) -> datetime.date | None:
        """The day the accounting system posted it; `None` while it awaits posting."""
    @property
    def due_date(self) -> datetime.date | None:
        """The payment deadline of a charge, when it has one."""
    @property
    def document(self) -> str | None:
        """The accounting document (`WB 313/2026`, an invoice number), when given."""
    @property
    def effect(self) -> Decimal:
        """What the entry changes in the amount owed: payments negative, charges positive."""
    def to_dict(self) -> EntryDict:
        """The record as a plain dict."""

@final
class Statement:
    """A monthly statement: opening, charges by component, payments, other entries by kind, closing."""
    @property
    def premises(self) -> str:
        """The premises of the statement."""
    @property
    def month(self) -> str:
        """The month, as `YYYY-MM`."""
    @property
    def opening(self) -> Decimal:
        """The balance at the start of the month (positive: owed; negative: overpaid)."""
    @property
    def charges(self) -> dict[str, Decimal]:
        """The month's charges by component."""
    @property
    def charges_total(self) -> Decimal:
        """The sum of the month's charges."""
    @property
    def payments(self) -> Decimal:
        """The sum of the month's payments (positive)."""
    @property
    def other(self) -> dict[str, Decimal]:
        """Other movements by kind (corrections, interest, refunds, …), as their effect on the balance."""
    @property
    def closing(self) -> Decimal:
        """The balance at the end of the month (positive: owed; negative: overpaid)."""
    def to_dict(self) -> StatementDict:
        """The record as a plain dict."""

@final
class AccountLine:
    """One line of the premises account with the running balance after it."""
    @property
    def id(self) -> str:
        """The entry's id."""
    @property
    def kind(self) -> str:
        """The kind of the entry."""
    @property
    def operation_date(self) -> datetime.date:
        """The day of the operation."""
    @property
    def posted_on(self) -> datetime.date | None:
        """The day it was posted, if it has been."""
    @property
    def due_date(self) -> datetime.date | None:
        """The payment deadline, when it has one."""
    @property
    def component(self) -> str | None:
        """The charge component, when given."""
    @property
    def document(self) -> str | None:
        """The accounting document, when given."""
    @property
    def amount(self) -> Decimal:
        """The amount as booked."""
    @property
    def effect(self) -> Decimal:
        """Its effect on the amount owed (payments negative)."""
    @property
    def running_balance(self) -> Decimal:
        """The balance after this line (positive: owed; negative: overpaid)."""
    def to_dict(self) -> AccountLineDict:
        """The record as a plain dict."""

@final
class Payment:
    """One payment of the payment history."""
    @property
    def id(self) -> str:
        """The payment's entry id."""
    @property
    def credited_on(self) -> datetime.date:
        """The day the money reached the cooperative's account (KC: the day of payment)."""
    @property
    def posted_on(self) -> datetime.date | None:
        """The day the books posted it, if they have."""
    @property
    def amount(self) -> Decimal:
        """The amount paid (positive)."""
    @property
    def document(self) -> str | None:
        """The accounting document (bank statement number), when given."""
    def to_dict(self) -> PaymentDict:
        """The record as a plain dict."""

@final
class PostingLag:
    """The posting-lag estimate: days between the money arriving and the accounting system posting it."""
    @property
    def window_start(self) -> datetime.date:
        """The first day of the window the estimate looks at."""
    @property
    def window_end(self) -> datetime.date:
        """The last day of the window."""
    @property
    def sample_size(self) -> int:
        """How many posted payments the estimate rests on."""
    @property
    def median_days(self) -> int:
        """The median days between a payment's arrival and its posting."""
    @property
    def p95_days(self) -> int:
        """The 95th percentile of those days: what the freshness note quotes."""
    @property
    def max_days(self) -> int:
        """The longest lag seen in the window."""
    def to_dict(self) -> PostingLagDict:
        """The record as a plain dict."""

@final
class Balances:
    """Every premises' balance at one (as_of, known_at): a read-only mapping of premises
    identifier to `Decimal` (positive = owed). Held in Rust; `Decimal`s are made when read.
    """
    def __len__(self) -> int:
        """How many premises have a balance."""
    def __contains__(self, premises: str, /) -> bool:
        """Whether the premises id has a balance here."""
    def __getitem__(self, premises: str, /) -> Decimal:
        """The balance of a premises id (`KeyError` when it has none)."""
    def __iter__(self) -> Iterator[str]:
        """The premises ids, in order."""
    def get(self, premises: str, default: Any | None = None) -> Any:
        """The balance of one premises, or `default`."""
    def keys(self) -> list[str]:
        """The premises identifiers, in order."""
    def values(self) -> list[Decimal]:
        """The balances, in premises order."""
    def items(self) -> list[tuple[str, Decimal]]:
        """(premises, balance) pairs, in premises order."""
    def to_dict(self) -> dict[str, Decimal]:
        """A plain `dict[str, Decimal]`."""
    def to_grosze(self) -> dict[str, int]:
        """The balances in grosze (`dict[str, int]`), the cheapest form for numeric work."""
    def total(self) -> Decimal:
        """The sum of all balances."""
    def to_arrow(self) -> Any:
        """The balances as an Arrow table (`premises` utf8, `balance` decimal128(18, 2))."""
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream: `pyarrow.table(b)`, `polars.DataFrame(b)` and DuckDB's
        `from b` read the balances without a Python object per row.
        """

@final
class Ledger:
    """`ebok.Ledger`: all premises accounts of a cooperative."""
    def __new__(cls) -> Self:
        """An empty ledger."""
    @staticmethod
    def from_arrow(data: object) -> Ledger:
        """A ledger built from Arrow data (a pyarrow Table, a polars DataFrame, anything with
        `__arrow_c_stream__`) with the columns of `to_arrow()`: money as a decimal (floats are
        refused), days as date32. All or nothing; every bad row is reported.
        """
    def to_arrow(self) -> Any:
        """Every entry as an Arrow table (`id`, `premises`, `kind`, `amount` decimal128(18, 2),
        `component`, `operation_date`, `posted_on`, `due_date` date32, `document`).
        """
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of every entry (see `to_arrow`)."""
    @staticmethod
    def from_entries(entries: Iterable[_EntryInput]) -> Ledger:
        """A ledger built from an iterable of entries (dicts or tuples) in one call."""
    def insert_many(self, entries: Iterable[_EntryInput], replace: bool = False) -> InsertCounts:
        """Inserts entries (dicts or tuples), all or nothing; returns counts. The identical entry
        again is a no-op; the same id with different content is an error unless `replace`.
        """
    def insert(self, entry: _EntryInput, replace: bool = False) -> InsertCounts:
        """Inserts one entry (a dict or a tuple)."""
    def __len__(self) -> int:
        """How many entries the ledger holds."""
    def premises(self) -> list[str]:
        """The premises that have entries, in order."""
    def get(self, id: str) -> Entry | None:
        """An entry by id."""
    def remove(self, id: str) -> Entry | None:
        """Removes an entry by id; returns it, or None."""
    def entries(self, premises: str | None = None) -> list[Entry]:
        """The entries of one premises (or all), by operation date."""
    def balance(self, premises: str, as_of: datetime.date, known_at: datetime.date | None = None) -> Decimal:
        """Entries with operation date <= as_of posted by known_at (None: all posted). An entry posted before
        its operation date counts from that date. An unknown premises raises ``NotFoundError`` (a ``KeyError``);
        a known one with no entries is 0.00."""
    def balances(self, as_of: datetime.date, known_at: datetime.date | None = None) -> Balances:
        """Every premises' balance at (as_of, known_at), as a `Balances` mapping."""
    def total(self, as_of: datetime.date, known_at: datetime.date | None = None) -> Decimal:
        """The sum of all balances."""
    def statements(self, premises: str, first: _Month, last: _Month, known_at: datetime.date | None = None) -> list[Statement]:
        """Monthly statements from `first` to `last` ("YYYY-MM", (year, month) or a date)."""
    def statement(self, premises: str, month_: _Month, known_at: datetime.date | None = None) -> Statement:
        """The statement of one month."""
    def account_lines(
        self,
        premises: str,
        end: datetime.date,
        start: datetime.date | None = None,
        known_at: datetime.date | None = None,
    ) -> list[AccountLine]:
        """Account lines with a running balance, operation date from `start` (None: the beginning) to `end`."""
    def payment_history(self, premises: str, known_at: datetime.date | None = None) -> list[Payment]:
        """The payments posted by `known_at`, oldest first."""
    def pending(self, premises: str, known_at: datetime.date | None = None) -> list[Entry]:
        """Entries awaiting posting (never in a balance)."""
    def upcoming(self, premises: str, today: datetime.date, known_at: datetime.date | None = None) -> list[Entry]:
        """Entries posted (by known_at) with an operation date after ``today``: next month's charge booked
        before the 1st. Known and shown as upcoming; not in today's balance and not pending."""
    def freshness(self, known_at: datetime.date | None = None) -> datetime.date | None:
        """The latest posting date held (no later than known_at)."""
    def posting_lag(self, known_at: datetime.date, window_days: int = 90) -> PostingLag | None:
        """The posting-lag estimate from payments posted in the window ending at known_at."""
    def set_allocations(self, credit: str, lines: list[tuple[str, str, _Money]]) -> None:
        """Stores the accounting system's allocation of a credit: a list of (debt, part, amount),
        part being "principal" or "interest".
        """
    def designate(self, credit: str, debt: str) -> None:
        """Records that the resident designated `credit` for `debt` (KC art. 451 § 1)."""
    def open_items(
        self,
        premises: str,
        as_of: datetime.date,
        known_at: datetime.date | None = None,
        policy: SettlementPolicy | None = None,
    ) -> OpenItems:
        """Open items of a premises as of a day (and as known on a day), under a policy
        (default: the 10th, principal only, 365-day basis, the statutory rates).
        """
    def statements_to_arrow(
        self,
        first: _Month,
        last: _Month,
        known_at: datetime.date | None = None,
        premises: str | Sequence[str] | None = None,
    ) -> _ArrowTable:
        """Monthly statements of every premises (or the listed ones) as an Arrow table: `premises`, `month` (its
        first day), `known_at`, `opening`, `charges` (map component -> amount), `charges_total`, `payments`,
        `correction`, `interest`, `settlement`, `refund`, `opening_balance`, `closing`; money decimal128(18, 2)."""
    def account_lines_to_arrow(
        self,
        end: datetime.date,
        start: datetime.date | None = None,
        known_at: datetime.date | None = None,
        premises: str | Sequence[str] | None = None,
    ) -> _ArrowTable:
        """Account lines with a running balance, of every premises (or the listed ones), as an Arrow table."""
    def open_items_to_arrow(
        self,
        as_of: datetime.date,
        known_at: datetime.date | None = None,
        policy: SettlementPolicy | None = None,
        premises: str | Sequence[str] | None = None,
    ) -> _ArrowTable:
        """The open items of every premises (or the listed ones) as an Arrow table, one row per debt."""
    def project_interest(
        self,
        premises: str,
        as_of: datetime.date,
        pay_on: datetime.date,
        known_at: datetime.date | None = None,
        policy: SettlementPolicy | None = None,
    ) -> InterestProjection:
        """"If you pay on `pay_on`, the interest will be …": principal, interest and total."""
    def allocations(self) -> list[tuple[str, str, str, Decimal]]:
        """The stored allocations, as (credit, debt, part, amount) tuples."""
    def _bench_balances_rust(self, as_of: datetime.date, known_at: datetime.date | None = None, repeat: int = 20) -> list[float]:
        """Benchmark hook: times `repeat` calls of the core's all-premises balances in Rust (no
        Python objects made) and returns the seconds of each, for comparison with `balances`.
        """
    def _bench_views_rust(
        self, first: _Month, last: _Month, as_of: datetime.date, known_at: datetime.date | None = None, repeat: int = 5
    ) -> tuple[list[float], list[float], list[float]]:
        """Benchmark hook: times, in Rust, the work behind `statements_to_arrow`, `account_lines_to_arrow` and
        `open_items_to_arrow` of every premises; the seconds of each run."""
    def _bench_arrow_rust(self, as_of: datetime.date, known_at: datetime.date | None = None, repeat: int = 5) -> tuple[list[float], list[float], list[float]]:
        """Benchmark hook: times, in Rust, `repeat` runs each of the core's `entries_to_arrow`,
        `ledger_from_arrow` of that batch, and `balances` + `balances_to_arrow`; the seconds of
        each run, for comparison with the same work called from Python.
        """

@final
class RateTable:
    """`ebok.RateTable`: the dated table of statutory late-interest rates (percent per year).
    Ships with the law's table; replace or extend it at run time.
    """
    @staticmethod
    def statutory() -> RateTable:
        """The statutory table shipped with the library."""
    @staticmethod
    def parse(text: str) -> RateTable:
        """A table from text: one `YYYY-MM-DD;rate` row per line."""
    @staticmethod
    def from_rows(rows: list[tuple[datetime.date, Decimal | str]]) -> RateTable:
        """A table from (effective_from, rate percent) pairs."""
    def with_rate(self, effective_from: datetime.date, rate: Decimal | str) -> RateTable:
        """The same table with one more rate from `effective_from`."""
    def rate_on(self, day: datetime.date) -> Decimal | None:
        """The rate in force on a day, or None before the first row."""
    def rows(self) -> list[tuple[datetime.date, Decimal]]:
        """The rows as (effective_from, rate) pairs."""
    def __len__(self) -> int:
        """How many rate periods the table holds."""

@final
class SettlementPolicy:
    """`ebok.SettlementPolicy`: the due day, the allocation order, the day basis and the rates."""
    def __new__(
        cls,
        due_day: int | str | None = None,
        order: str = "principal_only",
        basis: str = "365",
        rates: RateTable | None = None,
    ) -> Self:
        """A settlement policy: the interest rates and how payments settle charges (KC art. 451)."""
    def due_date(self, year: int, month: int) -> datetime.date:
        """The due date of a month after the KC art. 115 shift."""

@final
class InterestSegment:
    """One constant-rate stretch of an interest computation (`exact` is not rounded)."""
    @property
    def first_day(self) -> datetime.date:
        """The first day of the segment."""
    @property
    def last_day(self) -> datetime.date:
        """The last day of the segment."""
    @property
    def days(self) -> int:
        """The number of days in the segment."""
    @property
    def rate_percent(self) -> Decimal:
        """The yearly statutory rate in force over the segment, in percent."""
    @property
    def exact(self) -> Decimal:
        """The segment's interest, exact (not rounded)."""
    def to_dict(self) -> InterestSegmentDict:
        """The record as a plain dict."""

@final
class Interest:
    """Statutory late interest on one amount."""
    @property
    def principal(self) -> Decimal:
        """The amount interest runs on."""
    @property
    def effective_due(self) -> datetime.date:
        """The due day after KC art. 115 moved it past a weekend or holiday."""
    @property
    def paid_on(self) -> datetime.date:
        """The day it was paid, or the day interest is counted to."""
    @property
    def days(self) -> int:
        """The days of delay."""
    @property
    def segments(self) -> list[InterestSegment]:
        """The interest per period of one rate."""
    @property
    def total(self) -> Decimal:
        """The interest, rounded to the grosz."""
    def to_dict(self) -> InterestDict:
        """The record as a plain dict."""

@final
class OpenItem:
    """One unpaid (or partly paid) debt."""
    @property
    def id(self) -> str:
        """The id of the charge still open."""
    @property
    def kind(self) -> str:
        """The kind of the entry."""
    @property
    def component(self) -> str | None:
        """The charge component, when given."""
    @property
    def operation_date(self) -> datetime.date:
        """The day of the charge."""
    @property
    def due_date(self) -> datetime.date | None:
        """The payment deadline, when given."""
    @property
    def effective_due(self) -> datetime.date:
        """The deadline after KC art. 115 (moved past a weekend or holiday)."""
    @property
    def original(self) -> Decimal:
        """The charge's amount."""
    @property
    def outstanding(self) -> Decimal:
        """What is still unpaid of it."""
    @property
    def overdue_since(self) -> datetime.date | None:
        """The first day it was late, if it is."""
    @property
    def days_overdue(self) -> int:
        """How many days it is late (0 when not due yet)."""
    @property
    def interest(self) -> Decimal:
        """The statutory interest on it to the settlement day."""
    def to_dict(self) -> OpenItemDict:
        """The record as a plain dict."""

@final
class OpenItems:
    """Open items of a premises as of a day. Credit is reserved for charges not yet due: a payment of
    844.06 on 7 April against a charge of 129.41 due 15 April shows, on 10 April, no item (the charge is
    covered), ``not_yet_due`` 0 and ``unused_credit`` 714.65, the overpayment the resident sees.
    Σ outstanding − unused_credit = the ledger balance."""

    @property
    def premises(self) -> str:
        """The premises."""
    @property
    def as_of(self) -> datetime.date:
        """The day the items are settled on."""
    @property
    def known_at(self) -> datetime.date | None:
        """The day of the books' knowledge used (posting lag), if any."""
    @property
    def items(self) -> list[OpenItem]:
        """The open charges, oldest first (the order payments settle them in)."""
    @property
    def arrears(self) -> Decimal:
        """The sum outstanding past its due day."""
    @property
    def not_yet_due(self) -> Decimal:
        """Outstanding principal not yet due, after reserved credit (a covered charge is not counted)."""
    @property
    def oldest_overdue(self) -> datetime.date | None:
        """The oldest item past its due day, if any."""
    @property
    def unused_credit(self) -> Decimal:
        """Credit left after every known debt, due or not yet due, took its share: the overpayment shown."""
    @property
    def interest_total(self) -> Decimal:
        """The interest on every item (paid late or still open), to the settlement day."""
    def to_dict(self) -> OpenItemsDict:
        """The record as a plain dict."""

@final
class InterestProjection:
    """"If you pay on this day": principal, interest, and the total after credit."""
    @property
    def pay_on(self) -> datetime.date:
        """The day of the hypothetical payment."""
    @property
    def principal(self) -> Decimal:
        """The principal outstanding of all items."""
    @property
    def interest(self) -> Decimal:
        """The interest on all items to `pay_on`."""
    @property
    def total(self) -> Decimal:
        """Principal + interest − unused overpayment, never below zero: what to pay on `pay_on`."""
    def to_dict(self) -> InterestProjectionDict:
        """The record as a plain dict."""

def late_interest(
    principal: _Money,
    effective_due: datetime.date,
    paid_on: datetime.date,
    rates: RateTable | None = None,
    basis: str = "365",
) -> Interest:
    """Statutory late interest (KC art. 481) on `principal` due on `effective_due` and paid on `paid_on`."""
def effective_due_date(nominal: datetime.date) -> datetime.date:
    """The last day to pay after KC art. 115 (Saturdays, Sundays, holidays move it); before 1990 raises."""
def is_public_holiday(day: datetime.date) -> bool:
    """Polish statutory holiday (Sundays included), by the statutes from 1990-01-01 (12 Nov 2018 included);
    a day before 1990 raises ``InvalidValueError``."""
def allocate_payment(
    debts: list[tuple[str, datetime.date, _Money, _Money]],
    payment_id: str,
    amount: _Money,
    paid_on: datetime.date,
    designated: str | None = None,
    order: str = "principal_only",
) -> Allocation:
    """Allocate one payment under KC art. 451. ``debts`` are ``(id, due, principal, interest)`` with the
    *nominal* due date: a debt is matured on it (a payment on Saturday the 19th settles a debt due that
    Saturday), while interest starts only after the art. 115 effective date."""

@final
class Meter:
    """A meter."""
    @property
    def serial(self) -> str:
        """The meter's serial number (unique in the cooperative)."""
    @property
    def kind(self) -> str:
        """The kind: cold_water, hot_water, heat_meter or heat_cost_allocator."""
    @property
    def premises(self) -> str:
        """The premises the meter is in."""
    @property
    def location(self) -> str | None:
        """Where in the premises (`łazienka`, `kuchnia`), when given."""
    @property
    def installed_on(self) -> datetime.date:
        """The day it was installed."""
    @property
    def initial_reading(self) -> Decimal:
        """Its state when installed."""
    @property
    def removed_on(self) -> datetime.date | None:
        """The day it was removed, if it was."""
    @property
    def final_reading(self) -> Decimal | None:
        """Its state when removed, if it was."""
    @property
    def legalization(self) -> str | None:
        """Its legalization mark (metrological verification): the year, or `M` and the year for an EU mark; when known."""
    @property
    def legalization_valid_through(self) -> datetime.date | None:
        """The last day its legalization is valid."""
    @property
    def rollover_at(self) -> Decimal | None:
        """The state at which its counter starts again from zero, when it has one."""
    def to_dict(self) -> MeterDict:
        """The record as a plain dict."""

@final
class Reading:
    """A reading."""
    @property
    def meter(self) -> str:
        """The meter's serial number."""
    @property
    def date(self) -> datetime.date:
        """The day of the reading."""
    @property
    def value(self) -> Decimal:
        """The meter's state (exact, three places)."""
    @property
    def source(self) -> str:
        """Who read it: inspector, remote, self_reported, estimated or norm."""
    def to_dict(self) -> ReadingDict:
        """The record as a plain dict."""

@final
class ConsumptionPart:
    """One meter's share of a period's consumption."""
    @property
    def meter(self) -> str:
        """The meter the part was measured on."""
    @property
    def kind(self) -> str:
        """The meter's kind."""
    @property
    def start(self) -> datetime.date:
        """The first day of the part."""
    @property
    def end(self) -> datetime.date:
        """The last day of the part."""
    @property
    def amount(self) -> Decimal:
        """The volume used over the part."""
    @property
    def estimated(self) -> bool:
        """Whether the part rests on an estimate."""
    def to_dict(self) -> ConsumptionPartDict:
        """The record as a plain dict."""

@final
class Consumption:
    """Consumption over a period (from the state at the end of `start` to that at the end of `end`)."""
    @property
    def start(self) -> datetime.date:
        """The first day of the period."""
    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
    @property
    def total(self) -> Decimal:
        """The volume used over the period."""
    @property
    def estimated(self) -> Decimal:
        """The part of the total that rests on estimates."""
    @property
    def is_estimated(self) -> bool:
        """Whether any part rests on an estimate."""
    @property
    def parts(self) -> list[ConsumptionPart]:
        """The parts, per meter (a replaced meter gives two)."""
    def to_dict(self) -> ConsumptionDict:
        """The record as a plain dict."""

@final
class Verdict:
    """The verdict on a resident's reading: accepted or not, whether it waits for the resident's
    confirmation (not stored; submit again with confirmed=True), the reasons and warnings as codes, and messages.
    """
    @property
    def accepted(self) -> bool:
        """Whether the reading is accepted."""
    @property
    def needs_confirmation(self) -> bool:
        """Possible but far above the usual use (or a likely misplaced decimal point): not stored;
        submit again with ``confirmed=True`` to store it."""
    @property
    def reasons(self) -> list[str]:
        """Why it was refused (codes), empty when accepted."""
    @property
    def warnings(self) -> list[str]:
        """What is unusual but accepted (codes)."""
    @property
    def messages_pl(self) -> list[str]:
        """The reasons and warnings in Polish, for the resident."""
    @property
    def messages_en(self) -> list[str]:
        """The reasons and warnings in English."""
    def to_dict(self) -> VerdictDict:
        """The record as a plain dict."""

@final
class MeterBook:
    """`ebok.MeterBook`: the cooperative's meters and readings."""
    def __new__(cls) -> Self:
        """An empty book of meters and readings."""
    def add_meter(
        self,
        serial: str,
        kind: str,
        premises: str,
        installed_on: datetime.date,
        initial_reading: Decimal | str,
        location: str | None = None,
        legalization: str | None = None,
        rollover_at: Decimal | str | None = None,
    ) -> None:
        """Registers a meter (kind: "cold_water"/"ZW", "hot_water"/"CW", "heat_meter", "heat_cost_allocator")."""
    def replace_meter(
        self,
        old_serial: str,
        on: datetime.date,
        final_reading: Decimal | str,
        new_serial: str,
        new_initial_reading: Decimal | str,
        legalization: str | None = None,
    ) -> None:
        """Replaces a meter: the old one is removed on `on` with its final reading, the new one installed."""
    def add_reading(self, serial: str, day: datetime.date, value: Decimal | str, source: str = "inspector") -> None:
        """Stores a reading from the cooperative's own sources (inspector, remote, estimated, norm)."""
    def meters(self, premises: str | None = None) -> list[Meter]:
        """The meters of a premises (or all), by installation day."""
    def readings_to_arrow(self) -> _ArrowTable:
        """Every reading as an Arrow table: `meter`, `premises`, `kind`, `date`, `value` decimal128(15, 3), `source`."""
    def add_readings_from_arrow(self, data: _ArrowStream) -> int:
        """Stores the readings of Arrow data (`meter`, `date`, `value` decimal, `source`), all or nothing; returns
        how many. Raises ``BatchError`` listing every bad row (``entry_id`` is the meter serial)."""
    def readings(self, serial: str) -> list[Reading]:
        """The readings of a meter, oldest first."""
    def consumption(self, premises: str, kind: str, start: datetime.date, end: datetime.date) -> Consumption:
        """Consumption of a premises for one kind over a period, across replacements."""
    def sewage(self, premises: str, start: datetime.date, end: datetime.date) -> Consumption:
        """Sewage (cold + hot water) over a period."""
    def monthly_consumption(self, premises: str, kind: str, first: str, last: str) -> list[tuple[str, Consumption]]:
        """Consumption per month, as ("YYYY-MM", Consumption) pairs."""
    def validate_reading(
        self,
        premises: str,
        serial: str,
        day: datetime.date,
        value: str,
        today: datetime.date,
        window: tuple[datetime.date, datetime.date] | None = None,
        jump_factor: int = 3,
        confirmed: bool = False,
    ) -> Verdict:
        """Validates a reading a resident typed in, without storing it."""
    def submit_reading(
        self,
        premises: str,
        serial: str,
        day: datetime.date,
        value: str,
        today: datetime.date,
        window: tuple[datetime.date, datetime.date] | None = None,
        jump_factor: int = 3,
        confirmed: bool = False,
    ) -> Verdict:
        """Validate and store a resident's reading. Above what the meter can physically pass: rejected
        (``exceeds_meter_capacity``); far above the usual use: ``needs_confirmation`` until submitted
        again with ``confirmed=True``."""

def legalization_valid_through(mark: str) -> datetime.date:
    """The last day a legalization mark ("2021" or "M21") is valid."""
def estimate_from_average(previous: Decimal | str, previous_days: int, days: int) -> Decimal:
    """An estimate from average daily use: `previous` over `previous_days`, scaled to `days`."""

@final
class Secret:
    """`ebok.Secret`: a one-time password or ticket. `repr` never shows it; read it with `expose()`."""
    def expose(self) -> str:
        """The plaintext, for delivery to the resident."""

@final
class Account:
    """`ebok.Account`: one resident's access state, serialisable, with a version for compare-and-swap."""
    @property
    def login(self) -> str:
        """The resident's constant identifier."""
    @property
    def version(self) -> int:
        """The state's version, for compare-and-swap in the host's storage."""
    @property
    def generation(self) -> int:
        """How many one-time passwords have been issued (each ends the previous access)."""
    @property
    def failures(self) -> int:
        """Failed logins since the last success (7 block the account)."""
    def status(self, now: datetime.datetime) -> str:
        """The status at `now`: awaiting_activation, awaiting_first_login, awaiting_new_password,
        active, locked, temporarily_locked, admin_blocked, closed or no_credential.
        """
    def activation_overdue(self, now: datetime.datetime) -> bool:
        """Whether activation is overdue at `now` (issued at the office, not activated within 48 hours)."""
    def to_json(self) -> str:
        """The state as JSON (hashes, never secrets), for the host's store."""
    @staticmethod
    def from_json(text: str) -> Account:
        """The state from JSON."""

@final
class Transition:
    """`ebok.Transition`: what an access operation did. `account` is the new state to store
    (compare-and-swap on the old version), or None when nothing changed.
    """
    @property
    def account(self) -> Account | None:
        """The account's new state, to store."""
    @property
    def outcome(self) -> str:
        """What happened (`success`, `failure`, `must_change_password`, `otp_issued`, `closed`, …)."""
    @property
    def ticket(self) -> Secret | None:
        """The restricted ticket after a one-time-password login (allows only setting a password)."""
    @property
    def otp(self) -> Secret | None:
        """The one-time password this transition issued, to deliver."""
    @property
    def effects(self) -> list[Effect]:
        """What the host must do (deliver a password, write the audit log, …)."""
    @property
    def message_pl(self) -> str:
        """The message for the resident in Polish (never tells an unknown login from a wrong password)."""
    @property
    def message_en(self) -> str:
        """The message for the resident in English."""

@final
class Authenticator:
    """`ebok.Authenticator`: the access state machine with its policy, argon2id and a random source."""
    def __new__(
        cls,
        lockout_threshold: int = 7,
        progressive: str | None = None,
        insecure_fast_hashing: bool = False,
        seed: int | None = None,
        min_password_chars: int = 15,
        context_words: list[str] | None = None,
    ) -> Self:
        """An authenticator with the given policy (argon2id parameters, lockout after 7 failures)."""
    def create_account(
        self,
        login: str,
        now: datetime.datetime,
        channel: str = "in_person",
        activation: str | datetime.datetime | None = None,
        phone: str | None = None,
        email: str | None = None,
        postal: str | None = None,
        *,
        by: str,
    ) -> Transition:
        """Create access at the office; ``by`` names the staff member (required, not blank)."""
    def activate(self, account: Account, now: datetime.datetime, *, by: str) -> Transition:
        """Activate manual access, within 48 hours of issuing it; ``by`` names the staff member."""
    def login(self, account: Account | None, attempted: str, secret: str, now: datetime.datetime) -> Transition:
        """A login attempt. `account` is what the host found for the typed identifier (None if none).
        The outcome is "success", "must_change_password" (with `ticket`) or "failure" — one
        failure for every reason.
        """
    def set_new_password(self, account: Account, ticket: str, new_password: str, now: datetime.datetime) -> Transition:
        """Sets the first password with the ticket of a one-time-password login."""
    def change_password(self, account: Account, current: str, new_password: str, now: datetime.datetime) -> Transition:
        """Change a logged-in resident's password. A wrong current password gives outcome ``"failure"`` and
        is counted like a failed login: store the transition's account."""
    def issue_otp(
        self,
        account: Account,
        now: datetime.datetime,
        channel: str = "in_person",
        effect: str = "invalidate_immediately",
        *,
        by: str,
    ) -> Transition:
        """Issue a new one-time password; ``by`` names the staff member."""
    def admin_block(self, account: Account, by: str, now: datetime.datetime) -> Transition:
        """Blocks the account for misuse."""
    def lift_admin_block(self, account: Account, by: str, now: datetime.datetime) -> Transition:
        """Lifts a block for misuse."""
    def close(self, account: Account, now: datetime.datetime, *, by: str) -> Transition:
        """Close at the owner's request; ``by`` names the staff member."""
    def handle_unblock_request(self, account: Account | None, evidence: dict[str, str], now: datetime.datetime) -> Transition:
        """Handles an unblock request. `evidence`: {"sms": phone} | {"call": phone, "staff": id} |
        {"email": address, "staff": id} | {"in_person": staff_id}. The answer (`message_pl`) is
        the same whatever happened.
        """

def parse_unblock_sms(text: str) -> str:
    """The identifier in an unblock SMS ("odblokowanie e-BOK nr identyfikacyjny 0756555")."""
def overdue_activations(accounts: list[Account], now: datetime.datetime) -> list[str]:
    """Logins whose activation is overdue at `now`."""

@final
class Cooperative:
    """`ebok.Cooperative`: the data of one cooperative as the last snapshot left it."""
    @property
    def name(self) -> str:
        """The cooperative's name, as the snapshots give it."""
    @property
    def current_as_of(self) -> datetime.datetime | None:
        """The instant the last imported snapshot was current as of."""
    @property
    def ledger(self) -> Ledger:
        """The cooperative's ledger (shared: changes through the cooperative are seen here)."""
    @property
    def meters(self) -> MeterBook:
        """The cooperative's meters and readings."""
    def premises_to_arrow(self) -> Any:
        """The register of premises as an Arrow table (`premises`, `kind`, `legal_title`,
        `usable_area` decimal128(12, 2), `address`, `building`, `logins` joined by `;`).
        """
    def premises(self) -> list[PremisesInfo]:
        """The premises as dicts: id, kind, area, title, address, building, and logins (everyone who ever held it)."""
    def premises_of(self, login: str, on: datetime.date | None = None) -> list[str]:
        """The premises ``login`` holds on ``on`` (in any role), or at any time when ``on`` is None."""
    def import_snapshot(
        self, path: str | os.PathLike[str], report_control_mismatches: bool = False, accept_unsealed: bool = False
    ) -> ImportReport:
        """Apply a further snapshot (full, or the nightly incremental one) in place; the same report as
        ``ebok.import_snapshot``. All or nothing: on ``SnapshotError`` nothing was changed."""
    def set_virtual_accounts(self, rows: Iterable[Sequence[Any]]) -> None:
        """Replace the register of virtual accounts with rows ``(account, premises, valid_from[, valid_to[, payer_id]])``;
        all or nothing (overlapping periods of one account and unknown premises are refused)."""
    def virtual_account_owner(self, account: str, day: datetime.date) -> str | None:
        """The premises a virtual account belongs to on ``day``, or None."""
    def match_statement(self, files: StatementFile | Iterable[StatementFile]) -> list[BankMatch]:
        """Match every entry against the register and the premises numbers, recording nothing."""
    def import_bank_statements(
        self, files: StatementFile | Iterable[StatementFile], imported_on: datetime.date
    ) -> BankImportReport:
        """Import statements into the bank book, all or nothing; the same file again changes nothing; the same
        bank reference with other content raises ``BankConflictError``. Returns a report dict."""
    def bank_records(self) -> list[BankMatch]:
        """Every entry of the bank book with its match, in import order."""
    def bank_records_to_arrow(self) -> _ArrowTable:
        """The bank book's records with their match as an Arrow table (`outcome`, `premises`, `imported_on`, …)."""
    def unresolved_payments(self) -> list[BankMatch]:
        """Credits matched to no premises or to several: the clerk's queue."""
    def pending_payments(
        self, premises: str, known_at: datetime.date | None = None, window_days: int = 10
    ) -> list[PendingPayment]:
        """Payments the bank credited and the books have not posted, as known at ``known_at``."""
    def projected_balance(
        self, premises: str, as_of: datetime.date, known_at: datetime.date | None = None, window_days: int = 10
    ) -> Decimal:
        """The balance projected with the pending bank payments (owed positive)."""
    def resident_slice(
        self, login: str, as_of: datetime.date, known_at: datetime.date | None = None, months: int = 12
    ) -> dict[str, Any]:
        """Everything ``login`` may see on ``as_of``, as known at ``known_at``: the JSON document of
        ``docs/resident-slice.schema.json`` parsed into a dict (amounts as decimal strings). Nothing dated
        outside the login's relations, nothing of another login."""
    def resident_slice_json(
        self, login: str, as_of: datetime.date, known_at: datetime.date | None = None, months: int = 12
    ) -> str:
        """``resident_slice`` as JSON text (what a host's API sends to a mobile app)."""
    def resident_slice_cbor(
        self, login: str, as_of: datetime.date, known_at: datetime.date | None = None, months: int = 12
    ) -> bytes:
        """``resident_slice`` in its compact binary form (CBOR, RFC 8949)."""
    def relations(self, login: str, premises: str) -> list[Relation]:
        """The relations of ``login`` to ``premises`` (role, interval, capabilities, share) at any time."""
    def change_holder(
        self, premises: str, on: datetime.date, holders: list[tuple[str, str] | tuple[str, str, str | None]]
    ) -> HolderChangeReport:
        """Change the holder of ``premises`` on ``on``: relations holding that day end there, ``holders``
        (``(login, role[, share])``) start there. Returns ``ended``, ``added``, ``closing`` statements and the
        ``new_logins`` that need access created. All or nothing."""

def import_snapshot(
    path: str | os.PathLike[str], report_control_mismatches: bool = False, accept_unsealed: bool = False
) -> tuple[Cooperative, ImportReport]:
    """Import a snapshot directory into a new ``Cooperative``; returns (cooperative, report). File names
    match case-insensitively; only regular files are read (at most 4 GiB each); the report lists
    ``files_not_read``. A full snapshot must be sealed (``rows.FILE``/``sha256.FILE`` in the manifest)
    unless ``accept_unsealed=True``. Raises ``SnapshotError`` listing every problem; nothing changes."""

def format_nrb(account: str) -> str:
    """Check an account number (26 digits, MOD 97-10; spaces and ``PL`` allowed) and print it in groups of four."""

@final
class VirtualAccountScheme:
    """Each premises' own account from the bank's sort code, the client prefix and the premises number."""

    def __new__(cls, sort_code: str, client_prefix: str, width: int) -> Self:
        """A scheme of per-premises virtual accounts: the bank's sort code, the cooperative's prefix and the digits of the premises number."""
    def account_for(self, premises_number: str) -> str:
        """The account (26 digits) of a premises number."""
    def premises_of(self, account: str) -> str | None:
        """The premises number of an account under this scheme, or None."""

@final
class PaymentCode:
    """A ZBP 2D payment code's fields."""
    @property
    def nip(self) -> str:
        """The recipient's NIP (tax number), empty for a person."""
    @property
    def country(self) -> str:
        """The country code (`PL`)."""
    @property
    def account(self) -> str:
        """The recipient's account number (26 digits)."""
    @property
    def amount(self) -> Decimal:
        """The amount in grosze; 0 when the payer types it."""
    @property
    def recipient(self) -> str:
        """The recipient's name (at most 20 characters)."""
    @property
    def title(self) -> str:
        """The title of the transfer (at most 32 characters)."""
    @property
    def reserved(self) -> list[str]:
        """The three reserved fields."""
    def to_dict(self) -> PaymentCodeDict:
        """The record as a plain dict."""

def payment_code(
    account: str, recipient: str, title: str, amount: _Money | None = None, nip: str | None = None
) -> tuple[str, list[str]]:
    """The ZBP 2D string for a transfer and its warnings; an amount above 9 999,99 zł is left for the payer to type."""
def parse_payment_code(text: str, strict: bool = True) -> PaymentCode:
    """Read a ZBP 2D string back; ``strict`` also checks the NIP checksum and the account's check digits."""
def qr_svg(text: str) -> str:
    """The QR code of a text as an SVG document (error correction level L, as banks read it)."""

@final
class Transfer:
    """What to pay by transfer on a day: account, recipient, title, amount (None: nothing to
    propose), notes, and the ZBP 2D string.
    """
    @property
    def account(self) -> str:
        """The account to pay to, grouped for reading."""
    @property
    def recipient(self) -> str:
        """The recipient's name."""
    @property
    def title(self) -> str:
        """The title to write."""
    @property
    def amount(self) -> Decimal | None:
        """The amount to pay, or `None` when there is nothing to pay or it is left to the payer."""
    @property
    def notes(self) -> list[str]:
        """Why the amount is missing or was changed (codes)."""
    @property
    def code(self) -> str:
        """The ZBP 2D code for the bank's app."""
    def to_dict(self) -> TransferDict:
        """The record as a plain dict."""

def transfer(
    ledger: Ledger,
    premises: str,
    today: datetime.date,
    account: str,
    recipient: str,
    known_at: datetime.date | None = None,
    title_template: str = "CZYNSZ {month} {premises}",
    amount_policy: str = "due_now",
    nip: str | None = None,
) -> Transfer:
    """What to pay for a premises on a day (``due_now``, ``whole_balance`` or ``no_amount``), with its ZBP 2D string."""

@final
class BankEntry:
    """One entry of a bank statement; ``side`` is ``C`` or ``D``; checks are ``valid``, ``wrong_check_digits``,
    ``wrong_sort_code_digit`` or ``not_an_iban``."""

    @property
    def account(self) -> str:
        """The statement's account."""
    @property
    def value_date(self) -> datetime.date:
        """The value date: the day the account was credited or debited."""
    @property
    def booking_date(self) -> datetime.date | None:
        """The booking date, when given."""
    @property
    def side(self) -> str:
        """`credit` or `debit`."""
    @property
    def reversal(self) -> bool:
        """Whether it reverses an earlier entry (storno)."""
    @property
    def amount(self) -> Decimal:
        """The amount, never negative."""
    @property
    def signed_amount(self) -> Decimal:
        """The amount signed from the account holder's side: credits positive."""
    @property
    def currency(self) -> str:
        """The ISO 4217 currency."""
    @property
    def booked(self) -> bool:
        """Whether the bank has booked it."""
    @property
    def transaction_code(self) -> str | None:
        """The SWIFT transaction type or camt bank transaction code."""
    @property
    def operation_code(self) -> str | None:
        """The bank's operation code at the start of the details, when given."""
    @property
    def bank_reference(self) -> str | None:
        """The bank's own reference: the key of an entry."""
    @property
    def customer_reference(self) -> str | None:
        """The customer's reference (`NONREF` when none)."""
    @property
    def counterparty_name(self) -> str | None:
        """The counterparty's name."""
    @property
    def counterparty_account(self) -> str | None:
        """The counterparty's account, as given."""
    @property
    def title(self) -> str | None:
        """The title of the transfer."""
    @property
    def virtual_account(self) -> str | None:
        """The cooperative's virtual account the money was paid to, when the bank names it."""
    @property
    def payer_id(self) -> str | None:
        """The payer identifier of a mass-payment service (mBank IPH), when given."""
    @property
    def tnr(self) -> str | None:
        """mBank's transaction number, when given."""
    @property
    def raw_details(self) -> str:
        """The details as the bank wrote them."""
    @property
    def counterparty_check(self) -> str | None:
        """The check of the counterparty's account number (`valid`, `wrong_check_digits`, …)."""
    @property
    def virtual_account_check(self) -> str | None:
        """The check of the virtual account number."""
    def to_dict(self) -> BankEntryDict:
        """The record as a plain dict."""

@final
class BankBalance:
    """A statement balance: signed amount (credit positive), date and currency."""

    @property
    def amount(self) -> Decimal:
        """The balance, signed: credit positive."""
    @property
    def date(self) -> datetime.date:
        """The day of the balance."""
    @property
    def currency(self) -> str:
        """The ISO 4217 currency."""
    def to_dict(self) -> BankBalanceDict:
        """The record as a plain dict."""

@final
class BankStatement:
    """One statement or interim report of one account; ``warnings`` lists continuity problems."""

    @property
    def format(self) -> str:
        """The format: mt940, mt942, camt.053 or camt.054."""
    @property
    def reference(self) -> str:
        """The statement's reference (`:20:`, camt `MsgId`)."""
    @property
    def id(self) -> str | None:
        """The camt statement id, when given."""
    @property
    def account(self) -> str:
        """The account the statement is of."""
    @property
    def number(self) -> str | None:
        """The statement number, when given."""
    @property
    def sequence(self) -> str | None:
        """The sequence within the number, when given."""
    @property
    def currency(self) -> str:
        """The ISO 4217 currency."""
    @property
    def opening(self) -> BankBalance | None:
        """The opening balance (missing in an interim report)."""
    @property
    def closing(self) -> BankBalance | None:
        """The closing balance (missing in an interim report)."""
    @property
    def available(self) -> BankBalance | None:
        """The closing available balance, when given."""
    @property
    def information(self) -> str | None:
        """Information for the account owner, when given."""
    @property
    def entries(self) -> list[BankEntry]:
        """The entries, in the bank's order."""
    @property
    def warnings(self) -> list[str]:
        """What is readable but wrong (balances that do not add up, a gap between statements)."""
    def to_dict(self) -> BankStatementDict:
        """The record as a plain dict."""

@final
class StatementFile:
    """What one bank file held: ``entries`` flattens every statement; ``to_columns()`` feeds a DataFrame."""

    @property
    def format(self) -> str:
        """`mt940`, `mt942`, `camt.053` or `camt.054`."""
    @property
    def encoding(self) -> str:
        """`utf-8`, `cp1250` or `cp852`."""
    @property
    def dialect(self) -> str | None:
        """The `:86:` dialect (`mbank`, `ing`, `pko`, `pekao`, `generic`), or None for camt."""
    @property
    def statements(self) -> list[BankStatement]:
        """The statements."""
    @property
    def entries(self) -> list[BankEntry]:
        """Every entry of every statement, in file order."""
    def to_columns(self) -> dict[str, list[Any]]:
        """The entries as a dict of equal-length lists (``pandas.DataFrame(...)``, ``polars.DataFrame(...)``)."""
    def to_arrow(self) -> _ArrowTable:
        """Every entry as an Arrow table (`format`, `account`, `statement`, dates, side, `amount`, `signed_amount`
        decimal128(18, 2), references, counterparty, title, account checks)."""
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream of ``to_arrow()``."""
    def __len__(self) -> int:
        """How many entries the file holds in all its statements."""

def read_statement(
    source: bytes | str | os.PathLike[str],
    dialect: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
    threads: int | None = None,
) -> StatementFile:
    """Read an MT940, MT942, camt.053 or camt.054 file (bytes or a path); dialect (mbank, ing, pko, pekao, generic),
    encoding (utf-8, cp1250, cp852) and format are detected when None. The entries of a large MT940 file are
    built on ``threads`` threads (None: every core; 1: this thread only), with the same result for any number.
    Raises ``StatementFormatError``."""

@final
class BankMatch:
    """A bank entry with its match: ``outcome`` is matched, ambiguous, unmatched or not_incoming."""

    @property
    def key(self) -> str:
        """The entry's key: account and bank reference."""
    @property
    def entry(self) -> BankEntry:
        """The bank entry."""
    @property
    def outcome(self) -> str:
        """`matched`, `ambiguous`, `unmatched` or `not_incoming`."""
    @property
    def premises(self) -> str | None:
        """The premises it was matched to, if matched."""
    @property
    def matched_by(self) -> str | None:
        """How: `virtual_account`, `iph_id` or `title_reference`."""
    @property
    def candidates(self) -> list[str]:
        """The premises it could be for, when ambiguous."""
    @property
    def reason(self) -> str | None:
        """Why it is ambiguous or unmatched."""
    @property
    def is_final(self) -> bool:
        """Whether it comes from a final statement (not an interim report)."""
    @property
    def imported_on(self) -> datetime.date | None:
        """The day the statement was imported."""
    @property
    def returned_by(self) -> str | None:
        """The key of the entry that returned this credit, if any."""
    @property
    def returns(self) -> str | None:
        """The key of the credit this entry returns, if any."""
    def to_dict(self) -> BankMatchDict:
        """The record as a plain dict."""

@final
class PendingPayment:
    """A payment credited by the bank and not yet posted; ``note_pl``/``note_en`` are the resident's line."""

    @property
    def premises(self) -> str:
        """The premises the payment is for."""
    @property
    def amount(self) -> Decimal:
        """The amount paid."""
    @property
    def credited_on(self) -> datetime.date:
        """The bank's value date: the day of payment (KC)."""
    @property
    def known_on(self) -> datetime.date:
        """The day the statement was imported."""
    @property
    def bank_reference(self) -> str | None:
        """The bank's reference, when given."""
    @property
    def title(self) -> str | None:
        """The transfer's title, when given."""
    @property
    def payer(self) -> str | None:
        """The payer's name, when given."""
    @property
    def note_pl(self) -> str:
        """The line for the resident in Polish ("wpłata … — w drodze do księgowości")."""
    @property
    def note_en(self) -> str:
        """The line for the resident in English."""
    def to_dict(self) -> PendingPaymentDict:
        """The record as a plain dict."""
