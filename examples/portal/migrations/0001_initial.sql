-- The portal's tables. One file for SQLite and PostgreSQL: `SERIAL_ID` and `BYTES` are
-- replaced by the store (SQLite: INTEGER PRIMARY KEY AUTOINCREMENT / BLOB; PostgreSQL:
-- BIGSERIAL PRIMARY KEY / BYTEA). Instants are Unix seconds (BIGINT).

-- Resident access accounts: the core's state machine state (serde JSON; only argon2id PHC
-- strings, never a plaintext), stored with compare-and-swap on `version`.
CREATE TABLE accounts (
    login TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    failures BIGINT NOT NULL,
    state TEXT NOT NULL
);

-- Staff of the office: a name and an argon2id PHC string.
CREATE TABLE staff (
    name TEXT PRIMARY KEY,
    phc TEXT NOT NULL
);

-- Sessions: the SHA-256 of the cookie's random id (a stolen table gives no session), the
-- resident or staff member behind it, the CSRF token of its forms.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    login TEXT,
    staff TEXT,
    must_change BIGINT NOT NULL,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_login ON sessions (login);

-- Every input that changed the cooperative, in order: snapshots, bank statements, readings.
-- The cooperative is rebuilt from them at start (the core holds it in memory). `id` is the
-- input's place in that order, chosen by the instance that applied it as the next after the
-- last it had applied: two instances that applied different inputs on the same state cannot
-- both store them (the second gets a key conflict, catches up and tries again).
CREATE TABLE inputs (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE input_files (
    input_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    content BYTES NOT NULL,
    PRIMARY KEY (input_id, name)
);

-- The outbox: what the access state machine asked the host to deliver or notify. The
-- one-time password itself is never written here: it is handed to the channel in memory.
CREATE TABLE outbox (
    id SERIAL_ID,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    login TEXT NOT NULL,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    delivered_at BIGINT
);

-- The audit log: the core's audit events plus the staff's imports.
CREATE TABLE audit (
    id SERIAL_ID,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    login TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- Unblock requests received by SMS (the text and the sender), with what was done.
CREATE TABLE unblock_requests (
    id SERIAL_ID,
    at BIGINT NOT NULL,
    sender TEXT NOT NULL,
    body TEXT NOT NULL,
    outcome TEXT NOT NULL
);
