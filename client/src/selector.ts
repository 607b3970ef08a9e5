// Which documents the client sends to the server. The server's detectKind decides per document; this
// only keeps unrelated files away. Terraform is matched by pattern so no Terraform extension is needed.
import type { DocumentSelector } from 'vscode-languageclient/node';

const schemes = ['file', 'untitled'];

/** Documents Known Good may analyse (Dockerfiles, JSON, YAML/compose, Terraform, shell, `.knowngood.yaml`). */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  ...schemes.map((scheme) => ({ scheme, language: 'dockerfile' })),
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.dockerfile,*.Dockerfile,*.containerfile,Dockerfile.*,Containerfile.*}' },
  ...['json', 'jsonc', 'yaml', 'dockercompose', 'terraform', 'hcl', 'shellscript'].map((language) => ({ scheme: 'file', language })),
  { scheme: 'file', pattern: '**/*.{tf,tftpl,json,yaml,yml,template,sh,bash}' },
  { scheme: 'file', pattern: '**/.knowngood.{yaml,yml}' },
];
