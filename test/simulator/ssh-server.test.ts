import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { readBanner, service, sshLogin } from './helpers.js';

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
