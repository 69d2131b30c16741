//! `panel`: the expert panel's record, lens by lens.

use async_graphql::Object;

use crate::graphql::types::PanelRecord;

/// Reads of the panel as a whole.
#[derive(Default)]
pub struct PanelQuery;

#[Object]
impl PanelQuery {
    /// The expert panel's record across the published catalogue: per lens,
    /// how often it ships and how often it agrees with the readers; and the
    /// tools that split the panel most. For the tools the panel and readers
    /// disagree on most, order `tools` by `DISPUTED`.
    async fn panel(&self) -> PanelRecord {
        PanelRecord
    }
}
