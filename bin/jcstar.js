#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm ci` (the prepare script).
import('../dist/harness/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('jcstar: not built yet; run `npm ci` (or `npm run build`) first\n');
    process.exit(3);
  }
  throw err;
});
