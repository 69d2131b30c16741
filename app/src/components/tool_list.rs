//! Tools as a list of rows: name, vendor, tagline, category, pricing and
//! both scores; optionally a "compare with" link per row.

use leptos::prelude::*;

use crate::components::score::percent_text;
use contract::operations::ToolRow;

/// A list of tools; with `compare_from`, each row links to its comparison
/// with that tool.
#[component]
pub fn ToolList(
    tools: Vec<ToolRow>,
    /// The slug and name of the tool the rows may be compared with.
    #[prop(optional)]
    compare_from: Option<(String, String)>,
) -> impl IntoView {
    view! {
        <ol class="tool-rows">
            {tools
                .into_iter()
                .map(|tool| {
                    let compare = compare_from.as_ref().map(|(slug, _)| {
                        view! {
                            <a class="compare-link" href=format!("/compare/{slug}-vs-{}", tool.slug)>
                                "Compare with this"
                                <span class="visually-hidden">{format!(": {}", tool.name)}</span>
                            </a>
                        }
                    });
                    let readers_note = if tool.community.ship_percent.is_none() {
                        format!("{} more votes needed", tool.community.missing_votes)
                    } else {
                        format!("{} votes", tool.community.total)
                    };
                    view! {
                        <li class="tool-row" data-tool=tool.slug.clone()>
                            <div class="tool-row-main">
                                <p class="tool-row-name">
                                    <a href=format!("/tools/{}", tool.slug)>{tool.name}</a>
                                    <span class="tool-row-vendor">" by " {tool.vendor}</span>
                                </p>
                                <p class="tool-row-tagline">{tool.tagline}</p>
                                <p class="tool-row-meta">
                                    <a href=format!("/categories/{}", tool.category.slug)>{tool.category.name}</a>
                                    " \u{b7} " {tool.pricing.entry} " \u{b7} " {tool.license}
                                </p>
                            </div>
                            <dl class="tool-row-scores">
                                <div title=format!("{} reviews", tool.panel.total)>
                                    <dt>"Panel"</dt>
                                    <dd>{percent_text(tool.panel.ship_percent)}</dd>
                                </div>
                                <div title=readers_note>
                                    <dt>"Readers"</dt>
                                    <dd>{percent_text(tool.community.ship_percent)}</dd>
                                </div>
                            </dl>
                            {compare}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
