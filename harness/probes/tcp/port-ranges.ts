/** TCP port lists in nmap's range syntax ("1-65535", "22,80,8000-8100"); "" is the empty list. */

export const MAX_PORT = 65535;

/** The ports a range text names, ascending and without repeats; throws on anything nmap would refuse. */
export function parsePortRanges(text: string): number[] {
  const marked = new Uint8Array(MAX_PORT + 1);
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '' && text.trim() === '') continue;
    // As in nmap, an open end runs to the first or last port: "-" is every port, "60000-" the top ones.
    const match = /^(\d{1,5})?(-)?(\d{1,5})?$/.exec(item);
    if (!match || item === '') throw new Error(`invalid port range "${item}" in "${text}"`);
    const [, low, dash, high] = match;
    const first = low === undefined ? 1 : Number(low);
    const last = dash === undefined ? first : high === undefined ? MAX_PORT : Number(high);
    if (first < 1 || last > MAX_PORT || first > last) throw new Error(`invalid port range "${item}": ports run from 1 to ${MAX_PORT}, low to high`);
    marked.fill(1, first, last + 1);
  }
  return portsOf(marked);
}

/** The ports marked in a 65536-entry table, ascending. */
export function portsOf(marked: Uint8Array): number[] {
  const ports: number[] = [];
  for (let port = 1; port <= MAX_PORT; port++) if (marked[port]) ports.push(port);
  return ports;
}

/** The shortest range text for ascending ports: [1,2,3,80] → "1-3,80". */
export function formatPortRanges(ports: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ports.length; ) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === ports[j]! + 1) j++;
    parts.push(i === j ? String(ports[i]) : `${ports[i]}-${ports[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
