import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { startOpenSsh, type OpenSsh } from '../support/openssh.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { startSshMethodsServer } from '../support/ssh-methods-server.js';

/** sshd takes the first value of a keyword; a Match block overrides the fixture's PasswordAuthentication yes. */
const KEY_ONLY = ['Match all', '  PasswordAuthentication no', '  KbdInteractiveAuthentication no'].join('\n');

function sshProfile(sshd: OpenSsh, auth: 'publickey' | 'password') {
  return {
    device: DEVICE,
    target: { host: sshd.host },
    scope: [`${sshd.host}/32`],
    services: [{ name: 'ssh', protocol: 'ssh', port: sshd.port, auth, credential: 'admin' }],
    credentials: { admin: auth === 'password' ? { username: 'maint', password: '${env:SSH_PASSWORD}' } : { username: 'maint', key: '${env:SSH_KEY}' } },
  };
}

const ENV = { SSH_PASSWORD: randomBytes(12).toString('base64url'), SSH_KEY: 'not-used-by-these-checks' };

describe('Key-only SSH against real OpenSSH (PasswordAuthentication no, KbdInteractiveAuthentication no)', function () {
  this.timeout(120000);
  let sshd: OpenSsh;
  before(async function () {
    requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
    sshd = await startOpenSsh('127.0.61.3', { maint: ENV.SSH_PASSWORD }, KEY_ONLY);
  });
  after(() => sshd?.stop());

  it('declared publickey: S1.1-04 PASS and S1.1-02 NOT_APPLICABLE, each with the offered methods as evidence', async () => {
    const { results } = await runProfile(sshProfile(sshd, 'publickey'), { only: ['S1.1-02', 'S1.1-04'], env: ENV });
    const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/ssh')!;
    expect(bruteForce.verdict, bruteForce.reason).to.equal('PASS');
    expect(bruteForce.reason).to.match(/^ssh: no password can be tried: the server offers only publickey \(evidence #\d+\)$/);
    expect(bruteForce.evidence).to.have.length(1);
    expect(bruteForce.evidence[0]!.data).to.deep.include({ username: 'maint', outcome: 'refused', methods: ['publickey'] });
    const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
    expect(defaults.verdict, defaults.reason).to.equal('NOT_APPLICABLE');
    expect(defaults.reason).to.match(/^ssh: no password login to hold a default: the server offers only publickey \(evidence #\d+\)$/);
  });

  it('declared password on a server that offers no password method: the same verdicts, since nothing can be guessed', async () => {
    const { results } = await runProfile(sshProfile(sshd, 'password'), { only: ['S1.1-02', 'S1.1-04'], env: ENV });
    expect(results.checks.find((c) => c.id === 'S1.1-04/brute-force/ssh')!.verdict).to.equal('PASS');
    expect(results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!.verdict).to.equal('NOT_APPLICABLE');
    // No password was ever sent: only the `none` requests.
    expect(sshd.authLog()).to.not.match(/Failed password|Accepted password/);
  });
});

describe('SSH declared publickey that offers password after all', function () {
  this.timeout(120000);
  before(function () {
    requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  it('is INCONCLUSIVE on S1.1-04 and S1.1-02, naming the password method and what to declare', async () => {
    const sshd = await startOpenSsh('127.0.61.4', { maint: ENV.SSH_PASSWORD });
    try {
      const { results } = await runProfile(sshProfile(sshd, 'publickey'), { only: ['S1.1-02', 'S1.1-04'], env: ENV });
      const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/ssh')!;
      expect(bruteForce.verdict).to.equal('INCONCLUSIVE');
      expect(bruteForce.reason).to.match(
        /^ssh is declared publickey but the server offers publickey, password \(evidence #\d+\); declare auth: password and a credential so that jcstar can run the brute-force test$/,
      );
      const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
      expect(defaults.verdict).to.equal('INCONCLUSIVE');
      expect(defaults.reason).to.include('declare auth: password and a credential so that jcstar can try the default credentials');
    } finally {
      await sshd.stop();
    }
  });
});

/** A service declared with an auth and no credential: jcstar asks root, and a random user, which methods they get. */
function anonymousProfile(host: string, port: number, auth: 'publickey' | 'password') {
  return { device: DEVICE, target: { host }, scope: [`${host}/32`], services: [{ name: 'ssh', protocol: 'ssh', port, auth }] };
}

describe('SSH method lists that do not show a key-only login', function () {
  this.timeout(120000);
  const HOST = '127.0.61.5';

  it('an empty method list is INCONCLUSIVE on S1.1-04 and S1.1-02, with the list as evidence, not key-only (in-process ssh2 server)', async () => {
    const server = await startSshMethodsServer(HOST, () => []);
    try {
      const { results } = await runProfile(anonymousProfile(HOST, server.port, 'publickey'), { only: ['S1.1-02', 'S1.1-04'] });
      for (const id of ['S1.1-04/brute-force/ssh', 'S1.1-02/default-credentials/ssh']) {
        const check = results.checks.find((c) => c.id === id)!;
        expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
        expect(check.reason).to.match(/^ssh: the server offers no password method, but no key method either \(methods listed: none; evidence #\d+\), so jcstar cannot tell how anyone logs in$/);
        expect(check.evidence[0]!.data).to.deep.include({ username: 'root', outcome: 'refused', methods: [] });
      }
    } finally {
      await server.close();
    }
  });

  it('declared password without a credential: key-only only when root and a random user are both offered publickey alone (in-process ssh2 server)', async () => {
    const server = await startSshMethodsServer(HOST, () => ['publickey']);
    try {
      const { results } = await runProfile(anonymousProfile(HOST, server.port, 'password'), { only: ['S1.1-04'] });
      const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/ssh')!;
      expect(bruteForce.verdict, bruteForce.reason).to.equal('PASS');
      expect(bruteForce.evidence[0]!.summary).to.match(/^SSH methods offered \(method none\) to "root" → publickey; "jcstar-[0-9a-f]{8}" → publickey$/);
      expect(server.asked).to.have.length(2);
      expect(server.asked[0]).to.equal('root');
    } finally {
      await server.close();
    }
  });

  it('declared password without a credential: a server that hides password for root only (as Dropbear -g means to) is not key-only (in-process ssh2 server)', async () => {
    const server = await startSshMethodsServer(HOST, (username) => (username === 'root' ? ['publickey'] : ['publickey', 'password']));
    try {
      const { results } = await runProfile(anonymousProfile(HOST, server.port, 'password'), { only: ['S1.1-02', 'S1.1-04'] });
      const bruteForce = results.checks.find((c) => c.id === 'S1.1-04/brute-force/ssh')!;
      expect(bruteForce.verdict, bruteForce.reason).to.not.equal('PASS');
      expect(bruteForce.reason).to.not.include('no password can be tried');
      const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/ssh')!;
      expect(defaults.verdict, defaults.reason).to.not.equal('NOT_APPLICABLE');
      expect(defaults.reason).to.not.include('no password login to hold a default');
      // Identification asks root for its methods first; then the check asks root and a random user.
      expect(server.asked.slice(0, 3)).to.satisfy((users: string[]) => users[0] === 'root' && users[1] === 'root' && /^jcstar-[0-9a-f]{8}$/.test(users[2]!));
    } finally {
      await server.close();
    }
  });
});
