// The GraphiQL plugin: a "Plots" button in GraphiQL's sidebar that opens the panel. The panel
// follows the response editor (every result, every tab) and reads the query and variables
// editors to know the result's aliases. Uses the React and GraphiQL globals of the page.

import { PlotsPanel } from "./panel.js";

const { createElement: h, useEffect, useRef } = window.React;

function PlotsIcon() {
  return h("svg", { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
    strokeWidth: 1.5, strokeLinecap: "round", strokeLinejoin: "round", "aria-hidden": "true" },
  h("path", { d: "M3 3v18h18" }),
  h("path", { d: "M6.5 16.5l4-6 3.5 3 5-8" }),
  h("circle", { cx: "6.5", cy: "16.5", r: "1" }),
  h("circle", { cx: "10.5", cy: "10.5", r: "1" }),
  h("circle", { cx: "14", cy: "13.5", r: "1" }),
  h("circle", { cx: "19", cy: "5.5", r: "1" }));
}

/** Open `query` in a new GraphiQL tab (or, without tabs, in the query editor). */
function insertQuery(editors, query) {
  if (typeof editors.addTab === "function") {
    editors.addTab();
    // the new tab's editors are filled when React applies the tab change: write after it
    setTimeout(() => editors.queryEditor?.setValue(query), 0);
  } else {
    editors.queryEditor?.setValue(query);
  }
}

/**
 * The plugin object for GraphiQL's `plugins` prop.
 *
 * @param {{plotly: string, examples: object}} config `plotly`: URL of Plotly's script;
 *   `examples`: example queries by plot kind ({title, query}).
 */
export function plotsPlugin(config) {
  function PlotsContent() {
    const editors = window.GraphiQL.React.useEditorContext({ nonNull: true });
    const latest = useRef(editors);
    latest.current = editors;
    const root = useRef(null);
    const { responseEditor } = editors;
    useEffect(() => {
      if (!responseEditor || !root.current) return undefined;
      const panel = new PlotsPanel(root.current, {
        plotly: config.plotly,
        examples: config.examples,
        parse: window.GraphiQL.GraphQL.parse,
        insertQuery: (query) => insertQuery(latest.current, query),
      });
      const read = () => panel.show(
        responseEditor.getValue(),
        latest.current.queryEditor?.getValue() ?? "",
        latest.current.variableEditor?.getValue() ?? "",
      );
      let timer = null;
      const changed = () => {
        clearTimeout(timer);
        timer = setTimeout(read, 100);
      };
      responseEditor.on("change", changed);
      read();
      return () => {
        clearTimeout(timer);
        responseEditor.off("change", changed);
        panel.destroy();
      };
    }, [responseEditor]);
    return h("div", { ref: root, className: "fink-plots", "data-state": "empty" });
  }
  return { title: "Plots", icon: PlotsIcon, content: PlotsContent };
}
