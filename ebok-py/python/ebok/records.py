"""The shapes of the plain dicts ebok returns: every report, and each record's ``to_dict()``.

They are typed dicts (:class:`typing.TypedDict`), for annotations and type checkers; at run time the values
are plain dicts. A test checks that each one names exactly the keys the library returns.

>>> from ebok.records import ImportReport
>>> sorted(ImportReport.__annotations__)
['controls', 'counts', 'current_as_of', 'files_not_read', 'kind', 'removed']
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:
    from ebok._ebok import (
        BankBalance,
        BankEntry,
        ConsumptionPart,
        InterestSegment,
        OpenItem,
    )

__all__ = [
    "AccountLineDict",
    "BankBalanceDict",
    "BankEntryDict",
    "Allocation",
    "BankImportReport",
    "BankMatchDict",
    "BankStatementDict",
    "ClosingLine",
    "ClosingStatement",
    "ConsumptionDict",
    "ConsumptionPartDict",
    "ControlTotal",
    "Effect",
    "EntryDict",
    "HolderChange",
    "HolderChangeReport",
    "Holding",
    "ImportReport",
    "InsertCounts",
    "InterestDict",
    "InterestProjectionDict",
    "InterestSegmentDict",
    "Interval",
    "MeterDict",
    "OpenItemDict",
    "OpenItemsDict",
    "PaymentCodeDict",
    "PaymentDict",
    "PendingPaymentDict",
    "PostingLagDict",
    "PremisesInfo",
    "ReadingDict",
    "Relation",
    "StatementDict",
    "TableCounts",
    "TransferDict",
    "VerdictDict",
]


class EntryDict(TypedDict):
    """``Entry.to_dict()``."""

    id: str
    """The entry's id in the accounting system (unique within the ledger)."""
    premises: str
    """The premises whose account the entry belongs to."""
    kind: str
    """The kind: charge, payment, correction, interest, settlement, refund or opening_balance."""
    amount: Decimal
    """The amount as booked (exact `Decimal`, two places); its sign follows the kind."""
    component: str | None
    """The charge component (`eksploatacja`, `woda i ścieki`, …), when given."""
    operation_date: datetime.date
    """The day of the operation: for a payment, the day the money reached the cooperative."""
    posted_on: datetime.date | None
    """The day the accounting system posted it; `None` while it awaits posting."""
    due_date: datetime.date | None
    """The payment deadline of a charge, when it has one."""
    document: str | None
    """The accounting document (`WB 313/2026`, an invoice number), when given."""
    effect: Decimal
    """What the entry changes in the amount owed: payments negative, charges positive."""

class StatementDict(TypedDict):
    """``Statement.to_dict()``."""

    premises: str
    """The premises of the statement."""
    month: str
    """The month, as `YYYY-MM`."""
    opening: Decimal
    """The balance at the start of the month (positive: owed; negative: overpaid)."""
    charges: dict[str, Decimal]
    """The month's charges by component."""
    charges_total: Decimal
    """The sum of the month's charges."""
    payments: Decimal
    """The sum of the month's payments (positive)."""
    other: dict[str, Decimal]
    """Other movements by kind (corrections, interest, refunds, …), as their effect on the balance."""
    closing: Decimal
    """The balance at the end of the month (positive: owed; negative: overpaid)."""

class AccountLineDict(TypedDict):
    """``AccountLine.to_dict()``."""

    id: str
    """The entry's id."""
    kind: str
    """The kind of the entry."""
    operation_date: datetime.date
    """The day of the operation."""
    posted_on: datetime.date | None
    """The day it was posted, if it has been."""
    due_date: datetime.date | None
    """The payment deadline, when it has one."""
    component: str | None
    """The charge component, when given."""
    document: str | None
    """The accounting document, when given."""
    amount: Decimal
    """The amount as booked."""
    effect: Decimal
    """Its effect on the amount owed (payments negative)."""
    running_balance: Decimal
    """The balance after this line (positive: owed; negative: overpaid)."""

class PaymentDict(TypedDict):
    """``Payment.to_dict()``."""

    id: str
    """The payment's entry id."""
    credited_on: datetime.date
    """The day the money reached the cooperative's account (KC: the day of payment)."""
    posted_on: datetime.date | None
    """The day the books posted it, if they have."""
    amount: Decimal
    """The amount paid (positive)."""
    document: str | None
    """The accounting document (bank statement number), when given."""

class PostingLagDict(TypedDict):
    """``PostingLag.to_dict()``."""

    window_start: datetime.date
    """The first day of the window the estimate looks at."""
    window_end: datetime.date
    """The last day of the window."""
    sample_size: int
    """How many posted payments the estimate rests on."""
    median_days: int
    """The median days between a payment's arrival and its posting."""
    p95_days: int
    """The 95th percentile of those days: what the freshness note quotes."""
    max_days: int
    """The longest lag seen in the window."""

class InterestSegmentDict(TypedDict):
    """``InterestSegment.to_dict()``."""

    first_day: datetime.date
    """The first day of the segment."""
    last_day: datetime.date
    """The last day of the segment."""
    days: int
    """The number of days in the segment."""
    rate_percent: Decimal
    """The yearly statutory rate in force over the segment, in percent."""
    exact: Decimal
    """The segment's interest, exact (not rounded)."""

class InterestDict(TypedDict):
    """``Interest.to_dict()``."""

    principal: Decimal
    """The amount interest runs on."""
    effective_due: datetime.date
    """The due day after KC art. 115 moved it past a weekend or holiday."""
    paid_on: datetime.date
    """The day it was paid, or the day interest is counted to."""
    days: int
    """The days of delay."""
    segments: list[InterestSegment]
    """The interest per period of one rate."""
    total: Decimal
    """The interest, rounded to the grosz."""

class OpenItemDict(TypedDict):
    """``OpenItem.to_dict()``."""

    id: str
    """The id of the charge still open."""
    kind: str
    """The kind of the entry."""
    component: str | None
    """The charge component, when given."""
    operation_date: datetime.date
    """The day of the charge."""
    due_date: datetime.date | None
    """The payment deadline, when given."""
    effective_due: datetime.date
    """The deadline after KC art. 115 (moved past a weekend or holiday)."""
    original: Decimal
    """The charge's amount."""
    outstanding: Decimal
    """What is still unpaid of it."""
    overdue_since: datetime.date | None
    """The first day it was late, if it is."""
    days_overdue: int
    """How many days it is late (0 when not due yet)."""
    interest: Decimal
    """The statutory interest on it to the settlement day."""

class OpenItemsDict(TypedDict):
    """``OpenItems.to_dict()``."""

    premises: str
    """The premises."""
    as_of: datetime.date
    """The day the items are settled on."""
    known_at: datetime.date | None
    """The day of the books' knowledge used (posting lag), if any."""
    items: list[OpenItem]
    """The open charges, oldest first (the order payments settle them in)."""
    arrears: Decimal
    """The sum outstanding past its due day."""
    not_yet_due: Decimal
    """Outstanding principal not yet due, after reserved credit (a covered charge is not counted)."""
    oldest_overdue: datetime.date | None
    """The oldest item past its due day, if any."""
    unused_credit: Decimal
    """Credit left after every known debt, due or not yet due, took its share: the overpayment shown."""
    interest_total: Decimal
    """The interest on every item (paid late or still open), to the settlement day."""

class InterestProjectionDict(TypedDict):
    """``InterestProjection.to_dict()``."""

    pay_on: datetime.date
    """The day of the hypothetical payment."""
    principal: Decimal
    """The principal outstanding of all items."""
    interest: Decimal
    """The interest on all items to `pay_on`."""
    total: Decimal
    """Principal + interest − unused overpayment, never below zero: what to pay on `pay_on`."""

class MeterDict(TypedDict):
    """``Meter.to_dict()``."""

    serial: str
    """The meter's serial number (unique in the cooperative)."""
    kind: str
    """The kind: cold_water, hot_water, heat_meter or heat_cost_allocator."""
    premises: str
    """The premises the meter is in."""
    location: str | None
    """Where in the premises (`łazienka`, `kuchnia`), when given."""
    installed_on: datetime.date
    """The day it was installed."""
    initial_reading: Decimal
    """Its state when installed."""
    removed_on: datetime.date | None
    """The day it was removed, if it was."""
    final_reading: Decimal | None
    """Its state when removed, if it was."""
    legalization: str | None
    """Its legalization mark (metrological verification): the year, or `M` and the year for an EU mark; when known."""
    legalization_valid_through: datetime.date | None
    """The last day its legalization is valid."""
    rollover_at: Decimal | None
    """The state at which its counter starts again from zero, when it has one."""

class ReadingDict(TypedDict):
    """``Reading.to_dict()``."""

    meter: str
    """The meter's serial number."""
    date: datetime.date
    """The day of the reading."""
    value: Decimal
    """The meter's state (exact, three places)."""
    source: str
    """Who read it: inspector, remote, self_reported, estimated or norm."""

class ConsumptionPartDict(TypedDict):
    """``ConsumptionPart.to_dict()``."""

    meter: str
    """The meter the part was measured on."""
    kind: str
    """The meter's kind."""
    start: datetime.date
    """The first day of the part."""
    end: datetime.date
    """The last day of the part."""
    amount: Decimal
    """The volume used over the part."""
    estimated: bool
    """Whether the part rests on an estimate."""

class ConsumptionDict(TypedDict):
    """``Consumption.to_dict()``."""

    start: datetime.date
    """The first day of the period."""
    end: datetime.date
    """The last day of the period."""
    total: Decimal
    """The volume used over the period."""
    estimated: Decimal
    """The part of the total that rests on estimates."""
    is_estimated: bool
    """Whether any part rests on an estimate."""
    parts: list[ConsumptionPart]
    """The parts, per meter (a replaced meter gives two)."""

class VerdictDict(TypedDict):
    """``Verdict.to_dict()``."""

    accepted: bool
    """Whether the reading is accepted."""
    needs_confirmation: bool
    """Possible but far above the usual use (or a likely misplaced decimal point): not stored;"""
    reasons: list[str]
    """Why it was refused (codes), empty when accepted."""
    warnings: list[str]
    """What is unusual but accepted (codes)."""
    messages_pl: list[str]
    """The reasons and warnings in Polish, for the resident."""
    messages_en: list[str]
    """The reasons and warnings in English."""

class PaymentCodeDict(TypedDict):
    """``PaymentCode.to_dict()``."""

    nip: str
    """The recipient's NIP (tax number), empty for a person."""
    country: str
    """The country code (`PL`)."""
    account: str
    """The recipient's account number (26 digits)."""
    amount: Decimal
    """The amount in grosze; 0 when the payer types it."""
    recipient: str
    """The recipient's name (at most 20 characters)."""
    title: str
    """The title of the transfer (at most 32 characters)."""
    reserved: list[str]
    """The three reserved fields."""

class TransferDict(TypedDict):
    """``Transfer.to_dict()``."""

    account: str
    """The account to pay to, grouped for reading."""
    recipient: str
    """The recipient's name."""
    title: str
    """The title to write."""
    amount: Decimal | None
    """The amount to pay, or `None` when there is nothing to pay or it is left to the payer."""
    notes: list[str]
    """Why the amount is missing or was changed (codes)."""
    code: str
    """The ZBP 2D code for the bank's app."""

class BankEntryDict(TypedDict):
    """``BankEntry.to_dict()``."""

    account: str
    """The statement's account."""
    value_date: datetime.date
    """The value date: the day the account was credited or debited."""
    booking_date: datetime.date | None
    """The booking date, when given."""
    side: str
    """`credit` or `debit`."""
    reversal: bool
    """Whether it reverses an earlier entry (storno)."""
    amount: Decimal
    """The amount, never negative."""
    signed_amount: Decimal
    """The amount signed from the account holder's side: credits positive."""
    currency: str
    """The ISO 4217 currency."""
    booked: bool
    """Whether the bank has booked it."""
    transaction_code: str | None
    """The SWIFT transaction type or camt bank transaction code."""
    operation_code: str | None
    """The bank's operation code at the start of the details, when given."""
    bank_reference: str | None
    """The bank's own reference: the key of an entry."""
    customer_reference: str | None
    """The customer's reference (`NONREF` when none)."""
    counterparty_name: str | None
    """The counterparty's name."""
    counterparty_account: str | None
    """The counterparty's account, as given."""
    title: str | None
    """The title of the transfer."""
    virtual_account: str | None
    """The cooperative's virtual account the money was paid to, when the bank names it."""
    payer_id: str | None
    """The payer identifier of a mass-payment service (mBank IPH), when given."""
    tnr: str | None
    """mBank's transaction number, when given."""
    raw_details: str
    """The details as the bank wrote them."""
    counterparty_check: str | None
    """The check of the counterparty's account number (`valid`, `wrong_check_digits`, …)."""
    virtual_account_check: str | None
    """The check of the virtual account number."""

class BankBalanceDict(TypedDict):
    """``BankBalance.to_dict()``."""

    amount: Decimal
    """The balance, signed: credit positive."""
    date: datetime.date
    """The day of the balance."""
    currency: str
    """The ISO 4217 currency."""

class BankStatementDict(TypedDict):
    """``BankStatement.to_dict()``."""

    format: str
    """The format: mt940, mt942, camt.053 or camt.054."""
    reference: str
    """The statement's reference (`:20:`, camt `MsgId`)."""
    id: str | None
    """The camt statement id, when given."""
    account: str
    """The account the statement is of."""
    number: str | None
    """The statement number, when given."""
    sequence: str | None
    """The sequence within the number, when given."""
    currency: str
    """The ISO 4217 currency."""
    opening: BankBalance | None
    """The opening balance (missing in an interim report)."""
    closing: BankBalance | None
    """The closing balance (missing in an interim report)."""
    available: BankBalance | None
    """The closing available balance, when given."""
    information: str | None
    """Information for the account owner, when given."""
    entries: list[BankEntry]
    """The entries, in the bank's order."""
    warnings: list[str]
    """What is readable but wrong (balances that do not add up, a gap between statements)."""

class BankMatchDict(TypedDict):
    """``BankMatch.to_dict()``."""

    key: str
    """The entry's key: account and bank reference."""
    entry: BankEntry
    """The bank entry."""
    outcome: str
    """`matched`, `ambiguous`, `unmatched` or `not_incoming`."""
    premises: str | None
    """The premises it was matched to, if matched."""
    matched_by: str | None
    """How: `virtual_account`, `iph_id` or `title_reference`."""
    candidates: list[str]
    """The premises it could be for, when ambiguous."""
    reason: str | None
    """Why it is ambiguous or unmatched."""
    is_final: bool
    """Whether it comes from a final statement (not an interim report)."""
    imported_on: datetime.date | None
    """The day the statement was imported."""
    returned_by: str | None
    """The key of the entry that returned this credit, if any."""
    returns: str | None
    """The key of the credit this entry returns, if any."""

class PendingPaymentDict(TypedDict):
    """``PendingPayment.to_dict()``."""

    premises: str
    """The premises the payment is for."""
    amount: Decimal
    """The amount paid."""
    credited_on: datetime.date
    """The bank's value date: the day of payment (KC)."""
    known_on: datetime.date
    """The day the statement was imported."""
    bank_reference: str | None
    """The bank's reference, when given."""
    title: str | None
    """The transfer's title, when given."""
    payer: str | None
    """The payer's name, when given."""
    note_pl: str
    """The line for the resident in Polish ("wpłata … — w drodze do księgowości")."""
    note_en: str
    """The line for the resident in English."""


class TableCounts(TypedDict):
    """What an import did to one table."""

    added: int
    changed: int
    removed: int
    unchanged: int


class ControlTotal(TypedDict):
    """One control total of the snapshot: the balance the accounting system sent, and ebok's."""

    premises: str | None
    """The premises, or ``None`` for the whole cooperative."""
    expected: Decimal
    actual: Decimal
    matches: bool


class ImportReport(TypedDict):
    """What ``import_snapshot`` / ``Cooperative.import_snapshot`` did (all or nothing)."""

    kind: Literal["full", "incremental"] | None
    current_as_of: datetime.datetime | None
    """The instant the accounting system's data are current as of."""
    counts: dict[str, TableCounts]
    """Per table (``premises``, ``ledger``, ``meters``, …)."""
    removed: dict[str, list[str]]
    """The keys removed, per table."""
    controls: list[ControlTotal]
    files_not_read: list[tuple[str, str]]
    """Files of the directory that are not part of a snapshot, and why (directory import only)."""


class InsertCounts(TypedDict):
    """What ``Ledger.insert`` / ``insert_many`` did."""

    inserted: int
    replaced: int
    unchanged: int


class BankImportReport(TypedDict):
    """What ``Cooperative.import_bank_statements`` did (all or nothing)."""

    added: int
    replaced_interim: int
    """Interim (MT942) entries replaced by the final statement's."""
    unchanged: int
    matched: int
    ambiguous: int
    unmatched: int
    not_incoming: int
    returns_linked: int
    """Returned transfers linked to the credit they return."""
    warnings: list[str]
    """Statements kept with a warning (balances that do not add up, a gap between statements)."""


class PremisesInfo(TypedDict):
    """One premises, as ``Cooperative.premises()`` lists it."""

    id: str
    kind: str
    area: Decimal
    title: str | None
    """The legal title (``ownership``, ``coop_tenancy``, …), when known."""
    address: str | None
    building: str | None
    logins: list[str]
    """Everyone who ever held it: undated links and dated relations."""


Interval = TypedDict("Interval", {"from": str | None, "to": str | None})
"""Days ``[from, to)`` as ISO dates; ``None`` is open."""


class Relation(TypedDict):
    """One relation of a login to a premises (``Cooperative.relations``)."""

    role: str
    """``owner``, ``co_owner``, ``member``, ``tenant``, ``proxy`` or ``heir``."""
    interval: Interval
    capabilities: list[str]
    share: str | None


class Holding(TypedDict):
    """A dated relation as stored in the register."""

    login: str
    premises: str
    role: str
    interval: Interval
    share: str | None
    scope: list[str] | None
    """A proxy's capabilities, when narrowed."""


class HolderChange(TypedDict):
    """The relations a change of holder ended and added."""

    ended: list[Holding]
    added: list[Holding]


class ClosingLine(TypedDict):
    """One account line of a closing statement (amounts as exact decimal strings)."""

    id: str
    kind: str
    operation_date: str
    posted_on: str | None
    due_date: str | None
    component: str | None
    document: str | None
    amount: str
    effect: str
    running_balance: str


class ClosingStatement(TypedDict):
    """The statement a previous holder gets at a change of holder."""

    login: str
    premises: str
    last_day: str
    balance: str
    lines: list[ClosingLine]


class HolderChangeReport(TypedDict):
    """What ``Cooperative.change_holder`` did."""

    change: HolderChange
    closing: list[ClosingStatement]
    new_logins: list[str]
    """Logins that need access created (identifier and one-time password at the office)."""


class Effect(TypedDict, total=False):
    """One thing the host must do after an access transition; ``type`` says which keys it has:
    ``deliver`` (channel, target), ``notify`` (login, event, message_pl, at),
    ``revoke_sessions`` (scope), ``erase_data``, ``audit`` (event as JSON)."""

    type: Literal["deliver", "notify", "revoke_sessions", "erase_data", "audit"]
    channel: str
    target: str
    login: str
    event: str
    message_pl: str
    at: datetime.datetime
    scope: str


class Allocation(TypedDict):
    """What ``allocate_payment`` did with one payment (KC art. 451)."""

    lines: list[tuple[str, Literal["principal", "interest"], Decimal]]
    """(debt id, part, amount settled), in the order the payment settled them."""
    owed: dict[str, tuple[Decimal, Decimal]]
    """Per debt: (principal, interest) still owed after the payment."""
    credit_left: Decimal
    """What is left of the payment (an overpayment)."""
