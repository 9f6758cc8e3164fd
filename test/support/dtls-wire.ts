/** The server's side of the DTLS wire, built by hand for the probe's unit tests (RFC 6347 §4.1, §4.2.2). */

export function dtlsRecord(type: number, versionCode: number, epoch: number, sequence: number, fragment: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header[0] = type;
  header.writeUInt16BE(versionCode, 1);
  header.writeUInt16BE(epoch, 3);
  header.writeUIntBE(sequence, 5, 6);
  header.writeUInt16BE(fragment.length, 11);
  return Buffer.concat([header, fragment]);
}

/** One handshake message, or the part of it from `offset` for `length` bytes. */
export function handshakeFragment(type: number, messageSeq: number, body: Buffer, offset = 0, length = body.length - offset): Buffer {
  const header = Buffer.alloc(12);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  header.writeUInt16BE(messageSeq, 4);
  header.writeUIntBE(offset, 6, 3);
  header.writeUIntBE(length, 9, 3);
  return Buffer.concat([header, body.subarray(offset, offset + length)]);
}
