#!/usr/bin/env node
// Entry point of `npx baseline-audit`: the compiled CLI (dist/) in a published package, else the
// TypeScript source through tsx (a clone after `npm ci`). In a clone that also has a build, the build
// is used only when it is newer than every source file of the CLI: a stale dist/ must never run
// instead of the code next to it.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'bin', 'baseline-audit.js');
const source = path.join(__dirname, 'baseline-audit.ts');

function newestSource() {
  let newest = 0;
  const visit = (p) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) newest = Math.max(newest, stat.mtimeMs);
  };
  visit(source);
  visit(path.join(root, 'lib', 'audit'));
  visit(path.join(root, 'lib', 'config'));
  visit(path.join(root, 'lib', 'validation'));
  return newest;
}

const hasSource = fs.existsSync(source);
const useCompiled =
  fs.existsSync(compiled) && (!hasSource || fs.statSync(compiled).mtimeMs >= newestSource());
if (useCompiled) {
  require(compiled);
} else {
  require('tsx/cjs/api').register();
  require('./baseline-audit.ts');
}
