// Drives GraphiQL in headless Chromium (Debian's, through playwright-core): load the page,
// run the default query, wait for the Plots panel (open on a first visit) to draw it, open
// the Docs panel, take a screenshot. Prints one JSON object:
// {"title", "assets": [urls of scripts and styles], "result": text of the result pane,
//  "plots": data-kind of each plot the panel drew, "docs": text of the Docs panel,
//  "queryDocs": text after clicking Query, "screenshot", "pageErrors": [...],
//  "failedRequests": [...]}.
// Usage: node graphiql.mjs http://127.0.0.1:PORT/graphql SCREENSHOT.png [CHROMIUM]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, screenshot, executable = "/usr/bin/chromium"] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error("usage: node graphiql.mjs URL SCREENSHOT [CHROMIUM]");
  process.exit(2);
}

const TIMEOUT = 20000;
const userDataDir = mkdtempSync(join(tmpdir(), "graphiql-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: executable,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1400, height: 900 },
});

const out = { assets: [], pageErrors: [], failedRequests: [] };
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (error) => out.pageErrors.push(String(error)));
  page.on("requestfailed", (request) => out.failedRequests.push(request.url()));
  page.on("request", (request) => {
    if (["script", "stylesheet"].includes(request.resourceType())) out.assets.push(request.url());
  });

  await page.goto(url, { waitUntil: "load", headers: { Accept: "text/html" } });
  out.title = await page.title();

  // Run the default query and wait for its data in the result pane.
  await page.locator("button.graphiql-execute-button").click();
  const result = page.locator("section.result-window");
  await result.getByText('"objectId"').first().waitFor();
  out.result = await result.innerText();
  await page.locator('.fink-plots[data-state="ready"]').waitFor();
  out.plots = await page.locator(".fink-plot").evaluateAll(
    (plots) => plots.map((plot) => plot.dataset.kind));

  // Open the Docs panel, then the Query type with its fields' descriptions.
  await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
  const docs = page.locator(".graphiql-doc-explorer");
  await docs.getByText("Query", { exact: true }).first().waitFor();
  out.docs = await docs.innerText();
  await docs.locator("a.graphiql-doc-explorer-type-name", { hasText: "Query" }).first().click();
  await docs.getByText("conesearch").first().waitFor();
  out.queryDocs = await docs.innerText();

  await page.screenshot({ path: screenshot, fullPage: false });
  out.screenshot = screenshot;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 1));
