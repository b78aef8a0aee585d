//! The text encodings of Polish bank files: UTF-8, CP1250 (Windows) and CP852 (DOS Latin 2, in
//! which ING exports MT940), detected or given.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::StatementError;

/// A text encoding of a statement file.
///
/// ```
/// use ebok_core::bank::statement::{decode_text, TextEncoding};
/// // "Płatność kartą" in CP852, as ING writes it:
/// let bytes = b"P\x88atno\x98\x86 kart\xa5";
/// let (text, encoding) = decode_text(bytes, None)?;
/// assert_eq!((text.as_ref(), encoding), ("Płatność kartą", TextEncoding::Cp852));
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 (a byte-order mark is skipped).
    Utf8,
    /// Windows-1250 (Central European).
    Cp1250,
    /// DOS code page 852 (Latin 2).
    Cp852,
}

impl TextEncoding {
    /// The name as written in options (`utf-8`, `cp1250`, `cp852`).
    ///
    /// ```
    /// # use ebok_core::bank::statement::TextEncoding;
    /// assert_eq!("CP852".parse::<TextEncoding>(), Ok(TextEncoding::Cp852));
    /// assert_eq!(TextEncoding::Cp1250.name(), "cp1250");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Cp1250 => "cp1250",
            TextEncoding::Cp852 => "cp852",
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for TextEncoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "cp1250" | "windows-1250" | "win1250" => Ok(TextEncoding::Cp1250),
            "cp852" | "ibm852" | "dos852" | "852" => Ok(TextEncoding::Cp852),
            _ => Err(format!(
                "unknown encoding {s:?}; expected utf-8, cp1250 or cp852"
            )),
        }
    }
}

/// Polish letters, by which the single-byte encodings are told apart.
const POLISH: &str = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ";

/// Decodes `bytes` in `encoding`, or detects it: UTF-8 when the bytes are valid UTF-8,
/// otherwise whichever of CP852 and CP1250 reads more of the high bytes as Polish letters
/// (CP1250 on a tie).
///
/// ```
/// use ebok_core::bank::statement::{decode_text, TextEncoding};
/// assert_eq!(decode_text(b"Op\xb3ata", None)?.0, "Opłata"); // CP1250
/// assert!(decode_text(b"Op\xb3ata", Some(TextEncoding::Utf8)).is_err());
/// # Ok::<(), ebok_core::bank::statement::StatementError>(())
/// ```
pub fn decode_text(
    bytes: &[u8],
    encoding: Option<TextEncoding>,
) -> Result<(Cow<'_, str>, TextEncoding), StatementError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // One validation, SIMD-accelerated; the position of a bad byte only on the error path.
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    let encoding = match encoding {
        Some(e) => e,
        None if utf8.is_some() => TextEncoding::Utf8,
        None => {
            let cp852 = polish_letters(&decode_cp852(bytes));
            let cp1250 = polish_letters(&decode_cp1250(bytes));
            if cp852 > cp1250 {
                TextEncoding::Cp852
            } else {
                TextEncoding::Cp1250
            }
        }
    };
    let text = match encoding {
        TextEncoding::Utf8 => match utf8 {
            Some(t) => Cow::Borrowed(t),
            None => match std::str::from_utf8(bytes) {
                Ok(t) => Cow::Borrowed(t),
                Err(e) => {
                    let at = e.valid_up_to();
                    let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
                    return Err(StatementError::InvalidText {
                        encoding,
                        line,
                        byte_offset: at,
                    });
                }
            },
        },
        TextEncoding::Cp1250 => Cow::Owned(decode_cp1250(bytes)),
        TextEncoding::Cp852 => Cow::Owned(decode_cp852(bytes)),
    };
    Ok((text, encoding))
}

fn polish_letters(text: &str) -> usize {
    text.chars().filter(|c| POLISH.contains(*c)).count()
}

fn decode_cp1250(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1250
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

fn decode_cp852(bytes: &[u8]) -> String {
    oem_cp::decode_string_complete_table(bytes, &oem_cp::code_table::DECODING_TABLE_CP852)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp852_polish_letters_match_the_unicode_mapping() {
        // The Polish letters of CP852 (Unicode's IBM852 mapping), byte by byte.
        let table = [
            (0xA5, 'ą'),
            (0x86, 'ć'),
            (0xA9, 'ę'),
            (0x88, 'ł'),
            (0xE4, 'ń'),
            (0xA2, 'ó'),
            (0x98, 'ś'),
            (0xAB, 'ź'),
            (0xBE, 'ż'),
            (0xA4, 'Ą'),
            (0x8F, 'Ć'),
            (0xA8, 'Ę'),
            (0x9D, 'Ł'),
            (0xE3, 'Ń'),
            (0xE0, 'Ó'),
            (0x97, 'Ś'),
            (0x8D, 'Ź'),
            (0xBD, 'Ż'),
        ];
        for (byte, letter) in table {
            assert_eq!(decode_cp852(&[byte]), letter.to_string(), "byte {byte:#x}");
        }
    }

    #[test]
    fn detection_prefers_the_encoding_that_reads_polish() {
        let cp1250 = b"Wp\xb3ata za czynsz, \xbf\xf3\xb3w";
        assert_eq!(
            decode_text(cp1250, None).map(|x| x.1),
            Ok(TextEncoding::Cp1250)
        );
        let cp852 = b"Wp\x88ata za czynsz, \xbe\xa2\x88w";
        let (text, enc) = decode_text(cp852, None).expect("decodes");
        assert_eq!(
            (text.as_ref(), enc),
            ("Wpłata za czynsz, żółw", TextEncoding::Cp852)
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = decode_text(b"a\nb\n\xff", Some(TextEncoding::Utf8));
        assert!(matches!(
            e,
            Err(StatementError::InvalidText {
                line: 3,
                byte_offset: 4,
                ..
            })
        ));
    }
}
