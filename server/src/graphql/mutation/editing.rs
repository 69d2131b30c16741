//! Editors' changes to the catalogue. Every mutation here needs a signed-in
//! editor (session with the CSRF header, or an API token); nothing is written
//! otherwise. Inputs are validated field by field (`VALIDATION` with
//! `extensions.field`).

use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use sea_orm::DatabaseConnection;

use crate::domain::editing::{
    self, CategoryInput, ComparisonInput, ReleaseInput, ReviewInput, ReviewerInput, ToolInput,
};
use crate::domain::facts::{FactInput, SuggestionInput};
use crate::error::GqlResultExt;
use crate::graphql::auth;
use crate::graphql::types::{
    Category, Comparison, FactKind, Lens, PricingModel, Review, Reviewer, Tool, ToolRelease,
    Verdict,
};

/// Editing the catalogue.
#[derive(Default)]
pub struct EditingMutation;

/// A category's fields.
#[derive(InputObject)]
#[graphql(name = "CategoryInput")]
pub struct CategoryFields {
    /// Its address: lowercase letters, digits and single hyphens.
    pub slug: String,
    /// Its name, up to 100 characters.
    pub name: String,
}

/// A tool's fields.
#[derive(InputObject)]
#[graphql(name = "ToolInput")]
pub struct ToolFields {
    /// Its address: lowercase letters, digits and single hyphens; empty:
    /// made from the name ("GitHub Copilot" is `github-copilot`).
    pub slug: String,
    /// Display name, up to 100 characters.
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// The slug of an existing category.
    pub category: String,
    /// One line, up to 200 characters.
    pub tagline: String,
    /// A few sentences.
    pub description: String,
    /// License name.
    pub license: String,
    /// Pricing model.
    pub pricing_model: PricingModel,
    /// Entry price as readers see it ("Free", "$20/mo").
    pub pricing_entry: String,
    /// The vendor's page, http(s).
    pub website_url: Option<String>,
}

/// A reviewer's fields.
#[derive(InputObject)]
#[graphql(name = "ReviewerInput")]
pub struct ReviewerFields {
    /// Their address: lowercase letters, digits and single hyphens; empty:
    /// made from the name.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// The lens they judge through: required (null or absent is refused
    /// with VALIDATION on `lens`, as an empty choice in a form is).
    pub lens: Option<Lens>,
    /// Who they are and what they look for.
    pub bio: String,
}

/// One reviewer's review of one tool.
#[derive(InputObject)]
#[graphql(name = "ReviewInput")]
pub struct ReviewFields {
    /// The tool's slug.
    pub tool: String,
    /// The reviewer's slug.
    pub reviewer: String,
    /// SHIP or SKIP.
    pub verdict: Verdict,
    /// The reasoning.
    pub body: String,
    /// Published now (true, the default) or kept as a draft.
    #[graphql(default = true)]
    pub published: bool,
    /// The tool's version or release it judged ("v2.1"), up to 40
    /// characters. Absent: unchanged (none for a new review); null or empty:
    /// none.
    pub judged_version: MaybeUndefined<String>,
    /// The day it was written, `YYYY-MM-DD`, not in the future. Absent:
    /// today for a new review, a changed verdict or a changed judged
    /// version; else the stored day (a corrected text keeps its day).
    pub reviewed_on: Option<String>,
}

/// A release of a tool, as editors record it.
#[derive(InputObject)]
#[graphql(name = "ToolReleaseInput")]
pub struct ReleaseFields {
    /// The tool's slug.
    pub tool: String,
    /// As the vendor names it ("v3.0"), up to 40 characters; one per tool.
    pub version: String,
    /// The day it came out, `YYYY-MM-DD`, not in the future.
    pub released_on: String,
    /// What changed, in a line (up to 500 characters).
    pub note: Option<String>,
}

/// A comparison's fields.
#[derive(InputObject)]
#[graphql(name = "ComparisonInput")]
pub struct ComparisonFields {
    /// Its address: lowercase letters, digits and single hyphens; empty:
    /// made from the two tools' slugs (`cursor-vs-github-copilot`).
    pub slug: String,
    /// The editor's title; empty: the two tools' names ("Cursor vs GitHub
    /// Copilot").
    pub title: String,
    /// The editor's summary.
    pub summary: String,
    /// The left tool's slug.
    pub left: String,
    /// The right tool's slug (a different tool).
    pub right: String,
    /// The editor's one-line verdict shown atop the page (1 to 160
    /// characters, no line breaks); null or absent for none.
    pub verdict_line: Option<String>,
    /// Who wrote the verdict, shown as its byline (1 to 100 characters, no
    /// line breaks); null or absent for none.
    pub byline: Option<String>,
}

/// One fact about a tool, as an editor records it.
#[derive(InputObject)]
#[graphql(name = "ToolFactInput")]
pub struct FactFields {
    /// What the fact is ("Context window"): one line, up to 60
    /// characters, unique per tool ignoring case.
    pub label: String,
    /// What its value is.
    pub kind: FactKind,
    /// The value as typed: TEXT one line up to 300 characters; NUMBER a
    /// finite number ("128000", "128,000", "0.5", "1e6"), at most 1e15
    /// either way; BOOLEAN yes/no or true/false; LIST its items separated
    /// by commas (or give `items`).
    pub value: Option<String>,
    /// A LIST's items, one each (1 to 20, each one line up to 60
    /// characters); only for LIST, instead of `value`.
    pub items: Option<Vec<String>>,
    /// The unit ("tokens", "B"), up to 24 characters; null or empty for
    /// none. A BOOLEAN takes none.
    pub unit: Option<String>,
}

impl From<FactFields> for FactInput {
    fn from(f: FactFields) -> Self {
        FactInput {
            label: f.label,
            kind: Some(f.kind.into()),
            value: f.value,
            items: f.items,
            unit: f.unit,
        }
    }
}

/// A fact label a category suggests, as an editor sets it.
#[derive(InputObject)]
#[graphql(name = "SuggestedFactInput")]
pub struct SuggestionFields {
    /// The label ("Parameters"): one line, up to 60 characters, unique per
    /// category ignoring case.
    pub label: String,
    /// The kind its values take.
    pub kind: FactKind,
    /// The unit its values usually take ("B"), up to 24 characters; null or
    /// empty for none.
    pub unit: Option<String>,
}

impl From<SuggestionFields> for SuggestionInput {
    fn from(f: SuggestionFields) -> Self {
        SuggestionInput {
            label: f.label,
            kind: Some(f.kind.into()),
            unit: f.unit,
        }
    }
}

impl From<CategoryFields> for CategoryInput {
    fn from(f: CategoryFields) -> Self {
        CategoryInput {
            slug: f.slug,
            name: f.name,
        }
    }
}

impl From<ToolFields> for ToolInput {
    fn from(f: ToolFields) -> Self {
        ToolInput {
            slug: f.slug,
            name: f.name,
            vendor: f.vendor,
            category: f.category,
            tagline: f.tagline,
            description: f.description,
            license: f.license,
            pricing_model: f.pricing_model.into(),
            pricing_entry: f.pricing_entry,
            website_url: f.website_url,
        }
    }
}

impl From<ReviewerFields> for ReviewerInput {
    fn from(f: ReviewerFields) -> Self {
        ReviewerInput {
            slug: f.slug,
            name: f.name,
            lens: f.lens.map(Into::into),
            bio: f.bio,
        }
    }
}

impl From<ReviewFields> for ReviewInput {
    fn from(f: ReviewFields) -> Self {
        ReviewInput {
            tool: f.tool,
            reviewer: f.reviewer,
            verdict: f.verdict.into(),
            body: f.body,
            published: f.published,
            judged_version: match f.judged_version {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(text) => Some(Some(text)),
            },
            reviewed_on: f.reviewed_on,
        }
    }
}

impl From<ComparisonFields> for ComparisonInput {
    fn from(f: ComparisonFields) -> Self {
        ComparisonInput {
            slug: f.slug,
            title: f.title,
            summary: f.summary,
            left: f.left,
            right: f.right,
            verdict_line: f.verdict_line,
            byline: f.byline,
        }
    }
}

fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

#[Object]
impl EditingMutation {
    /// Creates a category.
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new item's fields.")] input: CategoryFields,
    ) -> async_graphql::Result<Category> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Category(
            editing::create_category(db(ctx), editor, input.into())
                .await
                .gql()?,
        ))
    }

    /// Updates the category with this slug.
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's slug.")] slug: String,
        #[graphql(
            desc = "Every field, as it should be after the change (the slug may change too)."
        )]
        input: CategoryFields,
    ) -> async_graphql::Result<Category> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Category(
            editing::update_category(db(ctx), editor, &slug, input.into())
                .await
                .gql()?,
        ))
    }

    /// Deletes a category no tool uses (else `CONFLICT`, naming the tools).
    async fn delete_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's slug.")] slug: String,
    ) -> async_graphql::Result<bool> {
        let editor = auth::editor_for_change(ctx)?;
        editing::delete_category(db(ctx), editor, &slug)
            .await
            .gql()?;
        Ok(true)
    }

    /// Creates a tool as a draft; `publishTool` shows it to readers.
    async fn create_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new item's fields.")] input: ToolFields,
    ) -> async_graphql::Result<Tool> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Tool(
            editing::create_tool(db(ctx), editor, input.into())
                .await
                .gql()?,
        ))
    }

    /// Updates the tool with this slug.
    async fn update_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
        #[graphql(
            desc = "Every field, as it should be after the change (the slug may change too)."
        )]
        input: ToolFields,
    ) -> async_graphql::Result<Tool> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Tool(
            editing::update_tool(db(ctx), editor, &slug, input.into())
                .await
                .gql()?,
        ))
    }

    /// Sets a tool's facts as a whole list, in the order given (an empty
    /// list clears them): all are saved or none. Each value is checked
    /// against its kind; problems name the item (`facts[2].value`); at
    /// most 40 facts, labels unique ignoring case.
    async fn set_tool_facts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
        #[graphql(desc = "Every fact, in order, as the tool should have them.")] facts: Vec<
            FactFields,
        >,
    ) -> async_graphql::Result<Tool> {
        let editor = auth::editor_for_change(ctx)?;
        let inputs = facts.into_iter().map(Into::into).collect();
        let (tool, _) = editing::set_tool_facts(db(ctx), editor, &slug, inputs)
            .await
            .gql()?;
        Ok(Tool(tool))
    }

    /// Sets the fact labels a category suggests for its tools, as a whole
    /// list in order (an empty list clears them): editors are offered these
    /// labels on its tools' facts, and facts tables list them first.
    /// Problems name the item (`suggestions[1].label`); at most 40.
    async fn set_category_suggested_facts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's slug.")] slug: String,
        #[graphql(desc = "Every suggested label, in order.")] suggestions: Vec<SuggestionFields>,
    ) -> async_graphql::Result<Category> {
        let editor = auth::editor_for_change(ctx)?;
        let inputs = suggestions.into_iter().map(Into::into).collect();
        let (category, _) = editing::set_category_suggested_facts(db(ctx), editor, &slug, inputs)
            .await
            .gql()?;
        Ok(Category(category))
    }

    /// Publishes a tool.
    async fn publish_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
    ) -> async_graphql::Result<Tool> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Tool(
            editing::set_tool_published(db(ctx), editor, &slug, true)
                .await
                .gql()?,
        ))
    }

    /// Unpublishes a tool: readers no longer see it or its comparisons.
    async fn unpublish_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
    ) -> async_graphql::Result<Tool> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Tool(
            editing::set_tool_published(db(ctx), editor, &slug, false)
                .await
                .gql()?,
        ))
    }

    /// Deletes a tool without reviews or comparisons (else `CONFLICT`, naming
    /// them); readers' votes and picks go too only with `cascadeVotes: true`.
    async fn delete_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
        #[graphql(default = false, desc = "Delete readers' votes on it too.")] cascade_votes: bool,
    ) -> async_graphql::Result<bool> {
        let editor = auth::editor_for_change(ctx)?;
        editing::delete_tool(db(ctx), editor, &slug, cascade_votes)
            .await
            .gql()?;
        Ok(true)
    }

    /// Creates a reviewer.
    async fn create_reviewer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new item's fields.")] input: ReviewerFields,
    ) -> async_graphql::Result<Reviewer> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Reviewer(
            editing::create_reviewer(db(ctx), editor, input.into())
                .await
                .gql()?,
        ))
    }

    /// Updates the reviewer with this slug.
    async fn update_reviewer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewer's slug.")] slug: String,
        #[graphql(
            desc = "Every field, as it should be after the change (the slug may change too)."
        )]
        input: ReviewerFields,
    ) -> async_graphql::Result<Reviewer> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Reviewer(
            editing::update_reviewer(db(ctx), editor, &slug, input.into())
                .await
                .gql()?,
        ))
    }

    /// Deletes a reviewer without reviews (else `CONFLICT`).
    async fn delete_reviewer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewer's slug.")] slug: String,
    ) -> async_graphql::Result<bool> {
        let editor = auth::editor_for_change(ctx)?;
        editing::delete_reviewer(db(ctx), editor, &slug)
            .await
            .gql()?;
        Ok(true)
    }

    /// Creates or replaces a reviewer's review of a tool (one per pair).
    async fn upsert_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: ReviewFields,
    ) -> async_graphql::Result<Review> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Review(
            editing::upsert_review(db(ctx), editor, input.into())
                .await
                .gql()?,
        ))
    }

    /// Creates or replaces several reviews at once, such as a comparison's
    /// whole scorecard: all are saved or none. Validation errors name the
    /// item (`input[3].body`); at most 200 reviews per call.
    async fn upsert_reviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviews, at most 200.")] input: Vec<ReviewFields>,
    ) -> async_graphql::Result<Vec<Review>> {
        let editor = auth::editor_for_change(ctx)?;
        let inputs = input.into_iter().map(Into::into).collect();
        let saved = editing::upsert_reviews(db(ctx), editor, inputs)
            .await
            .gql()?;
        Ok(saved.into_iter().map(Review).collect())
    }

    /// Deletes a reviewer's review of a tool.
    async fn delete_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewed tool's slug.")] tool: String,
        #[graphql(desc = "The reviewer's slug.")] reviewer: String,
    ) -> async_graphql::Result<bool> {
        let editor = auth::editor_for_change(ctx)?;
        editing::delete_review(db(ctx), editor, &tool, &reviewer)
            .await
            .gql()?;
        Ok(true)
    }

    /// Records a release of a tool: its reviews written before the release's
    /// day become due for a re-review (readers see "re-review due").
    async fn record_tool_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The release.")] input: ReleaseFields,
    ) -> async_graphql::Result<ToolRelease> {
        let editor = auth::editor_for_change(ctx)?;
        let input = ReleaseInput {
            tool: input.tool,
            version: input.version,
            released_on: input.released_on,
            note: input.note,
        };
        Ok(ToolRelease(
            editing::record_tool_release(db(ctx), editor, input)
                .await
                .gql()?,
        ))
    }

    /// Deletes a recorded release of a tool.
    async fn delete_tool_release(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
        #[graphql(desc = "The release's version, as recorded.")] version: String,
    ) -> async_graphql::Result<bool> {
        let editor = auth::editor_for_change(ctx)?;
        editing::delete_tool_release(db(ctx), editor, &tool, &version)
            .await
            .gql()?;
        Ok(true)
    }

    /// Creates a comparison as a draft; `publishComparison` shows it to readers.
    async fn create_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new item's fields.")] input: ComparisonFields,
    ) -> async_graphql::Result<Comparison> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Comparison::from_model(
            editing::create_comparison(db(ctx), editor, input.into())
                .await
                .gql()?,
        ))
    }

    /// Updates the comparison with this slug.
    async fn update_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
        #[graphql(
            desc = "Every field, as it should be after the change (the slug may change too)."
        )]
        input: ComparisonFields,
    ) -> async_graphql::Result<Comparison> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Comparison::from_model(
            editing::update_comparison(db(ctx), editor, &slug, input.into())
                .await
                .gql()?,
        ))
    }

    /// Publishes a comparison. Readers see it only with both its tools
    /// published: while one is a draft this is refused (`CONFLICT`, naming
    /// them), unless `withTools` publishes them with it.
    async fn publish_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
        #[graphql(
            default = false,
            desc = "Publish its tools too when they are drafts (all in one change)."
        )]
        with_tools: bool,
    ) -> async_graphql::Result<Comparison> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Comparison::from_model(
            editing::set_comparison_published(db(ctx), editor, &slug, true, with_tools)
                .await
                .gql()?,
        ))
    }

    /// Unpublishes a comparison.
    async fn unpublish_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
    ) -> async_graphql::Result<Comparison> {
        let editor = auth::editor_for_change(ctx)?;
        Ok(Comparison::from_model(
            editing::set_comparison_published(db(ctx), editor, &slug, false, false)
                .await
                .gql()?,
        ))
    }

    /// Deletes a comparison. Readers' picks belong to its pair of tools and
    /// stay (the pair's page `/compare/<left>-vs-<right>` shows them) unless
    /// `cascadePicks: true` deletes them too.
    async fn delete_comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
        #[graphql(
            default = false,
            desc = "Delete readers' picks between its two tools too."
        )]
        cascade_picks: bool,
    ) -> async_graphql::Result<bool> {
        let editor = auth::editor_for_change(ctx)?;
        editing::delete_comparison(db(ctx), editor, &slug, cascade_picks)
            .await
            .gql()?;
        Ok(true)
    }
}
