import { expect } from 'chai';
import { startMisbehavingServer } from '../../harness/simulator/misbehaving.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

type Kind = 'hang' | 'garbage' | 'reset' | 'slow-close';
const KINDS: Kind[] = ['hang', 'garbage', 'reset', 'slow-close'];
const LOGINS = [
  { protocol: 'http', auth: 'basic' },
  { protocol: 'ssh', auth: 'password' },
  { protocol: 'mqtt', auth: 'password' },
] as const;

describe('a device that hangs, answers garbage or resets', function () {
  this.timeout(60000);

  for (const kind of KINDS) {
    it(`gives INCONCLUSIVE with a reason on every login when it ${kind}s, never a crash or a hang`, async () => {
      const servers = await Promise.all(LOGINS.map(() => startMisbehavingServer(kind)));
      try {
        const profile = {
          device: DEVICE,
          target: { host: '127.0.0.1' },
          scope: ['127.0.0.1/32'],
          services: LOGINS.map((l, i) => ({ name: `${l.protocol}-${kind}`, protocol: l.protocol, port: servers[i]!.port, auth: l.auth })),
          policy: { budgets: { replyTimeoutMs: 800, connectTimeoutMs: 800, checkMs: 15000 } },
        };
        const { results, runDir } = await runProfile(profile, { only: ['S1.1-02'] });
        if (kind === 'reset') {
          // Every connection is reset at once: the preflight finds nothing that answers and stops the run.
          expect(results.run.status).to.equal('aborted');
          expect(results.run.statusReason).to.match(/unreachable: no declared TCP service answered \(http-reset \d+\/tcp (reset|closed)/);
        }
        const logins = results.checks.filter((c) => c.id.startsWith('S1.1-02/default-credentials/'));
        expect(logins).to.have.length(3);
        for (const check of logins) {
          expect(check.verdict, `${check.id}: ${check.reason}`).to.equal('INCONCLUSIVE');
          if (kind === 'reset') {
            expect(check.reason).to.equal('not run: the run was aborted before this check');
            continue;
          }
          expect(check.reason).to.match(/^negative control failed on /);
          expect(check.evidence[0]!.data?.outcome).to.equal('error');
        }
        expectValidRunFolder(runDir);
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });
  }
});
