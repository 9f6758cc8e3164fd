import { expect } from 'chai';
import { Redactor } from '../../harness/evidence/redactor.js';
import { Secret } from '../../harness/secrets/secret.js';

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
});
