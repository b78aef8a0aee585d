//! Text-like types serialize as their text and deserialize only through the same checks as
//! typed text: a round trip keeps the value, and what `FromStr` refuses serde refuses too.

use std::fmt::Debug;
use std::str::FromStr;

use ebok_core::calendar::YearMonth;
use ebok_core::ledger::{Component, DocumentRef, EntryId};
use ebok_core::meters::{Legalization, MeterSerial, Quantity};
use ebok_core::premises::{Area, LoginId, PremisesId};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T>(good: &str, bad: &str)
where
    T: Serialize + DeserializeOwned + FromStr + PartialEq + Debug + ToString,
    <T as FromStr>::Err: Debug,
{
    let v: T = good.parse().unwrap();
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(json, format!("\"{}\"", v.to_string()));
    assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
    assert!(bad.parse::<T>().is_err());
    assert!(
        serde_json::from_str::<T>(&format!("\"{bad}\"")).is_err(),
        "{bad:?}"
    );
    assert!(
        serde_json::from_str::<T>("12").is_err(),
        "a number is not text"
    );
}

#[test]
fn every_text_type_round_trips_and_refuses_what_parsing_refuses() {
    check::<YearMonth>("2025-05", "2025-13");
    check::<Quantity>("131.789", "12.3456");
    check::<MeterSerial>("ZW-2021/000123", " ZW");
    check::<Legalization>("M21", "X21");
    check::<Area>("48.60", "abc");
    check::<PremisesId>("0756555", "a b");
    check::<LoginId>("0756555", "");
    check::<EntryId>("N-2025/05/1", "");
    check::<Component>("fundusz remontowy", " c.o.");
    check::<DocumentRef>("NAL 05/2025", "");
}
