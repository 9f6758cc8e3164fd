import { expect } from 'chai';
import { ScanTiming } from '../../../harness/probes/tcp/scan-timing.js';

describe('TCP scan timing (srtt/rttvar timeout, congestion window)', () => {
  const limits = { maxConcurrency: 128, minTimeoutMs: 100, maxTimeoutMs: 1250 };

  it('waits one second before the first answer, then srtt + 4 rttvar within the bounds', () => {
    const timing = new ScanTiming(limits);
    expect(timing.timeoutMs()).to.equal(1000);
    timing.answered(200);
    expect(timing.timeoutMs()).to.equal(200 + 4 * 100);
    for (let i = 0; i < 50; i++) timing.answered(1);
    expect(timing.timeoutMs()).to.equal(100);
    for (let i = 0; i < 50; i++) timing.answered(5000);
    expect(timing.timeoutMs()).to.equal(1250);
  });

  it('grows the window with answers up to the maximum, and halves it once per loss event', () => {
    const timing = new ScanTiming(limits);
    expect(timing.window, "nmap's 10, raised to the floor").to.equal(16);
    for (let i = 0; i < 500; i++) timing.answered(1);
    expect(timing.window).to.equal(128);
    timing.timedOut(10_000);
    expect(timing.window).to.equal(64);
    timing.timedOut(10_001);
    expect(timing.window, 'a second loss within the same timeout period').to.equal(64);
    timing.timedOut(20_000);
    timing.timedOut(30_000);
    timing.timedOut(40_000);
    expect(timing.window, 'never below an eighth of the maximum').to.equal(16);
  });
});
