import { expect } from 'chai';
import type { AttemptRecord } from '../../harness/checks/update/attempt-record.js';
import { judgeAttack, judgeGenuineUpdate } from '../../harness/checks/update/judge.js';
import type { UpdateTrialResult } from '../../harness/checks/update/trial.js';
import type { UpdateAttempt } from '../../harness/update/types.js';

const at = '2026-12-03T00:00:00.000Z';
const v = (version: string) => ({ ok: true as const, version, method: 'GET /version', at });

function attempt(name: UpdateAttempt, fields: Partial<AttemptRecord>): AttemptRecord {
  return {
    attempt: name,
    purpose: 'test',
    skipped: null,
    image: { sha256: 'ab'.repeat(32), version: '1.3.0', description: `${name} image`, installsAs: ['1.3.0'] },
    mode: { channel: 'genuine-tls', cutAtHalf: false, plainDownloadLink: false },
    before: v('1.2.0'),
    after: v('1.2.0'),
    requests: [],
    feedback: [],
    fetched: true,
    refusedChannel: null,
    deliveryFailure: null,
    contacted: true,
    trigger: null,
    healthy: true,
    durationMs: 10,
    ...fields,
  };
}

const control = attempt('genuine', { after: v('1.3.0') });
const trial = (...attempts: AttemptRecord[]): UpdateTrialResult => ({ blocked: null, attempts, updatePathWorks: attempts.some((a) => a.after?.ok && a.before?.ok && a.after.version !== a.before.version && a.after.version === a.image?.version), versionReadLogsIn: true });

describe('update trial verdicts (S1.1-06, S1.1-08)', () => {
  it('PASSes an attack the device fetched and did not install, once the genuine image was shown to install', () => {
    const out = judgeAttack(trial(attempt('wrong-key', {}), control), 'wrong-key', 120);
    expect(out.verdict).to.equal('PASS');
    expect(out.reason).to.contain('fetched it and did not install it').and.contain('still runs 1.2.0');
  });

  it('FAILs an attack whose image the device installed, naming the versions and the image', () => {
    const out = judgeAttack(trial(attempt('unsigned', { after: v('1.3.0') })), 'unsigned', 120);
    expect(out.verdict).to.equal('FAIL');
    expect(out.reason).to.equal(`the device installed the image with its signature removed: version 1.2.0 → 1.3.0 (unsigned image; sha256 ${'ab'.repeat(8)}…)`);
  });

  it('FAILs rollback when the older image was taken while restoring the device after an attack', () => {
    const restore = attempt('rollback', { purpose: 'restore', before: v('1.3.0'), after: v('1.1.0'), image: { sha256: 'cd'.repeat(32), version: '1.1.0', description: 'older image', installsAs: ['1.1.0'] } });
    const out = judgeAttack(trial(attempt('unsigned', { after: v('1.3.0') }), restore), 'rollback', 120);
    expect(out.verdict).to.equal('FAIL');
    expect(out.reason).to.contain('when jcstar served it to undo an attack').and.contain('1.3.0 → 1.1.0');
  });

  it('is INCONCLUSIVE on a refusal when nothing installed in the whole trial: no positive control', () => {
    const out = judgeAttack(trial(attempt('payload-byte-flipped', {}), attempt('genuine', {})), 'payload-byte-flipped', 120);
    expect(out.verdict).to.equal('INCONCLUSIVE');
    expect(out.reason).to.contain('not even the genuine one');
  });

  it('is INCONCLUSIVE, never PASS, when the device did not contact the server', () => {
    const out = judgeAttack(trial(attempt('cut-download', { contacted: false, fetched: false }), control), 'cut-download', 120);
    expect(out).to.deep.equal({ verdict: 'INCONCLUSIVE', reason: 'the device did not contact the update server in 120 s while the genuine image, the download cut off half way was offered' });
  });

  it('PASSes a man-in-the-middle attempt the device refused at the TLS handshake', () => {
    const out = judgeAttack(trial(attempt('untrusted-certificate', { fetched: false, refusedChannel: 'alert unknown ca' }), control), 'untrusted-certificate', 120);
    expect(out.verdict).to.equal('PASS');
    expect(out.reason).to.contain('refused the connection (alert unknown ca)');
  });

  it('is INCONCLUSIVE when the version is unreadable after the attempt', () => {
    const out = judgeAttack(trial(attempt('wrong-key', { after: { ok: false, reason: 'connection refused', method: 'GET /version', at } }), control), 'wrong-key', 120);
    expect(out.verdict).to.equal('INCONCLUSIVE');
    expect(out.reason).to.contain('connection refused');
  });

  it('carries a justified NOT_APPLICABLE and an INCONCLUSIVE profile gap through', () => {
    const na = attempt('plain-http', { skipped: { reason: 'the user uploads the image: no download link to downgrade', notApplicable: true } });
    expect(judgeAttack(trial(na, control), 'plain-http', 120)).to.deep.equal({ verdict: 'NOT_APPLICABLE', reason: 'the user uploads the image: no download link to downgrade' });
    const gap = attempt('plain-http', { skipped: { reason: 'give update.server.plainPort', notApplicable: false } });
    expect(judgeAttack(trial(gap, control), 'plain-http', 120).verdict).to.equal('INCONCLUSIVE');
  });

  it('is INCONCLUSIVE, not FAIL, when the version changed to something the image does not state (an A/B fallback, a late install)', () => {
    const out = judgeAttack(trial(attempt('wrong-key', { after: v('1.0.9') }), control), 'wrong-key', 120);
    expect(out.verdict).to.equal('INCONCLUSIVE');
    expect(out.reason).to.match(/^after the image signed with a key jcstar made up the device runs 1\.0\.9, not 1\.3\.0, what the image would install as/);
  });

  it('is INCONCLUSIVE when the image could not be put before the device (an upload answered 503)', () => {
    const out = judgeAttack(trial(attempt('unsigned', { deliveryFailure: 'the upload was answered HTTP 503 busy, which does not say the image was refused' }), control), 'unsigned', 120);
    expect(out).to.deep.equal({ verdict: 'INCONCLUSIVE', reason: 'the upload was answered HTTP 503 busy, which does not say the image was refused' });
  });

  it('is INCONCLUSIVE everywhere when the trial was blocked', () => {
    const blocked: UpdateTrialResult = { blocked: 'the running firmware version cannot be read (401)', attempts: [], updatePathWorks: false, versionReadLogsIn: false };
    expect(judgeAttack(blocked, 'unsigned', 120)).to.deep.equal({ verdict: 'INCONCLUSIVE', reason: 'the running firmware version cannot be read (401)' });
    expect(judgeGenuineUpdate(blocked, 120).verdict).to.equal('INCONCLUSIVE');
  });

  it('S1.1-06 PASSes on the genuine image installed, and is INCONCLUSIVE when it was fetched but not installed', () => {
    expect(judgeGenuineUpdate(trial(control), 120).reason).to.contain('the genuine image was installed: version 1.2.0 → 1.3.0');
    const notInstalled = judgeGenuineUpdate(trial(attempt('genuine', {})), 120);
    expect(notInstalled.verdict).to.equal('INCONCLUSIVE');
    expect(notInstalled.reason).to.contain('the update path did not work in 120 s');
  });

  describe('a genuine image taken over an untrusted channel', () => {
    const refused = (name: UpdateAttempt) => attempt(name, {});
    const plainTaken = attempt('plain-http', { after: v('1.3.0'), mode: { channel: 'genuine-tls', cutAtHalf: false, plainDownloadLink: true } });

    it('PASSes with a warning when the same trial saw every unsigned or re-signed image refused', () => {
      const out = judgeAttack(trial(refused('payload-byte-flipped'), refused('metadata-byte-changed'), refused('wrong-key'), refused('unsigned'), refused('cut-download'), plainTaken), 'plain-http', 120);
      expect(out.verdict).to.equal('PASS');
      expect(out.reason).to.contain('integrity holds');
      expect(out.warnings).to.deep.equal(['the device downloads updates over plain HTTP when told to; S1.1-12 judges the channel']);
    });

    it('FAILs when the device also installs an image that is not genuinely signed', () => {
      const out = judgeAttack(trial(refused('payload-byte-flipped'), refused('metadata-byte-changed'), attempt('wrong-key', { after: v('1.3.0') }), refused('unsigned'), refused('cut-download'), plainTaken), 'plain-http', 120);
      expect(out.verdict).to.equal('FAIL');
      expect(out.reason).to.contain('it also installs the image signed with a key jcstar made up, so whoever plays that server can install anything');
    });

    it('is INCONCLUSIVE when the signature attacks did not establish a refusal', () => {
      const out = judgeAttack(trial(refused('payload-byte-flipped'), refused('metadata-byte-changed'), attempt('wrong-key', { contacted: false, fetched: false }), refused('unsigned'), refused('cut-download'), plainTaken), 'plain-http', 120);
      expect(out.verdict).to.equal('INCONCLUSIVE');
      expect(out.reason).to.contain('wrong-key: INCONCLUSIVE');
    });
  });
});
