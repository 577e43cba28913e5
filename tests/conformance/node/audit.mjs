// Runs graphql-http's GraphQL-over-HTTP server audits against a running server and prints one
// JSON object: {"total": N, "counts": {"ok": N, "notice": N, "warn": N, "error": N},
// "failures": [{"id", "name", "status", "reason", "status_code", "body"}]}.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs URL");
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const failures = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  if (result.status !== "ok") {
    let body = "";
    try {
      body = (await result.response.text()).slice(0, 500);
    } catch {
      body = "(body already read)";
    }
    failures.push({
      id: result.id,
      name: result.name,
      status: result.status,
      reason: result.reason,
      status_code: result.response.status,
      body,
    });
  }
}
console.log(JSON.stringify({ total: counts.ok + counts.notice + counts.warn + counts.error,
  counts, failures }, null, 1));
