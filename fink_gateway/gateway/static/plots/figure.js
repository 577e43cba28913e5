// A figure on the page: Plotly, loaded on first use from the gateway's own files, draws it in a
// card with buttons that download it as PNG or SVG. Everything happens in the browser.

let loading = null;

/** Plotly, loading its script from `url` the first time. */
export function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => (window.Plotly ? resolve(window.Plotly)
        : reject(new Error(`${url} did not define Plotly`)));
      script.onerror = () => {
        loading = null;
        reject(new Error(`Plotly could not be loaded from ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}

const CONFIG = {
  displaylogo: false,
  responsive: true,
  // the card's own buttons download PNG and SVG; the data is never sent anywhere
  modeBarButtonsToRemove: ["toImage", "select2d", "lasso2d"],
};

/**
 * Draw `figure` ({data, layout}) in a new card appended to `parent`.
 *
 * @param {HTMLElement} parent Where the card goes.
 * @param {object} figure Plotly's data and layout.
 * @param {{kind: string, name: string, note?: string}} about `kind` (data-kind of the plot),
 *   `name` (file name of downloads, without extension), `note` (a line under the plot).
 * @returns {Promise<HTMLElement>} The plot's element (Plotly's graph div).
 */
export async function drawFigure(Plotly, parent, figure, about) {
  const card = document.createElement("div");
  card.className = "fink-plots-card";
  const plot = document.createElement("div");
  plot.className = "fink-plot";
  plot.dataset.kind = about.kind;
  const tools = document.createElement("div");
  tools.className = "fink-plots-tools";
  for (const format of ["png", "svg"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fink-plots-button";
    button.dataset.download = format;
    button.textContent = format.toUpperCase();
    button.title = `Download this plot as ${format.toUpperCase()}`;
    button.addEventListener("click", () => download(Plotly, plot, format, about.name));
    tools.append(button);
  }
  card.append(tools, plot);
  if (about.note) card.append(noteElement(about.note));
  parent.append(card);
  await Plotly.newPlot(plot, figure.data, figure.layout, CONFIG);
  const observer = new ResizeObserver(() => {
    if (plot.isConnected && plot.offsetWidth > 0) Plotly.Plots.resize(plot);
  });
  observer.observe(card);
  plot.finkObserver = observer;
  return plot;
}

/** Release the plots under `root` (Plotly's listeners, resize observers). */
export function purgeFigures(Plotly, root) {
  for (const plot of root.querySelectorAll(".fink-plot")) {
    plot.finkObserver?.disconnect();
    if (Plotly) Plotly.purge(plot);
  }
}

function download(Plotly, plot, format, name) {
  const { width, height } = plot.getBoundingClientRect();
  return Plotly.downloadImage(plot, {
    format,
    filename: name.replace(/[^A-Za-z0-9._-]+/g, "_"),
    width: Math.max(600, Math.round(width)),
    height: Math.max(360, Math.round(height)),
  });
}

export function noteElement(text) {
  const note = document.createElement("p");
  note.className = "fink-plots-note";
  note.textContent = text;
  return note;
}
