// Code that uses the generated types as an integrator's would: it must
// type-check (`tsc --noEmit --strict`).
import type {
  CodegenToolQuery,
  CodegenComparisonQuery,
  CodegenSearchQuery,
  CodegenVoteMutationVariables,
} from "./gql/graphql";

export function panelPercent(data: CodegenToolQuery): number | null | undefined {
  return data.tool?.panel.shipPercent;
}

export function pickedName(data: CodegenComparisonQuery): string | undefined {
  return data.comparison?.panelPick.tool?.name;
}

export function firstHit(data: CodegenSearchQuery): string | null | undefined {
  const hit = data.search.hits[0];
  return hit?.tool?.slug ?? hit?.comparison?.slug;
}

export function lenses(data: CodegenComparisonQuery): string[] {
  return (data.comparison?.scorecard ?? []).map((row) => String(row.reviewer.lens));
}

export const vote = (tool: string, verdict: CodegenVoteMutationVariables["verdict"]): CodegenVoteMutationVariables => ({
  tool,
  verdict,
});
