//! The payment code as a picture: a QR code (byte mode, UTF-8, error correction level L as the
//! ZBP recommendation's implementations use), as SVG for a page or an app, or as text blocks
//! for a terminal.

use qrcode::{EcLevel, QrCode};

/// Why a text could not be drawn as a QR code (it is too long for any version).
///
/// ```
/// use ebok_core::bank::qr_svg;
/// assert!(qr_svg(&"x".repeat(10_000)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the text cannot be drawn as a QR code: {reason}")]
pub struct QrError {
    /// The encoder's reason.
    pub reason: String,
}

fn code(text: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).map_err(|e| QrError {
        reason: e.to_string(),
    })
}

/// The QR code as an SVG document (black modules on white, a quiet zone, at least 250 px).
///
/// ```
/// use ebok_core::bank::qr_svg;
/// let svg = qr_svg("|PL|29114010810000267002001002|000100|SM|CZYNSZ|||")?;
/// assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
/// # Ok::<(), ebok_core::bank::QrError>(())
/// ```
pub fn qr_svg(text: &str) -> Result<String, QrError> {
    Ok(code(text)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(250, 250)
        .build())
}

/// The QR code as lines of text, two module rows per line (for a terminal with a dark
/// background the colours are inverted so that a phone reads it).
///
/// ```
/// use ebok_core::bank::qr_text;
/// let t = qr_text("|PL|29114010810000267002001002|000100|SM|CZYNSZ|||")?;
/// assert!(t.lines().count() > 10);
/// # Ok::<(), ebok_core::bank::QrError>(())
/// ```
pub fn qr_text(text: &str) -> Result<String, QrError> {
    Ok(code(text)?
        .render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Light)
        .light_color(qrcode::render::unicode::Dense1x2::Dark)
        .build())
}

/// The modules of the QR code, row by row (`true` = dark), and its width in modules.
///
/// ```
/// use ebok_core::bank::qr_modules;
/// let (width, modules) = qr_modules("PL")?;
/// assert_eq!(modules.len(), width * width);
/// # Ok::<(), ebok_core::bank::QrError>(())
/// ```
pub fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), QrError> {
    let c = code(text)?;
    let width = c.width();
    let modules = c
        .to_colors()
        .into_iter()
        .map(|m| m == qrcode::Color::Dark)
        .collect();
    Ok((width, modules))
}
