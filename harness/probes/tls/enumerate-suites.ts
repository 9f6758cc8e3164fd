import type { SuiteOrder } from './observation.js';

/**
 * Which of the candidate suites a server accepts for one protocol version, and in what order it
 * prefers them: offer the candidates, strike out the one it chose, offer the rest again, until it
 * refuses (the method of testssl.sh and sslyze). Shared by the TLS and DTLS probes, which differ only
 * in how one hello travels.
 */
export type HelloAnswer = { outcome: 'chose'; suite: number } | { outcome: 'refused'; detail: string };
export type TryHello = (suites: readonly number[]) => Promise<HelloAnswer>;

export interface SuiteEnumeration {
  /** In the server's order of preference when `order` is 'server', else in the order found. */
  accepted: number[];
  order: SuiteOrder;
}

export class ChoiceNotOfferedError extends Error {}

/** Long lists go in chunks: some servers mishandle hellos with more than 128 suites (testssl.sh's "128 cipher limit bug"). */
const CHUNK = 128;

export async function enumerateSuites(tryHello: TryHello, candidates: readonly number[]): Promise<SuiteEnumeration> {
  const accepted: number[] = [];
  for (let start = 0; start < candidates.length; start += CHUNK) {
    const remaining = candidates.slice(start, start + CHUNK);
    // Bounded by the chunk: each round strikes one suite out or stops.
    while (remaining.length > 0) {
      const answer = await tryHello(remaining);
      if (answer.outcome === 'refused') break;
      const at = remaining.indexOf(answer.suite);
      if (at < 0) throw new ChoiceNotOfferedError(`the server chose 0x${answer.suite.toString(16).padStart(4, '0')}, which was not offered`);
      remaining.splice(at, 1);
      accepted.push(answer.suite);
    }
  }
  if (accepted.length < 2) return { accepted, order: 'unknown' };
  const backwards = [...accepted].reverse();
  const forward = await tryHello(accepted);
  const backward = await tryHello(backwards);
  if (forward.outcome !== 'chose' || backward.outcome !== 'chose') return { accepted, order: 'unknown' };
  if (forward.suite === backward.suite) return { accepted: await serverOrder(tryHello, accepted, forward.suite), order: 'server' };
  return { accepted, order: forward.suite === accepted[0] && backward.suite === backwards[0] ? 'client' : 'unknown' };
}

async function serverOrder(tryHello: TryHello, accepted: readonly number[], first: number): Promise<number[]> {
  const ordered = [first];
  const remaining = accepted.filter((s) => s !== first);
  while (remaining.length > 1) {
    const answer = await tryHello(remaining);
    if (answer.outcome !== 'chose' || !remaining.includes(answer.suite)) break;
    ordered.push(answer.suite);
    remaining.splice(remaining.indexOf(answer.suite), 1);
  }
  return [...ordered, ...remaining.filter((s) => !ordered.includes(s))];
}
