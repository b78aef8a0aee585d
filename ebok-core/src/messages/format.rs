//! How amounts, quantities, dates and instants read to a resident, in Polish or English.
//!
//! Polish follows the Polish locale of CLDR and Java: a no-break space (U+00A0) groups
//! thousands, a comma separates decimals (`1 234,56 zł`, `70,40 m²`, `115,086 m³`), dates are
//! `21.11.2026` or `21 listopada 2026 r.`. English uses `PLN 1,234.56`, `70.40 m²` and
//! `21 Nov 2026` / `21 November 2026`.
//!
//! ```
//! use ebok_core::messages::Language;
//! use ebok_core::money::Money;
//! let pl = Language::Polish;
//! assert_eq!(pl.money(Money::from_grosze(123456)), "1\u{a0}234,56 zł");
//! assert_eq!(Language::English.money(Money::from_grosze(-123456)), "-PLN 1,234.56");
//! ```

use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

use super::Language;
use crate::calendar::YearMonth;
use crate::money::Money;

/// The no-break space that groups thousands in Polish.
pub const NBSP: char = '\u{a0}';

const MONTHS_PL: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];

/// Month names in the genitive, as in `21 listopada 2026 r.`.
const MONTHS_PL_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_index(d: Date) -> usize {
    usize::from(u8::from(d.month())).clamp(1, 12) - 1
}

/// `digits` (ASCII, no sign) grouped by three with `sep`.
fn grouped(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

impl Language {
    /// An amount: `1 234,56 zł` (no-break space between thousands) or `PLN 1,234.56`.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// use ebok_core::money::Money;
    /// assert_eq!(Language::Polish.money(Money::from_grosze(-5)), "-0,05 zł");
    /// assert_eq!(Language::English.money(Money::from_grosze(100_000_000)), "PLN 1,000,000.00");
    /// ```
    pub fn money(self, amount: Money) -> String {
        let g = amount.grosze();
        let (whole, frac) = ((g / 100).unsigned_abs(), (g % 100).unsigned_abs());
        let sign = if g < 0 { "-" } else { "" };
        match self {
            Language::Polish => format!("{sign}{},{frac:02} zł", grouped(&whole.to_string(), NBSP)),
            Language::English => {
                format!("{sign}PLN {}.{frac:02}", grouped(&whole.to_string(), ','))
            }
        }
    }

    /// A number with the decimal separator of the language and the digits it has (a meter
    /// state keeps its three decimals): `115,086` or `115.086`; thousands grouped.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// let v: rust_decimal::Decimal = "12345.086".parse()?;
    /// assert_eq!(Language::Polish.number(v), "12\u{a0}345,086");
    /// assert_eq!(Language::English.number(v), "12,345.086");
    /// # Ok::<(), rust_decimal::Error>(())
    /// ```
    pub fn number(self, value: Decimal) -> String {
        let text = value.to_string();
        let (sign, unsigned) = text
            .strip_prefix('-')
            .map_or(("", text.as_str()), |t| ("-", t));
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let (group, point) = match self {
            Language::Polish => (NBSP, ','),
            Language::English => (',', '.'),
        };
        let mut out = format!("{sign}{}", grouped(int, group));
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// A quantity with its unit after a no-break space: `70,40 m²`, `115,086 m³`.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// let area: rust_decimal::Decimal = "70.40".parse()?;
    /// assert_eq!(Language::Polish.quantity(area, "m²"), "70,40\u{a0}m²");
    /// assert_eq!(Language::English.quantity(area, "m²"), "70.40\u{a0}m²");
    /// # Ok::<(), rust_decimal::Error>(())
    /// ```
    pub fn quantity(self, value: Decimal, unit: &str) -> String {
        format!("{}{NBSP}{unit}", self.number(value))
    }

    /// A date in a table or a sentence: `21.11.2026` or `21 Nov 2026`.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// let d = time::macros::date!(2026 - 11 - 21);
    /// assert_eq!(Language::Polish.date(d), "21.11.2026");
    /// assert_eq!(Language::English.date(d), "21 Nov 2026");
    /// ```
    pub fn date(self, day: Date) -> String {
        match self {
            Language::Polish => format!(
                "{:02}.{:02}.{}",
                day.day(),
                u8::from(day.month()),
                day.year()
            ),
            Language::English => format!(
                "{} {} {}",
                day.day(),
                &MONTHS_EN[month_index(day)][..3],
                day.year()
            ),
        }
    }

    /// A date written out: `21 listopada 2026 r.` or `21 November 2026`.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// let d = time::macros::date!(2026 - 12 - 03);
    /// assert_eq!(Language::Polish.long_date(d), "3 grudnia 2026 r.");
    /// assert_eq!(Language::English.long_date(d), "3 December 2026");
    /// ```
    pub fn long_date(self, day: Date) -> String {
        let m = month_index(day);
        match self {
            Language::Polish => {
                format!("{} {} {} r.", day.day(), MONTHS_PL_GENITIVE[m], day.year())
            }
            Language::English => format!("{} {} {}", day.day(), MONTHS_EN[m], day.year()),
        }
    }

    /// A month: `listopad 2026` or `November 2026`.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// use ebok_core::calendar::YearMonth;
    /// let m = YearMonth::new(2026, 11).expect("a month");
    /// assert_eq!(Language::Polish.month(m), "listopad 2026");
    /// assert_eq!(Language::English.month(m), "November 2026");
    /// ```
    pub fn month(self, month: YearMonth) -> String {
        let m = usize::from(month.month().clamp(1, 12)) - 1;
        match self {
            Language::Polish => format!("{} {}", MONTHS_PL[m], month.year()),
            Language::English => format!("{} {}", MONTHS_EN[m], month.year()),
        }
    }

    /// An instant as a resident reads it, in its own offset: `21 listopada 2026 r., godz. 18:00`
    /// or `21 November 2026 at 18:00`.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// let t = time::macros::datetime!(2026 - 11 - 21 18:00 +01:00);
    /// assert_eq!(Language::Polish.instant(t), "21 listopada 2026 r., godz. 18:00");
    /// assert_eq!(Language::English.instant(t), "21 November 2026 at 18:00");
    /// ```
    pub fn instant(self, at: OffsetDateTime) -> String {
        let day = self.long_date(at.date());
        match self {
            Language::Polish => format!("{day}, godz. {:02}:{:02}", at.hour(), at.minute()),
            Language::English => format!("{day} at {:02}:{:02}", at.hour(), at.minute()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_month_has_its_three_names() {
        for m in 1..=12u8 {
            let ym = YearMonth::new(2026, m).expect("a month");
            let day = ym.first_day();
            assert!(
                Language::Polish
                    .long_date(day)
                    .contains(MONTHS_PL_GENITIVE[usize::from(m) - 1])
            );
            assert!(
                Language::English
                    .date(day)
                    .contains(&MONTHS_EN[usize::from(m) - 1][..3])
            );
            assert_eq!(
                Language::Polish.month(ym),
                format!("{} 2026", MONTHS_PL[usize::from(m) - 1])
            );
        }
    }

    #[test]
    fn amounts_group_every_three_digits_and_keep_the_sign() {
        let pl = |g| Language::Polish.money(Money::from_grosze(g));
        assert_eq!(pl(0), "0,00 zł");
        assert_eq!(pl(99_999), "999,99 zł");
        assert_eq!(pl(100_000), "1\u{a0}000,00 zł");
        assert_eq!(pl(-123_456_789), "-1\u{a0}234\u{a0}567,89 zł");
        assert_eq!(pl(i64::MIN + 1).matches(NBSP).count(), 5);
        let en = |g| Language::English.money(Money::from_grosze(g));
        assert_eq!(en(-123_456_789), "-PLN 1,234,567.89");
        // The same amount as Money::polish shows.
        assert_eq!(
            pl(123_456),
            Money::from_grosze(123_456).polish().to_string()
        );
    }

    #[test]
    fn numbers_keep_their_digits_and_use_the_languages_separators() {
        let d = |s: &str| s.parse::<Decimal>().expect("a number");
        assert_eq!(Language::Polish.number(d("0.5")), "0,5");
        assert_eq!(Language::Polish.number(d("-1234.000")), "-1\u{a0}234,000");
        assert_eq!(Language::Polish.number(d("70")), "70");
        assert_eq!(Language::English.number(d("1234567.25")), "1,234,567.25");
    }
}
