import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../read-body.js';
import { serveHttp, send } from '../http-server.js';

/**
 * Web logins that hand back what they were sent, for redaction tests. Each answers with the password
 * it was sent, in the encodings real firmware uses:
 * - `echo-request`: a debug-style endpoint that returns the whole request (request line, headers,
 *   form body) raw, decoded, JSON-escaped and base64-encoded, and the form body in a response header;
 *   a request with an Authorization header is refused with 401 and the same echo, the Basic
 *   credential decoded;
 * - `re-render-form`: the login form shown again with what was typed in `value="…"`, HTML-escaped,
 *   after a refused login ("Invalid username or password") and after a successful one ("Welcome").
 */

export type EchoLoginKind = 'echo-request' | 're-render-form';

export interface EchoLoginServerOptions {
  host: string;
  kind: EchoLoginKind;
  username: string;
  password: string;
}

export interface EchoLoginServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** As PHP's json_encode does by default: `\/`, and `\u` for everything beyond ASCII. */
const jsonAscii = (value: unknown) => JSON.stringify(value).replace(/\//g, '\\/').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function loginForm(username = '', password = '', message = ''): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title></head>
<body><h1>Log in</h1>${message ? `<p class="error">${message}</p>` : ''}
<form method="post" action="/login">
<label>User <input name="username" value="${escapeHtml(username)}"></label>
<label>Password <input type="password" name="password" value="${escapeHtml(password)}"></label>
<button>Log in</button>
</form></body></html>
`;
}

function requestText(req: IncomingMessage, body: string): string {
  const headers = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

function basicCredential(header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : null;
}

function echoPage(req: IncomingMessage, body: string, verdict: string): string {
  const request = requestText(req, body);
  const form = Object.fromEntries(new URLSearchParams(body));
  const basic = basicCredential(req.headers.authorization);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${verdict}</title></head><body>
<h1>${verdict}</h1>
<pre>${request}</pre>
<pre>${escapeHtml(request)}</pre>
<p>Decoded form: ${Object.entries(form).map(([k, v]) => `${k}=${v}`).join(' ')}</p>
<p>Basic credential: ${basic ?? 'none'}</p>
<script>var echo = ${jsonAscii({ request, form, basic })};</script>
<p>Request as base64: ${Buffer.from(request).toString('base64')}</p>
<p>Form as base64url: ${Buffer.from(`form:${body}`).toString('base64url')}</p>
</body></html>
`;
}

export async function startEchoLoginServer(options: EchoLoginServerOptions): Promise<EchoLoginServer> {
  const correct = (username: string | null, password: string | null) => username === options.username && password === options.password;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://device').pathname;
    const body = (await readBody(req)) ?? '';
    const form = new URLSearchParams(body);
    if (options.kind === 're-render-form') {
      if (path !== '/login') send(res, 404, 'text/plain', 'not found\n');
      else if (req.method !== 'POST') send(res, 200, 'text/html; charset=utf-8', loginForm());
      // Logged in, and the form shown again pre-filled ("remember me"), as some firmware does.
      else if (correct(form.get('username'), form.get('password'))) send(res, 200, 'text/html; charset=utf-8', loginForm(form.get('username') ?? '', form.get('password') ?? '', 'Welcome'), { 'Set-Cookie': 'auth=1; Path=/' });
      else send(res, 200, 'text/html; charset=utf-8', loginForm(form.get('username') ?? '', form.get('password') ?? '', 'Invalid username or password'));
      return;
    }
    const basic = basicCredential(req.headers.authorization);
    if (basic !== null || (path !== '/login' && path !== '/')) {
      const colon = basic?.indexOf(':') ?? -1;
      const ok = basic !== null && correct(basic.slice(0, colon), basic.slice(colon + 1));
      send(res, ok ? 200 : 401, 'text/html; charset=utf-8', echoPage(req, body, ok ? 'Welcome' : 'Login failed'), ok ? {} : { 'WWW-Authenticate': 'Basic realm="echo"' });
      return;
    }
    if (req.method !== 'POST') {
      send(res, 200, 'text/html; charset=utf-8', loginForm());
      return;
    }
    const ok = correct(form.get('username'), form.get('password'));
    send(res, 200, 'text/html; charset=utf-8', echoPage(req, body, ok ? 'Welcome' : 'Login failed'), { 'X-Echo-Body': body.slice(0, 1024) });
  };

  const { port, close } = await serveHttp(handle, { host: options.host });
  return { host: options.host, port, close };
}
