import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import ssh2, { type Algorithms, type NegotiatedAlgorithms } from 'ssh2';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeSshAlgorithms } from '../../harness/probes/ssh/kexinit.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { HARDENED_SSH_ALGORITHMS, LEGACY_SSH_ALGORITHMS } from '../../harness/simulator/ssh-algorithms.js';
import { HOST, readBanner, service, sshLogin } from './helpers.js';

const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 100, authAttemptsPerSecond: 100, connectTimeoutMs: 2000 });

/** What a real ssh2 client offering only `algorithms` negotiates with the server, up to the end of key exchange. */
function negotiate(port: number, algorithms: Algorithms): Promise<NegotiatedAlgorithms | { error: string }> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    const finish = (result: NegotiatedAlgorithms | { error: string }): void => {
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end();
      resolve(result);
    };
    client.on('handshake', finish);
    client.on('error', (err) => finish({ error: err.message }));
    client.connect({ host: HOST, port, username: 'nobody', algorithms, readyTimeout: 5000 });
  });
}

/** A client of an old firmware generation: SHA-1 key exchange, CBC, SHA-1 MAC and nothing else. */
const OLD_CLIENT: Algorithms = { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-cbc'], hmac: ['hmac-sha1'] };

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulator ssh (${mode})`, () => {
    let device: SimulatedDevice;
    let port: number;

    before(async () => {
      device = await startTestDevice({ mode });
      port = service(device, 'ssh').port;
    });
    after(async () => {
      await device?.close();
    });

    it(`has the expected ssh login for the ${mode} build`, () => {
      if (mode === 'insecure') expect(device.ssh).to.deep.equal({ username: 'root', password: 'root' });
      else {
        expect(device.ssh.username).to.equal('admin');
        expect(device.ssh.password).to.equal(device.admin.password).and.to.match(/^[A-Za-z0-9]{20}$/);
      }
    });

    it('sends an SSH-2.0 identification string', async () => {
      const banner = await readBanner(port, 10);
      expect(banner).to.match(/^SSH-2\.0-SimCam_1\.0/);
    });

    it('accepts the valid password and answers exec with the prompt', async () => {
      const res = await sshLogin(port, device.ssh.username, device.ssh.password, 'password');
      expect(res.error).to.equal(undefined);
      expect(res.ok).to.equal(true);
      expect(res.output).to.equal('sim-cam$ ');
    });

    it('accepts the valid password over keyboard-interactive', async () => {
      const res = await sshLogin(port, device.ssh.username, device.ssh.password, 'keyboard-interactive');
      expect(res.ok).to.equal(true);
      expect(res.output).to.equal('sim-cam$ ');
    });

    it('rejects a random wrong password', async () => {
      const res = await sshLogin(port, device.ssh.username, randomUUID(), 'password');
      expect(res.ok).to.equal(false);
      expect(res.error).to.match(/authentication methods failed/);
    });

    it('rejects a random wrong keyboard-interactive answer', async () => {
      const res = await sshLogin(port, device.ssh.username, randomUUID(), 'keyboard-interactive');
      expect(res.ok).to.equal(false);
    });

    it(mode === 'insecure' ? 'accepts the universal default root/root' : 'rejects root/root', async () => {
      const res = await sshLogin(port, 'root', 'root', 'password');
      expect(res.ok).to.equal(mode === 'insecure');
    });

    it("rejects 'none' and offers password and keyboard-interactive", async () => {
      const res = await sshLogin(port, device.ssh.username, '', 'none');
      expect(res.ok).to.equal(false);
      expect(res.methodsAfterNone).to.deep.equal(['password', 'keyboard-interactive']);
    });

    it(`offers exactly the ${mode === 'secure' ? 'hardened' : 'hardened and legacy'} algorithms in its KEXINIT`, async () => {
      const expected = mode === 'secure' ? HARDENED_SSH_ALGORITHMS : LEGACY_SSH_ALGORITHMS;
      const observed = await probeSshAlgorithms(net, { host: HOST, port, signal: new AbortController().signal, timeoutMs: 5000 });
      expect(observed.outcome).to.equal('observed');
      if (observed.outcome !== 'observed') return;
      // ssh2 adds the strict-kex marker (the Terrapin countermeasure) to every server KEXINIT.
      expect(observed.kex).to.deep.equal([...expected.kex, 'kex-strict-s-v00@openssh.com']);
      expect(observed.hostKey).to.deep.equal(['ecdsa-sha2-nistp256']);
      for (const list of [observed.encryptionCtoS, observed.encryptionStoC]) expect(list).to.deep.equal(expected.cipher);
      for (const list of [observed.macCtoS, observed.macStoC]) expect(list).to.deep.equal(expected.hmac);
      for (const list of [observed.compressionCtoS, observed.compressionStoC]) expect(list).to.deep.equal(expected.compress);
    });

    it('negotiates curve25519 and AES-GCM with a modern client', async () => {
      const negotiated = (await negotiate(port, {})) as NegotiatedAlgorithms;
      // ssh2's client lists the libssh.org name of curve25519-sha256 first.
      expect(negotiated).to.deep.include({ kex: 'curve25519-sha256@libssh.org', serverHostKey: 'ecdsa-sha2-nistp256' });
      expect(negotiated.cs).to.deep.include({ cipher: 'aes128-gcm@openssh.com' });
    });

    it(mode === 'secure' ? 'refuses a client that offers only SHA-1 kex, CBC and hmac-sha1' : 'lets an old client in with SHA-1 kex, CBC and hmac-sha1', async () => {
      const negotiated = await negotiate(port, OLD_CLIENT);
      if (mode === 'secure') expect(negotiated).to.deep.equal({ error: 'Handshake failed: no matching key exchange algorithm' });
      else {
        expect(negotiated).to.deep.include({ kex: 'diffie-hellman-group14-sha1' });
        expect((negotiated as NegotiatedAlgorithms).cs).to.deep.include({ cipher: 'aes128-cbc', mac: 'hmac-sha1' });
      }
    });

    it('counts password and keyboard-interactive attempts, not none', async () => {
      const before = device.authAttempts.ssh ?? 0;
      await sshLogin(port, device.ssh.username, '', 'none');
      expect(device.authAttempts.ssh).to.equal(before);
      await sshLogin(port, device.ssh.username, randomUUID(), 'password');
      await sshLogin(port, device.ssh.username, randomUUID(), 'keyboard-interactive');
      await sshLogin(port, device.ssh.username, device.ssh.password, 'password');
      expect(device.authAttempts.ssh).to.equal(before + 3);
    });
  });
}
