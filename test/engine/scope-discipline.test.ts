import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { packageRoot } from '../../harness/paths.js';

/**
 * Every socket a check opens must come from GuardedNetwork, the one place that applies the scope guard
 * and rate limits. Probes may layer protocols (TLS, HTTP, SSH, MQTT) only over a socket it handed them.
 */
const AUDITED = ['harness/probes', 'harness/checks', 'harness/actions', 'suites'];
const RULES: Array<{ pattern: RegExp; why: string; exempt?: string[] }> = [
  { pattern: /import\s+(?!type\b)[^;]*from\s+'node:(net|dgram)'/, why: 'opens raw sockets; use ctx.net' },
  { pattern: /process\.binding\(/, why: "Node's raw handles bypass the guard; use ctx.net" },
  { pattern: /import\s+(?!type\b)[^;]*\b(connect|connectAsync)\b[^;]*from\s+'mqtt'/, why: "mqtt.connect dials by itself; build an MqttClient over ctx.net's socket" },
  { pattern: /\b(tls\.connect|tlsConnect)\((?![^)]*\bsocket\b)/, why: 'TLS must wrap a socket from ctx.net' },
  { pattern: /\brequest\(\{(?![^;]*createConnection)/, why: 'HTTP requests must ride a socket from ctx.net (createConnection)' },
  { pattern: /\.connect\(\{(?![^}]*\bsock\b)(?=[^}]*username)/, why: 'ssh2 must be given the socket (sock) from ctx.net' },
  // The vendor's public pages lie outside the device's scope on purpose: that one probe admits only the exact URLs of publicPages.
  { pattern: /import\s+(?!type\b)[^;]*\bget\b[^;]*from\s+'node:https?'/, why: 'http.get dials by itself; use ctx.net', exempt: ['harness/probes/public-page/fetch.ts'] },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('scope discipline: probes only use the guarded network', () => {
  const files = AUDITED.flatMap((d) => sources(join(packageRoot, d)));

  it('audits the probe, check and suite sources', () => expect(files.length).to.be.greaterThan(5));

  for (const { pattern, why, exempt = [] } of RULES) {
    it(`no source matches ${pattern} (${why})${exempt.length > 0 ? ` except ${exempt.join(', ')}` : ''}`, () => {
      const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8').replace(/\s+/g, ' ')));
      expect(offenders.map((f) => relative(packageRoot, f)).filter((f) => !exempt.includes(f))).to.deep.equal([]);
      for (const file of exempt) expect(files.map((f) => relative(packageRoot, f)), file).to.include(file);
    });
  }
});
