import type { Credential, Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';

/** Of an answer, what the version is looked for in; more is cut off (a hostile device can answer without end). */
export const ANSWER_LIMIT = 64 * 1024;

/**
 * What one channel got from the device: the answer's text, or why there is none. `sent` and `received`
 * are transcripts for the evidence, with every secret shown as its marker.
 */
export interface ChannelRead {
  /** "GET https://192.0.2.10:443/api/version", "ssh admin@192.0.2.10:22 'cat /etc/version'"… */
  method: string;
  answer: { text: string; truncated: boolean } | { reason: string };
  sent: string;
  received: string;
  data?: Record<string, unknown>;
}

/** The declared service a read goes over, with the credential the profile gives it (null when it declares none). */
export interface ChannelTarget {
  ctx: CheckContext;
  host: string;
  service: Service;
  credential: Credential | null;
}

/** Cut to ANSWER_LIMIT bytes of UTF-8. */
export function boundedText(bytes: Buffer): { text: string; truncated: boolean } {
  return { text: bytes.subarray(0, ANSWER_LIMIT).toString('utf8'), truncated: bytes.length > ANSWER_LIMIT };
}

/** Host as it appears in a URL. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
