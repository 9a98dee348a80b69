//! 附件 of a customer or an opportunity, as the record's page lists them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFileView {
    pub id: i64,
    pub name: String,
    pub size_bytes: i64,
    pub uploader: String,
    /// China time, to the minute.
    pub uploaded_at: String,
    pub can_delete: bool,
}

/// A record's files, and whether the viewer may add more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFiles {
    pub files: Vec<RecordFileView>,
    pub can_upload: bool,
}

/// A size as people read it: bytes, KB or MB.
pub fn readable_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// A refused upload: why (beside the file input).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedFiles {
    pub errors: Vec<super::customer::FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(readable_size(900), "900 B");
        assert_eq!(readable_size(1536), "1.5 KB");
        assert_eq!(readable_size(10 * 1024 * 1024), "10.0 MB");
    }
}
