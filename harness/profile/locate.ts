import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

const START: Position = { line: 1, column: 1 };

/** A parsed YAML profile that can tell where each field was written. */
export class SourceMap {
  readonly doc: Document.Parsed;
  readonly #lines = new LineCounter();

  constructor(text: string) {
    this.doc = parseDocument(text, { keepSourceTokens: true, lineCounter: this.#lines });
  }

  position(offset: number): Position {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }

  /** Where the value at `path` starts; for a missing field, where its nearest present ancestor starts. */
  valueAt(path: readonly PropertyKey[]): Position {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return this.position(node.range[0]);
    }
    return START;
  }

  /** Where the key of the last path element is written (for unknown keys); its mapping if not found. */
  keyAt(path: readonly PropertyKey[]): Position {
    const parentPath = path.slice(0, -1);
    const key = path.at(-1);
    const parent = this.doc.getIn(parentPath, true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (pair && isNode(pair.key) && pair.key.range) return this.position(pair.key.range[0]);
    }
    return this.valueAt(parentPath);
  }
}
