import { expect } from 'chai';
import { renderRequirementTable } from '../../harness/reporters/table.js';
import { interrupted, sampleResults } from '../fixtures/results/sample.js';

const ESC = '\x1b';

describe('renderRequirementTable', () => {
  const plain = renderRequirementTable(sampleResults, { color: false });
  const rows = plain.split('\n').filter((line) => /^S\d+\.\d+-\d{2} /.test(line));

  it('prints one row per requirement with verdict, check count and reason', () => {
    expect(rows).to.have.lengthOf(16);
    expect(rows[1]).to.match(/^S1\.1-02\s+FAIL\s+Default password .*\s2\s+1 check\(s\) failed$/);
    expect(rows[11]).to.match(/^S1\.1-12\s+FAIL\s.*\s3\s+1 check\(s\) failed$/);
  });

  it('uses no ANSI codes without colour', () => {
    expect(plain).not.to.include(ESC);
  });

  it('colours verdicts when asked', () => {
    const coloured = renderRequirementTable(sampleResults, { color: true });
    expect(coloured).to.include(`${ESC}[31mFAIL`);
    expect(coloured).to.include(`${ESC}[32mPASS`);
    // Colour must not shift the columns: stripping it gives the plain table back.
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).to.equal(plain);
  });

  it('truncates long titles so the fixed columns line up', () => {
    const row09 = rows[8];
    expect(row09).to.include('Topic unconfirmed (candidates');
    expect(row09).to.include('…');
    const reasonColumns = new Set(rows.map((row, i) => row.lastIndexOf(sampleResults.requirements[i].reason)));
    expect([...reasonColumns]).to.have.lengthOf(1);
    expect([...reasonColumns][0]).to.be.lessThan(75);
  });

  it('ends with a summary of requirement verdicts', () => {
    expect(plain.trimEnd().split('\n').at(-1)).to.equal(
      '16 requirements: 2 PASS, 2 FAIL, 0 NOT_APPLICABLE, 5 INCONCLUSIVE, 6 MANUAL, 1 ERROR',
    );
  });

  it('says when the run was interrupted', () => {
    expect(plain).not.to.include('interrupted');
    expect(renderRequirementTable(interrupted(), { color: false })).to.include(
      'Run interrupted: results are incomplete. stopped by the operator (SIGINT)',
    );
  });
});
