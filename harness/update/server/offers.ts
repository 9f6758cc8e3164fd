import { createHash } from 'node:crypto';
import type { ImageVariant, ServeMode } from '../types.js';

/**
 * The image jcstar's update server offers right now, if any, and how it serves it. One offer at a time:
 * a hands-on attempt offers one variant, waits for the device, then withdraws it. Offer ids count up
 * from 1 (hawkBit clients read the action id as an integer) and are never reused, so that a late
 * request for an older attempt's image is refused rather than served the new one.
 */

/** Which certificate the API port presents, or none. */
export type ApiChannel = 'genuine-tls' | 'untrusted-tls' | 'plain';

export interface Offer {
  id: string;
  variant: ImageVariant;
  mode: ServeMode;
  /** The artifact's file name; SWUpdate's suricatta installs only artifacts whose name ends in .swu. */
  fileName: string;
  /** Digests of the whole image, as a hawkBit server announces them (suricatta compares sha1). */
  hashes: { sha1: string; md5: string; sha256: string };
  /** Where the image is served, on whichever port the offer's links name. */
  imagePath: string;
}

const FILE_EXTENSIONS = { swu: '.swu', 'jcstar-image': '.img' } as const;

function digest(algorithm: string, bytes: Buffer): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

export class OfferBoard {
  #current: Offer | null = null;
  #latest: Offer | null = null;
  #lastId = 0;

  /** @param genuineIsTls whether the genuine server speaks TLS; without an offer the API port acts as it does. */
  constructor(readonly genuineIsTls: boolean) {}

  get current(): Offer | null {
    return this.#current;
  }

  /** The most recent offer, withdrawn or not: a device reports on an attempt after jcstar withdrew its image. */
  get latest(): Offer | null {
    return this.#latest;
  }

  /** How the API port answers now: per the offer's mode, else as the genuine server. A plain genuine server has no TLS to present. */
  get apiChannel(): ApiChannel {
    const channel = this.#current?.mode.channel ?? 'genuine-tls';
    return channel === 'genuine-tls' && !this.genuineIsTls ? 'plain' : channel;
  }

  offer(variant: ImageVariant, mode: ServeMode): Offer {
    const id = String(++this.#lastId);
    const fileName = `jcstar-${variant.attempt}-${id}${FILE_EXTENSIONS[variant.format]}`;
    this.#current = this.#latest = {
      id,
      variant,
      mode,
      fileName,
      hashes: { sha1: digest('sha1', variant.bytes), md5: digest('md5', variant.bytes), sha256: digest('sha256', variant.bytes) },
      imagePath: `/images/${id}/${fileName}`,
    };
    return this.#current;
  }

  withdraw(): void {
    this.#current = null;
  }
}
