//! The register of premises as an Arrow record batch.

use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int8Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use crate::premises::{LegalTitle, PremisesRegistry};

/// Every premises of the register as a record batch, in identifier order: `premises` utf8,
/// `kind` and `legal_title` dictionary(int8, utf8) (their codes), `usable_area`
/// decimal128(12, 2) in m², `address` and `building` utf8, `logins` utf8 (the identifiers
/// that reach it, joined by `;`). With [`super::entries_to_arrow`] it is the cooperative an
/// engine such as DuckDB or Spark needs to join on.
///
/// ```
/// use ebok_core::premises::{Area, Premises, PremisesId, PremisesKind, PremisesRegistry};
/// let mut r = PremisesRegistry::new();
/// r.add(Premises::new(PremisesId::new("12")?, PremisesKind::Flat, Area::parse("48,5")?))?;
/// let b = ebok_core::columnar::premises_to_arrow(&r);
/// assert_eq!((b.num_rows(), b.schema().field(3).name().as_str()), (1, "usable_area"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn premises_to_arrow(registry: &PremisesRegistry) -> RecordBatch {
    let n = registry.len();
    let mut id = StringBuilder::with_capacity(n, n * 8);
    let mut kind = StringDictionaryBuilder::<Int8Type>::new();
    let mut title = StringDictionaryBuilder::<Int8Type>::new();
    let mut area = Decimal128Builder::with_capacity(n);
    let mut address = StringBuilder::new();
    let mut building = StringBuilder::new();
    let mut logins = StringBuilder::new();
    for p in registry.iter() {
        id.append_value(p.id.as_str());
        // A handful of kinds and titles: the int8 keys cannot overflow.
        let _ = kind.append(p.kind.code());
        match p.legal_title {
            Some(t) => {
                let _ = title.append(LegalTitle::code(t));
            }
            None => title.append_null(),
        }
        let m2 = p.usable_area.to_decimal();
        area.append_value(m2.mantissa() * 10i128.pow(2u32.saturating_sub(m2.scale())));
        address.append_option(p.address.as_deref());
        building.append_option(p.building.as_deref());
        let l: Vec<String> = registry
            .logins_of(&p.id)
            .iter()
            .map(|l| l.as_str().to_owned())
            .collect();
        logins.append_value(l.join(";"));
    }
    let dict = DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8));
    let schema = Arc::new(Schema::new(vec![
        Field::new("premises", DataType::Utf8, false),
        Field::new("kind", dict.clone(), false),
        Field::new("legal_title", dict, true),
        Field::new("usable_area", DataType::Decimal128(12, 2), false),
        Field::new("address", DataType::Utf8, true),
        Field::new("building", DataType::Utf8, true),
        Field::new("logins", DataType::Utf8, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(kind.finish()),
        Arc::new(title.finish()),
        Arc::new(super::decimals(area.finish(), 12, 2)),
        Arc::new(address.finish()),
        Arc::new(building.finish()),
        Arc::new(logins.finish()),
    ];
    RecordBatch::try_new(Arc::clone(&schema), columns)
        .unwrap_or_else(|_| RecordBatch::new_empty(schema))
}
