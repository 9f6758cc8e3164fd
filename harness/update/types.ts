import type { ImageFormat } from '../profile/update-schema.js';

/**
 * The contract between the update modules: image variants (formats/), jcstar's rogue update server
 * (server/), the firmware-version reader (probes/firmware-version) and the S1.1-06/08 checks.
 */

/** What jcstar serves in one hands-on attempt; `genuine` is the positive control. */
export const UPDATE_ATTEMPTS = [
  'genuine',
  'payload-byte-flipped',
  'metadata-byte-changed',
  'wrong-key',
  'unsigned',
  'rollback',
  'untrusted-certificate',
  'plain-http',
  'cut-download',
] as const;
export type UpdateAttempt = (typeof UPDATE_ATTEMPTS)[number];

/** An image as jcstar serves it: bytes, the version its metadata claims, and how it was made. */
export interface ImageVariant {
  attempt: UpdateAttempt;
  format: ImageFormat;
  bytes: Buffer;
  sha256: string;
  /** The version the image's metadata states (a changed one for metadata-byte-changed). */
  version: string;
  /** One line for the evidence: which byte changed, which key signed, what was removed. */
  description: string;
}

/** How the rogue server presents itself for one attempt. */
export interface ServeMode {
  /** https with the genuine certificate, https with a certificate jcstar made up, or plain http. */
  channel: 'genuine-tls' | 'untrusted-tls' | 'plain';
  /** Serve only the first half of the image, then reset the connection. */
  cutAtHalf: boolean;
  /** For hawkbit and manifest: give the download link on the plain port while the API stays on TLS. */
  plainDownloadLink: boolean;
}

/** One request the device made to the update server, or one connection it refused. */
export interface UpdateRequestRecord {
  at: string;
  client: { address: string; port: number };
  /** false: the client was outside the scope and its connection was closed unanswered. */
  inScope: boolean;
  channel: 'tls' | 'plain';
  method?: string;
  path?: string;
  /** Header names and values, Authorization and token headers redacted. */
  headers?: Record<string, string>;
  status?: number;
  /** Bytes of the image sent, and whether the whole image went out. */
  imageBytesSent?: number;
  imageComplete?: boolean;
  /** SHA-256 of what was served in the response body. */
  servedSha256?: string;
  /** TLS handshake failure as the server saw it (the device refused the certificate). */
  tlsError?: string;
}

/** What the device reported through the protocol itself (hawkBit feedback). */
export interface DeviceFeedback {
  at: string;
  actionId: string;
  execution?: string;
  finished?: string;
  details: string[];
}

/** A reading of the firmware version the device runs. */
export type VersionReading =
  | { ok: true; version: string; method: string; at: string }
  | { ok: false; reason: string; method: string; at: string };
