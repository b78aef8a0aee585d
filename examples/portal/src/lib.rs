//! A reference e-BOK portal embedding `ebok-core`: axum on tokio, SQLite or PostgreSQL through
//! sqlx, server-rendered HTML (maud), Polish by default with an English switch.
//!
//! The core stays pure: this crate does the I/O (HTTP, SQL, clock, randomness) and calls only
//! the core's public API. Map: `app` (state and operations), `store` (SQL), `web` (router,
//! sessions, CSRF, headers, layout), `pages::resident`, `pages::staff`, `limit` (per-address
//! rate limit), `demo` (sample data).

#![forbid(unsafe_code)]
// A page helper that cannot answer returns the answer to send instead (axum's `Response`, as
// its extractors do); boxing it would only add an allocation to every refusal.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod demo;
pub mod limit;
pub mod pages;
pub mod store;
pub mod web;
