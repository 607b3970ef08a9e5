// Formats the benchmark's results: one markdown table (printed and appended to bench/results.md)
// with medians, min–max, the peer, ratios, and each target with pass/miss.

const ms = (v) => (!Number.isFinite(v) ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
const mb = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MB` : 'n/a');
const range = (s, f) => `${f(s.min)} – ${f(s.max)}`;
const verdict = (ok) => (ok === undefined ? '' : ok ? 'pass' : '**MISS**');

/** Rows [section, measurement, ours, min–max, peer, ratio, target, result] from the sections' results. */
export function rows(r) {
  const out = [];
  for (const c of r.perfile?.cases ?? []) {
    out.push(['1', `analyze() ${c.name} (${c.iterations} calls)`, ms(c.ours.median), range(c.ours, ms), `${ms(c.theirs.median)} (${range(c.theirs, ms)})`, c.ratio.toFixed(2), 'ratio ≤ 1.0', verdict(c.ratio <= 1)]);
  }
  const a = r.audit;
  if (a) {
    const runs = a.cold.wallMs.n;
    out.push(['2', `audit, ${a.files.toLocaleString('en')} files, cold (whole process, ${runs} runs)`, ms(a.cold.wallMs.median), range(a.cold.wallMs, ms), `${ms(a.peer.wallMs.median)} (${range(a.peer.wallMs, ms)}), ${a.peerFiles.toLocaleString('en')} Dockerfiles`, `${a.ratio.median.toFixed(2)} (${a.ratio.min.toFixed(2)} – ${a.ratio.max.toFixed(2)})`, '< 10 s', verdict(a.cold.wallMs.median < 10_000)]);
    out.push(['2', 'audit: CPU time / wall time (cores used)', a.cpuPerWall.toFixed(2), '', '', '', '≈ 2 on 2 cores', '']);
    out.push(['2', 'audit: peak RSS of the CLI process', mb(a.cold.maxRssMB.median), range(a.cold.maxRssMB, mb), `${mb(a.peer.maxRssMB.median)}`, '', '', '']);
    if (a.warm) out.push(['2', `audit, warm (${a.cacheFlag}, ${a.warm.wallMs.n} runs)`, ms(a.warm.wallMs.median), range(a.warm.wallMs, ms), '', '', '< 2 s', verdict(a.warm.wallMs.median < 2000)]);
    else out.push(['2', 'audit, warm: no cache yet (the CLI has no audit cache option), so warm = cold', ms(a.cold.wallMs.median), '', '', '', '< 2 s', verdict(a.cold.wallMs.median < 2000)]);
  }
  const l = r.latency;
  if (l) {
    for (const [label, x] of [['1,000-line Dockerfile', l.dockerfile], ['2,000-line CloudFormation', l.cloudformation]]) {
      out.push(['3', `didChange → diagnostics, ${label}, ${x.edits} edits, p50 / p99 (debounce 0)`, `${ms(x.p50)} / ${ms(x.p99)}`, `max ${ms(x.max)}`, '', '', 'p99 < 30 ms', verdict(x.p99 < 30)]);
      out.push(['3', `  server-side analysis time (its log), ${label}, p50 / p99; on open`, `${ms(x.serverP50)} / ${ms(x.serverP99)}`, `open ${ms(x.serverOpenMs)}`, '', '', '', '']);
    }
  }
  const m = r.memory;
  if (m) {
    out.push(['4', `server peak RSS after start-up index (${ms(m.indexMs)}) of the workspace`, mb(m.afterIndex.peakMB), `now ${mb(m.afterIndex.rssMB)}`, '', '', '', '']);
    out.push(['4', `server peak RSS after opening the ${m.opened} largest files`, mb(m.afterOpen.peakMB), `now ${mb(m.afterOpen.rssMB)}`, '', '', '', '']);
    out.push(['4', `server peak RSS after knownGood/auditWorkspace (${m.files} files, ${ms(m.auditMs)})`, mb(m.afterAudit.peakMB), `now ${mb(m.afterAudit.rssMB)}`, '', '', '< 200 MB', verdict(m.afterAudit.peakMB < 200)]);
  }
  const s = r.startup;
  if (s) {
    out.push(['5', 'server: spawn → initialize response (in the background: activation does not wait for it)', ms(s.init.median), range(s.init, ms), '', '', '', '']);
    out.push(['5', 'extension: require(dist/extension.js) with a vscode stub, in-process', ms(s.load.median), range(s.load, ms), '', '', '', '']);
    if (s.activation) {
      out.push(['5', 'extension: activate() with the real language client over the stub', ms(s.activate.median), range(s.activate, ms), '', '', '', '']);
      out.push(['5', 'activation = require + activate() (activate() starts the server and returns)', ms(s.activation.median), range(s.activation, ms), '', '', '< 150 ms', verdict(s.activation.median < 150)]);
    } else {
      out.push(['5', 'activation estimate = in-process load + server spawn → initialize (activate() awaits client.start())', ms(s.load.median + s.init.median), '', '', '', '< 150 ms', verdict(s.load.median + s.init.median < 150)]);
    }
    out.push(['5', `.vsix size${s.vsix.olderThanBuild ? ' (package older than the current build)' : ''}`, `${(s.vsix.bytes / 1e6).toFixed(2)} MB`, `packaged ${s.vsix.mtime.slice(0, 16)}Z`, '', '', '< 3 MB', verdict(s.vsix.bytes < 3e6)]);
  }
  return out;
}

/** A markdown table of `rows`. */
export function table(rs) {
  const head = ['§', 'measurement', 'ours (median)', 'min – max', 'peer dockerfile-utils (median, min – max)', 'ratio ours/peer', 'target', 'result'];
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [head, head.map(() => '---'), ...rs].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}
