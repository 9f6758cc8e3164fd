import { expect } from 'chai';
import { renderHtml } from '../../harness/reporters/html.js';
import { cameraRun } from '../fixtures/results/camera-runs.js';

function readinessSection(page: string): string {
  const start = page.indexOf('<section id="readiness">');
  return page.slice(start, page.indexOf('</section>', start));
}

const text = (markup: string) => markup.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

describe('report.html label readiness', () => {
  const page = renderHtml(cameraRun('before'));
  const section = readinessSection(page);

  it('opens the page: the first section, before the summary', () => {
    expect(page.indexOf('<section')).to.equal(page.indexOf('<section id="readiness">'));
    expect(page.indexOf('<section id="readiness">')).to.be.lessThan(page.indexOf('<section id="summary">'));
  });

  it('says how many findings to fix and items to review, then the remedies most severe first', () => {
    expect(text(section).startsWith('Label readiness 5 findings to fix, 1 item to review.')).to.equal(true);
    const remedies = [...section.matchAll(/<td class="remedy">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(remedies).to.deep.equal([
      'turn off the factory Telnet on 2323/tcp',
      'remove the universal default password from web-admin: unique per device, or set by the user at first use',
      'remove 1024-bit Diffie-Hellman from ssh; use curve25519 or groups of 2048 bits or more',
      'disable TLS 1.0 and 1.1 (and SSL) on web-admin; keep TLS 1.2 and 1.3',
      'disable TLS 1.0 and 1.1 (and SSL) on web-admin; keep TLS 1.2 and 1.3',
    ]);
    expect([...section.matchAll(/<span class="badge sev-(\w+)">/g)].map((m) => m[1])).to.deep.equal(['critical', 'critical', 'high', 'high', 'high']);
  });

  it('links each finding to its requirement, its check, its evidence records (which have anchors) and its artifacts', () => {
    const body = section.indexOf('<tbody>');
    const first = section.slice(body, section.indexOf('</tr>', body));
    expect(first).to.include('<a href="#req-S1.1-01">S1.1-01</a>');
    expect(first).to.include('<a href="#check-S1.1-01_interface-inventory_tcp">S1.1-01/interface-inventory/tcp</a><br>evidence <a href="#ev-3">#3</a> <a href="#ev-5">#5</a>');
    expect(first).to.include('<a href="artifacts/00003-0-tcp-scan.json">artifacts/00003-0-tcp-scan.json</a>');
    for (const seq of [3, 5, 12, 20, 21, 30, 31]) expect(page).to.include(`<li id="ev-${seq}">`);
  });

  it('escapes the device-controlled banner in the offending item', () => {
    expect(section).to.include('2323/tcp telnet &quot;BusyBox v1.30 &lt;script&gt;alert(1)&lt;/script&gt;&quot; (known debug or factory service: Telnet, a login shell in plaintext)');
    expect(section).to.not.include('<script>alert');
  });

  it('lists the requirements to review with their verdict and reason', () => {
    expect(section).to.include(
      '<h3>To review</h3><ul class="review"><li><a href="#req-S1.1-07">S1.1-07</a> <span class="badge v-MANUAL">MANUAL</span> requirement S1.1-07: <span class="muted">S1.1-07/update-procedure/declaration: a person must review the declared update procedure</span></li></ul>',
    );
  });

  it('says "Ready to apply" for a clean run, with no findings table and nothing to review', () => {
    const clean = readinessSection(renderHtml(cameraRun('clean')));
    expect(text(clean)).to.equal('Label readiness Ready to apply: no FAIL and nothing to review.');
  });

  it('does not call an interrupted run ready, and says its findings are not all', () => {
    const clean = cameraRun('clean');
    const cut = readinessSection(renderHtml({ ...clean, run: { ...clean.run, status: 'interrupted', statusReason: 'Ctrl-C' } }));
    expect(text(cut)).to.equal('Label readiness 0 findings to fix, 0 items to review; the run is interrupted, so these are not all.');
  });
});
