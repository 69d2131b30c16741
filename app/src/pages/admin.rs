//! `/admin` (the editors' dashboard) and `/admin/sign-in`. Everything under
//! `/admin` sends visitors without a session to the sign-in page.

use contract::operations::{
    AdminDashboard, AdminDashboardData, AdminOutbox, AdminOutboxData, DraftComparison, DraftTool,
    Me, MeData, Operation,
};
use contract::Code;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::admin::{HeldVotesReview, PublishButton, SignInForm, SignOutButton};
use crate::components::ledger::when;
use crate::graphql::Backend;
use crate::pages::loaded::{loaded, Answer};
use crate::pages::not_found::{failure, NotFound, Unavailable};

/// The dashboard: counts, drafts waiting, recent changes, vote activity and anomalies.
#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Admin \u{b7} Verdicts"/>
        {admin_view::<AdminDashboard>(|data| {
            view! { <Dashboard data/> }.into_any()
        })}
    }
}

/// What every admin page's data says about the visitor.
pub(crate) trait SignedIn {
    /// Whether an editor is signed in.
    fn signed_in(&self) -> bool;
}

macro_rules! signed_in {
    ($($t:ty),*) => {
        $(impl SignedIn for $t {
            fn signed_in(&self) -> bool {
                self.me.is_some()
            }
        })*
    };
}

signed_in!(
    AdminDashboardData,
    MeData,
    contract::operations::AdminToolsData,
    contract::operations::AdminToolData,
    contract::operations::AdminNewToolData,
    contract::operations::AdminReviewersData,
    contract::operations::AdminReviewerData,
    contract::operations::AdminComparisonsData,
    contract::operations::AdminComparisonData,
    contract::operations::AdminNewComparisonData,
    contract::operations::AdminScorecardData,
    contract::operations::AdminWebhooksData,
    AdminOutboxData
);

/// An admin page: renders the data the operation `O` loaded for the visitor
/// (see [`crate::pages::loaded`]), or sends a visitor without a session to
/// the sign-in page.
pub(crate) fn admin_view<O: Operation>(render: impl FnOnce(O::Data) -> AnyView) -> impl IntoView
where
    O::Data: SignedIn + Clone,
{
    let backend = expect_context::<Backend>();
    let set_status = backend.0.status_setter();
    // The head first, as the page's own tags must come after it.
    let head = view! { <Meta name="robots" content="noindex"/> };
    let page = match loaded::<Answer<O>>() {
        Some(Ok(data)) if data.signed_in() => render(data),
        // Without a session `me` is null and the editors' fields refuse.
        Some(Ok(_)) => to_sign_in(&backend),
        Some(Err(error)) if error.code == Code::Unauthenticated => to_sign_in(&backend),
        Some(Err(error)) => failure(&error, &set_status),
        None => view! { <NotFound/> }.into_any(),
    };
    view! {
        {head}
        {page}
    }
}

/// Sends the visitor to the sign-in page (303), with a link for the rare client that stays.
pub(crate) fn to_sign_in(backend: &Backend) -> AnyView {
    backend.0.redirect("/admin/sign-in");
    view! {
        <main class="page message-page">
            <p>
                <a href="/admin/sign-in">"Sign in"</a>
                " to continue."
            </p>
        </main>
    }
    .into_any()
}

/// The top of every admin page: where it sits, its title, and the admin's sections.
#[component]
pub(crate) fn AdminHead(
    /// The section it belongs to, as `(label, path)`; none on the dashboard.
    #[prop(optional)]
    parent: Option<(&'static str, String)>,
    /// The item of that section this page belongs to, as `(name, path)`
    /// (a comparison, above its scorecard).
    #[prop(optional)]
    item: Option<(String, String)>,
    #[prop(into)] title: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let item = item.map(|(name, path)| view! { " / " <a href=path>{name}</a> });
    let eyebrow = match parent {
        Some((label, path)) => view! { <a href=path>{label}</a> {item} }.into_any(),
        None => "Admin".into_any(),
    };
    view! {
        <noscript>
            <p class="notice notice-error" data-testid="needs-javascript">
                "The admin\u{2019}s forms and buttons need JavaScript: turn it on before typing, or your changes cannot be sent. Signing out works without it."
            </p>
        </noscript>
        <nav class="admin-nav" aria-label="Admin">
            <a href="/admin">"Dashboard"</a>
            <a href="/admin/tools">"Tools"</a>
            <a href="/admin/reviewers">"Reviewers"</a>
            <a href="/admin/comparisons">"Comparisons"</a>
            <a href="/admin/outbox">"Outbox"</a>
            <a href="/admin/webhooks">"Webhooks"</a>
        </nav>
        <header class="admin-head">
            <div>
                <p class="eyebrow">{eyebrow}</p>
                <h1>{title}</h1>
            </div>
            {children.map(|c| c())}
        </header>
    }
}

/// "Created." on the edit page a new item's form leads to (`?created=1`):
/// a fixed sentence, so nothing in the address is ever shown.
#[component]
pub(crate) fn CreatedNotice(
    /// `tool`, `reviewer` or `comparison`.
    what: &'static str,
) -> impl IntoView {
    let created = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("created")
        .is_some();
    let next = match what {
        "reviewer" => "Readers see them on the panel once they have a published review.",
        "comparison" => "It is a draft: write its scorecard, then publish it.",
        _ => "It is a draft: publish it when it is ready.",
    };
    created.then(|| {
        view! {
            <p class="notice" role="status" data-testid="created">
                <strong>"Created."</strong>
                " "
                {next}
            </p>
        }
    })
}

/// An admin list's search text, as the address has it (`?q=`).
pub(crate) fn list_search() -> String {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("q")
        .unwrap_or_default()
}

/// A search box over an admin list.
#[component]
pub(crate) fn ListSearch(
    /// Where the list lives (`/admin/tools`).
    action: &'static str,
    /// What the box says it searches.
    placeholder: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <form class="search" method="get" action=action role="search">
            <label for="q" class="visually-hidden">"Search"</label>
            <input id="q" name="q" type="search" placeholder=placeholder value=value/>
            <button class="button" type="submit">"Search"</button>
        </form>
    }
}

/// The link to the next page of an admin list, when there is one.
pub(crate) fn next_page(path: &str, search: &str, cursor: Option<String>) -> impl IntoView {
    cursor.map(|cursor| {
        view! {
            <p>
                <a class="button" href=format!("{path}?q={}&after={}", encode(search), encode(&cursor))>
                    "Next page"
                </a>
            </p>
        }
    })
}

/// Percent-encodes a query value.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What waits to be published.
struct Drafts {
    tools: Vec<DraftTool>,
    comparisons: Vec<DraftComparison>,
}

#[component]
fn Dashboard(data: AdminDashboardData) -> impl IntoView {
    let email = data.me.map(|m| m.email).unwrap_or_default();
    let subscribers = data.subscriber_counts;
    let stats = data.catalogue_stats.map(|s| {
        view! {
            <ul class="stat-grid" aria-label="The catalogue">
                <li><span class="split-count">{s.tools}</span><span class="split-label">"tools"</span></li>
                <li><span class="split-count">{s.comparisons}</span><span class="split-label">"comparisons"</span></li>
                <li><span class="split-count">{s.reviews}</span><span class="split-label">"reviews"</span></li>
                <li><span class="split-count">{s.votes}</span><span class="split-label">"reader votes"</span></li>
                <li><span class="split-count">{s.picks}</span><span class="split-label">"reader picks"</span></li>
                {subscribers.map(|c| view! {
                    <li>
                        <a href="/admin/outbox" class="stat-link">
                            <span class="split-count">{c.confirmed}</span>
                            <span class="split-label">"subscribers"</span>
                        </a>
                    </li>
                })}
            </ul>
        }
    });
    let drafts = Drafts {
        tools: data.draft_tools.map(|page| page.nodes).unwrap_or_default(),
        comparisons: data
            .draft_comparisons
            .map(|page| page.nodes)
            .unwrap_or_default(),
    };
    let no_drafts = (drafts.tools.is_empty() && drafts.comparisons.is_empty())
        .then(|| view! { <p class="empty">"Nothing waits to be published."</p> });
    let draft_tools = drafts
        .tools
        .into_iter()
        .map(|t| {
            view! {
                <li class="draft" data-draft=t.slug.clone()>
                    <span><strong>{t.name}</strong> " \u{b7} tool by " {t.vendor}</span>
                    <PublishButton kind="tool".to_owned() slug=t.slug.clone() published=false/>
                </li>
            }
        })
        .collect_view();
    let draft_comparisons = drafts
        .comparisons
        .into_iter()
        .map(|c| {
            view! {
                <li class="draft" data-draft=c.slug.clone()>
                    <span><strong>{c.title}</strong> " \u{b7} comparison"</span>
                    <PublishButton kind="comparison".to_owned() slug=c.slug.clone() published=false/>
                </li>
            }
        })
        .collect_view();
    let audit_log = data
        .audit_entries
        .map(|page| page.nodes)
        .unwrap_or_default();
    let no_changes = audit_log.is_empty();
    let audit = audit_log
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{a.at.chars().take(16).collect::<String>().replace('T', " ")}</td>
                    <td>{a.action.to_lowercase()}</td>
                    <td>{a.entity.to_lowercase()}</td>
                    <td><code>{a.key}</code></td>
                </tr>
            }
        })
        .collect_view();
    let anomalies = data.anomalies.map(|page| page.nodes).unwrap_or_default();
    let anomalies_view = if anomalies.is_empty() {
        view! { <p class="empty">"No unusual voting noticed."</p> }.into_any()
    } else {
        view! {
            <ul class="link-list">
                {anomalies
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                <code>{a.kind}</code> " \u{b7} " {a.subject} " \u{b7} " {a.hits} " votes"
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let pending: Vec<_> = data
        .integrity
        .map(|ledger| ledger.windows)
        .unwrap_or_default()
        .into_iter()
        .filter(|w| w.status == "PENDING")
        .collect();
    let review_view = if pending.is_empty() {
        view! { <p class="empty">"No votes wait for review."</p> }.into_any()
    } else {
        let rows = pending
            .into_iter()
            .map(|w| {
                let tool = match w.tool {
                    Some(tool) => view! { <a href=format!("/tools/{}#vote-integrity", tool.slug)>{tool.name}</a> }.into_any(),
                    None => view! { <span>"A draft tool"</span> }.into_any(),
                };
                let network = w.network.unwrap_or_default();
                let id = w.id.clone();
                view! {
                    <li class="window" data-window=w.id.clone() data-status="pending">
                        <p class="window-head"><strong>{tool}</strong></p>
                        <p class="window-meta">
                            <time datetime=w.starts_at.clone()>{when(&w.starts_at)}</time>
                            " \u{b7} network " <code>{network}</code>
                        </p>
                        <p class="window-counts">{format!("{} new voters; {} held", w.new_voters, w.held)}</p>
                        <HeldVotesReview window=id held=w.held/>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="window-list review-list-held">{rows}</ul> }.into_any()
    };
    let due = data.reviews_due.unwrap_or_default();
    let due_view = if due.is_empty() {
        view! { <p class="empty">"No review is due for a re-review."</p> }.into_any()
    } else {
        let rows = due
            .into_iter()
            .map(|r| {
                let reason = r
                    .stale
                    .as_ref()
                    .map(crate::components::provenance::stale_reason)
                    .unwrap_or_default();
                let version = r
                    .judged_version
                    .map(|v| format!(" \u{b7} {v}"))
                    .unwrap_or_default();
                view! {
                    <li class="due-review" data-due=format!("{}/{}", r.reviewer.slug, r.tool.slug)>
                        <p class="window-head">
                            <a href=format!("/tools/{}", r.tool.slug)><strong>{r.tool.name}</strong></a>
                            " \u{b7} " {r.reviewer.name} " "
                            <crate::components::score::VerdictBadge verdict=r.verdict/>
                        </p>
                        <p class="window-meta">
                            "Reviewed "
                            <time datetime=r.reviewed_on.clone()>{crate::components::provenance::day_text(&r.reviewed_on)}</time>
                            {format!("{version} \u{b7} due: {reason}")}
                        </p>
                        <p><a href=format!("/admin/tools/{}#scorecards", r.tool.slug)>"Edit the review"</a></p>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="window-list due-list">{rows}</ul> }.into_any()
    };
    let activity = data.recent_vote_activity.unwrap_or_default();
    let activity_view = if activity.is_empty() {
        view! { <p class="empty">"No reader voted in the last 24 hours."</p> }.into_any()
    } else {
        let rows = activity
            .into_iter()
            .map(|a| {
                view! {
                    <tr data-activity=a.tool.slug.clone()>
                        <td><a href=format!("/tools/{}", a.tool.slug)>{a.tool.name}</a></td>
                        <td class="num">{a.total}</td>
                        <td class="num">{a.ship}</td>
                        <td class="num">{a.skip}</td>
                        <td class="num">{a.withdrawn}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="audit">
                    <thead><tr><th>"Tool"</th><th class="num">"Votes"</th><th class="num">"SHIP"</th><th class="num">"SKIP"</th><th class="num">"Withdrawn"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let switched_off: Vec<_> = data
        .webhook_endpoints
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !e.enabled)
        .collect();
    let webhooks_notice = (!switched_off.is_empty()).then(|| {
        let items = switched_off
            .into_iter()
            .map(|e| {
                let reason = e.disabled_reason.unwrap_or_default();
                view! { <li><code>{e.url}</code> ": switched off " {reason} "."</li> }
            })
            .collect_view();
        view! {
            <section class="notice notice-error" role="status" data-testid="webhooks-switched-off">
                <p><strong>"Webhook endpoints switched off"</strong> " \u{2014} their events wait until an editor switches them on again on "
                    <a href="/admin/webhooks">"the webhooks page"</a> "."</p>
                <ul>{items}</ul>
            </section>
        }
    });
    view! {
        <main class="page admin">
            <AdminHead title="Dashboard">
                <div class="signed-in">"Signed in as " <strong data-testid="editor-email">{email}</strong> " \u{b7} " <SignOutButton/></div>
            </AdminHead>
            {webhooks_notice}
            {stats}
            <section aria-labelledby="drafts-title">
                <h2 id="drafts-title">"Drafts waiting"</h2>
                {no_drafts}
                <ul class="draft-list">{draft_tools} {draft_comparisons}</ul>
            </section>
            <section aria-labelledby="held-title">
                <h2 id="held-title">"Held votes to review"</h2>
                <p class="section-note">
                    "More new voters from one network than the counting rule counts. Release them if they are real readers, reject them if not: the reason is published on "
                    <a href="/integrity">"the integrity ledger"</a>
                    "."
                </p>
                {review_view}
            </section>
            <section aria-labelledby="rereview-title">
                <h2 id="rereview-title">"Re-review queue"</h2>
                <p class="section-note">
                    "Reviews older than the re-review age, or written before a release recorded for their tool, oldest first. Readers see \u{201c}re-review due\u{201d} on them; their verdicts still count."
                </p>
                {due_view}
            </section>
            <section aria-labelledby="audit-title">
                <h2 id="audit-title">"Recent changes"</h2>
                {if no_changes {
                    view! { <p class="empty">"No changes yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="audit">
                                <thead><tr><th>"When (UTC)"</th><th>"Action"</th><th>"What"</th><th>"Which"</th></tr></thead>
                                <tbody>{audit}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }}
            </section>
            <section aria-labelledby="activity-title">
                <h2 id="activity-title">"Votes in the last 24 hours"</h2>
                {activity_view}
            </section>
            <section aria-labelledby="anomalies-title">
                <h2 id="anomalies-title">"Vote anomalies"</h2>
                {anomalies_view}
            </section>
        </main>
    }
}

/// What a failed sign-in without JavaScript (`?error=…`) says.
fn sign_in_notice(error: &str) -> &'static str {
    match error {
        "wrong" => "That e-mail and password do not match.",
        "too-many" => "Too many attempts: wait a few minutes, then try again.",
        "incomplete" => "Type your e-mail and your password.",
        "failed" => "Signing in failed; please try again in a moment.",
        _ => "",
    }
}

/// The sign-in page; a signed-in editor goes straight on to the dashboard.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let notice =
        sign_in_notice(&query.read_untracked().get("error").unwrap_or_default()).to_owned();
    if matches!(loaded::<Answer<Me>>(), Some(Ok(MeData { me: Some(_) }))) {
        expect_context::<Backend>().0.redirect("/admin");
    }
    view! {
        <Title text="Sign in \u{b7} Verdicts admin"/>
        <Meta name="robots" content="noindex"/>
        <main class="page admin-sign-in">
            <p class="eyebrow">"Admin"</p>
            <h1>"Sign in"</h1>
            <p class="section-note">"For Verdicts editors. Readers need no account."</p>
            <SignInForm notice/>
        </main>
    }
}

/// `/admin/outbox`: every mail written, newest first, with the subscriber counts.
#[component]
pub fn AdminOutboxPage() -> impl IntoView {
    view! {
        <Title text="Outbox \u{b7} Verdicts admin"/>
        {admin_view::<AdminOutbox>(|data| {
            view! { <Outbox data/> }.into_any()
        })}
    }
}

#[component]
fn Outbox(data: AdminOutboxData) -> impl IntoView {
    let counts = data.subscriber_counts.map(|c| {
        view! {
            <ul class="stat-grid" aria-label="Subscribers">
                <li><span class="split-count">{c.confirmed}</span><span class="split-label">"confirmed"</span></li>
                <li><span class="split-count">{c.pending}</span><span class="split-label">"awaiting confirmation"</span></li>
                <li><span class="split-count">{c.unsubscribed}</span><span class="split-label">"unsubscribed"</span></li>
            </ul>
        }
    });
    let Some(page) = data.outbox else {
        return view! { <main class="page admin"><Unavailable/></main> }.into_any();
    };
    let next = page.next_cursor();
    let empty = page
        .edges
        .is_empty()
        .then(|| view! { <p class="empty">"No mail has been written yet."</p> });
    let mails = page
        .nodes()
        .map(|m| {
            let status = match m.status.as_str() {
                "SENT" => "sent",
                "FAILED" => "failed",
                _ => "queued",
            };
            let when = m.created_at.chars().take(16).collect::<String>().replace('T', " ");
            let error = m.last_error.map(|e| view! { <p class="form-error">"Last error: " {e}</p> });
            view! {
                <li class="mail" data-mail-status=status>
                    <details>
                        <summary>
                            <span class=format!("mail-status {status}")>{status}</span>
                            <strong>{m.subject}</strong>
                            <span class="mail-meta">" to " {m.to} " \u{b7} " {when} " UTC \u{b7} " {m.kind.to_lowercase()}</span>
                        </summary>
                        {error}
                        <pre class="mail-body">{m.body}</pre>
                    </details>
                </li>
            }
        })
        .collect_view();
    let more = next.map(|cursor| {
        view! {
            <p><a class="button" href=format!("/admin/outbox?after={}", encode(&cursor))>"Older mail"</a></p>
        }
    });
    view! {
        <main class="page admin">
            <AdminHead title="Outbox"/>
            {counts}
            <p class="section-note">
                "Mail is sent over SMTP when the server has "<code>"SMTP_URL"</code>
                "; without it, it waits here. "<code>"verdicts digest"</code>" writes the week\u{2019}s digest."
            </p>
            {empty}
            <ul class="mail-list">{mails}</ul>
            {more}
        </main>
    }
    .into_any()
}
