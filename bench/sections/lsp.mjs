// Sections 3 and 4 through the protocol: didChange → publishDiagnostics latency on a 1,000-line
// Dockerfile and a 2,000-line CloudFormation template (debounce 0), and the server's peak RSS after
// opening the workspace's 50 largest files and after a `knownGood/auditWorkspace` request.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BenchClient, uriOf } from '../lib/lsp-client.mjs';
import { percentile } from '../lib/stats.mjs';

const ANALYSED = /^Known Good: analysed (.+) \(version (\d+), (\d+) lines\) in ([\d.]+) ms$/;

/**
 * Edits that type one character into, then delete it from, hex values spread over the file
 * (`ENV PAD_…=`, checksums, `Value: "…"`): the text stays valid and every version differs.
 */
function plannedEdits(text, count) {
  const sites = [];
  text.split('\n').forEach((line, n) => {
    const m = /[0-9a-f]{6,}/.exec(line);
    if (m) sites.push({ line: n, character: m.index });
  });
  if (!sites.length) throw new Error('no edit sites in the text');
  const spread = Array.from({ length: 10 }, (_, k) => sites[Math.floor((k * sites.length) / 10)]);
  const edits = [];
  for (let i = 0; i < count; i++) {
    const at = spread[Math.floor(i / 2) % spread.length];
    const pos = { line: at.line, character: at.character };
    // Even: insert '0' at the site; odd: delete it again.
    edits.push(i % 2 === 0 ? { range: { start: pos, end: pos }, text: '0' } : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' });
  }
  return edits;
}

/** Open `file`, apply `count` edits one at a time, and time each from didChange to its diagnostics. */
async function editLatency(client, file, text, languageId, count) {
  const before = client.published.length;
  const openedAt = performance.now();
  await client.open(file, text, languageId, 1);
  const first = await client.nextDiagnostics(file, before);
  const openMs = first.at - openedAt;
  const latencies = [];
  let dropped = 0;
  let version = 1;
  for (const e of plannedEdits(text, count)) {
    const seq = client.published.length;
    const logs = client.logs.length;
    const sent = performance.now();
    await client.edit(file, ++version, e.range, e.text);
    // The server logs "analysed <file> (version N …)" right after publishing that version's
    // diagnostics: match on it, so a publish from some other re-analysis is never mistaken for this one.
    const v = version;
    const log = await client.waitFor(`analysis of version ${v}`, () => client.logs.slice(logs).find((l) => {
      const m = ANALYSED.exec(l.message);
      return m && m[1] === file && Number(m[2]) >= v;
    }), 30_000);
    const p = client.published.filter((x) => x.seq > seq && x.uri === uriOf(file) && x.at <= log.at).pop();
    if (p && Number(ANALYSED.exec(log.message)[2]) === v) latencies.push(p.at - sent);
    else dropped++;
  }
  const server = client.logs
    .map((l) => ANALYSED.exec(l.message))
    .filter((m) => m && m[1] === file && Number(m[2]) > 1)
    .map((m) => Number(m[4]));
  const serverOpen = client.logs.map((l) => ANALYSED.exec(l.message)).find((m) => m && m[1] === file && m[2] === '1');
  return {
    lines: text.split('\n').length - 1,
    edits: latencies.length,
    dropped,
    openMs,
    serverOpenMs: serverOpen ? Number(serverOpen[4]) : NaN,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    serverP50: percentile(server, 50),
    serverP99: percentile(server, 99),
    serverSamples: server.length,
  };
}

/** Section 3: latency of 100 edits to each file, with the server's debounce set to 0. */
export async function lspLatency(texts, { edits = 100 } = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'kg-bench-lsp-'));
  const df = join(folder, 'Dockerfile');
  const cfn = join(folder, 'infra', 'template.yaml');
  mkdirSync(join(folder, 'infra'));
  writeFileSync(df, texts.df1000);
  writeFileSync(cfn, texts.cfn2000);
  const client = new BenchClient();
  try {
    await client.start(folder, { debounceMs: 0 });
    // Let the start-up index of this small folder finish so it does not overlap the measurements.
    await client.waitFor('index', () => client.logs.find((l) => /^Known Good: indexed/.test(l.message)), 30_000);
    // One file open at a time, so neither's analysis runs during the other's measurement.
    const dockerfile = await editLatency(client, df, texts.df1000, 'dockerfile', edits);
    await client.close(df);
    const cloudformation = await editLatency(client, cfn, texts.cfn2000, 'yaml', edits);
    return { dockerfile, cloudformation };
  } finally {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

const LANGUAGE = { dockerfile: 'dockerfile', 'ecs-json': 'json', cloudformation: 'yaml', terraform: 'terraform', compose: 'dockercompose', shell: 'shellscript' };

/** Section 4: the server's RSS on the generated workspace (start-up index, 50 largest files open, full audit). */
export async function lspMemory(ws, { timeoutMs = 240_000 } = {}) {
  const client = new BenchClient();
  try {
    await client.start(ws.dir);
    const indexed = await client.waitFor('index', () => client.logs.find((l) => /^Known Good: indexed/.test(l.message)), timeoutMs);
    const afterIndex = client.memory();
    const indexMs = Number(/in (\d+) ms/.exec(indexed.message)?.[1]);
    const start = client.published.length;
    for (const rel of ws.largest) {
      const file = join(ws.dir, rel);
      const lang = /\.json$/.test(rel) ? 'json' : /\.tf$/.test(rel) ? 'terraform' : /compose/.test(rel) ? 'dockercompose' : /\.ya?ml$/.test(rel) ? 'yaml' : /\.sh$/.test(rel) ? 'shellscript' : 'dockerfile';
      await client.open(file, readFileSync(file, 'utf8'), LANGUAGE[lang] ?? lang);
    }
    const uris = new Set(ws.largest.map((rel) => new URL(`file://${join(ws.dir, rel)}`).href));
    await client.waitFor('diagnostics of the 50 open files', () => {
      const seen = new Set(client.published.slice(start).map((p) => p.uri));
      return [...uris].every((u) => seen.has(u)) ? true : undefined;
    }, 60_000);
    const afterOpen = client.memory();
    const auditStarted = performance.now();
    let timer;
    const result = await Promise.race([
      client.connection.sendRequest('knownGood/auditWorkspace', {}),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('audit request timed out')), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    const auditMs = performance.now() - auditStarted;
    const afterAudit = client.memory();
    return { indexMs, afterIndex, afterOpen, afterAudit, auditMs, files: result.files, findings: result.findings, opened: ws.largest.length };
  } finally {
    await client.stop();
  }
}

/** Section 5 (server part): time from spawn to the initialize response, `runs` times. */
export async function serverStartup(runs = 5) {
  const folder = mkdtempSync(join(tmpdir(), 'kg-bench-init-'));
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      const client = new BenchClient();
      try {
        times.push(await client.start(folder));
      } finally {
        await client.stop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return times;
}
