import { expect } from 'chai';
import { compareRuns } from '../../harness/diff/compare.js';
import { RunDiff } from '../../harness/diff/schema.js';
import type { Results } from '../../harness/results/schema.js';
import { cameraRun } from '../fixtures/results/camera-runs.js';

const run = (dir: string, results: Results) => ({ dir, results });
const keys = (findings: Array<{ key: string }>) => findings.map((f) => f.key);

const TELNET = 'S1.1-01/interface-inventory/tcp 2323/tcp';
const DEFAULTS = 'S1.1-02/default-credentials/web-admin';
const TLS10 = 'S1.1-12/crypto/web-admin accepts TLSv1.0 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)';
const TLS11 = 'S1.1-12/crypto/web-admin accepts TLSv1.1 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)';
const DH = 'S1.1-12/crypto/ssh kex diffie-hellman-group1-sha1 (1024-bit Oakley group 2 with SHA-1 (Logjam range))';

describe('compareRuns', () => {
  it('before → after a firmware fix: the debug shell, the defaults and TLS 1.0/1.1 fixed, the SSH group unchanged, no regression', () => {
    const diff = compareRuns(run('runs/before', cameraRun('before')), run('runs/after', cameraRun('after')));
    expect(RunDiff.parse(diff)).to.deep.equal(diff);
    expect(diff.before).to.deep.equal({ dir: 'runs/before', runId: 'cam-before', status: 'complete', device: { vendor: 'ACME', model: 'CAM-1', firmware: '1.0.0', unit: 'U1' } });
    expect(diff.after.device.firmware).to.equal('1.1.0');
    expect(diff.requirements).to.deep.equal([
      { id: 'S1.1-01', change: 'changed', before: 'FAIL', after: 'PASS' },
      { id: 'S1.1-02', change: 'changed', before: 'FAIL', after: 'PASS' },
    ]);
    expect(diff.checks).to.deep.equal([
      { id: 'S1.1-01/interface-inventory/tcp', change: 'changed', before: 'FAIL', after: 'PASS' },
      { id: 'S1.1-02/default-credentials/web-admin', change: 'changed', before: 'FAIL', after: 'PASS' },
      { id: 'S1.1-12/crypto/web-admin', change: 'changed', before: 'FAIL', after: 'PASS' },
    ]);
    expect(keys(diff.findings.fixed)).to.deep.equal([TELNET, DEFAULTS, TLS10, TLS11]);
    expect(keys(diff.findings.new)).to.deep.equal([]);
    expect(keys(diff.findings.unchanged)).to.deep.equal([DH]);
    expect(diff.newFails).to.deep.equal([]);
    expect(diff.regression).to.equal(false);
  });

  it('after → before: a regression that names every new FAIL and new finding', () => {
    const diff = compareRuns(run('a', cameraRun('after')), run('b', cameraRun('before')));
    expect(keys(diff.findings.new)).to.deep.equal([TELNET, DEFAULTS, TLS10, TLS11]);
    expect(keys(diff.findings.fixed)).to.deep.equal([]);
    expect(keys(diff.findings.unchanged)).to.deep.equal([DH]);
    expect(diff.newFails).to.deep.equal(['S1.1-01', 'S1.1-02', 'S1.1-01/interface-inventory/tcp', 'S1.1-02/default-credentials/web-admin', 'S1.1-12/crypto/web-admin']);
    expect(diff.regression).to.equal(true);
  });

  it('counts a new finding on a check that already FAILed as a regression', () => {
    const after = cameraRun('after');
    const worse = structuredClone(after);
    const note = worse.checks.find((c) => c.id === 'S1.1-12/crypto/ssh')!.evidence[1];
    (note.data!.findings as unknown[]).push({ rule: 'ssh.encryption', item: 'encryption 3des-cbc (Sweet32)', severity: 'fail' });
    const diff = compareRuns(run('a', after), run('b', worse));
    expect(diff.checks).to.deep.equal([]);
    expect(diff.newFails).to.deep.equal([]);
    expect(diff.findings.new.map((f) => [f.key, f.severity, f.remedy])).to.deep.equal([
      ['S1.1-12/crypto/ssh encryption 3des-cbc (Sweet32)', 'high', 'remove RC4, DES and 3DES ciphers from ssh'],
    ]);
    expect(diff.regression).to.equal(true);
  });

  it('lists checks only one run has as added or removed', () => {
    const before = cameraRun('after');
    const after = structuredClone(before);
    const moved = after.checks.splice(after.checks.findIndex((c) => c.id === 'S1.1-07/update-procedure/declaration'), 1)[0];
    after.checks.push({ ...moved, id: 'S1.1-07/update-procedure/public-page', verdict: 'PASS' });
    const diff = compareRuns(run('a', before), run('b', after));
    expect(diff.checks).to.deep.equal([
      { id: 'S1.1-07/update-procedure/declaration', change: 'removed', before: 'MANUAL', after: null },
      { id: 'S1.1-07/update-procedure/public-page', change: 'added', before: null, after: 'PASS' },
    ]);
    expect(diff.regression).to.equal(false);
  });
});
