// Phase curves of Solar System objects: reduced magnitude against phase angle, the observed
// points of each band and the fitted model curve of each band (dashed), magnitudes inverted.

import { bandRank, bandStyle } from "./bands.js";
import { axis, baseLayout, escapeHtml, groupIndices, legendRows, pick } from "./style.js";

/** The figure of one phase-curve group (observations and/or fits) of `findPlottables`. */
export function phaseCurveFigure(group) {
  const data = [];
  const observed = group.observations;
  if (observed) {
    const groups = groupIndices(observed.phase.length, (i) => observed.band[i]);
    const bands = [...groups.keys()].sort((a, b) => bandRank(a) - bandRank(b));
    for (const band of bands) {
      const indices = groups.get(band);
      const style = bandStyle("ZTF", band);
      const error = pick(observed.error, indices);
      const trace = {
        type: "scatter",
        mode: "markers",
        name: band,
        legendgroup: band,
        x: pick(observed.phase, indices),
        y: pick(observed.reducedMag, indices),
        marker: { color: style.color, symbol: style.symbol, size: 6, opacity: 0.75 },
        hovertemplate: `${band}<br>phase angle %{x:.2f}°<br>%{y:.3f}`
          + `${error ? " ± %{error_y.array:.3f}" : ""}<extra></extra>`,
        meta: { kind: "phasecurve", owner: group.label, band, role: "points" },
      };
      if (error) {
        trace.error_y = { type: "data", array: error, visible: true, width: 0, thickness: 1,
          color: style.color };
      }
      data.push(trace);
    }
  }
  const models = [...group.models].sort((a, b) => bandRank(a.band) - bandRank(b.band));
  for (const model of models) {
    const style = bandStyle("ZTF", model.band);
    data.push({
      type: "scatter",
      mode: "lines",
      name: `${model.band} ${group.model ?? "model"}`,
      legendgroup: model.band,
      x: model.phase,
      y: model.reducedMag,
      line: { color: style.color, width: 2, dash: "dash" },
      hovertemplate: `${model.band} model<br>phase angle %{x:.2f}°<br>%{y:.3f}<extra></extra>`,
      meta: { kind: "phasecurve", owner: group.label, band: model.band, role: "model" },
    });
  }
  const title = [escapeHtml(group.label), group.model, group.status && group.status !== "OK"
    ? escapeHtml(group.status) : null].filter(Boolean).join(" · ");
  const layout = baseLayout(title, { legendRows: legendRows(data.length) });
  layout.xaxis = axis("Phase angle (deg)", { rangemode: "tozero" });
  layout.yaxis = axis("Reduced magnitude", { autorange: "reversed" });
  return { data, layout };
}
