import { expect } from 'chai';
import { compareRuns } from '../../harness/diff/compare.js';
import { RunDiff } from '../../harness/diff/schema.js';
import type { Results } from '../../harness/results/schema.js';
import { cameraRun, TELNET_BANNER } from '../fixtures/results/camera-runs.js';

const run = (dir: string, results: Results) => ({ dir, results });
const keys = (findings: Array<{ key: string }>) => findings.map((f) => f.key);

const TELNET = 'S1.1-01/interface-inventory/tcp 2323/tcp';
const DEFAULTS = 'S1.1-02/default-credentials/web-admin';
const TLS10 = 'S1.1-12/crypto/web-admin tls.versions accepts TLSv1.0';
const TLS11 = 'S1.1-12/crypto/web-admin tls.versions accepts TLSv1.1';
const DH = 'S1.1-12/crypto/ssh ssh.kex kex diffie-hellman-group1-sha1';

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
    expect(diff.regressions).to.deep.equal([]);
    expect(diff.regression).to.equal(false);
  });

  it('after → before: a regression that names every new FAIL and new finding', () => {
    const diff = compareRuns(run('a', cameraRun('after')), run('b', cameraRun('before')));
    expect(keys(diff.findings.new)).to.deep.equal([TELNET, DEFAULTS, TLS10, TLS11]);
    expect(keys(diff.findings.fixed)).to.deep.equal([]);
    expect(keys(diff.findings.unchanged)).to.deep.equal([DH]);
    expect(diff.newFails).to.deep.equal(['S1.1-01', 'S1.1-02', 'S1.1-01/interface-inventory/tcp', 'S1.1-02/default-credentials/web-admin', 'S1.1-12/crypto/web-admin']);
    expect(diff.regressions).to.deep.equal([
      'S1.1-01: PASS → FAIL',
      'S1.1-02: PASS → FAIL',
      'S1.1-01/interface-inventory/tcp: PASS → FAIL',
      'S1.1-02/default-credentials/web-admin: PASS → FAIL',
      'S1.1-12/crypto/web-admin: PASS → FAIL',
      `new finding S1.1-01/interface-inventory/tcp: 2323/tcp telnet "${TELNET_BANNER}" (known debug or factory service: Telnet, a login shell in plaintext)`,
      'new finding S1.1-02/default-credentials/web-admin: web-admin (443/tcp https)',
      'new finding S1.1-12/crypto/web-admin: accepts TLSv1.0 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)',
      'new finding S1.1-12/crypto/web-admin: accepts TLSv1.1 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)',
    ]);
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
      ['S1.1-12/crypto/ssh ssh.encryption encryption 3des-cbc', 'high', 'remove RC4, DES and 3DES ciphers from ssh'],
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
    expect(diff.regressions).to.deep.equal([]);
    expect(diff.regression).to.equal(false);
  });

  it('a firmware that bricks the device regresses: run-b aborted, every verdict INCONCLUSIVE, no FAIL and no finding', () => {
    const good = cameraRun('clean');
    const bricked = structuredClone(good);
    bricked.run.status = 'aborted';
    bricked.run.statusReason = 'the device stopped answering on 192.0.2.10';
    for (const entry of [...bricked.requirements, ...bricked.checks]) entry.verdict = 'INCONCLUSIVE';
    const diff = compareRuns(run('a', good), run('b', bricked));
    expect(diff.newFails).to.deep.equal([]);
    expect(diff.findings.new).to.deep.equal([]);
    expect(diff.regressions).to.deep.equal([
      'run-b was aborted: the device stopped answering on 192.0.2.10',
      'S1.1-01: PASS → INCONCLUSIVE',
      'S1.1-02: PASS → INCONCLUSIVE',
      'S1.1-07: PASS → INCONCLUSIVE',
      'S1.1-12: PASS → INCONCLUSIVE',
      'S1.1-01/interface-inventory/tcp: PASS → INCONCLUSIVE',
      'S1.1-02/default-credentials/web-admin: PASS → INCONCLUSIVE',
      'S1.1-12/crypto/web-admin: PASS → INCONCLUSIVE',
      'S1.1-12/crypto/ssh: PASS → INCONCLUSIVE',
      'S1.1-07/update-procedure/declaration: PASS → INCONCLUSIVE',
    ]);
    expect(diff.regression).to.equal(true);
  });

  it('an interrupted run-b regresses even when its verdicts are unchanged, and says so without a recorded reason', () => {
    const good = cameraRun('after');
    const cut = structuredClone(good);
    cut.run.status = 'interrupted';
    cut.run.statusReason = null;
    const diff = compareRuns(run('a', good), run('b', cut));
    expect(diff.requirements).to.deep.equal([]);
    expect(diff.regressions).to.deep.equal(['run-b was interrupted: no reason recorded']);
    expect(diff.regression).to.equal(true);
  });

  it('a PASS that drops to MANUAL or ERROR, a NOT_APPLICABLE that becomes INCONCLUSIVE and a removed PASS check all regress; the way back does not', () => {
    const before = cameraRun('clean');
    before.checks.find((c) => c.id === 'S1.1-12/crypto/ssh')!.verdict = 'NOT_APPLICABLE';
    const after = structuredClone(before);
    const verdictOf = (id: string) => after.checks.find((c) => c.id === id)!;
    verdictOf('S1.1-01/interface-inventory/tcp').verdict = 'MANUAL';
    verdictOf('S1.1-02/default-credentials/web-admin').verdict = 'ERROR';
    verdictOf('S1.1-12/crypto/ssh').verdict = 'INCONCLUSIVE';
    after.checks = after.checks.filter((c) => c.id !== 'S1.1-07/update-procedure/declaration');
    const diff = compareRuns(run('a', before), run('b', after));
    expect(diff.newFails).to.deep.equal([]);
    expect(diff.regressions).to.deep.equal([
      'S1.1-01/interface-inventory/tcp: PASS → MANUAL',
      'S1.1-02/default-credentials/web-admin: PASS → ERROR',
      'S1.1-12/crypto/ssh: NOT_APPLICABLE → INCONCLUSIVE',
      'S1.1-07/update-procedure/declaration: PASS → (absent)',
    ]);
    expect(diff.regression).to.equal(true);
    const back = compareRuns(run('a', after), run('b', before));
    expect(back.regressions).to.deep.equal([]);
    expect(back.regression).to.equal(false);
  });

  it('matches a crypto finding on its rule and subject: a reworded rule reason leaves it unchanged, old logs without subject too', () => {
    const before = cameraRun('before');
    const reworded = structuredClone(before);
    const note = reworded.checks.find((c) => c.id === 'S1.1-12/crypto/web-admin')!.evidence.find((e) => Array.isArray(e.data?.findings))!;
    note.data!.findings = [
      { rule: 'tls.versions', item: 'accepts TLSv1.0 (TLS 1.0: prohibited by RFC 8996)', subject: 'accepts TLSv1.0', severity: 'fail' },
      { rule: 'tls.versions', item: 'accepts TLSv1.1 (TLS 1.1: prohibited by RFC 8996)', severity: 'fail' },
    ];
    const diff = compareRuns(run('a', before), run('b', reworded));
    expect(keys(diff.findings.new)).to.deep.equal([]);
    expect(keys(diff.findings.fixed)).to.deep.equal([]);
    expect(keys(diff.findings.unchanged)).to.deep.equal([TELNET, DEFAULTS, DH, TLS10, TLS11]);
    expect(diff.findings.unchanged.find((f) => f.key === TLS10)!.item).to.equal('accepts TLSv1.0 (TLS 1.0: prohibited by RFC 8996)');
    expect(diff.regression).to.equal(false);
  });
});
