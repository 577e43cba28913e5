// Period fits: the light curve folded at the fitted period (phase in cycles), one trace of
// points per band, and the fitted model of each band as a line over its phase grid.

import { bandRank, bandStyle } from "./bands.js";
import { axis, baseLayout, escapeHtml, groupIndices, legendRows, pick } from "./style.js";

/** The figure of one `PeriodFit` found by `findPlottables`. */
export function periodFigure(fit) {
  const groups = groupIndices(fit.phase.length, (i) => fit.band[i]);
  const bands = [...groups.keys()].sort((a, b) => bandRank(a) - bandRank(b));
  const data = [];
  for (const band of bands) {
    const indices = groups.get(band);
    const style = bandStyle("ZTF", band);
    const sigma = pick(fit.sigma, indices);
    const trace = {
      type: "scatter",
      mode: "markers",
      name: `${band}`,
      legendgroup: band,
      x: pick(fit.phase, indices),
      y: pick(fit.magnitude, indices),
      marker: { color: style.color, symbol: style.symbol, size: 7,
        line: { width: 0.5, color: "#333333" } },
      hovertemplate: `${band}<br>phase %{x:.3f}<br>%{y:.3f}`
        + `${sigma ? " ± %{error_y.array:.3f}" : ""}<extra></extra>`,
      meta: { kind: "period", owner: fit.label, band, role: "points" },
    };
    if (sigma) {
      trace.error_y = { type: "data", array: sigma, visible: true, width: 0, thickness: 1.2,
        color: style.color };
    }
    data.push(trace);
  }
  if (fit.phaseGrid) {
    const models = [...fit.models].sort((a, b) => bandRank(a.band) - bandRank(b.band));
    for (const model of models) {
      const style = bandStyle("ZTF", model.band);
      data.push({
        type: "scatter",
        mode: "lines",
        name: `${model.band} model`,
        legendgroup: model.band,
        x: fit.phaseGrid,
        y: model.magnitude,
        line: { color: style.color, width: 2 },
        hovertemplate: `${model.band} model<br>phase %{x:.3f}<br>%{y:.3f}<extra></extra>`,
        meta: { kind: "period", owner: fit.label, band: model.band, role: "model" },
      });
    }
  }
  const layout = baseLayout(titleOf(fit), { legendRows: legendRows(data.length) });
  layout.xaxis = axis("Phase (cycles)", { range: [0, 1] });
  layout.yaxis = axis(fit.dcMagnitudes ? "DC magnitude" : "Magnitude", { autorange: "reversed" });
  return { data, layout };
}

function titleOf(fit) {
  const parts = [escapeHtml(fit.label)];
  if (fit.periodDays !== null) parts.push(`P = ${fit.periodDays.toPrecision(6)} d`);
  if (fit.power !== null) parts.push(`power ${fit.power.toFixed(2)}`);
  if (fit.status && fit.status !== "ok") parts.push(escapeHtml(fit.status));
  return parts.join(" · ");
}
