//! One module per route.

pub mod activities;
pub mod admin;
pub mod analysis;
pub mod announcements;
pub mod contacts;
pub mod customers;
pub mod home;
pub mod jobs;
pub mod login;
pub mod milestones;
pub mod opportunities;
pub mod outreach;
pub mod profile;
pub mod quotes;
pub mod rankings;
pub mod status;
pub mod tasks;
pub mod warnings;

/// A page's address with its query: the non-empty `pairs`, percent-encoded, in order.
pub fn address(path: &str, pairs: &[(&str, &String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
