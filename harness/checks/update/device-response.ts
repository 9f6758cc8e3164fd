import { setTimeout as sleep } from 'node:timers/promises';
import type { UpdateServer } from '../../update/server/update-server.js';
import type { DeviceFeedback, ServeMode, UpdateRequestRecord } from '../../update/types.js';

/** What the device did with one offer, read from the server's records: only its own, for this offer. */
export interface OfferTrace {
  /** Every request from the device's address since the offer was made. */
  requests(): UpdateRequestRecord[];
  /** The image of this offer, fetched (whole or cut). */
  download(): UpdateRequestRecord | null;
  /** The device took this offer up: it asked for this deployment or the manifest while it was offered. */
  tookUp(): boolean;
  /** The device refused the made-up certificate (a TLS failure from its side, on the man-in-the-middle attempt only). */
  certificateRefusal(): string | null;
  feedback(): DeviceFeedback[];
  final(): DeviceFeedback | null;
}

/** TLS failures that are jcstar's own side failing, not the device refusing a certificate. */
const SERVER_SIDE_TLS = /no shared cipher|unsupported protocol|wrong version|no protocols available|version too low|inappropriate fallback|plain HTTP|began a TLS handshake/i;

export function traceOffer(server: UpdateServer, options: { offerId: string; device: string; since: number; sinceFeedback: number; mode: ServeMode; manifestPath: string | null }): OfferTrace {
  const { offerId, device, mode, manifestPath } = options;
  const requests = () => server.requests.slice(options.since).filter((r) => r.inScope && r.client.address === device);
  const feedback = () => server.feedback.slice(options.sinceFeedback).filter((f) => f.actionId === offerId);
  return {
    requests,
    download: () => requests().find((r) => r.path?.startsWith(`/images/${offerId}/`) && r.servedSha256 !== undefined && (r.imageBytesSent ?? 0) > 0) ?? null,
    tookUp: () => requests().some((r) => r.path !== undefined && (new RegExp(`/deploymentBase/${offerId}(?:$|[/?])`).test(r.path) || (manifestPath !== null && r.path.split('?')[0] === manifestPath))),
    certificateRefusal: () => (mode.channel === 'untrusted-tls' ? (requests().find((r) => r.tlsError && !SERVER_SIDE_TLS.test(r.tlsError))?.tlsError ?? null) : null),
    feedback,
    final: () => feedback().find((f) => f.finished !== undefined && f.finished !== 'none') ?? null,
  };
}

const POLL_MS = 200;

/** Waits, at most `waitMs`, for the first sign of what the device made of the offer. */
export async function awaitDeviceResponse(trace: OfferTrace, waitMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(trace.download() || trace.certificateRefusal() || trace.final() || signal.aborted || Date.now() >= deadline)) {
    await sleep(POLL_MS, undefined, { signal }).catch(() => {});
  }
}
