//! SQL storage: SQLite (the embedded default) or PostgreSQL, through one `sqlx::Any` pool and
//! one set of migrations.
//!
//! What is stored: access accounts (the core's state, compare-and-swap on `version`), staff,
//! sessions (hashed ids), every input that changed the cooperative (replayed at start), the
//! outbox of effects, the audit log and the unblock requests. No plaintext secret is ever
//! written: accounts hold argon2id PHC strings, the outbox holds where a code went, not the code.

use ebok_core::access::Account;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

/// The migrations, in order: (version, SQL with `SERIAL_ID` and `BYTES` left to the backend).
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/0001_initial.sql"))];

/// A storage failure; the portal answers 500 and logs it.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError(e.to_string())
    }
}

/// The result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The portal's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// A session row.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The resident's login identifier, once logged in.
    pub login: Option<String>,
    /// The staff member's name, once logged in as staff.
    pub staff: Option<String>,
    /// Logged in with a one-time password: only the password change is open.
    pub must_change: bool,
    /// The token every form of this session carries.
    pub csrf: String,
    /// When the session ends (Unix seconds).
    pub expires_at: i64,
}

/// One stored input (a snapshot, a bank statement file, a reading) with its files.
#[derive(Debug, Clone)]
pub struct StoredInput {
    /// Its sequence number.
    pub id: i64,
    /// `snapshot`, `bank` or `reading`.
    pub kind: String,
    /// When it was received (Unix seconds).
    pub at: i64,
    /// Who sent it.
    pub actor: String,
    /// The report shown when it was applied.
    pub report: String,
    /// Its files: (name, content).
    pub files: Vec<(String, Vec<u8>)>,
}

/// A line of the audit log.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// When (Unix seconds).
    pub at: i64,
    /// The event's code.
    pub kind: String,
    /// The staff member, `system` or the resident.
    pub actor: String,
    /// The login concerned ("" when none).
    pub login: String,
    /// More about it.
    pub detail: String,
}

/// A line of the outbox.
#[derive(Debug, Clone)]
pub struct OutboxLine {
    /// When (Unix seconds).
    pub at: i64,
    /// What was sent (`otp`, `notice:…`).
    pub kind: String,
    /// To whose account.
    pub login: String,
    /// The channel (`sms`, `email`, `post`, `in_person`).
    pub channel: String,
    /// The address on file it went to (masked).
    pub target: String,
    /// When the channel took it.
    pub delivered_at: Option<i64>,
}

impl Store {
    /// Opens (or creates) the database `url` and brings its schema up to date.
    /// `sqlite://path/to/file.db` (created when missing) or `postgres://user@host/db`.
    pub async fn open(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError(format!(
                "{url}: expected sqlite://FILE or postgres://…"
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') && !url.contains(":memory:") => {
                format!("{url}?mode=rwc")
            }
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .connect(&url)
            .await?;
        let store = Store { pool, backend };
        if backend == Backend::Sqlite {
            // Readers do not wait for the writer; the writer waits for the other writer.
            sqlx::query("PRAGMA journal_mode=WAL")
                .execute(&store.pool)
                .await?;
        }
        store.migrate().await?;
        Ok(store)
    }

    /// The backend behind the pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    async fn migrate(&self) -> StoreResult<()> {
        sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
            .execute(&self.pool)
            .await?;
        for &(version, sql) in MIGRATIONS {
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&self.pool)
                    .await?;
            if done.is_some() {
                continue;
            }
            let (serial, bytes) = match self.backend {
                Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"),
                Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA"),
            };
            let sql = sql.replace("SERIAL_ID", serial).replace("BYTES", bytes);
            let mut tx = self.pool.begin().await?;
            // Comment lines go first: a comment may hold a `;` of its own.
            let code = sql
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            for statement in code.split(';').filter(|s| !s.trim().is_empty()) {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
                .bind(version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    // ── accounts ────────────────────────────────────────────────────────────────────────

    /// The account of `login`, when there is one.
    pub async fn account(&self, login: &str) -> StoreResult<Option<Account>> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM accounts WHERE login = $1")
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
        state
            .map(|s| {
                serde_json::from_str::<Account>(&s)
                    .map_err(|e| StoreError(format!("account {login}: {e}")))
            })
            .transpose()
    }

    /// Every account's login, status and failures, in login order.
    pub async fn accounts(&self) -> StoreResult<Vec<(String, String, i64)>> {
        let rows = sqlx::query("SELECT login, status, failures FROM accounts ORDER BY login")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// Stores `next` in place of the account as it was read (`read`: its version, `None` when
    /// there was none): `Ok(false)` when another request changed or created the account first
    /// (the caller reads it again and recomputes).
    pub async fn swap_account(
        &self,
        next: &Account,
        status: &str,
        read: Option<u64>,
    ) -> StoreResult<bool> {
        let state = serde_json::to_string(next).map_err(|e| StoreError(e.to_string()))?;
        let version = i64::try_from(next.version()).map_err(|e| StoreError(e.to_string()))?;
        let login = next.login().as_str();
        let failures = i64::from(next.failures());
        let done = match read {
            None => sqlx::query(
                "INSERT INTO accounts (login, version, status, failures, state) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (login) DO NOTHING",
            )
            .bind(login)
            .bind(version)
            .bind(status)
            .bind(failures)
            .bind(state)
            .execute(&self.pool)
            .await?,
            Some(read) => {
                let read = i64::try_from(read).map_err(|e| StoreError(e.to_string()))?;
                sqlx::query(
                    "UPDATE accounts SET version = $1, status = $2, failures = $3, state = $4 \
                     WHERE login = $5 AND version = $6",
                )
                .bind(version)
                .bind(status)
                .bind(failures)
                .bind(state)
                .bind(login)
                .bind(read)
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    // ── staff ───────────────────────────────────────────────────────────────────────────

    /// Adds or replaces a staff member's password hash.
    pub async fn put_staff(&self, name: &str, phc: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO staff (name, phc) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET phc = excluded.phc",
        )
        .bind(name)
        .bind(phc)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A staff member's password hash.
    pub async fn staff_phc(&self, name: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT phc FROM staff WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    // ── sessions ────────────────────────────────────────────────────────────────────────

    /// Stores a new session.
    pub async fn create_session(
        &self,
        id_hash: &str,
        row: &SessionRow,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, login, staff, must_change, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id_hash)
        .bind(row.login.clone())
        .bind(row.staff.clone())
        .bind(i64::from(row.must_change))
        .bind(row.csrf.clone())
        .bind(now)
        .bind(row.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session behind a cookie's hashed id, unless it has expired.
    pub async fn session(&self, id_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT login, staff, must_change, csrf, expires_at FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let s = SessionRow {
            login: r.try_get(0)?,
            staff: r.try_get(1)?,
            must_change: r.try_get::<i64, _>(2)? != 0,
            csrf: r.try_get(3)?,
            expires_at: r.try_get(4)?,
        };
        Ok((s.expires_at > now).then_some(s))
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of a resident but `keep` (the core's `RevokeSessions`).
    pub async fn revoke_sessions(&self, login: &str, keep: Option<&str>) -> StoreResult<u64> {
        Ok(
            sqlx::query("DELETE FROM sessions WHERE login = $1 AND id_hash <> $2")
                .bind(login)
                .bind(keep.unwrap_or(""))
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    /// Erases what the portal keeps of a closed account's person (the core's `EraseData`):
    /// its sessions, the contacts its codes went to (masked as they were) and the phone
    /// numbers of its unblock requests. The audit log keeps the identifier and the events.
    pub async fn erase_personal_data(&self, login: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE login = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE outbox SET target = '—' WHERE login = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE unblock_requests SET sender = '—' WHERE body LIKE $1")
            .bind(format!("%{login}%"))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes expired sessions.
    pub async fn purge_sessions(&self, now: i64) -> StoreResult<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    // ── inputs ──────────────────────────────────────────────────────────────────────────

    /// Stores an input that was applied on top of input `id - 1`, with its files, in one
    /// transaction. `false` when another instance stored an input `id` first (nothing is
    /// written: catch up and apply again).
    pub async fn add_input(
        &self,
        id: i64,
        kind: &str,
        at: i64,
        actor: &str,
        report: &str,
        files: &[(String, Vec<u8>)],
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO inputs (id, kind, at, actor, report) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(kind)
        .bind(at)
        .bind(actor)
        .bind(report)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(false),
            Err(e) => return Err(e.into()),
        }
        for (name, content) in files {
            sqlx::query("INSERT INTO input_files (input_id, name, content) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(name.as_str())
                .bind(content.clone())
                .execute(&mut *tx)
                .await?;
        }
        match tx.commit().await {
            Ok(()) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The stored inputs after `after`, oldest first, with their files.
    pub async fn inputs_after(&self, after: i64) -> StoreResult<Vec<StoredInput>> {
        let rows =
            sqlx::query("SELECT id, kind, at, actor, report FROM inputs WHERE id > $1 ORDER BY id")
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get(0)?;
            let files = sqlx::query(
                "SELECT name, content FROM input_files WHERE input_id = $1 ORDER BY name",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|f: &AnyRow| Ok((f.try_get(0)?, f.try_get(1)?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            out.push(StoredInput {
                id,
                kind: r.try_get(1)?,
                at: r.try_get(2)?,
                actor: r.try_get(3)?,
                report: r.try_get(4)?,
                files,
            });
        }
        Ok(out)
    }

    /// The id of the last stored input (0 when none).
    pub async fn last_input(&self) -> StoreResult<i64> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM inputs")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
    }

    /// The last `limit` inputs of `kind` without their files: (at, actor, report), newest first.
    pub async fn input_reports(
        &self,
        kind: &str,
        limit: i64,
    ) -> StoreResult<Vec<(i64, String, String)>> {
        let rows = sqlx::query(
            "SELECT at, actor, report FROM inputs WHERE kind = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(kind)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    // ── outbox, audit, unblock requests ─────────────────────────────────────────────────

    /// Adds a line to the outbox.
    pub async fn add_outbox(&self, line: &OutboxLine) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO outbox (at, kind, login, channel, target, delivered_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(line.at)
        .bind(line.kind.as_str())
        .bind(line.login.as_str())
        .bind(line.channel.as_str())
        .bind(line.target.as_str())
        .bind(line.delivered_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The last `limit` lines of the outbox, newest first.
    pub async fn outbox(&self, limit: i64) -> StoreResult<Vec<OutboxLine>> {
        let rows = sqlx::query(
            "SELECT at, kind, login, channel, target, delivered_at FROM outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxLine {
                    at: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    login: r.try_get(2)?,
                    channel: r.try_get(3)?,
                    target: r.try_get(4)?,
                    delivered_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Adds a line to the audit log.
    pub async fn add_audit(&self, line: &AuditLine) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit (at, kind, actor, login, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(line.at)
        .bind(line.kind.as_str())
        .bind(line.actor.as_str())
        .bind(line.login.as_str())
        .bind(line.detail.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The last `limit` lines of the audit log, newest first.
    pub async fn audit(&self, limit: i64) -> StoreResult<Vec<AuditLine>> {
        let rows = sqlx::query(
            "SELECT at, kind, actor, login, detail FROM audit ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditLine {
                    at: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    login: r.try_get(3)?,
                    detail: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Records an unblock request and what was done with it.
    pub async fn add_unblock_request(
        &self,
        at: i64,
        sender: &str,
        body: &str,
        outcome: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO unblock_requests (at, sender, body, outcome) VALUES ($1, $2, $3, $4)",
        )
        .bind(at)
        .bind(sender)
        .bind(body)
        .bind(outcome)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The last `limit` unblock requests, newest first: (at, sender, body, outcome).
    pub async fn unblock_requests(
        &self,
        limit: i64,
    ) -> StoreResult<Vec<(i64, String, String, String)>> {
        let rows = sqlx::query(
            "SELECT at, sender, body, outcome FROM unblock_requests ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }
}
