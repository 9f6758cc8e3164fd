import { expect } from 'chai';
import { effectiveCryptoRules } from '../../harness/crypto/effective.js';
import { loadBaseCryptoRules } from '../../harness/crypto/load.js';
import type { CryptoPermit, CryptoRestrict } from '../../harness/crypto/schema.js';
import { rulesWithRunChanges } from '../../harness/rejudge/crypto-rules.js';

const RESTRICT: CryptoRestrict = { tls: { versions: ['TLSv1.3'] }, certificate: { minRsaBits: 3072 } };
const PERMIT: CryptoPermit[] = [{ rule: 'ssh.mac', value: 'hmac-sha1', justification: 'the vendor app of 2019 needs it' }];

describe("re-judging: the run's own crypto changes on a new rule set", () => {
  const base = loadBaseCryptoRules();

  it('rebuilds, from the changes a run recorded, exactly the rules the profile gave that run', () => {
    const { rules: asRun } = effectiveCryptoRules({ restrict: RESTRICT, permit: PERMIT }, base);
    expect(asRun.version).to.equal('crypto-2026.12+profile');
    const { rules, problems } = rulesWithRunChanges(base, JSON.parse(JSON.stringify(asRun.changes)));
    expect(problems).to.deep.equal([]);
    expect(rules).to.deep.equal(asRun);
  });

  it('gives the new base alone when the run had no changes', () => {
    const { rules, problems } = rulesWithRunChanges(base, []);
    expect(problems).to.deep.equal([]);
    expect(rules).to.deep.equal(effectiveCryptoRules(undefined, base).rules);
    expect(rules.version).to.equal('crypto-2026.12');
  });

  it('reports a recorded restriction the new base makes a loosening, as a profile would be told', () => {
    const { rules: asRun } = effectiveCryptoRules({ restrict: RESTRICT, permit: [] }, base);
    const stricter = structuredClone(base);
    stricter.rules.version = 'crypto-2027.01-test';
    stricter.rules.certificate.minRsaBits = 4096;
    const { problems } = rulesWithRunChanges(stricter, asRun.changes);
    expect(problems).to.deep.equal([
      { path: ['restrict', 'certificate', 'minRsaBits'], message: '3072 is below the base minimum of 4096 (certificate.minRsaBits, crypto-2027.01-test), and restrict can only raise it; to lower it, add a crypto.permit entry with a justification' },
    ]);
  });
});
