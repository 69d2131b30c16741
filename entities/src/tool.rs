//! `tools`: the AI products under review. A draft until `published_at` is set.

use sea_orm::entity::prelude::*;

use crate::PricingModel;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category_id: i64,
    pub tagline: String,
    pub description: String,
    pub license: String,
    pub pricing_model: PricingModel,
    pub pricing_entry: String,
    pub website_url: Option<String>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
