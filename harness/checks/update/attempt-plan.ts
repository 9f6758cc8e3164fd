import type { UpdateSettings } from '../../profile/types.js';
import type { ServeMode, UpdateAttempt } from '../../update/types.js';

/**
 * The attacks of TS 103 701 5.3-10 that jcstar plays as the update server, in the order they are served.
 * The two channel attacks come last: they serve the genuine image, which a device that checks signatures
 * may rightly install, and a device that runs the genuine version hides every later attack.
 */
export const ATTACKS = [
  'payload-byte-flipped',
  'metadata-byte-changed',
  'wrong-key',
  'unsigned',
  'cut-download',
  'untrusted-certificate',
  'plain-http',
] as const satisfies readonly UpdateAttempt[];

/** How often the older image is served to put back a device that took an attack, before the trial goes on without. */
export const RESTORE_TRIES = 2;

/** The attacks on the image itself: a device must refuse every one for a genuine image over an untrusted channel to be harmless. */
export const INTEGRITY_ATTACKS = ['payload-byte-flipped', 'metadata-byte-changed', 'wrong-key', 'unsigned', 'cut-download'] as const satisfies readonly UpdateAttempt[];

/** The attacks on the channel alone: the image is genuine, the server is not (or not authenticated). */
export const CHANNEL_ATTACKS = ['untrusted-certificate', 'plain-http'] as const satisfies readonly UpdateAttempt[];

export const ATTEMPT_TITLES: Record<UpdateAttempt, string> = {
  genuine: 'the genuine image',
  'payload-byte-flipped': 'the image with one byte of its payload flipped',
  'metadata-byte-changed': 'the image with one byte of its signed metadata changed',
  'wrong-key': 'the image signed with a key jcstar made up',
  unsigned: 'the image with its signature removed',
  rollback: 'an older, genuinely signed image (rollback)',
  'untrusted-certificate': 'the genuine image from a server with a certificate jcstar made up (man in the middle)',
  'plain-http': 'the genuine image over plain HTTP where the device expects HTTPS',
  'cut-download': 'the genuine image, the download cut off half way',
};

const GENUINE: ServeMode = { channel: 'genuine-tls', cutAtHalf: false, plainDownloadLink: false };

/**
 * How each attempt is served, or why it cannot be: the man-in-the-middle and downgrade attempts need a
 * genuine server on HTTPS, and the downgrade needs a plain port for the link the server hands out.
 */
export type Unavailable = { notApplicable: string } | { needs: string };

export function serveModeFor(attempt: UpdateAttempt, update: UpdateSettings): ServeMode | Unavailable {
  const server = update.server;
  const genuineChannel: ServeMode = server?.tls === false ? { ...GENUINE, channel: 'plain' } : GENUINE;
  switch (attempt) {
    case 'untrusted-certificate':
      if (!('pull' in (update.mechanism ?? {}))) return { notApplicable: 'the user uploads the image: no update server to impersonate' };
      return server?.tls === false ? { notApplicable: 'the genuine update server is plain HTTP (update.server.tls: false): there is no certificate to impersonate; the signature alone protects the image' } : { ...GENUINE, channel: 'untrusted-tls' };
    case 'plain-http':
      if (!('pull' in (update.mechanism ?? {}))) return { notApplicable: 'the user uploads the image: no download link to downgrade' };
      if (server?.tls === false) return { notApplicable: 'the genuine update server is already plain HTTP (update.server.tls: false): there is nothing to downgrade' };
      if (server?.plainPort === undefined) return { needs: 'the downgrade test hands out a plain-HTTP download link: give update.server.plainPort' };
      return { ...GENUINE, plainDownloadLink: true };
    case 'cut-download':
      return { ...genuineChannel, cutAtHalf: true };
    default:
      return genuineChannel;
  }
}
