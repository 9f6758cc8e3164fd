import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSimulatedDevice, type SimulatedDevice, type SimulatorMode } from './device.js';

/** One simulated unit to start; a fixed initial password makes a fleet that shares one (secure build only). */
export interface SimulatedUnitSpec {
  mode: SimulatorMode;
  initialPassword?: string;
}

export interface SimulatedFleet {
  devices: SimulatedDevice[];
  /** fleet.yaml, beside one profile per unit. */
  fleetFile: string;
  /** What the profiles' secret references need. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Several simulated units of ACME SIM-CAM in this process, for fleet tests and the fleet benchmark. Unit i
 * gets 127.<n>.<i>.10 (its update server takes .11), serial SIM-<i>, and secret references of its own.
 */
export async function startSimulatedFleet(specs: SimulatedUnitSpec[], dir: string, fleet: { concurrency?: number; only?: string[] } = {}): Promise<SimulatedFleet> {
  if (specs.length > 250) throw new Error('simulator: at most 250 units in one fleet');
  const network = 2 + Math.floor(Math.random() * 250);
  const devices: SimulatedDevice[] = [];
  const env: Record<string, string> = {};
  const close = async () => {
    await Promise.allSettled(devices.map((d) => d.close()));
  };
  try {
    for (const [i, spec] of specs.entries()) {
      const unit = `SIM-${String(i + 1).padStart(4, '0')}`;
      const mac = `02:00:5e:00:${(((i + 1) >> 8) & 0xff).toString(16).padStart(2, '0')}:${((i + 1) & 0xff).toString(16).padStart(2, '0')}`;
      const device = await startSimulatedDevice({ mode: spec.mode, host: `127.${network}.${i + 1}.10`, unit: { unit, mac, initialPassword: spec.initialPassword } });
      devices.push(device);
      const { document, env: own } = device.profileDocument();
      const renamed = Object.fromEntries(Object.entries(own).map(([name, value]) => [`${name}_${i + 1}`, value]));
      Object.assign(env, renamed);
      // The fleet compares the units' passwords itself; the profile's own second unit would only add a stranger.
      const { fleet: _others, ...withoutFleet } = document;
      const text = stringify(withoutFleet).replace(/\$\{env:(JCSTAR_SIM_[A-Z0-9_]+)\}/g, (_, name: string) => `\${env:${name}_${i + 1}}`);
      writeFileSync(join(dir, `${unit}.yaml`), `# Written by startSimulatedFleet\n${text}`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  const document = { concurrency: fleet.concurrency ?? 4, ...(fleet.only ? { only: fleet.only } : {}), devices: devices.map((_, i) => ({ profile: `SIM-${String(i + 1).padStart(4, '0')}.yaml` })) };
  const fleetFile = join(dir, 'fleet.yaml');
  writeFileSync(fleetFile, stringify(document));
  return { devices, fleetFile, env, close };
}
