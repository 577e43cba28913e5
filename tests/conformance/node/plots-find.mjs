// Runs the Plots panel's finder (fink_gateway/gateway/static/plots/find.js, the browser's own
// module) on results without a browser: for each case {name, query, variables, data} of the
// JSON file given, what findPlottables finds, with the query parsed by graphql-js as GraphiQL
// parses it. Prints one JSON object {name: found}.
// Usage: node plots-find.mjs CASES.json
import { readFileSync } from "node:fs";
import { parse } from "graphql";

const plots = new URL("../../../fink_gateway/gateway/static/plots/", import.meta.url);
const { findPlottables } = await import(new URL("find.js", plots));
const { operationSelection } = await import(new URL("selections.js", plots));

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {};
for (const { name, query, variables, data } of cases) {
  const selection = operationSelection(parse, query, JSON.stringify(variables ?? {}), data);
  out[name] = findPlottables(data, selection);
}
console.log(JSON.stringify(out));
