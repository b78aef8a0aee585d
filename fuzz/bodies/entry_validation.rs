// The body of the `entry_validation` fuzz target; also replayed over the corpus by
// `ebok-core/tests/fuzz_corpus.rs`.

/// Any nine `;`-separated fields go through `EntryDraft::build` without a panic; a built
/// entry is accepted by a ledger, and its balance equals its effect.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f: Vec<&str> = text.splitn(9, ';').collect();
    let get = |i: usize| f.get(i).copied().unwrap_or("");
    let draft = ebok_core::ledger::EntryDraft {
        id: get(0),
        premises: get(1),
        kind: get(2),
        amount: get(3),
        component: get(4),
        operation_date: get(5),
        posted_on: get(6),
        due_date: get(7),
        document: get(8),
    };
    match draft.build() {
        Ok(entry) => {
            assert!(entry.validate().is_ok());
            let mut ledger = ebok_core::ledger::Ledger::new();
            ledger.insert(entry.clone()).expect("a built entry is accepted");
            assert_eq!(ledger.get(&entry.id).as_ref(), Some(&entry));
            let balance = ledger.balance(&entry.premises, entry.operation_date, None).expect("the premises of an inserted entry is known");
            let expected = if entry.posted_on.is_some() { entry.effect() } else { ebok_core::money::Money::ZERO };
            assert_eq!(balance.amount(), expected);
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
}
