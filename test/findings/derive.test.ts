import { expect } from 'chai';
import { deriveFindings } from '../../harness/findings/derive.js';
import { cameraRun, TELNET_BANNER } from '../fixtures/results/camera-runs.js';

describe('deriveFindings', () => {
  it('makes one finding per offending item of each FAIL check, most severe first, each with its evidence and remedy', () => {
    const { ready, findings } = deriveFindings(cameraRun('before'));
    expect(ready).to.equal(false);
    expect(findings.map((f) => [f.severity, f.checkId, f.item, f.remedy])).to.deep.equal([
      ['critical', 'S1.1-01/interface-inventory/tcp', `2323/tcp telnet "${TELNET_BANNER}" (known debug or factory service: Telnet, a login shell in plaintext)`, 'turn off the factory Telnet on 2323/tcp'],
      ['critical', 'S1.1-02/default-credentials/web-admin', 'web-admin (443/tcp https)', 'remove the universal default password from web-admin: unique per device, or set by the user at first use'],
      ['high', 'S1.1-12/crypto/ssh', 'kex diffie-hellman-group1-sha1 (1024-bit Oakley group 2 with SHA-1 (Logjam range))', 'remove 1024-bit Diffie-Hellman from ssh; use curve25519 or groups of 2048 bits or more'],
      ['high', 'S1.1-12/crypto/web-admin', 'accepts TLSv1.0 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)', 'disable TLS 1.0 and 1.1 (and SSL) on web-admin; keep TLS 1.2 and 1.3'],
      ['high', 'S1.1-12/crypto/web-admin', 'accepts TLSv1.1 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996)', 'disable TLS 1.0 and 1.1 (and SSL) on web-admin; keep TLS 1.2 and 1.3'],
    ]);
    expect(findings.map((f) => f.requirement)).to.deep.equal(['S1.1-01', 'S1.1-02', 'S1.1-12', 'S1.1-12', 'S1.1-12']);
    expect(findings.map((f) => f.key)).to.deep.equal([
      'S1.1-01/interface-inventory/tcp 2323/tcp',
      'S1.1-02/default-credentials/web-admin',
      'S1.1-12/crypto/ssh ssh.kex kex diffie-hellman-group1-sha1',
      'S1.1-12/crypto/web-admin tls.versions accepts TLSv1.0',
      'S1.1-12/crypto/web-admin tls.versions accepts TLSv1.1',
    ]);
  });

  it('points each finding at the evidence records that show it and their artifacts', () => {
    const { findings } = deriveFindings(cameraRun('before'));
    expect(findings.map((f) => f.evidence)).to.deep.equal([
      // The scan that found the port open and the identification of what answers there.
      { checkId: 'S1.1-01/interface-inventory/tcp', seqs: [3, 5], artifacts: ['artifacts/00003-0-tcp-scan.json'] },
      // The record the reason cites.
      { checkId: 'S1.1-02/default-credentials/web-admin', seqs: [12], artifacts: ['artifacts/00012-0-default-http-admin-admin-response.bin'] },
      // The judgement note and the observation it judged.
      { checkId: 'S1.1-12/crypto/ssh', seqs: [30, 31], artifacts: ['artifacts/00030-0-ssh-22-kexinit.bin'] },
      { checkId: 'S1.1-12/crypto/web-admin', seqs: [20, 21], artifacts: ['artifacts/00020-0-tls-443.json'] },
      { checkId: 'S1.1-12/crypto/web-admin', seqs: [20, 21], artifacts: ['artifacts/00020-0-tls-443.json'] },
    ]);
  });

  it('lists MANUAL and INCONCLUSIVE requirements to review, with their unsettled checks', () => {
    expect(deriveFindings(cameraRun('before')).review).to.deep.equal([
      {
        requirement: 'S1.1-07',
        title: 'requirement S1.1-07',
        verdict: 'MANUAL',
        reason: 'S1.1-07/update-procedure/declaration: a person must review the declared update procedure',
        checks: ['S1.1-07/update-procedure/declaration'],
      },
    ]);
  });

  it('lists a requirement in ERROR to review too: a harness fault decides nothing about the device', () => {
    const clean = cameraRun('clean');
    const faulty = structuredClone(clean);
    faulty.requirements[2] = { ...faulty.requirements[2], verdict: 'ERROR', reason: 'harness error: update hook exited with code 127' };
    faulty.checks.find((c) => c.id === 'S1.1-07/update-procedure/declaration')!.verdict = 'ERROR';
    expect(deriveFindings(faulty)).to.deep.equal({
      ready: false,
      findings: [],
      review: [{ requirement: 'S1.1-07', title: 'requirement S1.1-07', verdict: 'ERROR', reason: 'harness error: update hook exited with code 127', checks: ['S1.1-07/update-procedure/declaration'] }],
    });
  });

  it('keeps crypto warnings out of the findings: a PASS with warnings has nothing to fix', () => {
    const { findings } = deriveFindings(cameraRun('after'));
    expect(findings.map((f) => f.checkId)).to.deep.equal(['S1.1-12/crypto/ssh']);
  });

  it('finds a clean run ready to apply, and an interrupted clean run not ready', () => {
    const clean = cameraRun('clean');
    expect(deriveFindings(clean)).to.deep.equal({ ready: true, findings: [], review: [] });
    expect(deriveFindings({ ...clean, run: { ...clean.run, status: 'interrupted', statusReason: 'Ctrl-C' } }).ready).to.equal(false);
  });
});
