//! Consumption over a period, across meter replacements, with estimates where readings are missing.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Meter, MeterBook, MeterKind, MeterSerial, Quantity};
use crate::calendar::{YearMonth, day_number};
use crate::premises::PremisesId;

/// How a meter's state on a day was found.
///
/// ```
/// use ebok_core::meters::StateBasis;
/// assert!(StateBasis::Extrapolated.is_estimated());
/// assert!(!StateBasis::Measured.is_estimated());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateBasis {
    /// A reading (or the installation or removal reading) on that day.
    Measured,
    /// Between two readings, in proportion to the days.
    Interpolated,
    /// After the last reading, from the average daily use of the last period.
    Extrapolated,
}

impl StateBasis {
    /// Whether the state is an estimate.
    ///
    /// ```
    /// use ebok_core::meters::StateBasis;
    /// assert!(StateBasis::Interpolated.is_estimated());
    /// ```
    pub fn is_estimated(self) -> bool {
        self != StateBasis::Measured
    }
}

/// One meter's share of a period's consumption.
///
/// ```
/// use ebok_core::meters::{ConsumptionPart, MeterKind, Quantity, StateBasis};
/// let p = ConsumptionPart { meter: "1".parse()?, kind: MeterKind::ColdWater, from: time::macros::date!(2025 - 01 - 01),
///     to: time::macros::date!(2025 - 02 - 01), amount: Quantity::ZERO, start_basis: StateBasis::Measured, end_basis: StateBasis::Measured };
/// assert!(!p.is_estimated());
/// # Ok::<(), ebok_core::meters::MeterError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumptionPart {
    /// The meter.
    pub meter: MeterSerial,
    /// Its kind.
    pub kind: MeterKind,
    /// The first day of the meter's share (installation day if later than the period start).
    pub from: Date,
    /// The last day of its share (removal day if earlier than the period end).
    pub to: Date,
    /// The amount.
    pub amount: Quantity,
    /// How the start state was found.
    pub start_basis: StateBasis,
    /// How the end state was found.
    pub end_basis: StateBasis,
}

impl ConsumptionPart {
    /// Whether either end is an estimate.
    ///
    /// ```
    /// # use ebok_core::meters::{ConsumptionPart, MeterKind, Quantity, StateBasis};
    /// let p = ConsumptionPart { meter: "1".parse()?, kind: MeterKind::ColdWater, from: time::macros::date!(2025 - 01 - 01),
    ///     to: time::macros::date!(2025 - 02 - 01), amount: Quantity::ZERO, start_basis: StateBasis::Measured, end_basis: StateBasis::Extrapolated };
    /// assert!(p.is_estimated());
    /// # Ok::<(), ebok_core::meters::MeterError>(())
    /// ```
    pub fn is_estimated(&self) -> bool {
        self.start_basis.is_estimated() || self.end_basis.is_estimated()
    }
}

/// Consumption over a period: from the state at the end of `from` to the state at the end of `to`.
///
/// ```
/// use ebok_core::meters::{Consumption, Quantity};
/// let c = Consumption { from: time::macros::date!(2025 - 01 - 01), to: time::macros::date!(2025 - 02 - 01), total: Quantity::ZERO, parts: vec![] };
/// assert!(!c.is_estimated());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumption {
    /// The period's start.
    pub from: Date,
    /// The period's end.
    pub to: Date,
    /// The total.
    pub total: Quantity,
    /// Per meter.
    pub parts: Vec<ConsumptionPart>,
}

impl Consumption {
    /// Whether any part is an estimate.
    ///
    /// ```
    /// # use ebok_core::meters::{Consumption, Quantity};
    /// let c = Consumption { from: time::macros::date!(2025 - 01 - 01), to: time::macros::date!(2025 - 02 - 01), total: Quantity::ZERO, parts: vec![] };
    /// assert!(c.parts.is_empty());
    /// ```
    pub fn is_estimated(&self) -> bool {
        self.parts.iter().any(ConsumptionPart::is_estimated)
    }

    /// The estimated share of the total.
    ///
    /// ```
    /// # use ebok_core::meters::{Consumption, Quantity};
    /// let c = Consumption { from: time::macros::date!(2025 - 01 - 01), to: time::macros::date!(2025 - 02 - 01), total: Quantity::ZERO, parts: vec![] };
    /// assert_eq!(c.estimated(), Quantity::ZERO);
    /// ```
    pub fn estimated(&self) -> Quantity {
        Quantity(
            self.parts
                .iter()
                .filter(|p| p.is_estimated())
                .map(|p| p.amount.0)
                .sum(),
        )
    }
}

/// An estimate from average daily use (odczyt szacunkowy): `previous` consumed over
/// `previous_days`, scaled to `days`, rounded half-up to thousandths.
///
/// ```
/// use ebok_core::meters::{Quantity, estimate_from_average};
/// // domain.md §9.6: 24.600 m³ over 181 days → 25.008 m³ over 184 days.
/// assert_eq!(estimate_from_average(Quantity::parse("24.600")?, 181, 184).to_string(), "25.008");
/// # Ok::<(), ebok_core::meters::MeterError>(())
/// ```
pub fn estimate_from_average(previous: Quantity, previous_days: u32, days: u32) -> Quantity {
    if previous_days == 0 {
        return Quantity::ZERO;
    }
    let num = i128::from(previous.0) * i128::from(days);
    let den = i128::from(previous_days);
    let q = (2 * num + den) / (2 * den);
    Quantity::from_thousandths(i64::try_from(q).unwrap_or(i64::MAX))
        .unwrap_or(Quantity(super::MAX_THOUSANDTHS))
}

/// A meter's known points (day number, unrolled value in thousandths), in day order.
pub(crate) fn points(meter: &Meter, book: &MeterBook) -> Vec<(i32, i64)> {
    let mut raw: Vec<(i32, i64)> = vec![(day_number(meter.installed_on), meter.initial_reading.0)];
    for r in book.readings_of(&meter.serial) {
        if meter.is_installed_on(r.date) {
            raw.push((day_number(r.date), r.value.0));
        }
    }
    if let (Some(d), Some(f)) = (meter.removed_on, meter.final_reading) {
        raw.push((day_number(d), f.0));
    }
    raw.sort_by_key(|p| p.0);
    raw.dedup_by_key(|p| p.0);
    // Unroll a counter that wraps.
    let modulus = meter.rollover_at.map(|m| m.0);
    let mut offset = 0i64;
    let mut prev_raw: Option<i64> = None;
    let mut out = Vec::with_capacity(raw.len());
    for (d, v) in raw {
        if let (Some(m), Some(p)) = (modulus, prev_raw)
            && v < p
        {
            offset += m;
        }
        prev_raw = Some(v);
        out.push((d, v + offset));
    }
    out
}

/// The meter's unrolled state at the end of `day` (which must be within its installation).
pub(crate) fn state_at(points: &[(i32, i64)], day: i32) -> (i64, StateBasis) {
    match points.binary_search_by_key(&day, |p| p.0) {
        Ok(i) => (points[i].1, StateBasis::Measured),
        Err(0) => (points.first().map_or(0, |p| p.1), StateBasis::Extrapolated),
        Err(i) if i < points.len() => {
            let ((d0, v0), (d1, v1)) = (points[i - 1], points[i]);
            let num = i128::from(v1 - v0) * i128::from(day - d0);
            let den = i128::from(d1 - d0);
            let q = (2 * num + den) / (2 * den);
            (v0 + i64::try_from(q).unwrap_or(0), StateBasis::Interpolated)
        }
        Err(i) => {
            let (dl, vl) = points[i - 1];
            let extra = if i >= 2 {
                let (dp, vp) = points[i - 2];
                let per = Quantity::from_thousandths(vl - vp).unwrap_or(Quantity::ZERO);
                estimate_from_average(
                    per,
                    u32::try_from(dl - dp).unwrap_or(0),
                    u32::try_from(day - dl).unwrap_or(0),
                )
                .0
            } else {
                0
            };
            (vl + extra, StateBasis::Extrapolated)
        }
    }
}

impl MeterBook {
    /// Consumption of a premises for one kind over a period, across meter replacements.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterKind, Quantity, Reading, ReadingSource};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// // domain.md §9.6: old 240.000 → final 245.120; new 0.015 → 3.456: 8.561 m³.
    /// let p = PremisesId::new("1")?;
    /// let mut b = MeterBook::new();
    /// b.add_meter(Meter::new("OLD", MeterKind::ColdWater, p.clone(), date!(2019 - 01 - 01), Quantity::ZERO)?)?;
    /// b.add_reading(Reading::new("OLD", date!(2025 - 01 - 01), Quantity::parse("240.000")?, ReadingSource::Inspector)?)?;
    /// let new = Meter::new("NEW", MeterKind::ColdWater, p.clone(), date!(2025 - 03 - 01), Quantity::parse("0.015")?)?;
    /// b.replace_meter(&"OLD".parse()?, date!(2025 - 03 - 01), Quantity::parse("245.120")?, new)?;
    /// b.add_reading(Reading::new("NEW", date!(2025 - 07 - 01), Quantity::parse("3.456")?, ReadingSource::Inspector)?)?;
    /// let c = b.consumption(&p, MeterKind::ColdWater, date!(2025 - 01 - 01), date!(2025 - 07 - 01));
    /// assert_eq!(c.total.to_string(), "8.561");
    /// assert_eq!(c.parts.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn consumption(
        &self,
        premises: &PremisesId,
        kind: MeterKind,
        from: Date,
        to: Date,
    ) -> Consumption {
        self.consumption_of(premises, |k| k == kind, from, to)
    }

    /// Sewage (ścieki) over a period: cold plus hot water.
    ///
    /// ```
    /// use ebok_core::meters::MeterBook;
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let c = MeterBook::new().sewage(&PremisesId::new("1")?, date!(2025 - 01 - 01), date!(2025 - 07 - 01));
    /// assert_eq!(c.total.to_string(), "0.000");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sewage(&self, premises: &PremisesId, from: Date, to: Date) -> Consumption {
        self.consumption_of(premises, MeterKind::is_water, from, to)
    }

    fn consumption_of(
        &self,
        premises: &PremisesId,
        kinds: impl Fn(MeterKind) -> bool,
        from: Date,
        to: Date,
    ) -> Consumption {
        let mut parts = Vec::new();
        let mut total = 0i64;
        if from <= to {
            for meter in self
                .meters_of(premises)
                .into_iter()
                .filter(|m| kinds(m.kind))
            {
                let start = from.max(meter.installed_on);
                let end = meter.removed_on.map_or(to, |r| to.min(r));
                if start > end {
                    continue;
                }
                let pts = points(meter, self);
                let (a, ab) = state_at(&pts, day_number(start));
                let (b, bb) = state_at(&pts, day_number(end));
                let amount = (b - a).max(0);
                total += amount;
                parts.push(ConsumptionPart {
                    meter: meter.serial.clone(),
                    kind: meter.kind,
                    from: start,
                    to: end,
                    amount: Quantity(amount),
                    start_basis: ab,
                    end_basis: bb,
                });
            }
        }
        Consumption {
            from,
            to,
            total: Quantity(total),
            parts,
        }
    }

    /// Consumption per month (from the end of the previous month's last day to the end of the
    /// month's last day): residents with remote-read meters have a right to it monthly.
    ///
    /// ```
    /// use ebok_core::calendar::YearMonth;
    /// use ebok_core::meters::{MeterBook, MeterKind};
    /// use ebok_core::premises::PremisesId;
    /// let months = MeterBook::new().monthly_consumption(&PremisesId::new("1")?, MeterKind::HotWater, YearMonth::new(2025, 1)?, YearMonth::new(2025, 6)?);
    /// assert_eq!(months.len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn monthly_consumption(
        &self,
        premises: &PremisesId,
        kind: MeterKind,
        first: YearMonth,
        last: YearMonth,
    ) -> Vec<(YearMonth, Consumption)> {
        let mut out = Vec::new();
        let mut m = first;
        while m <= last {
            out.push((
                m,
                self.consumption(premises, kind, m.previous().last_day(), m.last_day()),
            ));
            m = m.next();
        }
        out
    }
}
