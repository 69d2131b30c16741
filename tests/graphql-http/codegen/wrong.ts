// Must NOT type-check: a percentage is a number, not a string. If tsc
// accepted this, the generated types would be too loose to be worth having.
import type { CodegenToolQuery } from "./gql/graphql";

export function wrong(data: CodegenToolQuery): string | null | undefined {
  return data.tool?.panel.shipPercent;
}
