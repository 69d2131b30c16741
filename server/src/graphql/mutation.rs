//! The root `Mutation`, merged from one object per area.

pub mod editing;
pub mod editor;
pub mod integrity;
pub mod newsletter;
pub mod vote;
pub mod webhook;

use async_graphql::MergedObject;

/// Every write the API offers.
#[derive(MergedObject, Default)]
pub struct Mutation(
    vote::VoteMutation,
    editor::EditorMutation,
    editing::EditingMutation,
    newsletter::NewsletterMutation,
    integrity::IntegrityMutation,
    webhook::WebhookMutation,
);
