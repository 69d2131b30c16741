//! A tool's card: what it is, both scores, price, license and the vote buttons.

use leptos::prelude::*;

use crate::components::{
    ledger::IntegrityNote,
    score::{panel_note, percent_text},
    vote::VoteBox,
};
use contract::operations::ToolCard as ToolCardData;

/// One tool, as shown side by side on a comparison or atop its own page.
#[component]
pub fn ToolCard(
    tool: ToolCardData,
    /// The page the no-JavaScript vote form sends the reader back to.
    return_to: String,
    /// Whether the name links to the tool's own page.
    #[prop(default = true)]
    link_name: bool,
) -> impl IntoView {
    let href = format!("/tools/{}", tool.slug);
    // Back to this very card after a vote without JavaScript.
    let return_to = format!("{return_to}#tool-{}", tool.slug);
    let name = tool.name.clone();
    let heading = if link_name {
        view! { <a href=href>{name}</a> }.into_any()
    } else {
        name.into_any()
    };
    let panel_percent = percent_text(tool.panel.ship_percent);
    let panel_note = panel_note(&tool.panel);
    let website = tool.website_url.clone().map(|url| {
        view! {
            <a class="website" href=url rel="noopener nofollow">
                "Website"
            </a>
        }
    });
    // The details are on the tool's own page: a link within it there.
    let details = if link_name {
        format!("/tools/{}#vote-integrity", tool.slug)
    } else {
        "#vote-integrity".to_owned()
    };
    let summary = tool.integrity.clone().and_then(|i| i.summary);
    view! {
        <article class="tool-card" id=format!("tool-{}", tool.slug) data-tool=tool.slug.clone()>
            <p class="eyebrow">{tool.category.name.clone()}</p>
            {if link_name {
                view! { <h2 class="tool-name">{heading}</h2> }.into_any()
            } else {
                view! { <h1 class="tool-name">{heading}</h1> }.into_any()
            }}
            <p class="vendor">"by " {tool.vendor.clone()}</p>
            <p class="tagline">{tool.tagline.clone()}</p>
            <div class="scores">
                <div class="score panel" data-testid="panel">
                    <span class="score-label">"Panel"</span>
                    <span class="score-value" data-testid="panel-percent">
                        {panel_percent}
                    </span>
                    <span class="score-note">{panel_note}</span>
                </div>
                <VoteBox
                    tool=tool.slug.clone()
                    tool_name=tool.name.clone()
                    community=tool.community.clone()
                    viewer_vote=tool.viewer_vote
                    return_to=return_to
                />
                <IntegrityNote summary details/>
            </div>
            <dl class="facts">
                <div>
                    <dt>"Price"</dt>
                    <dd>{tool.pricing.entry.clone()}</dd>
                </div>
                <div>
                    <dt>"License"</dt>
                    <dd>{tool.license.clone()}</dd>
                </div>
            </dl>
            <p class="description">{tool.description.clone()}</p>
            {website}
        </article>
    }
}
