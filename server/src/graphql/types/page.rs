//! The connection types of every list: a page of items with their cursors,
//! where the page sits, and how long the whole list is.

use async_graphql::{connection::PageInfo, OutputType, SimpleObject};

use crate::graphql::types::{
    webhook::WebhookDelivery, AuditEntry, Category, Comparison, OutboxMail, Review, Reviewer, Tool,
    VoteAnomaly,
};

/// One item of a page, with the cursor that points at it.
#[derive(SimpleObject)]
#[graphql(
    concrete(name = "ToolEdge", params(Tool)),
    concrete(name = "ComparisonEdge", params(Comparison)),
    concrete(name = "ReviewerEdge", params(Reviewer)),
    concrete(name = "ReviewEdge", params(Review)),
    concrete(name = "CategoryEdge", params(Category)),
    concrete(name = "AuditEntryEdge", params(AuditEntry)),
    concrete(name = "VoteAnomalyEdge", params(VoteAnomaly)),
    concrete(name = "OutboxMailEdge", params(OutboxMail)),
    concrete(name = "WebhookDeliveryEdge", params(WebhookDelivery))
)]
pub struct Edge<N: OutputType> {
    /// Where this item sits: pass it as `after` or `before`.
    pub cursor: String,
    /// The item.
    pub node: N,
}

/// A page of a list: its items with their cursors, where the page sits,
/// and how many items the whole list holds.
#[derive(SimpleObject)]
#[graphql(
    concrete(name = "ToolConnection", params(Tool)),
    concrete(name = "ComparisonConnection", params(Comparison)),
    concrete(name = "ReviewerConnection", params(Reviewer)),
    concrete(name = "ReviewConnection", params(Review)),
    concrete(name = "CategoryConnection", params(Category)),
    concrete(name = "AuditEntryConnection", params(AuditEntry)),
    concrete(name = "VoteAnomalyConnection", params(VoteAnomaly)),
    concrete(name = "OutboxMailConnection", params(OutboxMail)),
    concrete(name = "WebhookDeliveryConnection", params(WebhookDelivery))
)]
pub struct Page<N: OutputType + Clone>
where
    Edge<N>: OutputType,
{
    /// Information to aid in pagination.
    pub page_info: PageInfo,
    /// The items, each with its cursor.
    pub edges: Vec<Edge<N>>,
    /// The items alone.
    pub nodes: Vec<N>,
    /// How many items the whole list holds (with the same filters), across
    /// every page.
    pub total_count: u64,
}

impl<N: OutputType + Clone> Page<N>
where
    Edge<N>: OutputType,
{
    /// A page of `(cursor, item)` pairs, in order.
    pub fn new(
        items: Vec<(String, N)>,
        has_previous_page: bool,
        has_next_page: bool,
        total_count: u64,
    ) -> Self {
        let page_info = PageInfo {
            has_previous_page,
            has_next_page,
            start_cursor: items.first().map(|(c, _)| c.clone()),
            end_cursor: items.last().map(|(c, _)| c.clone()),
        };
        let nodes = items.iter().map(|(_, n)| n.clone()).collect();
        let edges = items
            .into_iter()
            .map(|(cursor, node)| Edge { cursor, node })
            .collect();
        Page {
            page_info,
            edges,
            nodes,
            total_count,
        }
    }
}
