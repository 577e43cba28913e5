// Sky plots of matches: around the centre of a cone search (gnomonic offsets, east to the
// left, equal scales, the cone's circle), or at their RA/Dec when no centre is known (a sky
// map's matches, coloured by credible level).

import { axis, baseLayout, escapeHtml } from "./style.js";

const ARCSEC_PER_RADIAN = 180 / Math.PI * 3600;
const MATCH_COLOR = "#15284F";
const CENTRE_COLOR = "#F5622E";

/** The figure of one group of sky matches found by `findPlottables`. */
export function skyFigure(group) {
  return group.centre ? coneFigure(group) : radecFigure(group);
}

/** Offsets (arcsec) of (ra, dec) on the plane tangent at `centre` (all in deg). */
export function gnomonic(centre, ra, dec) {
  const rad = Math.PI / 180;
  const dRa = (ra - centre.ra) * rad;
  const d0 = centre.dec * rad;
  const d = dec * rad;
  const cosC = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(dRa);
  const xi = Math.cos(d) * Math.sin(dRa) / cosC;
  const eta = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(dRa)) / cosC;
  return { x: xi * ARCSEC_PER_RADIAN, y: eta * ARCSEC_PER_RADIAN };
}

function unitFor(extentArcsec) {
  if (extentArcsec < 120) return { name: "arcsec", scale: 1 };
  if (extentArcsec < 7200) return { name: "arcmin", scale: 60 };
  return { name: "deg", scale: 3600 };
}

function coneFigure(group) {
  const offsets = group.points.map((point) => gnomonic(group.centre, point.ra, point.dec));
  const radius = group.radiusArcsec;
  const extent = Math.max(radius ?? 0, ...offsets.map((o) => Math.hypot(o.x, o.y)), 1);
  const unit = unitFor(extent);
  const data = [{
    type: "scatter",
    mode: "markers",
    name: `matches (${group.points.length})`,
    x: offsets.map((o) => o.x / unit.scale),
    y: offsets.map((o) => o.y / unit.scale),
    text: group.points.map(hoverText),
    hovertemplate: "%{text}<extra></extra>",
    marker: { color: MATCH_COLOR, size: 9, line: { width: 1, color: "#ffffff" } },
    meta: { kind: "sky", role: "matches" },
  }, {
    type: "scatter",
    mode: "markers",
    name: "centre",
    x: [0],
    y: [0],
    hovertemplate: `centre<br>RA ${group.centre.ra.toFixed(6)}°, Dec ${group.centre.dec
      .toFixed(6)}°<extra></extra>`,
    marker: { color: CENTRE_COLOR, symbol: "cross-thin-open", size: 16,
      line: { width: 2, color: CENTRE_COLOR } },
    meta: { kind: "sky", role: "centre", ra: group.centre.ra, dec: group.centre.dec },
  }];
  if (radius) {
    // a cone of angular radius r is a circle of radius tan(r) on the tangent plane
    const r = Math.tan(radius / ARCSEC_PER_RADIAN) * ARCSEC_PER_RADIAN / unit.scale;
    const angles = Array.from({ length: 181 }, (_, i) => (i * 2 * Math.PI) / 180);
    data.push({
      type: "scatter",
      mode: "lines",
      name: `radius ${radius}″`,
      x: angles.map((a) => r * Math.cos(a)),
      y: angles.map((a) => r * Math.sin(a)),
      line: { color: "#999999", width: 1, dash: "dot" },
      hoverinfo: "skip",
      meta: { kind: "sky", role: "radius" },
    });
  }
  const title = `${escapeHtml(group.label)} · ${group.points.length} matches around `
    + `${group.centre.ra.toFixed(5)}°, ${group.centre.dec.toFixed(5)}°`;
  const layout = baseLayout(title, { height: 400 });
  layout.xaxis = axis(`ΔRA cos δ (${unit.name}, east left)`, { autorange: "reversed",
    zeroline: false });
  layout.yaxis = axis(`ΔDec (${unit.name})`, { scaleanchor: "x", scaleratio: 1 });
  return { data, layout };
}

function radecFigure(group) {
  const ras = group.points.map((point) => point.ra);
  // keep a group that straddles RA 0 in one piece
  const wraps = ras.length && Math.max(...ras) - Math.min(...ras) > 180;
  const x = wraps ? ras.map((ra) => (ra > 180 ? ra - 360 : ra)) : ras;
  const levels = group.points.map((point) => point.credibleLevel);
  const coloured = levels.some((level) => level !== null);
  const marker = coloured
    ? { color: levels, colorscale: "Viridis", reversescale: true, cmin: 0, cmax: 1, size: 9,
      showscale: true, colorbar: { title: { text: "credible<br>level" }, thickness: 12 } }
    : { color: MATCH_COLOR, size: 9 };
  const data = [{
    type: "scatter",
    mode: "markers",
    name: `matches (${group.points.length})`,
    x,
    y: group.points.map((point) => point.dec),
    text: group.points.map(hoverText),
    hovertemplate: "%{text}<extra></extra>",
    marker,
    meta: { kind: "sky", role: "matches" },
  }];
  const what = group.kind === "skymap" ? "sky-map matches" : "matches";
  const layout = baseLayout(`${escapeHtml(group.label)} · ${group.points.length} ${what}`,
    { height: 400 });
  layout.showlegend = false;
  layout.xaxis = axis(`RA (deg${wraps ? ", −180…180" : ""})`, { autorange: "reversed" });
  layout.yaxis = axis("Dec (deg)");
  return { data, layout };
}

function hoverText(point) {
  const lines = [`<b>${escapeHtml(point.label || "match")}</b>`,
    `RA ${point.ra.toFixed(6)}°, Dec ${point.dec.toFixed(6)}°`];
  if (point.separationArcsec !== null) lines.push(`${point.separationArcsec.toFixed(2)}″`);
  if (point.credibleLevel !== null) lines.push(`credible level ${point.credibleLevel.toFixed(3)}`);
  return lines.join("<br>");
}
