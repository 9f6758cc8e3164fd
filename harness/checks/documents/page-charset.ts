/**
 * A fetched page's text in the character encoding it declares: a byte-order mark, else the Content-Type
 * charset, else an HTML page's <meta charset> within its first 1024 bytes (as browsers prescan), else UTF-8.
 * Japanese vendors still publish Shift_JIS and EUC-JP pages; read as UTF-8 they would carry nothing.
 */
export interface DecodedPage {
  text: string;
  /** The encoding the text was decoded with (WHATWG name, e.g. "shift_jis"). */
  encoding: string;
  /** A declared charset jcstar does not know, read as UTF-8 instead; null when none was unknown. */
  unknownCharset: string | null;
  /** The text holds U+FFFD: bytes the encoding could not read (or the page's own replacement characters). */
  undecodable: boolean;
}

const BOMS: Array<[bytes: number[], encoding: string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

const PRESCAN_BYTES = 1024;

export function decodePage(body: Buffer, contentType: string | null, html: boolean): DecodedPage {
  const bom = BOMS.find(([bytes]) => bytes.every((b, i) => body[i] === b))?.[1];
  const declared = bom ?? charsetParameter(contentType) ?? (html ? metaCharset(body) : null);
  let decoder: TextDecoder;
  let unknownCharset: string | null = null;
  try {
    decoder = new TextDecoder(declared ?? 'utf-8');
  } catch {
    unknownCharset = declared;
    decoder = new TextDecoder('utf-8');
  }
  const text = decoder.decode(body);
  return { text, encoding: decoder.encoding, unknownCharset, undecodable: text.includes('\uFFFD') };
}

function charsetParameter(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]{1,40})/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">; the prescan is bounded, so the regex is too. */
function metaCharset(body: Buffer): string | null {
  const head = body.subarray(0, PRESCAN_BYTES).toString('latin1');
  const match = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})/i.exec(head);
  return match?.[1] ?? null;
}
