import type { Duplex } from 'node:stream';
import type { ServiceIdentity } from '../../inventory/types.js';
import type { Protocol } from '../../profile/schema.js';
import type { GuardedNetwork } from '../../net/network.js';
import type { Reply } from './conversation.js';

/** Where a port's bytes travel: straight over TCP, or inside TLS. */
export interface Layer {
  tls: boolean;
  /** A fresh connection on this layer; rejects with NetError. */
  open(): Promise<Duplex>;
}

/** What a recogniser sends to make a client-first service speak. */
export interface Probe {
  name: string;
  payload(session: PortSession): Buffer;
  /** The reply is long enough to decide (a whole message head, a full packet…). */
  complete(reply: Buffer): boolean;
}

/** One port being identified: where it is, what was learnt so far, and the means to ask more. */
export interface PortSession {
  readonly net: GuardedNetwork;
  readonly host: string;
  readonly port: number;
  /** Aborts when the port's budget runs out (or the run stops). */
  readonly signal: AbortSignal;
  readonly replyTimeoutMs: number;
  readonly layer: Layer;
  /** The identity being filled in; what it holds when the budget runs out is what is reported. */
  readonly identity: ServiceIdentity;
  record(probe: string, sent: Buffer | string, received: Buffer | string): void;
  /** Sets `protocol` to the plain or the TLS name, by the layer the service was found on. */
  speaks(plain: Protocol | null, overTls: Protocol | null): void;
  /** One probe on a fresh connection of this layer, recorded. */
  exchange(probe: Probe): Promise<Reply>;
  /** Identifies again inside another layer (the service inside TLS). */
  identifyWithin(layer: Layer): Promise<void>;
}

/**
 * One protocol jcstar can name. Replies are matched against every recogniser, not only the one whose
 * probe drew them: an RTSP server answering an HTTP GET is still named RTSP.
 */
export interface Recogniser {
  service: string;
  /** Absent for server-first protocols, which are recognised from what they send unasked. */
  probe?: Probe;
  /** Whether `reply` (to the probe named, or to nothing) comes from this protocol. */
  recognises(reply: Buffer, probe: string | null): boolean;
  /**
   * Fills the identity from the reply (to the probe named, or to nothing), with follow-up exchanges where
   * the protocol shows more (auth, device); a reply to another protocol's probe is only a sign, so the
   * recogniser asks its own question again.
   */
  describe(reply: Buffer, session: PortSession, probe: string | null): Promise<void>;
}
