"""Resident access through Python: the lifecycle with an explicit `now`."""

from __future__ import annotations

import datetime as dt

import pytest

import ebok

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 5, 12, 10, 0, tzinfo=UTC)
GOOD = "zielone jabłka na wiosnę"


def auth() -> ebok.Authenticator:
    return ebok.Authenticator(insecure_fast_hashing=True, seed=2025)


def active(a: ebok.Authenticator) -> ebok.Account:
    created = a.create_account("0756555", T0, channel="sms", phone="+48 531 464 544", by="anna.k")
    assert created.otp is not None
    t = a.login(created.account, "0756555", created.otp.expose(), T0)
    assert t.outcome == "must_change_password" and t.ticket is not None and t.account is not None
    s = a.set_new_password(t.account, t.ticket.expose(), GOOD, T0)
    assert s.account is not None
    return s.account


def test_the_lifecycle_with_lockout_after_seven_and_unblock_by_sms() -> None:
    a = auth()
    account = active(a)
    assert a.login(account, "0756555", GOOD, T0).outcome == "success"
    for _ in range(7):
        t = a.login(account, "0756555", "wrong password here", T0)
        assert t.outcome == "failure"
        account = t.account or account
    assert account.status(T0) == "locked" and account.failures == 7
    blocked = a.login(account, "0756555", GOOD, T0)
    assert blocked.outcome == "failure" and "7" in blocked.message_pl
    assert any(e["type"] == "notify" for e in t.effects)
    ack = a.handle_unblock_request(account, {"sms": "531464544"}, T0)
    assert ack.otp is not None and ack.account is not None
    assert ack.account.status(T0) == "active"  # remote re-issue keeps the password until the code is used
    forged = a.handle_unblock_request(account, {"sms": "600100200"}, T0)
    assert forged.otp is None and forged.account is None and forged.message_pl == ack.message_pl
    assert ebok.parse_unblock_sms("Odblokowanie eBOK nr identyfikacyjny 0756555") == "0756555"


def test_one_failure_for_every_reason() -> None:
    a = auth()
    account = active(a)
    closed = a.close(account, T0, by="anna.k").account
    outcomes = {
        a.login(None, "9999999", GOOD, T0).outcome,
        a.login(account, "0756555", "wrong", T0).outcome,
        a.login(closed, "0756555", GOOD, T0).outcome,
    }
    assert outcomes == {"failure"}


def test_naive_datetimes_are_refused() -> None:
    a = auth()
    with pytest.raises(ebok.NaiveDatetimeError) as err:
        a.create_account("0756555", dt.datetime(2025, 5, 12, 10, 0), by="anna.k")
    assert isinstance(err.value, TypeError)


def test_state_round_trips_and_secrets_never_show() -> None:
    a = auth()
    created = a.create_account("0756555", T0, by="anna.k")
    assert created.otp is not None and created.account is not None
    code = created.otp.expose()
    assert repr(created.otp) == "Secret('[REDACTED]')" and str(created.otp) == "[REDACTED]"
    json = created.account.to_json()
    assert code not in json and code.replace("-", "") not in json
    assert ebok.Account.from_json(json) == created.account
    assert all(code not in str(e) for e in created.effects)


def test_password_rejections_carry_reasons() -> None:
    a = auth()
    created = a.create_account("0756555", T0, by="anna.k")
    assert created.otp is not None
    t = a.login(created.account, "0756555", created.otp.expose(), T0)
    assert t.ticket is not None and t.account is not None
    with pytest.raises(ebok.PasswordRejectedError) as err:
        a.set_new_password(t.account, t.ticket.expose(), "0756555", T0)
    assert isinstance(err.value, ValueError)
    assert {r["reason"] for r in err.value.reasons} == {"too_short", "blocklisted"}
    with pytest.raises(ebok.AccessDeniedError):
        a.set_new_password(t.account, "WRONG", GOOD, T0)


def test_activation_and_admin_block() -> None:
    a = auth()
    created = a.create_account("0001111", T0, activation="manual", by="anna.k")
    account = created.account
    assert account is not None and account.status(T0) == "awaiting_activation"
    assert ebok.overdue_activations([account], T0 + dt.timedelta(hours=49)) == ["0001111"]
    activated = a.activate(account, T0 + dt.timedelta(hours=2), by="anna.k").account
    assert activated is not None and activated.status(T0 + dt.timedelta(hours=2)) == "awaiting_first_login"
    blocked = a.admin_block(activated, "staff-1", T0).account
    assert blocked is not None
    with pytest.raises(ebok.AccessDeniedError):
        a.issue_otp(blocked, T0, by="anna.k")


def test_staff_actions_need_a_name_and_a_wrong_current_password_counts() -> None:
    a = ebok.Authenticator(insecure_fast_hashing=True, seed=13)
    with pytest.raises(ebok.AccessDeniedError):
        a.create_account("0756555", T0, by="   ")
    created = a.create_account("0756555", T0, by="anna.k")
    assert any(e["type"] == "audit" and '"actor":"anna.k"' in e["event"] for e in created.effects)
    t = a.login(created.account, "0756555", created.otp.expose(), T0)
    account = a.set_new_password(t.account, t.ticket.expose(), "zielone jabłka na wiosnę", T0).account
    for i in range(1, 8):
        wrong = a.change_password(account, "nie to hasło wcale", "czerwone gruszki latem", T0)
        assert wrong.outcome == "failure"
        account = wrong.account
    assert account.status(T0) == "locked"
    # Trivial passwords are refused at any length.
    fresh = a.create_account("0756556", T0, by="anna.k")
    t = a.login(fresh.account, "0756556", fresh.otp.expose(), T0)
    for trivial in ["1111111111111111", "qwertyuiopasdfghjkl", "password password"]:
        with pytest.raises(ebok.PasswordRejectedError):
            a.set_new_password(t.account, t.ticket.expose(), trivial, T0)
