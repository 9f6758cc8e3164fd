import { expect } from 'chai';
import { compareRuns } from '../../harness/diff/compare.js';
import { renderDiff } from '../../harness/diff/render.js';
import { cameraRun } from '../fixtures/results/camera-runs.js';

describe('renderDiff', () => {
  const diff = compareRuns({ dir: 'a', results: cameraRun('after') }, { dir: 'b', results: cameraRun('before') });

  it('colours verdicts as the run table does, new findings red and the regression line red, when asked', () => {
    const text = renderDiff(diff, { color: true });
    expect(text).to.include('  S1.1-01  \x1b[32mPASS\x1b[0m → \x1b[31mFAIL\x1b[0m\n');
    expect(text).to.include('  \x1b[31mnew      \x1b[0m  critical  S1.1-01  S1.1-01/interface-inventory/tcp: ');
    expect(text).to.include('  \x1b[90munchanged\x1b[0m  high      S1.1-12  S1.1-12/crypto/ssh: ');
    expect(text).to.include('\n\x1b[31mRegression: 9 reason(s)\x1b[0m\n  S1.1-01: PASS → FAIL\n');
  });

  it('writes no escape code without colour', () => {
    const text = renderDiff(diff, { color: false });
    expect(text).to.not.include('\x1b[');
    expect(text).to.include('  S1.1-01  PASS → FAIL\n');
  });
});
