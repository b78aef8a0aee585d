//! Money parsing and display: properties.

use ebok_core::money::Money;
use proptest::prelude::*;
use rust_decimal::Decimal;

proptest! {
    #[test]
    fn plain_and_polish_display_round_trip(g in any::<i64>()) {
        let m = Money::from_grosze(g);
        prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        prop_assert_eq!(Money::parse(&m.polish().to_string()), Ok(m));
        prop_assert_eq!(Money::from_decimal(m.to_decimal()), Ok(m));
    }

    #[test]
    fn parsing_never_panics(s in ".{0,40}") {
        let _ = Money::parse(&s);
    }

    #[test]
    fn parsing_near_money_text_never_panics(s in "[-+ ,.0-9zł\u{a0}PLN]{0,30}") {
        if let Ok(m) = Money::parse(&s) {
            // Whatever parses displays and re-parses to the same amount.
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }
    }

    #[test]
    fn decimals_with_a_third_place_are_refused_never_rounded(g in -1_000_000_000i64..1_000_000_000, third in 1i64..10) {
        let d = Decimal::new(g * 10 + third, 3);
        prop_assert!(Money::from_decimal(d).is_err());
        prop_assert!(Money::parse(&d.to_string()).is_err());
    }

    #[test]
    fn checked_arithmetic_agrees_with_i128(a in any::<i64>(), b in any::<i64>()) {
        let (ma, mb) = (Money::from_grosze(a), Money::from_grosze(b));
        let exact = i128::from(ma.grosze()) + i128::from(mb.grosze());
        match ma.checked_add(mb) {
            Some(s) => prop_assert_eq!(i128::from(s.grosze()), exact),
            None => prop_assert!(exact > i128::from(i64::MAX) || exact <= i128::from(i64::MIN)),
        }
    }
}
