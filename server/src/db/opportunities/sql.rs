//! [`OpportunityStore`](super::opportunities::OpportunityStore) in SQL that both databases run
//! (see `portable.rs` for why a macro).

use crate::db::dialect::{Dialect, RowsAffected};
use crate::db::sql::{SqlStore, Value};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};

#[async_trait::async_trait]
impl<D> crate::db::opportunities::OpportunityStore for SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    for<'q> D::Arguments<'q>: IntoArguments<'q, D>,
    for<'n> &'n str: ColumnIndex<D::Row> + Encode<'n, D> + Type<D>,
    usize: ColumnIndex<D::Row>,
    i64: Value<D>,
    Option<i64>: Value<D>,
    bool: Value<D>,
    String: Value<D>,
    Option<String>: Value<D>,
    DateTime<Utc>: Value<D>,
    Option<DateTime<Utc>>: Value<D>,
    Vec<u8>: Value<D>,
    for<'b> &'b [u8]: Encode<'b, D> + Type<D>,
{
    #[tracing::instrument(skip(self, actor, new, submit), fields(name = new.fields.name.as_str()))]
    async fn create_opportunity(
        &self,
        actor: &crate::db::Actor,
        new: &crate::db::opportunities::NewOpportunity,
        submit: Option<&crate::workflow::engine::Outcome>,
    ) -> crate::db::StoreResult<i64> {
        use app::model::opportunity::Status;
        let mut tx = self.begin_write().await?;
        let industry_id = Self::primary_industry(&mut tx, &new.fields).await?;
        let f = &new.fields;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO opportunities (name, business_type_id, level, org_unit_id, city_id,
                industry_id, owner_id, expected_amount_fen, expected_sign_date,
                win_probability, description, stage, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'identify', $12, $13, $13)
             RETURNING id",
        )
        .bind(&f.name)
        .bind(f.business_type_id)
        .bind(new.level.code())
        .bind(new.org_unit_id)
        .bind(new.city_id)
        .bind(industry_id)
        .bind(new.owner_id)
        .bind(f.expected_amount.map(|a| a.0))
        .bind(
            f.expected_sign_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
        )
        .bind(f.win_probability)
        .bind(&f.description)
        .bind(Status::Draft.code())
        .bind(actor.at)
        .fetch_one(&mut *tx)
        .await?;
        Self::write_relations(&mut tx, id, f).await?;
        let created = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "create", "opportunity", id).after(&created),
        )
        .await?;
        if let Some(outcome) = submit {
            let transition = crate::db::opportunities::Transition {
                expected_version: created.version,
                outcome,
                opinion: None,
                fields: None,
                signing: None,
                termination: None,
            };
            Self::write_transition(&mut tx, actor, id, &transition).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self))]
    async fn opportunity(
        &self,
        scope: &crate::policy::scope::Scope,
        id: i64,
    ) -> crate::db::StoreResult<Option<crate::db::opportunities::Opportunity>> {
        let mut conn = self.pool.acquire().await?;
        let mut qb = sqlx::QueryBuilder::<D>::new("SELECT o.id FROM opportunities o WHERE o.id = ");
        qb.push_bind(id);
        crate::db::opportunities::push_opportunity_scope(&mut qb, scope);
        let found: Option<i64> = D::built_scalar(&mut qb).fetch_optional(&mut *conn).await?;
        match found {
            Some(id) => Ok(Self::fetch_opportunity(&mut conn, id).await?),
            None => Ok(None),
        }
    }

    async fn opportunity_for_workflow(
        &self,
        id: i64,
    ) -> crate::db::StoreResult<Option<crate::db::opportunities::Opportunity>> {
        let mut conn = self.pool.acquire().await?;
        Ok(Self::fetch_opportunity(&mut conn, id).await?)
    }

    #[tracing::instrument(skip(self, actor, fields))]
    async fn update_opportunity(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        version: i64,
        fields: &crate::db::opportunities::OpportunityFields,
    ) -> crate::db::StoreResult<crate::db::opportunities::Opportunity> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        if before.version != version {
            return Err(crate::db::StoreError::Stale);
        }
        Self::write_fields(&mut tx, id, fields, actor.at).await?;
        let changed = sqlx::query(
            "UPDATE opportunities SET version = version + 1 WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(crate::db::StoreError::Stale);
        }
        let after = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "update", "opportunity", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    #[tracing::instrument(skip(self, actor, transition))]
    async fn apply_transition(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        transition: &crate::db::opportunities::Transition<'_>,
    ) -> crate::db::StoreResult<crate::db::opportunities::Applied> {
        let mut tx = self.begin_write().await?;
        let applied = Self::write_transition(&mut tx, actor, id, transition).await?;
        tx.commit().await?;
        Ok(applied)
    }

    #[tracing::instrument(skip(self, query))]
    async fn opportunities(
        &self,
        scope: &crate::policy::scope::Scope,
        query: &crate::db::opportunities::OpportunityQuery,
    ) -> crate::db::StoreResult<Vec<crate::db::opportunities::OpportunityListItem>> {
        use crate::db::customers::like_escape;
        use crate::db::opportunities::ListBranch;
        let limit = i64::from(query.limit.clamp(1, 200));
        let pattern = |t: &str| format!("%{}%", like_escape(&t.trim().to_lowercase()));
        let mut qb = sqlx::QueryBuilder::<D>::new(
            "SELECT o.id, o.name, COALESCE(c.name, '') AS customer_name, o.business_type_id,
                o.status, o.stage, u.name AS owner_name, o.expected_amount_fen, o.created_at
             FROM (",
        );
        for (i, (branch, check_scope)) in ListBranch::of(scope, query).iter().enumerate() {
            if i > 0 {
                qb.push(" UNION ");
            }
            qb.push("SELECT * FROM (SELECT o.id FROM opportunities o");
            match branch {
                ListBranch::Everything => {
                    qb.push(" WHERE 1 = 1");
                }
                ListBranch::Owner(user) => {
                    qb.push(" WHERE o.owner_id = ").push_bind(*user);
                }
                ListBranch::Shared(user) => {
                    qb.push(
                        " JOIN opportunity_shares sh ON sh.opportunity_id = o.id AND sh.user_id = ",
                    )
                    .push_bind(*user)
                    .push(" WHERE 1 = 1");
                }
                ListBranch::Assigned(user) => {
                    qb.push(" WHERE o.id IN (SELECT t.opportunity_id FROM tasks t WHERE t.assignee_id = ")
                        .push_bind(*user)
                        .push(")");
                }
                ListBranch::City(city) => {
                    qb.push(" WHERE o.city_id = ").push_bind(*city);
                }
                ListBranch::Industries(ids) => {
                    qb.push(" WHERE o.industry_id IN (");
                    let mut list = qb.separated(", ");
                    for id in ids {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                }
            }
            if *check_scope {
                crate::db::opportunities::push_opportunity_scope(&mut qb, scope);
            } else {
                // Drafts are their filer's alone, whatever the branch.
                qb.push(" AND (o.status <> 'draft' OR o.owner_id = ")
                    .push_bind(scope.viewer_id)
                    .push(")");
            }
            if let Some(t) = query
                .name_contains
                .as_deref()
                .filter(|t| !t.trim().is_empty())
            {
                qb.push(" AND LOWER(o.name) LIKE ")
                    .push_bind(pattern(t))
                    .push(" ESCAPE '\\'");
            }
            if let Some(t) = query
                .customer_contains
                .as_deref()
                .filter(|t| !t.trim().is_empty())
            {
                qb.push(" AND EXISTS (SELECT 1 FROM opportunity_customers xc JOIN customers x ON x.id = xc.customer_id \
                         WHERE xc.opportunity_id = o.id AND LOWER(x.name) LIKE ")
                    .push_bind(pattern(t))
                    .push(" ESCAPE '\\')");
            }
            if let Some(v) = query.business_type_id {
                qb.push(" AND o.business_type_id = ").push_bind(v);
            }
            if let Some(s) = query.status {
                qb.push(" AND o.status = ").push_bind(s.code());
            }
            if let Some(v) = query.owner_id {
                qb.push(" AND o.owner_id = ").push_bind(v);
            }
            if let Some(user) = query.shared_with {
                qb.push(" AND EXISTS (SELECT 1 FROM opportunity_shares sw WHERE sw.opportunity_id = o.id AND sw.user_id = ")
                    .push_bind(user)
                    .push(")");
            }
            if let Some(d) = query.created_from {
                qb.push(" AND o.created_at >= ")
                    .push_bind(Self::day_start(d));
            }
            if let Some(d) = query.created_to {
                qb.push(" AND o.created_at < ")
                    .push_bind(Self::day_start(d + chrono::Duration::days(1)));
            }
            if let Some(after) = query.after_id {
                qb.push(" AND o.id < ").push_bind(after);
            }
            qb.push(" ORDER BY o.id DESC LIMIT ").push_bind(limit);
            qb.push(format!(") b{i}"));
        }
        qb.push(
            ") page
             JOIN opportunities o ON o.id = page.id
             JOIN users u ON u.id = o.owner_id
             LEFT JOIN opportunity_customers oc ON oc.opportunity_id = o.id AND oc.is_primary
             LEFT JOIN customers c ON c.id = oc.customer_id
             ORDER BY o.id DESC LIMIT ",
        )
        .push_bind(limit);
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn approval_records(
        &self,
        opportunity_id: i64,
    ) -> crate::db::StoreResult<Vec<crate::db::opportunities::ApprovalRecord>> {
        Ok(sqlx::query_as(
            "SELECT r.id, r.task_id, r.flow, r.kind, a.name AS actor_name, r.at, r.opinion,
                n.name AS next_approver_name, r.changes_json
             FROM approval_records r
             JOIN users a ON a.id = r.actor_id
             LEFT JOIN users n ON n.id = r.next_approver_id
             WHERE r.opportunity_id = $1 ORDER BY r.id",
        )
        .bind(opportunity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn task(
        &self,
        id: i64,
    ) -> crate::db::StoreResult<Option<crate::db::opportunities::TaskItem>> {
        Ok(sqlx::query_as(&format!("{TASK_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip(self, query))]
    async fn tasks(
        &self,
        user_id: i64,
        query: &crate::db::opportunities::TaskQuery,
    ) -> crate::db::StoreResult<Vec<crate::db::opportunities::TaskItem>> {
        use crate::db::customers::like_escape;
        use crate::db::opportunities::TaskFilter;
        let mut qb = sqlx::QueryBuilder::<D>::new(TASK_SELECT);
        qb.push(" WHERE t.assignee_id = ").push_bind(user_id);
        // 已办 are the steps the user decided (a returned step closed by 重新提交 is not
        // a decision).
        const DECIDED: &str = "t.outcome IN ('approve_end', 'approve_forward', 'return')";
        match query.filter {
            TaskFilter::Todo => {
                qb.push(" AND t.open");
            }
            TaskFilter::Done => {
                qb.push(" AND NOT t.open AND ").push(DECIDED);
            }
            TaskFilter::All => {
                qb.push(" AND (t.open OR ").push(DECIDED).push(")");
            }
        }
        if let Some(t) = query
            .name_contains
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            qb.push(" AND LOWER(o.name) LIKE ")
                .push_bind(format!("%{}%", like_escape(&t.trim().to_lowercase())))
                .push(" ESCAPE '\\'");
        }
        if let Some(flow) = query.flow {
            qb.push(" AND t.flow = ").push_bind(flow.code());
        }
        if let Some(d) = query.from {
            qb.push(" AND t.created_at >= ")
                .push_bind(Self::day_start(d));
        }
        if let Some(d) = query.to {
            qb.push(" AND t.created_at < ")
                .push_bind(Self::day_start(d + chrono::Duration::days(1)));
        }
        if let Some(after) = query.after_id {
            qb.push(" AND t.id < ").push_bind(after);
        }
        qb.push(" ORDER BY t.id DESC LIMIT ")
            .push_bind(i64::from(query.limit.clamp(1, 200)));
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn held_task(&self, user_id: i64, opportunity_id: i64) -> crate::db::StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM tasks WHERE assignee_id = $1 AND opportunity_id = $2",
        )
        .bind(user_id)
        .bind(opportunity_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    async fn send_messages(
        &self,
        actor: &crate::db::Actor,
        messages: &[crate::db::opportunities::NewMessage],
    ) -> crate::db::StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for m in messages {
            Self::insert_message(&mut tx, m, actor.at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn messages(
        &self,
        user_id: i64,
        unread_only: bool,
        after_id: Option<i64>,
        limit: u32,
    ) -> crate::db::StoreResult<Vec<crate::db::opportunities::Message>> {
        let mut qb = sqlx::QueryBuilder::<D>::new(
            "SELECT id, kind, opportunity_id, customer_id, announcement_id, title, created_at, read_at
             FROM messages WHERE user_id = ",
        );
        qb.push_bind(user_id);
        if unread_only {
            qb.push(" AND read_at IS NULL");
        }
        if let Some(after) = after_id {
            qb.push(" AND id < ").push_bind(after);
        }
        qb.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 200)));
        Ok(D::built_as(&mut qb).fetch_all(&self.pool).await?)
    }

    async fn read_message(
        &self,
        user_id: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> crate::db::StoreResult<Option<crate::db::opportunities::Message>> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE messages SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let message = sqlx::query_as(
            "SELECT id, kind, opportunity_id, customer_id, announcement_id, title, created_at, read_at
             FROM messages WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(message)
    }

    async fn badge_counts(&self, user_id: i64) -> crate::db::StoreResult<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM tasks WHERE assignee_id = $1 AND open),
                    (SELECT COUNT(*) FROM messages WHERE user_id = $1 AND read_at IS NULL)",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn customer_deals(
        &self,
        customer_id: i64,
    ) -> crate::db::StoreResult<Vec<crate::db::opportunities::DealRow>> {
        Ok(sqlx::query_as(
            "SELECT o.id, o.name, o.status, o.stage, u.name AS owner_name,
                o.expected_amount_fen, s.amount_fen AS signed_amount_fen, o.created_at
             FROM opportunity_customers oc
             JOIN opportunities o ON o.id = oc.opportunity_id
             JOIN users u ON u.id = o.owner_id
             LEFT JOIN signings s ON s.opportunity_id = o.id AND o.status = 'signed'
             WHERE oc.customer_id = $1 AND o.status <> 'draft'
             ORDER BY o.id DESC",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn move_stage(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        version: i64,
        to: app::model::opportunity::Stage,
    ) -> crate::db::StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let before = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        let changed = sqlx::query(
            "UPDATE opportunities SET stage = $1, version = version + 1, updated_at = $2
             WHERE id = $3 AND version = $4",
        )
        .bind(to.code())
        .bind(actor.at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(crate::db::StoreError::Stale);
        }
        sqlx::query(
            "INSERT INTO stage_history (opportunity_id, from_stage, to_stage, actor_id, at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(before.stage.code())
        .bind(to.code())
        .bind(actor.user_id)
        .bind(actor.at)
        .execute(&mut *tx)
        .await?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "stage", "opportunity", id)
                .before(&serde_json::json!({ "stage": before.stage.code() }))
                .after(&serde_json::json!({ "stage": to.code() })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn stage_history(
        &self,
        id: i64,
    ) -> crate::db::StoreResult<Vec<crate::db::opportunities::StageChange>> {
        Ok(sqlx::query_as(
            "SELECT h.from_stage, h.to_stage, u.name AS actor_name, h.at
             FROM stage_history h JOIN users u ON u.id = h.actor_id
             WHERE h.opportunity_id = $1 ORDER BY h.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn signing(
        &self,
        id: i64,
    ) -> crate::db::StoreResult<Option<crate::db::opportunities::SigningInfo>> {
        #[allow(clippy::type_complexity)]
        let row: Option<(String, i64, String, Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT contract_no, amount_fen, signed_on, term, notes, attachment_id FROM signings WHERE opportunity_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(
            |(contract_no, amount, signed_on, term, notes, attachment_id)| {
                Some(crate::db::opportunities::SigningInfo {
                    contract_no,
                    amount: app::model::opportunity::Fen(amount),
                    signed_on: chrono::NaiveDate::parse_from_str(&signed_on, "%Y-%m-%d").ok()?,
                    term,
                    notes,
                    attachment_id,
                })
            },
        ))
    }

    async fn termination(
        &self,
        id: i64,
    ) -> crate::db::StoreResult<Option<crate::db::opportunities::TerminationInfo>> {
        let row: Option<(i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT reason_id, competitor_id, reason_text FROM terminations WHERE opportunity_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(reason_id, competitor_id, reason_text)| {
            crate::db::opportunities::TerminationInfo {
                reason_id,
                competitor_id,
                reason_text,
            }
        }))
    }

    async fn opportunity_shares(
        &self,
        id: i64,
    ) -> crate::db::StoreResult<Vec<(i64, String, bool)>> {
        Ok(sqlx::query_as(
            "SELECT s.user_id, u.name, s.collaborate FROM opportunity_shares s
             JOIN users u ON u.id = s.user_id WHERE s.opportunity_id = $1 ORDER BY u.name",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    #[tracing::instrument(skip(self, actor))]
    async fn share_opportunity(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        user_id: i64,
        collaborate: bool,
    ) -> crate::db::StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let o = Self::fetch_opportunity(&mut tx, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        sqlx::query(
            "INSERT INTO opportunity_shares (opportunity_id, user_id, collaborate, shared_by, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (opportunity_id, user_id) DO UPDATE SET collaborate = EXCLUDED.collaborate",
        )
        .bind(id)
        .bind(user_id)
        .bind(collaborate)
        .bind(actor.user_id)
        .bind(actor.at)
        .execute(&mut *tx)
        .await?;
        let message = crate::db::opportunities::NewMessage {
            user_id,
            kind: "shared",
            opportunity_id: Some(id),
            customer_id: None,
            title: o.fields.name.clone(),
        };
        Self::insert_message(&mut tx, &message, actor.at).await?;
        Self::append_audit(
            &mut tx,
            &crate::db::audit::AuditEntry::new(actor, "share", "opportunity", id)
                .after(&serde_json::json!({ "user_id": user_id, "collaborate": collaborate })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, actor))]
    async fn unshare_opportunity(
        &self,
        actor: &crate::db::Actor,
        id: i64,
        user_id: i64,
    ) -> crate::db::StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query(
            "DELETE FROM opportunity_shares WHERE opportunity_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed > 0 {
            Self::append_audit(
                &mut tx,
                &crate::db::audit::AuditEntry::new(actor, "unshare", "opportunity", id)
                    .before(&serde_json::json!({ "user_id": user_id })),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn customer_names(
        &self,
        scope: &crate::policy::scope::Scope,
        ids: &[i64],
    ) -> crate::db::StoreResult<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb =
            sqlx::QueryBuilder::<D>::new("SELECT c.id, c.name FROM customers c WHERE c.id IN (");
        let mut list = qb.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        qb.push(")");
        crate::db::customers::push_scope(&mut qb, scope);
        let found: std::collections::HashMap<i64, String> = D::built_as::<(i64, String)>(&mut qb)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect();
        let mut seen = std::collections::HashSet::new();
        Ok(ids
            .iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| found.get(id).map(|name| (*id, name.clone())))
            .collect())
    }

    async fn opportunity_customer_names(
        &self,
        opportunity_id: i64,
    ) -> crate::db::StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.name FROM opportunity_customers oc
             JOIN customers c ON c.id = oc.customer_id
             WHERE oc.opportunity_id = $1
             ORDER BY oc.is_primary DESC, oc.customer_id",
        )
        .bind(opportunity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn opportunity_people(&self, id: i64) -> crate::db::StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT owner_id FROM opportunities WHERE id = $1
             UNION SELECT assignee_id FROM tasks WHERE opportunity_id = $1
             UNION SELECT user_id FROM opportunity_shares WHERE opportunity_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn role_assignments(
        &self,
    ) -> crate::db::StoreResult<crate::db::opportunities::RoleAssignments> {
        Ok(crate::db::opportunities::RoleAssignments {
            roles: sqlx::query_as("SELECT user_id, role FROM user_roles")
                .fetch_all(&self.pool)
                .await?,
            industries: sqlx::query_as("SELECT user_id, industry_id FROM user_industries")
                .fetch_all(&self.pool)
                .await?,
        })
    }
}

/// Reads and writes the methods above share, inside their connection or transaction.
impl<D> SqlStore<D>
where
    D: Dialect,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    for<'q> D::Arguments<'q>: IntoArguments<'q, D>,
    for<'n> &'n str: ColumnIndex<D::Row> + Encode<'n, D> + Type<D>,
    usize: ColumnIndex<D::Row>,
    i64: Value<D>,
    Option<i64>: Value<D>,
    bool: Value<D>,
    String: Value<D>,
    Option<String>: Value<D>,
    DateTime<Utc>: Value<D>,
    Option<DateTime<Utc>>: Value<D>,
    Vec<u8>: Value<D>,
    for<'b> &'b [u8]: Encode<'b, D> + Type<D>,
{
    /// Midnight of `d` in China time, as the instant stored times compare with.
    pub(in crate::db) fn day_start(d: chrono::NaiveDate) -> DateTime<Utc> {
        let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
        d.and_hms_opt(0, 0, 0)
            .expect("valid time")
            .and_local_timezone(cst)
            .single()
            .expect("no DST in China")
            .with_timezone(&chrono::Utc)
    }

    pub(in crate::db) async fn fetch_opportunity(
        conn: &mut D::Connection,
        id: i64,
    ) -> Result<Option<crate::db::opportunities::Opportunity>, sqlx::Error> {
        use crate::workflow::{OpenTask, TaskKind};
        use app::model::opportunity::Flow;
        let sql = format!(
            "SELECT {} FROM opportunities o WHERE o.id = $1",
            crate::db::opportunities::OPPORTUNITY_COLUMNS
        );
        let Some(row): Option<crate::db::opportunities::OpportunityRow> = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(None);
        };
        let customers: Vec<i64> = sqlx::query_scalar(
            "SELECT customer_id FROM opportunity_customers WHERE opportunity_id = $1
             ORDER BY is_primary DESC, customer_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let competitors: Vec<i64> = sqlx::query_scalar(
            "SELECT competitor_id FROM opportunity_competitors WHERE opportunity_id = $1 ORDER BY competitor_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let task: Option<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT id, assignee_id, flow, kind FROM tasks WHERE opportunity_id = $1 AND open",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let open_task = task.and_then(|(id, assignee_id, flow, kind)| {
            Some(OpenTask {
                id,
                assignee_id,
                flow: Flow::from_code(&flow)?,
                kind: TaskKind::from_code(&kind)?,
            })
        });
        Ok(Some(row.into_opportunity(
            customers,
            competitors,
            open_task,
        )))
    }

    /// The 行业 of the primary customer.
    pub(in crate::db) async fn primary_industry(
        conn: &mut D::Connection,
        fields: &crate::db::opportunities::OpportunityFields,
    ) -> Result<i64, crate::db::StoreError> {
        let primary = *fields
            .customer_ids
            .first()
            .ok_or(crate::db::StoreError::NotFound)?;
        sqlx::query_scalar("SELECT industry_id FROM customers WHERE id = $1")
            .bind(primary)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(crate::db::StoreError::NotFound)
    }

    /// Replaces the customers and competitors of an opportunity.
    pub(in crate::db) async fn write_relations(
        conn: &mut D::Connection,
        id: i64,
        f: &crate::db::opportunities::OpportunityFields,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM opportunity_customers WHERE opportunity_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for (i, customer) in f.customer_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO opportunity_customers (opportunity_id, customer_id, is_primary) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(customer)
            .bind(i == 0)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("DELETE FROM opportunity_competitors WHERE opportunity_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for competitor in &f.competitor_ids {
            sqlx::query("INSERT INTO opportunity_competitors (opportunity_id, competitor_id) VALUES ($1, $2)")
                .bind(id)
                .bind(competitor)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Writes the typed fields (not the version: the caller's compare-and-set does).
    pub(in crate::db) async fn write_fields(
        conn: &mut D::Connection,
        id: i64,
        f: &crate::db::opportunities::OpportunityFields,
        at: DateTime<Utc>,
    ) -> Result<(), crate::db::StoreError> {
        let industry_id = Self::primary_industry(conn, f).await?;
        sqlx::query(
            "UPDATE opportunities SET name = $1, business_type_id = $2, industry_id = $3,
                expected_amount_fen = $4, expected_sign_date = $5, win_probability = $6,
                description = $7, updated_at = $8
             WHERE id = $9",
        )
        .bind(&f.name)
        .bind(f.business_type_id)
        .bind(industry_id)
        .bind(f.expected_amount.map(|a| a.0))
        .bind(
            f.expected_sign_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
        )
        .bind(f.win_probability)
        .bind(&f.description)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Self::write_relations(conn, id, f).await?;
        Ok(())
    }

    pub(in crate::db) async fn insert_message(
        conn: &mut D::Connection,
        m: &crate::db::opportunities::NewMessage,
        at: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO messages (user_id, kind, opportunity_id, customer_id, title, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(m.user_id)
        .bind(m.kind)
        .bind(m.opportunity_id)
        .bind(m.customer_id)
        .bind(&m.title)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// One workflow step, inside the caller's transaction (see `apply_transition`).
    pub(in crate::db) async fn write_transition(
        conn: &mut D::Connection,
        actor: &crate::db::Actor,
        id: i64,
        t: &crate::db::opportunities::Transition<'_>,
    ) -> Result<crate::db::opportunities::Applied, crate::db::StoreError> {
        use app::model::opportunity::{Flow, RecordKind, Status};
        let outcome = t.outcome;
        let before = Self::fetch_opportunity(conn, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        if before.version != t.expected_version {
            return Err(crate::db::StoreError::Stale);
        }
        let changes = match t.fields {
            Some(fields) if *fields != before.fields => {
                Self::write_fields(conn, id, fields, actor.at).await?;
                Some(serde_json::json!({ "before": before.fields, "after": fields }).to_string())
            }
            _ => None,
        };
        if let Some(signing) = t.signing {
            sqlx::query(
                "INSERT INTO signings (opportunity_id, contract_no, amount_fen, signed_on, term, notes, updated_at, attachment_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (opportunity_id) DO UPDATE SET contract_no = EXCLUDED.contract_no,
                    amount_fen = EXCLUDED.amount_fen, signed_on = EXCLUDED.signed_on,
                    term = EXCLUDED.term, notes = EXCLUDED.notes, updated_at = EXCLUDED.updated_at,
                    attachment_id = EXCLUDED.attachment_id",
            )
            .bind(id)
            .bind(&signing.contract_no)
            .bind(signing.amount.0)
            .bind(signing.signed_on.format("%Y-%m-%d").to_string())
            .bind(&signing.term)
            .bind(&signing.notes)
            .bind(actor.at)
            .bind(signing.attachment_id)
            .execute(&mut *conn)
            .await?;
        }
        if let Some(end) = t.termination {
            sqlx::query(
                "INSERT INTO terminations (opportunity_id, reason_id, competitor_id, reason_text, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (opportunity_id) DO UPDATE SET reason_id = EXCLUDED.reason_id,
                    competitor_id = EXCLUDED.competitor_id, reason_text = EXCLUDED.reason_text,
                    updated_at = EXCLUDED.updated_at",
            )
            .bind(id)
            .bind(end.reason_id)
            .bind(end.competitor_id)
            .bind(&end.reason_text)
            .bind(actor.at)
            .execute(&mut *conn)
            .await?;
        }
        // An approved 签约 makes every customer of the opportunity a 交易客户.
        if outcome.flow == Flow::Signing && outcome.status == Status::Signed {
            let potential: Vec<i64> = sqlx::query_scalar(
                "SELECT c.id FROM customers c JOIN opportunity_customers oc ON oc.customer_id = c.id
                 WHERE oc.opportunity_id = $1 AND c.kind = 'potential'",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            for customer in potential {
                sqlx::query(
                    "UPDATE customers SET kind = 'transaction', version = version + 1, updated_at = $1 WHERE id = $2",
                )
                .bind(actor.at)
                .bind(customer)
                .execute(&mut *conn)
                .await?;
                Self::append_audit(
                    conn,
                    &crate::db::audit::AuditEntry::new(actor, "convert", "customer", customer)
                        .after(
                            &serde_json::json!({ "kind": "transaction", "signed_opportunity": id }),
                        ),
                )
                .await?;
            }
        }
        let first_submission = outcome.flow == Flow::Filing && outcome.record == RecordKind::Submit;
        let filed = outcome.flow == Flow::Filing && outcome.status == Status::Active;
        let changed = sqlx::query(
            "UPDATE opportunities SET status = $1, version = version + 1, updated_at = $2,
                submitted_at = CASE WHEN $3 AND submitted_at IS NULL THEN $2 ELSE submitted_at END,
                filed_at = CASE WHEN $4 THEN $2 ELSE filed_at END
             WHERE id = $5 AND version = $6",
        )
        .bind(outcome.status.code())
        .bind(actor.at)
        .bind(first_submission)
        .bind(filed)
        .bind(id)
        .bind(t.expected_version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(crate::db::StoreError::Stale);
        }
        if let Some(task_id) = outcome.close_task {
            let closed = sqlx::query(
                "UPDATE tasks SET open = FALSE, closed_at = $1, outcome = $2
                 WHERE id = $3 AND opportunity_id = $4 AND open",
            )
            .bind(actor.at)
            .bind(outcome.record.code())
            .bind(task_id)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if closed == 0 {
                return Err(crate::db::StoreError::Stale);
            }
        }
        let opened_task = match outcome.open_task {
            Some(task) => Some(
                sqlx::query_scalar(
                    "INSERT INTO tasks (opportunity_id, flow, kind, assignee_id, open, created_at)
                     VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id",
                )
                .bind(id)
                .bind(task.flow.code())
                .bind(task.kind.code())
                .bind(task.assignee_id)
                .bind(actor.at)
                .fetch_one(&mut *conn)
                .await?,
            ),
            None => None,
        };
        // The next approver a submission or forward named.
        let next_approver = outcome
            .open_task
            .filter(|task| task.kind == crate::workflow::TaskKind::Approve)
            .map(|task| task.assignee_id);
        let record_id: i64 = sqlx::query_scalar(
            "INSERT INTO approval_records (opportunity_id, task_id, flow, kind, actor_id, at,
                opinion, next_approver_id, changes_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(id)
        .bind(outcome.close_task.or(opened_task))
        .bind(outcome.flow.code())
        .bind(outcome.record.code())
        .bind(actor.user_id)
        .bind(actor.at)
        .bind(t.opinion.clone().filter(|o| !o.trim().is_empty()))
        .bind(next_approver)
        .bind(changes)
        .fetch_one(&mut *conn)
        .await?;
        let name = t
            .fields
            .map(|f| f.name.clone())
            .unwrap_or_else(|| before.fields.name.clone());
        for (user_id, kind) in &outcome.messages {
            let message = crate::db::opportunities::NewMessage {
                user_id: *user_id,
                kind: kind.code(),
                opportunity_id: Some(id),
                customer_id: None,
                title: name.clone(),
            };
            Self::insert_message(conn, &message, actor.at).await?;
        }
        let after = Self::fetch_opportunity(conn, id)
            .await?
            .ok_or(crate::db::StoreError::NotFound)?;
        Self::append_audit(
            conn,
            &crate::db::audit::AuditEntry::new(actor, outcome.record.code(), "opportunity", id)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(crate::db::opportunities::Applied {
            opened_task,
            record_id,
        })
    }
}

/// The columns of `TaskItem`, from tasks `t` with their opportunity `o` and its filer.
const TASK_SELECT: &str = "SELECT t.id, t.opportunity_id, o.name AS opportunity_name, t.flow, t.kind, t.assignee_id,
            t.open, t.created_at, t.closed_at, t.outcome, f.name AS filer_name
         FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id JOIN users f ON f.id = o.owner_id";
