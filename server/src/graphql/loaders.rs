//! DataLoaders: every relation of a list is fetched in one statement, whatever
//! the list's length. Created per request, so their caches never go stale.
//! Each records what it loaded (and what it filled other loaders with) in
//! the request's [`Reads`], for the cache.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entities::{
    category, category_fact_label, comparison, pick, review, review_revision, reviewer, tool,
    tool_fact, tool_release, tool_tally, vote, Verdict,
};
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, QueryFilter, QueryOrder,
};

use crate::changes::{Read, Reads};
use crate::domain::catalogue;
use crate::domain::scores::{self, Tallies};
use crate::voter::VoterSession;

/// Every loader of one request.
pub struct Loaders {
    /// Categories by id (also filled by [`ToolById`]).
    pub category: Arc<DataLoader<CategoryById, HashMapCache>>,
    /// Tools by id.
    pub tool: DataLoader<ToolById, HashMapCache>,
    /// Reviewers by id (also filled by [`ReviewsByTool`]).
    pub reviewer: Arc<DataLoader<ReviewerById, HashMapCache>>,
    /// Published reviews by tool id.
    pub reviews: DataLoader<ReviewsByTool, HashMapCache>,
    /// Published comparisons by tool id.
    pub comparisons: DataLoader<ComparisonsByTool, HashMapCache>,
    /// Panel and community tallies by tool id (also filled by [`ToolById`]).
    pub tallies: Arc<DataLoader<TalliesByTool, HashMapCache>>,
    /// Readers' picks by unordered pair of tool ids (tool id → picks).
    pub picks: DataLoader<PicksByPair, HashMapCache>,
    /// The requesting reader's picked tool id by unordered pair of tool ids.
    pub viewer_picks: DataLoader<ViewerPickByPair, HashMapCache>,
    /// The requesting reader's votes by tool id.
    pub viewer_votes: DataLoader<ViewerVoteByTool, HashMapCache>,
    /// The releases editors recorded, by tool id.
    pub releases: DataLoader<ReleasesByTool, HashMapCache>,
    /// Reviews' earlier verdicts, by review id.
    pub revisions: DataLoader<RevisionsByReview, HashMapCache>,
    /// Tools' facts, in order, by tool id.
    pub facts: DataLoader<FactsByTool, HashMapCache>,
    /// The fact labels a category suggests, in order, by category id.
    pub suggested_facts: DataLoader<SuggestedFactsByCategory, HashMapCache>,
}

impl Loaders {
    /// Fresh loaders over this pool, for this request's reader (their voter
    /// id is read when a viewer field loads, so a voter minted by the
    /// request's first vote is seen by what follows it); `drafts` lets a
    /// signed-in editor's previews reach draft tools; what they load is
    /// recorded in `reads`.
    pub fn new(
        db: DatabaseConnection,
        voter: Arc<VoterSession>,
        drafts: bool,
        reads: Arc<Reads>,
    ) -> Self {
        fn make<K, L>(loader: L) -> DataLoader<L, HashMapCache>
        where
            K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
            L: Loader<K>,
        {
            DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
        }
        let r = || reads.clone();
        let category = Arc::new(make(CategoryById(db.clone(), r())));
        let tallies = Arc::new(make(TalliesByTool(db.clone(), r())));
        let reviewer = Arc::new(make(ReviewerById(db.clone(), r())));
        Loaders {
            tool: make(ToolById {
                db: db.clone(),
                drafts,
                category: category.clone(),
                tallies: tallies.clone(),
                reads: r(),
            }),
            reviews: make(ReviewsByTool {
                db: db.clone(),
                reviewer: reviewer.clone(),
                reads: r(),
            }),
            category,
            reviewer,
            comparisons: make(ComparisonsByTool(db.clone(), r())),
            tallies,
            picks: make(PicksByPair(db.clone(), r())),
            viewer_picks: make(ViewerPickByPair {
                db: db.clone(),
                voter: voter.clone(),
                reads: r(),
            }),
            viewer_votes: make(ViewerVoteByTool {
                db: db.clone(),
                voter,
                reads: r(),
            }),
            releases: make(ReleasesByTool(db.clone(), r())),
            facts: make(FactsByTool(db.clone(), r())),
            suggested_facts: make(SuggestedFactsByCategory(db.clone(), r())),
            revisions: make(RevisionsByReview(db)),
        }
    }
}

impl Loaders {
    /// Forgets the votes and tallies loaded so far, after this request
    /// changed a vote: a later field of the same request reads the change.
    pub fn forget_votes(&self) {
        self.viewer_votes.clear::<i64>();
        self.tallies.clear::<i64>();
    }

    /// Forgets the picks loaded so far, after this request changed a pick.
    pub fn forget_picks(&self) {
        self.viewer_picks.clear::<(i64, i64)>();
        self.picks.clear::<(i64, i64)>();
    }
}

/// Loads `keys` at once, for a resolver that holds every key of a list: a
/// loader asked through `load_one`/`load_many` first waits a timer tick
/// (about 1–2 ms) to gather the keys of sibling fields. What it loaded
/// (and what the loader fills other loaders with) goes into the loaders'
/// caches, where the fields below find it without waiting. The keys do not
/// join the loader's pending batch: another root field of the same query
/// loading the same kind concurrently takes its own statement, so a root
/// whose query may share a loader with siblings (the catalogue list, asked
/// for beside `panel`) keeps `load_many`.
pub async fn load_now<K, L>(
    loader: &DataLoader<L, HashMapCache>,
    keys: &[K],
) -> Result<HashMap<K, L::Value>, L::Error>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K>,
{
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let values = loader.loader().load(keys).await?;
    loader
        .feed_many(values.iter().map(|(k, v)| (k.clone(), v.clone())))
        .await;
    Ok(values)
}

/// Gives every requested key a value (the empty one where the database had
/// none), so the loader's cache answers later requests for it too.
fn complete<K: Copy + Eq + std::hash::Hash, V: Default>(values: &mut HashMap<K, V>, keys: &[K]) {
    for key in keys {
        values.entry(*key).or_default();
    }
}

macro_rules! by_id_loader {
    ($name:ident, $entity:ident, $read:path) => {
        /// Loads rows by primary key.
        pub struct $name(DatabaseConnection, Arc<Reads>);

        impl Loader<i64> for $name {
            type Value = $entity::Model;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
                self.1.all(keys.iter().map(|id| $read(*id)));
                let rows = $entity::Entity::find()
                    .filter($entity::Column::Id.is_in(keys.iter().copied()))
                    .all(&self.0)
                    .await?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
}

by_id_loader!(CategoryById, category, Read::Category);
by_id_loader!(ReviewerById, reviewer, Read::Reviewer);

/// Adds every column of `E` to `select`, each named `{prefix}{column}`, for
/// [`FromQueryResult::from_query_result`] with that prefix: a row of a join
/// becomes one model of each table.
fn columns_of<E: EntityTrait + Default>(select: &mut SelectStatement, prefix: &str) {
    for column in E::Column::iter() {
        select.expr_as(
            Expr::col((E::default(), column)),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}

/// Loads tools by primary key: published ones, and drafts for editors.
/// Each comes with its category and its tallies in the same statement (a
/// page asks for them with nearly every tool), which fill those loaders.
pub struct ToolById {
    db: DatabaseConnection,
    drafts: bool,
    category: Arc<DataLoader<CategoryById, HashMapCache>>,
    tallies: Arc<DataLoader<TalliesByTool, HashMapCache>>,
    reads: Arc<Reads>,
}

impl Loader<i64> for ToolById {
    type Value = tool::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.reads.tools(keys.iter().copied());
        let mut select = Query::select();
        // The tool's own columns keep their names: SeaORM reads a prefixed
        // column by formatting its name anew for every row (`format!`), which
        // was a tenth of an uncached `Tools(first: 50)`'s instructions.
        columns_of::<tool::Entity>(&mut select, "");
        columns_of::<category::Entity>(&mut select, "c_");
        columns_of::<tool_tally::Entity>(&mut select, "s_");
        select
            .from(tool::Entity)
            .inner_join(
                category::Entity,
                Expr::col((category::Entity, category::Column::Id))
                    .equals((tool::Entity, tool::Column::CategoryId)),
            )
            .left_join(
                tool_tally::Entity,
                Expr::col((tool_tally::Entity, tool_tally::Column::ToolId))
                    .equals((tool::Entity, tool::Column::Id)),
            )
            .and_where(tool::Column::Id.is_in(keys.iter().copied()));
        if !self.drafts {
            select.and_where(catalogue::public::tool());
        }
        let rows = self.db.query_all(&select).await?;
        let (mut tools, mut categories, mut tallies) = (HashMap::new(), Vec::new(), Vec::new());
        for row in rows {
            let tool = tool::Model::from_query_result(&row, "")?;
            categories.push((
                tool.category_id,
                category::Model::from_query_result(&row, "c_")?,
            ));
            if let Some(kept) = tool_tally::Model::from_query_result_optional(&row, "s_")? {
                tallies.push((tool.id, Tallies::from(kept)));
            }
            tools.insert(tool.id, tool);
        }
        self.reads
            .all(categories.iter().map(|(id, _)| Read::Category(*id)));
        self.category.feed_many(categories).await;
        self.tallies.feed_many(tallies).await;
        Ok(tools)
    }
}

/// Loads each tool's published reviews, oldest first, with their reviewers
/// in the same statement (the scorecard shows both), which fill that loader.
pub struct ReviewsByTool {
    db: DatabaseConnection,
    reviewer: Arc<DataLoader<ReviewerById, HashMapCache>>,
    reads: Arc<Reads>,
}

impl Loader<i64> for ReviewsByTool {
    type Value = Vec<review::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.reads.tools(keys.iter().copied());
        let mut select = Query::select();
        // The review's columns keep their names (see `ToolById`).
        columns_of::<review::Entity>(&mut select, "");
        columns_of::<reviewer::Entity>(&mut select, "v_");
        select
            .from(review::Entity)
            .inner_join(
                reviewer::Entity,
                Expr::col((reviewer::Entity, reviewer::Column::Id))
                    .equals((review::Entity, review::Column::ReviewerId)),
            )
            .and_where(review::Column::ToolId.is_in(keys.iter().copied()))
            .and_where(catalogue::public::review())
            .order_by((review::Entity, review::Column::PublishedAt), Order::Asc)
            .order_by((review::Entity, review::Column::Id), Order::Asc);
        let rows = self.db.query_all(&select).await?;
        let mut by_tool: HashMap<i64, Vec<review::Model>> = HashMap::new();
        let mut reviewers = HashMap::new();
        for row in rows {
            let review = review::Model::from_query_result(&row, "")?;
            reviewers.insert(
                review.reviewer_id,
                reviewer::Model::from_query_result(&row, "v_")?,
            );
            by_tool.entry(review.tool_id).or_default().push(review);
        }
        self.reads
            .all(reviewers.keys().map(|id| Read::Reviewer(*id)));
        self.reviewer.feed_many(reviewers).await;
        complete(&mut by_tool, keys);
        Ok(by_tool)
    }
}

/// Loads the published comparisons each tool appears in, newest first.
pub struct ComparisonsByTool(DatabaseConnection, Arc<Reads>);

impl Loader<i64> for ComparisonsByTool {
    type Value = Vec<comparison::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        // Which comparisons a tool is in: any new one, or a tool published.
        self.1.all([Read::Comparisons, Read::Tools]);
        let rows = catalogue::comparisons::published_of_tools(&self.0, keys, None).await?;
        let mut by_tool: HashMap<i64, Vec<comparison::Model>> = HashMap::new();
        for row in rows {
            for id in [row.left_tool_id, row.right_tool_id] {
                if keys.contains(&id) {
                    by_tool.entry(id).or_default().push(row.clone());
                }
            }
        }
        complete(&mut by_tool, keys);
        Ok(by_tool)
    }
}

/// Loads each tool's panel and community tallies (one primary-key lookup
/// for all of them).
pub struct TalliesByTool(DatabaseConnection, Arc<Reads>);

impl Loader<i64> for TalliesByTool {
    type Value = Tallies;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.1.tools(keys.iter().copied());
        let mut tallies = scores::tallies(&self.0, keys).await?;
        complete(&mut tallies, keys);
        Ok(tallies)
    }
}

/// Loads the requesting reader's vote on each tool (nothing for a new reader).
pub struct ViewerVoteByTool {
    db: DatabaseConnection,
    voter: Arc<VoterSession>,
    reads: Arc<Reads>,
}

impl Loader<i64> for ViewerVoteByTool {
    type Value = Option<Verdict>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.reads.tools(keys.iter().copied());
        let mut votes: HashMap<i64, Option<Verdict>> = HashMap::new();
        if let Some(voter) = self.voter.current() {
            let rows = vote::Entity::find()
                .filter(vote::Column::Voter.eq(voter.as_str()))
                .filter(vote::Column::ToolId.is_in(keys.iter().copied()))
                .all(&self.db)
                .await?;
            votes.extend(rows.into_iter().map(|v| (v.tool_id, Some(v.verdict))));
        }
        complete(&mut votes, keys);
        Ok(votes)
    }
}

/// Loads the readers' picks between each unordered pair of tools (`pick::pair`).
pub struct PicksByPair(DatabaseConnection, Arc<Reads>);

impl Loader<(i64, i64)> for PicksByPair {
    type Value = HashMap<i64, u32>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[(i64, i64)],
    ) -> Result<HashMap<(i64, i64), Self::Value>, Self::Error> {
        self.1.tools(keys.iter().flat_map(|&(a, b)| [a, b]));
        let mut counts = scores::pick_counts(&self.0, keys).await?;
        complete(&mut counts, keys);
        Ok(counts)
    }
}

/// Loads the requesting reader's pick between each unordered pair of tools
/// (nothing for a new reader).
pub struct ViewerPickByPair {
    db: DatabaseConnection,
    voter: Arc<VoterSession>,
    reads: Arc<Reads>,
}

impl Loader<(i64, i64)> for ViewerPickByPair {
    type Value = i64;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[(i64, i64)],
    ) -> Result<HashMap<(i64, i64), Self::Value>, Self::Error> {
        self.reads.tools(keys.iter().flat_map(|&(a, b)| [a, b]));
        let Some(voter) = self.voter.current() else {
            return Ok(HashMap::new());
        };
        let rows = pick::Entity::find()
            .filter(pick::Column::Voter.eq(voter.as_str()))
            .filter(pick::Column::LowToolId.is_in(keys.iter().map(|k| k.0)))
            .filter(pick::Column::HighToolId.is_in(keys.iter().map(|k| k.1)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|p| ((p.low_tool_id, p.high_tool_id), p.tool_id))
            .filter(|(pair, _)| keys.contains(pair))
            .collect())
    }
}

/// Loads the releases editors recorded for each tool, latest first.
pub struct ReleasesByTool(DatabaseConnection, Arc<Reads>);

impl Loader<i64> for ReleasesByTool {
    type Value = Vec<tool_release::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.1.tools(keys.iter().copied());
        let rows = tool_release::Entity::find()
            .filter(tool_release::Column::ToolId.is_in(keys.iter().copied()))
            .order_by_desc(tool_release::Column::ReleasedOn)
            .order_by_desc(tool_release::Column::Id)
            .all(&self.0)
            .await?;
        let mut by_tool: HashMap<i64, Vec<tool_release::Model>> = HashMap::new();
        for row in rows {
            by_tool.entry(row.tool_id).or_default().push(row);
        }
        complete(&mut by_tool, keys);
        Ok(by_tool)
    }
}

/// Loads each review's earlier verdicts, newest first. What it reads is
/// recorded by the review's resolver, which knows the tool (a review's
/// history changes only with the review, in the same transaction).
pub struct RevisionsByReview(DatabaseConnection);

impl Loader<i64> for RevisionsByReview {
    type Value = Vec<review_revision::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = review_revision::Entity::find()
            .filter(review_revision::Column::ReviewId.is_in(keys.iter().copied()))
            .order_by_desc(review_revision::Column::ReplacedAt)
            .order_by_desc(review_revision::Column::Id)
            .all(&self.0)
            .await?;
        let mut by_review: HashMap<i64, Vec<review_revision::Model>> = HashMap::new();
        for row in rows {
            by_review.entry(row.review_id).or_default().push(row);
        }
        complete(&mut by_review, keys);
        Ok(by_review)
    }
}

/// Loads each tool's facts, in the tool's order.
pub struct FactsByTool(DatabaseConnection, Arc<Reads>);

impl Loader<i64> for FactsByTool {
    type Value = Vec<tool_fact::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.1.tools(keys.iter().copied());
        let mut by_tool = catalogue::tools::facts_of(&self.0, keys.iter().copied()).await?;
        complete(&mut by_tool, keys);
        Ok(by_tool)
    }
}

/// Loads the fact labels each category suggests, in order.
pub struct SuggestedFactsByCategory(DatabaseConnection, Arc<Reads>);

impl Loader<i64> for SuggestedFactsByCategory {
    type Value = Vec<category_fact_label::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        self.1.all(keys.iter().map(|id| Read::Category(*id)));
        let rows = category_fact_label::Entity::find()
            .filter(category_fact_label::Column::CategoryId.is_in(keys.iter().copied()))
            .order_by_asc(category_fact_label::Column::CategoryId)
            .order_by_asc(category_fact_label::Column::Position)
            .all(&self.0)
            .await?;
        let mut by_category: HashMap<i64, Vec<category_fact_label::Model>> = HashMap::new();
        for row in rows {
            by_category.entry(row.category_id).or_default().push(row);
        }
        complete(&mut by_category, keys);
        Ok(by_category)
    }
}
