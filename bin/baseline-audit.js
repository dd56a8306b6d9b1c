#!/usr/bin/env node
// Entry point of `npx baseline-audit`: the compiled CLI when the package is built (published
// packages), else the TypeScript source through tsx (a clone after `npm ci`).
const fs = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'bin', 'baseline-audit.js');
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  require('tsx/cjs/api').register();
  require('./baseline-audit.ts');
}
