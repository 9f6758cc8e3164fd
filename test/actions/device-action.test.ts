import { expect } from 'chai';
import { performDeviceAction } from '../../harness/actions/device-action.js';
import { HARDENED_SSH_ALGORITHMS } from '../../harness/simulator/ssh-algorithms.js';
import { startSshServer } from '../../harness/simulator/ssh-server.js';
import { checkContext } from '../support/check-context.js';
import { freePort } from '../support/daemons.js';
import { DEVICE } from '../support/run-profile.js';

const HOST = '127.0.0.16';
const PASSWORD = 'Ssh-Maint-Pw-93k';

describe('device actions', () => {
  it('runs an SSH action with the service credential, {{marker}} filled in, the password only as its marker in the evidence', async () => {
    let logins = 0;
    const port = await freePort(HOST);
    const server = await startSshServer({ host: HOST, port, login: { username: 'maint', password: PASSWORD }, onAuthAttempt: () => logins++, algorithms: HARDENED_SSH_ALGORITHMS });
    try {
      const ctx = await checkContext(
        {
          device: DEVICE,
          target: { host: HOST },
          scope: [`${HOST}/32`],
          services: [{ name: 'shell', protocol: 'ssh', port, auth: 'password', credential: 'maint' }],
          credentials: { maint: { username: 'maint', password: '${env:MAINT_PASSWORD}' } },
        },
        [],
        { MAINT_PASSWORD: PASSWORD },
      );
      const o = await performDeviceAction(ctx, { ssh: { service: 'shell', command: 'echo {{marker}} >> /data/notes' } }, { marker: 'jcstar-abc123' });
      expect(o).to.deep.include({ action: 'ssh on shell: echo jcstar-abc123 >> /data/notes', ok: true, detail: 'exit status 0', output: 'sim-cam$ ', timedOut: false });
      expect(logins).to.equal(1);
      const evidence = ctx.recorded[o.evidenceSeq - 1]!;
      expect(evidence.summary).to.equal('ssh on shell: echo jcstar-abc123 >> /data/notes → exit status 0');
      expect(evidence.sent).to.equal('USERAUTH_REQUEST user=maint method=password password=[REDACTED:credentials.maint.password]\nCHANNEL_REQUEST exec echo jcstar-abc123 >> /data/notes');
    } finally {
      await server.close();
    }
  });

  it('sends nothing over an HTTP login it cannot replay, and says why', async () => {
    const ctx = await checkContext({
      device: DEVICE,
      target: { host: HOST },
      scope: [`${HOST}/32`],
      services: [{ name: 'web', protocol: 'http', port: 1, auth: 'form', credential: 'admin', login: { path: '/login' } }],
      credentials: { admin: { username: 'admin', password: '${env:P}' } },
    }, [], { P: 'Some-Password-1' });
    const o = await performDeviceAction(ctx, { http: { service: 'web', method: 'POST', path: '/api/notes', body: '{"note":"{{marker}}"}' } }, { marker: 'jcstar-1' });
    expect(o).to.deep.include({ action: 'POST /api/notes on web', ok: false, detail: 'jcstar sends device actions with HTTP Basic or without a login; web uses form', output: '' });
    expect(ctx.recorded.map((e) => e.kind)).to.deep.equal(['note']);
  });
});
