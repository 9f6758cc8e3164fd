/** What a person reads on a fetched page: tags and scripts dropped, common entities decoded, NFKC (全角 digits → ASCII). */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#64': '@' };

export function pageText(body: Buffer, contentType: string | null): string {
  const raw = body.toString('utf8');
  const html = contentType === null ? /<html|<body|<p[\s>]/i.test(raw) : /html/i.test(contentType);
  const text = html
    ? raw
        .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => decodeEntity(name) ?? whole)
    : raw;
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

function decodeEntity(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
  if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
  return ENTITIES[lower];
}
