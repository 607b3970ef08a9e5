// `known-good lsp --stdio` from Neovim with the init.lua block of docs/editors.md: a headless nvim opens
// a Dockerfile, waits for the diagnostics and writes them to a file; settings from the client config,
// :KnownGoodAudit (quickfix list) and :KnownGoodExport (the CLI's bytes). Needs Debian's `neovim`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const NVIM = ['/usr/bin/nvim', '/usr/local/bin/nvim'].find((p) => existsSync(p));

/** Skip without nvim, unless KG_EDITOR_TESTS=required (CI), where a missing nvim fails. */
function skipUnlessNvim(): string | false {
  if (NVIM && existsSync(CLI)) return false;
  const why = `needs ${NVIM ? '' : 'nvim (apt-get install neovim) '}${existsSync(CLI) ? '' : 'dist/cli.js (npm run build)'}`.trim();
  if (process.env.KG_EDITOR_TESTS === 'required') throw new Error(why);
  return why;
}

/** The lua block docs/editors.md marks as tested, with the built CLI as the command and `settings`. */
function documentedConfig(settings: string): string {
  const doc = readFileSync(path.join(ROOT, 'docs/editors.md'), 'utf8');
  const marker = doc.indexOf('<!-- tested: test/editors/nvim.test.ts');
  assert.ok(marker >= 0, 'docs/editors.md marks the tested block');
  const block = /```lua\n([\s\S]*?)```/.exec(doc.slice(marker))![1];
  const cmd = "cmd = { 'known-good', 'lsp', '--stdio' },";
  const given = 'settings = { knownGood = { rules = {} } },';
  assert.ok(block.includes(cmd) && block.includes(given), 'the block names the command and settings the test replaces');
  return block.replace(cmd, `cmd = { 'node', ${JSON.stringify(CLI)}, 'lsp', '--stdio' },`).replace(given, `settings = ${settings},`);
}

/** The documented config plus report functions that write what Neovim shows to $KG_OUT and quit. */
function initLua(settings: string): string {
  return `vim.cmd('filetype on')
${documentedConfig(settings)}
local out = os.getenv('KG_OUT')

local function code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function write(lines)
  vim.fn.writefile(lines, out)
  vim.cmd('qa!')
end

-- The current buffer's diagnostics, once there are some.
function KG_DIAGNOSTICS()
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local lines = { 'api ' .. (vim.lsp.start and 'vim.lsp.start' or 'vim.lsp.start_client') }
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(lines, string.format('%s %d:%d-%d:%d %s', tostring(code(d)), d.lnum, d.col, d.end_lnum, d.end_col, d.source or ''))
  end
  write(lines)
end

-- :KnownGoodAudit, then the quickfix list and every buffer's diagnostics.
function KG_AUDIT(expected)
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  vim.cmd('KnownGoodAudit')
  vim.wait(30000, function() return #vim.fn.getqflist() >= expected end, 50)
  local lines = { 'quickfix ' .. #vim.fn.getqflist() }
  local all = {}
  for _, d in ipairs(vim.diagnostic.get(nil)) do
    table.insert(all, string.format('%s %s %d', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(d.bufnr), ':.'), tostring(code(d)), d.lnum))
  end
  table.sort(all)
  vim.list_extend(lines, all)
  write(lines)
end

-- :KnownGoodExport <format> <file>
function KG_EXPORT(format, file)
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  vim.cmd('KnownGoodExport ' .. format .. ' ' .. file)
  write({ 'exported' })
end
`;
}

function runNvim(ws: string, settings: string, command: string, file: string): string[] {
  const init = path.join(path.dirname(ws), `${path.basename(ws)}-init.lua`);
  const out = path.join(path.dirname(ws), `${path.basename(ws)}-out.txt`);
  writeFileSync(init, initLua(settings));
  rmSync(out, { force: true });
  const r = spawnSync(NVIM!, ['--headless', '-u', init, '-c', `lua ${command}`, file], { cwd: ws, encoding: 'utf8', timeout: 90_000, env: { ...process.env, KG_OUT: out } });
  assert.ok(existsSync(out), `nvim wrote no report (status ${String(r.status)}, signal ${String(r.signal)})\n${r.stderr}`);
  return readFileSync(out, 'utf8').trim().split('\n');
}

describe('Neovim with known-good lsp --stdio', { skip: skipUnlessNvim() }, () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'known-good-nvim-'));
    writeFileSync(path.join(ws, 'Dockerfile'), 'FROM node:latest\nCMD npm install && node server.js\n');
    mkdirSync(path.join(ws, 'worker'));
    writeFileSync(path.join(ws, 'worker/Dockerfile'), 'FROM python:3.12\n');
  });
  after(() => {
    for (const p of [ws, `${ws}-init.lua`, `${ws}-out.txt`]) rmSync(p, { recursive: true, force: true });
  });

  test('opening a Dockerfile shows latest-tag and runtime-install with exact ranges', () => {
    const [api, ...diagnostics] = runNvim(ws, '{}', 'KG_DIAGNOSTICS()', 'Dockerfile');
    assert.match(api, /^api vim\.lsp\.start(_client)?$/);
    assert.deepEqual(diagnostics.sort(), ['latest-tag 0:5-0:16 known-good', 'runtime-install 1:4-1:15 known-good']);
  });

  test('settings from the client config reach the server', () => {
    const [, ...diagnostics] = runNvim(ws, `{ knownGood = { rules = { ['latest-tag'] = 'off' } } }`, 'KG_DIAGNOSTICS()', 'Dockerfile');
    assert.deepEqual(diagnostics, ['runtime-install 1:4-1:15 known-good']);
  });

  test(':KnownGoodAudit reports files that are not open, in the quickfix list', () => {
    const lines = runNvim(ws, '{}', 'KG_AUDIT(3)', 'Dockerfile');
    assert.deepEqual(lines, ['quickfix 3', 'Dockerfile latest-tag 0', 'Dockerfile runtime-install 1', 'worker/Dockerfile missing-digest 0']);
  });

  for (const [format, file] of [['markdown', 'report.md'], ['sarif', 'report.sarif']] as const) {
    test(`:KnownGoodExport ${format} writes what \`known-good audit --format ${format}\` writes`, () => {
      assert.deepEqual(runNvim(ws, '{}', `KG_EXPORT('${format}', '${file}')`, 'Dockerfile'), ['exported']);
      const cli = spawnSync(process.execPath, [CLI, 'audit', '--format', format], { cwd: ws, encoding: 'utf8' });
      assert.equal(readFileSync(path.join(ws, file), 'utf8'), cli.stdout);
    });
  }
});
