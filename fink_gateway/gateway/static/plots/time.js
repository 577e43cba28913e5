// Times of the plotted points: every time axis is MJD, or a UTC date computed from it.

const MJD_OF_JD0 = 2400000.5;
const MJD_OF_UNIX_EPOCH = 40587;
const MS_PER_DAY = 86400000;

/** MJD (days) from a JD (days). */
export function mjdFromJd(jd) {
  return jd === null || jd === undefined ? null : jd - MJD_OF_JD0;
}

/** MJD (days) from an ISO 8601 date, or null when it does not parse. */
export function mjdFromIso(text) {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms / MS_PER_DAY + MJD_OF_UNIX_EPOCH : null;
}

/** ISO 8601 UTC text of an MJD (days), to the millisecond, for Plotly's date axes. */
export function isoFromMjd(mjd) {
  if (mjd === null || mjd === undefined || !Number.isFinite(mjd)) return null;
  return new Date((mjd - MJD_OF_UNIX_EPOCH) * MS_PER_DAY).toISOString();
}
