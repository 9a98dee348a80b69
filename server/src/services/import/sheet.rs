//! Reading an uploaded table row by row, never the whole file at once: CSV in UTF-8 (with or
//! without a BOM) or GBK (as Excel on Chinese Windows saves it), and XLSX (its first sheet,
//! cell by cell). Each row is its cells as text; row 1 is the header.

use calamine::{Data, DataType, Reader};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// What the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// By the file's first bytes: an XLSX file is a ZIP archive.
    pub fn sniff(path: &Path) -> std::io::Result<Format> {
        let mut head = [0u8; 4];
        let n = File::open(path)?.read(&mut head)?;
        Ok(if n == 4 && head == *b"PK\x03\x04" {
            Format::Xlsx
        } else {
            Format::Csv
        })
    }
}

/// Why a file could not be read (a message key).
pub const UNREADABLE: &str = "import.unreadable";

/// The longest a cell is taken: one more than the longest field (备注, 2,000), so a longer one
/// is still refused by the field's own check, and a crafted file cannot fill memory.
const MAX_CELL_CHARS: usize = 2_001;

/// The most columns an import maps; a row's cells past one more than this are dropped (one
/// more, so the preview can say the file has too many).
pub const MAX_COLUMNS: usize = 100;

/// Reads the rows of `path` in order, calling `each(row_no, cells)` until it says stop
/// (`false`). Blocking: run it off the async threads.
pub fn read_rows(
    path: &Path,
    mut each: impl FnMut(usize, Vec<String>) -> bool,
) -> Result<(), &'static str> {
    match Format::sniff(path).map_err(|_| UNREADABLE)? {
        Format::Csv => read_csv(path, &mut each),
        Format::Xlsx => read_xlsx(path, &mut each),
    }
}

/// The text a CSV file holds: UTF-8 when its start is UTF-8 (a BOM is dropped), GBK otherwise.
fn decoded(path: &Path) -> std::io::Result<impl Read> {
    let mut file = File::open(path)?;
    let mut head = vec![0u8; 64 * 1024];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..])? {
            0 => break,
            read => n += read,
        }
    }
    head.truncate(n);
    let utf8 = match std::str::from_utf8(&head) {
        Ok(_) => true,
        // Cut inside a character at the end of the sample: still UTF-8.
        Err(e) => e.error_len().is_none(),
    };
    let encoding = if utf8 {
        encoding_rs::UTF_8
    } else {
        encoding_rs::GBK
    };
    Ok(encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(std::io::Cursor::new(head).chain(file)))
}

fn read_csv(
    path: &Path,
    each: &mut impl FnMut(usize, Vec<String>) -> bool,
) -> Result<(), &'static str> {
    let text = decoded(path).map_err(|_| UNREADABLE)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::new(text));
    let mut record = csv::StringRecord::new();
    let mut row_no = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                row_no += 1;
                let cells = record.iter().take(MAX_COLUMNS + 1).map(cell_text).collect();
                if !each(row_no, cells) {
                    return Ok(());
                }
            }
            Err(_) => return Err(UNREADABLE),
        }
    }
}

fn cell_text(raw: &str) -> String {
    raw.chars().take(MAX_CELL_CHARS).collect::<String>()
}

fn read_xlsx(
    path: &Path,
    each: &mut impl FnMut(usize, Vec<String>) -> bool,
) -> Result<(), &'static str> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|_| UNREADABLE)?;
    let sheet = book.sheet_names().first().cloned().ok_or(UNREADABLE)?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|_| UNREADABLE)?;
    // Cells come row by row; a row is handed on, with the number Excel shows, when the next
    // one starts.
    let mut row: Vec<String> = Vec::new();
    let mut current: u32 = 0;
    loop {
        let next = cells.next_cell().map_err(|_| UNREADABLE)?;
        let Some(cell) = next else {
            if !row.is_empty() && !each(current as usize + 1, std::mem::take(&mut row)) {
                return Ok(());
            }
            return Ok(());
        };
        let (r, c) = cell.get_position();
        // A new row: hand on the one before and jump to it (rows with no cell are blank, and
        // blank rows are skipped, so a crafted gap of a billion rows costs nothing).
        if r > current {
            if !each(current as usize + 1, std::mem::take(&mut row)) {
                return Ok(());
            }
            current = r;
        }
        let c = c as usize;
        if c > MAX_COLUMNS {
            continue;
        }
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = value_text(&cell.get_value().clone().into());
    }
}

/// A cell as the text a person sees: whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn value_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(_) | Data::DateTimeIso(_) => value
            .as_date()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        other => cell_text(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(path: &Path) -> Vec<(usize, Vec<String>)> {
        let mut rows = Vec::new();
        read_rows(path, |n, cells| {
            rows.push((n, cells));
            true
        })
        .unwrap();
        rows
    }

    #[test]
    fn xlsx_rows_keep_excels_numbers_and_a_gap_costs_nothing() {
        let path = std::env::temp_dir().join(format!("sheet-test-{}.xlsx", std::process::id()));
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "客户名称").unwrap();
        sheet.write_number(4, 1, 13800000000.0).unwrap();
        sheet.write_string(1_000_000, 0, "最后").unwrap();
        sheet.write_string(1_000_000, 16_000, "很远的列").unwrap();
        book.save(&path).unwrap();
        let rows: Vec<_> = rows_of(&path)
            .into_iter()
            .filter(|(_, cells)| !cells.is_empty())
            .collect();
        let _ = std::fs::remove_file(&path);
        assert_eq!(rows[0], (1, vec!["客户名称".to_owned()]));
        assert_eq!(rows[1], (5, vec![String::new(), "13800000000".to_owned()]));
        assert_eq!(
            rows[2],
            (1_000_001, vec!["最后".to_owned()]),
            "a far column is dropped"
        );
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_csv_row_keeps_at_most_one_column_past_the_limit_and_cells_are_capped() {
        let path = std::env::temp_dir().join(format!("sheet-test-{}.csv", std::process::id()));
        let wide = vec!["x"; 150].join(",");
        let long = "长".repeat(5_000);
        std::fs::write(&path, format!("{wide}\n{long}\n")).unwrap();
        let rows = rows_of(&path);
        let _ = std::fs::remove_file(&path);
        assert_eq!(rows[0].1.len(), MAX_COLUMNS + 1);
        assert_eq!(rows[1].1[0].chars().count(), MAX_CELL_CHARS);
    }
}
