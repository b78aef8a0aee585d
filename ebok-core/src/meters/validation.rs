//! Validating a reading a resident submits (samoodczyt): a typed verdict, never a panic, and
//! nothing stored when it is rejected.

use serde::{Deserialize, Serialize};
use time::Date;

use super::consumption::points;
use super::{Meter, MeterBook, MeterKind, MeterSerial, Quantity, Reading, ReadingSource};
use crate::calendar::{check_date, day_number};
use crate::messages::Language;
use crate::premises::PremisesId;

/// The cooperative's window for submitting readings (e.g. the last days of a quarter).
///
/// ```
/// use ebok_core::meters::ReadingWindow;
/// use time::macros::date;
/// let w = ReadingWindow { from: date!(2025 - 06 - 25), to: date!(2025 - 06 - 30) };
/// assert!(w.contains(date!(2025 - 06 - 30)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingWindow {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

impl ReadingWindow {
    /// Whether a day is inside.
    ///
    /// ```
    /// use ebok_core::meters::ReadingWindow;
    /// use time::macros::date;
    /// let w = ReadingWindow { from: date!(2025 - 06 - 25), to: date!(2025 - 06 - 30) };
    /// assert!(!w.contains(date!(2025 - 07 - 01)));
    /// ```
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

/// Options of the validation.
///
/// ```
/// use ebok_core::meters::ValidationOptions;
/// use time::macros::date;
/// let o = ValidationOptions::new(date!(2025 - 06 - 30));
/// assert_eq!(o.jump_factor, 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationOptions {
    /// Today: readings dated later are refused.
    pub today: Date,
    /// The reading window, if the cooperative has one.
    pub window: Option<ReadingWindow>,
    /// A daily use above this multiple of the premises' own average is flagged.
    pub jump_factor: u32,
    /// The resident confirmed a reading that needed confirmation
    /// ([`Verdict::NeedsConfirmation`]): store it with its warnings.
    pub confirmed: bool,
}

impl ValidationOptions {
    /// Default options for `today`: no window, jump factor 3.
    ///
    /// ```
    /// use ebok_core::meters::ValidationOptions;
    /// use time::macros::date;
    /// assert!(ValidationOptions::new(date!(2025 - 06 - 30)).window.is_none());
    /// ```
    pub fn new(today: Date) -> ValidationOptions {
        ValidationOptions {
            today,
            window: None,
            jump_factor: 3,
            confirmed: false,
        }
    }
}

/// Why a reading is refused.
///
/// ```
/// use ebok_core::messages::Language;
/// use ebok_core::meters::Rejection;
/// assert!(Rejection::UnknownMeter.message(Language::Polish).contains("wodomierz"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Rejection {
    /// No meter with this serial number.
    UnknownMeter,
    /// The meter belongs to another premises.
    NotThisPremises,
    /// The meter was removed before the reading day.
    MeterRemoved {
        /// The removal day.
        removed_on: Date,
    },
    /// The reading day precedes the installation.
    BeforeInstallation {
        /// The installation day.
        installed_on: Date,
    },
    /// The reading day is after today.
    DateInFuture {
        /// Today.
        today: Date,
    },
    /// Not a number.
    NotANumber,
    /// More than 3 decimal places.
    TooManyDecimals,
    /// Lower than an earlier reading of the same meter, with no replacement or rollover between.
    LowerThanPrevious {
        /// The earlier reading.
        previous: Quantity,
        /// Its day.
        on: Date,
    },
    /// Higher than a later reading of the same meter.
    HigherThanNext {
        /// The later reading.
        next: Quantity,
        /// Its day.
        on: Date,
    },
    /// More than the meter can physically pass since the previous reading: its largest flow
    /// per hour ([`Meter::max_flow`], by default [`MeterKind::default_max_flow`]) × 24 × days
    /// (at least one day).
    ExceedsMeterCapacity {
        /// The use this reading implies.
        consumption: Quantity,
        /// The most the meter could have passed.
        max_possible: Quantity,
        /// Days since the previous reading.
        days: u32,
    },
}

impl Rejection {
    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::meters::Rejection;
    /// assert_eq!(Rejection::TooManyDecimals.code(), "too_many_decimals");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::UnknownMeter => "unknown_meter",
            Rejection::NotThisPremises => "not_this_premises",
            Rejection::MeterRemoved { .. } => "meter_removed",
            Rejection::BeforeInstallation { .. } => "before_installation",
            Rejection::DateInFuture { .. } => "date_in_future",
            Rejection::NotANumber => "not_a_number",
            Rejection::TooManyDecimals => "too_many_decimals",
            Rejection::LowerThanPrevious { .. } => "lower_than_previous",
            Rejection::HigherThanNext { .. } => "higher_than_next",
            Rejection::ExceedsMeterCapacity { .. } => "exceeds_meter_capacity",
        }
    }
    /// A message for the resident.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// use ebok_core::meters::Rejection;
    /// assert_eq!(Rejection::TooManyDecimals.message(Language::English), "Enter the reading with at most 3 decimal places.");
    /// ```
    pub fn message(&self, language: Language) -> String {
        let pl = language == Language::Polish;
        // Dates and states as the resident reads them (21.11.2026, 131,789 m³).
        let (d, q) = (
            |x: &Date| language.date(*x),
            |x: &Quantity| language.quantity(x.to_decimal(), "m³"),
        );
        match self {
            Rejection::UnknownMeter | Rejection::NotThisPremises => {
                if pl {
                    "Nie znaleziono wodomierza o tym numerze w Twoim lokalu.".to_owned()
                } else {
                    "No meter with this number was found in your premises.".to_owned()
                }
            }
            Rejection::MeterRemoved { removed_on } => {
                if pl {
                    format!("Ten wodomierz został zdemontowany {}.", d(removed_on))
                } else {
                    format!("This meter was removed on {}.", d(removed_on))
                }
            }
            Rejection::BeforeInstallation { installed_on } => {
                if pl {
                    format!(
                        "Data odczytu jest wcześniejsza niż montaż wodomierza ({}).",
                        d(installed_on)
                    )
                } else {
                    format!(
                        "The reading date is before the meter was installed ({}).",
                        d(installed_on)
                    )
                }
            }
            Rejection::DateInFuture { .. } => {
                if pl {
                    "Data odczytu nie może być z przyszłości.".to_owned()
                } else {
                    "The reading date cannot be in the future.".to_owned()
                }
            }
            Rejection::NotANumber => {
                if pl {
                    "Podaj stan licznika jako liczbę, np. 131,789.".to_owned()
                } else {
                    "Enter the reading as a number, e.g. 131.789.".to_owned()
                }
            }
            Rejection::TooManyDecimals => {
                if pl {
                    "Podaj stan z dokładnością do 3 miejsc po przecinku.".to_owned()
                } else {
                    "Enter the reading with at most 3 decimal places.".to_owned()
                }
            }
            Rejection::LowerThanPrevious { previous, on } => {
                if pl {
                    format!(
                        "Stan jest niższy niż poprzedni odczyt {} z {}.",
                        q(previous),
                        d(on)
                    )
                } else {
                    format!(
                        "The reading is lower than the previous one, {} on {}.",
                        q(previous),
                        d(on)
                    )
                }
            }
            Rejection::HigherThanNext { next, on } => {
                if pl {
                    format!(
                        "Stan jest wyższy niż późniejszy odczyt {} z {}.",
                        q(next),
                        d(on)
                    )
                } else {
                    format!(
                        "The reading is higher than a later one, {} on {}.",
                        q(next),
                        d(on)
                    )
                }
            }
            Rejection::ExceedsMeterCapacity {
                consumption,
                max_possible,
                days,
            } => {
                if pl {
                    format!(
                        "Zużycie {} w {days} dni przekracza to, co wodomierz może fizycznie zmierzyć ({}). Sprawdź wpisany stan.",
                        q(consumption),
                        q(max_possible)
                    )
                } else {
                    format!(
                        "Use of {} in {days} days is more than the meter can physically pass ({}). Check the reading.",
                        q(consumption),
                        q(max_possible)
                    )
                }
            }
        }
    }
}

/// A reason to look at an accepted reading again.
///
/// ```
/// use ebok_core::messages::Language;
/// use ebok_core::meters::Warning;
/// assert!(Warning::LikelyDecimalSlip { factor: 10 }.message(Language::Polish).contains("przecinek"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "warning", rename_all = "snake_case")]
pub enum Warning {
    /// The daily use since the last reading is far above the premises' own average.
    ImplausibleJump {
        /// Daily use implied by this reading.
        daily: Quantity,
        /// The premises' average daily use for this kind of meter.
        average_daily: Quantity,
    },
    /// The value looks like the expected one times 10, 100 or 1000 (a misplaced decimal point).
    LikelyDecimalSlip {
        /// The factor.
        factor: u32,
    },
    /// The meter's legalization had expired on the reading day.
    LegalizationExpired {
        /// The last valid day.
        valid_through: Date,
    },
    /// The reading day is outside the cooperative's reading window.
    OutsideReadingWindow {
        /// The window.
        window: ReadingWindow,
    },
    /// Lower than the previous reading: taken as the counter wrapping around.
    Rollover {
        /// The counter's modulus.
        modulus: Quantity,
    },
}

impl Warning {
    /// Whether the resident must confirm a reading with this warning before it is stored:
    /// a jump far above the usual use, or a likely misplaced decimal point.
    ///
    /// ```
    /// use ebok_core::meters::Warning;
    /// assert!(Warning::LikelyDecimalSlip { factor: 10 }.needs_confirmation());
    /// ```
    pub fn needs_confirmation(&self) -> bool {
        matches!(
            self,
            Warning::ImplausibleJump { .. } | Warning::LikelyDecimalSlip { .. }
        )
    }

    /// The stable code (the serde tag), for bindings and logs.
    ///
    /// ```
    /// use ebok_core::meters::Warning;
    /// assert_eq!(Warning::LikelyDecimalSlip { factor: 1000 }.code(), "likely_decimal_slip");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Warning::ImplausibleJump { .. } => "implausible_jump",
            Warning::LikelyDecimalSlip { .. } => "likely_decimal_slip",
            Warning::LegalizationExpired { .. } => "legalization_expired",
            Warning::OutsideReadingWindow { .. } => "outside_reading_window",
            Warning::Rollover { .. } => "rollover",
        }
    }
    /// A message for the resident.
    ///
    /// ```
    /// use ebok_core::messages::Language;
    /// use ebok_core::meters::Warning;
    /// use time::macros::date;
    /// let w = Warning::LegalizationExpired { valid_through: date!(2026 - 12 - 31) };
    /// assert!(w.message(Language::English).contains("31 Dec 2026"));
    /// assert!(w.message(Language::Polish).contains("31.12.2026"));
    /// ```
    pub fn message(&self, language: Language) -> String {
        let pl = language == Language::Polish;
        let (d, q) = (
            |x: &Date| language.date(*x),
            |x: &Quantity| language.quantity(x.to_decimal(), "m³"),
        );
        match self {
            Warning::ImplausibleJump {
                daily,
                average_daily,
            } => {
                if pl {
                    format!(
                        "Zużycie {} na dobę jest wielokrotnie wyższe niż średnie {}. Sprawdź odczyt lub możliwy wyciek.",
                        q(daily),
                        q(average_daily)
                    )
                } else {
                    format!(
                        "Use of {} per day is many times the average of {}. Check the reading or a possible leak.",
                        q(daily),
                        q(average_daily)
                    )
                }
            }
            Warning::LikelyDecimalSlip { factor } => {
                if pl {
                    format!(
                        "Stan jest ok. {factor}× wyższy niż oczekiwany — sprawdź, czy przecinek jest we właściwym miejscu."
                    )
                } else {
                    format!(
                        "The reading is about {factor}× the expected value: check the decimal point."
                    )
                }
            }
            Warning::LegalizationExpired { valid_through } => {
                if pl {
                    format!(
                        "Legalizacja wodomierza była ważna do {}; odczyt może nie zostać użyty w rozliczeniu.",
                        d(valid_through)
                    )
                } else {
                    format!(
                        "The meter's legalization was valid through {}; the reading may not be used for billing.",
                        d(valid_through)
                    )
                }
            }
            Warning::OutsideReadingWindow { window } => {
                if pl {
                    format!(
                        "Odczyt spoza okresu przyjmowania odczytów ({}–{}); zostanie zapisany, ale może nie zostać użyty w rozliczeniu.",
                        d(&window.from),
                        d(&window.to)
                    )
                } else {
                    format!(
                        "Outside the reading window ({} to {}); kept, but it may not be used for billing.",
                        d(&window.from),
                        d(&window.to)
                    )
                }
            }
            Warning::Rollover { modulus } => {
                if pl {
                    format!(
                        "Stan niższy niż poprzedni potraktowano jako przekręcenie licznika (po {}).",
                        q(modulus)
                    )
                } else {
                    format!(
                        "The lower reading was taken as the counter wrapping around (after {}).",
                        q(modulus)
                    )
                }
            }
        }
    }
}

/// The verdict on a submitted reading.
///
/// ```
/// use ebok_core::meters::Verdict;
/// assert!(Verdict::Accepted { warnings: vec![] }.is_accepted());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Refused, for every listed reason; nothing was stored.
    Rejected {
        /// Every reason.
        reasons: Vec<Rejection>,
    },
    /// Accepted (and stored, when submitted), possibly with warnings.
    Accepted {
        /// Reasons to look again.
        warnings: Vec<Warning>,
    },
    /// Possible, but far above the premises' usual use (or a likely misplaced decimal point):
    /// nothing was stored. Submitting again with [`ValidationOptions::confirmed`] stores it.
    /// The warnings say which and why ([`Warning::message`]).
    NeedsConfirmation {
        /// The reasons to confirm (at least one needs confirmation, see
        /// [`Warning::needs_confirmation`]).
        warnings: Vec<Warning>,
    },
}

impl Verdict {
    /// Whether the reading was accepted.
    ///
    /// ```
    /// use ebok_core::meters::Verdict;
    /// assert!(!Verdict::Rejected { reasons: vec![] }.is_accepted());
    /// ```
    pub fn is_accepted(&self) -> bool {
        matches!(self, Verdict::Accepted { .. })
    }
}

/// Accepted, or held for the resident's confirmation when a warning asks for it.
fn verdict_for(warnings: Vec<Warning>, options: &ValidationOptions) -> Verdict {
    if !options.confirmed && warnings.iter().any(Warning::needs_confirmation) {
        Verdict::NeedsConfirmation { warnings }
    } else {
        Verdict::Accepted { warnings }
    }
}

/// Hard checks shared by residents' and the cooperative's readings.
pub(crate) fn hard_checks(
    book: &MeterBook,
    meter: &Meter,
    date: Date,
    value: Quantity,
    today: Option<Date>,
) -> Vec<Rejection> {
    let mut out = Vec::new();
    if check_date(date).is_err() {
        out.push(Rejection::NotANumber);
        return out;
    }
    if let Some(t) = today
        && date > t
    {
        out.push(Rejection::DateInFuture { today: t });
    }
    if date < meter.installed_on {
        out.push(Rejection::BeforeInstallation {
            installed_on: meter.installed_on,
        });
    }
    if let Some(r) = meter.removed_on
        && date > r
    {
        out.push(Rejection::MeterRemoved { removed_on: r });
    }
    if meter.rollover_at.is_none() {
        let readings = book.readings_of(&meter.serial);
        let previous =
            readings
                .iter()
                .rev()
                .find(|r| r.date < date)
                .map(|r| (r.value, r.date))
                .or((date >= meter.installed_on)
                    .then_some((meter.initial_reading, meter.installed_on)));
        if let Some((prev, on)) = previous
            && value < prev
        {
            out.push(Rejection::LowerThanPrevious { previous: prev, on });
        }
        let next = readings
            .iter()
            .find(|r| r.date > date)
            .map(|r| (r.value, r.date))
            .or(meter
                .removed_on
                .zip(meter.final_reading)
                .filter(|(d, _)| *d > date)
                .map(|(d, f)| (f, d)));
        if let Some((next, on)) = next
            && value > next
        {
            out.push(Rejection::HigherThanNext { next, on });
        }
    }
    out
}

impl MeterBook {
    /// The premises' average daily use for a kind, over its whole known history.
    fn average_daily(
        &self,
        premises: &PremisesId,
        kind: MeterKind,
        before: Date,
    ) -> Option<(i64, i64)> {
        let (mut used, mut days) = (0i64, 0i64);
        for m in self
            .meters_of(premises)
            .into_iter()
            .filter(|m| m.kind == kind)
        {
            let pts: Vec<(i32, i64)> = points(m, self)
                .into_iter()
                .filter(|p| p.0 <= day_number(before))
                .collect();
            if let (Some(first), Some(last)) = (pts.first(), pts.last()) {
                used += last.1 - first.1;
                days += i64::from(last.0 - first.0);
            }
        }
        (days > 0).then_some((used, days))
    }

    /// Validates a reading a resident typed in, without storing it.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, Rejection, ValidationOptions, Verdict};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let p = PremisesId::new("1")?;
    /// let mut b = MeterBook::new();
    /// b.add_meter(Meter::new("ZW-1", MeterKind::ColdWater, p.clone(), date!(2024 - 01 - 01), Quantity::parse("100")?)?)?;
    /// let v = b.validate_reading(&p, "ZW-1", date!(2025 - 01 - 01), "99,5", &ValidationOptions::new(date!(2025 - 01 - 02)));
    /// assert!(matches!(v, Verdict::Rejected { ref reasons } if matches!(reasons[0], Rejection::LowerThanPrevious { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_reading(
        &self,
        premises: &PremisesId,
        serial: &str,
        date: Date,
        value: &str,
        options: &ValidationOptions,
    ) -> Verdict {
        match self.check(premises, serial, date, value, options) {
            Ok((_, warnings)) => verdict_for(warnings, options),
            Err(reasons) => Verdict::Rejected { reasons },
        }
    }

    /// Validates a resident's reading and stores it (as [`ReadingSource::SelfReported`]) when accepted.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, ValidationOptions};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let p = PremisesId::new("1")?;
    /// let mut b = MeterBook::new();
    /// b.add_meter(Meter::new("ZW-1", MeterKind::ColdWater, p.clone(), date!(2024 - 01 - 01), Quantity::parse("100")?)?)?;
    /// assert!(b.submit_reading(&p, "ZW-1", date!(2025 - 01 - 01), "131,789", &ValidationOptions::new(date!(2025 - 01 - 02))).is_accepted());
    /// assert!(!b.submit_reading(&p, "ZW-1", date!(2025 - 02 - 01), "12.3456", &ValidationOptions::new(date!(2025 - 02 - 02))).is_accepted());
    /// assert_eq!(b.readings_of(&"ZW-1".parse()?).len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn submit_reading(
        &mut self,
        premises: &PremisesId,
        serial: &str,
        date: Date,
        value: &str,
        options: &ValidationOptions,
    ) -> Verdict {
        match self.check(premises, serial, date, value, options) {
            Ok((reading, warnings)) => {
                let verdict = verdict_for(warnings, options);
                if verdict.is_accepted() {
                    self.store_reading(reading);
                }
                verdict
            }
            Err(reasons) => Verdict::Rejected { reasons },
        }
    }

    fn check(
        &self,
        premises: &PremisesId,
        serial: &str,
        date: Date,
        value: &str,
        options: &ValidationOptions,
    ) -> Result<(Reading, Vec<Warning>), Vec<Rejection>> {
        let meter = MeterSerial::new(serial.trim())
            .ok()
            .and_then(|s| self.meter(&s))
            .ok_or_else(|| vec![Rejection::UnknownMeter])?;
        if meter.premises != *premises {
            return Err(vec![Rejection::NotThisPremises]);
        }
        let quantity = match Quantity::parse(value) {
            Ok(q) => q,
            Err(super::MeterError::TooManyDecimals { .. }) => {
                return Err(vec![Rejection::TooManyDecimals]);
            }
            Err(_) => return Err(vec![Rejection::NotANumber]),
        };
        let rejections = hard_checks(self, meter, date, quantity, Some(options.today));
        if !rejections.is_empty() {
            return Err(rejections);
        }
        let mut warnings = Vec::new();
        // Rollover: lower than the previous reading on a counter that wraps.
        let previous = self
            .readings_of(&meter.serial)
            .iter()
            .rev()
            .find(|r| r.date < date)
            .map(|r| (r.value, r.date))
            .unwrap_or((meter.initial_reading, meter.installed_on));
        let mut delta = quantity.0 - previous.0.0;
        if delta < 0
            && let Some(m) = meter.rollover_at
        {
            warnings.push(Warning::Rollover { modulus: m });
            delta += m.0;
        }
        let days = i64::from(day_number(date) - day_number(previous.1));
        if let Some(max_flow) = meter.max_flow.or(meter.kind.default_max_flow()) {
            // Readings are by day: between two readings at most 24 h a day, and at least one day.
            let max_possible = i128::from(max_flow.0) * 24 * i128::from(days.max(1));
            if i128::from(delta) > max_possible {
                return Err(vec![Rejection::ExceedsMeterCapacity {
                    consumption: Quantity(delta),
                    max_possible: Quantity(i64::try_from(max_possible).unwrap_or(i64::MAX)),
                    days: u32::try_from(days).unwrap_or(u32::MAX),
                }]);
            }
        }
        if let Some((used, avg_days)) = self.average_daily(premises, meter.kind, previous.1)
            && days > 0
            && used > 0
        {
            // Expected value: previous + average daily use × days.
            let expected = previous.0.0 + used * days / avg_days;
            let slip = [10u32, 100, 1000].into_iter().find(|&f| {
                let target = i128::from(expected) * i128::from(f);
                let v = i128::from(quantity.0);
                expected > 0 && v * 5 >= target * 4 && v * 4 <= target * 5
            });
            if let Some(factor) = slip {
                warnings.push(Warning::LikelyDecimalSlip { factor });
            } else if i128::from(delta) * i128::from(avg_days)
                > i128::from(options.jump_factor) * i128::from(used) * i128::from(days)
            {
                warnings.push(Warning::ImplausibleJump {
                    daily: Quantity(delta / days),
                    average_daily: Quantity(used / avg_days),
                });
            }
        }
        if let Some(l) = meter.legalization
            && !l.is_valid_on(date)
        {
            warnings.push(Warning::LegalizationExpired {
                valid_through: l.valid_through(),
            });
        }
        if let Some(w) = options.window
            && !w.contains(date)
        {
            warnings.push(Warning::OutsideReadingWindow { window: w });
        }
        Ok((
            Reading {
                meter: meter.serial.clone(),
                date,
                value: quantity,
                source: ReadingSource::SelfReported,
            },
            warnings,
        ))
    }
}
