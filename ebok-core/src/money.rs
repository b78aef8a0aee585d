//! Exact amounts of Polish złoty (kwota w PLN).
//!
//! [`Money`] holds a whole number of grosze (1 zł = 100 gr). It is built from a
//! [`rust_decimal::Decimal`] or from text and refuses anything that is not a whole
//! number of grosze: a third decimal place is an error, never rounded away.
//! Arithmetic is checked: it returns `None` instead of overflowing, so no amount
//! can panic the library.
//!
//! ```
//! use ebok_core::money::Money;
//! use rust_decimal::Decimal;
//!
//! let a: Money = "1 234,56".parse()?;           // Polish notation
//! let b = Money::parse("-12.5")?;                // plain notation
//! assert_eq!(a.checked_add(b).unwrap().to_string(), "1222.06");
//! assert_eq!(a.polish().to_string(), "1\u{a0}234,56 zł");
//! assert!(Money::try_from(Decimal::new(12345, 3)).is_err()); // 12.345: three decimals
//! # Ok::<(), ebok_core::money::MoneyError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact amount of money in PLN (kwota), a whole number of grosze.
///
/// Equality, ordering and hashing are by value. The largest magnitude is
/// [`Money::MAX`]; `i64::MIN` grosze is not representable, so negation never overflows.
///
/// ```
/// use ebok_core::money::Money;
/// let m = Money::from_grosze(-1250);
/// assert_eq!(m.to_string(), "-12.50");
/// assert_eq!(m.abs(), Money::from_grosze(1250));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why an amount was refused.
///
/// ```
/// use ebok_core::money::{Money, MoneyError};
/// assert!(matches!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals { .. })));
/// assert!(matches!(Money::parse("1.000"), Err(MoneyError::Ambiguous { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The amount has a non-zero third (or further) decimal place.
    #[error("amount {value:?} has more than 2 decimal places (grosze)")]
    TooManyDecimals {
        /// The refused value as given.
        value: String,
    },
    /// The amount is too large to be represented.
    #[error("amount {value:?} is out of range (at most {max} zł in magnitude)")]
    OutOfRange {
        /// The refused value as given.
        value: String,
        /// The largest magnitude allowed, in plain notation.
        max: String,
    },
    /// A single dot or comma followed by exactly three digits (`1.000`, `1,230`): it may group
    /// thousands or separate decimals, so the amount is not guessed.
    #[error(
        "amount {value:?} is ambiguous: a dot or comma followed by exactly three digits may group thousands (write 1000, 1 000 or 1,00)"
    )]
    Ambiguous {
        /// The refused value as given.
        value: String,
    },
    /// The text is not an amount.
    #[error("{value:?} is not an amount: {reason}")]
    Invalid {
        /// The refused text (at most 64 characters of it).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// The largest number of grosze, `i64::MAX`.
const MAX_GROSZE: i64 = i64::MAX;

impl Money {
    /// Zero złoty.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert!(Money::ZERO.is_zero());
    /// ```
    pub const ZERO: Money = Money(0);

    /// The largest representable amount (`i64::MAX` grosze).
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert!(Money::MAX.checked_add(Money::from_grosze(1)).is_none());
    /// ```
    pub const MAX: Money = Money(MAX_GROSZE);

    /// The smallest representable amount, `-MAX`.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::MIN.checked_neg(), Some(Money::MAX));
    /// ```
    pub const MIN: Money = Money(-MAX_GROSZE);

    /// An amount from a whole number of grosze. `i64::MIN` is clamped to [`Money::MIN`].
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(77215).to_string(), "772.15");
    /// ```
    pub const fn from_grosze(grosze: i64) -> Money {
        if grosze == i64::MIN {
            Money(-MAX_GROSZE)
        } else {
            Money(grosze)
        }
    }

    /// The amount as a whole number of grosze.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::parse("-0,05").unwrap().grosze(), -5);
    /// ```
    pub const fn grosze(self) -> i64 {
        self.0
    }

    /// The amount as a `Decimal` with exactly two decimal places.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(1250).to_decimal().to_string(), "12.50");
    /// ```
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// An amount from a `Decimal`; refuses a non-zero third decimal place or an amount out of range.
    ///
    /// Trailing zeros are fine (`12.500` is `12.50`); `12.505` is refused, never rounded.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Money::from_decimal(Decimal::new(12500, 3))?, Money::from_grosze(1250));
    /// assert!(Money::from_decimal(Decimal::new(12505, 3)).is_err());
    /// # Ok::<(), ebok_core::money::MoneyError>(())
    /// ```
    pub fn from_decimal(value: Decimal) -> Result<Money, MoneyError> {
        let normalized = value.normalize();
        if normalized.scale() > 2 {
            return Err(MoneyError::TooManyDecimals {
                value: value.to_string(),
            });
        }
        let factor = 10i128.pow(2 - normalized.scale());
        let grosze = normalized.mantissa().checked_mul(factor);
        match grosze.and_then(|g| i64::try_from(g).ok()) {
            Some(g) if g != i64::MIN => Ok(Money(g)),
            _ => Err(MoneyError::OutOfRange {
                value: value.to_string(),
                max: Money::MAX.to_string(),
            }),
        }
    }

    /// Parses an amount written either plainly (`1234.56`, `-12.5`) or the Polish way
    /// (`1 234,56`, `-12,5`, `1 234,56 zł`).
    ///
    /// Rules: an optional sign (`-`, `+` or `−`); digits, optionally grouped in threes by
    /// spaces (also no-break and thin spaces); one decimal separator, `.` or `,`, followed by
    /// one or two digits (more only if they are zeros); an optional `zł`, `zl` or `PLN`
    /// suffix. A comma or dot used to group thousands (`1,234.56`) is refused as ambiguous, and
    /// so is a single separator followed by exactly three digits (`1.000`, `1,230`), which may be
    /// a thousands group.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::parse("1 234,56 zł")?.grosze(), 123456);
    /// assert_eq!(Money::parse("+0.1")?.grosze(), 10);
    /// assert!(Money::parse("1,234.56").is_err());
    /// assert!(Money::parse("12,345").is_err());
    /// assert!(Money::parse("1.000").is_err());
    /// assert!(Money::parse("1.230").is_err());
    /// assert_eq!(Money::parse("1.50")?.grosze(), 150);
    /// assert_eq!(Money::parse("1 000,00")?.grosze(), 100000);
    /// # Ok::<(), ebok_core::money::MoneyError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        parse_money(text)
    }

    /// Adds, or `None` on overflow.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(1).checked_add(Money::from_grosze(2)), Some(Money::from_grosze(3)));
    /// ```
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0
            .checked_add(other.0)
            .filter(|g| *g != i64::MIN)
            .map(Money)
    }

    /// Subtracts, or `None` on overflow.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::MIN.checked_sub(Money::from_grosze(1)), None);
    /// ```
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0
            .checked_sub(other.0)
            .filter(|g| *g != i64::MIN)
            .map(Money)
    }

    /// Multiplies by a whole number, or `None` on overflow.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(550).checked_mul_int(3), Some(Money::from_grosze(1650)));
    /// ```
    pub fn checked_mul_int(self, factor: i64) -> Option<Money> {
        self.0
            .checked_mul(factor)
            .filter(|g| *g != i64::MIN)
            .map(Money)
    }

    /// Negates; never fails because `i64::MIN` grosze is not representable.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(5).checked_neg(), Some(Money::from_grosze(-5)));
    /// ```
    pub fn checked_neg(self) -> Option<Money> {
        Some(Money(-self.0))
    }

    /// The sum of amounts, or `None` on overflow.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// let total = Money::checked_sum([Money::from_grosze(1), Money::from_grosze(2)]);
    /// assert_eq!(total, Some(Money::from_grosze(3)));
    /// ```
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// The magnitude.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(-7).abs(), Money::from_grosze(7));
    /// ```
    pub const fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// The smaller of two amounts.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(7).min(Money::ZERO), Money::ZERO);
    /// ```
    pub fn min(self, other: Money) -> Money {
        Ord::min(self, other)
    }

    /// The larger of two amounts.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(-7).max(Money::ZERO), Money::ZERO);
    /// ```
    pub fn max(self, other: Money) -> Money {
        Ord::max(self, other)
    }

    /// Whether the amount is zero.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert!(!Money::from_grosze(1).is_zero());
    /// ```
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether the amount is above zero.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert!(Money::from_grosze(1).is_positive());
    /// ```
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Whether the amount is below zero.
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert!(Money::from_grosze(-1).is_negative());
    /// ```
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// A displayable Polish form: thousands grouped by a no-break space (U+00A0), decimal
    /// comma and `zł` (`1 234,56 zł`).
    ///
    /// ```
    /// # use ebok_core::money::Money;
    /// assert_eq!(Money::from_grosze(-123456789).polish().to_string(), "-1\u{a0}234\u{a0}567,89 zł");
    /// ```
    pub fn polish(self) -> PolishMoney {
        PolishMoney(self)
    }
}

/// The Polish display form of an amount, made by [`Money::polish`].
///
/// ```
/// # use ebok_core::money::Money;
/// assert_eq!(format!("{}", Money::from_grosze(5).polish()), "0,05 zł");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolishMoney(Money);

impl fmt::Display for PolishMoney {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.0.0;
        let (whole, frac) = ((g / 100).unsigned_abs(), (g % 100).unsigned_abs());
        if g < 0 {
            f.write_str("-")?;
        }
        let digits = whole.to_string();
        for (i, ch) in digits.chars().enumerate() {
            // A no-break space groups thousands, as in the Polish locale of CLDR and Java.
            if i > 0 && (digits.len() - i) % 3 == 0 {
                f.write_str("\u{a0}")?;
            }
            write!(f, "{ch}")?;
        }
        write!(f, ",{frac:02} zł")
    }
}

impl fmt::Display for Money {
    /// Plain notation with two decimals: `1234.56`, `-12.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.0;
        let sign = if g < 0 { "-" } else { "" };
        let (whole, frac) = ((g / 100).unsigned_abs(), (g % 100).unsigned_abs());
        f.pad(&format!("{sign}{whole}.{frac:02}"))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl TryFrom<Decimal> for Money {
    type Error = MoneyError;

    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Money::from_decimal(value)
    }
}

impl From<Money> for Decimal {
    fn from(value: Money) -> Self {
        value.to_decimal()
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Only from a string: a binary float cannot carry an exact amount.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount of PLN as a string, e.g. \"1234.56\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

fn invalid(text: &str, reason: &'static str) -> MoneyError {
    MoneyError::Invalid {
        value: text.chars().take(64).collect(),
        reason,
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn parse_money(text: &str) -> Result<Money, MoneyError> {
    let mut s = text.trim_matches(|c: char| c.is_whitespace() || is_group_space(c));
    for suffix in ["zł", "ZŁ", "Zł", "zl", "ZL", "PLN", "pln"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end_matches(|c: char| c.is_whitespace() || is_group_space(c));
            break;
        }
    }
    let (negative, body) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('\u{2212}') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    };
    if body.is_empty() {
        return Err(invalid(text, "no digits"));
    }
    let mut separators = body.match_indices(['.', ',']);
    let (int_part, frac_part) = match (separators.next(), separators.next()) {
        (None, _) => (body, ""),
        (Some((i, _)), None) => (&body[..i], &body[i + 1..]),
        (Some(_), Some(_)) => {
            return Err(invalid(
                text,
                "more than one decimal separator (thousands are grouped with spaces)",
            ));
        }
    };
    if int_part.is_empty() {
        return Err(invalid(text, "no digits before the decimal separator"));
    }
    if body.len() > int_part.len() && frac_part.is_empty() {
        return Err(invalid(text, "no digits after the decimal separator"));
    }
    // Integer part: digits, optionally grouped in threes by spaces.
    let groups: Vec<&str> = int_part.split(is_group_space).collect();
    for (i, group) in groups.iter().enumerate() {
        if group.is_empty() || !group.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(text, "unexpected character in the whole part"));
        }
        if i > 0 && group.len() != 3 || groups.len() > 1 && i == 0 && group.len() > 3 {
            return Err(invalid(text, "digit groups must have three digits"));
        }
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(text, "unexpected character in the fraction"));
    }

    let (frac_kept, frac_rest) = frac_part.split_at(frac_part.len().min(2));
    if frac_rest.bytes().any(|b| b != b'0') {
        return Err(MoneyError::TooManyDecimals {
            value: text.chars().take(64).collect(),
        });
    }
    // `1.000` may be one złoty or a thousand with the dot grouping thousands: refused, as
    // `1.234` is. With space groups (`1 000.000`) the separator can only be the decimal one.
    if frac_part.len() == 3 && groups.len() == 1 {
        return Err(MoneyError::Ambiguous {
            value: text.chars().take(64).collect(),
        });
    }
    let out_of_range = || MoneyError::OutOfRange {
        value: text.chars().take(64).collect(),
        max: Money::MAX.to_string(),
    };
    let mut grosze: i64 = 0;
    for b in groups.iter().flat_map(|g| g.bytes()) {
        grosze = grosze
            .checked_mul(10)
            .and_then(|g| g.checked_add(i64::from(b - b'0')))
            .ok_or_else(out_of_range)?;
    }
    let mut frac: i64 = 0;
    for i in 0..2 {
        let digit = frac_kept
            .as_bytes()
            .get(i)
            .map_or(0, |b| i64::from(b - b'0'));
        frac = frac * 10 + digit;
    }
    grosze = grosze
        .checked_mul(100)
        .and_then(|g| g.checked_add(frac))
        .ok_or_else(out_of_range)?;
    Ok(Money(if negative { -grosze } else { grosze }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_polish_notation() {
        let cases = [
            ("1234.56", 123456),
            ("1 234,56", 123456),
            ("1\u{a0}234,56 zł", 123456),
            ("-12,5", -1250),
            ("-12.50", -1250),
            ("0", 0),
            ("+7", 700),
            ("12 345 678,90", 1234567890),
            ("12.5000", 1250),
            ("1 000.000", 100000),
            ("−3,00 PLN", -300),
        ];
        for (text, grosze) in cases {
            assert_eq!(Money::parse(text), Ok(Money::from_grosze(grosze)), "{text}");
        }
    }

    #[test]
    fn refuses_bad_text_with_a_reason() {
        for text in [
            "", "-", "abc", "1,234.56", "12,", ",5", "1 23,00", "1234 567", "1e3", "12..0", "--1",
        ] {
            assert!(
                matches!(Money::parse(text), Err(MoneyError::Invalid { .. })),
                "{text:?} -> {:?}",
                Money::parse(text)
            );
        }
        assert!(matches!(
            Money::parse("12,345"),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        // A single separator before exactly three digits may group thousands (issue 12.5).
        for text in ["1.000", "1.230", "1,000", "-12.500", "0.500", "1.000 zł"] {
            assert!(
                matches!(Money::parse(text), Err(MoneyError::Ambiguous { .. })),
                "{text:?} -> {:?}",
                Money::parse(text)
            );
        }
        assert!(matches!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::OutOfRange { .. })
        ));
    }

    #[test]
    fn decimal_round_trip_and_scale_check() {
        let d = Decimal::new(-123456, 2);
        let m = Money::from_decimal(d).unwrap();
        assert_eq!(m.to_decimal(), d);
        assert_eq!(m.to_decimal().scale(), 2);
        assert!(matches!(
            Money::from_decimal(Decimal::new(1, 3)),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert!(Money::from_decimal(Decimal::MAX).is_err());
    }

    #[test]
    fn display_plain_and_polish() {
        assert_eq!(Money::from_grosze(123456).to_string(), "1234.56");
        assert_eq!(Money::from_grosze(-5).to_string(), "-0.05");
        assert_eq!(
            Money::from_grosze(123456).polish().to_string(),
            "1\u{a0}234,56 zł"
        );
        assert_eq!(Money::from_grosze(100).polish().to_string(), "1,00 zł");
        assert_eq!(
            Money::from_grosze(-99999).polish().to_string(),
            "-999,99 zł"
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Money::MAX.checked_add(Money::from_grosze(1)), None);
        assert_eq!(Money::MIN.checked_add(Money::from_grosze(-1)), None);
        assert_eq!(Money::MAX.checked_mul_int(2), None);
        assert_eq!(Money::from_grosze(i64::MIN), Money::MIN);
        assert_eq!(Money::MIN.abs(), Money::MAX);
    }

    #[test]
    fn serde_uses_strings_and_refuses_floats() {
        let m = Money::from_grosze(77215);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"772.15\"");
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        assert!(serde_json::from_str::<Money>("772.15").is_err());
    }
}
