import { expect } from 'chai';
import { loadRemedies, remedyFor } from '../../harness/findings/remedies.js';
import { Remedies } from '../../harness/findings/remedies-schema.js';

describe('remedies catalogue', () => {
  const remedies = loadRemedies();

  it('loads and validates, with a fallback line for every ★1 requirement', () => {
    expect(remedies.version).to.equal('remedies-2026.12');
    expect(Object.keys(remedies.requirements)).to.deep.equal(Array.from({ length: 16 }, (_, i) => `S1.1-${String(i + 1).padStart(2, '0')}`));
  });

  it('refuses an unknown placeholder, a two-line remedy, a bad pattern and an unknown severity', () => {
    const base = { version: 'v', requirements: {}, fallback: { severity: 'low', remedy: 'x' } };
    const issues = (kinds: unknown) => Remedies.safeParse({ ...base, kinds }).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ tls: { severity: 'high', remedy: 'fix {host}' } })).to.deep.equal([
      ['kinds.tls.remedy', 'a remedy names only {item}, {subject}, {port}, {transport}, {service}, {debug}, {requirement}'],
    ]);
    expect(issues({ tls: { severity: 'high', remedy: 'a\nb' } })).to.deep.equal([['kinds.tls.remedy', 'a remedy is one line']]);
    expect(issues({ tls: { severity: 'high', remedy: 'x', items: [{ match: '(', severity: 'low', remedy: 'y' }] } })).to.deep.equal([
      ['kinds.tls.items.0.match', 'not a valid regular expression'],
    ]);
    expect(issues({ tls: { severity: 'urgent', remedy: 'x' } })?.map(([path]) => path)).to.deep.equal(['kinds.tls.severity']);
  });

  it('takes the first matching item rule, then the kind, then the requirement, then the fallback', () => {
    const at = (kind: string, item: string, requirement = 'S1.1-12', rule?: string) =>
      remedyFor(remedies, { kind, item, rule, subject: 'web-admin', requirement, port: '443', transport: 'tcp', service: 'https' });
    expect(at('crypto', 'accepts TLSv1.0 (deprecated)')).to.deep.equal({ severity: 'high', remedy: 'disable TLS 1.0 and 1.1 (and SSL) on web-admin; keep TLS 1.2 and 1.3' });
    expect(at('crypto', 'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.2 (RC4)')).to.deep.equal({ severity: 'high', remedy: 'remove RC4, DES and 3DES ciphers from web-admin' });
    expect(at('crypto', 'host key ssh-rsa (SHA-1 signatures)')).to.deep.equal({
      severity: 'medium',
      remedy: 'drop the SHA-1 host key signatures (ssh-rsa, ssh-dss) on web-admin; offer rsa-sha2-256/512 or ed25519',
    });
    expect(at('crypto', 'RSA host key of 1024 bits')).to.deep.equal({ severity: 'high', remedy: 'replace the small key on web-admin with RSA 2048 bits or more, or an ECDSA/Ed25519 key' });
    expect(at('crypto', 'certificate CN=cam expired on 2025-01-01', 'S1.1-12', 'certificate.validity')).to.deep.equal({ severity: 'high', remedy: 'renew the certificate of web-admin' });
    expect(at('crypto', 'something new')).to.deep.equal({ severity: 'high', remedy: 'stop offering something new on web-admin' });
    expect(at('plaintext', 'web-admin (80/tcp http)')).to.deep.equal({ severity: 'high', remedy: 'serve web-admin only over TLS: redirect or close plaintext 443/tcp' });
    expect(at('vdp-page', 'vdp', 'S1.1-05')).to.deep.equal({ severity: 'medium', remedy: 'publish a vulnerability disclosure policy with a contact and timelines' });
    expect(at('vdp-page', 'vdp', 'S2.1-01')).to.deep.equal({ severity: 'medium', remedy: "see the check's reason and evidence" });
  });

  it('names the factory service and its port when the inventory finds one', () => {
    const remedy = remedyFor(remedies, {
      kind: 'interface-inventory', item: '21/tcp ftp (known debug or factory service: FTP, a factory file-transfer service)',
      subject: 'tcp', requirement: 'S1.1-01', port: '21', transport: 'tcp', service: 'ftp', debug: 'FTP',
    });
    expect(remedy).to.deep.equal({ severity: 'critical', remedy: 'turn off the factory FTP on 21/tcp' });
  });
});

describe('remedies for services the inventory found undeclared', () => {
  it('says to turn the service off before anything else', () => {
    const remedies = loadRemedies();
    const at = (kind: string) =>
      remedyFor(remedies, { kind, item: 'undeclared-ftp-21 (21/tcp ftp)', subject: 'undeclared-ftp-21', requirement: 'S1.1-02', port: '21', transport: 'tcp', service: 'ftp' });
    expect(at('unauthenticated-access')).to.deep.equal({ severity: 'critical', remedy: 'turn off the undeclared ftp on 21/tcp, or require authentication on it and declare it' });
    expect(at('default-credentials')).to.deep.equal({ severity: 'critical', remedy: 'turn off the undeclared ftp on 21/tcp, or remove its universal default password' });
  });
});
