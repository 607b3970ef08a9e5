// SARIF 2.1.0 formatter: one run, every rule described, locations relative to %SRCROOT%.
import { pathToFileURL } from 'url';
import { CONFIG_ERROR, codeHref, INTERNAL_ERROR } from '../../core/analyze';
import { SKIPPED_FILE } from '../../core/limits';
import { RULES } from '../../core/rules';
import type { Range, RuleMeta, Severity } from '../../core/types';
import type { Formatter } from './types';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/known-good/known-good';
const SRCROOT = '%SRCROOT%';

/** Codes that are not rules but can be results: described after the registered rules. */
const EXTRA_RULES: RuleMeta[] = [
  { id: CONFIG_ERROR, defaultSeverity: 'error', description: 'The .knowngood.yaml configuration file is invalid.', docUrl: codeHref(CONFIG_ERROR) },
  { id: INTERNAL_ERROR, defaultSeverity: 'error', description: 'Known Good could not finish analysing a file.', docUrl: codeHref(INTERNAL_ERROR) },
  { id: SKIPPED_FILE, defaultSeverity: 'info', description: 'Known Good did not analyse a file: too large, binary, not UTF-8 or nested too deeply.', docUrl: codeHref(SKIPPED_FILE) },
];

/** SARIF has no `info`/`hint`: both are `note`. */
export function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** A relative posix path as a URI reference: each segment percent-encoded, `/` kept. */
export function uriOf(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%(40|3A|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))))
    .join('/');
}

/** 1-based region; `endColumn` is exclusive as SARIF defines it. */
function region(r: Range) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function physicalLocation(file: string, r?: Range) {
  return { artifactLocation: { uri: uriOf(file), uriBaseId: SRCROOT }, ...(r ? { region: region(r) } : {}) };
}

export const formatSarif: Formatter = (result, { version }) => {
  const metas = [...RULES.map((r) => r.meta), ...EXTRA_RULES];
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const rootUri = pathToFileURL(result.root).href.replace(/\/?$/, '/');
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'known-good',
            version,
            informationUri: INFORMATION_URI,
            rules: metas.map((m) => ({
              id: m.id,
              shortDescription: { text: m.description },
              helpUri: m.docUrl,
              defaultConfiguration: { level: sarifLevel(m.defaultSeverity) },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'warning',
              message: { text: `Could not read ${e.file}: ${e.message}` },
              locations: [{ physicalLocation: physicalLocation(e.file) }],
            })),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [{ physicalLocation: physicalLocation(f.location.file, f.range) }],
          ...(f.related?.length
            ? { relatedLocations: f.related.map((r, i) => ({ id: i, physicalLocation: physicalLocation(r.location.file, r.range), message: { text: r.message } })) }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
