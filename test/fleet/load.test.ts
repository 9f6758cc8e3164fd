import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadFleet } from '../../harness/fleet/load.js';
import { ProfileError } from '../../harness/profile/errors.js';

const BASE = `device: { vendor: ACME, model: CAM-9, firmware: 1.0.0, unit: CAM9-0000, category: network-camera, mac: "02:00:00:00:00:00" }
target: { host: 127.0.0.1 }
scope: [127.0.0.0/24]
services:
  - { name: web-admin, protocol: http, port: 8080, auth: basic, credential: admin }
credentials:
  admin: { username: admin, password: "\${env:BASE_PASSWORD}" }
`;

const lookup = async (host: string) => [host];

function folderWith(fleet: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'jcstar-fleet-load-'));
  writeFileSync(join(dir, 'cam9.yaml'), BASE);
  writeFileSync(join(dir, 'fleet.yaml'), fleet);
  return join(dir, 'fleet.yaml');
}

async function problems(fleet: string, env: Record<string, string> = { BASE_PASSWORD: 'x' }): Promise<string[]> {
  try {
    await loadFleet(folderWith(fleet), { env, lookup });
  } catch (err) {
    if (err instanceof ProfileError) return err.message.split('\n').map((line) => line.replace(/^.*fleet\.yaml:/, 'fleet.yaml:').replace(/^.*cam9\.yaml/, 'cam9.yaml'));
    throw err;
  }
  return [];
}

describe('fleet.yaml', () => {
  it('resolves units of one model: the base profile with each unit\'s serial, address, MAC and secret references', async () => {
    const file = folderWith(`concurrency: 2
only: [S1.1-02]
devices:
  - profile: cam9.yaml
    units:
      - { unit: CAM9-0001, host: 127.0.0.11, mac: "02:00:00:00:00:01", credentials: { admin: { password: "\${env:UNIT1}" } } }
      - { unit: CAM9-0002, host: 127.0.1.12, scope: [127.0.1.12/32], credentials: { admin: { password: "\${env:UNIT2}" } } }
`);
    const fleet = await loadFleet(file, { env: { UNIT1: 'first-secret', UNIT2: 'second-secret' }, lookup });
    expect([fleet.concurrency, fleet.only, fleet.handsOn]).to.deep.equal([2, ['S1.1-02'], []]);
    expect(fleet.devices.map((d) => [d.unit, d.profile.target.host, d.profile.scope, d.profile.device.mac, d.profile.credentials.admin!.username, d.profile.credentials.admin!.password!.reveal()])).to.deep.equal([
      ['CAM9-0001', '127.0.0.11', ['127.0.0.0/24'], '02:00:00:00:00:01', 'admin', 'first-secret'],
      ['CAM9-0002', '127.0.1.12', ['127.0.1.12/32'], '02:00:00:00:00:00', 'admin', 'second-secret'],
    ]);
  });

  it('defaults to 4 devices at a time, the profile as written', async () => {
    const fleet = await loadFleet(folderWith('devices:\n  - profile: cam9.yaml\n'), { env: { BASE_PASSWORD: 'x' }, lookup });
    expect([fleet.concurrency, fleet.only, fleet.devices.map((d) => d.unit)]).to.deep.equal([4, null, ['CAM9-0000']]);
  });

  it('reports schema errors one line each, located, with the keys it knows', async () => {
    expect(await problems('concurrency: 0\ncolour: red\ndevices: []\n')).to.deep.equal([
      'fleet.yaml:1:14: concurrency: expected an integer from 1 to 64, found 0',
      'fleet.yaml:2:1: colour: unknown key; expected one of: concurrency, only, handsOn, devices',
      'fleet.yaml:3:10: devices: expected a non-empty list, found an empty list',
    ]);
  });

  it('never quotes a literal password back', async () => {
    const lines = await problems('devices:\n  - profile: cam9.yaml\n    units:\n      - { unit: A, credentials: { admin: { password: hunter2 } } }\n');
    expect(lines).to.deep.equal(['fleet.yaml:4:54: devices[0].units[0].credentials.admin.password: expected a reference ${env:NAME} or ${file:PATH}, so that the secret stays out of the YAML, found a literal string']);
  });

  it('reports unknown requirement IDs, unreadable profiles, repeated units and the units\' own profile errors together', async () => {
    const lines = await problems(`only: [S1.1-99]
devices:
  - profile: missing.yaml
  - profile: cam9.yaml
    units:
      - { unit: CAM9-0001, host: 127.0.9.1 }
      - { unit: CAM9-0001 }
      - { unit: "a/b" }
`);
    expect(lines[1]).to.match(/^fleet\.yaml:3:14: devices\[0\]\.profile: cannot read profile \/.*\/missing\.yaml: ENOENT$/);
    expect([lines[0], ...lines.slice(2)]).to.deep.equal([
      'fleet.yaml:1:8: only[0]: unknown requirement ID "S1.1-99"',
      'fleet.yaml:7:17: devices[1].units[1].unit: unit "CAM9-0001" appears twice; each unit runs once, into its own folder',
      'fleet.yaml:8:17: devices[1].units[2].unit: unit "a/b" cannot name a run folder (letters, digits, . _ - only)',
      // Located in the base profile with this unit's values written in (the unit's own text, as its run folder keeps it).
      'cam9.yaml (unit CAM9-0001):9:9: target.host: 127.0.9.1 is outside the scope (127.0.0.0/24); add it to scope or correct the address',
    ]);
  });
});
