// Value trees (maps with duplicate keys, YAML tags) and their emitters: YAML in many styles (block and
// flow, every scalar style, anchors, aliases and merge keys) and JSON (CloudFormation long-form intrinsics).

/** A mapping (keys may repeat, as in a half-edited file). */
export class YMap {
  constructor(readonly entries: [string, Value][]) {}
}
/** A YAML local tag on a value (`!Ref X`, `!Sub [...]`); JSON writes it as `{"Ref": X}` / `{"Fn::Sub": …}`. */
export class Tagged {
  constructor(
    readonly tag: string,
    readonly value: Value,
  ) {}
}
export type Value = string | number | boolean | null | Value[] | YMap | Tagged;

/** Draws choices from a recorded stream (so shrinking the stream simplifies the styles). */
export class Picker {
  private i = 0;
  constructor(private readonly stream: readonly number[]) {}
  pick(n: number): number {
    if (!this.stream.length) return 0;
    return this.stream[this.i++ % this.stream.length] % n;
  }
}

const PLAIN = /^[A-Za-z0-9_./@-][A-Za-z0-9_./@:${} -]*$/;

function scalar(v: string | number | boolean | null, p: Picker): string {
  if (typeof v !== 'string') return String(v);
  const style = p.pick(5);
  if (style === 0 && PLAIN.test(v) && !/: |\s$|^(true|false|null|yes|no|~|-?\d[\d.e]*)$/i.test(v)) return v;
  if (style === 1 && !/[\n\r]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  return JSON.stringify(v);
}

function flow(v: Value, p: Picker): string {
  if (v instanceof Tagged) return `${v.tag} ${flow(v.value, p)}`;
  if (Array.isArray(v)) return `[${v.map((x) => flow(x, p)).join(', ')}]`;
  if (v instanceof YMap) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}: ${flow(x, p)}`).join(', ')}}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

interface Emitted {
  inline?: string;
  block?: string[];
}

class YamlEmitter {
  private anchors: string[] = [];
  constructor(private readonly p: Picker) {}

  node(v: Value, ind: number): Emitted {
    const p = this.p;
    // Now and then: refer to an earlier anchor instead, or anchor this node.
    if (this.anchors.length && p.pick(12) === 0) return { inline: `*${this.anchors[p.pick(this.anchors.length)]}` };
    const anchor = p.pick(10) === 0 ? `a${this.anchors.length}` : undefined;
    const e = this.plain(v, ind);
    if (!anchor) return e;
    this.anchors.push(anchor);
    return e.inline !== undefined ? { inline: `&${anchor} ${e.inline}` } : { inline: `&${anchor}`, block: e.block };
  }

  private plain(v: Value, ind: number): Emitted {
    const p = this.p;
    const pad = ' '.repeat(ind);
    if (v instanceof Tagged) {
      const inner = this.plain(v.value, ind);
      return inner.inline !== undefined ? { inline: `${v.tag} ${inner.inline}` } : { inline: v.tag, block: inner.block };
    }
    if (typeof v === 'string' && v.includes('\n') && p.pick(2) === 0) {
      const head = ['|', '|-', '>', '|+'][p.pick(4)];
      return { inline: head, block: v.replace(/\n$/, '').split('\n').map((l) => (l ? pad + l : '')) };
    }
    if (!(Array.isArray(v) || v instanceof YMap)) return { inline: scalar(v, p) };
    if (p.pick(4) === 0 || (Array.isArray(v) ? v.length === 0 : v.entries.length === 0)) return { inline: flow(v, p) };
    const lines: string[] = [];
    if (Array.isArray(v)) {
      for (const item of v) {
        const e = this.node(item, ind + 2);
        if (e.block === undefined) lines.push(`${pad}- ${e.inline}`);
        else if (e.inline === undefined && p.pick(2) === 0) lines.push(`${pad}- ${e.block[0].slice(ind + 2)}`, ...e.block.slice(1));
        else lines.push(`${pad}-${e.inline ? ` ${e.inline}` : ''}`, ...e.block);
      }
    } else {
      for (const [k, x] of v.entries) {
        const key = k === '<<' ? k : scalar(k, p);
        const e = this.node(x, ind + 2);
        if (e.block === undefined) lines.push(`${pad}${key}: ${e.inline}`);
        else lines.push(`${pad}${key}:${e.inline ? ` ${e.inline}` : ''}`, ...e.block);
      }
    }
    return { block: lines };
  }
}

/** A YAML document for `v` (a block mapping or sequence at the top). */
export function toYaml(v: Value, choices: readonly number[]): string {
  const e = new YamlEmitter(new Picker(choices)).node(v, 0);
  return e.block ? `${e.inline ? `${e.inline}\n` : ''}${e.block.join('\n')}\n` : `${e.inline}\n`;
}

const LONG: Record<string, string> = { '!Ref': 'Ref', '!Condition': 'Condition' };

/** Plain JSON data for `v`: tags become CloudFormation's long forms, repeated keys keep the last. */
export function toJsonData(v: Value): unknown {
  if (v instanceof Tagged) return { [LONG[v.tag] ?? `Fn::${v.tag.slice(1)}`]: toJsonData(v.value) };
  if (Array.isArray(v)) return v.map(toJsonData);
  if (v instanceof YMap) return Object.fromEntries(v.entries.map(([k, x]) => [k, toJsonData(x)]));
  return v;
}

/** JSON text for `v`, indented or not, sometimes with a comment or a trailing comma (tolerated by the parser). */
export function toJson(v: Value, choices: readonly number[]): string {
  const p = new Picker(choices);
  let text = JSON.stringify(toJsonData(v), null, [0, 2, 4, '\t'][p.pick(4)]);
  if (p.pick(4) === 0) text = text.replace(/\n/, '\n  // generated\n');
  if (p.pick(4) === 0) text = text.replace(/(\S)(\n\s*[\]}])/, '$1,$2');
  return `${text}\n`;
}
