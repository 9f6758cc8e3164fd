import { expect } from 'chai';
import { create } from 'xmlbuilder2';
import { renderJunit } from '../../harness/reporters/junit.js';
import type { Results } from '../../harness/results/schema.js';
import { sampleResults } from '../fixtures/results/sample.js';

function parse(xml: string): Element {
  return create(xml).root().node as unknown as Element;
}

const count = (el: Element, attr: string) => Number(el.getAttribute(attr));
const children = (el: Element, tag: string) => Array.from(el.getElementsByTagName(tag));

describe('renderJunit', () => {
  const root = parse(renderJunit(sampleResults));
  const suites = children(root, 'testsuite');

  it('has one testsuite per requirement', () => {
    expect(root.tagName).to.equal('testsuites');
    expect(suites.map((s) => s.getAttribute('name')!.split(' ')[0])).to.deep.equal(sampleResults.requirements.map((q) => q.id));
  });

  it('counts testcases by outcome: 15 checks plus 6 requirements without checks', () => {
    expect(children(root, 'testcase')).to.have.lengthOf(21);
    expect(children(root, 'failure')).to.have.lengthOf(2);
    expect(children(root, 'error')).to.have.lengthOf(1);
    expect(children(root, 'skipped')).to.have.lengthOf(13);
    expect([count(root, 'tests'), count(root, 'failures'), count(root, 'errors'), count(root, 'skipped')]).to.deep.equal([21, 2, 1, 13]);
  });

  it('gives each suite counts that match its testcases', () => {
    for (const suite of suites) {
      const name = suite.getAttribute('name');
      expect(count(suite, 'tests'), name!).to.equal(children(suite, 'testcase').length);
      expect(count(suite, 'failures'), name!).to.equal(children(suite, 'failure').length);
      expect(count(suite, 'errors'), name!).to.equal(children(suite, 'error').length);
      expect(count(suite, 'skipped'), name!).to.equal(children(suite, 'skipped').length);
    }
  });

  it('names testcases after the requirement and check, with time in seconds', () => {
    const telnet = children(root, 'testcase').find((t) => t.getAttribute('name')!.startsWith('S1.1-02.default-credentials.telnet'))!;
    expect(telnet.getAttribute('classname')).to.equal('S1.1-02');
    expect(telnet.getAttribute('name')).to.equal('S1.1-02.default-credentials.telnet: Telnet does not accept a well-known default password');
    expect(telnet.getAttribute('time')).to.equal('8.450');
    expect(children(telnet, 'failure')[0].getAttribute('message')).to.equal(
      'telnet accepted admin / [redacted] after a random-credential control was refused',
    );
  });

  it('passes a check with warnings, listing each warning in its system-out', () => {
    const tls = children(root, 'testcase').find((t) => t.getAttribute('name')!.startsWith('S1.1-12.tls-versions'))!;
    expect(children(tls, 'failure')).to.have.lengthOf(0);
    expect(children(tls, 'system-out').map((o) => o.textContent)).to.deep.equal(['warning: accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on TLSv1.2 (CBC)']);
    expect(children(root, 'system-out')).to.have.lengthOf(1);
  });

  it('carries the requirement verdict when a requirement has no checks', () => {
    const s103 = suites[2];
    const cases = children(s103, 'testcase');
    expect(cases.map((t) => t.getAttribute('name'))).to.deep.equal(['S1.1-03: requirement verdict']);
    expect(children(cases[0], 'skipped')[0].getAttribute('message')).to.equal(
      'MANUAL: no automated check yet; a person must review the vendor declaration',
    );
  });

  it('records device and rules as properties', () => {
    const props = Object.fromEntries(children(suites[0], 'property').map((p) => [p.getAttribute('name'), p.getAttribute('value')]));
    expect(props).to.include({ 'device.model': 'IPC-200', 'device.firmware': '2.4.1', 'rules.policy': 'policy-2026.11' });
    expect(props['rules.catalogue']).to.equal('star1 1.1-jcstar.1');
  });

  it('stays well-formed when a reason carries bytes XML cannot hold', () => {
    const check = sampleResults.checks[2];
    const odd: Results = { ...sampleResults, checks: [{ ...check, reason: 'banner \u0000\u001b<&>' }, ...sampleResults.checks.slice(3)] };
    const failure = children(parse(renderJunit(odd)), 'failure')[0];
    expect(failure.getAttribute('message')).to.equal('banner \ufffd\ufffd<&>');
  });
});
