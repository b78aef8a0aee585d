//! `ebok.MeterBook`: meters, readings, consumption and resident readings.

use ebok_core::calendar::YearMonth;
use ebok_core::messages::Language;
use ebok_core::meters::{
    Consumption as CoreConsumption, Legalization, Meter as CoreMeter, MeterBook, MeterKind,
    MeterSerial, Quantity, Reading as CoreReading, ReadingSource, ReadingWindow, ValidationOptions,
    Verdict as CoreVerdict,
};
use pyo3::prelude::*;
use pyo3::types::PyString;
use rust_decimal::Decimal;
use time::Date;

use crate::convert::{FloatNotAllowedError, NotFoundError, date, invalid, premises_id, value_err};
use crate::record;

fn quantity(ob: &Bound<'_, PyAny>, field: &str) -> PyResult<Quantity> {
    if ob.is_instance_of::<pyo3::types::PyFloat>() {
        return Err(FloatNotAllowedError::new_err(format!(
            "field {field}: a float is not exact; use decimal.Decimal or str"
        )));
    }
    let s = if ob.is_instance_of::<PyString>() {
        ob.extract::<String>()?
    } else {
        ob.str()?.to_string()
    };
    Quantity::parse(&s).map_err(|e| invalid(field, None, &s, e))
}

fn serial(s: &str) -> PyResult<MeterSerial> {
    MeterSerial::new(s).map_err(|e| invalid("serial", None, s, e))
}

record! {
    /// A meter.
    Meter {
        serial: String,
        kind: String,
        premises: String,
        location: Option<String>,
        installed_on: Date,
        initial_reading: Decimal,
        removed_on: Option<Date>,
        final_reading: Option<Decimal>,
        legalization: Option<String>,
        legalization_valid_through: Option<Date>,
        rollover_at: Option<Decimal>,
    }
}

impl From<&CoreMeter> for Meter {
    fn from(m: &CoreMeter) -> Self {
        Meter {
            serial: m.serial.to_string(),
            kind: m.kind.code().to_owned(),
            premises: m.premises.to_string(),
            location: m.location.clone(),
            installed_on: m.installed_on,
            initial_reading: m.initial_reading.to_decimal(),
            removed_on: m.removed_on,
            final_reading: m.final_reading.map(Quantity::to_decimal),
            legalization: m.legalization.map(|l| l.to_string()),
            legalization_valid_through: m.legalization.map(Legalization::valid_through),
            rollover_at: m.rollover_at.map(Quantity::to_decimal),
        }
    }
}

record! {
    /// A reading.
    Reading {
        meter: String,
        date: Date,
        value: Decimal,
        source: String,
    }
}

impl From<&CoreReading> for Reading {
    fn from(r: &CoreReading) -> Self {
        Reading {
            meter: r.meter.to_string(),
            date: r.date,
            value: r.value.to_decimal(),
            source: r.source.code().to_owned(),
        }
    }
}

record! {
    /// One meter's share of a period's consumption.
    ConsumptionPart {
        meter: String,
        kind: String,
        start: Date,
        end: Date,
        amount: Decimal,
        estimated: bool,
    }
}

record! {
    /// Consumption over a period (from the state at the end of `start` to that at the end of `end`).
    Consumption {
        start: Date,
        end: Date,
        total: Decimal,
        estimated: Decimal,
        is_estimated: bool,
        parts: Vec<ConsumptionPart>,
    }
}

impl From<&CoreConsumption> for Consumption {
    fn from(c: &CoreConsumption) -> Self {
        Consumption {
            start: c.from,
            end: c.to,
            total: c.total.to_decimal(),
            estimated: c.estimated().to_decimal(),
            is_estimated: c.is_estimated(),
            parts: c
                .parts
                .iter()
                .map(|p| ConsumptionPart {
                    meter: p.meter.to_string(),
                    kind: p.kind.code().to_owned(),
                    start: p.from,
                    end: p.to,
                    amount: p.amount.to_decimal(),
                    estimated: p.is_estimated(),
                })
                .collect(),
        }
    }
}

record! {
    /// The verdict on a resident's reading: accepted or not, whether it waits for the resident's
    /// confirmation (not stored; submit again with confirmed=True), the reasons and warnings as codes, and messages.
    Verdict {
        accepted: bool,
        needs_confirmation: bool,
        reasons: Vec<String>,
        warnings: Vec<String>,
        messages_pl: Vec<String>,
        messages_en: Vec<String>,
    }
}

impl From<&CoreVerdict> for Verdict {
    fn from(v: &CoreVerdict) -> Self {
        /// Codes and messages in both languages of reasons or warnings.
        fn told<T>(
            items: &[T],
            code: impl Fn(&T) -> &'static str,
            message: impl Fn(&T, Language) -> String,
        ) -> (Vec<String>, Vec<String>, Vec<String>) {
            (
                items.iter().map(|i| code(i).to_owned()).collect(),
                items.iter().map(|i| message(i, Language::Polish)).collect(),
                items
                    .iter()
                    .map(|i| message(i, Language::English))
                    .collect(),
            )
        }
        let warned = |w: &[ebok_core::meters::Warning]| told(w, |w| w.code(), |w, l| w.message(l));
        let (accepted, needs_confirmation, (reasons, warnings, messages_pl, messages_en)) = match v
        {
            CoreVerdict::Rejected { reasons } => {
                let (codes, pl, en) = told(reasons, |r| r.code(), |r, l| r.message(l));
                (false, false, (codes, Vec::new(), pl, en))
            }
            CoreVerdict::Accepted { warnings } => {
                let (codes, pl, en) = warned(warnings);
                (true, false, (Vec::new(), codes, pl, en))
            }
            CoreVerdict::NeedsConfirmation { warnings } => {
                let (codes, pl, en) = warned(warnings);
                (false, true, (Vec::new(), codes, pl, en))
            }
        };
        Verdict {
            accepted,
            needs_confirmation,
            reasons,
            warnings,
            messages_pl,
            messages_en,
        }
    }
}

/// `ebok.MeterBook`: the cooperative's meters and readings.
#[pyclass(module = "ebok", name = "MeterBook")]
pub(crate) struct PyMeterBook {
    pub(crate) inner: MeterBook,
}

fn kind(k: &str) -> PyResult<MeterKind> {
    k.parse().map_err(value_err)
}

#[pymethods]
impl PyMeterBook {
    #[new]
    fn new() -> Self {
        PyMeterBook {
            inner: MeterBook::new(),
        }
    }

    /// Registers a meter (kind: "cold_water"/"ZW", "hot_water"/"CW", "heat_meter", "heat_cost_allocator").
    #[pyo3(signature = (serial, kind, premises, installed_on, initial_reading, location=None, legalization=None, rollover_at=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_meter(
        &mut self,
        serial: &str,
        kind: &str,
        premises: &str,
        installed_on: &Bound<'_, PyAny>,
        initial_reading: &Bound<'_, PyAny>,
        location: Option<&str>,
        legalization: Option<&str>,
        rollover_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut m = CoreMeter::new(
            serial,
            self::kind(kind)?,
            premises_id(premises)?,
            date(installed_on, "installed_on", None)?,
            quantity(initial_reading, "initial_reading")?,
        )
        .map_err(value_err)?;
        m.location = location.map(str::to_owned);
        m.legalization = legalization
            .map(|l| l.parse::<Legalization>().map_err(value_err))
            .transpose()?;
        m.rollover_at = rollover_at
            .map(|r| quantity(r, "rollover_at"))
            .transpose()?;
        self.inner.add_meter(m).map_err(value_err)
    }

    /// Replaces a meter: the old one is removed on `on` with its final reading, the new one installed.
    #[pyo3(signature = (old_serial, on, final_reading, new_serial, new_initial_reading, legalization=None))]
    fn replace_meter(
        &mut self,
        old_serial: &str,
        on: &Bound<'_, PyAny>,
        final_reading: &Bound<'_, PyAny>,
        new_serial: &str,
        new_initial_reading: &Bound<'_, PyAny>,
        legalization: Option<&str>,
    ) -> PyResult<()> {
        let old = self
            .inner
            .meter(&serial(old_serial)?)
            .cloned()
            .ok_or_else(|| NotFoundError::new_err(format!("no meter {old_serial:?}")))?;
        let day = date(on, "on", None)?;
        let mut new = old
            .successor(
                new_serial,
                day,
                quantity(new_initial_reading, "new_initial_reading")?,
            )
            .map_err(value_err)?;
        new.legalization = legalization
            .map(|l| l.parse::<Legalization>().map_err(value_err))
            .transpose()?;
        self.inner
            .replace_meter(
                &old.serial,
                day,
                quantity(final_reading, "final_reading")?,
                new,
            )
            .map_err(value_err)
    }

    /// Stores a reading from the cooperative's own sources (inspector, remote, estimated, norm).
    #[pyo3(signature = (serial, day, value, source="inspector"))]
    fn add_reading(
        &mut self,
        serial: &str,
        day: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        source: &str,
    ) -> PyResult<()> {
        let s: ReadingSource = source.parse().map_err(value_err)?;
        let r = CoreReading::new(
            serial,
            date(day, "day", None)?,
            quantity(value, "value")?,
            s,
        )
        .map_err(value_err)?;
        self.inner.add_reading(r).map_err(value_err)
    }

    /// The meters of a premises (or all), by installation day.
    #[pyo3(signature = (premises=None))]
    fn meters(&self, premises: Option<&str>) -> PyResult<Vec<Meter>> {
        Ok(match premises {
            Some(p) => self
                .inner
                .meters_of(&premises_id(p)?)
                .into_iter()
                .map(Meter::from)
                .collect(),
            None => self.inner.meters().map(Meter::from).collect(),
        })
    }

    /// The readings of a meter, oldest first.
    fn readings(&self, serial: &str) -> PyResult<Vec<Reading>> {
        Ok(self
            .inner
            .readings_of(&self::serial(serial)?)
            .iter()
            .map(Reading::from)
            .collect())
    }

    /// Consumption of a premises for one kind over a period, across replacements.
    fn consumption(
        &self,
        premises: &str,
        kind: &str,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<Consumption> {
        let c = self.inner.consumption(
            &premises_id(premises)?,
            self::kind(kind)?,
            date(start, "start", None)?,
            date(end, "end", None)?,
        );
        Ok(Consumption::from(&c))
    }

    /// Sewage (cold + hot water) over a period.
    fn sewage(
        &self,
        premises: &str,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<Consumption> {
        let c = self.inner.sewage(
            &premises_id(premises)?,
            date(start, "start", None)?,
            date(end, "end", None)?,
        );
        Ok(Consumption::from(&c))
    }

    /// Consumption per month, as ("YYYY-MM", Consumption) pairs.
    fn monthly_consumption(
        &self,
        premises: &str,
        kind: &str,
        first: &str,
        last: &str,
    ) -> PyResult<Vec<(String, Consumption)>> {
        let (f, l): (YearMonth, YearMonth) = (
            first.parse().map_err(value_err)?,
            last.parse().map_err(value_err)?,
        );
        Ok(self
            .inner
            .monthly_consumption(&premises_id(premises)?, self::kind(kind)?, f, l)
            .iter()
            .map(|(m, c)| (m.to_string(), Consumption::from(c)))
            .collect())
    }

    /// Validates a reading a resident typed in, without storing it.
    #[pyo3(signature = (premises, serial, day, value, today, window=None, jump_factor=3, confirmed=false))]
    #[allow(clippy::too_many_arguments)]
    fn validate_reading(
        &self,
        premises: &str,
        serial: &str,
        day: &Bound<'_, PyAny>,
        value: &str,
        today: &Bound<'_, PyAny>,
        window: Option<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
        jump_factor: u32,
        confirmed: bool,
    ) -> PyResult<Verdict> {
        let o = options(today, window, jump_factor, confirmed)?;
        Ok(Verdict::from(&self.inner.validate_reading(
            &premises_id(premises)?,
            serial,
            date(day, "day", None)?,
            value,
            &o,
        )))
    }

    /// Validates a resident's reading and stores it when accepted. A reading above what the meter
    /// can pass is rejected; one far above the usual use is held (`needs_confirmation`) until it is
    /// submitted again with confirmed=True.
    #[pyo3(signature = (premises, serial, day, value, today, window=None, jump_factor=3, confirmed=false))]
    #[allow(clippy::too_many_arguments)]
    fn submit_reading(
        &mut self,
        premises: &str,
        serial: &str,
        day: &Bound<'_, PyAny>,
        value: &str,
        today: &Bound<'_, PyAny>,
        window: Option<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
        jump_factor: u32,
        confirmed: bool,
    ) -> PyResult<Verdict> {
        let o = options(today, window, jump_factor, confirmed)?;
        let p = premises_id(premises)?;
        let d = date(day, "day", None)?;
        Ok(Verdict::from(
            &self.inner.submit_reading(&p, serial, d, value, &o),
        ))
    }

    fn __repr__(&self) -> String {
        format!("MeterBook({} meters)", self.inner.meters().count())
    }
}

fn options(
    today: &Bound<'_, PyAny>,
    window: Option<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
    jump_factor: u32,
    confirmed: bool,
) -> PyResult<ValidationOptions> {
    let mut o = ValidationOptions::new(date(today, "today", None)?);
    o.jump_factor = jump_factor;
    o.confirmed = confirmed;
    if let Some((f, t)) = window {
        o.window = Some(ReadingWindow {
            from: date(&f, "window.from", None)?,
            to: date(&t, "window.to", None)?,
        });
    }
    Ok(o)
}

/// The last day a legalization mark ("2021" or "M21") is valid.
#[pyfunction]
pub(crate) fn legalization_valid_through(mark: &str) -> PyResult<Date> {
    Ok(mark
        .parse::<Legalization>()
        .map_err(value_err)?
        .valid_through())
}

/// An estimate from average daily use: `previous` over `previous_days`, scaled to `days`.
#[pyfunction]
pub(crate) fn estimate_from_average(
    previous: &Bound<'_, PyAny>,
    previous_days: u32,
    days: u32,
) -> PyResult<Decimal> {
    Ok(ebok_core::meters::estimate_from_average(
        quantity(previous, "previous")?,
        previous_days,
        days,
    )
    .to_decimal())
}
