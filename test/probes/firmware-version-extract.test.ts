import { expect } from 'chai';
import { extractVersion } from '../../harness/probes/firmware-version/extract.js';

describe('firmware version extraction from an answer', () => {
  it('follows an RFC 6901 JSON pointer, with ~1 and ~0 escapes and array indexes', () => {
    const body = JSON.stringify({ firmware: { version: '2.4.1' }, 'a/b': { 'c~d': ['x', ' 9.9 '] }, build: 42 });
    expect(extractVersion(body, { jsonPointer: '/firmware/version' })).to.deep.equal({ ok: true, version: '2.4.1' });
    expect(extractVersion(body, { jsonPointer: '/a~1b/c~0d/1' })).to.deep.equal({ ok: true, version: '9.9' });
    expect(extractVersion(body, { jsonPointer: '/build' })).to.deep.equal({ ok: true, version: '42' });
  });

  it('says why a pointer finds nothing, finds an object, or has no JSON to read', () => {
    expect(extractVersion('{"firmware":{}}', { jsonPointer: '/firmware/version' })).to.deep.equal({ ok: false, reason: `JSON pointer /firmware/version found nothing in '{"firmware":{}}'` });
    expect(extractVersion('{"firmware":{"v":1}}', { jsonPointer: '/firmware' })).to.deep.equal({ ok: false, reason: 'JSON pointer /firmware points at {"v":1}, not a version string' });
    expect(extractVersion('<html>version 1</html>', { jsonPointer: '/v' })).to.deep.equal({ ok: false, reason: `the answer is not JSON, so JSON pointer /v has nothing to read in '<html>version 1</html>'` });
    // Inherited properties are not the device's answer.
    expect(extractVersion('{}', { jsonPointer: '/constructor' })).to.deep.equal({ ok: false, reason: `JSON pointer /constructor found nothing in '{}'` });
  });

  it('takes a pattern\'s first group, or its whole match without a group, and applies it after a pointer', () => {
    expect(extractVersion('Linux cam 5.10.0 FW=3.2.1-rc1 armv7', { pattern: 'FW=(\\S+)' })).to.deep.equal({ ok: true, version: '3.2.1-rc1' });
    expect(extractVersion('build 7.0.3 ok', { pattern: '\\d+\\.\\d+\\.\\d+' })).to.deep.equal({ ok: true, version: '7.0.3' });
    expect(extractVersion('{"fw":"ACME v1.8 (2024)"}', { jsonPointer: '/fw', pattern: 'v([\\d.]+)' })).to.deep.equal({ ok: true, version: '1.8' });
  });

  it('quotes the start of the answer when a pattern matches nothing', () => {
    expect(extractVersion('xyz firmware unknown, please contact the vendor for details', { pattern: 'v(\\d+)' })).to.deep.equal({
      ok: false,
      reason: `pattern v(\\d+) matched nothing in 'xyz firmware unknown, please contact the…'`,
    });
  });

  it('takes a short bare answer trimmed, and refuses an empty or long one', () => {
    expect(extractVersion('  1.0.7\n', {})).to.deep.equal({ ok: true, version: '1.0.7' });
    expect(extractVersion(' \n', {})).to.deep.equal({ ok: false, reason: 'the answer is empty' });
    const page = `<html>${'x'.repeat(300)}</html>`;
    expect(extractVersion(page, {})).to.deep.equal({ ok: false, reason: `the answer is 313 characters, too long for a version string ('<html>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'); declare a pattern or jsonPointer` });
  });
});
