//! ISO 20022 camt.053 (statement) and camt.054 (notification), versions .001.02 and .001.08,
//! read with quick-xml's serde deserializer. Elements the model does not use are ignored.

use serde::Deserialize;
use smol_str::SmolStr;
use time::Date;

use super::{
    BalanceLine, Format, Side, Statement, StatementEntry, StatementError, StatementFile,
    TextEncoding, clip, decimal_amount,
};
use crate::money::Money;

const SUPPORTED: [(&str, Format); 4] = [
    (
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
        Format::Camt053,
    ),
    (
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
        Format::Camt053,
    ),
    (
        "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02",
        Format::Camt054,
    ),
    (
        "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
        Format::Camt054,
    ),
];

#[derive(Deserialize)]
struct Document {
    #[serde(rename = "@xmlns", default)]
    xmlns: Option<SmolStr>,
    #[serde(rename = "BkToCstmrStmt")]
    statement: Option<Message>,
    #[serde(rename = "BkToCstmrDbtCdtNtfctn")]
    notification: Option<Message>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "GrpHdr")]
    header: Option<GroupHeader>,
    #[serde(rename = "Stmt", default)]
    statements: Vec<Stmt>,
    #[serde(rename = "Ntfctn", default)]
    notifications: Vec<Stmt>,
}

#[derive(Deserialize)]
struct GroupHeader {
    #[serde(rename = "MsgId")]
    message_id: Option<SmolStr>,
}

#[derive(Deserialize)]
struct Stmt {
    #[serde(rename = "Id")]
    id: Option<SmolStr>,
    #[serde(rename = "ElctrncSeqNb")]
    electronic_sequence: Option<SmolStr>,
    #[serde(rename = "LglSeqNb")]
    legal_sequence: Option<SmolStr>,
    #[serde(rename = "Acct")]
    account: Option<Account>,
    #[serde(rename = "Bal", default)]
    balances: Vec<Bal>,
    #[serde(rename = "Ntry", default)]
    entries: Vec<Ntry>,
    #[serde(rename = "AddtlStmtInf")]
    statement_info: Option<SmolStr>,
    #[serde(rename = "AddtlNtfctnInf")]
    notification_info: Option<SmolStr>,
}

#[derive(Deserialize, Default)]
struct Account {
    #[serde(rename = "Id")]
    id: Option<AccountId>,
    #[serde(rename = "Ccy")]
    currency: Option<SmolStr>,
}

#[derive(Deserialize, Default)]
struct AccountId {
    #[serde(rename = "IBAN")]
    iban: Option<SmolStr>,
    #[serde(rename = "Othr")]
    other: Option<OtherId>,
}

#[derive(Deserialize, Default)]
struct OtherId {
    #[serde(rename = "Id")]
    id: Option<SmolStr>,
}

impl Account {
    fn number(&self) -> Option<SmolStr> {
        let id = self.id.as_ref()?;
        id.iban
            .clone()
            .or_else(|| id.other.as_ref().and_then(|o| o.id.clone()))
            .map(|s| {
                if s.trim().len() == s.len() {
                    s
                } else {
                    SmolStr::new(s.trim())
                }
            })
    }
}

#[derive(Deserialize)]
struct Bal {
    #[serde(rename = "Tp")]
    kind: Option<BalanceType>,
    #[serde(rename = "Amt")]
    amount: Amount,
    #[serde(rename = "CdtDbtInd")]
    side: SmolStr,
    #[serde(rename = "Dt")]
    date: Option<DateChoice>,
}

#[derive(Deserialize)]
struct BalanceType {
    #[serde(rename = "CdOrPrtry")]
    code: Option<CodeOrProprietary>,
}

#[derive(Deserialize)]
struct CodeOrProprietary {
    #[serde(rename = "Cd")]
    code: Option<SmolStr>,
    #[serde(rename = "Prtry")]
    proprietary: Option<SmolStr>,
}

#[derive(Deserialize)]
struct Amount {
    #[serde(rename = "@Ccy")]
    currency: Option<SmolStr>,
    #[serde(rename = "$text")]
    value: SmolStr,
}

#[derive(Deserialize)]
struct DateChoice {
    #[serde(rename = "Dt")]
    date: Option<SmolStr>,
    #[serde(rename = "DtTm")]
    date_time: Option<SmolStr>,
}

#[derive(Deserialize)]
struct Ntry {
    #[serde(rename = "NtryRef")]
    entry_reference: Option<SmolStr>,
    #[serde(rename = "Amt")]
    amount: Amount,
    #[serde(rename = "CdtDbtInd")]
    side: SmolStr,
    #[serde(rename = "RvslInd")]
    reversal: Option<SmolStr>,
    #[serde(rename = "Sts")]
    status: Option<Status>,
    #[serde(rename = "BookgDt")]
    booking_date: Option<DateChoice>,
    #[serde(rename = "ValDt")]
    value_date: Option<DateChoice>,
    #[serde(rename = "AcctSvcrRef")]
    servicer_reference: Option<SmolStr>,
    #[serde(rename = "BkTxCd")]
    code: Option<TransactionCode>,
    #[serde(rename = "NtryDtls", default)]
    details: Vec<EntryDetails>,
    #[serde(rename = "AddtlNtryInf")]
    info: Option<SmolStr>,
}

/// `<Sts>BOOK</Sts>` (.02) or `<Sts><Cd>BOOK</Cd></Sts>` (.08).
#[derive(Deserialize)]
struct Status {
    #[serde(rename = "$text")]
    text: Option<SmolStr>,
    #[serde(rename = "Cd")]
    code: Option<SmolStr>,
}

#[derive(Deserialize)]
struct TransactionCode {
    #[serde(rename = "Domn")]
    domain: Option<Domain>,
    #[serde(rename = "Prtry")]
    proprietary: Option<ProprietaryCode>,
}

#[derive(Deserialize)]
struct Domain {
    #[serde(rename = "Cd")]
    code: Option<SmolStr>,
    #[serde(rename = "Fmly")]
    family: Option<Family>,
}

#[derive(Deserialize)]
struct Family {
    #[serde(rename = "Cd")]
    code: Option<SmolStr>,
    #[serde(rename = "SubFmlyCd")]
    sub_family: Option<SmolStr>,
}

#[derive(Deserialize)]
struct ProprietaryCode {
    #[serde(rename = "Cd")]
    code: Option<SmolStr>,
}

impl TransactionCode {
    fn text(&self) -> Option<SmolStr> {
        if let Some(d) = &self.domain {
            let f = d.family.as_ref();
            let parts = [
                d.code.clone(),
                f.and_then(|f| f.code.clone()),
                f.and_then(|f| f.sub_family.clone()),
            ];
            let joined: Vec<SmolStr> = parts.into_iter().flatten().collect();
            if !joined.is_empty() {
                return Some(joined.join("/").into());
            }
        }
        self.proprietary.as_ref().and_then(|p| p.code.clone())
    }
}

#[derive(Deserialize)]
struct EntryDetails {
    #[serde(rename = "TxDtls", default)]
    transactions: Vec<TxDtls>,
}

#[derive(Deserialize)]
struct TxDtls {
    #[serde(rename = "Refs")]
    refs: Option<Refs>,
    /// .08: the transaction's amount.
    #[serde(rename = "Amt")]
    amount: Option<Amount>,
    /// .02: the transaction's amount.
    #[serde(rename = "AmtDtls")]
    amount_details: Option<AmountDetails>,
    #[serde(rename = "RltdPties")]
    parties: Option<Parties>,
    #[serde(rename = "RmtInf")]
    remittance: Option<Remittance>,
    #[serde(rename = "AddtlTxInf")]
    info: Option<SmolStr>,
}

#[derive(Deserialize)]
struct AmountDetails {
    #[serde(rename = "TxAmt")]
    transaction: Option<TxAmount>,
}

#[derive(Deserialize)]
struct TxAmount {
    #[serde(rename = "Amt")]
    amount: Option<Amount>,
}

#[derive(Deserialize)]
struct Refs {
    #[serde(rename = "AcctSvcrRef")]
    servicer_reference: Option<SmolStr>,
    #[serde(rename = "EndToEndId")]
    end_to_end: Option<SmolStr>,
}

#[derive(Deserialize)]
struct Parties {
    #[serde(rename = "Dbtr")]
    debtor: Option<Party>,
    #[serde(rename = "DbtrAcct")]
    debtor_account: Option<Account>,
    #[serde(rename = "Cdtr")]
    creditor: Option<Party>,
    #[serde(rename = "CdtrAcct")]
    creditor_account: Option<Account>,
}

/// `<Dbtr><Nm>` (.02) or `<Dbtr><Pty><Nm>` (.08).
#[derive(Deserialize)]
struct Party {
    #[serde(rename = "Nm")]
    name: Option<SmolStr>,
    #[serde(rename = "Pty")]
    party: Option<Box<Party>>,
}

impl Party {
    fn name(&self) -> Option<SmolStr> {
        self.name
            .clone()
            .or_else(|| self.party.as_ref().and_then(|p| p.name()))
    }
}

#[derive(Deserialize)]
struct Remittance {
    #[serde(rename = "Ustrd", default)]
    unstructured: Vec<SmolStr>,
    #[serde(rename = "Strd", default)]
    structured: Vec<Structured>,
}

#[derive(Deserialize)]
struct Structured {
    #[serde(rename = "CdtrRefInf")]
    reference: Option<CreditorReference>,
    #[serde(rename = "AddtlRmtInf", default)]
    additional: Vec<SmolStr>,
}

#[derive(Deserialize)]
struct CreditorReference {
    #[serde(rename = "Ref")]
    reference: Option<SmolStr>,
}

fn tx_amount(t: &TxDtls) -> Option<&Amount> {
    t.amount.as_ref().or_else(|| {
        t.amount_details
            .as_ref()
            .and_then(|d| d.transaction.as_ref())
            .and_then(|x| x.amount.as_ref())
    })
}

fn xml_error(path: impl Into<String>, message: impl Into<String>) -> StatementError {
    StatementError::Xml {
        path: path.into(),
        message: clip(&message.into(), 200),
    }
}

/// The namespace of the root element, read with the streaming reader (before serde).
fn root_namespace(text: &str) -> Result<String, StatementError> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let name: String = e.local_name().as_ref().to_owned();
                if name != "Document" {
                    return Err(xml_error(
                        name,
                        "the root element of a camt message is Document",
                    ));
                }
                for a in e.attributes().flatten() {
                    let key = a.key.as_ref();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        let v: String = a.value.to_string();
                        if v.contains("camt.") {
                            return Ok(v);
                        }
                    }
                }
                return Ok(String::new());
            }
            Ok(quick_xml::events::Event::Eof) => {
                return Err(xml_error("Document", "no root element"));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(xml_error(
                    format!("byte {}", reader.buffer_position()),
                    e.to_string(),
                ));
            }
        }
    }
}

/// Reads camt XML.
pub(super) fn read(
    text: &str,
    encoding: TextEncoding,
    requested: Option<Format>,
) -> Result<StatementFile, StatementError> {
    let namespace = root_namespace(text)?;
    let format = SUPPORTED
        .iter()
        .find(|(ns, _)| *ns == namespace)
        .map(|(_, f)| *f)
        .ok_or_else(|| StatementError::UnsupportedCamt {
            namespace: clip(&namespace, 100),
        })?;
    if let Some(r) = requested
        && r != format
    {
        return Err(StatementError::UnsupportedCamt {
            namespace: format!("{namespace} (a {} file was expected)", r.code()),
        });
    }
    // The fast path without path tracking; on an error, read again to name the XML path.
    let doc: Document = match quick_xml::de::from_str(text) {
        Ok(doc) => doc,
        Err(plain) => {
            let mut de = quick_xml::de::Deserializer::from_str(text);
            let e = match serde_path_to_error::deserialize::<_, Document>(&mut de) {
                Err(e) => e,
                Ok(_) => return Err(xml_error("Document", plain.to_string())),
            };
            let path = e.path().to_string().replace('.', "/").replace("$text", "");
            return Err(xml_error(
                format!("Document/{}", path.trim_end_matches('/')),
                e.into_inner().to_string(),
            ));
        }
    };
    let _ = doc.xmlns;
    let (root, message) = match (format, doc.statement, doc.notification) {
        (Format::Camt053, Some(m), _) => ("Document/BkToCstmrStmt", m),
        (Format::Camt054, _, Some(m)) => ("Document/BkToCstmrDbtCdtNtfctn", m),
        (Format::Camt053, ..) => {
            return Err(xml_error(
                "Document",
                "a camt.053 message holds BkToCstmrStmt",
            ));
        }
        _ => {
            return Err(xml_error(
                "Document",
                "a camt.054 message holds BkToCstmrDbtCdtNtfctn",
            ));
        }
    };
    let (child, records) = match format {
        Format::Camt053 => ("Stmt", message.statements),
        _ => ("Ntfctn", message.notifications),
    };
    if records.is_empty() {
        return Err(xml_error(root, format!("at least one {child} is required")));
    }
    let message_id = message
        .header
        .and_then(|h| h.message_id)
        .unwrap_or_default();
    let mut statements = Vec::with_capacity(records.len());
    for (i, stmt) in records.into_iter().enumerate() {
        let path = format!("{root}/{child}[{}]", i + 1);
        statements.push(statement(stmt, &path, format, &message_id)?);
    }
    Ok(StatementFile {
        format,
        encoding,
        dialect: None,
        statements,
    })
}

fn date_of(choice: &DateChoice, path: &str) -> Result<Date, StatementError> {
    let text = choice
        .date
        .as_deref()
        .or(choice.date_time.as_deref())
        .ok_or_else(|| xml_error(path, "a date (Dt or DtTm) is required"))?;
    let day = text.trim().get(..10).unwrap_or(text);
    crate::calendar::parse_date(day)
        .map_err(|e| xml_error(path, format!("{text:?} is not a date: {e}")))
}

fn amount_of(a: &Amount, path: &str) -> Result<(Money, SmolStr), StatementError> {
    let v = a.value.trim();
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let money = decimal_amount(int, frac)
        .map_err(|r| xml_error(format!("{path}/Amt"), format!("{:?}: {r}", clip(v, 40))))?;
    Ok((money, a.currency.clone().unwrap_or_default()))
}

fn side_of(code: &str, path: &str) -> Result<Side, StatementError> {
    match code.trim() {
        "CRDT" => Ok(Side::Credit),
        "DBIT" => Ok(Side::Debit),
        other => Err(xml_error(
            format!("{path}/CdtDbtInd"),
            format!("{:?} is neither CRDT nor DBIT", clip(other, 20)),
        )),
    }
}

fn statement(
    stmt: Stmt,
    path: &str,
    format: Format,
    message_id: &str,
) -> Result<Statement, StatementError> {
    let account_block = stmt.account.unwrap_or_default();
    let account = account_block.number().ok_or_else(|| {
        xml_error(
            format!("{path}/Acct/Id"),
            "the account (IBAN or Othr/Id) is required",
        )
    })?;
    let mut s = Statement {
        format,
        reference: message_id.to_owned(),
        id: stmt.id.map(Into::into),
        account: account.into(),
        number: stmt
            .legal_sequence
            .or(stmt.electronic_sequence)
            .map(Into::into),
        sequence: None,
        currency: account_block.currency.unwrap_or_default().into(),
        opening: None,
        closing: None,
        available: None,
        forward_available: None,
        entries: Vec::with_capacity(stmt.entries.len()),
        information: stmt
            .statement_info
            .or(stmt.notification_info)
            .map(Into::into),
        warnings: Vec::new(),
    };
    let mut booked_opening = false;
    for (i, bal) in stmt.balances.iter().enumerate() {
        let bpath = format!("{path}/Bal[{}]", i + 1);
        let code = bal
            .kind
            .as_ref()
            .and_then(|t| t.code.as_ref())
            .and_then(|c| c.code.clone().or(c.proprietary.clone()))
            .unwrap_or_default();
        let (amount, currency) = amount_of(&bal.amount, &bpath)?;
        let date = date_of(
            bal.date
                .as_ref()
                .ok_or_else(|| xml_error(format!("{bpath}/Dt"), "a balance date is required"))?,
            &format!("{bpath}/Dt"),
        )?;
        let line = BalanceLine {
            side: side_of(&bal.side, &bpath)?,
            amount,
            date,
            currency: currency.into(),
        };
        match code.as_str() {
            "OPBD" => {
                s.opening = Some(line);
                booked_opening = true;
            }
            // The previous closing balance stands in for a missing opening (OPBD wins).
            "PRCD" if !booked_opening => s.opening = Some(line),
            "CLBD" => s.closing = Some(line),
            "CLAV" => s.available = Some(line),
            "FWAV" => s.forward_available = Some(line),
            _ => {}
        }
    }
    if s.currency.is_empty()
        && let Some(b) = s.opening.as_ref().or(s.closing.as_ref())
    {
        s.currency = b.currency.clone();
    }
    for (i, n) in stmt.entries.into_iter().enumerate() {
        let npath = format!("{path}/Ntry[{}]", i + 1);
        entries(n, &npath, &mut s.entries)?;
    }
    Ok(s)
}

fn entries(n: Ntry, path: &str, out: &mut Vec<StatementEntry>) -> Result<(), StatementError> {
    let (amount, currency) = amount_of(&n.amount, path)?;
    let side = side_of(&n.side, path)?;
    let reversal = matches!(n.reversal.as_deref().map(str::trim), Some("true" | "1"));
    let booked = n
        .status
        .as_ref()
        .and_then(|s| s.code.clone().or(s.text.clone()))
        .is_none_or(|s| s.trim() == "BOOK");
    let value_date = match &n.value_date {
        Some(v) => date_of(v, &format!("{path}/ValDt"))?,
        None => match &n.booking_date {
            Some(b) => date_of(b, &format!("{path}/BookgDt"))?,
            None => {
                return Err(xml_error(
                    format!("{path}/ValDt"),
                    "a value or booking date is required",
                ));
            }
        },
    };
    let booking_date = match &n.booking_date {
        Some(b) => Some(date_of(b, &format!("{path}/BookgDt"))?),
        None => None,
    };
    let transaction_code = n.code.as_ref().and_then(TransactionCode::text);
    let txs: Vec<TxDtls> = n.details.into_iter().flat_map(|d| d.transactions).collect();
    // A batch booking with an amount per transaction is split into one entry per transaction.
    let split = txs.len() > 1 && txs.iter().all(|t| tx_amount(t).is_some());
    let base = StatementEntry {
        booked,
        transaction_code,
        bank_reference: n.servicer_reference.clone().or(n.entry_reference.clone()),
        raw_details: n.info.clone().unwrap_or_default().into(),
        ..StatementEntry::movement(value_date, booking_date, side, reversal, amount, currency)
    };
    if txs.is_empty() {
        out.push(base);
        return Ok(());
    }
    let take = if split { txs.len() } else { 1 };
    for (i, t) in txs.iter().take(take).enumerate() {
        let tpath = format!("{path}/NtryDtls/TxDtls[{}]", i + 1);
        let mut e = base.clone();
        if split {
            if let Some(a) = tx_amount(t) {
                let (m, c) = amount_of(a, &tpath)?;
                e.amount = m;
                if !c.is_empty() {
                    e.currency = c;
                }
            }
            if let Some(r) = t.refs.as_ref().and_then(|r| r.servicer_reference.clone()) {
                e.bank_reference = Some(r);
            } else if let Some(r) = &e.bank_reference {
                e.bank_reference = Some(format!("{r}/{}", i + 1).into());
            }
        }
        e.customer_reference = t.refs.as_ref().and_then(|r| r.end_to_end.clone());
        if let Some(p) = &t.parties {
            let (party, account, own) = match side {
                Side::Credit => (&p.debtor, &p.debtor_account, &p.creditor_account),
                Side::Debit => (&p.creditor, &p.creditor_account, &p.debtor_account),
            };
            e.counterparty_name = party.as_ref().and_then(Party::name);
            e.counterparty_account = account.as_ref().and_then(Account::number);
            if side == Side::Credit {
                e.virtual_account = own.as_ref().and_then(Account::number);
            }
        }
        if let Some(r) = &t.remittance {
            let mut parts: Vec<SmolStr> = r
                .unstructured
                .iter()
                .map(|u| SmolStr::new(u.trim()))
                .collect();
            for s in &r.structured {
                parts.extend(s.reference.as_ref().and_then(|c| c.reference.clone()));
                parts.extend(s.additional.iter().cloned());
            }
            let title = parts.join(" ");
            e.title = (!title.trim().is_empty()).then(|| SmolStr::new(title.trim()));
            e.raw_details = [e.raw_details.as_str(), title.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\n");
        }
        if let Some(info) = &t.info
            && e.title.is_none()
        {
            e.title = Some(SmolStr::new(info.trim()));
        }
        e.check_accounts();
        out.push(e);
    }
    Ok(())
}
