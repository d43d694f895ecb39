/**
 * The JSONata references the editor writes for the user: a node's output (`steps.<id>`), and a field inside the
 * input, the trigger payload or a node's output (`input.body.name`, `steps.greet.items[0]`). Names that are not
 * plain identifiers — hyphens, spaces, a leading digit or `$`, JSONata's own words — are backquoted, so every
 * reference evaluates as written (step-reference.test.ts checks them against the engine).
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** One name of a path: as is when JSONata reads it as a field name, else backquoted (a backquote cannot be quoted). */
export const pathName = (name: string): string => (IDENTIFIER.test(name) && !RESERVED.has(name) ? name : `\`${name.replace(/`/g, '')}\``);

/** `parent.key`, with the key quoted when needed. */
export const memberPath = (parent: string, key: string): string => `${parent}.${pathName(key)}`;

/**
 * The JSONata path to a node's output. Ids that are not plain identifiers (`set-1sc7es`, made by older editors or
 * the API) are quoted with backticks: `steps.set-1sc7es` would read as `steps.set` minus `1sc7es`.
 */
export const stepPath = (nodeId: string): string => memberPath('steps', nodeId);

/** The template a user copies to reference a node's output, e.g. `{{ steps.set_1sc7es }}`. */
export const stepReference = (nodeId: string): string => `{{ ${stepPath(nodeId)} }}`;

/** The path to a field under `root` (`input`, `trigger`, `steps.<id>`): keys are members, numbers array indexes. */
export function fieldPath(root: string, segments: ReadonlyArray<string | number>): string {
  let path = root;
  for (const s of segments) path = typeof s === 'number' ? `${path}[${s}]` : memberPath(path, s);
  return path;
}
