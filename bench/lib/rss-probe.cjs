// Preloaded (node -r) into a measured child process: on exit, writes the process's own resource
// usage (peak RSS, user and system CPU over all its threads) as JSON to the file named by
// KG_BENCH_USAGE_FILE, so the harness gets the child's peak memory without an external tool.
'use strict';
const fs = require('fs');

const target = process.env.KG_BENCH_USAGE_FILE;
if (target) {
  delete process.env.KG_BENCH_USAGE_FILE; // not inherited by the child's own children
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKB: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
