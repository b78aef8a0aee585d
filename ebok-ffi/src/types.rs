//! The custom types that cross the boundary: money, measures and calendar dates.
//!
//! Each crosses as a string and is checked on the way in (`try_lift`); a bad value becomes
//! [`EbokError::InvalidInput`](crate::EbokError::InvalidInput) of the call it was given to.
//! `uniffi.toml` maps them to `java.math.BigDecimal` / `java.time.LocalDate` in Kotlin and
//! `Decimal` / `DateComponents` in Swift.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::EbokError;

/// An amount of money in złoty (kwota), at most 2 decimal places. Kotlin `BigDecimal`
/// (compare with `compareTo`, not `equals`), Swift `Decimal`.
pub type Money = Decimal;

uniffi::custom_type!(Money, String, {
    remote,
    lower: |m| m.normalize().to_string(),
    try_lift: |s| lift_money(&s).map_err(Into::into),
});

/// A calendar date without a time zone (data kalendarzowa). Kotlin `LocalDate`, Swift
/// `DateComponents` (year, month, day).
pub type CalendarDate = time::Date;

uniffi::custom_type!(CalendarDate, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |s| lift_date(&s).map_err(Into::into),
});

/// A measured quantity: a usable area in m², a meter state or a consumption in m³/GJ/units.
/// Kotlin `BigDecimal`, Swift `Decimal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure(pub Decimal);

uniffi::custom_type!(Measure, String, {
    lower: |m| m.0.normalize().to_string(),
    try_lift: |s| lift_measure(&s).map_err(Into::into),
});

/// Reads an amount as it crosses: the plain decimal of a `BigDecimal`/`Decimal` (`1.000` is one
/// złoty here, exact, not text a person typed), at most 2 non-zero decimal places, within range.
pub(crate) fn lift_money(s: &str) -> Result<Decimal, EbokError> {
    if s.len() > 40 {
        return Err(EbokError::invalid("money", s, "is too long"));
    }
    let d = Decimal::from_str_exact(s)
        .map_err(|_| EbokError::invalid("money", s, "is not a decimal number"))?;
    ebok_core::money::Money::from_decimal(d)
        .map(ebok_core::money::Money::to_decimal)
        .map_err(|e| EbokError::invalid("money", s, e))
}

/// Parses an ISO date (`YYYY-MM-DD`).
pub(crate) fn lift_date(s: &str) -> Result<time::Date, EbokError> {
    ebok_core::calendar::parse_date(s).map_err(|e| EbokError::invalid("date", s, e))
}

/// Parses a measure: a plain decimal of at most 28 significant digits.
pub(crate) fn lift_measure(s: &str) -> Result<Measure, EbokError> {
    if s.len() > 40 {
        return Err(EbokError::invalid("measure", s, "is too long"));
    }
    Decimal::from_str(s)
        .map(Measure)
        .map_err(|e| EbokError::invalid("measure", s, e))
}

/// The core's money as it crosses.
pub(crate) fn money(m: ebok_core::money::Money) -> Money {
    m.to_decimal()
}

/// The core's money from what crossed (already checked by `try_lift`).
pub(crate) fn core_money(field: &str, m: Money) -> Result<ebok_core::money::Money, EbokError> {
    ebok_core::money::Money::from_decimal(m)
        .map_err(|e| EbokError::invalid(field, &m.to_string(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_refuses_more_than_two_places_and_garbage() {
        assert_eq!(lift_money("772.15").unwrap(), Decimal::new(77215, 2));
        assert!(
            matches!(lift_money("0.001"), Err(EbokError::InvalidInput { field, .. }) if field == "money")
        );
        assert!(lift_money("dwanaście").is_err());
        assert!(lift_money("1e400").is_err());
    }

    #[test]
    fn dates_are_iso_and_real() {
        assert_eq!(lift_date("2025-02-28").unwrap().to_string(), "2025-02-28");
        assert!(lift_date("2025-02-29").is_err());
        assert!(lift_measure("1.5").is_ok());
        assert!(lift_measure("x").is_err());
    }
}
