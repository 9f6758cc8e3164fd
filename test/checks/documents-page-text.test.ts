import { expect } from 'chai';
import { pageText } from '../../harness/checks/documents/page-text.js';

const html = (s: string) => pageText(s, true);
const MiB = 1024 * 1024;

/** Lenient on purpose: a linear scan takes milliseconds, the quadratic regexes it replaced took minutes. */
function readsQuickly(body: string): string {
  const started = process.hrtime.bigint();
  const text = html(body);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  expect(ms, `${ms.toFixed(0)} ms`).to.be.below(2000);
  return text;
}

describe('page text: what a person reads on a hostile page', () => {
  it('drops tags, scripts and styles, and decodes entities', () => {
    expect(html('<html><head><style>p { color: red }</style><SCRIPT type="x">if (a < b) alert(1)</script ></head><body><p>Mail psirt&#64;acme.example &amp; wait 5&nbsp;days</p></body></html>')).to.equal(
      'Mail psirt@acme.example & wait 5 days',
    );
    expect(html('<scripts>kept</scripts><p>a</p>')).to.equal('kept a');
    expect(html('<script>never closed<p>seen</p>')).to.equal('never closed seen');
    // As a browser would not, but as the tag regex did: the first `<` opens a tag up to the next `>`.
    expect(html('1 < 2 and <b>bold</b> 3 < 4')).to.equal('1 bold 3 < 4');
  });

  it('drops comments, so that a date hidden in one does not count as on the page', () => {
    expect(html('<p>Support ends</p><!-- 2030-03-31 --><p>soon</p>')).to.equal('Support ends soon');
    expect(html('<p>Support ends</p><!-- 2030-03-31 <p>never closed</p>')).to.equal('Support ends');
    expect(readsQuickly('<!--'.repeat(MiB / 4))).to.equal('');
  });

  it('reads a 1 MiB body of unclosed tags in well under a second, leaving the unclosed text as it is', () => {
    expect(readsQuickly('<'.repeat(MiB))).to.equal('<'.repeat(MiB));
    expect(readsQuickly('<script'.repeat(MiB / 7)).length).to.equal(7 * Math.floor(MiB / 7));
    expect(readsQuickly('<script>'.repeat(MiB / 8))).to.equal('');
    expect(readsQuickly(`${'<style>'.repeat(MiB / 7)}</style>`)).to.equal('');
    expect(readsQuickly('<style>x</style'.repeat(MiB / 15))).to.equal(`${Array(Math.floor(MiB / 15)).fill('x').join(' ')}</style`);
    expect(readsQuickly(`<p>${'</script '.repeat(MiB / 9)}`)).to.equal('</script '.repeat(MiB / 9).trim());
    expect(readsQuickly('&#1'.repeat(MiB / 3))).to.equal('&#1'.repeat(MiB / 3));
  });

  it('leaves a reference to no character as written instead of failing', () => {
    expect(html('<p>&#x110000; &#xD800; &#57343; &#0; &#99999999999; &#x41;</p>')).to.equal('&#x110000; &#xD800; &#57343; &#0; &#99999999999; A');
  });
});
