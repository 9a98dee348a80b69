//! The live channel's notes, as the server sends them and the browser reads them: what kind of
//! thing changed (and which opportunity), never the data itself.

use serde::{Deserialize, Serialize};

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// An opportunity's step: its page, the tasks and messages of those it concerns.
    Task,
    /// The province's rankings (an approval that counts).
    Ranking,
    /// An announcement published, changed or withdrawn.
    Announcement,
    /// Something of one user's own (a message read): their other tabs refresh.
    Message,
    /// The browser missed notes: everything it shows may be stale.
    Lagged,
    /// The user's sessions were ended (停用, 重置密码): the page goes to the login.
    SessionEnded,
}

impl NoteKind {
    /// Whether the rankings a page shows are to be fetched again.
    pub fn refreshes_rankings(self) -> bool {
        matches!(self, NoteKind::Ranking | NoteKind::Lagged)
    }

    /// Whether the viewer's own records (tasks, messages, pages) are to be fetched again.
    pub fn refreshes_own_data(self) -> bool {
        self != NoteKind::Ranking
    }
}

/// One note on the live channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub kind: NoteKind,
    pub opportunity_id: Option<i64>,
}

impl Note {
    /// What the browser makes of a note it cannot read: it may have missed anything.
    pub fn read(data: &str) -> Note {
        serde_json::from_str(data).unwrap_or(Note {
            kind: NoteKind::Lagged,
            opportunity_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_reads_back_as_sent_and_an_unreadable_one_refreshes_everything() {
        let sent = Note {
            kind: NoteKind::Ranking,
            opportunity_id: None,
        };
        let text = serde_json::to_string(&sent).unwrap();
        assert_eq!(text, r#"{"kind":"ranking","opportunity_id":null}"#);
        assert_eq!(Note::read(&text), sent);
        let garbled = Note::read("not json");
        assert!(garbled.kind.refreshes_rankings() && garbled.kind.refreshes_own_data());
        assert!(!NoteKind::Ranking.refreshes_own_data());
        assert!(!NoteKind::Task.refreshes_rankings());
    }
}
