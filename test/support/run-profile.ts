import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runChecks, type RunOutcome } from '../../harness/engine/run.js';
import { parseProfile } from '../../harness/profile/load.js';
import type { DeviceProfile } from '../../harness/profile/types.js';
import type { RequirementSuite } from '../../harness/suite/define.js';

export function tempDir(prefix = 'jcstar-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A test's device lives on a loopback address, which also reaches every wildcard listener of the machine
 * running the tests: unless a test names its own `portScan.tcpPorts` and `udpScan`, the inventory looks
 * only at the declared services, so that no test scans, or tries defaults on, the machine's own services.
 */
function keepInventoryOnDevice(document: Record<string, unknown>): Record<string, unknown> {
  const policy = (document.policy ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return {
    ...document,
    policy: {
      ...policy,
      portScan: { tcpPorts: '', ...policy.portScan },
      udpScan: { payloadTable: false, ...policy.udpScan },
    },
  };
}

export async function profileFrom(document: Record<string, unknown>, env: Record<string, string> = {}): Promise<DeviceProfile> {
  return parseProfile(stringify(keepInventoryOnDevice(document)), { file: 'test-profile.yaml', path: null, env });
}

/** Runs the engine in-process into a fresh temporary run folder. */
export async function runProfile(
  document: Record<string, unknown>,
  options: { env?: Record<string, string>; only?: string[]; suites?: RequirementSuite[]; signal?: AbortSignal } = {},
): Promise<RunOutcome> {
  const profile = await profileFrom(document, options.env);
  const out = join(tempDir(), 'run');
  return runChecks({ profile, out, reportsDir: tempDir(), only: options.only ?? null, suites: options.suites, signal: options.signal });
}

export const DEVICE = { vendor: 'ACME', model: 'TEST-1', firmware: '1.0.0', unit: 'T-0001', category: 'network-camera' };
