import { writeFileSync } from 'node:fs';
import { schemaPath } from '../paths.js';
import { SCHEMA_FILES, SCHEMAS } from './generate.js';

/** `npm run schemas`: regenerates the published schemas under schemas/. A test keeps them in step. */
for (const [name, make] of Object.entries(SCHEMAS)) {
  const file = schemaPath(SCHEMA_FILES[name as keyof typeof SCHEMAS]);
  writeFileSync(file, `${JSON.stringify(make(), null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
}
