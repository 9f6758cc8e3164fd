import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TCP_PROGRESS_FILE } from '../../harness/engine/scan-resume.js';
import { parsePortRanges } from '../../harness/probes/tcp/port-ranges.js';
import { jcstar } from '../support/cli.js';
import { tempDir } from '../support/run-profile.js';
import { countingListener, type CountingListener } from '../support/listeners.js';

const HOST = '127.0.93.21';
const PORTS = '30000-60999';

describe('jcstar run: a TCP scan cut short by Ctrl-C goes on with --resume', function () {
  this.timeout(120000);
  let device: CountingListener;
  let port = 0;
  before(async () => {
    device = await countingListener(HOST);
    port = device.port;
  });
  after(() => device.close());

  it('shows the scan\'s progress, keeps it on Ctrl-C, and the next run scans only what is left', async () => {
    const dir = tempDir();
    const profile = join(dir, 'device.yaml');
    writeFileSync(profile, stringify({
      device: { vendor: 'ACME', model: 'TEST-1', firmware: '1.0.0', unit: 'T-0001', category: 'network-camera' },
      target: { host: HOST },
      scope: [`${HOST}/32`],
      services: [{ name: 'svc', protocol: 'other', port, auth: 'none' }],
      policy: { portScan: { tcpPorts: PORTS }, udpScan: { payloadTable: false } },
    }));
    const first = join(dir, 'first');
    let sent = false;
    const interrupted = await jcstar(['run', profile, '--only', 'S1.1-01', '--out', first], {
      onStderr: (text, child) => {
        if (!sent && /TCP scan: \d+ of 31000 ports/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(interrupted.code, interrupted.stderr).to.equal(130);
    const saved = JSON.parse(readFileSync(join(first, TCP_PROGRESS_FILE), 'utf8')) as { progress: { done: string; ports: string } };
    const done = parsePortRanges(saved.progress.done).length;
    expect(saved.progress.ports).to.equal(PORTS);
    expect(done).to.be.greaterThan(0).and.lessThan(31000);

    const second = join(dir, 'second');
    const resumed = await jcstar(['run', profile, '--only', 'S1.1-01', '--scan-speed', 'fast', '--resume', first, '--out', second]);
    expect(resumed.code, resumed.stderr).to.equal(0);
    const results = JSON.parse(readFileSync(join(second, 'results.json'), 'utf8'));
    const inventory = results.checks.find((c: { id: string }) => c.id === 'S1.1-01/interface-inventory/tcp');
    expect(inventory.verdict, inventory.reason).to.equal('INCONCLUSIVE');
    expect(inventory.reason).to.contain(`only ports ${PORTS} were to be scanned, not 1-65535`);
    expect(inventory.evidence[0].summary).to.match(/^resuming the TCP scan of run \S+: ports \S+ were scanned there/);
    expect(inventory.evidence[1].data.attempts).to.be.at.most(31000 - done + 100);
    expect(existsSync(join(second, TCP_PROGRESS_FILE))).to.equal(true);
  });

  it('refuses --scan-speed values it does not know, with exit code 2', async () => {
    const r = await jcstar(['run', 'devices/example-camera.yaml', '--scan-speed', 'ludicrous']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--scan-speed: expected gentle or fast, found "ludicrous"');
  });
});
