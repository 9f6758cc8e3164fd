import { expect } from 'chai';
import { digestChallenge, parseAuthHeader, strongestDigest, type DigestChallenge } from '../../harness/probes/digest/challenge.js';
import { chooseQop, digestAuthorization, digestResponse } from '../../harness/probes/digest/response.js';
import { Secret } from '../../harness/secrets/secret.js';

function challengeOf(header: string): DigestChallenge {
  const challenge = strongestDigest(parseAuthHeader(header));
  if (!challenge) throw new Error(`no Digest challenge in ${header}`);
  return challenge;
}

describe('Digest challenges (RFC 7235 / RFC 7616)', () => {
  it('parses quoted strings with commas and escapes, bare tokens and several challenges in one field', () => {
    const items = parseAuthHeader('Basic realm="cam, front", Digest realm="a\\"b", nonce=n1, qop="auth,auth-int", stale=TRUE, Bearer');
    expect(items).to.deep.equal([
      { scheme: 'Basic', params: { realm: 'cam, front' } },
      { scheme: 'Digest', params: { realm: 'a"b', nonce: 'n1', qop: 'auth,auth-int', stale: 'TRUE' } },
      { scheme: 'Bearer', params: {} },
    ]);
    expect(digestChallenge(items[1]!)).to.deep.equal({
      realm: 'a"b', nonce: 'n1', algorithm: 'MD5', namedAlgorithm: false, qop: ['auth', 'auth-int'], stale: true, userhash: false,
    });
  });

  it('tells a token68 from auth-params', () => {
    expect(parseAuthHeader('Negotiate YIIB+w==, Basic realm=x')).to.deep.equal([
      { scheme: 'Negotiate', params: {}, token68: 'YIIB+w==' },
      { scheme: 'Basic', params: { realm: 'x' } },
    ]);
  });

  it('tolerates what cameras send: separate fields, missing commas, spaces around "=", an unterminated quote', () => {
    const items = parseAuthHeader(['Digest realm = "IP Camera(21416)" nonce="abc" , QOP=auth', 'Basic realm="IP Camera(21416)']);
    expect(items).to.deep.equal([
      { scheme: 'Digest', params: { realm: 'IP Camera(21416)', nonce: 'abc', qop: 'auth' } },
      { scheme: 'Basic', params: { realm: 'IP Camera(21416)' } },
    ]);
  });

  it('ignores garbage and challenges it cannot answer', () => {
    expect(parseAuthHeader('\u0000@@ ;;')).to.deep.equal([]);
    expect(strongestDigest(parseAuthHeader('Digest realm="r"'))).to.equal(null);
    expect(strongestDigest(parseAuthHeader('Digest realm="r", nonce="n", algorithm=SHA3-256'))).to.equal(null);
    expect(strongestDigest(parseAuthHeader('Basic realm="r"'))).to.equal(null);
  });

  it('picks the strongest algorithm among several Digest challenges', () => {
    const picked = challengeOf('Digest realm="r", nonce="m", algorithm=MD5, Basic realm="r", Digest realm="r", nonce="s", algorithm=sha-256');
    expect([picked.algorithm, picked.nonce]).to.deep.equal(['SHA-256', 's']);
  });

  it('prefers qop=auth, then auth-int, else answers as RFC 2069', () => {
    expect(chooseQop(['auth-int', 'auth'])).to.equal('auth');
    expect(chooseQop(['auth-int'])).to.equal('auth-int');
    expect(chooseQop([])).to.equal(undefined);
  });
});

describe('Digest responses against published examples', () => {
  it('RFC 2617 §3.5: MD5, qop=auth', () => {
    const { header } = digestAuthorization({
      challenge: challengeOf('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'),
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: new Secret('Circle Of Life', 'rfc2617'),
      cnonce: '0a4f113b',
    });
    expect(header).to.equal(
      'Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'nc=00000001, cnonce="0a4f113b", qop=auth, response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
  });

  const RFC7616 = 'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
  const mufasa = (challenge: DigestChallenge) =>
    digestAuthorization({
      challenge,
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: new Secret('Circle of Life', 'rfc7616'),
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    }).header;

  it('RFC 7616 §3.9.1: SHA-256 chosen over MD5 when both are offered', () => {
    expect(mufasa(challengeOf(`Digest ${RFC7616}, algorithm=SHA-256, Digest ${RFC7616}, algorithm=MD5`))).to.equal(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
  });

  it('RFC 7616 §3.9.1: MD5', () => {
    expect(mufasa(challengeOf(`Digest ${RFC7616}, algorithm=MD5`))).to.equal(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
  });

  // The published §3.9.2 hashes were made with a draft SHA-512-256 (truncated SHA-512); erratum 4897 gives these.
  it('RFC 7616 §3.9.2 (erratum 4897): SHA-512-256 with a hashed username', () => {
    const { header } = digestAuthorization({
      challenge: challengeOf(
        'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", ' +
          'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true',
      ),
      method: 'GET',
      uri: '/doe.json',
      username: 'J\u00e4s\u00f8n Doe',
      password: new Secret('Secret, or not?', 'rfc7616'),
      cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
    });
    expect(header).to.equal(
      'Digest username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b", realm="api@example.org", uri="/doe.json", ' +
        'algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", nc=00000001, cnonce="NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v", ' +
        'qop=auth, response="3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", userhash=true',
    );
  });

  it('RFC 2069 (no qop): response = H(HA1:nonce:HA2), no nc or cnonce sent', () => {
    const { header } = digestAuthorization({
      challenge: challengeOf('Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"'),
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: new Secret('CircleOfLife', 'rfc2069'),
    });
    // RFC 2069 §2.4's inputs. Its printed response (e966c932…) is a known misprint; this one was worked out with md5sum.
    expect(header).to.equal(
      'Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", response="1949323746fe6a43ef61f9606e7febea"',
    );
  });

  it('MD5-sess folds nonce and cnonce into HA1; auth-int hashes the empty body (values worked out with md5sum / sha256sum)', () => {
    const base = { username: 'u', realm: 'r', password: 'p', nonce: 'n', method: 'DESCRIBE', uri: 'rtsp://h/s', nc: '00000001', cnonce: 'c' };
    expect(digestResponse({ ...base, algorithm: 'MD5-sess', qop: 'auth' })).to.equal('755cd4235ae2ac80c9bc41bd8785c382');
    expect(digestResponse({ ...base, algorithm: 'SHA-256', qop: 'auth-int' })).to.equal('bb6c6ca8ce27c127844b39d0d577f65f47b8a47a6dfc577e878d48010613bcd1');
  });

  it('keeps the response hash out of the transcript', () => {
    const password = new Secret('Circle Of Life', 'maint');
    const { header, transcript } = digestAuthorization({
      challenge: challengeOf('Digest realm="r", nonce="n", qop="auth"'),
      method: 'GET',
      uri: '/',
      username: 'admin',
      password,
    });
    const response = /response="([0-9a-f]{32})"/.exec(header)![1]!;
    expect(transcript).to.not.contain(response).and.not.contain('Circle Of Life');
    expect(transcript).to.contain('response="<MD5 response over [REDACTED:maint]>"');
    expect(transcript.replace(/response="[^"]*"/, '')).to.equal(header.replace(/response="[^"]*"/, ''));
  });
});
