import { setTimeout as sleep } from 'node:timers/promises';
import type { UpdateServer } from '../../update/server/update-server.js';
import type { DeviceFeedback, UpdateRequestRecord } from '../../update/types.js';

/** What the device did with an offer: downloaded the image, refused the channel, or reported a final result. */
export interface DeviceResponse {
  download: UpdateRequestRecord | null;
  refusal: string | null;
  final: DeviceFeedback | null;
}

const POLL_MS = 200;

/**
 * Waits, at most `waitMs`, for the first sign of what the device made of the offer. Read from the server's
 * records rather than its events, so that a device that answers in an unexpected order is still seen.
 */
export async function awaitDeviceResponse(server: UpdateServer, since: { requests: number; feedback: number }, waitMs: number, signal: AbortSignal): Promise<DeviceResponse> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const requests = server.requests.slice(since.requests).filter((r) => r.inScope);
    const download = requests.find((r) => r.servedSha256 !== undefined && (r.imageBytesSent ?? 0) > 0) ?? null;
    const refusal = requests.find((r) => r.tlsError)?.tlsError ?? null;
    const final = server.feedback.slice(since.feedback).find((f) => f.finished !== undefined && f.finished !== 'none') ?? null;
    if (download || refusal || final || signal.aborted || Date.now() >= deadline) return { download, refusal, final };
    await sleep(POLL_MS, undefined, { signal }).catch(() => {});
  }
}
