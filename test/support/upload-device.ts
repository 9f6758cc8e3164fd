import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { compareVersions } from '../../harness/simulator/update-install.js';
import { parseJcstarImage, verifyJcstarImage, writeJcstarImage } from '../../harness/update/formats/jcstar-image.js';
import { tempDir } from './run-profile.js';

/**
 * A device whose user uploads firmware through its web UI (HTTP Basic): POST /upload takes the raw image.
 * careful: a whole jcstar-image signed by the vendor key, newer than the running one; careless: any
 * well-formed jcstar-image. Each build answers 400 with its reason when it refuses.
 */
export interface UploadDevice {
  port: number;
  running(): string;
  /** The profile a user writes for it, with the genuine and older images and the vendor key on disk. */
  document: Record<string, unknown>;
  env: Record<string, string>;
  close(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;
const PASSWORD = 'upload-Device-pw-7';

async function bodyOf(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refusal(image: Buffer, vendorKey: KeyObject, running: string, careful: boolean): string | null {
  const parsed = parseJcstarImage(image);
  if ('error' in parsed) return parsed.error;
  if (!careful) return parsed.payload.length === parsed.manifest.payloadSize ? null : 'payload cut short';
  const verified = verifyJcstarImage(parsed, vendorKey);
  if (!verified.ok) return verified.reason;
  return compareVersions(parsed.manifest.version, running) > 0 ? null : `no downgrade: ${parsed.manifest.version} <= ${running}`;
}

export async function startUploadDevice(build: 'careful' | 'careless'): Promise<UploadDevice> {
  const vendor = generateKeyPairSync('ed25519');
  const dir = tempDir('jcstar-upload-device-');
  const image = (version: string) => writeJcstarImage({ version, payload: Buffer.from(`firmware ${version}\n`.repeat(64)), privateKey: vendor.privateKey });
  writeFileSync(join(dir, 'fw-1.3.0.img'), image('1.3.0'));
  writeFileSync(join(dir, 'fw-1.1.0.img'), image('1.1.0'));
  writeFileSync(join(dir, 'vendor.pem'), vendor.publicKey.export({ type: 'spki', format: 'pem' }));
  let running = '1.2.0';
  const authorized = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
  const server: Server = createServer(async (req, res) => {
    res.on('error', () => {});
    if (req.headers.authorization !== authorized) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="upload"' }).end();
    if (req.method === 'GET' && req.url === '/api/firmware') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ firmware: running }));
    if (req.method === 'POST' && req.url === '/upload') {
      const body = await bodyOf(req);
      const refused = body === null ? 'too large' : refusal(body, createPublicKey(vendor.publicKey.export({ type: 'spki', format: 'pem' })), running, build === 'careful');
      if (refused) return void res.writeHead(400).end(`refused: ${refused}`);
      running = (parseJcstarImage(body!) as { manifest: { version: string } }).manifest.version;
      return void res.writeHead(200).end(`installed ${running}`);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    running: () => running,
    env: { UPLOAD_PW: PASSWORD },
    document: {
      device: { vendor: 'ACME', model: 'UP-1', firmware: '1.2.0', unit: `up-${build}`, category: 'router' },
      target: { host: '127.0.0.1' },
      scope: ['127.0.0.1/32'],
      services: [{ name: 'web', protocol: 'http', port, auth: 'basic', credential: 'admin', paths: ['/api/firmware'] }],
      credentials: { admin: { username: 'admin', password: '${env:UPLOAD_PW}' } },
      update: {
        handsOn: true,
        version: { http: { service: 'web', path: '/api/firmware', jsonPointer: '/firmware' } },
        mechanism: { upload: { service: 'web', method: 'POST', path: '/upload' } },
        waitSeconds: 2,
        settleSeconds: 1,
        images: { format: 'jcstar-image', genuine: { file: join(dir, 'fw-1.3.0.img'), version: '1.3.0' }, older: { file: join(dir, 'fw-1.1.0.img'), version: '1.1.0' }, signingKey: join(dir, 'vendor.pem') },
      },
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
