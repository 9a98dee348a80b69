//! The province's organisation: its eleven cities, each with a 政企客户部, a 地市副总 and a
//! 地市总经理; a 行业总监 for every industry; and account managers spread over the cities
//! by size, the demo people of the README among them.

use super::rng::Rng;
use super::writer::{Table, Writer};
use crate::auth::password;
use crate::seed::{DEMO_PASSWORD, PROVINCE};
use app::model::Role;
use chrono::{DateTime, Utc};

/// Hebei's cities: name, login prefix, share of the province's account managers (‰).
const CITIES: [(&str, &str, i64); 11] = [
    ("石家庄", "sjz", 200),
    ("保定", "bd", 120),
    ("唐山", "ts", 120),
    ("邯郸", "hd", 100),
    ("沧州", "cz", 80),
    ("廊坊", "lf", 80),
    ("邢台", "xt", 70),
    ("张家口", "zjk", 60),
    ("承德", "cd", 50),
    ("秦皇岛", "qhd", 50),
    ("衡水", "hs", 40),
];

/// The province's own account managers (集团客户事业部), in ‰ of all.
const PROVINCE_SHARE: i64 = 30;

/// The department of the province that files province-level opportunities.
const PROVINCE_DEPARTMENT: &str = "集团客户事业部";

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "涛", "明", "超", "霞", "平",
    "刚", "丽", "强", "鹏", "华", "玲", "斌", "红",
];

/// A made-up Chinese personal name.
pub fn person_name(rng: &mut Rng) -> String {
    let mut name = rng.word(&SURNAMES).to_owned();
    name.push_str(rng.word(&GIVEN));
    if rng.chance(0.6) {
        name.push_str(rng.word(&GIVEN));
    }
    name
}

pub struct City {
    pub id: i64,
    pub name: &'static str,
    pub department_id: i64,
    pub deputy_id: i64,
    pub gm_id: i64,
}

/// Who files and who approves.
pub struct AccountManager {
    pub id: i64,
    pub org_unit_id: i64,
    /// `None` for the province's own (their opportunities are province-level).
    pub city: Option<usize>,
}

pub struct People {
    pub cities: Vec<City>,
    pub province_deputy_id: i64,
    pub province_gm_id: i64,
    pub opportunity_admin_id: i64,
    /// (industry id, its 行业总监).
    pub directors: Vec<(i64, i64)>,
    pub industries: Vec<i64>,
    pub account_managers: Vec<AccountManager>,
    pub all_users: Vec<i64>,
}

impl People {
    /// The 地市副总 and 地市总经理 who approve a filing or a termination of `owner`'s.
    pub fn approvers(&self, owner: &AccountManager) -> (i64, i64) {
        match owner.city {
            Some(c) => (self.cities[c].deputy_id, self.cities[c].gm_id),
            None => (self.province_deputy_id, self.province_gm_id),
        }
    }

    pub fn director(&self, industry_id: i64) -> i64 {
        self.directors
            .iter()
            .find(|(i, _)| *i == industry_id)
            .map_or(self.province_deputy_id, |(_, d)| *d)
    }
}

/// What is being added to the organisation, with the next free ids.
struct Org<'a> {
    w: &'a mut Writer,
    at: DateTime<Utc>,
    next_unit: i64,
    next_user: i64,
    password_hash: String,
    users: Table,
    roles: Table,
    industries: Table,
    created: u64,
}

impl Org<'_> {
    /// The org unit named `name` under `parent`, added if missing.
    async fn unit(&mut self, name: &str, kind: &str, parent: i64) -> Result<i64, sqlx::Error> {
        let found = self
            .w
            .number(&format!(
                "SELECT MAX(id) FROM org_units WHERE parent_id = {parent} AND name = '{name}'"
            ))
            .await?;
        if found > 0 {
            return Ok(found);
        }
        let id = self.next_unit;
        self.next_unit += 1;
        let mut t = Table::new("org_units", "id, parent_id, name, kind, created_at");
        t.push(|r| {
            r.int(id).int(parent).text(name).text(kind).time(self.at);
        });
        self.w.flush(&mut t).await?;
        self.created += 1;
        Ok(id)
    }

    /// The user with `login`, added (in `unit`, with `role`) if missing.
    async fn user(
        &mut self,
        login: &str,
        name: &str,
        unit: i64,
        role: Role,
        industry: Option<i64>,
    ) -> Result<i64, sqlx::Error> {
        let found = self
            .w
            .number(&format!(
                "SELECT MAX(id) FROM users WHERE login = '{login}'"
            ))
            .await?;
        if found > 0 {
            return Ok(found);
        }
        let id = self.next_user;
        self.next_user += 1;
        let (at, hash) = (self.at, &self.password_hash);
        self.users.push(|r| {
            r.int(id)
                .text(login)
                .text(name)
                .int(unit)
                .text(hash)
                .time(at)
                .time(at);
        });
        self.roles.push(|r| {
            r.int(id).text(role.code());
        });
        if let Some(industry) = industry {
            self.industries.push(|r| {
                r.int(id).int(industry);
            });
        }
        self.w
            .flush_if_full(&mut [&mut self.users, &mut self.roles, &mut self.industries])
            .await?;
        Ok(id)
    }
}

/// Completes the organisation to `users` people (the demo ones included).
pub async fn generate(
    w: &mut Writer,
    rng: &mut Rng,
    users: i64,
    at: DateTime<Utc>,
) -> anyhow::Result<(People, u64)> {
    let province = w
        .number(&format!(
            "SELECT MAX(id) FROM org_units WHERE kind = 'province' AND name = '{PROVINCE}'"
        ))
        .await?;
    anyhow::ensure!(province > 0, "the demo organisation is missing");
    let next_unit = w.number("SELECT MAX(id) FROM org_units").await? + 1;
    let next_user = w.number("SELECT MAX(id) FROM users").await? + 1;
    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut org = Org {
        w,
        at,
        next_unit,
        next_user,
        password_hash: password_hash.as_stored().to_owned(),
        users: Table::new(
            "users",
            "id, login, name, org_unit_id, password_hash, created_at, updated_at",
        ),
        roles: Table::new("user_roles", "user_id, role"),
        industries: Table::new("user_industries", "user_id, industry_id"),
        created: 0,
    };
    let province_department = org
        .unit(PROVINCE_DEPARTMENT, "department", province)
        .await?;
    let mut cities = Vec::new();
    for (name, code, _) in CITIES {
        let id = org.unit(name, "city", province).await?;
        let department_id = org
            .unit(&format!("{name}政企客户部"), "department", id)
            .await?;
        let deputy_id = org
            .user(
                &format!("{code}_vp1"),
                &format!("{name}副总1"),
                id,
                Role::CityDeputyGm,
                None,
            )
            .await?;
        let gm_id = org
            .user(
                &format!("{code}_gm"),
                &format!("{name}领导"),
                id,
                Role::CityGm,
                None,
            )
            .await?;
        cities.push(City {
            id,
            name,
            department_id,
            deputy_id,
            gm_id,
        });
    }
    let by_login =
        |login: &'static str| format!("SELECT MAX(id) FROM users WHERE login = '{login}'");
    let province_deputy_id = org.w.number(&by_login("prov_vp")).await?;
    let province_gm_id = org.w.number(&by_login("prov_gm")).await?;
    let opportunity_admin_id = org.w.number(&by_login("oppadmin")).await?;
    let industries = dictionary(org.w, "industry").await?;
    let mut directors = Vec::new();
    for (k, &(industry, ref label)) in industries.iter().enumerate() {
        let existing = org
            .w
            .number(&format!(
                "SELECT MAX(ui.user_id) FROM user_industries ui
                 JOIN user_roles r ON r.user_id = ui.user_id AND r.role = 'industry_director'
                 WHERE ui.industry_id = {industry}"
            ))
            .await?;
        let director = if existing > 0 {
            existing
        } else {
            org.user(
                &format!("ind_{}", k + 1),
                &format!("{label}行业总监"),
                province,
                Role::IndustryDirector,
                Some(industry),
            )
            .await?
        };
        directors.push((industry, director));
    }
    // The rest are account managers, by city size.
    let have = org.w.number("SELECT COUNT(*) FROM users").await? + org.users.written as i64;
    let to_add = (users - have).max(0);
    let mut account_managers = Vec::new();
    let place = |share: i64| ((to_add * share + 999) / 1000).max(1);
    let mut plan: Vec<(Option<usize>, i64)> = vec![(None, place(PROVINCE_SHARE))];
    for (c, (_, _, share)) in CITIES.iter().enumerate() {
        plan.push((Some(c), place(*share)));
    }
    let mut added = 0;
    for (city, count) in plan {
        for n in 1..=count {
            if added >= to_add {
                break;
            }
            let (login, unit, place_name) = match city {
                Some(c) => (
                    format!("{}_am{n:04}", CITIES[c].1),
                    cities[c].department_id,
                    CITIES[c].0,
                ),
                None => (format!("prov_am{n:04}"), province_department, "省"),
            };
            let name = format!("{}（{place_name}）", person_name(rng));
            let id = org
                .user(&login, &name, unit, Role::AccountManager, None)
                .await?;
            account_managers.push(AccountManager {
                id,
                org_unit_id: unit,
                city,
            });
            added += 1;
        }
    }
    org.w
        .flush_all(&mut [&mut org.users, &mut org.roles, &mut org.industries])
        .await?;
    let created = org.created + org.users.written + org.roles.written + org.industries.written;
    // The demo account managers file too.
    for (login, city) in [
        ("sjz_am1", Some(0)),
        ("sjz_am2", Some(0)),
        ("bd_am1", Some(1)),
        ("prov_am1", None),
    ] {
        let id = w.number(&by_login(login)).await?;
        let org_unit_id = w
            .number(&format!("SELECT org_unit_id FROM users WHERE id = {id}"))
            .await?;
        if id > 0 {
            account_managers.push(AccountManager {
                id,
                org_unit_id,
                city,
            });
        }
    }
    let all_users = w.ids("SELECT id FROM users ORDER BY id").await?;
    Ok((
        People {
            cities,
            province_deputy_id,
            province_gm_id,
            opportunity_admin_id,
            directors,
            industries: industries.iter().map(|(id, _)| *id).collect(),
            account_managers,
            all_users,
        },
        created,
    ))
}

/// A dictionary's items: (id, label), in their order.
pub async fn dictionary(w: &mut Writer, kind: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    w.pairs(&format!(
        "SELECT id, label FROM dict_items WHERE kind = '{kind}' AND active ORDER BY sort_order, id"
    ))
    .await
}
