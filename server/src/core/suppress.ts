// Inline suppressions: `# known-good-ignore <rule>[,<rule>] -- <reason>` above a line or at its end.

const PRAGMA = /(?:#|\/\/)\s*known-good-ignore(?:[ \t]+([a-z0-9*][a-z0-9*,\s-]*?))?(?:[ \t]+--[ \t]*(.*))?[ \t]*$/;

/**
 * Find suppression pragmas. Returns, per 0-based line, the rule ids silenced on that line (`*` for
 * all). A pragma on a line of its own applies to the next non-blank line; at the end of a line it
 * applies to that line.
 */
export function findSuppressions(text: string): Map<number, Set<string>> {
  const result = new Map<number, Set<string>>();
  if (!text.includes('known-good-ignore')) return result;
  const lines = text.split(/\r\n|\r|\n/);
  let pending: Set<string> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = line.includes('known-good-ignore') ? PRAGMA.exec(line) : null;
    if (m) {
      const ids = new Set((m[1] ?? '*').split(/[\s,]+/).filter(Boolean));
      if (!ids.size) ids.add('*');
      const before = line.slice(0, m.index).trim();
      if (before === '') {
        pending = pending ? new Set([...pending, ...ids]) : ids;
        continue;
      }
      add(result, i, ids);
    }
    if (pending && line.trim() !== '') {
      add(result, i, pending);
      pending = undefined;
    }
  }
  return result;
}

function add(map: Map<number, Set<string>>, line: number, ids: Set<string>): void {
  const existing = map.get(line);
  map.set(line, existing ? new Set([...existing, ...ids]) : ids);
}

/** Whether any line of [startLine, endLine] silences `ruleId`. */
export function isSuppressed(suppressions: Map<number, Set<string>>, ruleId: string, startLine: number, endLine: number): boolean {
  if (!suppressions.size) return false;
  for (let l = startLine; l <= endLine; l++) {
    const s = suppressions.get(l);
    if (s && (s.has('*') || s.has(ruleId))) return true;
  }
  return false;
}
