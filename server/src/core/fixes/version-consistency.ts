// version-consistency-disabled: remove the setting (JSON member with its comma, or its YAML line), or set it to `enabled`.
import { stripBom } from '../analyze';
import type { VersionConsistencySite } from '../model';
import type { RawFinding } from '../types';
import { nodeAt, parseJsonStrict, pointerPath, removeMember } from './json-edit';
import { NotFixable, notFixable, type Fix, type FixInput, type FixResult, type TextEditSpan } from './types';
import { pairOf, parseYamlDocs, removeEntryLine } from './yaml-edit';

/** `disabled` → `enabled`, quotes and key untouched. */
function setEnabled(text: string, site: VersionConsistencySite): TextEditSpan {
  const slice = text.slice(site.span.start, site.span.end);
  const at = slice.toLowerCase().lastIndexOf('disabled');
  if (at < 0) notFixable('the value was not found');
  return { span: { start: site.span.start + at, end: site.span.start + at + 'disabled'.length }, newText: 'enabled' };
}

function remove(text: string, site: VersionConsistencySite, json: boolean): TextEditSpan {
  if (site.pointer === undefined) notFixable('the setting is inside an expression (Terraform): set it to enabled instead');
  const path = pointerPath(site.pointer);
  if (json) {
    const value = nodeAt(parseJsonStrict(text), path);
    if (!value?.parent || value.parent.type !== 'property') notFixable('the setting was not found');
    return removeMember(text, value.parent);
  }
  const doc = parseYamlDocs(text).find((d) => d.range[0] <= site.span.start && site.span.start <= d.range[2]);
  const pair = pairOf(doc?.getIn(path.slice(0, -1), true), String(path[path.length - 1]));
  if (!pair) notFixable('the setting was not found');
  return removeEntryLine(text, pair);
}

export function versionConsistencyFixes(finding: RawFinding, input: FixInput): FixResult {
  const text = stripBom(input.text);
  const span = finding.location.span;
  const site = input.model.versionConsistency.find((v) => v.span.start === span.start && v.span.end === span.end);
  if (!site) notFixable('the setting was not found');
  const fixes: Fix[] = [];
  const json = input.model.kind === 'ecs-json' || (input.model.kind === 'cloudformation' && /^\s*[{[]/.test(text));
  try {
    const edit = remove(text, site, json);
    fixes.push({ id: 'version-consistency-remove', title: 'Remove versionConsistency (the default is enabled)', ruleId: finding.ruleId, edits: [{ file: input.file, edits: [edit] }], needsConfirmation: false, preferred: true });
  } catch (e) {
    // Removal is not safe here (an expression, a shared line): setting the value still is.
    if (!(e instanceof NotFixable)) throw e;
  }
  fixes.push({ id: 'version-consistency-enable', title: 'Set versionConsistency to enabled', ruleId: finding.ruleId, edits: [{ file: input.file, edits: [setEnabled(text, site)] }], needsConfirmation: false, preferred: fixes.length === 0 });
  return { fixes };
}
