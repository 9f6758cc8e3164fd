import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { schemaPath } from '../../harness/paths.js';
import { SCHEMA_FILES, SCHEMAS } from '../../harness/schemas/generate.js';

describe('published JSON Schemas', () => {
  for (const [name, make] of Object.entries(SCHEMAS)) {
    it(`schemas/${SCHEMA_FILES[name as keyof typeof SCHEMAS]} matches the ${name} definition (run \`npm run schemas\` after changing it)`, () => {
      const published = JSON.parse(readFileSync(schemaPath(SCHEMA_FILES[name as keyof typeof SCHEMAS]), 'utf8'));
      expect(published).to.deep.equal(JSON.parse(JSON.stringify(make())));
    });
  }
});
