import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecks } from '../../harness/engine/run.js';
import { ResumeError, TCP_PROGRESS_FILE } from '../../harness/engine/scan-resume.js';
import { DEVICE, profileFrom, tempDir } from '../support/run-profile.js';
import { countingListener, type CountingListener } from '../support/listeners.js';

// A loopback address of its own, and a port range around its one listener: nothing else of the host is scanned.
const HOST = '127.0.93.17';

describe('engine: an interrupted TCP scan resumes from its run folder', function () {
  this.timeout(60000);
  let device: CountingListener;
  let port = 0;
  before(async () => {
    device = await countingListener(HOST);
    port = device.port;
  });
  after(() => device.close());

  const range = () => `${port - 40}-${port + 40}`;
  const profile = () =>
    profileFrom({
      device: DEVICE,
      target: { host: HOST },
      scope: [`${HOST}/32`],
      services: [{ name: 'svc', protocol: 'other', port, auth: 'none' }],
      policy: { portScan: { tcpPorts: range() }, udpScan: { payloadTable: false } },
    });

  function earlierRun(progress: object): string {
    const dir = join(tempDir(), 'earlier');
    mkdirSync(dir);
    writeFileSync(join(dir, TCP_PROGRESS_FILE), JSON.stringify({ run: 'earlier-run', progress }));
    return dir;
  }

  it('keeps its progress in the run folder, and a new run scans only the ports the earlier one had not reached', async () => {
    const first = await runChecks({ profile: await profile(), out: join(tempDir(), 'run'), reportsDir: tempDir(), only: ['S1.1-01'] });
    const saved = JSON.parse(readFileSync(join(first.runDir, TCP_PROGRESS_FILE), 'utf8'));
    expect(saved.progress).to.include({ host: HOST, ports: range(), done: range() });
    expect(saved.progress.open).to.deep.equal([port]);

    // The earlier run got through the lower half, the listener included, before Ctrl-C.
    const resume = earlierRun({ host: HOST, ports: range(), done: `${port - 40}-${port}`, open: [port], filtered: [], closedCount: 40 });
    const { results } = await runChecks({ profile: await profile(), out: join(tempDir(), 'run'), reportsDir: tempDir(), only: ['S1.1-01'], resume });
    const inventory = results.checks.find((c) => c.id === 'S1.1-01/interface-inventory/tcp')!;
    // 81 ports are not an inventory: the verdict says so, whatever the resume.
    expect(inventory.verdict, inventory.reason).to.equal('INCONCLUSIVE');
    expect(inventory.reason).to.contain(`only ports ${range()} were to be scanned, not 1-65535`);
    expect(inventory.evidence[0]!.summary).to.equal(`resuming the TCP scan of run earlier-run: ports ${port - 40}-${port} were scanned there (1 open)`);
    const scan = inventory.evidence[1]!.data as { open: number[]; attempts: number };
    expect(scan.open).to.deep.equal([port]);
    // Only the 40 ports above the listener were tried in this run.
    expect(scan.attempts).to.equal(40);
  });

  it('refuses to resume a scan of another target or another port list, before anything is sent', async () => {
    const other = earlierRun({ host: '127.0.93.18', ports: range(), done: `${port}`, open: [], filtered: [], closedCount: 81 });
    await runChecks({ profile: await profile(), reportsDir: tempDir(), resume: other }).then(
      () => expect.fail('resumed another target'),
      (err) => expect(err).to.be.instanceOf(ResumeError).and.have.property('message').that.includes('not 127.0.93.17'),
    );
    const finished = earlierRun({ host: HOST, ports: range(), done: range(), open: [port], filtered: [], closedCount: 80 });
    await runChecks({ profile: await profile(), reportsDir: tempDir(), resume: finished }).then(
      () => expect.fail('resumed a finished scan'),
      (err) => expect(err).to.be.instanceOf(ResumeError).and.have.property('message').that.includes('nothing to resume'),
    );
    const unfinished = earlierRun({ host: HOST, ports: range(), done: `${port - 40}`, open: [], filtered: [], closedCount: 1 });
    await runChecks({ profile: await profile(), reportsDir: tempDir(), resume: unfinished, only: ['S1.1-04'] }).then(
      () => expect.fail('resumed with no inventory'),
      (err) => expect(err).to.be.instanceOf(ResumeError).and.have.property('message').that.includes('no selected requirement runs the inventory'),
    );
    const narrower = earlierRun({ host: HOST, ports: `${port}`, done: '', open: [], filtered: [], closedCount: 0 });
    await runChecks({ profile: await profile(), reportsDir: tempDir(), resume: narrower }).then(
      () => expect.fail('resumed another port list'),
      (err) => expect(err).to.be.instanceOf(ResumeError).and.have.property('message').that.includes('same port list'),
    );
  });
});
