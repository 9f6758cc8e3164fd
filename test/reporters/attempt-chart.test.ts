import { expect } from 'chai';
import { renderAttemptChart } from '../../harness/reporters/attempt-chart.js';

describe('attempt timeline chart', () => {
  it('draws one mark per attempt, shaped by phase and coloured by outcome', () => {
    const svg = renderAttemptChart([
      { startMs: 0, latencyMs: 5, outcome: 'rejected', phase: 'burst' },
      { startMs: 200, latencyMs: 3, outcome: 'locked', phase: 'burst' },
      { startMs: 400, latencyMs: 4, outcome: 'rejected', phase: 'confirm' },
      { startMs: 600, latencyMs: 9, outcome: 'rejected', phase: 'parallel' },
    ]);
    expect(svg).to.match(/^<svg class="attempt-chart" role="img"/);
    expect(svg.match(/<circle cx/g)).to.have.length(3 + 4); // three attempts, four legend dots
    expect(svg.match(/<rect x="\d/g)).to.have.length(2); // the frame and the parallel attempt
    expect(svg).to.contain('fill="#d97706"');
  });

  it('cannot be made to carry markup: every value is coerced to a number or a fixed word', () => {
    const svg = renderAttemptChart([{ startMs: '1"/><script>alert(1)</script>', latencyMs: 5, outcome: '<b>', phase: 'x' }, { startMs: 10, latencyMs: 2, outcome: '<i>', phase: '<p>' }]);
    expect(svg).to.not.contain('<script');
    expect(svg).to.not.contain('<b>');
    expect(svg).to.not.contain('<i>');
  });

  it('draws nothing without a timeline', () => {
    expect(renderAttemptChart(undefined)).to.equal('');
    expect(renderAttemptChart([])).to.equal('');
  });
});
