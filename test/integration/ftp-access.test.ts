import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import type { CheckResult } from '../../harness/results/schema.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { startVsftpd, type Vsftpd } from '../support/vsftpd.js';

/** S1.1-01 unauthenticated access on FTP against real vsftpd, each on a 127.0.112.x of its own. */

const QUIET = { portScan: { tcpPorts: '' }, udpScan: { payloadTable: false }, budgets: { replyTimeoutMs: 5000 } };
const FILES = { 'firmware-notes.txt': 'factory build 20190412\n', 'calibration.bin': 'not really\n' };

function accessCheck(run: RunOutcome, name: string): CheckResult {
  const check = run.results.checks.find((c) => c.id === `S1.1-01/unauthenticated-access/${name}`);
  if (!check) throw new Error(`no check for ${name}: ${run.results.checks.map((c) => c.id).join(', ')}`);
  return check;
}

async function accessRun(ftp: Vsftpd, service: Record<string, unknown> = {}): Promise<CheckResult> {
  const profile = {
    device: DEVICE,
    target: { host: ftp.host },
    scope: [`${ftp.host}/32`],
    services: [{ name: 'files', protocol: 'ftp', port: ftp.port, auth: 'password', ...service }],
    policy: QUIET,
  };
  return accessCheck(await runProfile(profile, { only: ['S1.1-01'] }), 'files');
}

describe('S1.1-01 unauthenticated access: FTP against real vsftpd', function () {
  this.timeout(60000);
  const password = randomBytes(12).toString('base64url');
  let ftp: Vsftpd | null = null;

  before(function () {
    requireBinaries(this, { vsftpd: 'vsftpd', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  afterEach(async () => {
    await ftp?.stop();
    ftp = null;
  });

  it('FAILs a factory FTP that lets anonymous in, with the listing in the evidence', async () => {
    ftp = await startVsftpd('127.0.112.1', { maint: password }, { anonymous: { files: FILES } });
    const check = await accessRun(ftp);
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^files: \/ \(anonymous\/ftp → "230 Login successful\.", and LIST returned 2 entries; evidence #\d+\) reachable without authentication$/);
    const [exchange] = check.evidence;
    expect(exchange!.sent).to.equal('USER anonymous\nPASS ftp\nPASV\nLIST\nQUIT');
    expect(exchange!.received).to.match(/^220 .*\n331 .*\n230 Login successful\.\n227 Entering Passive Mode \(127,0,112,1,\d+,\d+\)\.\n150 .*\n226 .*\n221 Goodbye\.$/);
    const listing = (exchange!.data as { listing: string[] }).listing;
    expect(listing).to.have.length(2);
    expect(listing.join('\n')).to.contain('firmware-notes.txt').and.to.contain('calibration.bin');
    expect(ftp.ftpLog()).to.match(/OK LOGIN: Client "[\d.]+", anon password "ftp"/);
  });

  it('PASSes vsftpd with anonymous logins disabled: 530 to the anonymous login', async () => {
    ftp = await startVsftpd('127.0.112.2', { maint: password });
    const check = await accessRun(ftp);
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/^files refused \/ \(anonymous\/ftp → "530 Login incorrect\."; evidence #\d+\) without credentials$/);
    expect(check.evidence[0]!.sent).to.equal('USER anonymous\nPASS ftp\nQUIT');
  });

  it('is NOT_APPLICABLE for anonymous FTP declared public on a service declared auth: none, with the justification', async () => {
    ftp = await startVsftpd('127.0.112.3', {}, { anonymous: { files: FILES } });
    const justification = 'public firmware mirror: release notes only';
    const check = await accessRun(ftp, { auth: 'none', public: [{ resource: '/', justification }] });
    expect(check.verdict, check.reason).to.equal('NOT_APPLICABLE');
    expect(check.evidence.some((e) => e.kind === 'note' && e.summary.includes(justification))).to.equal(true);
  });
});

describe('S1.1-01 unauthenticated access: implicit FTPS against real vsftpd', function () {
  this.timeout(60000);
  let ftp: Vsftpd | null = null;

  before(function () {
    requireBinaries(this, { vsftpd: 'vsftpd', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  afterEach(async () => {
    await ftp?.stop();
    ftp = null;
  });

  it('FAILs anonymous access over TLS: login and listing both inside TLS (PROT P)', async () => {
    ftp = await startVsftpd('127.0.112.4', {}, { anonymous: { files: FILES }, implicitTls: true });
    const check = await accessRun(ftp, { protocol: 'ftps' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/and LIST returned 2 entries/);
    expect(check.evidence[0]!.sent).to.equal('USER anonymous\nPASS ftp\nPBSZ 0\nPROT P\nPASV\nLIST\nQUIT');
  });

  it('PASSes implicit FTPS with anonymous logins disabled', async () => {
    ftp = await startVsftpd('127.0.112.5', { maint: randomBytes(12).toString('base64url') }, { implicitTls: true });
    const check = await accessRun(ftp, { protocol: 'ftps' });
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/530 Login incorrect\./);
  });
});
