// graphql-codegen (client preset) generates TypeScript types from the live
// schema at the URL given, for the operations in codegen/operations.ts;
// then tsc --noEmit --strict must accept codegen/usage.ts and refuse
// codegen/wrong.ts. Exits 1 on any failure.
import { generate } from "@graphql-codegen/cli";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const url = process.argv[2];
if (!url) {
  console.error("usage: node codegen.mjs http://127.0.0.1:3000/graphql");
  process.exit(2);
}
// Inside this package, so that the generated code finds its imports
// (graphql, @graphql-typed-document-node/core) in node_modules; removed at exit.
const here = fileURLToPath(new URL(".", import.meta.url));
const dir = mkdtempSync(join(here, ".codegen-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
cpSync(fileURLToPath(new URL("./codegen/", import.meta.url)), dir, { recursive: true });
await generate(
  {
    schema: url,
    documents: [join(dir, "operations.ts")],
    generates: { [join(dir, "gql") + "/"]: { preset: "client" } },
    silent: true,
  },
  true,
);
console.log(`generated: ${readdirSync(join(dir, "gql")).sort().join(", ")}`);
const tsc = fileURLToPath(new URL("./node_modules/typescript/bin/tsc", import.meta.url));
const check = (file) =>
  execFileSync(
    process.execPath,
    [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "esnext",
      "--moduleResolution", "bundler", "--skipLibCheck",
      join(dir, "operations.ts"), join(dir, file)],
    { cwd: here, encoding: "utf8" },
  );
try {
  check("usage.ts");
  console.log("ok     tsc --noEmit --strict accepts the operations and their use");
} catch (error) {
  console.error(`failed tsc on usage.ts:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  process.exit(1);
}
try {
  check("wrong.ts");
  console.error("failed tsc accepted wrong.ts: the generated types are too loose");
  process.exit(1);
} catch (error) {
  if (!String(error.stdout).includes("wrong.ts")) {
    console.error(`failed tsc failed for another reason:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    process.exit(1);
  }
  console.log("ok     tsc refuses a wrong use of the generated types");
}
