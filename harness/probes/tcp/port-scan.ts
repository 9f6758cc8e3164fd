import type { TcpScanProgress, TcpScanResult } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import type { HandshakeAnswer } from '../../net/tcp-handshake.js';
import { TokenBucket } from '../../net/token-bucket.js';
import { MAX_PORT } from './port-ranges.js';
import { TcpScanLedger } from './scan-ledger.js';
import type { TcpScanSettings } from './scan-settings.js';
import { ScanTiming } from './scan-timing.js';

export { tcpScanSettings, type TcpScanSettings } from './scan-settings.js';

/** How often a running scan reports its progress, so that an interrupted one loses little. */
const PROGRESS_INTERVAL_MS = 2000;

export interface TcpScanRun {
  signal: AbortSignal;
  /** A previous scan's progress: its answered ports are not scanned again, and its findings are kept. */
  resume: TcpScanProgress | null;
  /** Called at least every two seconds while the scan runs, and once at its end (also when aborted). */
  onProgress?: (progress: TcpScanProgress) => void;
}

/**
 * TCP connect scan of every port in `settings.ports`: open (the handshake completed; the connection is
 * reset at once, so neither side keeps a TIME_WAIT), closed (refused or reset) or filtered (no answer
 * after the retries, or a network unreachable). Concurrency and timeouts adapt to the answers
 * (ScanTiming), the rate never exceeds the settings' cap, and every connection passes the network's scope
 * guard. An abort starts no new attempt, waits for those in flight (each ends within its timeout, at most
 * `maxTimeoutMs`), reports the progress a later scan can resume from, and rejects with the signal's
 * reason. `resumedFrom` is null: the caller knows which run it resumed.
 */
export async function scanTcpPorts(net: GuardedNetwork, host: string, settings: TcpScanSettings, run: TcpScanRun): Promise<TcpScanResult> {
  net.guard.assert(host);
  run.signal.throwIfAborted();
  const started = performance.now();
  const ledger = new TcpScanLedger(host, settings.ports, run.resume);
  const fresh = ledger.pending();
  const tries = new Uint8Array(MAX_PORT + 1);
  const retries: number[] = [];
  const timing = new ScanTiming(settings);
  const limiter = new TokenBucket(settings.connectionsPerSecond);
  const report = () => run.onProgress?.(ledger.snapshot());
  const ticker = setInterval(report, PROGRESS_INTERVAL_MS);

  let nextFresh = 0;
  let nextRetry = 0;
  let inFlight = 0;
  let attempts = 0;
  // nmap's max_successful_tryno: a silent port is retried only as often as a retry ever got an answer (plus one).
  let latestAnsweredTry = 0;
  let wake: NodeJS.Timeout | null = null;
  // An abort while nothing is in flight (waiting for a token) must still end the scan.
  let onAbort = () => {};

  try {
    await new Promise<void>((resolve) => {
      const hasWork = () => nextRetry < retries.length || nextFresh < fresh.length;
      const pump = () => {
        while (!run.signal.aborted && inFlight < timing.window && hasWork()) {
          const waitMs = limiter.waitMs();
          if (waitMs > 0) {
            wake ??= setTimeout(() => {
              wake = null;
              pump();
            }, Math.ceil(waitMs));
            return;
          }
          launch(nextRetry < retries.length ? retries[nextRetry++]! : fresh[nextFresh++]!);
        }
        if (inFlight === 0 && (run.signal.aborted || !hasWork())) resolve();
      };
      const launch = (port: number) => {
        inFlight++;
        attempts++;
        const attempt = tries[port]++;
        const sentAt = performance.now();
        // No signal: an abort listener per attempt costs more than the attempt, and an attempt in flight
        // ends within its timeout anyway; an abort only stops new ones.
        net.handshakeTcp(host, port, { timeoutMs: timing.timeoutMs(), limiter }).then(
          (handshake) => settle(port, attempt, sentAt, handshake.answer),
          // The host passed the guard before the scan began; should an attempt still throw, it counts as a failed one.
          () => settle(port, attempt, sentAt, 'failed'),
        );
      };
      const settle = (port: number, attempt: number, sentAt: number, answer: HandshakeAnswer) => {
        inFlight--;
        if (answer === 'completed' || answer === 'refused') {
          timing.answered(performance.now() - sentAt);
          latestAnsweredTry = Math.max(latestAnsweredTry, attempt);
          ledger.record(port, answer === 'completed' ? 'open' : 'closed');
        } else if (answer === 'unreachable') {
          // An ICMP unreachable is an answer from the network, not the port: nmap calls it filtered too.
          ledger.record(port, 'filtered');
        } else if (answer === 'failed') {
          // A local failure (no free source port, no file descriptor) says nothing of the device: tried again
          // within the retries, then left undone, so that the scan is not complete and a resume tries it.
          if (attempt < settings.retries) retries.push(port);
        } else {
          timing.timedOut();
          if (attempt < Math.min(settings.retries, latestAnsweredTry + 1)) retries.push(port);
          else ledger.record(port, 'filtered');
        }
        if (nextRetry > 4096 && nextRetry * 2 > retries.length) {
          retries.splice(0, nextRetry);
          nextRetry = 0;
        }
        pump();
      };
      onAbort = pump;
      run.signal.addEventListener('abort', onAbort, { once: true });
      pump();
    });
  } finally {
    clearInterval(ticker);
    if (wake) clearTimeout(wake);
    run.signal.removeEventListener('abort', onAbort);
    report();
  }
  run.signal.throwIfAborted();
  return { ...ledger.snapshot(), durationMs: Math.round(performance.now() - started), attempts, resumedFrom: null };
}
