// Light-curve figures: brightness against time, one trace per object, band and tag (Fink's
// valid / badquality / upperlim), magnitudes inverted. Detections carry error bars; upper
// limits are open down-triangles at diffmaglim; bad-quality points are faded. Pure: returns
// Plotly's {data, layout}.

import { bandRank, bandStyle } from "./bands.js";
import {
  OBJECT_SYMBOLS, axis, baseLayout, escapeHtml, groupIndices, legendRows, pick,
} from "./style.js";
import { isoFromMjd } from "./time.js";

const TAG_ORDER = ["valid", "badquality", "upperlim"];
const TAG_NAMES = { valid: "", badquality: "bad quality", upperlim: "upper limit" };

/**
 * One figure of light curves drawn together.
 *
 * @param {object[]} series Light curves from `findPlottables`.
 * @param {{time: "mjd" | "date", dc: boolean, title?: string}} options `time`: the x axis;
 *   `dc`: DC magnitudes (dcMag, dcSigmag) instead of the difference magnitudes.
 */
export function lightCurveFigure(series, options) {
  const overlay = series.length > 1;
  const data = series.flatMap((one, index) => tracesOf(one, options, overlay ? index : null));
  const first = series[0];
  const dc = options.dc && series.some((one) => one.dc);
  const magnitude = dc || series.every((one) => one.magnitude);
  const title = options.title ?? (overlay ? `${series.length} light curves` : titleOf(first));
  // labels are objectIds, designations or GraphQL names: no HTML, but escaped all the same
  const layout = baseLayout(title, { legendRows: legendRows(data.length) });
  layout.xaxis = options.time === "date"
    ? axis("Date (UTC)", { type: "date" })
    : axis(first.timeLabel, { type: "linear", tickformat: ".5~f" });
  layout.yaxis = axis(dc ? "DC magnitude" : first.valueLabel,
    { autorange: magnitude ? "reversed" : true });
  return { data, layout };
}

function titleOf(one) {
  const source = one.source && one.source !== "lightcurve" ? ` · ${one.source}` : "";
  return escapeHtml(`${one.label}${source}`);
}

function tracesOf(one, options, overlayIndex) {
  const useDc = options.dc && one.dc !== null;
  const value = useDc ? one.dc.value : one.value;
  const error = useDc ? one.dc.error : one.error;
  const n = one.mjd.length;
  const tagOf = (i) => (one.tag && typeof one.tag[i] === "string" ? one.tag[i] : "valid");
  const groups = groupIndices(n, (i) => `${one.band[i]}\u0000${tagOf(i)}`);
  const keys = [...groups.keys()].sort((a, b) => {
    const [bandA, tagA] = a.split("\u0000");
    const [bandB, tagB] = b.split("\u0000");
    return bandRank(bandA) - bandRank(bandB) || bandA.localeCompare(bandB)
      || rankOfTag(tagA) - rankOfTag(tagB);
  });
  const traces = [];
  for (const key of keys) {
    const [band, tag] = key.split("\u0000");
    const indices = groups.get(key);
    if (useDc && tag === "upperlim") continue; // no DC magnitude for a limit
    traces.push(traceOf(one, { band, tag, indices, value, error, options, overlayIndex }));
  }
  return traces;
}

function rankOfTag(tag) {
  const rank = TAG_ORDER.indexOf(tag);
  return rank < 0 ? TAG_ORDER.length : rank;
}

function traceOf(one, { band, tag, indices, value, error, options, overlayIndex }) {
  const style = bandStyle(one.survey, band);
  const limit = tag === "upperlim";
  const mjd = pick(one.mjd, indices);
  const x = options.time === "date" ? mjd.map(isoFromMjd) : mjd;
  const y = limit ? pick(one.limit ?? value, indices) : pick(value, indices);
  const errors = limit ? null : pick(error, indices);
  const symbol = limit ? "triangle-down-open"
    : overlayIndex !== null && one.survey !== "LSST"
      ? OBJECT_SYMBOLS[overlayIndex % OBJECT_SYMBOLS.length] : style.symbol;
  const negative = pick(one.negative, indices);
  const color = !limit && negative?.some(Boolean)
    ? negative.map((isNegative) => (isNegative ? style.negative : style.color))
    : style.color;
  const tagName = TAG_NAMES[tag] ?? tag;
  const name = [overlayIndex !== null ? one.label : null, band, tagName].filter(Boolean).join(" ");
  const trace = {
    type: "scatter",
    mode: "markers",
    name,
    x,
    y,
    customdata: mjd,
    marker: { color, symbol, size: limit ? 8 : 7, line: { width: limit ? 1.2 : 0.5,
      color: limit ? style.color : "#333333" } },
    opacity: tag === "badquality" ? 0.35 : limit ? 0.6 : 1,
    hovertemplate: `<b>${escapeHtml(one.label)}</b> ${band} ${tagName}<br>MJD %{customdata:.5f}`
      + `<br>%{y:.3f}${errors ? " ± %{error_y.array:.3f}" : ""}<extra></extra>`,
    meta: { kind: "lightcurve", owner: one.label, band, tag, missingLimit: limit && !one.limit },
  };
  if (errors) {
    trace.error_y = { type: "data", array: errors, visible: true, width: 0, thickness: 1.2,
      color: style.color };
  }
  if (overlayIndex !== null) {
    trace.legendgroup = one.label;
  }
  return trace;
}

