//! 商机 over four years, each lived through as the approval engine would have it: filed,
//! decided (some forwarded to the 总经理, some returned and resubmitted or voided), moved
//! through its stages, then signed or terminated through their own approvals, every step with
//! its 审批记录, task and 待阅消息. A step that would fall after "now" does not happen, so the
//! newest opportunities are still waiting where people had not answered yet: the open tasks.

use super::customers::Customers;
use super::life::{Life, Tables, HOUR};
use super::people::{AccountManager, People};
use super::rng::Rng;
use super::writer::Writer;
use super::{cst_day, Window};
use app::model::opportunity::{Flow, RecordKind, Stage, Status, TaskKind};
use chrono::{DateTime, Duration, Utc};

const PROJECTS: [&str; 24] = [
    "专线扩容",
    "云桌面",
    "视频监控",
    "物联网平台",
    "数据中心托管",
    "5G专网",
    "智慧校园",
    "智慧医疗",
    "语音专线",
    "移动办公",
    "安全态势感知",
    "云存储",
    "应急指挥",
    "智慧党建",
    "企业宽带",
    "算力租赁",
    "视频会议",
    "车联网",
    "智慧工厂",
    "数字乡村",
    "政务外网",
    "短信平台",
    "IDC机柜",
    "千里眼",
];
const PHASES: [&str; 4] = ["", "一期", "二期", "三期"];
const NOTES: [&str; 6] = [
    "电话沟通需求",
    "上门拜访，介绍方案",
    "陪同技术经理现场勘查",
    "交流报价",
    "确认合同条款",
    "回访使用情况",
];
const ACTIVITY_KINDS: [&str; 3] = ["call", "visit", "joint_visit"];

/// The dictionaries an opportunity draws on.
struct Choices {
    business_types: Vec<i64>,
    competitors: Vec<i64>,
    reasons: Vec<(i64, String)>,
}

pub async fn generate(
    w: &mut Writer,
    rng: &mut Rng,
    people: &People,
    customers: &Customers,
    count: i64,
    window: &Window,
) -> anyhow::Result<u64> {
    let ids = |items: Vec<(i64, String)>| items.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    let choices = Choices {
        business_types: ids(super::people::dictionary(w, "business_type").await?),
        competitors: ids(super::people::dictionary(w, "competitor").await?),
        reasons: w
            .pairs(
                "SELECT id, COALESCE(code, '') FROM dict_items
                 WHERE kind = 'termination_reason' ORDER BY sort_order, id",
            )
            .await?,
    };
    let mut next_id = w.number("SELECT MAX(id) FROM opportunities").await? + 1;
    let mut next_task = w.number("SELECT MAX(id) FROM tasks").await? + 1;
    let mut next_activity = w.number("SELECT MAX(id) FROM activities").await? + 1;
    let mut t = Tables::new();
    let span = (window.now - window.start).num_seconds();
    w.exec("BEGIN").await?;
    for i in 0..count {
        // Filed evenly over the window, in id order as they would have been.
        let offset = (span as f64 * (i as f64 + rng.unit()) / count as f64) as i64;
        let created = window.start + Duration::seconds(offset);
        let owner_index = rng.range(0, people.account_managers.len() as i64) as usize;
        let owner = &people.account_managers[owner_index];
        let own = &customers.by_owner[owner_index];
        let primary = if own.is_empty() {
            rng.range(0, customers.all.len() as i64) as usize
        } else {
            own[rng.range(0, own.len() as i64) as usize]
        };
        let id = next_id;
        next_id += 1;
        one(
            &mut t,
            rng,
            people,
            customers,
            &choices,
            owner,
            primary,
            id,
            created,
            window.now,
            &mut next_task,
            &mut next_activity,
        );
        if t.opportunities.is_full() {
            w.flush_all(&mut t.all()).await?;
        }
    }
    w.flush_all(&mut t.all()).await?;
    // A signed opportunity made its customers 成交客户.
    w.exec(
        "UPDATE customers SET kind = 'transaction' WHERE kind = 'potential' AND id IN (
             SELECT oc.customer_id FROM opportunity_customers oc
             JOIN opportunities o ON o.id = oc.opportunity_id WHERE o.status = 'signed')",
    )
    .await?;
    w.exec("COMMIT").await?;
    Ok(t.all().iter().map(|t| t.written).sum())
}

/// Writes one opportunity and everything its life so far wrote.
#[allow(clippy::too_many_arguments)]
fn one(
    t: &mut Tables,
    rng: &mut Rng,
    people: &People,
    customers: &Customers,
    choices: &Choices,
    owner: &AccountManager,
    primary: usize,
    id: i64,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
    next_task: &mut i64,
    next_activity: &mut i64,
) {
    let customer = &customers.all[primary];
    let name = format!(
        "{}{}{}",
        customer.name,
        rng.word(&PROJECTS),
        rng.word(&PHASES)
    );
    let (deputy, gm) = people.approvers(owner);
    let mut life = Life {
        t,
        next_task,
        now,
        id,
        owner: owner.id,
        title: &name,
        status: Status::Draft,
        steps: 0,
        updated: created,
        waiting: None,
    };
    let mut submitted_at = None;
    let mut filed_at = None;
    let mut stage = Stage::Identify;
    // 报备: most are submitted within hours of being written.
    let submit = created + Duration::seconds(rng.range(600, 4 * 3600));
    if rng.chance(0.97) && submit <= now {
        submitted_at = Some(submit);
        life.submit(Flow::Filing, RecordKind::Submit, deputy, submit);
        let mut at = submit + Duration::seconds(rng.wait(30.0 * HOUR) + 300);
        if at <= now && rng.chance(0.1) {
            // Returned: the owner resubmits, or gives up (作废).
            let closed = life.close(RecordKind::Return, at);
            life.open(Flow::Filing, TaskKind::Returned, owner.id, at);
            life.step(
                Status::Returned,
                Flow::Filing,
                RecordKind::Return,
                deputy,
                at,
                closed,
                Some("请补充客户需求与预算说明"),
                None,
            );
            life.tell("returned", at, rng);
            let answer = at + Duration::seconds(rng.wait(40.0 * HOUR) + 300);
            if answer <= now {
                if rng.chance(0.3) {
                    let closed = life.close(RecordKind::Void, answer);
                    life.step(
                        Status::Voided,
                        Flow::Filing,
                        RecordKind::Void,
                        owner.id,
                        answer,
                        closed,
                        None,
                        None,
                    );
                } else {
                    life.submit(Flow::Filing, RecordKind::Resubmit, deputy, answer);
                    at = answer + Duration::seconds(rng.wait(30.0 * HOUR) + 300);
                }
            }
        }
        if life.status == Status::Pending && life.approve(rng, 0.18, gm, at) {
            filed_at = Some(life.updated);
        }
    }
    if let Some(filed) = filed_at {
        // 阶段 moves, then perhaps 签约 or 终止 through their own approvals.
        let fate = rng.unit();
        let ends = if fate < 0.45 {
            filed + Duration::days(rng.range(15, 400))
        } else if fate < 0.60 {
            filed + Duration::days(rng.range(10, 300))
        } else {
            now
        };
        let mut moved = filed;
        for (from, to, p) in [
            (Stage::Identify, Stage::Proposal, 0.65),
            (Stage::Proposal, Stage::Negotiation, 0.5),
        ] {
            moved += Duration::days(rng.range(3, 60));
            if stage != from || moved >= ends.min(now) || !rng.chance(p) {
                break;
            }
            stage = to;
            life.steps += 1;
            life.updated = moved;
            let actor = owner.id;
            life.t.stages.push(|r| {
                r.int(id)
                    .text(from.code())
                    .text(to.code())
                    .int(actor)
                    .time(moved);
            });
        }
        if fate < 0.60 && ends <= now {
            let decided = ends + Duration::seconds(rng.wait(24.0 * HOUR) + 300);
            if fate < 0.45 {
                let director = people.director(customer.industry_id);
                let amount = rng.range(5, 500) * 1_000_000;
                let signed_on = cst_day(ends - Duration::days(rng.range(0, 5)));
                life.t.signings.push(|r| {
                    r.int(id)
                        .text(&format!("HT{}{id:07}", signed_on.format("%Y")))
                        .int(amount)
                        .text(&signed_on.to_string())
                        .text("三年")
                        .time(ends);
                });
                life.submit(Flow::Signing, RecordKind::Submit, director, ends);
                if life.approve(rng, 0.12, people.province_gm_id, decided) {
                    let order = Order {
                        id,
                        city_id: owner.city.map(|c| people.cities[c].id),
                        industry_id: customer.industry_id,
                        owner_id: owner.id,
                        signed_on,
                        amount,
                    };
                    follow_up(life.t, rng, &order, decided, now);
                }
            } else {
                let (reason, code) = rng.pick(&choices.reasons);
                let competitor =
                    (code == "lost_to_competitor").then(|| *rng.pick(&choices.competitors));
                life.t.terminations.push(|r| {
                    r.int(id)
                        .int(*reason)
                        .opt_int(competitor)
                        .text("客户预算调整，项目暂缓")
                        .time(ends);
                });
                life.submit(Flow::Termination, RecordKind::Submit, deputy, ends);
                life.approve(rng, 0.0, gm, decided);
            }
        }
    }
    life.finish();
    let (status, steps, updated) = (life.status, life.steps, life.updated);
    let business_type = *rng.pick(&choices.business_types);
    let amount = rng.range(5, 500) * 1_000_000;
    let sign_date = cst_day(created + Duration::days(rng.range(30, 240)));
    let probability = rng.range(1, 10) * 10;
    let city_id = owner.city.map(|c| people.cities[c].id);
    let level = if owner.city.is_some() {
        "city"
    } else {
        "province"
    };
    t.opportunities.push(|r| {
        r.int(id)
            .text(&name)
            .int(business_type)
            .text(level)
            .int(owner.org_unit_id)
            .opt_int(city_id)
            .int(customer.industry_id)
            .int(owner.id)
            .int(amount)
            .text(&sign_date.to_string())
            .int(probability)
            .text("客户有明确需求，已完成初步方案交流。")
            .text(stage.code())
            .text(status.code())
            .opt_time(submitted_at)
            .opt_time(filed_at)
            .int(steps + 1)
            .time(created)
            .time(updated);
    });
    t.customers.push(|r| {
        r.int(id).int(customer.id).bool(true);
    });
    if rng.chance(0.3) {
        let competitor = *rng.pick(&choices.competitors);
        t.competitors.push(|r| {
            r.int(id).int(competitor);
        });
    }
    if rng.chance(0.02) {
        let other = rng.pick(&people.account_managers).id;
        if other != owner.id {
            let collaborate = rng.chance(0.5);
            t.shares.push(|r| {
                r.int(id)
                    .int(other)
                    .bool(collaborate)
                    .int(owner.id)
                    .time(created);
            });
        }
    }
    // 销售活动 on the opportunity, up to now.
    let room = (now - created).num_days().clamp(0, 300);
    for _ in 0..rng.range(0, 3) {
        let day = created + Duration::days(rng.range(0, room + 1));
        let activity = *next_activity;
        *next_activity += 1;
        let contact = customer.first_contact_id + rng.range(0, customer.contacts);
        let kind = rng.word(&ACTIVITY_KINDS);
        let notes = rng.word(&NOTES);
        t.activities.push(|r| {
            r.int(activity)
                .text(kind)
                .text(&cst_day(day).to_string())
                .int(customer.id)
                .int(id)
                .text(notes)
                .bool(day < now - Duration::days(1))
                .int(owner.id)
                .time(day.min(now));
        });
        t.activity_contacts.push(|r| {
            r.int(activity).int(contact);
        });
    }
}

/// A signed order, as its milestones need it.
struct Order {
    id: i64,
    city_id: Option<i64>,
    industry_id: i64,
    owner_id: i64,
    signed_on: chrono::NaiveDate,
    amount: i64,
}

/// 订单后续执行跟踪 of an order: 开通, 验收 and 回款 planned a month, two and four after its
/// signing; most of those due by `now` are done a few days either side of their day, the rest
/// left open (overdue).
fn follow_up(
    t: &mut Tables,
    rng: &mut Rng,
    order: &Order,
    approved: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    let today = cst_day(now);
    for (kind, months) in [("activation", 1), ("acceptance", 2), ("payment", 4)] {
        let planned = order.signed_on + Duration::days(30 * months);
        let done = planned <= today && rng.chance(0.85);
        let actual = done.then(|| (planned + Duration::days(rng.range(-5, 6))).min(today));
        let status = match (done, planned <= today) {
            (true, _) => "done",
            (false, true) => "in_progress",
            (false, false) => "pending",
        };
        t.milestones.push(|r| {
            r.int(order.id)
                .text(kind)
                .text("")
                .text(&planned.to_string())
                .opt_text(actual.map(|d| d.to_string()).as_deref())
                .opt_int((kind == "payment").then_some(order.amount))
                .text(status)
                .text("")
                .time(approved)
                .opt_int(order.city_id)
                .int(order.industry_id)
                .int(order.owner_id);
        });
    }
}
