import { expect } from 'chai';
import { Results } from '../../harness/results/schema.js';
import { VERDICTS } from '../../harness/verdicts/verdict.js';
import { sampleResults } from '../fixtures/results/sample.js';

describe('sample results fixture', () => {
  it('is a valid results.json', () => {
    expect(() => Results.parse(sampleResults)).not.to.throw();
  });

  it('covers all 16 requirements and every verdict at check level', () => {
    expect(sampleResults.requirements.map((q) => q.id)).to.have.lengthOf(16);
    for (const v of VERDICTS) expect(sampleResults.summary.checks[v], v).to.be.greaterThan(0);
  });
});
