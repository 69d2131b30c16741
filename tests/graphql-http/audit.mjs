// Runs the graphql-http server audits (the GraphQL-over-HTTP spec) against
// the URL given and prints one line per audit. Exits 1 when a MUST or a
// SHOULD audit fails; MAY audits are reported only.
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs http://127.0.0.1:3000/graphql");
  process.exit(2);
}
const results = await auditServer({ url });
let failed = 0;
for (const result of results) {
  const level = result.name.split(" ")[0];
  const required = level === "MUST" || level === "SHOULD";
  if (result.status !== "ok" && required) failed += 1;
  const reason = result.status === "ok" ? "" : ` — ${result.reason}`;
  console.log(`${result.status.padEnd(6)} ${result.name}${reason}`);
}
const count = (level) => results.filter((r) => r.name.startsWith(level));
for (const level of ["MUST", "SHOULD", "MAY"]) {
  const all = count(level);
  const ok = all.filter((r) => r.status === "ok").length;
  console.log(`summary ${level}: ${ok}/${all.length} ok`);
}
process.exit(failed > 0 ? 1 : 0);
