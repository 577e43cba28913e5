// What the query asked for, by response key: each key of the result is an alias or a field
// name; its selection says which field it is and with which arguments (variables resolved).
// This is how the plots recognise `t: jd` as a time column, or find the centre of
// `near: conesearch(ra: …, dec: …)`, whatever the aliases.
//
// A selection is { field(key) -> { name, args, selection } | null }. When the query cannot be
// read, the result's keys are taken as field names (`RAW`).

/** The selection that takes every key as the field of that name, without arguments. */
export const RAW = { has: () => true, field: (key) => ({ name: key, args: {}, selection: RAW }) };

/**
 * The selection of the operation that produced `data`.
 *
 * @param {(text: string) => object} parse GraphQL's parser (graphql-js `parse`).
 * @param {string} queryText The query document.
 * @param {string} variablesText The variables, as JSON text (may be empty).
 * @param {object} data The result's `data`, to choose among several operations.
 */
export function operationSelection(parse, queryText, variablesText, data) {
  let document;
  try {
    document = parse(queryText);
  } catch {
    return RAW;
  }
  const fragments = new Map();
  const operations = [];
  for (const definition of document.definitions) {
    if (definition.kind === "FragmentDefinition") fragments.set(definition.name.value, definition);
    if (definition.kind === "OperationDefinition") operations.push(definition);
  }
  if (operations.length === 0) return RAW;
  const variables = { ...parseVariables(variablesText) };
  const context = { fragments, variables };
  const candidates = operations.map((operation) => {
    const selection = makeSelection([operation.selectionSet], context);
    return { operation, selection };
  });
  const keys = Object.keys(data ?? {});
  const chosen = candidates.length === 1
    ? candidates[0]
    : candidates.reduce((best, candidate) => (
      score(candidate.selection, keys) > score(best.selection, keys) ? candidate : best));
  for (const definition of chosen.operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!(name in variables) && definition.defaultValue) {
      variables[name] = valueOf(definition.defaultValue, {});
    }
  }
  return chosen.selection;
}

function parseVariables(text) {
  if (!text || !text.trim()) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

function score(selection, keys) {
  return keys.filter((key) => selection.has(key)).length;
}

/** A selection over the union of `selectionSets` (same response key: sub-selections merge). */
function makeSelection(selectionSets, context) {
  let fields = null;
  const collect = () => {
    if (fields) return fields;
    fields = new Map();
    const seen = new Set();
    const visit = (selectionSet) => {
      for (const node of selectionSet?.selections ?? []) {
        if (node.kind === "Field") {
          const key = node.alias ? node.alias.value : node.name.value;
          const entry = fields.get(key) ?? { node, sets: [] };
          if (node.selectionSet) entry.sets.push(node.selectionSet);
          fields.set(key, entry);
        } else if (node.kind === "InlineFragment") {
          visit(node.selectionSet);
        } else if (node.kind === "FragmentSpread") {
          const name = node.name.value;
          if (!seen.has(name) && context.fragments.has(name)) {
            seen.add(name);
            visit(context.fragments.get(name).selectionSet);
          }
        }
      }
    };
    selectionSets.forEach(visit);
    return fields;
  };
  const resolved = new Map();
  return {
    has: (key) => collect().has(key),
    field(key) {
      if (resolved.has(key)) return resolved.get(key);
      const entry = collect().get(key);
      const field = entry
        ? {
          name: entry.node.name.value,
          args: argumentsOf(entry.node, context.variables),
          selection: entry.sets.length ? makeSelection(entry.sets, context) : RAW,
        }
        : null;
      resolved.set(key, field);
      return field;
    },
  };
}

function argumentsOf(node, variables) {
  const args = {};
  for (const argument of node.arguments ?? []) {
    args[argument.name.value] = valueOf(argument.value, variables);
  }
  return args;
}

function valueOf(node, variables) {
  switch (node.kind) {
    case "Variable":
      return variables[node.name.value] ?? null;
    case "IntValue":
    case "FloatValue":
      return Number(node.value);
    case "StringValue":
    case "EnumValue":
      return node.value;
    case "BooleanValue":
      return node.value;
    case "NullValue":
      return null;
    case "ListValue":
      return node.values.map((value) => valueOf(value, variables));
    case "ObjectValue":
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, valueOf(field.value, variables)]));
    default:
      return null;
  }
}
