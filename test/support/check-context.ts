import { createHash } from 'node:crypto';
import { HoldOffLedger } from '../../harness/checks/hold-off/ledger.js';
import { UpdateTrial } from '../../harness/checks/update/trial.js';
import type { EvidenceInput } from '../../harness/evidence/records.js';
import { AttackSurface } from '../../harness/inventory/surface.js';
import type { ServiceIdentity } from '../../harness/inventory/types.js';
import { GuardedNetwork } from '../../harness/net/network.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import type { CheckContext } from '../../harness/suite/context.js';
import { profileFrom } from './run-profile.js';

/** A check context outside the engine: its surface filled by hand (a TCP scan that found the identities' ports), its evidence kept in a list. */
export interface TestCheckContext extends CheckContext {
  recorded: Array<EvidenceInput & { seq: number }>;
}

export async function checkContext(document: Record<string, unknown>, identities: ServiceIdentity[] = [], env: Record<string, string> = {}): Promise<TestCheckContext> {
  const profile = await profileFrom(document, env);
  const surface = new AttackSurface();
  for (const identity of identities) surface.identify(identity);
  if (identities.length > 0) {
    // As if the inventory had run and found these ports.
    const open = identities.filter((i) => i.transport === 'tcp').map((i) => i.port);
    surface.tcp = { host: profile.target.address, ports: '1-65535', done: '1-65535', open, filtered: [], closedCount: 65535 - open.length, durationMs: 1, attempts: 65535, resumedFrom: null };
  }
  const recorded: TestCheckContext['recorded'] = [];
  return {
    checkId: 'test',
    requirement: 'test',
    target: null,
    profile,
    policy: profile.policy,
    crypto: profile.crypto,
    net: new GuardedNetwork(new ScopeGuard(profile.scope), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 }),
    holdOffs: new HoldOffLedger(),
    updateTrial: new UpdateTrial(),
    surface,
    evidence: {
      record(input) {
        const item = { ...input, seq: recorded.length + 1 };
        recorded.push(item);
        const artifacts = (input.artifacts ?? []).map((a, i) => {
          const bytes = Buffer.from(a.bytes);
          return { name: a.name, path: `artifacts/${item.seq}-${i}-${a.name}`, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, mediaType: a.mediaType };
        });
        return { type: 'evidence', seq: item.seq, at: new Date().toISOString(), checkId: 'test', requirement: 'test', kind: input.kind, summary: input.summary, target: input.target ?? null, sent: input.sent ?? null, received: input.received ?? null, artifacts, data: input.data ?? null };
      },
      get count() {
        return recorded.length;
      },
    },
    signal: new AbortController().signal,
    recorded,
  };
}

/** An identity as identification would report it, with only what a test sets. */
export function identity(port: number, service: string, fields: Partial<ServiceIdentity> = {}): ServiceIdentity {
  return { port, transport: 'tcp', service, tls: false, protocol: null, product: null, banner: null, auth: null, details: {}, exchanges: [], durationMs: 1, ...fields };
}
