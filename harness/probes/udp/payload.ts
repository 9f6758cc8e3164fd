import type { Protocol } from '../../profile/schema.js';

/** What a UDP answer showed: the ServiceIdentity fields that come from the answer itself. */
export interface Recognition {
  service: string;
  protocol: Protocol | null;
  tls: boolean;
  product: string | null;
  banner: string | null;
  details: Record<string, string>;
}

/** Where the payload goes: SSDP and SIP name the device's address in the request. */
export interface UdpTarget {
  host: string;
  port: number;
}

/**
 * One protocol payload of the UDP inventory: the request for its port, and the recogniser of an answer
 * to it. `recognise` sees an untrusted datagram and returns null for anything that is not an answer to
 * `request` (an echo, garbage, another protocol); it never throws.
 */
export interface UdpPayload {
  /** The payload's name in results ("coap-get-well-known-core"). */
  name: string;
  build(target: UdpTarget): Buffer;
  recognise(answer: Buffer, request: Buffer): Recognition | null;
  /** TFTP answers from a fresh port of its own (RFC 1350 §4), not from the port the request went to. */
  answersFromAnotherPort?: boolean;
}

/** Longest text kept from a device: a detail, a banner or an exchange excerpt. */
const MAX_TEXT = 200;
/** Most details one answer may add (mDNS TXT records can be many). */
const MAX_DETAILS = 32;

/** Printable, bounded text from what a device sent: hostile devices send any bytes, at any length. */
export function printable(bytes: Buffer | string, max = MAX_TEXT): string {
  const text = typeof bytes === 'string' ? bytes.slice(0, max * 4) : bytes.subarray(0, max * 4).toString('latin1');
  return text.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, max);
}

/** A Recognition with every field bounded; absent fields are null or empty. */
export function recognised(service: string, protocol: Protocol | null, fields: { tls?: boolean; product?: string | null; banner?: string | null; details?: Record<string, string> } = {}): Recognition {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields.details ?? {}).slice(0, MAX_DETAILS)) details[printable(key, 64)] = printable(value);
  return {
    service,
    protocol,
    tls: fields.tls ?? false,
    product: fields.product ? printable(fields.product) : null,
    banner: fields.banner ? printable(fields.banner) : null,
    details,
  };
}
