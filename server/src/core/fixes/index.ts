// Quick fixes for findings, the pure part: given a finding and the files it touches, the edits that cure
// it (or what must be fetched first), and why there is no cure when there is none.
import { CONFIG_ERROR, INTERNAL_ERROR } from '../analyze';
import type { RawFinding } from '../types';
import { checksumFixes } from './checksum';
import { ecrFixes } from './ecr';
import { ignoreFixes } from './ignore';
import { NotFixable, type Fix, type FixInput, type FixResult } from './types';
import { vendorFixesFor } from './vendor-dockerfile';
import { externalVendorFixes } from './vendor-external';
import { versionConsistencyFixes } from './version-consistency';

export type { Fix, FixInput, FixNeed, FixResult, FileEdits, TextEditSpan } from './types';
export { applyFileEdits } from './text';
export { vendorDockerfileCandidates } from './image-targets';

const EXTERNAL = new Set(['ecs-json', 'cloudformation', 'terraform', 'compose']);

/** runtime-install / runtime-fetch: in a container's command the image is built elsewhere (vendor-external), else in a Dockerfile or its script. */
function vendorCure(f: RawFinding, input: FixInput): FixResult {
  const kind = f.ruleId === 'runtime-fetch' ? 'fetch' : 'install';
  if (EXTERNAL.has(input.model.kind) && f.location.file === input.file) return externalVendorFixes(f, input, kind);
  return vendorFixesFor(f, input);
}

const CURES: Record<string, (f: RawFinding, input: FixInput) => FixResult> = {
  'runtime-install': vendorCure,
  'runtime-fetch': vendorCure,
  'add-without-checksum': checksumFixes,
  'ecr-mutable-tags': ecrFixes,
  'version-consistency-disabled': versionConsistencyFixes,
};

/**
 * The fixes of `finding` (cures first, the preferred one marked, then "ignore"), and a reason when no
 * cure is offered. Spans are offsets into the texts without a byte-order mark. Pure: reads only `input`.
 */
export function fixFinding(finding: RawFinding, input: FixInput): FixResult {
  if (finding.ruleId === CONFIG_ERROR || finding.ruleId === INTERNAL_ERROR) return { fixes: [] };
  let result: FixResult = { fixes: [] };
  const cure = CURES[finding.ruleId];
  if (cure) {
    try {
      result = cure(finding, input);
    } catch (e) {
      const why = e instanceof NotFixable ? e.message : `the fix could not be computed (${e instanceof Error ? e.message : String(e)})`;
      result = { fixes: [], reason: `No automatic fix: ${why}.` };
    }
  }
  return { fixes: [...result.fixes, ...ignoreFixes(finding, input)], reason: result.reason };
}

/** The fixes of `finding` (see fixFinding). */
export function fixesFor(finding: RawFinding, input: FixInput): Fix[] {
  return fixFinding(finding, input).fixes;
}

/** Why `finding` has no cure (only "ignore"), for a hint next to it; undefined when it has one. */
export function notFixableReason(finding: RawFinding, input: FixInput): string | undefined {
  return fixFinding(finding, input).reason;
}
