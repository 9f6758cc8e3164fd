import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { pae, parseEnvelope, signEnvelope, verifiedKeyIds } from '../../harness/bundle/dsse.js';

describe('DSSE envelope', () => {
  it('builds PAE as the DSSE spec\'s example: lengths in bytes, as ASCII decimal', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).to.equal('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    expect(pae('t', Buffer.from('é')).toString()).to.equal('DSSEv1 1 t 2 é');
  });

  it('signs so that the signature verifies over PAE with the same key, and not with another', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const env = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), privateKey, 'k1');
    const { body, sigs } = parseEnvelope(Buffer.from(JSON.stringify(env)));
    expect(body.toString()).to.equal('{"a":1}');
    expect(verifiedKeyIds(env.payloadType, body, sigs, publicKey)).to.deep.equal(['k1']);
    expect(verifiedKeyIds(env.payloadType, body, sigs, generateKeyPairSync('ed25519').publicKey)).to.deep.equal([]);
    expect(verifiedKeyIds('text/plain', body, sigs, publicKey)).to.deep.equal([]);
  });

  it('rejects a non-canonical base64 spelling of the payload and unknown fields', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const env = signEnvelope('t', Buffer.from('ab'), privateKey, 'k1');
    expect(env.payload).to.equal('YWI=');
    expect(() => parseEnvelope(Buffer.from(JSON.stringify({ ...env, payload: 'YWJ=' })))).to.throw('attestation.dsse.json: payload is not canonical base64');
    expect(() => parseEnvelope(Buffer.from(JSON.stringify({ ...env, extra: 1 })))).to.throw(
      'attestation.dsse.json has fields extra,payload,payloadType,signatures, not payload, payloadType and signatures',
    );
    expect(() => parseEnvelope(Buffer.from(JSON.stringify({ ...env, signatures: [] })))).to.throw('attestation.dsse.json holds no signature');
  });
});
