//! Tool facts as readers see them: one tool's list, and the facts table
//! that sets any number of tools side by side, aligned by label ("—" where
//! a tool has none). Server-rendered, no WebAssembly.

use contract::operations::{FactLine, FactRow};
use leptos::prelude::*;

/// What a facts table shows where a tool has no fact with the row's label.
pub const NO_FACT: &str = "\u{2014}";

/// A tool's facts, label beside value, in the editors' order.
#[component]
pub fn FactList(
    /// The facts, in order.
    facts: Vec<FactLine>,
) -> impl IntoView {
    (!facts.is_empty()).then(|| {
        let items = facts
            .into_iter()
            .map(|fact| {
                view! {
                    <div class="fact">
                        <dt>{fact.label}</dt>
                        <dd data-kind=fact.kind.to_lowercase()>{fact.display}</dd>
                    </div>
                }
            })
            .collect_view();
        view! {
            <section class="tool-facts" aria-labelledby="facts-title" data-testid="tool-facts">
                <h2 id="facts-title">"Facts"</h2>
                <dl class="fact-list">{items}</dl>
            </section>
        }
    })
}

/// Facts side by side: a row per label, a column per tool (`tools`: slug
/// and name, in the cells' order), "—" where a tool has none. Takes any
/// number of tools; wider than the screen, it scrolls sideways with the
/// labels kept in view.
#[component]
pub fn FactsTable(
    /// The tools, in column order: (slug, name).
    tools: Vec<(String, String)>,
    /// The rows, each with one cell per tool.
    rows: Vec<FactRow>,
) -> impl IntoView {
    let columns = tools.len();
    let heads = tools
        .into_iter()
        .map(|(slug, name)| {
            view! { <th scope="col"><a href=format!("/tools/{slug}")>{name}</a></th> }
        })
        .collect_view();
    let body = if rows.is_empty() {
        view! {
            <p class="empty">"Editors have not recorded facts for these tools yet."</p>
        }
        .into_any()
    } else {
        let rows = rows
            .into_iter()
            .map(|row| {
                let cells = (0..columns)
                    .map(|i| match row.cells.get(i).cloned().flatten() {
                        Some(cell) => view! { <td>{cell.display}</td> }.into_any(),
                        None => view! {
                            <td class="none"><span aria-hidden="true">{NO_FACT}</span><span class="visually-hidden">"Not recorded"</span></td>
                        }
                        .into_any(),
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{row.label}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap facts-wrap">
                <table class="facts-table" data-columns=columns.to_string()>
                    <thead>
                        <tr>
                            <th scope="col"><span class="visually-hidden">"Fact"</span></th>
                            {heads}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="facts-compare" aria-labelledby="facts-compare-title" data-testid="facts-table">
            <h2 id="facts-compare-title">"Facts side by side"</h2>
            <p class="section-note">"As editors recorded them; \u{2014} where a tool has none."</p>
            {body}
        </section>
    }
}
