//! Shared helpers of the ebok benchmarks.
