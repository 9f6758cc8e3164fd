import type { TlsObservation, TlsProbeError } from '../tls/observation.js';

/**
 * What jcstar saw fetching the update the device or vendor publishes (`update.published.url`), for the
 * S1.1-08 check to grade the channel (harness/crypto's judgeTls on `tls`) and verify the image's
 * signature (`body`). Facts only.
 */
export interface PublishedUpdateObservation {
  url: string;
  at: string;
  scheme: 'http' | 'https';
  /** The address connected to: the URL's IP literal, or the target's address when the URL names the target's host. */
  address: string | null;
  port: number;
  /** https: the TLS probe's observation of that port, as S1.1-12 grades an HTTPS service; null over plain http or when nothing was sent. */
  tls: TlsObservation | TlsProbeError | null;
  /** https: what the fetch's own connection negotiated. */
  negotiated: { protocol: string | null; cipher: string | null } | null;
  /** fetched: a complete 2xx body within the bound; refused: nothing sent (scope, scheme); otherwise why the fetch fell short. */
  outcome: 'fetched' | 'refused' | 'status' | 'over-bound' | 'error';
  reason: string | null;
  status: number | null;
  /** Body bytes received (at most the bound). */
  size: number;
  /** Content-Length as the server announced it. */
  announcedSize: number | null;
  /** SHA-256 (hex) of the bytes received; the whole image's only when outcome is fetched. */
  sha256: string | null;
  /** The body, for signature verification; null unless fetched. */
  body: Buffer | null;
  /** Sequence numbers of the evidence recorded: the TLS observation (https) and the fetch. */
  evidence: number[];
}
