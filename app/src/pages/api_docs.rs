//! `/api`: what the public API offers, how to authenticate, its limits and
//! error codes, and copy-paste examples. The tests run every example
//! against a real server, so they cannot rot.

use contract::Code;
use leptos::prelude::*;

/// Where the examples say the API lives; tests put a real address here.
pub const EXAMPLE_ORIGIN: &str = "https://verdicts.example";

/// One runnable example: a title, a shell command (curl) and a JavaScript
/// module (`fetch`) that do the same thing and print JSON.
pub struct Example {
    /// What it shows.
    pub title: &'static str,
    /// A POSIX shell command.
    pub curl: &'static str,
    /// An ES module for Node 18+ or a browser console.
    pub javascript: &'static str,
}

/// Every example on the page.
pub const EXAMPLES: &[Example] = &[
    Example {
        title: "A comparison with its scorecard",
        curl: r#"curl -s https://verdicts.example/graphql \
  -H 'content-type: application/json' \
  -d '{"query": "query Compare($slug: String!) { comparison(slug: $slug) { title left { name panel { shipPercent } } right { name panel { shipPercent } } scorecard { reviewer { name lens } left { verdict } right { verdict } } } }", "variables": {"slug": "claude-haiku-open-weights-vs-smolvlm-3b"}}'"#,
        javascript: r#"const response = await fetch("https://verdicts.example/graphql", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    query: `query Compare($slug: String!) {
      comparison(slug: $slug) {
        title
        left { name panel { shipPercent } }
        right { name panel { shipPercent } }
        scorecard { reviewer { name lens } left { verdict } right { verdict } }
      }
    }`,
    variables: { slug: "claude-haiku-open-weights-vs-smolvlm-3b" },
  }),
});
console.log(JSON.stringify(await response.json()));"#,
    },
    Example {
        title: "Free tools the panel likes, best first, with the total",
        curl: r#"curl -s https://verdicts.example/graphql \
  -H 'content-type: application/json' \
  -d '{"query": "{ tools(first: 5, filter: {pricingModel: FREE, minPanelScore: 50}, orderBy: {field: PANEL_SCORE}) { totalCount edges { cursor node { name panel { shipPercent } } } pageInfo { hasNextPage endCursor } } }"}'"#,
        javascript: r#"const query = `{
  tools(first: 5, filter: { pricingModel: FREE, minPanelScore: 50 }, orderBy: { field: PANEL_SCORE }) {
    totalCount
    edges { cursor node { name panel { shipPercent } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const response = await fetch("https://verdicts.example/graphql", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query }),
});
console.log(JSON.stringify(await response.json()));"#,
    },
    Example {
        title: "A cacheable GET, then anything again by its global id",
        curl: r#"curl -s -G https://verdicts.example/graphql \
  --data-urlencode 'query={ node(id: "VG9vbDox") { id ... on Tool { name vendor } } }' \
  -H 'accept: application/graphql-response+json'"#,
        javascript: r#"const url = new URL("https://verdicts.example/graphql");
url.searchParams.set("query", `{ tool(slug: "cursor") { id name } }`);
const first = await (await fetch(url)).json();
const id = first.data.tool.id;
url.searchParams.set("query", `query($id: ID!) { node(id: $id) { ... on Tool { name } } }`);
url.searchParams.set("variables", JSON.stringify({ id }));
const again = await fetch(url, { headers: { accept: "application/graphql-response+json" } });
console.log(JSON.stringify(await again.json()));"#,
    },
    Example {
        title: "How a tool's readers' votes were counted",
        curl: r#"curl -s https://verdicts.example/graphql \
  -H 'content-type: application/json' \
  -d '{"query": "{ tool(slug: \"cursor\") { community { shipPercent total } integrity { counted held rejected summary bySource { source counted held rejected } } } integrity { rule } }"}'"#,
        javascript: r#"const query = `{
  tool(slug: "cursor") {
    community { shipPercent total }
    integrity { counted held rejected summary bySource { source counted held rejected } }
  }
  integrity { rule }
}`;
const response = await fetch("https://verdicts.example/graphql", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query }),
});
console.log(JSON.stringify(await response.json()));"#,
    },
    Example {
        title: "A partner app votes for one of its users, who then changes the vote",
        curl: r#"curl -s https://verdicts.example/graphql \
  -H 'content-type: application/json' \
  -H "authorization: Bearer $VERDICTS_PARTNER_TOKEN" \
  -d '{"query": "mutation($user: String!) { castVote(tool: \"cursor\", verdict: SKIP, onBehalfOf: $user) { total } changed: castVote(tool: \"cursor\", verdict: SHIP, onBehalfOf: $user) { shipPercent total } }", "variables": {"user": "user-42"}}'"#,
        javascript: r#"const vote = (verdict) => fetch("https://verdicts.example/graphql", {
  method: "POST",
  headers: {
    "content-type": "application/json",
    authorization: `Bearer ${process.env.VERDICTS_PARTNER_TOKEN}`,
  },
  body: JSON.stringify({
    query: `mutation($user: String!, $verdict: Verdict!) {
      castVote(tool: "cursor", verdict: $verdict, onBehalfOf: $user) { shipPercent total }
    }`,
    variables: { user: "user-7", verdict },
  }),
});
await vote("SKIP");
console.log(JSON.stringify(await (await vote("SHIP")).json()));"#,
    },
];

/// Where the subscription example connects; tests put a real address here.
pub const EXAMPLE_WS_ORIGIN: &str = "wss://verdicts.example";

/// Live scores from Node with the `graphql-ws` and `ws` packages: prints
/// the first update (the score now) and stops.
pub const SUBSCRIPTION_EXAMPLE: &str = r#"import { createClient } from "graphql-ws";
import WebSocket from "ws";

const client = createClient({ url: "wss://verdicts.example/graphql/ws", webSocketImpl: WebSocket });
const updates = client.iterate({
  query: `subscription { communityScore(tool: "cursor") { ship skip total shipPercent } }`,
});
for await (const update of updates) {
  // The score now first, then one update after every vote on the tool.
  console.log(JSON.stringify(update));
  break; // keep looping to follow every change
}
await client.dispose();"#;

/// A webhook receiver in Node (no packages): checks the signature and the
/// timestamp of every delivery before it trusts it, prints the event and
/// answers 204. `WEBHOOK_SECRET` is the secret shown when the endpoint was
/// registered; `PORT` where it listens.
pub const WEBHOOK_RECEIVER_EXAMPLE: &str = r#"import { createServer } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";

// whsec_… as shown once when the endpoint was registered.
const key = Buffer.from(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ""), "base64");

function verified(headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  if (!id || !timestamp) return false;
  // A delivery older (or newer) than five minutes may be a replay: refuse it.
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 5 * 60) return false;
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return (headers["webhook-signature"] ?? "").split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    const given = Buffer.from(signature ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    if (!verified(request.headers, body)) {
      response.writeHead(401).end("bad signature");
      return;
    }
    // Deliveries come at least once: skip an `id` you have handled already.
    const event = JSON.parse(body);
    console.log(JSON.stringify(event));
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 8000));"#;

/// The events a webhook may carry, as `(type, when)`.
const WEBHOOK_EVENTS: &[(&str, &str)] = &[
    ("comparison.published", "A comparison was published. `data`: `comparison` (`id`, `slug`, `url`), its two `tools` (`id`, `slug`, `name`, `url`), `before` null, `after` its fields."),
    ("comparison.updated", "A published comparison's title, summary, slug or tools changed. `before` and `after`: `slug`, `title`, `summary`, `left`, `right`."),
    ("review.verdict_flipped", "A reviewer's published verdict on a tool went from SHIP to SKIP or back. `data`: `review` (`id`), `tool`, `reviewer` (`id`, `slug`, `name`, `url`), `before` and `after` (`verdict`)."),
    ("tool.community_score_available", "Enough readers voted for a tool's community score to show. `data`: `tool`, `before` (`communityScore`: null), `after` (`communityScore`, `votes`)."),
    ("tool.score_moved", "A tool's panel or community score moved by 5 points or more (the server's `--webhook-score-step`) since the last such event for it; scores are looked at once a minute per tool. `data`: `tool`, `score` (`panel` or `community`), `before` and `after` (`shipPercent`), `votes`."),
];

/// The limits and codes, as `(name, what it means)`.
const LIMITS: &[(&str, &str)] = &[
    ("Page size", "`first` or `last` from 0 to 100; 20 when neither is given. More is a VALIDATION error that names the cap."),
    ("Depth", "Queries nest at most 12 levels. Introspection (__schema, __type) is measured apart: 24 levels and 3 nested lists, enough for the standard introspection query of GraphQL tools."),
    ("Cost", "Each field costs 1 and a list's fields count once per item it may return; a query may cost at most 10,000. Every answer reports that estimate (`requestedQueryCost`) and what it returned (`actualQueryCost`, counted the same way over the items that came) in `extensions.cost`."),
    ("Aliases", "At most 30 per request."),
    ("Body", "At most 64 KB; larger bodies get 413."),
    ("Time", "A request runs at most 10 seconds; then it stops with TIMEOUT and 503."),
    ("Batching", "Off: send one operation per request."),
    ("Budget", "Each client (its API token, else its address) may spend 100,000 cost points a minute. A query is charged its estimate before it runs, and pays what it returned: a page of 100 that holds 10 gives the rest back. `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` say where it stands; past it, RATE_LIMITED with HTTP 429 and `Retry-After`."),
    ("Votes", "Readers' votes and picks are rate limited per reader and per address, a partner app's per app (3,600 an hour unless editors set its own): RATE_LIMITED, HTTP 429 and `Retry-After` (the wait until that limit's window ends; such a 429 carries none of the budget's `RateLimit-*` headers, which describe the budget alone)."),
    ("Counting", "Every vote is stored; at most 10 new voters per client network (an IPv4 address or an IPv6 /64), tool and hour count. Further votes are held until an editor releases or rejects them, or rejected after 14 days. `Tool.integrity` and `integrity` publish what was set aside and why."),
];

/// The stable error codes in `errors[].extensions.code`.
const CODES: &[(&str, &str)] = &[
    (Code::Validation.as_str(), "The request or an input is wrong; `extensions.field` names the input at fault."),
    (Code::NotFound.as_str(), "Nothing has that slug or id."),
    (Code::Unauthenticated.as_str(), "The change needs an editor's session or API token (HTTP 401)."),
    (Code::Forbidden.as_str(), "Signed in, but not allowed."),
    (Code::Conflict.as_str(), "The change clashes with existing data, such as a slug already taken."),
    (Code::RateLimited.as_str(), "Too many requests; `extensions.retryAfter` says how many seconds to wait (HTTP 429)."),
    (Code::Timeout.as_str(), "The request ran out of time (HTTP 503)."),
    (Code::PersistedQueryNotFound.as_str(), "The hash of an automatic persisted query is unknown here: send the query text with it once."),
    (Code::Internal.as_str(), "Our fault; the details are in our logs, not in the answer."),
];

fn with_code(text: &str) -> impl IntoView {
    // `code` spans in the tables, written between backticks.
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                view! { <code>{part.to_owned()}</code> }.into_any()
            } else {
                part.to_owned().into_any()
            }
        })
        .collect_view()
}

/// The API documentation.
#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let examples = EXAMPLES
        .iter()
        .enumerate()
        .map(|(i, example)| {
            let id = format!("example-{}", i + 1);
            let labelled_by = id.clone();
            view! {
                <section class="api-example" aria-labelledby=labelled_by>
                    <h3 id=id>{example.title}</h3>
                    <p class="code-label">"curl"</p>
                    <pre><code>{example.curl}</code></pre>
                    <p class="code-label">"JavaScript"</p>
                    <pre><code>{example.javascript}</code></pre>
                </section>
            }
        })
        .collect_view();
    let table = |rows: &'static [(&'static str, &'static str)], first: &'static str| {
        let rows = rows
            .iter()
            .map(|(name, meaning)| {
                view! {
                    <tr>
                        <th scope="row"><code>{*name}</code></th>
                        <td>{with_code(meaning)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="api-table">
                    <thead><tr><th scope="col">{first}</th><th scope="col">"Meaning"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    };
    view! {
        <crate::seo::Seo
            path="/api"
            title="The Verdicts API"
            description="Query Verdicts' tools, scores, reviews and comparisons over GraphQL: conventions, authentication, limits, error codes and runnable examples."
        />
        <main class="page api-docs">
            <p class="eyebrow">"For developers"</p>
            <h1>"The Verdicts API"</h1>
            <p class="summary">
                "Everything on Verdicts \u{2014} tools, the panel's verdicts, readers' scores and the comparisons \u{2014} is one GraphQL API at "
                <code>"/graphql"</code>
                ". Reading needs no key. Open "
                <a href="/graphql">"the explorer"</a>
                " to try queries in the browser; the schema, with a description on every field, is at "
                <a href="/graphql/schema.graphql"><code>"/graphql/schema.graphql"</code></a>
                "."
            </p>

            <h2>"Conventions"</h2>
            <ul class="api-list">
                <li>"Every entity has a global " <code>"id"</code> "; " <code>"node(id:)"</code> " and " <code>"nodes(ids:)"</code> " fetch it again."</li>
                <li>"Lists are connections: " <code>"first"</code> "/" <code>"after"</code> " forwards, " <code>"last"</code> "/" <code>"before"</code> " backwards, " <code>"edges { cursor node }"</code> ", " <code>"pageInfo"</code> " and " <code>"totalCount"</code> ". Cursors stay valid while tools are added."</li>
                <li><code>"tools"</code> " filters by category, pricing model, license, text and minimum panel or community score, and orders by name, panel score, community score or newest."</li>
                <li><code>"matchTool(name)"</code> " reads a name as a reader types it (" <code>"\"copilot\""</code> ", " <code>"\"Whisper\""</code> ", " <code>"\"GitHub Copilot\""</code> "): the one published tool it stands for, else " <code>"suggestions"</code> ", the closest tools."</li>
                <li>"Fields are deprecated with a reason before they go; the schema is versioned with the code."</li>
            </ul>

            <h2>"Transport"</h2>
            <ul class="api-list">
                <li>"GraphQL over HTTP: " <code>"POST"</code> " with " <code>"application/json"</code> ", or " <code>"GET"</code> " for queries (never mutations). Answers are " <code>"application/graphql-response+json"</code> " when you accept it, else " <code>"application/json"</code> "."</li>
                <li>"Anonymous " <code>"GET"</code> " answers carry an " <code>"ETag"</code> "; send it back in " <code>"If-None-Match"</code> " for a 304 while nothing changed."</li>
                <li>"Atom feeds: " <code>"/feed.xml"</code> " (new comparisons) and one per tool, reviewer and category (" <code>"/tools/<slug>/feed.xml"</code> ", " <code>"/reviewers/<slug>/feed.xml"</code> ", " <code>"/categories/<slug>/feed.xml"</code> ": verdicts given and flipped, new comparisons, the day a readers' score became available), each with " <code>"ETag"</code> " and " <code>"Last-Modified"</code> " for a 304."</li>
                <li>"Automatic persisted queries: send " <code>"extensions.persistedQuery"</code> " with the query's SHA-256 instead of its text."</li>
                <li>"CORS: any web page may query from its own origin. Cookies never cross origins."</li>
            </ul>

            <h2>"Authentication"</h2>
            <p>
                "Reading is open. Changes are for editors: in the browser through the admin's session, and from scripts with an API token that an editor creates ("
                <code>"createApiToken"</code>
                ") and sends as "
                <code>"Authorization: Bearer <token>"</code>
                ". The secret is shown once; revoke a token with "
                <code>"revokeApiToken"</code>
                "."
            </p>

            <h2 id="voting">"Voting"</h2>
            <ul class="api-list">
                <li>"A reader votes with " <code>"castVote(tool, verdict)"</code> " and takes it back with " <code>"withdrawVote(tool)"</code> ", over " <code>"POST"</code> ". The first vote sets a signed voter cookie (" <code>"HttpOnly"</code> ", " <code>"SameSite=Lax"</code> "); later votes with it change that reader's vote. Without the cookie every vote is a new reader's."</li>
                <li>"A partner app votes for its own users: an editor creates the app's token with " <code>"createApiToken(name, partner: true, voteQuota)"</code> ", and the app sends " <code>"castVote(tool, verdict, onBehalfOf: \"its user id\")"</code> " with " <code>"Authorization: Bearer"</code> ". Each user has one vote per tool that the app can change or withdraw; the id is stored only as a keyed hash (HMAC with the server's secret). A partner token has no editor powers, its votes count within its own quota and are labelled with its name, and editors can switch them off."</li>
                <li>"What counts: every vote is stored, but at most 10 new voters per client network (an IPv4 address or an IPv6 /64), tool and hour count. The others are held until an editor releases or rejects them with a reason, or are rejected after 14 days. The community score counts only the votes that count; " <code>"Tool.integrity"</code> ", the site-wide " <code>"integrity"</code> " ledger and " <a href="/integrity">"/integrity"</a> " show what was set aside, why, and what was decided."</li>
                <li>"Two different choices: a vote (" <code>"castVote"</code> ") is a reader's SHIP or SKIP on one tool; a pick (" <code>"pick(comparison, tool)"</code> " on an editor's comparison, " <code>"pickBetween(tools, tool)"</code> " on any pair, counted in " <code>"Comparison.headToHead"</code> ") is one choice between two tools, one per reader and pair: a curated comparison and its pair's page count the same picks. The panel's own side is derived, not voted: " <code>"Comparison.panelPick"</code> " (the tool with the higher share of SHIP reviews, or SPLIT), " <code>"Tool.panelVerdict"</code> " and " <code>"Tool.reviewerCount"</code> "."</li>
                <li>"Live scores: subscribe over " <code>"/graphql/ws"</code> " (the graphql-transport-ws protocol) to " <code>"communityScore"</code> " or " <code>"comparisonScores"</code> "; see " <a href="#subscriptions">"Live updates"</a> "."</li>
            </ul>

            <h2 id="provenance">"Review provenance"</h2>
            <ul class="api-list">
                <li>"Every review says when it was written and what it judged: " <code>"Review.reviewedOn"</code> " (" <code>"YYYY-MM-DD"</code> ") and " <code>"Review.judgedVersion"</code> " (free text such as " <code>"v2.1"</code> ", or null)."</li>
                <li>"A review is due for a re-review when it reaches the site\u{2019}s re-review age (a year by default) or when editors recorded a release of its tool after it was written: " <code>"Review.stale"</code> " then says why (" <code>"reason: AGE | NEWER_RELEASE"</code> "), since when, and which release; it is null while the review is current. Its verdict still counts in the panel score."</li>
                <li><code>"Review.history"</code> " lists the verdicts a review gave before its reviewer changed it, newest first, each with the reasoning of the time; " <code>"Tool.releases"</code> " and " <code>"Tool.latestRelease"</code> " list the releases editors recorded."</li>
            </ul>

            <h2 id="subscriptions">"Live updates (subscriptions)"</h2>
            <p>
                "Subscriptions run over WebSocket at " <code>"/graphql/ws"</code> " with the graphql-transport-ws protocol (the " <code>"graphql-ws"</code> " package's). "
                <code>"communityScore(tool)"</code> " sends a tool's community score now and again after every vote on it; "
                <code>"comparisonScores(slug)"</code> " both tools' scores and the readers' picks of a curated comparison. "
                "A connection may hold 20 subscriptions, an address 16 connections; the server pings every 30 seconds."
            </p>
            <section class="api-example" aria-labelledby="subscription-example">
                <h3 id="subscription-example">"Follow a tool's community score (Node, " <code>"npm install graphql-ws ws"</code> ")"</h3>
                <p class="code-label">"JavaScript"</p>
                <pre><code>{SUBSCRIPTION_EXAMPLE}</code></pre>
            </section>

            <h2 id="webhooks">"Webhooks"</h2>
            <p>
                "Editors register endpoints (on " <code>"/admin/webhooks"</code> ", or with " <code>"createWebhookEndpoint(url, events)"</code> " and an API token) and choose the events each receives. "
                "Every event is a " <code>"POST"</code> " of JSON: " <code>"{ \"id\": \"evt_…\", \"type\", \"timestamp\", \"data\": { … } }"</code> ", where " <code>"data"</code> " names what changed by global " <code>"id"</code> " (for " <code>"node(id:)"</code> "), slug and public URL, with the values " <code>"before"</code> " and " <code>"after"</code> "."
            </p>
            {table(WEBHOOK_EVENTS, "Event")}
            <ul class="api-list">
                <li>"Signed as Standard Webhooks does: " <code>"webhook-id"</code> " (the event's id, the same on every retry), " <code>"webhook-timestamp"</code> " (Unix seconds of this attempt) and " <code>"webhook-signature: v1,<base64>"</code> ", the HMAC-SHA256 of " <code>"{webhook-id}.{webhook-timestamp}.{body}"</code> " keyed with the secret's bytes (the base64 after " <code>"whsec_"</code> "). The secret is shown once, when the endpoint is registered."</li>
                <li>"Check the signature over the raw body before parsing it, compare in constant time, and refuse timestamps more than five minutes from your clock: a captured request replayed later fails."</li>
                <li>"Any 2xx within 10 seconds is a delivery; anything else (redirects included) is retried after 30 s, 2 min, 8 min, 32 min, about 2 h, 8.5 h, then every 12 h, ten attempts in all (about two days). Deliveries come at least once and not always in order: use " <code>"id"</code> " to skip one you have seen."</li>
                <li>"An endpoint whose deliveries fail every attempt five times in a row, or that fails for 24 hours, is switched off; the editors' dashboard says so, and an editor switches it on again. Editors see every delivery's attempts with the status and the start of your answer, and can send one again."</li>
                <li>"Endpoints must be " <code>"http"</code> " or " <code>"https"</code> " URLs on public addresses: loopback, private, link-local and similar addresses are refused, when registered and again when each delivery connects."</li>
            </ul>
            <section class="api-example" aria-labelledby="webhook-example">
                <h3 id="webhook-example">"A receiver that verifies every delivery (Node, no packages)"</h3>
                <p class="code-label">"JavaScript"</p>
                <pre><code>{WEBHOOK_RECEIVER_EXAMPLE}</code></pre>
            </section>

            <h2>"Limits"</h2>
            {table(LIMITS, "Limit")}

            <h2>"Error codes"</h2>
            <p>"Every error has a stable " <code>"extensions.code"</code> " and a message you can act on."</p>
            <p>"One rule for statuses and shapes, that of the GraphQL-over-HTTP specification:"</p>
            <ul>
                <li>"A request error (the document does not parse or validate, a variable does not fit, a limit is passed, or an argument is refused: " <code>"first: 101"</code> ", a cursor of another list, " <code>"minPanelScore: 101"</code> ") answers without " <code>"data"</code> ", with VALIDATION; over " <code>"application/graphql-response+json"</code> " the status is 400, over " <code>"application/json"</code> " 200, as the specification asks of that older media type."</li>
                <li>"A field error (a field failed while the request was right) answers 200 with the data that could be read, " <code>"null"</code> " where the field failed, and the error at its " <code>"path"</code> "; " <code>"nodes(ids:)"</code> " nulls only the element at fault."</li>
                <li>"An input with several fields wrong (an editor's empty form) is one VALIDATION error that names them all: " <code>"extensions.field"</code> " is the first, " <code>"extensions.fields"</code> " lists each as " <code>"{ field, message }"</code> "."</li>
                <li>"Apart from these: UNAUTHENTICATED without data is 401 with " <code>"WWW-Authenticate"</code> ", RATE_LIMITED 429 with " <code>"Retry-After"</code> ", TIMEOUT 503."</li>
                <li>"A page of 0 (" <code>"first: 0"</code> ") holds no items; " <code>"hasNextPage"</code> " says whether any follow and " <code>"endCursor"</code> " is the " <code>"after"</code> " you gave (null from the start), so paging on from it starts at the same place. An empty page past the end does the same."</li>
            </ul>
            {table(CODES, "Code")}

            <h2>"Examples"</h2>
            <p>"Each example runs as written against " <code>{EXAMPLE_ORIGIN}</code> "; put this site's address in its place."</p>
            {examples}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use contract::Code;

    use super::CODES;

    #[test]
    fn the_guide_lists_every_code_the_server_sends_once() {
        let listed: Vec<&str> = CODES.iter().map(|(code, _)| *code).collect();
        let sent: Vec<&str> = Code::ALL
            .iter()
            .filter(|code| **code != Code::Network)
            .map(|code| code.as_str())
            .collect();
        assert_eq!(listed, sent);
    }
}
