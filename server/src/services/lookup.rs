//! Finding a person by what was typed in a person field (负责人 filter, 共享给), among those the
//! field may name. A person chosen before (a radio among several, or a link's id) stands while
//! the text still names them; otherwise the text decides: an exact name or login first, then a
//! name or login containing it.

use super::people::People;
use crate::db::UserBrief;
use app::model::lookup::PersonLookup;

/// At most this many of several matches are offered to choose from.
pub(crate) const OFFERED: usize = 20;

/// Looks up `text` (or the person `id`) among `pool`. Empty text and no id: nobody, no error.
pub(crate) fn look_up(
    people: &People,
    pool: &[&UserBrief],
    id: Option<i64>,
    text: &str,
) -> PersonLookup {
    let text = text.trim();
    let found = |u: &UserBrief| PersonLookup {
        text: u.name.clone(),
        chosen: Some(u.id),
        ..Default::default()
    };
    let by_id = id.and_then(|id| pool.iter().find(|u| u.id == id));
    if text.is_empty() {
        // A link's id: whoever it is, the data scope still decides what is shown of them.
        return match (by_id, id) {
            (Some(u), _) => found(u),
            (None, chosen) => PersonLookup {
                chosen,
                ..Default::default()
            },
        };
    }
    let needle = text.to_lowercase();
    let contains = |u: &UserBrief| u.name.contains(text) || u.login.contains(&needle);
    if let Some(u) = by_id.filter(|u| contains(u)) {
        return found(u);
    }
    let exact: Vec<&UserBrief> = pool
        .iter()
        .copied()
        .filter(|u| u.name == text || u.login == needle)
        .collect();
    let matches = if exact.is_empty() {
        pool.iter().copied().filter(|u| contains(u)).collect()
    } else {
        exact
    };
    match matches.as_slice() {
        [one] => found(one),
        [] => PersonLookup {
            text: text.to_owned(),
            error: Some("lookup.nobody".into()),
            ..Default::default()
        },
        several => PersonLookup {
            text: text.to_owned(),
            error: Some("lookup.several".into()),
            candidates: several
                .iter()
                .take(OFFERED)
                .map(|u| {
                    let unit = people.unit_name(u.org_unit_id);
                    (u.id, format!("{} · {unit} · {}", u.name, u.login))
                })
                .collect(),
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::OrgUnit;
    use app::model::OrgUnitKind;

    fn user(id: i64, login: &str, name: &str) -> UserBrief {
        UserBrief {
            id,
            login: login.into(),
            name: name.into(),
            org_unit_id: 1,
        }
    }

    fn people() -> People {
        let units = vec![OrgUnit {
            id: 1,
            parent_id: None,
            name: "石家庄政企客户部".into(),
            kind: OrgUnitKind::Department,
            active: true,
        }];
        People::for_tests(units)
    }

    #[test]
    fn an_exact_name_or_login_wins_over_names_containing_it() {
        let users = [
            user(1, "sjz_am1", "张伟"),
            user(2, "sjz_am2", "张伟东"),
            user(3, "bd_am1", "李娜"),
        ];
        let pool: Vec<&UserBrief> = users.iter().collect();
        let p = people();
        assert_eq!(look_up(&p, &pool, None, " 张伟 ").chosen, Some(1));
        assert_eq!(look_up(&p, &pool, None, "SJZ_AM2").chosen, Some(2));
        assert_eq!(look_up(&p, &pool, None, "李").chosen, Some(3));
        let several = look_up(&p, &pool, None, "张");
        assert_eq!(several.chosen, None);
        assert_eq!(several.error.as_deref(), Some("lookup.several"));
        assert_eq!(several.text, "张");
        assert_eq!(
            several.candidates,
            vec![
                (1, "张伟 · 石家庄政企客户部 · sjz_am1".to_owned()),
                (2, "张伟东 · 石家庄政企客户部 · sjz_am2".to_owned())
            ]
        );
        let nobody = look_up(&p, &pool, None, "王");
        assert_eq!(nobody.error.as_deref(), Some("lookup.nobody"));
        assert_eq!(nobody.text, "王", "what was typed stays in the field");
    }

    #[test]
    fn a_choice_stands_while_the_text_names_it_and_only_within_the_pool() {
        let users = [user(1, "sjz_am1", "张伟"), user(2, "sjz_am2", "张伟")];
        let pool: Vec<&UserBrief> = users.iter().collect();
        let p = people();
        assert_eq!(look_up(&p, &pool, None, "张伟").candidates.len(), 2);
        assert_eq!(look_up(&p, &pool, Some(2), "张伟").chosen, Some(2));
        assert_eq!(look_up(&p, &pool, Some(2), "张").chosen, Some(2));
        let by_link = look_up(&p, &pool, Some(2), "");
        assert_eq!((by_link.chosen, by_link.text.as_str()), (Some(2), "张伟"));
        // The text changed to someone else: the old choice no longer stands.
        assert_eq!(
            look_up(&p, &pool, Some(2), "李").error.as_deref(),
            Some("lookup.nobody")
        );
        // Outside the pool: a link's id stands (nameless), a choice against the text does not.
        let outside = look_up(&p, &pool[..1], Some(2), "");
        assert_eq!((outside.chosen, outside.text.as_str()), (Some(2), ""));
        assert_eq!(look_up(&p, &pool[..1], Some(2), "张伟").chosen, Some(1));
        assert_eq!(look_up(&p, &pool, None, ""), PersonLookup::default());
    }

    #[test]
    fn at_most_the_offered_number_of_several_are_listed() {
        let users: Vec<UserBrief> = (0..50)
            .map(|i| user(i, &format!("am{i}"), &format!("王{i}")))
            .collect();
        let pool: Vec<&UserBrief> = users.iter().collect();
        assert_eq!(
            look_up(&people(), &pool, None, "王").candidates.len(),
            OFFERED
        );
    }
}
