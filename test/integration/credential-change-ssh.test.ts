import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunOutcome } from '../../harness/engine/run.js';
import { freePort, requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';
import { startNamespacedDaemon } from '../support/fixture-users.js';
import { filesUnder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

/**
 * S1.1-03 against real Dropbear, with the password changed by real chpasswd. chpasswd (through PAM)
 * writes a new /etc/shadow and renames it into place, which a file bind-mounted over /etc/shadow refuses
 * (EBUSY). So the daemon's private mount namespace gets an overlay over the whole of /etc instead: the
 * fixture's passwd and shadow sit in its upper layer, chpasswd's writes land there too, and the host's
 * /etc never changes. The fixture user has UID 0, as a device's maintenance login does, because only
 * root may run chpasswd.
 */
const USER = 'jcmaint';

interface Fixture extends Daemon {
  port: number;
  dir: string;
  /** The fixture user's line in the shadow file Dropbear and chpasswd use. */
  shadowLine(): string;
}

async function startDropbear(host: string, password: string): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-chpasswd-'));
  const upper = join(dir, 'upper');
  mkdirSync(upper);
  mkdirSync(join(dir, 'work'));
  copyFileSync('/etc/passwd', join(upper, 'passwd'));
  copyFileSync('/etc/shadow', join(upper, 'shadow'));
  const hash = execFileSync('openssl', ['passwd', '-6', '-salt', randomBytes(6).toString('hex'), '-stdin'], { input: password }).toString().trim();
  appendFileSync(join(upper, 'passwd'), `${USER}:x:0:0:jcstar fixture:/tmp:/bin/sh\n`);
  appendFileSync(join(upper, 'shadow'), `${USER}:${hash}:19000:0:99999:7:::\n`);
  execFileSync('dropbearkey', ['-t', 'ecdsa', '-f', join(dir, 'hostkey')], { stdio: 'ignore' });
  const port = await freePort(host);
  const overlay = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${upper},workdir=${join(dir, 'work')} /etc`;
  const daemon = await startNamespacedDaemon(`${overlay} && exec dropbear -F -E -p ${host}:${port} -r ${dir}/hostkey -P ${dir}/pid`, host, port);
  const shadowLine = () => readFileSync(join(upper, 'shadow'), 'utf8').split('\n').find((l) => l.startsWith(`${USER}:`)) ?? '';
  return { ...daemon, port, dir, shadowLine };
}

function profile(host: string, port: number, command: string) {
  return {
    device: DEVICE,
    target: { host },
    scope: [`${host}/32`],
    services: [{ name: 'maintenance', protocol: 'ssh', port, auth: 'password', credential: 'maint', credentialChange: { ssh: { command } } }],
    credentials: { maint: { username: USER, password: '${env:FIXTURE_SSH_PASSWORD}' } },
  };
}

function expectNoPasswordIn(runDir: string, passwords: string[]): void {
  for (const file of filesUnder(runDir)) {
    const content = readFileSync(file).toString('latin1');
    for (const p of passwords) expect(content.includes(p), `a password in ${file}`).to.equal(false);
  }
}

const check = (run: RunOutcome) => run.results.checks.find((c) => c.id === 'S1.1-03/credential-change/maintenance')!;
const steps = (run: RunOutcome) => check(run).evidence.map((e) => [e.data?.step, e.data?.outcome ?? (e.data?.ok ? 'done' : 'failed')]);

describe('S1.1-03 against real Dropbear and chpasswd', function () {
  this.timeout(60000);
  before(function () {
    requireBinaries(this, { dropbear: 'dropbear-bin', dropbearkey: 'dropbear-bin', chpasswd: 'passwd', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'mounting an overlay over /etc in a private mount namespace');
  });
  const password = randomBytes(12).toString('base64url');
  let daemon: Fixture | undefined;
  afterEach(async () => {
    await daemon?.stop();
    // It holds a copy of the host's shadow file.
    if (daemon) rmSync(daemon.dir, { recursive: true, force: true });
    daemon = undefined;
  });

  it('PASSes: chpasswd really changes what Dropbear checks, the old value is rejected, the new accepted, then restored', async () => {
    daemon = await startDropbear('127.0.88.41', password);
    const before = daemon.shadowLine();
    // tee only records what the device was asked to set, so that the test can look for it in the run folder.
    const requested = join(daemon.dir, 'requested');
    const run = await runProfile(profile('127.0.88.41', daemon.port, `echo '{{username}}:{{newPassword}}' | tee -a ${requested} | chpasswd`), {
      env: { FIXTURE_SSH_PASSWORD: password }, only: ['S1.1-03'],
    });
    expect(check(run).verdict, check(run).reason).to.equal('PASS');
    expect(steps(run)).to.deep.equal([
      ['before-change', 'accepted'], ['change', 'done'], ['old-after-change', 'rejected'], ['new-after-change', 'accepted'],
      ['restore', 'done'], ['old-after-restore', 'accepted'], ['new-after-restore', 'rejected'],
    ]);
    const change = check(run).evidence[1]!;
    expect(change.sent).to.equal(`USERAUTH_REQUEST user=${USER} method=password password=[REDACTED:credentials.maint.password]\nCHANNEL_REQUEST exec echo '${USER}:[REDACTED:temporary-password]' | tee -a ${requested} | chpasswd`);
    expect(change.received).to.match(/^exit: exit status 0\n/);
    // Dropbear's own log: the old value refused once, and logins with the temporary value.
    expect(daemon.log()).to.match(/Bad password attempt for 'jcmaint'/);
    // chpasswd wrote the shadow file twice: the hash is no longer the one the fixture started with.
    expect(daemon.shadowLine()).to.not.equal(before);
    const asked = readFileSync(requested, 'utf8').trim().split('\n').map((l) => l.slice(USER.length + 1));
    expect(asked).to.have.length(2);
    expect(asked[1]).to.equal(password);
    expectNoPasswordIn(run.runDir, asked);
  });

  it('FAILs a command that reports success but changes nothing', async () => {
    daemon = await startDropbear('127.0.88.42', password);
    const before = daemon.shadowLine();
    const run = await runProfile(profile('127.0.88.42', daemon.port, "echo '{{username}}:{{newPassword}}' > /dev/null"), { env: { FIXTURE_SSH_PASSWORD: password }, only: ['S1.1-03'] });
    expect(check(run).verdict).to.equal('FAIL');
    expect(check(run).reason).to.match(/^maintenance: the old value is still accepted after a change the device reported as done \(exit status 0, .*the change had no effect$/);
    expect(daemon.shadowLine()).to.equal(before);
    expectNoPasswordIn(run.runDir, [password]);
  });

  it('is INCONCLUSIVE when the command fails, with its exit status and output as evidence', async () => {
    daemon = await startDropbear('127.0.88.43', password);
    const run = await runProfile(profile('127.0.88.43', daemon.port, "echo '{{username}}:{{newPassword}}' | chpasswd --no-such-option"), { env: { FIXTURE_SSH_PASSWORD: password }, only: ['S1.1-03'] });
    expect(check(run).verdict).to.equal('INCONCLUSIVE');
    expect(check(run).reason).to.match(/^maintenance: the change procedure failed \(exit status [1-9]\d*, evidence #\d+\)/);
    expect(check(run).evidence[1]!.received).to.match(/stderr: .*chpasswd/);
    expect(steps(run).map(([s]) => s)).to.deep.equal(['before-change', 'change', 'old-after-change', 'new-after-change']);
  });
});
