// Text formatter: one `file:line:col  severity  rule  message` line per finding, then a summary.
import type { Severity } from '../../core/types';
import { printable } from './printable';
import { countBySeverity, type Formatter } from './types';

/** One line of terminal output: no escape sequence from a file name or a file's text, no line break. */
const shown = (s: string) => printable(s).replace(/\n/g, '\\n').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

const COLORS: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '90' };

function paint(on: boolean, code: string, s: string): string {
  return on ? `\u001b[${code}m${s}\u001b[0m` : s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}

/** Lines are 1-based line and column; a summary line ends the output (also when nothing was found). */
export const formatText: Formatter = (result, { color }) => {
  const lines: string[] = [];
  for (const f of result.findings) {
    const where = `${shown(f.location.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    lines.push(`${paint(color, '1', where)}  ${paint(color, COLORS[f.severity], f.severity)}  ${paint(color, '2', f.ruleId)}  ${shown(f.message)}`);
  }
  for (const e of result.errors) lines.push(`${paint(color, '1', shown(e.file))}  ${paint(color, COLORS.warning, 'not read')}  ${shown(e.message)}`);
  if (lines.length) lines.push('');
  const c = countBySeverity(result);
  const files = plural(result.files.length, 'file');
  const total = result.findings.length;
  if (total === 0) {
    lines.push(paint(color, '32', `No problems found; ${files} audited.`));
  } else {
    const parts = [plural(c.error, 'error'), plural(c.warning, 'warning'), plural(c.info, 'info')];
    if (c.hint) parts.push(plural(c.hint, 'hint'));
    lines.push(paint(color, c.error ? '31;1' : '33;1', `${plural(total, 'problem')} (${parts.join(', ')}); ${files} audited.`));
  }
  if (result.errors.length) lines.push(`${plural(result.errors.length, 'path')} could not be read.`);
  return `${lines.join('\n')}\n`;
};
