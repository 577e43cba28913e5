// The panel's answer when a result holds nothing to draw: which fields would give a plot, each
// with a link that opens an example query (on the served data) in a new tab.

import { PLOTTABLE_FIELDS } from "./find.js";

const KINDS = [
  ["lightcurve", "Light curves"],
  ["period", "Period fits"],
  ["phasecurve", "Phase curves of Solar System objects"],
  ["cutouts", "Cutouts"],
  ["sky", "Cone-search and sky-map matches"],
];

/**
 * Append the hint to `parent`.
 *
 * @param {HTMLElement} parent Where it goes.
 * @param {string} reason The first line (why nothing is drawn).
 * @param {Object<string, {title: string, query: string}>} examples Example queries by kind.
 * @param {(query: string) => void} insertQuery Opens a query in a new tab.
 */
export function drawHint(parent, reason, examples, insertQuery) {
  const hint = document.createElement("div");
  hint.className = "fink-plots-hint";
  const first = document.createElement("p");
  first.textContent = reason;
  const second = document.createElement("p");
  second.textContent = "These fields, under any alias and at any depth, give a plot:";
  const list = document.createElement("ul");
  for (const [kind, title] of KINDS) {
    const item = document.createElement("li");
    item.dataset.kind = kind;
    const name = document.createElement("strong");
    name.textContent = title;
    const fields = document.createElement("code");
    fields.textContent = PLOTTABLE_FIELDS[kind];
    item.append(name, document.createElement("br"), fields);
    const example = examples?.[kind];
    if (example) {
      const link = document.createElement("a");
      link.href = "#";
      link.className = "fink-plots-example";
      link.dataset.kind = kind;
      link.textContent = "Insert an example query";
      link.title = example.title;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        insertQuery(example.query);
      });
      item.append(document.createElement("br"), link);
    }
    list.append(item);
  }
  hint.append(first, second, list);
  parent.append(hint);
  return hint;
}
