// textDocument/hover: finds the image reference under the cursor in the document's latest analysis;
// when the network is allowed, adds what the registry says about it now.
import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../core/analyze';
import type { ImageSite } from '../core/model';
import type { DiagnosticsScheduler } from './diagnostics';
import { imageAt, imageHover } from './hover';
import { documentPath } from './uri';

/** Extra markdown for an image site (the registry part), undefined for none. */
export type HoverExtra = (uri: string, text: string, site: ImageSite) => Promise<string | undefined>;

/** The hover for `params`, or null when the cursor is not on an image reference. */
export async function hoverAt(documents: TextDocuments<TextDocument>, scheduler: DiagnosticsScheduler, params: HoverParams, extra?: HoverExtra): Promise<Hover | null> {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const file = documentPath(doc.uri);
  const latest = scheduler.latest(doc.uri);
  // Between an edit and its analysis, re-extract the current text (findings wait for the analysis).
  const result = latest?.result ?? analyze({ file, text: doc.getText(), languageId: doc.languageId, rules: [] });
  const images = result.model?.images ?? [];
  const bom = doc.getText().charCodeAt(0) === 0xfeff ? 1 : 0;
  const site = imageAt(images, doc.offsetAt(params.position) - bom);
  if (!site || !result.model) return null;
  const hover = imageHover(doc, site, latest ? result.findings : [], file);
  const more = extra ? await extra(doc.uri, result.model.text, site) : undefined;
  if (more) hover.contents = { kind: MarkupKind.Markdown, value: `${(hover.contents as { value: string }).value}\n\n---\n\n${more}` };
  return hover;
}
