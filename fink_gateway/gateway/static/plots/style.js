// What every figure shares: fonts, margins, axes, legend; grouping points into traces.

export const FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 11 };

/** Marker symbols that tell objects apart when several share one ZTF plot. */
export const OBJECT_SYMBOLS = ["circle", "square", "diamond", "cross", "x", "star", "hexagon",
  "pentagon", "triangle-up", "hourglass"];

/** The layout every plot starts from; `title` is drawn in the figure, so downloads keep it. */
export function baseLayout(title, { height = 340, legendRows = 1 } = {}) {
  return {
    title: { text: title, font: { size: 13 }, x: 0.01, xanchor: "left" },
    font: FONT,
    height: height + 18 * Math.max(0, legendRows - 1),
    margin: { l: 56, r: 12, t: 36, b: 54 + 20 * legendRows },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    hovermode: "closest",
    showlegend: true,
    // under the x axis's title, whatever the plot's height
    legend: { orientation: "h", x: 0, xanchor: "left", yref: "container", y: 0,
      yanchor: "bottom", font: { size: 10 } },
  };
}

/** An axis with light grid lines. */
export function axis(title, extra = {}) {
  return {
    title: { text: title },
    showline: true,
    linecolor: "#999999",
    mirror: true,
    gridcolor: "#EEEEEE",
    zeroline: false,
    ticks: "outside",
    automargin: true,
    ...extra,
  };
}

/** Rows a horizontal legend of `entries` items needs in a plot about `width` px wide. */
export function legendRows(entries, width = 420) {
  const perRow = Math.max(1, Math.floor(width / 130));
  return Math.ceil(entries / perRow);
}

/** Points of `values` grouped by `keyOf(i)`, keys in first-seen order: Map key -> indices. */
export function groupIndices(length, keyOf) {
  const groups = new Map();
  for (let i = 0; i < length; i += 1) {
    const key = keyOf(i);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(i);
  }
  return groups;
}

/** `values` at `indices` (null where missing). */
export function pick(values, indices) {
  return values ? indices.map((i) => (values[i] === undefined ? null : values[i])) : null;
}

/** `text` safe inside Plotly's hover and title HTML. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
