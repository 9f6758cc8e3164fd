import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { jcstar } from '../support/cli.js';

describe('jcstar fleet and jcstar merge on the command line', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-cli-'));

  it('fleet exits 2 on a broken fleet file, one line per problem on stderr, nothing on stdout', async () => {
    writeFileSync(join(dir, 'fleet.yaml'), 'concurrency: 100\ndevices:\n  - profile: none.yaml\n');
    const r = await jcstar(['fleet', join(dir, 'fleet.yaml'), '--out', join(dir, 'out')]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal('');
    expect(r.stderr.trim().split('\n')).to.deep.equal([`${join(dir, 'fleet.yaml')}:1:14: concurrency: expected an integer from 1 to 64, found 100`]);
  });

  it('fleet exits 2 on a bad --concurrency, before reading the fleet file', async () => {
    const r = await jcstar(['fleet', join(dir, 'missing.yaml'), '--concurrency', '0']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('jcstar: --concurrency: expected a whole number from 1 to 64, found "0"');
  });

  it('merge exits 2 on a folder that holds no run', async () => {
    const r = await jcstar(['merge', dir, '--out', join(dir, 'merged')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`jcstar: ${dir} is neither a run folder (no evidence.jsonl) nor a fleet folder (no fleet-summary.json)`);
  });
});
