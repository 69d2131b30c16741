//! Panel versus readers: a tool's two scores side by side, and the panel's
//! record per lens.

use async_graphql::{Context, Enum, Object, SimpleObject};

use crate::changes::Read;
use crate::domain::panel;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{reads, settings, Lens, PanelScore, Tool};

/// Whether the panel and the readers come down on the same side of a tool.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PanelReadersAgreement {
    /// Both ship it (over 50 %), or both skip it (under 50 %).
    Agree,
    /// One ships it and the other skips it.
    Disagree,
    /// One of them is split exactly in half (50 %).
    Undecided,
}

impl From<panel::Agreement> for PanelReadersAgreement {
    fn from(agreement: panel::Agreement) -> Self {
        match agreement {
            panel::Agreement::Agree => Self::Agree,
            panel::Agreement::Disagree => Self::Disagree,
            panel::Agreement::Undecided => Self::Undecided,
        }
    }
}

/// A tool's panel score beside its readers' score (critics versus audience).
#[derive(SimpleObject, Debug, Clone)]
pub struct PanelVersusReaders {
    /// The panel's SHIP percentage (`Tool.panel.shipPercent`).
    pub panel_percent: u32,
    /// The readers' SHIP percentage (`Tool.community.shipPercent`).
    pub readers_percent: u32,
    /// `panelPercent - readersPercent`: positive when the panel thinks more
    /// of the tool than its readers do. The catalogue's "most disputed"
    /// order (`ToolOrderField.DISPUTED`) sorts by its absolute value.
    pub gap: i32,
    /// Whether they come down on the same side.
    pub agreement: PanelReadersAgreement,
    /// Both in one sentence, as the tool page says it: "The panel mostly
    /// ships it (75 %); readers mostly skip it (30 %): they disagree by 45
    /// points."
    pub summary: String,
}

impl From<panel::Versus> for PanelVersusReaders {
    fn from(versus: panel::Versus) -> Self {
        PanelVersusReaders {
            panel_percent: versus.panel,
            readers_percent: versus.readers,
            gap: versus.gap(),
            agreement: versus.agreement().into(),
            summary: versus.summary(),
        }
    }
}

/// One lens's record across the published catalogue.
pub struct LensRecord(pub panel::LensRecord);

/// How one lens of the panel judges: how often it ships, and how often it
/// says what the readers say.
#[Object]
impl LensRecord {
    /// The lens.
    async fn lens(&self) -> Lens {
        self.0.lens.into()
    }

    /// Panel members judging through it.
    async fn reviewers(&self) -> u32 {
        self.0.reviewers
    }

    /// Its published reviews of published tools, SHIP and SKIP, with the
    /// share that ships (`shipPercent`, the score formula).
    async fn verdicts(&self) -> PanelScore {
        self.0.verdicts.into()
    }

    /// Of its reviews, those of tools whose readers have a score (enough
    /// votes) that is not split exactly in half: the ones that can agree
    /// with the readers or not.
    async fn compared_with_readers(&self) -> u32 {
        self.0.compared
    }

    /// Of `comparedWithReaders`, the reviews whose verdict is what most of
    /// that tool's readers say.
    async fn agrees_with_readers(&self) -> u32 {
        self.0.agreed
    }

    /// `agreesWithReaders` as a percentage of `comparedWithReaders`
    /// (rounded as every score is); null when none can be compared.
    async fn agreement_percent(&self) -> Option<u32> {
        self.0.agreement_percent()
    }
}

/// A tool the panel is split on.
pub struct PanelSplit(pub panel::Split);

/// A tool whose reviewers do not agree, with the panel's tally.
#[Object]
impl PanelSplit {
    /// The tool.
    async fn tool(&self) -> Tool {
        Tool(self.0.tool.clone())
    }

    /// The panel's verdicts on it.
    async fn panel(&self) -> PanelScore {
        self.0.panel.into()
    }
}

/// The panel as a whole: its lenses' records and where it splits.
pub struct PanelRecord;

/// The expert panel's record across the published catalogue, computed from
/// the published reviews and the readers' counted votes.
#[Object]
impl PanelRecord {
    /// Every lens, in the panel's order (developer experience, competitive
    /// risk, strategic thesis, business case), lenses without reviews too.
    async fn lenses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LensRecord>> {
        reads(ctx).all([
            Read::PanelScores,
            Read::CommunityScores,
            Read::Tools,
            Read::Reviewers,
        ]);
        let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
        let records = panel::lenses(db, settings(ctx).min_community_votes)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(records.into_iter().map(LensRecord).collect())
    }

    /// The published tools that split the panel most: the larger the
    /// minority of their reviews, the earlier (a 2–2 split before a 3–1),
    /// then the more reviews, then by slug. Tools every reviewer agrees on
    /// are not listed.
    #[graphql(complexity = "1 + (first.clamp(0, 50) as usize).max(1) * child_complexity")]
    async fn split_tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "How many, 0 to 50.")] first: i32,
    ) -> async_graphql::Result<Vec<PanelSplit>> {
        if !(0..=50).contains(&first) {
            return Err(AppError::validation(
                "first",
                format!("must be between 0 and 50, got {first}"),
            ))
            .gql();
        }
        reads(ctx).all([Read::PanelScores, Read::Tools]);
        let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
        let splits = panel::split_tools(db, first as u64)
            .await
            .map_err(AppError::from)
            .gql()?;
        reads(ctx).tools(splits.iter().map(|s| s.tool.id));
        Ok(splits.into_iter().map(PanelSplit).collect())
    }
}
