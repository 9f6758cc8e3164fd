import { expect } from 'chai';
import { formatPath } from '../../harness/profile/errors.js';
import { SourceMap } from '../../harness/profile/locate.js';
import { didYouMean, suggest } from '../../harness/profile/suggest.js';

describe('profile loader: helpers', () => {
  describe('suggest', () => {
    const keys = ['vendor', 'model', 'firmware', 'unit', 'category', 'mac'];

    it('suggests a key within two edits', () => {
      expect(suggest('vender', keys)).to.equal('vendor');
      expect(suggest('categroy', keys)).to.equal('category');
    });

    it('suggests a case-insensitive match whatever the distance', () => {
      expect(suggest('FIRMWARE', keys)).to.equal('firmware');
    });

    it('suggests nothing for distant or very short inputs', () => {
      expect(suggest('colour', keys)).to.equal(undefined);
      expect(suggest('x', keys)).to.equal(undefined);
      expect(didYouMean('colour', keys)).to.equal('');
      expect(didYouMean('modle', keys)).to.equal('; did you mean "model"?');
    });
  });

  it('formats field paths', () => {
    expect(formatPath(['services', 1, 'port'])).to.equal('services[1].port');
    expect(formatPath(['credentials', 'web-admin', 'password'])).to.equal('credentials.web-admin.password');
    expect(formatPath(['credentials', 'my cam', 'key'])).to.equal('credentials["my cam"].key');
    expect(formatPath([])).to.equal('');
  });

  describe('SourceMap', () => {
    const source = new SourceMap('device:\n  vendor: Acme\nservices:\n  - name: web\n    port: 80\n');

    it('locates values, keys and (for missing fields) the nearest ancestor', () => {
      expect(source.valueAt(['device', 'vendor'])).to.deep.equal({ line: 2, column: 11 });
      expect(source.keyAt(['device', 'vendor'])).to.deep.equal({ line: 2, column: 3 });
      expect(source.valueAt(['services', 0, 'port'])).to.deep.equal({ line: 5, column: 11 });
      expect(source.valueAt(['services', 0, 'auth'])).to.deep.equal({ line: 4, column: 5 });
      expect(source.valueAt(['nowhere', 'at', 'all'])).to.deep.equal({ line: 1, column: 1 });
    });
  });
});
