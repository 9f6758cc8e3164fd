import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { packageRoot } from '../../harness/paths.js';
import { startEndlessCoapServer } from '../../harness/simulator/fakes/endless-coap-server.js';
import { startMisbehavingServer, type MisbehavingServer, type MisbehaviourKind } from '../../harness/simulator/misbehaving.js';
import { jcstar } from '../support/cli.js';
import { DEVICE, tempDir } from '../support/run-profile.js';

/** The ceiling the issue sets for jcstar on any device. */
const PEAK_RSS_LIMIT_KB = 300 * 1024;
const PRELOAD = pathToFileURL(join(packageRoot, 'dist', 'test', 'support', 'peak-rss-preload.js')).href;

const DEVICES: Array<{ kind: MisbehaviourKind; lineStart?: string; reply?: string; protocol: string; auth: string }> = [
  { kind: 'reply-flood', reply: '220 ready\r\n', protocol: 'ftp', auth: 'password' },
  { kind: 'reply-flood', reply: 'RTSP/1.0 200 OK\r\nCSeq: 0\r\nContent-Length: 0\r\n\r\n', protocol: 'rtsp', auth: 'basic' },
  { kind: 'telnet-negotiation', protocol: 'telnet', auth: 'password' },
  { kind: 'endless-line', lineStart: 'login', protocol: 'telnet', auth: 'password' },
  { kind: 'endless-line', lineStart: '220 ', protocol: 'ftp', auth: 'password' },
  { kind: 'endless-line', lineStart: 'RTSP/1.0 200 OK', protocol: 'rtsp', auth: 'basic' },
  { kind: 'endless-http-body', protocol: 'http', auth: 'basic' },
  { kind: 'endless-mqtt-packet', protocol: 'mqtt', auth: 'password' },
];

describe('jcstar against devices that stream without end (Telnet, FTP, RTSP, HTTP, MQTT, CoAP Block2)', function () {
  this.timeout(180000);
  let servers: MisbehavingServer[] = [];
  let coap: Awaited<ReturnType<typeof startEndlessCoapServer>> | undefined;
  after(() => Promise.all([...servers.map((s) => s.close()), coap?.close()]));

  it('runs every suite with peak RSS under 300 MB, and every check has a verdict with a reason', async () => {
    servers = await Promise.all(DEVICES.map((d) => startMisbehavingServer(d.kind, { lineStart: d.lineStart, reply: d.reply })));
    coap = await startEndlessCoapServer();
    const dir = tempDir();
    const profile = join(dir, 'endless.yaml');
    writeFileSync(profile, stringify({
      device: DEVICE,
      target: { host: '127.0.0.1' },
      scope: ['127.0.0.1/32'],
      services: [
        ...DEVICES.map((d, i) => ({ name: `${d.protocol}-${d.kind}-${i}`, protocol: d.protocol, port: servers[i]!.port, auth: d.auth, credential: 'admin' })),
        { name: 'coap-endless-block2', protocol: 'coap', port: coap.port, auth: 'none' },
      ],
      credentials: { admin: { username: 'admin', password: '${env:ADMIN_PASSWORD}' } },
      policy: {
        budgets: { replyTimeoutMs: 2000, connectTimeoutMs: 1000, checkMs: 20000 },
        bruteForce: { maxAttempts: 6, parallelAttempts: 2, maxDurationMs: 10000, maxUnlockWaitMs: 2000 },
        portScan: { tcpPorts: servers.map((s) => s.port).join(',') },
      },
    }));
    const peakFile = join(dir, 'peak-rss');
    const out = join(dir, 'run');
    const run = await jcstar(['run', profile, '--out', out], {
      env: { ADMIN_PASSWORD: 'a-Secret-9', NODE_OPTIONS: `--import ${PRELOAD}`, JCSTAR_PEAK_RSS_FILE: peakFile },
    });
    expect(run.signal, run.stderr.slice(-2000)).to.equal(null);
    expect([0, 1], run.stderr.slice(-2000)).to.include(run.code);
    expect(existsSync(peakFile), 'the child reported its peak RSS').to.equal(true);
    const peakKb = Number(readFileSync(peakFile, 'utf8'));
    expect(peakKb, `peak RSS ${peakKb} kB`).to.be.greaterThan(10 * 1024).and.below(PEAK_RSS_LIMIT_KB);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { run: { status: string }; checks: Array<{ id: string; verdict: string; reason: string }> };
    expect(results.run.status).to.equal('complete');
    for (const [i, d] of DEVICES.entries()) {
      const checks = results.checks.filter((c) => c.id.endsWith(`/${d.protocol}-${d.kind}-${i}`));
      expect(checks.length, d.kind).to.be.at.least(3);
      for (const check of checks) {
        expect(check.verdict, `${check.id}: ${check.reason}`).to.equal('INCONCLUSIVE');
        expect(check.reason.length, check.id).to.be.within(20, 600);
      }
    }
    const coapChecks = results.checks.filter((c) => c.id.endsWith('/coap-endless-block2'));
    expect(coapChecks).to.have.length(2);
    for (const check of coapChecks) expect(check.verdict, `${check.id}: ${check.reason}`).to.equal('INCONCLUSIVE');
  });
});
