/**
 * Identification time: jcstar's identifyTcpServices against `nmap -sV -p <ports> -n -Pn` on the same
 * loopback services (real Debian daemons, in-process fakes where Debian has none, and a silent port),
 * with both tools' names per port side by side.
 *
 *   npm run bench:identify [-- --standard-ports]
 *
 * By default every service is on an ephemeral port, so neither tool gets a port hint; with
 * --standard-ports they listen where devices put them (22, 23, 80, 443, 554, 1883, 5683…).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServiceIdentity } from '../harness/inventory/types.js';
import { GuardedNetwork } from '../harness/net/network.js';
import { loadDefaultPolicy } from '../harness/policy/load.js';
import { identificationSettings, identifyTcpServices } from '../harness/probes/identify/identify.js';
import { ScopeGuard } from '../harness/scope/guard.js';
import { startBusyboxLogin } from '../test/support/busybox-telnetd.js';
import { testCertificates } from '../test/support/certificates.js';
import { startCoapServer } from '../test/support/coap-server.js';
import { startDropbear } from '../test/support/dropbear.js';
import { startAdbDevice, startGdbStub, startHostile, startOnvifCamera, startRtspCamera, startUpnpDevice } from '../test/support/identify-fakes.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { startNginx } from '../test/support/nginx.js';
import { startOpenSsh } from '../test/support/openssh.js';
import { htpasswdLine } from '../test/support/reference/secrets.js';
import { tempDir } from '../test/support/run-profile.js';
import { startVsftpd } from '../test/support/vsftpd.js';

const HOST = '127.0.121.1';
const { values } = parseArgs({ options: { 'standard-ports': { type: 'boolean', default: false } } });
/** Where devices usually put each service; absent: an ephemeral port (dropbear and vsftpd helpers pick their own). */
const STANDARD: Partial<Record<'ssh' | 'telnet' | 'http' | 'httpBasic' | 'https' | 'mqtt' | 'mqtts' | 'coap' | 'rtsp' | 'adb' | 'gdb' | 'upnp' | 'onvif' | 'silent', number>> = values['standard-ports']
  ? { ssh: 22, telnet: 23, http: 80, httpBasic: 8080, https: 443, mqtt: 1883, mqtts: 8883, coap: 5683, rtsp: 554, adb: 5555, gdb: 1234, upnp: 49152, onvif: 8000, silent: 9999 }
  : {};
const policy = loadDefaultPolicy();
// The policy's default connection rate applies, as in a real run.
const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: policy.rateLimit.connectionsPerSecond, authAttemptsPerSecond: policy.rateLimit.authAttemptsPerSecond, connectTimeoutMs: policy.budgets.connectTimeoutMs });

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

interface Target {
  what: string;
  port: number;
  stop(): Promise<void>;
}

async function startTargets(): Promise<Target[]> {
  const certificates = await testCertificates();
  const htpasswd = join(tempDir('jcstar-bench-identify-'), 'htpasswd');
  writeFileSync(htpasswd, htpasswdLine('admin', 'x'));
  const tls = `ssl_certificate ${certificates.leaf.chainFile};\n ssl_certificate_key ${certificates.leaf.keyFile};`;
  const daemon = async (what: string, start: Promise<{ port: number; stop(): Promise<void> }>) => {
    const d = await start;
    return { what, port: d.port, stop: () => d.stop() };
  };
  const fake = async (what: string, start: Promise<{ port: number; close(): Promise<void> }>) => {
    const f = await start;
    return { what, port: f.port, stop: () => f.close() };
  };
  const p = STANDARD;
  // With standard ports one libcoap server serves both: CoAP over TCP on 5683, over TLS on 5684.
  const coaps = await startCoapServer({ host: HOST, security: 'pki', ...(p.coap ? { port: p.coap } : {}) });
  const coap = p.coap ? coaps : await startCoapServer({ host: HOST, security: 'none' });
  return [
    await daemon('OpenSSH', startOpenSsh(HOST, { camera: 'x' }, '', { port: p.ssh })),
    await daemon('Dropbear', startDropbear(HOST, { root: '12345' })),
    await daemon('vsftpd', startVsftpd(HOST, { camera: 'x' })),
    await daemon('BusyBox telnetd (login)', startBusyboxLogin(HOST, { root: 'xc3511' }, { port: p.telnet })),
    await daemon('nginx, open /', startNginx(HOST, '', 'location / { return 200 "<title>Camera</title>"; }', { port: p.http })),
    await daemon('nginx, auth_basic', startNginx(HOST, '', `location / { auth_basic "camera"; auth_basic_user_file ${htpasswd}; }`, { port: p.httpBasic })),
    await daemon('nginx over TLS', startNginx(HOST, '', `${tls}\n location / { return 200 "<title>Secure</title>"; }`, { ssl: true, port: p.https })),
    await daemon('Mosquitto, password file', startMosquitto(HOST, { sensor: 'x' }, { port: p.mqtt })),
    await daemon('Mosquitto over TLS, anonymous', startMosquitto(HOST, 'anonymous', { tls: { certFile: certificates.leaf.chainFile, keyFile: certificates.leaf.keyFile }, port: p.mqtts })),
    { what: 'libcoap, CoAP over TCP', port: coap.plainPort, stop: () => coap.stop() },
    { what: 'libcoap, CoAP over TLS', port: coaps.plainPort + 1, stop: () => (coaps === coap ? Promise.resolve() : coaps.stop()) },
    await fake('fake RTSP camera', startRtspCamera(HOST, p.rtsp)),
    await fake('fake adbd', startAdbDevice(HOST, 'open', p.adb)),
    await fake('fake gdbserver', startGdbStub(HOST, p.gdb)),
    await fake('fake UPnP description', startUpnpDevice(HOST, p.upnp)),
    await fake('fake ONVIF camera', startOnvifCamera(HOST, p.onvif)),
    await fake('silent port', startHostile(HOST, 'silent', p.silent)),
  ];
}

/** nmap -sV's service per port from its XML (name, with product and version when it names them). */
function nmapServices(xml: string): Map<number, string> {
  const services = new Map<number, string>();
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)">([\s\S]*?)<\/port>/g)) {
    const service = /<service ([^>]*)\/?>/.exec(m[2] ?? '')?.[1];
    if (service === undefined) {
      services.set(Number(m[1]), '(no service named)');
      continue;
    }
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(service)?.[1];
    const tunnel = attr('tunnel') ? `${attr('tunnel')}/` : '';
    // method="table": no probe matched, the name is nmap's guess from the port number.
    const guess = attr('method') === 'table' ? ' [port-table guess]' : '';
    services.set(Number(m[1]), `${tunnel}${attr('name') ?? '?'}${attr('product') ? ` (${attr('product')}${attr('version') ? ` ${attr('version')}` : ''})` : ''}${guess}`);
  }
  return services;
}

/** Runs nmap without blocking the event loop: the fakes live in this process and must keep answering. */
function nmapSv(ports: number[]): Promise<{ seconds: number; services: Map<number, string> }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('nmap', ['-sV', '-p', ports.join(','), '-n', '-Pn', '-oX', '-', HOST], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGTERM'), 900_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`nmap exited ${code}`));
      resolve({ seconds: seconds(started), services: nmapServices(out) });
    });
  });
}

function jcstarName(i: ServiceIdentity): string {
  const tls = i.tls ? 'tls/' : '';
  return `${tls}${i.service}${i.protocol ? ` [${i.protocol}]` : ''}${i.auth ? ` auth=${i.auth}` : ''}`;
}

async function main(): Promise<void> {
  const targets = await startTargets();
  try {
    const ports = targets.map((t) => t.port);
    const settings = identificationSettings(policy);
    const started = process.hrtime.bigint();
    const identities = await identifyTcpServices(net, HOST, ports, { signal: new AbortController().signal, ...settings });
    const jcstar = seconds(started);
    const nmap = await nmapSv(ports);
    const rows = targets.map((t) => {
      const id = identities.find((i) => i.port === t.port)!;
      return [t.what, String(t.port), jcstarName(id), `${(id.durationMs / 1000).toFixed(2)} s`, nmap.services.get(t.port) ?? '(none)'];
    });
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length), 8));
    const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
    console.log(line(['service', 'port', 'jcstar', 'jcstar/port', 'nmap -sV']));
    for (const r of rows) console.log(line(r));
    console.log(`\n${targets.length} ports; jcstar (concurrency ${settings.concurrency}, budget ${settings.perPortBudgetMs} ms/port, reply ${settings.replyTimeoutMs} ms): ${jcstar.toFixed(1)} s`);
    console.log(`nmap -sV -n -Pn: ${nmap.seconds.toFixed(1)} s; jcstar / nmap = ${(jcstar / nmap.seconds).toFixed(3)}×`);
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
  }
}

await main();
