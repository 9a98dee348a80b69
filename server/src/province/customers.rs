//! 客户 with their 联系人: owned by the account managers, named as Hebei's organisations are,
//! each with its quick-find row (name, numbers, contacts), some of them shared.

use super::people::{person_name, People};
use super::rng::Rng;
use super::writer::{Table, Writer};
use super::Window;
use app::model::customer::CustomerName;

const BRANDS: [&str; 32] = [
    "华北", "冀中", "燕赵", "恒信", "新元", "鼎盛", "博远", "中科", "远洋", "金桥", "长城", "太行",
    "滨海", "正阳", "瑞丰", "同创", "汇通", "宏达", "永安", "和平", "光明", "东方", "铭泰", "顺达",
    "嘉禾", "世纪", "国泰", "天元", "龙腾", "银河", "信诚", "凯旋",
];
const KINDS: [&str; 20] = [
    "人民医院",
    "中学",
    "电力公司",
    "交通局",
    "银行",
    "制造厂",
    "数据局",
    "水务集团",
    "燃气公司",
    "中心小学",
    "职业学院",
    "物流园",
    "钢铁集团",
    "汽车城",
    "农商银行",
    "政务服务中心",
    "供热公司",
    "商贸城",
    "医药公司",
    "建设集团",
];
const TITLES: [&str; 6] = [
    "信息中心主任",
    "采购部经理",
    "办公室主任",
    "总经理",
    "技术负责人",
    "财务总监",
];

/// What the opportunities need to know of a customer.
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub industry_id: i64,
    pub first_contact_id: i64,
    pub contacts: i64,
}

pub struct Customers {
    pub all: Vec<Customer>,
    /// Indexes into `all`, by account manager (as indexed in `People::account_managers`).
    pub by_owner: Vec<Vec<usize>>,
}

pub async fn generate(
    w: &mut Writer,
    rng: &mut Rng,
    people: &People,
    count: i64,
    window: &Window,
) -> anyhow::Result<(Customers, u64)> {
    let levels: Vec<i64> = super::people::dictionary(w, "customer_level")
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut next_id = w.number("SELECT MAX(id) FROM customers").await? + 1;
    let mut next_contact = w.number("SELECT MAX(id) FROM contacts").await? + 1;
    let mut customers = Table::new(
        "customers",
        "id, name, name_key, industry_id, level_id, kind, owner_id, dept_id, city_id, \
         registered_on, website, phone, fax, address, notes, created_at, updated_at",
    );
    let mut contacts = Table::new(
        "contacts",
        "id, customer_id, name, title, department, phone, mobile, email, created_at, updated_at",
    );
    let mut search = Table::new(
        "customer_search",
        if w.is_postgres() {
            "customer_id, body"
        } else {
            "rowid, body"
        },
    );
    let mut shares = Table::new(
        "customer_shares",
        "customer_id, user_id, can_edit, shared_by, created_at",
    );
    let managers = &people.account_managers;
    let mut all = Vec::with_capacity(count as usize);
    let mut by_owner = vec![Vec::new(); managers.len()];
    // How many customers already carry a name (city, brand, kind): the next one is a 分部.
    let mut taken = std::collections::HashMap::<(usize, usize, usize), u32>::new();
    w.exec("BEGIN").await?;
    for _ in 0..count {
        let owner_index = rng.range(0, managers.len() as i64) as usize;
        let owner = &managers[owner_index];
        let city = owner.city.map(|c| &people.cities[c]);
        let place = city.map_or("河北", |c| c.name);
        let (b, k) = (
            rng.range(0, BRANDS.len() as i64) as usize,
            rng.range(0, KINDS.len() as i64) as usize,
        );
        let seen = taken.entry((owner.city.unwrap_or(99), b, k)).or_default();
        *seen += 1;
        let mut name = format!("{place}{}{}", BRANDS[b], KINDS[k]);
        if *seen > 1 {
            name.push_str(&format!("第{}分部", *seen - 1));
        }
        let key = CustomerName::parse(&name)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?
            .key();
        let id = next_id;
        next_id += 1;
        let industry_id = *rng.pick(&people.industries);
        let registered = window.random_time(rng);
        let phone = format!("0311-{}", rng.range(6000_0000, 9000_0000));
        let fax = rng
            .chance(0.3)
            .then(|| format!("0311-{}", rng.range(6000_0000, 9000_0000)));
        let kind = if rng.chance(0.65) {
            "transaction"
        } else {
            "potential"
        };
        let level = *rng.pick(&levels);
        customers.push(|r| {
            r.int(id)
                .text(&name)
                .text(&key)
                .int(industry_id)
                .int(level)
                .text(kind)
                .int(owner.id)
                .int(owner.org_unit_id)
                .opt_int(city.map(|c| c.id))
                .text(&super::cst_day(registered).to_string())
                .null()
                .text(&phone)
                .opt_text(fax.as_deref())
                .text(&format!(
                    "{place}市{}路{}号",
                    rng.word(&BRANDS),
                    rng.range(1, 400)
                ))
                .null()
                .time(registered)
                .time(registered);
        });
        let mut body = [Some(name.as_str()), Some(phone.as_str()), fax.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let contact_count = rng.range(1, 4);
        let first_contact_id = next_contact;
        for _ in 0..contact_count {
            let contact_id = next_contact;
            next_contact += 1;
            let person = person_name(rng);
            let mobile = format!("1{}{:08}", rng.range(30, 90), rng.range(0, 1_0000_0000));
            body.push(' ');
            body.push_str(&person);
            body.push(' ');
            body.push_str(&mobile);
            contacts.push(|r| {
                r.int(contact_id)
                    .int(id)
                    .text(&person)
                    .text(rng.word(&TITLES))
                    .null()
                    .null()
                    .text(&mobile)
                    .null()
                    .time(registered)
                    .time(registered);
            });
        }
        search.push(|r| {
            r.int(id).text(&body);
        });
        if rng.chance(0.01) {
            let other = &managers[rng.range(0, managers.len() as i64) as usize];
            if other.id != owner.id {
                shares.push(|r| {
                    r.int(id)
                        .int(other.id)
                        .bool(rng.chance(0.3))
                        .int(owner.id)
                        .time(registered);
                });
            }
        }
        by_owner[owner_index].push(all.len());
        all.push(Customer {
            id,
            name,
            industry_id,
            first_contact_id,
            contacts: contact_count,
        });
        w.flush_if_full(&mut [&mut customers, &mut contacts, &mut search, &mut shares])
            .await?;
    }
    w.flush_all(&mut [&mut customers, &mut contacts, &mut search, &mut shares])
        .await?;
    w.exec("COMMIT").await?;
    let written = customers.written + contacts.written + search.written + shares.written;
    Ok((Customers { all, by_owner }, written))
}
