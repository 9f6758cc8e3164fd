import type { IncomingMessage } from 'node:http';

/** Request bodies a simulated device reads at most; a larger one is dropped rather than buffered. */
const MAX_BODY = 4096;

/** The request body as text, or null when it is too large or the client goes away. */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}
