// Sky angles as the gateway accepts them (its Angle scalar): degrees as a number or text, or
// sexagesimal text — hours for right ascension ('6h09m46.7s', '06:09:46.7', '06 09 46.7'),
// degrees for declination ('+35d34m20s', '35:34:20').

const PARTS = /^([+-])?\s*(\d+(?:\.\d*)?)\s*[hd:\s°]\s*(\d+(?:\.\d*)?)?\s*[m:'′\s]?\s*(\d+(?:\.\d*)?)?\s*[s"″]?$/i;

/** Degrees of a right ascension (`hours`) or declination, or null when it cannot be read. */
export function angleDegrees(value, { hours }) {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (text === "") return null;
  const number = Number(text);
  if (Number.isFinite(number)) return number;
  const match = PARTS.exec(text);
  if (!match) return null;
  const [, sign, first, minutes = "0", seconds = "0"] = match;
  const inHours = hours && !/d|°/i.test(text);
  const magnitude = Number(first) + Number(minutes) / 60 + Number(seconds) / 3600;
  const degrees = inHours ? magnitude * 15 : magnitude;
  return sign === "-" ? -degrees : degrees;
}
