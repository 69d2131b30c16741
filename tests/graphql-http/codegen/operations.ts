// A third party's operations, typed by graphql-codegen's client preset from
// the live schema (codegen.mjs writes ./gql next to this file).
import { graphql } from "./gql";

export const ToolScores = graphql(`
  query CodegenTool($slug: String!) {
    tool(slug: $slug) {
      slug
      name
      panel { shipPercent total }
      community { shipPercent missingVotes }
      panelVersusReaders { gap agreement summary }
    }
  }
`);

export const ComparisonCard = graphql(`
  query CodegenComparison($slug: String!) {
    comparison(slug: $slug) {
      title
      verdictLine
      panelPick { side tool { name } }
      left { name }
      right { name }
      scorecard { reviewer { name lens } left { verdict reviewedOn } right { verdict reviewedOn } }
    }
  }
`);

export const Search = graphql(`
  query CodegenSearch($q: String!) {
    search(query: $q, first: 5) {
      hits { tool { slug } comparison { slug } title { text matched } }
      corrections { typed searchedFor }
    }
  }
`);

export const Vote = graphql(`
  mutation CodegenVote($tool: String!, $verdict: Verdict!) {
    castVote(tool: $tool, verdict: $verdict) { shipPercent total }
  }
`);
