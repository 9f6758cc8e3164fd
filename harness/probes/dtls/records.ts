/** The DTLS record layer (RFC 6347 §4.1): records read from a datagram, and records written in any epoch. */

export const CONTENT = { alert: 21, handshake: 22 } as const;

/** change_cipher_spec, alert, handshake, application_data, heartbeat, tls12_cid. */
const CONTENT_TYPES = new Set([20, 21, 22, 23, 24, 25]);
/** Every DTLS version's major byte is 0xfe (DTLS 1.0 = 0xfeff, 1.2 = 0xfefd, 1.3 = 0xfefc). */
const DTLS_MAJOR = 0xfe;
const HEADER = 13;

export interface DtlsRecord {
  type: number;
  versionCode: number;
  epoch: number;
  sequence: number;
  fragment: Buffer;
}

/**
 * The records a datagram carries (one datagram may hold several). Null when the datagram does not
 * start with a DTLS record: the peer speaks something else. Trailing bytes that do not form a
 * record are dropped, as RFC 6347 §4.1.2.7 lets a receiver discard invalid records silently.
 */
export function parseRecords(datagram: Buffer): DtlsRecord[] | null {
  const records: DtlsRecord[] = [];
  let at = 0;
  while (datagram.length - at >= HEADER) {
    const type = datagram[at]!;
    const versionCode = datagram.readUInt16BE(at + 1);
    const length = datagram.readUInt16BE(at + 11);
    if (!CONTENT_TYPES.has(type) || versionCode >> 8 !== DTLS_MAJOR || datagram.length - at - HEADER < length) break;
    records.push({
      type,
      versionCode,
      epoch: datagram.readUInt16BE(at + 3),
      sequence: datagram.readUIntBE(at + 5, 6),
      fragment: datagram.subarray(at + HEADER, at + HEADER + length),
    });
    at += HEADER + length;
  }
  return records.length > 0 ? records : null;
}

/** A copy of `record` with another record sequence number: a retransmission must not look like a replay (RFC 6347 §4.1.2.6). */
export function withSequence(record: Buffer, sequence: number): Buffer {
  const copy = Buffer.from(record);
  copy.writeUIntBE(sequence, 5, 6);
  return copy;
}

/** One record: the header (type, version, epoch, 48-bit sequence number, length) and its fragment. */
export function encodeRecord(record: DtlsRecord): Buffer {
  const header = Buffer.alloc(HEADER);
  header[0] = record.type;
  header.writeUInt16BE(record.versionCode, 1);
  header.writeUInt16BE(record.epoch, 3);
  header.writeUIntBE(record.sequence, 5, 6);
  header.writeUInt16BE(record.fragment.length, 11);
  return Buffer.concat([header, record.fragment]);
}

/** A warning close_notify in epoch 0, which ends the association so that the server frees its handshake state at once. */
export function closeNotifyRecord(versionCode: number, sequence: number): Buffer {
  return encodeRecord({ type: CONTENT.alert, versionCode, epoch: 0, sequence, fragment: Buffer.from([1, 0]) });
}
