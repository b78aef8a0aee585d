//! The pages: the resident's and the office's.

#![allow(missing_docs)]

pub mod resident;
pub mod staff;
