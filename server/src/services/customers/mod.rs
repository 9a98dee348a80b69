//! 客户管理: who may add and see customers, and the checks a form passes before the store.

mod merge;
mod relations;
mod writes;

use super::{internal, Services};
use crate::db::activities::ActivitiesOf;
use crate::db::customers::{Customer, NewCustomer};
use crate::db::shares::Shared;
use crate::db::{Actor, DictKind, StoreError};
use crate::policy::rights::{may_add_customer, may_delete_customer, may_share_customer};
use crate::policy::scope::Scope;
use app::api::customers::{
    ContactEdit, ContactView, CustomerEdit, CustomerFormOptions, CustomerService, CustomerView,
    DealQuery, DealView, DealsPage,
};
use app::model::columns::DEAL_LIST;
use app::model::customer::ContactForm;
use app::model::customer::{CustomerForm, FieldError};
use app::model::lookup::PersonLookup;
use app::model::opportunity::Status;
use app::model::relation::{ContactGraph, RelationView};
use app::model::{AppError, CurrentUser};
use chrono::FixedOffset;

impl Services {
    pub(super) fn today(&self) -> chrono::NaiveDate {
        let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
        self.clock.now().with_timezone(&cst).date_naive()
    }

    /// (id, label) of each active item of dictionary `kind`, as `viewer`'s request sees them.
    pub(super) async fn dictionary_pairs(
        &self,
        viewer: &CurrentUser,
        kind: DictKind,
    ) -> Result<Vec<(i64, String)>, AppError> {
        Ok(self.people_seen_by(viewer).await?.dictionary_pairs(kind))
    }
}

impl Services {
    /// The choices of a customer's form (its dictionaries, the units in reach, the viewer as
    /// 负责人): the new form's and the edit form's.
    async fn customer_options(
        &self,
        viewer: &CurrentUser,
    ) -> Result<CustomerFormOptions, AppError> {
        let reach = self.reachable(viewer).await?;
        Ok(CustomerFormOptions {
            industries: self.dictionary_pairs(viewer, DictKind::Industry).await?,
            levels: self
                .dictionary_pairs(viewer, DictKind::CustomerLevel)
                .await?,
            today: self.today().format("%Y-%m-%d").to_string(),
            depts: reach.units.into_iter().map(|u| (u.id, u.name)).collect(),
            default_dept: viewer.org_unit_id,
            owner: PersonLookup {
                text: viewer.name.clone(),
                chosen: Some(viewer.id),
                ..Default::default()
            },
            can_assign: true,
        })
    }
}

#[async_trait::async_trait]
impl CustomerService for Services {
    /// The 添加客户 form (and 导入): only for who may add customers.
    async fn form_options(&self, viewer: &CurrentUser) -> Result<CustomerFormOptions, AppError> {
        if !may_add_customer(viewer) {
            return Err(AppError::Forbidden);
        }
        self.customer_options(viewer).await
    }

    async fn customer(&self, viewer: &CurrentUser, id: i64) -> Result<CustomerView, AppError> {
        let scope = Scope::of(viewer);
        let c = self
            .store
            .customer(&scope, id)
            .await?
            .ok_or(AppError::Forbidden)?;
        let label = |pairs: Vec<(i64, String)>, id: i64| {
            pairs
                .into_iter()
                .find(|(i, _)| *i == id)
                .map(|(_, l)| l)
                .unwrap_or_default()
        };
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        let owner = self.store.user(c.owner_id).await?;
        let dept = self.store.org_unit(c.dept_id).await?;
        let can_edit = self.may_edit(viewer, &c).await?;
        let can_delete = may_delete_customer(viewer, &c);
        let sharing = if may_share_customer(viewer, &c) {
            let of = Shared::Customer(c.id);
            let shares = self.store.shares(of).await?;
            Some(crate::services::shares::sharing(of, shares))
        } else {
            None
        };
        let contacts: Vec<ContactView> = self
            .store
            .contacts(&scope, c.id)
            .await?
            .into_iter()
            .map(|k| ContactView {
                id: k.id,
                name: k.name,
                title: k.title,
                department: k.department,
                phone: k.phone,
                mobile: k.mobile,
                email: k.email,
            })
            .collect();
        let deals = self.deal_views(c.id).await?;
        let activities = self
            .activity_list(
                viewer,
                ActivitiesOf::Customer(c.id),
                can_edit,
                &Default::default(),
            )
            .await?;
        let files = self
            .record_file_views(
                viewer,
                crate::db::attachments::AttachmentOwner::Customer(c.id),
                can_edit,
            )
            .await?;
        let graph = ContactGraph {
            contacts: contacts.iter().map(|k| (k.id, k.name.clone())).collect(),
            relations: self
                .store
                .relations(c.id)
                .await?
                .into_iter()
                .map(|r| RelationView {
                    id: r.id,
                    from: r.from_contact_id,
                    to: r.to_contact_id,
                    kind: r.kind,
                })
                .collect(),
            can_edit,
        };
        let outreach = self.outreach_log_views(c.id).await?;
        Ok(CustomerView {
            outreach,
            graph,
            files,
            deals,
            activities,
            id: c.id,
            name: c.name,
            industry: label(industries, c.industry_id),
            level: label(levels, c.level_id),
            kind: c.kind,
            owner: owner.map(|u| u.name).unwrap_or_default(),
            dept: dept.map(|d| d.name).unwrap_or_default(),
            registered_on: c.registered_on,
            website: c.website,
            phone: c.phone,
            fax: c.fax,
            can_edit,
            can_delete,
            contacts,
            sharing,
            address: c.address,
            notes: c.notes,
        })
    }

    async fn deals(
        &self,
        viewer: &CurrentUser,
        id: i64,
        query: &DealQuery,
    ) -> Result<DealsPage, AppError> {
        self.store
            .customer(&Scope::of(viewer), id)
            .await?
            .ok_or(AppError::Forbidden)?;
        let mut rows = self.deal_views(id).await?;
        if !query.group.is_empty() {
            rows.retain(|d| d.group == query.group);
        }
        let (key, descending) = match query.sort.strip_suffix("_desc") {
            Some(key) => (key, true),
            None => (query.sort.as_str(), false),
        };
        match key {
            "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
            "status" => rows.sort_by(|a, b| a.status.label_key().cmp(b.status.label_key())),
            "amount" => rows.sort_by_key(|d| d.expected_amount_fen),
            "quote" => rows.sort_by_key(|d| d.quote.map(|(_, fen)| fen)),
            "created" => rows.sort_by_key(|d| d.id),
            _ => {}
        }
        if descending {
            rows.reverse();
        }
        let columns = DEAL_LIST.visible(
            self.store
                .user_pref(viewer.id, &DEAL_LIST.pref_key())
                .await?
                .as_deref(),
        );
        Ok(DealsPage { rows, columns })
    }

    async fn copy_form(&self, viewer: &CurrentUser, id: i64) -> Result<CustomerForm, AppError> {
        let c = self
            .store
            .customer(&Scope::of(viewer), id)
            .await?
            .ok_or(AppError::Forbidden)?;
        // A copy is the viewer's own until they choose otherwise.
        let mut form = form_of(c, String::new());
        form.dept_id.clear();
        form.owner_id.clear();
        Ok(form)
    }

    async fn edit_form(&self, viewer: &CurrentUser, id: i64) -> Result<CustomerEdit, AppError> {
        let c = self
            .store
            .customer(&Scope::of(viewer), id)
            .await?
            .ok_or(AppError::Forbidden)?;
        if !self.may_edit(viewer, &c).await? {
            return Err(AppError::Forbidden);
        }
        let version = c.version;
        let registered_on = c.registered_on.clone();
        let mut options = self.customer_options(viewer).await?;
        options.can_assign = may_share_customer(viewer, &c);
        // The current 负责部门 / 负责人 stay choosable even when outside the viewer's reach.
        if !options.depts.iter().any(|(id, _)| *id == c.dept_id) {
            if let Some(unit) = self.store.org_unit(c.dept_id).await? {
                options.depts.push((unit.id, unit.name));
            }
        }
        options.default_dept = c.dept_id;
        options.owner = PersonLookup {
            // Read by id: the owner may be disabled since (not in the kept directory).
            text: self
                .store
                .user_names(&[c.owner_id])
                .await?
                .remove(&c.owner_id)
                .unwrap_or_default(),
            chosen: Some(c.owner_id),
            ..Default::default()
        };
        Ok(CustomerEdit {
            form: form_of(c, registered_on),
            version,
            options,
        })
    }

    async fn contact_form(&self, viewer: &CurrentUser, id: i64) -> Result<ContactEdit, AppError> {
        let contact = self.editable_contact(viewer, id).await?;
        let opt = |v: Option<String>| v.unwrap_or_default();
        Ok(ContactEdit {
            customer_id: contact.customer_id,
            form: ContactForm {
                name: contact.name,
                title: opt(contact.title),
                department: opt(contact.department),
                phone: opt(contact.phone),
                mobile: opt(contact.mobile),
                email: opt(contact.email),
                notes: opt(contact.notes),
            },
        })
    }
}

impl Services {
    /// 交易明细 of a customer (the caller has checked that the viewer sees the customer).
    async fn deal_views(&self, customer_id: i64) -> Result<Vec<DealView>, AppError> {
        Ok(self
            .store
            .customer_deals(customer_id)
            .await?
            .into_iter()
            .map(|d| {
                let group = match d.status {
                    Status::Signed => "signed",
                    Status::Terminated => "terminated",
                    Status::Voided => "voided",
                    _ => "active",
                };
                DealView {
                    id: d.id,
                    name: d.name,
                    status: d.status,
                    group: group.to_owned(),
                    stage: d.stage,
                    owner: d.owner_name,
                    expected_amount_fen: d.expected_amount_fen,
                    signed_amount_fen: d.signed_amount_fen,
                    created_on: d
                        .created_at
                        .with_timezone(&FixedOffset::east_opt(8 * 3600).expect("valid offset"))
                        .format("%Y-%m-%d")
                        .to_string(),
                    quote: d.quote_version.zip(d.quote_fen),
                }
            })
            .collect())
    }
}

impl Services {
    /// Whether `viewer`, who can see `c`, may edit it: its owner, a manager, or a user it is
    /// shared with as editable.
    /// Whether `viewer`, who can see `c`, may edit it (and its files).
    pub(crate) async fn may_edit_customer(
        &self,
        viewer: &CurrentUser,
        c: &Customer,
    ) -> Result<bool, AppError> {
        self.may_edit(viewer, c).await
    }

    pub(crate) async fn may_edit(
        &self,
        viewer: &CurrentUser,
        c: &Customer,
    ) -> Result<bool, AppError> {
        if may_share_customer(viewer, c) {
            return Ok(true);
        }
        self.shared_editable(viewer, Shared::Customer(c.id)).await
    }

    /// The customer, if `viewer` may see and edit it; `Forbidden` otherwise.
    pub(crate) async fn editable(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<Customer, AppError> {
        let c = self
            .store
            .customer(&Scope::of(viewer), id)
            .await?
            .ok_or(AppError::Forbidden)?;
        if self.may_edit(viewer, &c).await? {
            Ok(c)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The contact, if `viewer` may edit its customer; `Forbidden` otherwise (also when it does
    /// not exist).
    async fn editable_contact(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<crate::db::customers::Contact, AppError> {
        let contact = self.store.contact(id).await?.ok_or(AppError::Forbidden)?;
        self.editable(viewer, contact.customer_id).await?;
        Ok(contact)
    }

    /// A 添加客户 form checked field by field (for 导入, row by row).
    pub(crate) async fn checked_customer(
        &self,
        viewer: &CurrentUser,
        form: &CustomerForm,
    ) -> Result<NewCustomer, AppError> {
        self.checked(viewer, form, None).await
    }

    /// The (负责部门, 负责人) of a new customer, checked against the viewer's reach.
    pub(crate) async fn customer_assignment(
        &self,
        viewer: &CurrentUser,
        dept: i64,
        owner: i64,
    ) -> Result<(i64, i64), AppError> {
        self.assignment(viewer, dept, owner).await
    }

    /// The (负责部门, 负责人) a form asks for, checked against the viewer's reach: `0` for the
    /// owner is the viewer, `0` for the department the owner's own unit; the owner must
    /// belong to the department (or a unit under it).
    async fn assignment(
        &self,
        viewer: &CurrentUser,
        dept: i64,
        owner: i64,
    ) -> Result<(i64, i64), AppError> {
        let reach = self.reachable(viewer).await?;
        let owner = if owner == 0 { viewer.id } else { owner };
        let Some(owner_unit) = reach
            .users
            .iter()
            .find(|u| u.id == owner)
            .map(|u| u.org_unit_id)
        else {
            return Err(AppError::Invalid(vec![FieldError::new(
                "owner_id",
                "field.invalid",
            )]));
        };
        let dept = if dept == 0 { owner_unit } else { dept };
        if !reach.units.iter().any(|u| u.id == dept) {
            return Err(AppError::Invalid(vec![FieldError::new(
                "dept_id",
                "field.invalid",
            )]));
        }
        if !super::people::is_within(&reach.all_units, owner_unit, dept) {
            return Err(AppError::Invalid(vec![FieldError::new(
                "owner_id",
                "customer.owner_not_in_dept",
            )]));
        }
        Ok((dept, owner))
    }

    /// A typed form checked field by field, its dictionary choices against the dictionaries,
    /// and its 负责人 looked up among the viewer's reach (and `current`, an edit's owner);
    /// whether owner and department may be set so is the caller's to check.
    async fn checked(
        &self,
        viewer: &CurrentUser,
        form: &CustomerForm,
        current: Option<i64>,
    ) -> Result<NewCustomer, AppError> {
        let parsed = form.parse().map_err(AppError::Invalid)?;
        let owner = self
            .owner_field(viewer, parsed.owner_id, &form.owner, current)
            .await?;
        if let Some(key) = owner.error {
            return Err(AppError::Invalid(vec![FieldError::new("owner", &key)]));
        }
        let industries = self.dictionary_pairs(viewer, DictKind::Industry).await?;
        let levels = self
            .dictionary_pairs(viewer, DictKind::CustomerLevel)
            .await?;
        let mut errors = Vec::new();
        if !industries.iter().any(|(id, _)| *id == parsed.industry_id) {
            errors.push(FieldError::new("industry_id", "field.invalid"));
        }
        if !levels.iter().any(|(id, _)| *id == parsed.level_id) {
            errors.push(FieldError::new("level_id", "field.invalid"));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(NewCustomer {
            name: parsed.name,
            industry_id: parsed.industry_id,
            level_id: parsed.level_id,
            kind: parsed.kind,
            // 0: not chosen; `assignment` decides.
            owner_id: owner.chosen.unwrap_or(0),
            dept_id: parsed.dept_id.unwrap_or(0),
            registered_on: parsed.registered_on.unwrap_or_else(|| self.today()),
            website: parsed.website,
            phone: parsed.phone,
            fax: parsed.fax,
            address: parsed.address,
            notes: parsed.notes,
        })
    }
}

/// A stored customer as the form shows it.
fn form_of(c: Customer, registered_on: String) -> CustomerForm {
    let opt = |v: Option<String>| v.unwrap_or_default();
    CustomerForm {
        name: c.name,
        industry_id: c.industry_id.to_string(),
        level_id: c.level_id.to_string(),
        kind: c.kind.code().to_owned(),
        registered_on,
        dept_id: c.dept_id.to_string(),
        owner_id: c.owner_id.to_string(),
        owner: String::new(),
        website: opt(c.website),
        phone: opt(c.phone),
        fax: opt(c.fax),
        address: opt(c.address),
        notes: opt(c.notes),
    }
}
