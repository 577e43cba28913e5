// Drives GraphiQL's Plots panel in headless Chromium (Debian's, through playwright-core): one
// page, then for each scenario: put a query (and variables) in the editor and run it — or
// write a given response into the response pane — wait until the panel has drawn, and record
// what it holds: every Plotly figure's traces and axes (read from the graph divs), the
// cutout images, the hint, plus the response text; then optional clicks, downloads and a
// screenshot. Prints one JSON object {scenarioName: record, "pageErrors": [...]}.
//
// Usage: node plots.mjs http://127.0.0.1:PORT/graphql SCENARIOS.json OUTDIR [CHROMIUM]
// A scenario: {name, query, variables?, response? (inject instead of running),
//   or {name, tab}: run GraphiQL's example tab of that index as it stands,
//   clicks?: [{selector, label}] (inside the panel; recorded under after[label]),
//   downloads?: true (click each PNG/SVG button of the first figure),
//   example?: kind (click the hint's example link of that kind, run it, record it),
//   screenshot?: file name in OUTDIR}
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, scenariosPath, outdir, executable = "/usr/bin/chromium"] = process.argv.slice(2);
if (!url || !scenariosPath || !outdir) {
  console.error("usage: node plots.mjs URL SCENARIOS.json OUTDIR [CHROMIUM]");
  process.exit(2);
}
const scenarios = JSON.parse(readFileSync(scenariosPath, "utf8"));

const TIMEOUT = 90000; // a first fit starts worker processes: slow on a loaded machine
const DONE = ["ready", "hint", "error"];
const userDataDir = mkdtempSync(join(tmpdir(), "plots-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: executable,
  headless: true,
  acceptDownloads: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1600, height: 1000 },
});

const out = { pageErrors: [], failedRequests: [], requests: [] };
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (error) => out.pageErrors.push(String(error)));
  page.on("requestfailed", (request) => out.failedRequests.push(request.url()));
  page.on("request", (request) => out.requests.push(request.url()));
  await page.goto(url, { waitUntil: "load", headers: { Accept: "text/html" } });
  // the panel opens by itself on a first visit
  const panel = page.locator(".fink-plots");
  await panel.waitFor();
  out.openedOnFirstVisit = true;
  await panel.locator(".fink-plots-wide").click();

  for (const scenario of scenarios) {
    try {
      out[scenario.name] = await play(page, scenario);
    } catch (error) {
      // keep going: the test names the failing scenario, with what the panel held then
      const path = join(outdir, `failed-${scenario.name}.png`);
      await page.screenshot({ path }).catch(() => {});
      out[scenario.name] = { error: String(error), screenshot: path,
        panel: await snapshot(page).catch(() => null) };
    }
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));

async function editor(page, which) {
  return page.evaluateHandle((selector) => document.querySelector(selector).CodeMirror,
    which === "query" ? ".graphiql-query-editor .CodeMirror"
      : which === "variables" ? ".graphiql-editor-tool .CodeMirror"
        : ".result-window .CodeMirror");
}

async function setEditor(page, which, text) {
  const cm = await editor(page, which);
  await cm.evaluate((instance, value) => instance.setValue(value), text);
}

async function getEditor(page, which) {
  const cm = await editor(page, which);
  return cm.evaluate((instance) => instance.getValue());
}

/** Wait until the panel has drawn (state ready/hint/error) after being emptied. */
async function settled(page) {
  await page.waitForFunction((done) => {
    const root = document.querySelector(".fink-plots");
    return root && done.includes(root.dataset.state);
  }, DONE);
}

async function run(page, scenario) {
  if (scenario.tab !== undefined) {
    await page.locator(".graphiql-tab-button").nth(scenario.tab).click();
    await page.waitForFunction((index) => document.querySelectorAll(".graphiql-tab")[index]
      ?.classList.contains("graphiql-tab-active"), scenario.tab);
    await page.waitForTimeout(200);
  }
  await setEditor(page, "response", "");
  await page.waitForFunction(() => document.querySelector(".fink-plots")?.dataset.state === "empty");
  if (scenario.tab !== undefined) {
    await page.locator("button.graphiql-execute-button").click();
    await page.waitForFunction(() => {
      const cm = document.querySelector(".result-window .CodeMirror")?.CodeMirror;
      return cm && cm.getValue().trim().startsWith("{");
    });
    await settled(page);
    return;
  }
  await setEditor(page, "query", scenario.query);
  await setEditor(page, "variables", scenario.variables ? JSON.stringify(scenario.variables) : "");
  // GraphiQL takes the operation name from the query a moment later (the tab's title says
  // when): running before would send the former tab's operation name
  const title = /^\s*(?:query|mutation|subscription)\s+(\w+)/m.exec(scenario.query)?.[1]
    ?? "<untitled>";
  await page.waitForFunction((expected) => document
    .querySelector(".graphiql-tab-active .graphiql-tab-button")?.textContent.trim() === expected,
  title);
  await page.waitForTimeout(100);
  if (scenario.response !== undefined) {
    await setEditor(page, "response", scenario.response);
  } else {
    await page.locator("button.graphiql-execute-button").click();
    await page.waitForFunction(() => {
      const cm = document.querySelector(".result-window .CodeMirror")?.CodeMirror;
      return cm && cm.getValue().trim().startsWith("{");
    });
  }
  await settled(page);
}

async function play(page, scenario) {
  await run(page, scenario);
  const record = await snapshot(page);
  record.response = await getEditor(page, "response");
  record.query = await getEditor(page, "query");
  if (scenario.screenshot) {
    await page.screenshot({ path: join(outdir, scenario.screenshot) });
    record.screenshot = join(outdir, scenario.screenshot);
  }
  if (scenario.downloads) {
    record.downloads = [];
    for (const button of await page.locator(".fink-plots-card").first()
      .locator("[data-download]").all()) {
      const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
      const path = join(outdir, `${scenario.name}-${download.suggestedFilename()}`);
      await download.saveAs(path);
      record.downloads.push({ name: download.suggestedFilename(), path,
        size: readFileSync(path).length, head: readFileSync(path).subarray(0, 64).toString("latin1") });
    }
  }
  record.after = {};
  for (const click of scenario.clicks ?? []) {
    await page.locator(".fink-plots").locator(click.selector).first().click();
    await page.waitForTimeout(50);
    await settled(page);
    record.after[click.label] = await snapshot(page);
  }
  if (scenario.example) {
    await page.locator(`.fink-plots-example[data-kind="${scenario.example}"]`).click();
    await page.waitForFunction((before) => {
      const cm = document.querySelector(".graphiql-query-editor .CodeMirror")?.CodeMirror;
      return cm && cm.getValue() !== before && cm.getValue().includes("query ");
    }, scenario.query);
    const inserted = await getEditor(page, "query");
    await run(page, { query: inserted });
    record.example = await snapshot(page);
    record.example.query = inserted;
    record.example.response = await getEditor(page, "response");
    record.example.tabs = await page.locator(".graphiql-tab").count();
  }
  return record;
}

async function snapshot(page) {
  return page.evaluate(() => {
    const root = document.querySelector(".fink-plots");
    const plots = [...root.querySelectorAll(".fink-plot")].map((gd) => ({
      kind: gd.dataset.kind,
      title: gd.layout?.title?.text ?? null,
      xaxis: {
        type: gd._fullLayout?.xaxis?.type ?? null,
        title: gd.layout?.xaxis?.title?.text ?? null,
        autorange: gd.layout?.xaxis?.autorange ?? null,
        range: gd._fullLayout?.xaxis?.range ?? null,
      },
      yaxis: {
        title: gd.layout?.yaxis?.title?.text ?? null,
        autorange: gd.layout?.yaxis?.autorange ?? null,
        range: gd._fullLayout?.yaxis?.range ?? null,
      },
      traces: gd.data.map((trace) => ({
        name: trace.name,
        mode: trace.mode,
        x: trace.x,
        y: trace.y,
        meta: trace.meta ?? null,
        symbol: trace.marker?.symbol ?? null,
        opacity: trace.opacity ?? 1,
        errors: trace.error_y?.array ?? null,
      })),
    }));
    const cutouts = [...root.querySelectorAll(".fink-plots-cutout")].map((figure) => ({
      kind: figure.querySelector("img").dataset.kind,
      caption: figure.querySelector("figcaption").textContent,
      loaded: figure.querySelector("img").complete
        && figure.querySelector("img").naturalWidth > 0,
      width: figure.querySelector("img").naturalWidth,
    }));
    const hint = root.querySelector(".fink-plots-hint");
    return {
      state: root.dataset.state,
      sections: [...root.querySelectorAll(".fink-plots-section")].map((s) => s.dataset.kind),
      notes: [...root.querySelectorAll(".fink-plots-note")].map((n) => n.textContent),
      controls: [...root.querySelectorAll("[data-control]")].map((c) => c.dataset.control),
      plots,
      cutouts,
      hint: hint ? {
        text: hint.textContent,
        kinds: [...hint.querySelectorAll("li")].map((li) => li.dataset.kind),
        examples: [...hint.querySelectorAll(".fink-plots-example")].map((a) => a.dataset.kind),
      } : null,
    };
  });
}
