// Cutouts: the stamps of the result as images, each with its kind, date and object, and a link
// that saves it as PNG. PNG stamps are shown as sent; pixel arrays (format: ARRAY) are drawn
// with the gateway's default stretch (sigmoid of the standardised pixels, row 0 on top).

/** Append a grid of the `cutouts` (from `findPlottables`) to `parent`. */
export function drawCutouts(parent, cutouts) {
  const grid = document.createElement("div");
  grid.className = "fink-plots-cutouts";
  for (const cutout of cutouts) {
    const src = cutout.src ?? pngOfArray(cutout.array);
    const figure = document.createElement("figure");
    figure.className = "fink-plots-cutout";
    const image = document.createElement("img");
    image.src = src;
    image.alt = `${cutout.kind} stamp of ${cutout.label}`;
    image.dataset.kind = cutout.kind;
    const caption = document.createElement("figcaption");
    const when = cutout.time ? cutout.time.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "";
    caption.textContent = [cutout.kind.toLowerCase(), when, cutout.label]
      .filter(Boolean).join(" · ");
    const save = document.createElement("a");
    save.href = src;
    save.download = `${cutout.label}-${cutout.kind}-${(cutout.time ?? "").slice(0, 19)}.png`
      .replace(/[^A-Za-z0-9._-]+/g, "_");
    save.textContent = "PNG";
    save.className = "fink-plots-button";
    save.title = "Save this stamp as PNG";
    caption.append(" ", save);
    figure.append(image, caption);
    grid.append(figure);
  }
  parent.append(grid);
  return grid;
}

/** A PNG data URL of a 2-D array of pixel values (null: NaN, drawn as 0 like the gateway). */
export function pngOfArray(rows) {
  const height = rows.length;
  const width = Math.max(...rows.map((row) => row.length));
  const values = rows.flatMap((row) => row.map((v) => (typeof v === "number" ? v : 0)));
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length) || 1;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  const image = context.createImageData(width, height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x += 1) {
      const v = typeof row[x] === "number" ? row[x] : 0;
      const grey = Math.trunc(255 / (1 + Math.exp(-(v - mean) / std)));
      const at = 4 * (y * width + x);
      image.data.set([grey, grey, grey, 255], at);
    }
  });
  context.putImageData(image, 0, 0);
  return canvas.toDataURL("image/png");
}
