//! Runnable examples of ebok live in this package's `[[example]]` targets.
