//! 商机评估: the questions of the manual's 「识别商机之评估指引」 and 「方案制定阶段之评估指引」,
//! answered 是 / 否 / 不清楚 with a note, and the score and suggestion they give (the same in
//! the browser and on the server).

use super::customer::{parse_text, FieldError};
use serde::{Deserialize, Serialize};

/// The questions, in the manual's order: (code, whether it is of the 方案制定 stage). Each is
/// labelled by `evaluation.q.{code}`.
pub const QUESTIONS: [(&str, bool); 12] = [
    ("intent", false),
    ("intent_what", false),
    ("department", false),
    ("plan", false),
    ("needs", false),
    ("direction", false),
    ("budget", false),
    ("resources", false),
    ("specifics", true),
    ("commercial", true),
    ("final_budget", true),
    ("value", true),
];

/// A 否 to one of these means 放弃 whatever the score: no intent to buy, or no value to us.
const DECISIVE: [&str; 2] = ["intent", "value"];

/// The score at and above which the suggestion is 跟进.
pub const FOLLOW_FROM: i64 = 60;

/// One answer: 是, 否 or 不清楚.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Yes,
    No,
    Unknown,
}

impl Answer {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "yes" => Some(Answer::Yes),
            "no" => Some(Answer::No),
            "unknown" => Some(Answer::Unknown),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }

    /// Half points for 不清楚, in halves.
    fn halves(self) -> i64 {
        match self {
            Answer::Yes => 2,
            Answer::Unknown => 1,
            Answer::No => 0,
        }
    }
}

/// The suggestion an evaluation gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Suggestion {
    /// 跟进
    Follow,
    /// 放弃
    Drop,
}

impl Suggestion {
    pub fn code(self) -> &'static str {
        match self {
            Suggestion::Follow => "follow",
            Suggestion::Drop => "drop",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "follow" => Some(Suggestion::Follow),
            "drop" => Some(Suggestion::Drop),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Suggestion::Follow => "evaluation.follow",
            Suggestion::Drop => "evaluation.drop",
        }
    }
}

/// Answers as checked: (question code, answer, note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub answers: Vec<(String, Option<Answer>, String)>,
}

impl Evaluation {
    /// 0–100: a 是 counts one, a 不清楚 half, a 否 or no answer nothing, over all twelve
    /// questions (rounded half up).
    pub fn score(&self) -> i64 {
        let halves: i64 = self
            .answers
            .iter()
            .filter_map(|(_, a, _)| a.map(Answer::halves))
            .sum();
        let most = 2 * QUESTIONS.len() as i64;
        (halves * 100 * 2 + most) / (2 * most)
    }

    /// 放弃 on a 否 to a decisive question or below [`FOLLOW_FROM`]; 跟进 otherwise.
    pub fn suggestion(&self) -> Suggestion {
        let refused = self
            .answers
            .iter()
            .any(|(q, a, _)| DECISIVE.contains(&q.as_str()) && *a == Some(Answer::No));
        if refused || self.score() < FOLLOW_FROM {
            Suggestion::Drop
        } else {
            Suggestion::Follow
        }
    }

    pub fn answer(&self, code: &str) -> (Option<Answer>, String) {
        self.answers
            .iter()
            .find(|(q, _, _)| q == code)
            .map(|(_, a, n)| (*a, n.clone()))
            .unwrap_or((None, String::new()))
    }
}

/// Reads the posted pairs `q_{code}` and `n_{code}`; refuses an unknown answer or a note
/// over 500 characters beside its question; at least one question must be answered.
pub fn parse(pairs: &[(String, String)]) -> Result<Evaluation, Vec<FieldError>> {
    let get = |name: String| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for (code, _) in QUESTIONS {
        let raw = get(format!("q_{code}"));
        let answer = match raw.as_str() {
            "" => None,
            raw => Answer::from_code(raw).or_else(|| {
                errors.push(FieldError::new(&format!("q_{code}"), "field.invalid"));
                None
            }),
        };
        let note = match parse_text(&get(format!("n_{code}")), 500) {
            Ok(note) => note.unwrap_or_default(),
            Err(key) => {
                errors.push(FieldError::new(&format!("n_{code}"), key));
                String::new()
            }
        };
        answers.push((code.to_owned(), answer, note));
    }
    if errors.is_empty() && answers.iter().all(|(_, a, _)| a.is_none()) {
        errors.push(FieldError::new("", "evaluation.none_answered"));
    }
    if errors.is_empty() {
        Ok(Evaluation { answers })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn all(answer: &str) -> Vec<(String, String)> {
        QUESTIONS
            .iter()
            .map(|(code, _)| (format!("q_{code}"), answer.to_owned()))
            .collect()
    }

    #[test]
    fn every_yes_is_a_hundred_and_every_unknown_fifty() {
        assert_eq!(parse(&all("yes")).unwrap().score(), 100);
        assert_eq!(parse(&all("unknown")).unwrap().score(), 50);
        assert_eq!(parse(&all("yes")).unwrap().suggestion(), Suggestion::Follow);
        assert_eq!(
            parse(&all("unknown")).unwrap().suggestion(),
            Suggestion::Drop
        );
    }

    #[test]
    fn nine_yes_and_three_unanswered_score_75_and_a_no_to_intent_means_drop() {
        let mut pairs = all("yes");
        pairs.truncate(9);
        let e = parse(&pairs).unwrap();
        assert_eq!(e.score(), 75);
        assert_eq!(e.suggestion(), Suggestion::Follow);
        pairs[0].1 = "no".into();
        let e = parse(&pairs).unwrap();
        assert_eq!(e.score(), 67);
        assert_eq!(e.suggestion(), Suggestion::Drop);
    }

    #[test]
    fn a_bad_answer_or_nothing_answered_is_refused() {
        let errors = parse(&posted(&[("q_intent", "maybe")])).unwrap_err();
        assert_eq!(errors[0].field, "q_intent");
        let errors = parse(&posted(&[("n_intent", "only a note")])).unwrap_err();
        assert_eq!(errors[0].key, "evaluation.none_answered");
    }
}
