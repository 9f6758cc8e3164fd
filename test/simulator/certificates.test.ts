import { expect } from 'chai';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import forge from 'node-forge';
import { issueDeviceCertificates, writeTrustAnchorFile, type DeviceCertificates } from '../../harness/simulator/certificates.js';

describe('simulator certificates', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  let issued: DeviceCertificates;
  let ca: X509Certificate;
  let device: X509Certificate;
  before(async () => {
    issued = await issueDeviceCertificates('127.0.0.9', now);
    ca = new X509Certificate(issued.caPem);
    device = new X509Certificate(issued.certPem);
  });

  it('makes an RSA 2048 CA that signs itself with sha256', () => {
    expect(ca.ca).to.equal(true);
    expect(ca.subject).to.equal('O=ACME\nCN=ACME SIM-CAM device CA');
    expect(ca.issuer).to.equal(ca.subject);
    expect(ca.verify(ca.publicKey)).to.equal(true);
    expect(ca.publicKey.asymmetricKeyDetails).to.deep.include({ modulusLength: 2048 });
    const parsed = forge.pki.certificateFromPem(issued.caPem);
    expect(parsed.signatureOid).to.equal(forge.pki.oids.sha256WithRSAEncryption);
    expect(parsed.getExtension('basicConstraints')).to.deep.include({ cA: true, critical: true });
    expect(parsed.getExtension('keyUsage')).to.deep.include({ keyCertSign: true, cRLSign: true, digitalSignature: false, critical: true });
    expect(ca.validFrom).to.equal('Mar  1 11:00:00 2026 GMT');
    expect(ca.validTo).to.equal('Mar  1 12:00:00 2036 GMT');
  });

  it('issues the device an RSA 2048 server certificate for its IP address, signed by the CA with sha256', () => {
    expect(device.ca).to.equal(false);
    expect(device.checkIssued(ca)).to.equal(true);
    expect(device.verify(ca.publicKey)).to.equal(true);
    expect(device.subjectAltName).to.equal('IP Address:127.0.0.9');
    expect(device.checkIP('127.0.0.9')).to.equal('127.0.0.9');
    expect(device.checkIP('127.0.0.1')).to.equal(undefined);
    expect(device.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.1']); // node:crypto's keyUsage is the extended one: serverAuth
    expect(device.publicKey.asymmetricKeyDetails).to.deep.include({ modulusLength: 2048 });
    expect(device.validFrom).to.equal('Mar  1 11:00:00 2026 GMT');
    expect(device.validTo).to.equal('Mar  1 12:00:00 2027 GMT');
    expect(device.serialNumber).to.not.equal(ca.serialNumber);
    const parsed = forge.pki.certificateFromPem(issued.certPem);
    expect(parsed.signatureOid).to.equal(forge.pki.oids.sha256WithRSAEncryption);
    expect(parsed.getExtension('keyUsage')).to.deep.include({ digitalSignature: true, keyEncipherment: true, keyCertSign: false });
  });

  it('hands out the device key that matches its certificate', () => {
    expect(device.checkPrivateKey(createPrivateKey(issued.keyPem))).to.equal(true);
    expect(ca.checkPrivateKey(createPrivateKey(issued.keyPem))).to.equal(false);
  });

  it('gives every issue a CA of its own', async () => {
    const again = await issueDeviceCertificates('127.0.0.9', now);
    expect(new X509Certificate(again.caPem).fingerprint256).to.not.equal(ca.fingerprint256);
    expect(device.verify(new X509Certificate(again.caPem).publicKey)).to.equal(false);
  });

  it('writes the CA to a scratch file that remove() deletes with its folder', async () => {
    const file = await writeTrustAnchorFile(issued.caPem);
    expect(readFileSync(file.path, 'utf8')).to.equal(issued.caPem);
    expect(statSync(file.path).mode & 0o777).to.equal(0o644);
    await file.remove();
    await file.remove();
    expect(existsSync(file.path)).to.equal(false);
    expect(existsSync(dirname(file.path))).to.equal(false);
  });
});
