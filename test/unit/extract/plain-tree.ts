// Test helper: a parsed tree as plain, comparable data (the YAML segment tests compare cut and whole parses).

/** A tree as plain data, in property order: functions (`source`) called, undefined kept, cycles (aliases) marked. */
export function plain(v: unknown, above = new Set<unknown>()): unknown {
  if (typeof v === 'function') return { called: plain((v as () => unknown)(), above) };
  if (v === undefined) return '<undefined>';
  if (v === null || typeof v !== 'object') return v;
  if (above.has(v)) return '<cycle>';
  above.add(v);
  const out = Array.isArray(v) ? v.map((x) => plain(x, above)) : Object.keys(v).map((k) => [k, plain((v as Record<string, unknown>)[k], above)]);
  above.delete(v);
  return out;
}
