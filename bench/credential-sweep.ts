/**
 * Credential-sweep rate: jcstar's HTTP Basic login probe against hydra's http-get module, with the same
 * parallelism, on the same unthrottled loopback target (Debian nginx with auth_basic, no limit_req).
 * Every candidate is wrong, so neither tool stops early: the figures are full sweeps, not lockouts.
 *
 *   npm run bench:sweep [-- --attempts 1000 --tasks 4]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GuardedNetwork } from '../harness/net/network.js';
import { probeHttpBasic } from '../harness/probes/http/basic-auth.js';
import { ScopeGuard } from '../harness/scope/guard.js';
import { Secret } from '../harness/secrets/secret.js';
import { startNginx } from '../test/support/nginx.js';

const HOST = '127.0.91.1';
const { values } = parseArgs({ options: { attempts: { type: 'string', default: '1000' }, tasks: { type: 'string', default: '4' } } });
const attempts = Math.min(Number(values.attempts), 20000);
const tasks = Math.min(Number(values.tasks), 64);

function wordlist(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `wrong-${i}-${Math.random().toString(36).slice(2, 10)}`);
}

async function jcstarSweep(port: number, passwords: string[]): Promise<number> {
  const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1_000_000, authAttemptsPerSecond: 10_000, connectTimeoutMs: 3000 });
  const signal = new AbortController().signal;
  let next = 0;
  let refused = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: tasks }, async () => {
      for (let i = next++; i < passwords.length; i = next++) {
        await net.authAttempt(signal);
        const credential = { username: 'admin', password: new Secret(passwords[i]!, 'bench') };
        const o = await probeHttpBasic(net, { host: HOST, port, tls: false, path: '/admin/', credential, signal, timeoutMs: 5000 });
        if (o.outcome === 'rejected') refused++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (refused !== passwords.length) throw new Error(`jcstar: only ${refused} of ${passwords.length} attempts were refused`);
  return seconds;
}

async function hydraSweep(port: number, passwords: string[], dir: string): Promise<number> {
  const list = join(dir, 'passwords.txt');
  writeFileSync(list, `${passwords.join('\n')}\n`);
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('hydra', ['-I', '-l', 'admin', '-P', list, '-t', String(tasks), '-s', String(port), HOST, 'http-get', '/admin/'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 && /0 valid password/.test(out) ? resolve() : reject(new Error(`hydra exited ${code}: ${out.slice(-500)}`))));
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const dir = mkdtempSync(join(tmpdir(), 'jcstar-bench-'));
const htpasswd = join(dir, 'htpasswd');
writeFileSync(htpasswd, `admin:${execFileSync('openssl', ['passwd', '-apr1', 'correct-horse-battery']).toString().trim()}\n`);
const nginx = await startNginx(HOST, '', `location /admin/ { auth_basic "bench"; auth_basic_user_file ${htpasswd}; }`);
try {
  const passwords = wordlist(attempts);
  await jcstarSweep(nginx.port, passwords.slice(0, 50)); // warm-up
  const hydraS = await hydraSweep(nginx.port, passwords, dir);
  const jcstarS = await jcstarSweep(nginx.port, passwords);
  const rate = (s: number) => attempts / s;
  const version = /Hydra v[\d.]+/.exec(execFileSync('sh', ['-c', 'hydra -h 2>&1 | head -1']).toString())?.[0] ?? 'hydra';
  process.stdout.write(
    [
      `credential sweep: ${attempts} wrong passwords, ${tasks} parallel tasks, HTTP Basic GET /admin/ on Debian nginx (no limit_req) at ${HOST}`,
      'case measured: full sweep, unthrottled target, no lockout (neither tool stopped early)',
      `hydra   ${rate(hydraS).toFixed(0).padStart(7)} attempts/s  (${hydraS.toFixed(2)} s)  ${version}`,
      `jcstar  ${rate(jcstarS).toFixed(0).padStart(7)} attempts/s  (${jcstarS.toFixed(2)} s)`,
      `ratio   jcstar/hydra = ${(rate(jcstarS) / rate(hydraS)).toFixed(2)}`,
      '',
    ].join('\n'),
  );
} finally {
  await nginx.stop();
}
