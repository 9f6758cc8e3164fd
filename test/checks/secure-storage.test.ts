import { expect } from 'chai';
import { AttackSurface } from '../../harness/inventory/surface.js';
import { cipherNames, loadCryptrecList } from '../../harness/checks/secure-storage/cryptrec-list.js';
import suite from '../../suites/S1.1-11-secure-storage.js';
import { checkContext } from '../support/check-context.js';
import { DEVICE } from '../support/run-profile.js';

const base = { device: DEVICE, target: { host: '127.0.99.11' }, scope: ['127.0.99.11/32'] };

async function run(declarations: Record<string, unknown>) {
  const ctx = await checkContext({ ...base, declarations });
  const outcome = await suite.plan(ctx.profile, new AttackSurface())[0]!.body(ctx);
  return { outcome, ctx };
}

describe('S1.1-11 secure storage declaration', () => {
  it('names the CRYPTREC-listed and unlisted ciphers a protection statement mentions', () => {
    const list = loadCryptrecList();
    expect(cipherNames('AES-256-GCM, key in the secure element', list)).to.deep.equal({ listed: ['AES', 'GCM'], notListed: [] });
    expect(cipherNames('PBKDF2-HMAC-SHA256, 100000 iterations', list).listed).to.deep.equal(['SHA-2', 'HMAC']);
    expect(cipherNames('3-key Triple DES', list).notListed.map((n) => n.name)).to.deep.equal(['Triple DES']);
    expect(cipherNames('DES-CBC', list)).to.deep.include({ listed: ['CBC'] });
    expect(cipherNames('DES-CBC', list).notListed.map((n) => n.name)).to.deep.equal(['DES']);
    expect(cipherNames('MD5 hash', list).notListed.map((n) => n.name)).to.deep.equal(['MD5']);
    expect(cipherNames('ECDHE with Camellia-128', list).listed).to.deep.equal(['Camellia', 'ECDH']);
  });

  it('is INCONCLUSIVE without a declaration, saying what the checklist needs', async () => {
    const { outcome, ctx } = await run({});
    expect(outcome.verdict).to.equal('INCONCLUSIVE');
    expect(outcome.reason).to.match(/^the profile declares no secureStorage: the ★1 checklist needs every asset to protect/);
    expect(ctx.recorded[0]!.data).to.deep.equal({ declaration: 'secureStorage', value: null });
  });

  it('is MANUAL with a declaration, without hints when every asset names listed ciphers', async () => {
    const { outcome, ctx } = await run({
      secureStorage: {
        assets: [
          { asset: 'administrator password', storage: 'config partition', protection: 'PBKDF2-HMAC-SHA256 hash', cryptoReference: 'CRYPTREC 電子政府推奨暗号リスト 2023' },
          { asset: 'TLS private key', storage: 'secure element', protection: 'AES-256-GCM, key never leaves the element' },
        ],
      },
    });
    expect(outcome).to.deep.equal({ verdict: 'MANUAL', reason: 'a person must review how the 2 declared stored asset(s) are protected; each names ciphers from the CRYPTREC 電子政府推奨暗号リスト (2023)' });
    expect(ctx.recorded.map((r) => r.summary)).to.deep.equal(['vendor declaration secureStorage', '2 stored asset(s) declared; 0 with a review hint (cipher names per cryptrec-2023.jcstar.1)']);
  });

  it('flags, for a person, protection that names an unlisted cipher or none', async () => {
    const { outcome } = await run({
      secureStorage: {
        assets: [
          { asset: 'Wi-Fi passphrase', storage: 'NVRAM', protection: 'XOR with a fixed key' },
          { asset: 'cloud token', storage: 'flash', protection: 'vendor obfuscation' },
          { asset: 'recordings', storage: 'SD card', protection: 'AES-128-CTR' },
        ],
      },
    });
    expect(outcome.verdict).to.equal('MANUAL');
    expect(outcome.reason).to.equal('a person must review how the 3 declared stored asset(s) are protected; 2 name no cipher from the CRYPTREC 電子政府推奨暗号リスト (2023) or one off it (see warnings)');
    expect(outcome.warnings).to.deep.equal([
      'Wi-Fi passphrase: the declared protection "XOR with a fixed key" names XOR (obfuscation, not encryption)',
      'cloud token: the declared protection "vendor obfuscation" names no cipher from the CRYPTREC 電子政府推奨暗号リスト (2023); check what protects it',
    ]);
  });
});
