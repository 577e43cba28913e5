// Colours and markers of the photometric bands, as Fink draws them.
//
// ZTF g and r are the Fink portal's (fink-science-portal, apps/plotting.py: COLORS_ZTF, and
// COLORS_ZTF_NEGATIVE for negative subtractions); the portal does not draw ZTF i, which gets
// a neutral grey here. LSST u…y are Fink's defaults for Rubin (fink-utils,
// fink_utils/tg_bot/utils.py: LSST_DEFAULT_FINK_COLORS and LSST_DEFAULT_FINK_MARKERS).

const ZTF = {
  g: { color: "#15284F", negative: "#274667", symbol: "circle" },
  r: { color: "#F5622E", negative: "#F57A2E", symbol: "circle" },
  i: { color: "#7F7F7F", negative: "#A0A0A0", symbol: "circle" },
};

const LSST = {
  u: { color: "#15284F", symbol: "circle" },
  g: { color: "#626D84", symbol: "triangle-left" },
  r: { color: "#AFB2B9", symbol: "triangle-right" },
  i: { color: "#DBBEB2", symbol: "square" },
  z: { color: "#E89070", symbol: "star" },
  y: { color: "#F5622E", symbol: "pentagon" },
};

const OTHER = { color: "#555555", negative: "#888888", symbol: "circle" };

/** ZTF filter ids (i:fid) to band names. */
export const ZTF_FID = { 1: "g", 2: "r", 3: "i" };

/** Bands in wavelength order, for legends. */
export const BAND_ORDER = ["u", "g", "r", "i", "z", "y"];

/** The band name of a point: its `band` text, else its ZTF filter id. */
export function bandName(band, fid) {
  if (typeof band === "string" && band) return band;
  if (fid !== undefined && fid !== null) return ZTF_FID[fid] ?? String(fid);
  return "?";
}

/** Colour, colour of negative subtractions and marker symbol of `band` in `survey`. */
export function bandStyle(survey, band) {
  const style = (survey === "LSST" ? LSST : ZTF)[band] ?? OTHER;
  return { color: style.color, negative: style.negative ?? style.color, symbol: style.symbol };
}

/** Sort key of a band name (wavelength order, unknown bands last). */
export function bandRank(band) {
  const rank = BAND_ORDER.indexOf(band);
  return rank < 0 ? BAND_ORDER.length : rank;
}
