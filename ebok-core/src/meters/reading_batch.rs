//! Readings stored in a batch, all or nothing.

use super::{MeterBook, MeterError, Reading};

impl MeterBook {
    /// Stores readings as [`MeterBook::add_reading`] does, one after the other in the order
    /// given, **all or nothing**: when any is refused, the book is left as it was and every
    /// refused reading is reported with its position in the batch (from 0). Returns how many
    /// were stored.
    ///
    /// ```
    /// use ebok_core::meters::{Meter, MeterBook, MeterError, MeterKind, Quantity, Reading, ReadingSource};
    /// use ebok_core::premises::PremisesId;
    /// use time::macros::date;
    /// let mut b = MeterBook::new();
    /// b.add_meter(Meter::new("1", MeterKind::ColdWater, PremisesId::new("1")?, date!(2021 - 03 - 01), Quantity::ZERO)?)?;
    /// let r = |day, v| Reading::new("1", day, Quantity::parse(v).unwrap(), ReadingSource::Inspector);
    /// let bad = b.add_readings([r(date!(2022 - 01 - 01), "50")?, r(date!(2022 - 06 - 01), "40")?]).unwrap_err();
    /// assert!(matches!(bad.as_slice(), [(1, MeterError::Rejected { .. })]));
    /// assert_eq!(b.readings().count(), 0); // nothing was stored
    /// assert_eq!(b.add_readings([r(date!(2022 - 01 - 01), "50")?, r(date!(2022 - 06 - 01), "60")?]), Ok(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_readings(
        &mut self,
        readings: impl IntoIterator<Item = Reading>,
    ) -> Result<usize, Vec<(usize, MeterError)>> {
        let mut next = self.clone();
        let mut refused = Vec::new();
        let mut stored = 0;
        for (row, reading) in readings.into_iter().enumerate() {
            match next.add_reading(reading) {
                Ok(()) => stored += 1,
                Err(e) => refused.push((row, e)),
            }
        }
        if refused.is_empty() {
            *self = next;
            Ok(stored)
        } else {
            Err(refused)
        }
    }
}
