import type { ServiceIdentity } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import { elapsed } from '../auth-observation.js';
import { printable } from './excerpt.js';
import { blankIdentity, identifyPort } from './port-identification.js';
import type { IdentificationSettings } from './settings.js';

export { identificationSettings, type IdentificationSettings } from './settings.js';

/** After the budget aborts a port, how long its sockets get to close before its identity is taken as it stands. */
const ABORT_GRACE_MS = 50;

function snapshot(identity: ServiceIdentity): ServiceIdentity {
  return { ...identity, details: { ...identity.details }, exchanges: [...identity.exchanges] };
}

async function identifyWithinBudget(net: GuardedNetwork, host: string, port: number, options: IdentificationSettings & { signal: AbortSignal }): Promise<ServiceIdentity> {
  const started = process.hrtime.bigint();
  const identity = blankIdentity(port);
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), options.perPortBudgetMs);
  const signal = AbortSignal.any([options.signal, budget.signal]);
  // A recogniser that ignored the signal must not hold the port past its budget: the identity is read as it stands.
  let release = () => {};
  const cutoff = new Promise<void>((resolve) => {
    release = resolve;
    signal.addEventListener('abort', () => setTimeout(resolve, ABORT_GRACE_MS), { once: true });
  });
  const work = identifyPort(net, host, port, options.replyTimeoutMs, signal, identity).catch((err: unknown) => {
    identity.details['error'] = printable(err instanceof Error ? err.message : String(err), 200);
  });
  await Promise.race([work, cutoff]);
  clearTimeout(timer);
  release();
  if (budget.signal.aborted) identity.details['budget'] = `identification stopped at its ${options.perPortBudgetMs} ms budget`;
  else if (options.signal.aborted) identity.details['budget'] = 'identification was interrupted';
  return snapshot({ ...identity, durationMs: elapsed(started) });
}

/**
 * Names the service on each open TCP port of `host` (TLS or not, and what inside), `concurrency` ports
 * at a time, each within `perPortBudgetMs`. Never throws: a port that showed nothing it knows is
 * `unknown`, with what came back. One identity per distinct port, in port order.
 */
export async function identifyTcpServices(
  net: GuardedNetwork,
  host: string,
  ports: number[],
  options: { signal: AbortSignal; concurrency: number; perPortBudgetMs: number; replyTimeoutMs: number },
): Promise<ServiceIdentity[]> {
  const queue = [...new Set(ports)].sort((a, b) => a - b);
  const found = new Map<number, ServiceIdentity>();
  let next = 0;
  const worker = async () => {
    for (let port = queue[next++]; port !== undefined; port = queue[next++]) found.set(port, await identifyWithinBudget(net, host, port, options));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, queue.length)) }, worker));
  return queue.map((port) => found.get(port) ?? blankIdentity(port));
}
