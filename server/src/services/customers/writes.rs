//! The writes of 客户管理: customers, their contacts, 转交易客户 and 删除. Called by the form
//! handlers; each checks the right first (`policy::rights`), then the store writes and audits.

use super::*;

/// Writes: called by the form handlers, never by the `app` crate.
impl Services {
    /// Saves an edit made on `version`: every field refusal, or 「数据已被他人修改」 as the
    /// refusal of the form as a whole when someone saved in between.
    pub async fn update_customer(
        &self,
        viewer: &CurrentUser,
        id: i64,
        version: i64,
        form: &CustomerForm,
    ) -> Result<(), AppError> {
        let current = self.editable(viewer, id).await?;
        let mut new = self.checked(viewer, form, Some(current.owner_id)).await?;
        let (dept, owner) = (new.dept_id, new.owner_id);
        new.owner_id = current.owner_id;
        new.dept_id = current.dept_id;
        let changed =
            (dept != 0 && dept != current.dept_id) || (owner != 0 && owner != current.owner_id);
        if changed {
            // 负责部门 / 负责人 are the owner's and managers' to change, within their reach.
            if !may_share_customer(viewer, &current) {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "owner_id",
                    "field.invalid",
                )]));
            }
            let (d, o) = self.assignment(viewer, dept, owner).await?;
            new.dept_id = d;
            new.owner_id = o;
        }
        let now = self.clock.now();
        match self
            .store
            .update_customer(&Actor::user(viewer.id, now), id, version, &new)
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )])),
            Err(e) if e.is_customer_name_taken() => Err(AppError::Invalid(vec![FieldError::new(
                "name",
                "field.name_taken",
            )])),
            Err(e) => Err(internal(e)),
        }
    }

    /// Adds a 联系人 to a customer the viewer may edit.
    pub async fn create_contact(
        &self,
        viewer: &CurrentUser,
        customer_id: i64,
        form: &ContactForm,
    ) -> Result<(), AppError> {
        self.editable(viewer, customer_id).await?;
        let contact = form.parse().map_err(AppError::Invalid)?;
        let now = self.clock.now();
        self.store
            .create_contact(&Actor::user(viewer.id, now), customer_id, &contact)
            .await?;
        Ok(())
    }

    /// Saves a contact edit: its customer's id, or every field refusal.
    pub async fn update_contact(
        &self,
        viewer: &CurrentUser,
        id: i64,
        form: &ContactForm,
    ) -> Result<i64, AppError> {
        let contact = self.editable_contact(viewer, id).await?;
        let parsed = form.parse().map_err(AppError::Invalid)?;
        let now = self.clock.now();
        self.store
            .update_contact(&Actor::user(viewer.id, now), id, &parsed)
            .await?;
        Ok(contact.customer_id)
    }

    /// Deletes a contact: its customer's id.
    pub async fn delete_contact(&self, viewer: &CurrentUser, id: i64) -> Result<i64, AppError> {
        let contact = self.editable_contact(viewer, id).await?;
        let now = self.clock.now();
        self.store
            .delete_contact(&Actor::user(viewer.id, now), id)
            .await?;
        Ok(contact.customer_id)
    }

    /// 转交易客户.
    pub async fn convert_customer(&self, viewer: &CurrentUser, id: i64) -> Result<(), AppError> {
        self.editable(viewer, id).await?;
        let now = self.clock.now();
        self.store
            .convert_customer(&Actor::user(viewer.id, now), id)
            .await?;
        Ok(())
    }

    /// 删除, for those who may edit the customer.
    pub async fn delete_customer(&self, viewer: &CurrentUser, id: i64) -> Result<(), AppError> {
        self.store
            .customer(&Scope::of(viewer), id)
            .await?
            .filter(|c| may_delete_customer(viewer, c))
            .ok_or(AppError::Forbidden)?;
        let now = self.clock.now();
        match self
            .store
            .delete_customer(&Actor::user(viewer.id, now), id)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::CustomerHasOpportunities) => Err(AppError::Field {
                field: String::new(),
                message: "customer.has_opportunities".into(),
            }),
            Err(e) => Err(internal(e)),
        }
    }

    /// Adds a customer from a typed form: its id, or every field refusal.
    pub async fn create_customer(
        &self,
        viewer: &CurrentUser,
        form: &CustomerForm,
    ) -> Result<i64, AppError> {
        if !may_add_customer(viewer) {
            return Err(AppError::Forbidden);
        }
        let mut new = self.checked(viewer, form, None).await?;
        let (dept, owner) = self.assignment(viewer, new.dept_id, new.owner_id).await?;
        new.dept_id = dept;
        new.owner_id = owner;
        let now = self.clock.now();
        match self
            .store
            .create_customer(&Actor::user(viewer.id, now), &new, now)
            .await
        {
            Ok(created) => Ok(created.id),
            // Says only that the name is taken, nothing of the customer that holds it.
            Err(e) if e.is_customer_name_taken() => Err(AppError::Invalid(vec![FieldError::new(
                "name",
                "field.name_taken",
            )])),
            Err(e) => Err(internal(e)),
        }
    }
}
