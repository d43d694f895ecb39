import { isFunctionValue } from './bounded-builtins';

/** Nesting deeper than this is returned as it is rather than walked. */
const MAX_DEPTH = 100;

/** True for JSONata's internal sequence arrays (they carry flags such as `sequence` as own properties). */
const isSequence = (v: unknown[]): boolean => Object.hasOwn(v, 'sequence') || Object.hasOwn(v, 'keepSingleton') || Object.hasOwn(v, 'outerWrapper');

/**
 * Normalises a JSONata result to plain JSON: sequences (arrays with flag properties) become plain
 * arrays, functions (JS functions and JSONata lambdas/built-in references) are dropped (`undefined` at the top,
 * `null` in arrays, key removed in objects).
 * Copies only what needs it, so returning a big input object is cheap (no stringify round trip).
 */
export function toJsonValue(value: unknown, depth = 0): unknown {
  if (isFunctionValue(value)) return undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined = isSequence(value) ? value.slice() : undefined;
    for (let i = 0; i < value.length; i++) {
      const v = toJsonValue(value[i], depth + 1);
      if (v !== value[i]) (copy ??= value.slice())[i] = v === undefined ? null : v;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const old = (value as Record<string, unknown>)[key];
    const v = toJsonValue(old, depth + 1);
    if (v === old) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    if (v === undefined) delete copy[key];
    else copy[key] = v;
  }
  return copy ?? value;
}
