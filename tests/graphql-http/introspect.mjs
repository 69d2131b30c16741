// Sends graphql-js's own standard introspection query, with each set of
// options the tools use, to the URL given; builds a client schema from each
// answer and checks it has the Query type with its `tool` field. Prints one
// line per option set; exits 1 when any fails.
import { buildClientSchema, getIntrospectionQuery } from "graphql";

const url = process.argv[2];
if (!url) {
  console.error("usage: node introspect.mjs http://127.0.0.1:3000/graphql");
  process.exit(2);
}
const optionSets = {
  "defaults": {},
  "no descriptions": { descriptions: false },
  "inputValueDeprecation": { inputValueDeprecation: true },
  "specifiedByUrl": { specifiedByUrl: true },
  "directiveIsRepeatable": { directiveIsRepeatable: true },
  "schemaDescription": { schemaDescription: true },
  "all of them": {
    inputValueDeprecation: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
  },
};
let failed = 0;
for (const [name, options] of Object.entries(optionSets)) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: getIntrospectionQuery(options), operationName: "IntrospectionQuery" }),
    });
    const body = await response.json();
    if (response.status !== 200 || body.errors) {
      throw new Error(`status ${response.status}: ${JSON.stringify(body.errors)}`);
    }
    const schema = buildClientSchema(body.data);
    const query = schema.getQueryType();
    if (query?.name !== "Query" || !query.getFields().tool) {
      throw new Error("the built schema has no Query.tool");
    }
    const types = Object.keys(schema.getTypeMap()).length;
    console.log(`ok     ${name}: ${types} types`);
  } catch (error) {
    failed += 1;
    console.log(`failed ${name}: ${error.message}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
