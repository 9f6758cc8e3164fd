/**
 * S1.1-01 適切な認証に基づくアクセス制御 — access control based on appropriate authentication
 * (EN 303 645 5.5-4/5.5-5). The vendor lists every access path to the assets; jcstar checks that list
 * against the TCP ports the device really opens (TS 103 701 5.5-4-2: undocumented mechanisms are found),
 * and asks every service, declared or found on a Telnet port, for its assets without credentials
 * (5.5-4-2: unauthenticated subjects are denied). What the profile declares public, with a
 * justification, may answer.
 */
import { accessCheckFor } from '../harness/checks/access/probe-for.js';
import { checkUndeclaredTelnet, undeclaredTelnetPorts } from '../harness/checks/access/telnet.js';
import { recordDeclaration } from '../harness/checks/declarations.js';
import { keyLoginAccess } from '../harness/checks/key-login/access.js';
import { formatPortRanges, parsePortRanges } from '../harness/probes/tcp/port-ranges.js';
import { scanTcpPorts, tcpScanSettings } from '../harness/probes/tcp/port-scan.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { fail, inconclusive, manual, pass } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-01';

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const declaredTcp = profile.services.filter((s) => s.transport === 'tcp');
  suite.check(
    {
      id: `${REQUIREMENT}/interface-inventory/tcp`,
      title: 'Every open TCP port is a declared service',
      target: { host: profile.target.address, port: null, protocol: 'tcp' },
    },
    async (ctx) => {
      const settings = tcpScanSettings(ctx.policy);
      const ports = formatPortRanges([...new Set([...parsePortRanges(settings.ports), ...declaredTcp.map((s) => s.port)])].sort((a, b) => a - b));
      const scan = await scanTcpPorts(ctx.net, ctx.profile.target.address, { ...settings, ports }, { signal: ctx.signal, resume: null });
      const scanned = parsePortRanges(ports).length;
      const declaredPorts = new Map(declaredTcp.map((s) => [s.port, s.name]));
      const undeclared = scan.open.filter((port) => !declaredPorts.has(port));
      const closedDeclared = declaredTcp.filter((s) => !scan.open.includes(s.port));
      ctx.evidence.record({
        kind: 'observation',
        summary: `TCP connect scan of ${scanned} ports: ${scan.open.length} open, ${scan.filtered.length} filtered`,
        target: ctx.target,
        data: { scanned, open: scan.open, filtered: scan.filtered },
        artifacts: [{ name: 'tcp-ports.json', bytes: JSON.stringify(scan, null, 2), mediaType: 'application/json' }],
      });
      for (const port of scan.open) {
        ctx.evidence.record({
          kind: 'observation',
          summary: `port ${port}/tcp open: ${declaredPorts.has(port) ? `declared as ${declaredPorts.get(port)}` : 'NOT declared'}`,
          target: { host: ctx.profile.target.address, port, protocol: 'tcp' },
        });
      }
      for (const service of closedDeclared) {
        ctx.evidence.record({ kind: 'note', summary: `declared service ${service.name} (${service.port}/tcp) did not accept a connection`, target: ctx.target });
      }
      if (undeclared.length > 0) {
        return fail(`undeclared open port(s): ${undeclared.map((p) => `${p}/tcp`).join(', ')}; every access path must be declared with its authentication`);
      }
      if (scan.open.length === 0) return inconclusive(`no port of the ${scanned} probed was open; the inventory cannot be confirmed`);
      return pass(`all ${scan.open.length} open TCP port(s) among the ${scanned} probed are declared`);
    },
  );
  for (const service of profile.services) {
    const access = accessCheckFor(service);
    suite.check(
      {
        id: `${REQUIREMENT}/unauthenticated-access/${service.name}`,
        title: `Nothing protected answers without authentication on ${service.name} (${service.protocol}/${service.port}, declared ${service.auth})`,
        target: serviceTarget(profile, service),
      },
      async (ctx) => {
        // Authentication below the application (a required client certificate, DTLS-PSK) decides first.
        const belowApplication = await keyLoginAccess(ctx, service);
        if (belowApplication) return belowApplication;
        if (typeof access === 'function') return access(ctx, service);
        ctx.evidence.record({ kind: 'note', summary: access.missing, target: ctx.target });
        return inconclusive(access.missing);
      },
    );
  }
  const telnetPorts = undeclaredTelnetPorts(profile);
  if (telnetPorts.length) {
    suite.check(
      {
        id: `${REQUIREMENT}/unauthenticated-access/undeclared-telnet`,
        title: `No shell without login on an undeclared Telnet port (${telnetPorts.map((p) => `${p}/tcp`).join(', ')})`,
        target: { host: profile.target.address, port: null, protocol: 'telnet' },
      },
      (ctx) => checkUndeclaredTelnet(ctx, telnetPorts),
    );
  }
  suite.check(
    { id: `${REQUIREMENT}/access-control/declaration`, title: 'Declared assets and access paths with their authentication', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'accessControl');
      if (!declared) return inconclusive('the profile declares no accessControl (assets and access paths); the ★1 checklist needs it');
      return manual(`${declared.assets.length} asset(s) and ${declared.accessPaths.length} access path(s) declared: a person must review them against the technical documentation`);
    },
  );
});
