import { expect } from 'chai';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  MAX_MANIFEST_BYTES,
  parseJcstarImage,
  verifyJcstarImage,
  writeJcstarImage,
  type ParsedJcstarImage,
} from '../../harness/update/formats/jcstar-image.js';

/** jcstar-image/1: written, read back and verified with each key type; garbage gives an error, never a throw. */
const PAYLOAD = Buffer.from('firmware 1.2.0 payload '.repeat(40));

function parsed(bytes: Buffer): ParsedJcstarImage {
  const result = parseJcstarImage(bytes);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('jcstar-image format', () => {
  const keys = {
    ed25519: generateKeyPairSync('ed25519'),
    'ecdsa-p256-sha256': generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    'rsa-pss-sha256': generateKeyPairSync('rsa', { modulusLength: 2048 }),
  } as const;

  for (const [algorithm, pair] of Object.entries(keys)) {
    it(`round-trips an image signed with ${algorithm}`, () => {
      const image = parsed(writeJcstarImage({ version: '1.2.0', payload: PAYLOAD, privateKey: pair.privateKey }));
      expect(image.manifest).to.deep.equal({
        version: '1.2.0',
        payloadSha256: createHash('sha256').update(PAYLOAD).digest('hex'),
        payloadSize: PAYLOAD.length,
        signature: algorithm,
      });
      expect(image.payload.equals(PAYLOAD)).to.equal(true);
      expect(verifyJcstarImage(image, pair.publicKey)).to.deep.equal({ ok: true });
    });
  }

  it('writes the exact documented layout', () => {
    const bytes = writeJcstarImage({ version: '1.2.0', payload: Buffer.from('abc'), privateKey: null });
    const sha = createHash('sha256').update('abc').digest('hex');
    expect(bytes.toString('latin1')).to.equal(`JCSTAR-IMAGE/1\n{"version":"1.2.0","payloadSha256":"${sha}","payloadSize":3}\n\nabc`);
  });

  it('refuses an unsigned image, a key of another algorithm and another key of the same algorithm', () => {
    const unsigned = parsed(writeJcstarImage({ version: '1.2.0', payload: PAYLOAD, privateKey: null }));
    expect(verifyJcstarImage(unsigned, keys.ed25519.publicKey)).to.deep.equal({ ok: false, reason: 'unsigned: the signature line is empty' });
    const signed = parsed(writeJcstarImage({ version: '1.2.0', payload: PAYLOAD, privateKey: keys.ed25519.privateKey }));
    expect(verifyJcstarImage(signed, keys['rsa-pss-sha256'].publicKey)).to.deep.equal({
      ok: false,
      reason: 'the manifest names signature ed25519 but the vendor key is rsa-pss-sha256',
    });
    expect(verifyJcstarImage(signed, generateKeyPairSync('ed25519').publicKey)).to.deep.equal({
      ok: false,
      reason: 'the ed25519 signature over the manifest does not verify with the vendor key',
    });
  });

  it('refuses a cut payload by its size', () => {
    const bytes = writeJcstarImage({ version: '1.2.0', payload: PAYLOAD, privateKey: keys.ed25519.privateKey });
    const cut = parsed(bytes.subarray(0, bytes.length - 10));
    expect(verifyJcstarImage(cut, keys.ed25519.publicKey)).to.deep.equal({
      ok: false,
      reason: `the payload is ${PAYLOAD.length - 10} bytes, the signed manifest says ${PAYLOAD.length}`,
    });
  });

  it('gives an error, never a throw, for garbage', () => {
    const good = writeJcstarImage({ version: '1.2.0', payload: PAYLOAD, privateKey: keys.ed25519.privateKey });
    expect(parseJcstarImage(Buffer.alloc(0))).to.deep.equal({ error: 'not a jcstar-image (no JCSTAR-IMAGE/1 line)' });
    expect(parseJcstarImage(good.subarray(0, 40))).to.deep.equal({ error: 'the image ends inside the manifest line' });
    expect(parseJcstarImage(Buffer.concat([Buffer.from('JCSTAR-IMAGE/1\n'), Buffer.alloc(MAX_MANIFEST_BYTES + 10, 0x41)]))).to.deep.equal({
      error: `the manifest line is longer than ${MAX_MANIFEST_BYTES} bytes`,
    });
    expect(parseJcstarImage(Buffer.from('JCSTAR-IMAGE/1\n{"version":"1","payloadSha256":"00","payloadSize":1}\n\n'))).to.deep.equal({
      error: 'the manifest payloadSha256 is not 64 lowercase hex digits',
    });
    expect(parseJcstarImage(Buffer.from(`JCSTAR-IMAGE/1\n{"version":"1","payloadSha256":"${'0'.repeat(64)}","payloadSize":1e300}\n\n`))).to.deep.equal({
      error: 'the manifest payloadSize is not a non-negative integer',
    });
    expect(parseJcstarImage(Buffer.from('JCSTAR-IMAGE/1\n[1]\n\n'))).to.deep.equal({ error: 'the manifest is not a JSON object' });
    for (let i = 0; i < 200; i += 1) {
      const random = Buffer.concat([Buffer.from('JCSTAR-IMAGE/1\n'), randomBytes(i * 37)]);
      expect(parseJcstarImage(random)).to.have.property('error');
    }
  });
});
