// Finds what can be drawn in a GraphQL result, whatever its shape: every object (at any depth,
// under any alias) is recognised by the names of the fields it holds (`selections.js` maps
// aliases back to field names), and paired with the nearest enclosing objectId (or
// diaObjectId, ssnamenr) for legends. Pure: no DOM, no Plotly.
//
// - light curves: columns of a time (jd, mjd, midpointMjdTai) and a brightness (magpsf, mag,
//   dcMag, psfFlux, scienceFlux), or lists of alerts (rows) holding both;
// - period fits: columns phase + magnitude (PeriodFit), with phaseGrid and per-band models;
// - phase curves: columns phase + reducedMag (SolarSystemLightCurve) and fits with
//   bands { modelCurve { phase reducedMag } } (PhaseCurve), paired when they share a parent;
// - cutouts: objects whose `data` is a PNG data URL, or whose `array` is a 2-D pixel array;
// - sky: lists of matches (separation, separationArcsec, or a sky map's credibleLevel) with
//   positions (ra, dec on the match or inside it), around the centre their field was asked.

import { angleDegrees } from "./angles.js";
import { bandName } from "./bands.js";
import { RAW } from "./selections.js";
import { mjdFromIso, mjdFromJd } from "./time.js";

const TIMES = [
  { field: "mjd", toMjd: (value) => value, label: "MJD" },
  { field: "jd", toMjd: mjdFromJd, label: "MJD" },
  { field: "midpointMjdTai", toMjd: (value) => value, label: "MJD (TAI)" },
];

const BRIGHTNESS = [
  { field: "magpsf", error: "sigmapsf", magnitude: true, label: "Difference magnitude" },
  { field: "mag", error: "magErr", magnitude: true, label: "Magnitude (AB)" },
  { field: "dcMag", error: "dcSigmag", magnitude: true, label: "DC magnitude" },
  { field: "psfFlux", error: "psfFluxErr", magnitude: false, label: "PSF flux (nJy)" },
  { field: "scienceFlux", error: "scienceFluxErr", magnitude: false, label: "Science flux (nJy)" },
];

const OWNERS = ["objectId", "diaObjectId", "ssnamenr", "packedDesignation", "designation"];

/** The fields that give each kind of plot, for the panel's hint. */
export const PLOTTABLE_FIELDS = {
  lightcurve: "lightcurve { jd magpsf sigmapsf band tag diffmaglim } (ZTF), "
    + "lightcurve { midpointMjdTai band mag magErr } (LSST)",
  period: "period { phase magnitude sigma band phaseGrid models { band magnitude } }",
  phasecurve: "lightcurve { phase reducedMag band } and "
    + "phaseCurve { bands { band modelCurve { phase reducedMag } } }",
  cutouts: "cutouts(kind: SCIENCE) { kind time data }",
  sky: "conesearch(…) { edges { node { separation alert { objectId ra dec } } } }",
};

/**
 * Everything drawable in `data`.
 *
 * @param {object} data The result's `data`.
 * @param {object} selection What the query asked for (`operationSelection`), or `RAW`.
 * @returns {{lightcurves: object[], periods: object[], phaseCurves: object[],
 *   cutouts: object[], sky: object[]}}
 */
export function findPlottables(data, selection = RAW) {
  const found = { lightcurves: [], periods: [], phaseCurves: [], cutouts: [], sky: [] };
  const phaseGroups = new Map();
  let nodes = 0;

  const phaseGroup = (context) => {
    const key = context.parent ?? -1;
    if (!phaseGroups.has(key)) {
      phaseGroups.set(key, {
        label: context.label,
        path: context.pathText.split(".").slice(0, -1).join("."),
        observations: null,
        models: [],
        model: null, status: null, message: null,
      });
    }
    return phaseGroups.get(key);
  };

  const visitObject = (value, selection, context) => {
    const id = nodes++;
    const node = canonical(value, selection);
    const owner = ownerOf(node.fields);
    const here = {
      ...context,
      owner: owner ?? context.owner,
      label: owner ?? context.owner ?? (context.pathText || "result"),
    };

    const lightCurve = columnLightCurve(node.fields, here);
    if (lightCurve) found.lightcurves.push(lightCurve);
    const period = periodFit(node, here);
    if (period) found.periods.push(period);
    const observations = phaseObservations(node.fields, here);
    if (observations) {
      const group = phaseGroup(here);
      group.observations = observations;
      if (owner === null && here.owner) group.label = here.owner;
    }
    const fit = phaseFit(node, here);
    if (fit) {
      const group = phaseGroup(here);
      Object.assign(group, { models: fit.models, model: fit.model, status: fit.status,
        message: fit.message });
    }
    const cutout = cutoutOf(node.fields, here);
    if (cutout) found.cutouts.push(cutout);

    for (const child of node.children) {
      const path = [...context.path, child.key];
      visit(child.value, child.selection, {
        path,
        pathText: path.filter((part) => typeof part === "string").join("."),
        owner: here.owner,
        parent: id,
        field: child,
        chain: [...context.chain, child],
      });
    }
  };

  const visitList = (list, selection, context) => {
    const items = entriesOf(list, selection);
    if (items.length) {
      found.lightcurves.push(...rowLightCurves(items, context));
      const sky = skyMatches(items, context);
      if (sky) found.sky.push(sky);
    }
    list.forEach((item, index) => {
      visit(item, selection, { ...context, path: [...context.path, index] });
    });
  };

  const visit = (value, selection, context) => {
    if (Array.isArray(value)) {
      if (value.some(isObject)) visitList(value, selection, context);
    } else if (isObject(value)) {
      visitObject(value, selection, context);
    }
  };

  visit(data, selection, { path: [], pathText: "", owner: null, parent: null, field: null,
    chain: [] });
  for (const group of phaseGroups.values()) {
    if (group.observations || group.models.length || group.status) found.phaseCurves.push(group);
  }
  return found;
}

/** True when `data` holds nothing `findPlottables` draws. */
export function isEmpty(found) {
  return Object.values(found).every((list) => list.length === 0);
}

// --- objects and lists --------------------------------------------------------------------

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Fields of an object by field name (first alias wins), and its object-valued children. */
function canonical(value, selection) {
  const fields = {};
  const children = [];
  for (const [key, child] of Object.entries(value)) {
    const field = selection.field(key) ?? { name: key, args: {}, selection: RAW };
    if (!(field.name in fields)) fields[field.name] = child;
    if (child !== null && typeof child === "object") {
      children.push({ key, name: field.name, args: field.args, selection: field.selection,
        value: child });
    }
  }
  return { fields, children };
}

/** The non-null objects of a list, each edge `{ node }` replaced by its node. */
function entriesOf(list, selection) {
  const entries = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const entry = canonical(item, selection);
    const edge = entry.children.find((child) => child.name === "node" && isObject(child.value));
    entries.push(edge ? canonical(edge.value, edge.selection) : entry);
  }
  return entries;
}

function ownerOf(fields) {
  for (const name of OWNERS) {
    const value = fields[name];
    if (typeof value === "string" && value) return value;
    if (typeof value === "number") return String(value);
  }
  return null;
}

function isColumn(value) {
  return Array.isArray(value) && value.every((item) => item === null || typeof item !== "object");
}

function column(fields, name) {
  return isColumn(fields[name]) ? fields[name] : null;
}

// --- light curves -------------------------------------------------------------------------

function columnLightCurve(fields, context) {
  const time = TIMES.find((candidate) => isColumn(fields[candidate.field]));
  const brightness = BRIGHTNESS.find((candidate) => isColumn(fields[candidate.field]));
  if (!time || !brightness) return null;
  const times = fields[time.field];
  const band = column(fields, "band");
  const fid = column(fields, "fid");
  const isdiffpos = column(fields, "isdiffpos");
  const dc = brightness.field !== "dcMag" && column(fields, "dcMag")
    ? { value: fields.dcMag, error: column(fields, "dcSigmag"), label: "DC magnitude" }
    : null;
  return {
    label: context.label,
    owner: context.owner,
    path: context.pathText,
    source: context.field?.name ?? "",
    survey: time.field === "midpointMjdTai" || brightness.field.endsWith("Flux") ? "LSST" : "ZTF",
    timeLabel: time.label,
    mjd: times.map((value) => (typeof value === "number" ? time.toMjd(value) : null)),
    value: fields[brightness.field],
    error: column(fields, brightness.error),
    magnitude: brightness.magnitude,
    valueLabel: brightness.label,
    band: times.map((_, i) => bandName(band?.[i], fid?.[i])),
    tag: column(fields, "tag"),
    limit: column(fields, "diffmaglim"),
    negative: isdiffpos ? isdiffpos.map((value) => value === "f" || value === "0") : null,
    dc,
  };
}

/** Light curves from a list of alerts (rows with a time and a magnitude), one per object. */
function rowLightCurves(items, context) {
  const rows = items.filter(({ fields }) => rowTime(fields) !== null
    && BRIGHTNESS.some((candidate) => typeof fields[candidate.field] === "number"));
  if (rows.length === 0) return [];
  const groups = new Map();
  for (const { fields } of rows) {
    const owner = ownerOf(fields) ?? context.owner;
    const label = owner ?? (context.pathText || "result");
    if (!groups.has(label)) groups.set(label, { owner, rows: [] });
    groups.get(label).rows.push(fields);
  }
  const source = [...context.chain].reverse()
    .find((field) => !["edges", "nodes", "node"].includes(field.name))?.name ?? "";
  return [...groups.entries()].map(([label, { owner, rows: group }]) => {
    const brightness = BRIGHTNESS.find((candidate) => typeof group[0][candidate.field] === "number")
      ?? BRIGHTNESS[0];
    const pick = (name) => group.map((row) => (row[name] === undefined ? null : row[name]));
    const hasError = group.some((row) => typeof row[brightness.error] === "number");
    const tags = pick("tag");
    return {
      label,
      owner,
      path: context.pathText,
      source,
      survey: "midpointMjdTai" in group[0] ? "LSST" : "ZTF",
      timeLabel: "MJD",
      mjd: group.map(rowTime),
      value: pick(brightness.field),
      error: hasError ? pick(brightness.error) : null,
      magnitude: brightness.magnitude,
      valueLabel: brightness.label,
      band: group.map((row) => bandName(row.band, row.fid)),
      tag: tags.some((tag) => typeof tag === "string") ? tags : null,
      limit: group.some((row) => typeof row.diffmaglim === "number") ? pick("diffmaglim") : null,
      negative: group.some((row) => typeof row.isdiffpos === "string")
        ? group.map((row) => row.isdiffpos === "f" || row.isdiffpos === "0") : null,
      dc: null,
    };
  });
}

function rowTime(fields) {
  for (const time of TIMES) {
    if (typeof fields[time.field] === "number") return time.toMjd(fields[time.field]);
  }
  return typeof fields.time === "string" ? mjdFromIso(fields.time) : null;
}

// --- period fits --------------------------------------------------------------------------

function periodFit(node, context) {
  const { fields } = node;
  const phase = column(fields, "phase");
  const magnitude = column(fields, "magnitude");
  if (!phase || !magnitude) return null;
  const band = column(fields, "band");
  const modelsChild = node.children.find((child) => child.name === "models");
  const models = Array.isArray(modelsChild?.value)
    ? entriesOf(modelsChild.value, modelsChild.selection)
      .filter(({ fields: model }) => isColumn(model.magnitude))
      .map(({ fields: model }) => ({ band: bandName(model.band, model.fid),
        magnitude: model.magnitude }))
    : [];
  return {
    label: context.label,
    owner: context.owner,
    path: context.pathText,
    phase,
    magnitude,
    sigma: column(fields, "sigma"),
    band: phase.map((_, i) => bandName(band?.[i], undefined)),
    phaseGrid: column(fields, "phaseGrid"),
    models,
    periodDays: typeof fields.periodDays === "number" ? fields.periodDays : null,
    power: typeof fields.power === "number" ? fields.power : null,
    status: typeof fields.status === "string" ? fields.status : null,
    message: typeof fields.message === "string" ? fields.message : null,
    dcMagnitudes: fields.dcMagnitudes === true,
  };
}

// --- phase curves -------------------------------------------------------------------------

function phaseObservations(fields, context) {
  if (context.field?.name === "modelCurve") return null;
  const phase = column(fields, "phase");
  const reduced = column(fields, "reducedMag");
  if (!phase || !reduced || column(fields, "magnitude")) return null;
  const band = column(fields, "band");
  const fid = column(fields, "fid");
  return {
    phase,
    reducedMag: reduced,
    error: column(fields, "sigmapsf"),
    band: phase.map((_, i) => bandName(band?.[i], fid?.[i])),
  };
}

function phaseFit(node, context) {
  const bandsChild = node.children.find((child) => child.name === "bands");
  if (!Array.isArray(bandsChild?.value)) return null;
  const models = [];
  for (const entry of entriesOf(bandsChild.value, bandsChild.selection)) {
    const curve = entry.children.find((child) => child.name === "modelCurve");
    if (!curve || !isObject(curve.value)) continue;
    const points = canonical(curve.value, curve.selection).fields;
    if (!isColumn(points.phase) || !isColumn(points.reducedMag)) continue;
    models.push({ band: bandName(entry.fields.band, entry.fields.fid), phase: points.phase,
      reducedMag: points.reducedMag });
  }
  const { fields } = node;
  const hasFit = models.length > 0 || typeof fields.status === "string";
  if (!hasFit) return null;
  const model = typeof fields.model === "string" ? fields.model : context.field?.args?.model;
  return {
    models,
    model: typeof model === "string" ? model : null,
    status: typeof fields.status === "string" ? fields.status : null,
    message: typeof fields.message === "string" ? fields.message : null,
  };
}

// --- cutouts ------------------------------------------------------------------------------

function cutoutOf(fields, context) {
  const png = typeof fields.data === "string" && fields.data.startsWith("data:image/");
  const pixels = Array.isArray(fields.array) && fields.array.length > 0
    && fields.array.every(Array.isArray);
  if (!png && !pixels) return null;
  const kind = typeof fields.kind === "string" ? fields.kind
    : (context.field?.args?.kind ?? context.field?.key ?? "");
  let time = typeof fields.time === "string" ? fields.time : null;
  if (time === null && typeof fields.jd === "number") {
    time = new Date((fields.jd - 2440587.5) * 86400000).toISOString();
  }
  return {
    label: context.label,
    owner: context.owner,
    path: context.pathText,
    kind: String(kind),
    time,
    fileName: typeof fields.fileName === "string" ? fields.fileName : null,
    src: png ? fields.data : null,
    array: pixels ? fields.array : null,
  };
}

// --- sky ----------------------------------------------------------------------------------

function skyMatches(items, context) {
  const separationOf = (fields) => (typeof fields.separation === "number" ? fields.separation
    : typeof fields.separationArcsec === "number" ? fields.separationArcsec : null);
  const matches = items.filter(({ fields }) => separationOf(fields) !== null
    || typeof fields.credibleLevel === "number");
  if (matches.length === 0) return null;
  const skymap = matches.every(({ fields }) => typeof fields.credibleLevel === "number")
    && !matches.some(({ fields }) => separationOf(fields) !== null);
  const points = [];
  let unplaced = 0;
  for (const entry of matches) {
    const position = positionOf(entry);
    if (!position) {
      unplaced += 1;
      continue;
    }
    points.push({
      ra: position.ra,
      dec: position.dec,
      label: ownerOf(entry.fields) ?? position.owner ?? "",
      separationArcsec: separationOf(entry.fields),
      credibleLevel: typeof entry.fields.credibleLevel === "number"
        ? entry.fields.credibleLevel : null,
    });
  }
  const centre = centreOf(context.chain);
  return {
    kind: skymap ? "skymap" : "cone",
    label: context.pathText || "result",
    path: context.pathText,
    centre: centre?.position ?? null,
    radiusArcsec: centre?.radiusArcsec ?? null,
    points,
    unplaced,
  };
}

/** The first object at or below `entry` (breadth first, 3 levels) with numbers ra and dec. */
function positionOf(entry) {
  let level = [entry];
  for (let depth = 0; depth < 4 && level.length; depth += 1) {
    const next = [];
    for (const { fields, children } of level) {
      if (typeof fields.ra === "number" && typeof fields.dec === "number") {
        return { ra: fields.ra, dec: fields.dec, owner: ownerOf(fields) };
      }
      for (const child of children) {
        if (isObject(child.value)) next.push(canonical(child.value, child.selection));
      }
    }
    level = next;
  }
  return null;
}

/** The centre (deg) and radius (arcsec) of the nearest enclosing field asked with ra, dec. */
function centreOf(chain) {
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const args = chain[i].args ?? {};
    if (args.ra === undefined || args.dec === undefined) continue;
    const ra = angleDegrees(args.ra, { hours: true });
    const dec = angleDegrees(args.dec, { hours: false });
    if (ra === null || dec === null) return null;
    const radius = typeof args.radius === "number" ? args.radius : null;
    return { position: { ra, dec }, radiusArcsec: radius };
  }
  return null;
}
