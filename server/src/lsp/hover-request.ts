// textDocument/hover: finds the image reference under the cursor in the document's latest analysis.
import type { Hover, HoverParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../core/analyze';
import type { DiagnosticsScheduler } from './diagnostics';
import { imageAt, imageHover } from './hover';
import { documentPath } from './uri';

/** The hover for `params`, or null when the cursor is not on an image reference. */
export function hoverAt(documents: TextDocuments<TextDocument>, scheduler: DiagnosticsScheduler, params: HoverParams): Hover | null {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const file = documentPath(doc.uri);
  const latest = scheduler.latest(doc.uri);
  // Between an edit and its analysis, re-extract the current text (findings wait for the analysis).
  const result = latest?.result ?? analyze({ file, text: doc.getText(), languageId: doc.languageId, rules: [] });
  const images = result.model?.images ?? [];
  const site = imageAt(images, doc.offsetAt(params.position));
  if (!site) return null;
  return imageHover(doc, site, latest ? result.findings : [], file);
}
