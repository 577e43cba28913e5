// The Plots panel: reads a result (the response pane's text), finds what it holds and draws
// it, section by section — light curves, period fits, phase curves, cutouts, sky matches —
// or, when nothing is drawable, the hint. The root element's data-state says where it is:
// empty, hint, loading, ready or error.

import { drawCutouts } from "./cutouts.js";
import { drawFigure, loadPlotly, noteElement, purgeFigures } from "./figure.js";
import { findPlottables, isEmpty } from "./find.js";
import { drawHint } from "./hint.js";
import { lightCurveFigure } from "./lightcurve.js";
import { periodFigure } from "./period.js";
import { phaseCurveFigure } from "./phasecurve.js";
import { operationSelection } from "./selections.js";
import { skyFigure } from "./sky.js";

const MAX_MULTIPLES = 30;
const OVERLAY_UP_TO = 3;

export class PlotsPanel {
  /**
   * @param {HTMLElement} root The panel's element (its content is the panel's own).
   * @param {{plotly: string, examples: object, parse: Function,
   *   insertQuery: (query: string) => void}} options `plotly`: URL of Plotly's script;
   *   `examples`: example queries by plot kind; `parse`: GraphQL's parser.
   */
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.generation = 0;
    this.view = { time: "mjd", dc: false, layout: null };
    this.Plotly = null;
  }

  /** Draw what `responseText` holds; `queryText`/`variablesText` tell its aliases. */
  async show(responseText, queryText, variablesText) {
    const generation = ++this.generation;
    this.clear();
    const header = this.header();
    const text = (responseText ?? "").trim();
    if (!text) {
      this.say("Run a query (▶): its light curves, period and phase-curve fits, cutouts and "
        + "cone-search matches are drawn here.", "empty");
      return;
    }
    let result;
    try {
      result = JSON.parse(text);
    } catch {
      this.say("The result is not JSON.", "empty");
      return;
    }
    const data = result?.data;
    if (!data || typeof data !== "object") {
      const error = result?.errors?.[0]?.message;
      this.hint(error ? `The result holds no data: ${error}` : "The result holds no data.");
      return;
    }
    const selection = operationSelection(this.options.parse, queryText, variablesText, data);
    const found = findPlottables(data, selection);
    if (isEmpty(found)) {
      this.hint("Nothing in this result can be plotted.");
      return;
    }
    this.root.dataset.state = "loading";
    header.after(noteElement("Loading Plotly…"));
    let Plotly;
    try {
      Plotly = await loadPlotly(this.options.plotly);
    } catch (error) {
      if (generation !== this.generation) return;
      this.clear();
      this.header();
      this.say(String(error.message ?? error), "error");
      return;
    }
    if (generation !== this.generation) return;
    this.Plotly = Plotly;
    this.clear();
    this.header();
    await this.draw(Plotly, found, generation);
    if (generation === this.generation) this.root.dataset.state = "ready";
  }

  destroy() {
    this.generation += 1;
    this.clear();
  }

  clear() {
    purgeFigures(this.Plotly, this.root);
    this.root.replaceChildren();
  }

  header() {
    const header = document.createElement("div");
    header.className = "fink-plots-header";
    const title = document.createElement("div");
    title.className = "graphiql-doc-explorer-title";
    title.textContent = "Plots";
    const wide = document.createElement("button");
    wide.type = "button";
    wide.className = "fink-plots-button fink-plots-wide";
    wide.textContent = "⇔";
    wide.title = "Widen or narrow this panel";
    wide.addEventListener("click", () => this.toggleWidth());
    header.append(title, wide);
    this.root.append(header);
    return header;
  }

  /** Widen the sidebar pane to 60% of the window, or give it back its former width. */
  toggleWidth() {
    const pane = this.root.closest(".graphiql-plugin")?.parentElement;
    if (!pane) return;
    if (pane.dataset.finkNarrowFlex !== undefined) {
      pane.style.flex = pane.dataset.finkNarrowFlex;
      delete pane.dataset.finkNarrowFlex;
    } else {
      pane.dataset.finkNarrowFlex = pane.style.flex;
      pane.style.flex = "1.5";
    }
  }

  say(text, state) {
    this.root.append(noteElement(text));
    this.root.dataset.state = state;
  }

  hint(reason) {
    drawHint(this.root, reason, this.options.examples, this.options.insertQuery);
    this.root.dataset.state = "hint";
  }

  section(kind, title, count) {
    const section = document.createElement("section");
    section.className = "fink-plots-section";
    section.dataset.kind = kind;
    const heading = document.createElement("h3");
    heading.textContent = `${title} (${count})`;
    section.append(heading);
    this.root.append(section);
    return section;
  }

  async draw(Plotly, found, generation) {
    const current = () => generation === this.generation;
    if (found.lightcurves.length) {
      const section = this.section("lightcurve", "Light curves", found.lightcurves.length);
      await this.drawLightCurves(Plotly, section, found.lightcurves);
    }
    if (found.periods.length && current()) {
      const section = this.section("period", "Period fits", found.periods.length);
      for (const fit of found.periods) {
        const note = fit.status && fit.status !== "ok"
          ? `${fit.status}${fit.message ? `: ${fit.message}` : ""}` : undefined;
        await drawFigure(Plotly, section, periodFigure(fit),
          { kind: "period", name: `${fit.label}-period`, note });
      }
    }
    if (found.phaseCurves.length && current()) {
      const section = this.section("phasecurve", "Phase curves", found.phaseCurves.length);
      for (const group of found.phaseCurves) {
        const note = group.status && group.status !== "OK"
          ? `${group.status}${group.message ? `: ${group.message}` : ""}` : undefined;
        await drawFigure(Plotly, section, phaseCurveFigure(group),
          { kind: "phasecurve", name: `${group.label}-phase-curve`, note });
      }
    }
    if (found.cutouts.length && current()) {
      const section = this.section("cutouts", "Cutouts", found.cutouts.length);
      drawCutouts(section, found.cutouts);
    }
    if (found.sky.length && current()) {
      const section = this.section("sky", "Sky", found.sky.length);
      for (const group of found.sky) {
        const note = group.unplaced
          ? `${group.unplaced} match(es) without a position: select alert { ra dec } to place `
            + "them." : undefined;
        await drawFigure(Plotly, section, skyFigure(group),
          { kind: "sky", name: `${group.label}-sky`, note });
      }
    }
  }

  async drawLightCurves(Plotly, section, series) {
    const view = this.view;
    const layout = view.layout ?? (series.length <= OVERLAY_UP_TO ? "overlay" : "multiples");
    const controls = document.createElement("div");
    controls.className = "fink-plots-controls";
    const redraw = async () => {
      purgeFigures(Plotly, section);
      section.querySelectorAll(".fink-plots-controls, .fink-plots-card, .fink-plots-note")
        .forEach((element) => element.remove());
      await this.drawLightCurves(Plotly, section, series);
      this.root.dataset.state = "ready";
    };
    const choice = (name, options, selected, pick) => {
      const group = document.createElement("span");
      group.className = "fink-plots-choice";
      group.dataset.control = name;
      for (const [value, label] of options) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "fink-plots-button";
        button.dataset.value = value;
        button.textContent = label;
        button.setAttribute("aria-pressed", String(value === selected));
        button.addEventListener("click", () => {
          if (value === selected) return;
          pick(value);
          this.root.dataset.state = "loading";
          redraw();
        });
        group.append(button);
      }
      controls.append(group);
    };
    choice("time", [["mjd", "MJD"], ["date", "Date"]], view.time, (value) => {
      view.time = value;
    });
    if (series.some((one) => one.dc)) {
      choice("magnitude", [["difference", "Difference mag"], ["dc", "DC mag"]],
        view.dc ? "dc" : "difference", (value) => {
          view.dc = value === "dc";
        });
    }
    if (series.length > 1) {
      choice("layout", [["overlay", "Overlay"], ["multiples", "One per object"]], layout,
        (value) => {
          view.layout = value;
        });
    }
    section.append(controls);
    const options = { time: view.time, dc: view.dc };
    if (series.some((one) => one.tag?.includes("upperlim") && !one.limit)) {
      section.append(noteElement("Upper limits are drawn at diffmaglim: select it in the light "
        + "curve to see them."));
    }
    if (layout === "overlay" || series.length === 1) {
      await drawFigure(Plotly, section, lightCurveFigure(series, options),
        { kind: "lightcurve", name: `${series.length === 1 ? series[0].label : "objects"}-lightcurve` });
      return;
    }
    for (const one of series.slice(0, MAX_MULTIPLES)) {
      await drawFigure(Plotly, section, lightCurveFigure([one], options),
        { kind: "lightcurve", name: `${one.label}-lightcurve` });
    }
    if (series.length > MAX_MULTIPLES) {
      section.append(noteElement(`The first ${MAX_MULTIPLES} of ${series.length} light curves; `
        + "Overlay draws them all."));
    }
  }
}
