import { expect } from 'chai';
import { Redactor } from '../../harness/evidence/redactor.js';
import { Secret } from '../../harness/secrets/secret.js';
import { CANARY, encodedForms } from '../support/canary.js';

describe('redactor', () => {
  const secret = new Secret('p"a\\ss wörd&1', 'credentials.admin.password');
  const redactor = new Redactor([secret], ['admin']);
  const marker = '[REDACTED:credentials.admin.password]';

  it('scrubs a secret raw, JSON-escaped, base64, URL-encoded and as HTTP Basic user:password', () => {
    const forms = [
      'p"a\\ss wörd&1',
      JSON.stringify({ echo: 'p"a\\ss wörd&1' }),
      Buffer.from('p"a\\ss wörd&1').toString('base64'),
      encodeURIComponent('p"a\\ss wörd&1'),
      `Authorization: Basic ${Buffer.from('admin:p"a\\ss wörd&1').toString('base64')}`,
    ];
    for (const form of forms) expect(redactor.text(`before ${form} after`), form).to.contain(marker).and.not.contain('ss wörd');
  });

  it('scrubs inside data it records as JSON', () => {
    const out = redactor.value({ body: JSON.stringify({ password: 'p"a\\ss wörd&1' }) });
    expect(JSON.stringify(out)).to.not.contain('ss w');
  });

  it('masks raw bytes with the same length so framing survives', () => {
    const raw = Buffer.from('PASS p"a\\ss wörd&1\r\n');
    const masked = redactor.bytes(raw);
    expect(masked.length).to.equal(raw.length);
    expect(masked.toString()).to.not.contain('ss w');
    expect(masked.toString().startsWith('PASS ')).to.equal(true);
  });

  describe('a canary with a space, & + / = " \' < > and a non-ASCII letter', () => {
    const canary = new Redactor([new Secret(CANARY, 'credentials.admin.password')], ['admin']);
    const forms = encodedForms(CANARY);

    for (const [label, form] of Object.entries(forms)) {
      it(`is scrubbed from text as ${label}`, () => {
        expect(canary.text(`<p>before ${form} after</p>`)).to.equal(`<p>before ${marker} after</p>`);
      });

      it(`is masked in raw bytes, same length, as ${label}`, () => {
        const raw = Buffer.from(`BODY ${form}\r\n`, 'utf8');
        const masked = canary.bytes(raw);
        expect(masked.length).to.equal(raw.length);
        expect(masked.toString('utf8')).to.not.contain(form);
        expect(masked.subarray(0, 4).toString()).to.equal('BODY');
        expect(masked.subarray(-2).toString()).to.equal('\r\n');
      });
    }

    it('is scrubbed inside a longer base64 string at every alignment, standard and URL-safe', () => {
      for (const prefix of ['', 'x', 'xy', 'user=admin&password=']) {
        const b64 = Buffer.from(`${prefix}${CANARY}&submit=1`).toString('base64');
        expect(canary.text(b64), prefix).to.contain(marker);
        const url = b64.replace(/\+/g, '-').replace(/\//g, '_');
        expect(canary.text(url), prefix).to.contain(marker);
      }
    });

    it('is scrubbed where one value mixes escapes (only some characters percent-encoded)', () => {
      const mixed = `p+a%26s%2bs/w%3Do"r'd&lt;&#62;%C3%a9`;
      expect(canary.text(`password=${mixed}`)).to.equal(`password=${marker}`);
    });

    it('leaves text without the secret as it was', () => {
      const text = 'p a&s+s/w=o"r\'d<> almost, but no é at the end; PGh0bWw+';
      expect(canary.text(text)).to.equal(text);
      expect(canary.bytes(Buffer.from(text)).toString()).to.equal(text);
    });
  });
});
