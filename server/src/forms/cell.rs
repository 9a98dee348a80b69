//! Text as a spreadsheet cell holds it, in every export (CSV and XLSX): as typed, except that a
//! leading `=`, `+`, `-`, `@`, tab or carriage return (a formula to Excel, LibreOffice and
//! Sheets) is defused with a `'` (OWASP's advice on CSV injection). XLSX string cells are not
//! evaluated, but one edited by the reader would become a formula.

use std::borrow::Cow;

pub fn defused(raw: &str) -> Cow<'_, str> {
    if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{raw}"))
    } else {
        Cow::Borrowed(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::defused;

    #[test]
    fn a_formula_is_defused_and_other_text_kept() {
        for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defused(formula), format!("'{formula}"));
        }
        for text in ["客户", "1-2", "a=b", "", "'quoted"] {
            assert_eq!(defused(text), text);
        }
    }
}
