//! The catalogue exchange format (`toolverdicts/v1`, described in
//! `docs/dataset.md`, with a JSON Schema in `docs/dataset.schema.json`):
//! `import` (idempotent, matched by slug, all or nothing) and `export` (the
//! same shape).

mod export;
mod format;
mod import;
mod validation;

use sea_orm::DbErr;

pub use export::export;
pub use format::{
    parse, CategoryRecord, ComparisonRecord, Dataset, FactRecord, PricingRecord, ReleaseRecord,
    ReviewRecord, ReviewerRecord, RevisionRecord, SuggestedFactRecord, ToolRecord, VoteRecord,
    FORMAT,
};
pub use import::{import, is_empty, ImportSummary};

/// Why an import was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The file is not JSON of this format.
    #[error("not a valid {FORMAT} file: {0}")]
    Parse(String),
    /// One item is wrong; `item` names it.
    #[error("{item}: {message}")]
    Invalid { item: String, message: String },
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

fn invalid(item: impl Into<String>, message: impl Into<String>) -> DatasetError {
    DatasetError::Invalid {
        item: item.into(),
        message: message.into(),
    }
}
