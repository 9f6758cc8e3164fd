import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { expect } from 'chai';
import { runPlaintextCheck } from './run-plaintext.js';

/** S1.1-12 plaintext HTTP against node:http servers on 127.0.97.x. */

const LOGIN_PAGE = '<!DOCTYPE html><form method="post" action="/login"><input name="username"><input type="password" name="password"></form>';
const JUSTIFICATION = 'firmware version banner for the companion app; no settings or personal data';

async function serve(host: string, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    paths,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function toHttps(host: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(301, { Location: `https://${host}${req.url}` });
    res.end();
  };
}

describe('S1.1-12 plaintext HTTP', function () {
  this.timeout(30000);

  it('FAILs a login page served over plain HTTP, naming the path and status', async () => {
    const host = '127.0.97.1';
    const web = await serve(host, (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(LOGIN_PAGE));
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'form', login: { path: '/login' } }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^web: HTTP login \/login served over plaintext \(200\), no redirect to HTTPS \(evidence #\d+\)$/);
      const evidence = check.evidence[0]!;
      expect(evidence.sent).to.match(/^GET \/login HTTP\/1\.1\r\n/);
      expect(evidence.received).to.match(/^HTTP\/1\.1 200 OK\r\n[\s\S]*type="password"/);
      expect(evidence.data).to.deep.include({ path: '/login', role: 'login', finding: 'served', statuses: [200] });
      expect(web.paths).to.deep.equal(['/login']);
    } finally {
      await web.close();
    }
  });

  it('FAILs a protected page that asks for Basic credentials over plain HTTP (401)', async () => {
    const host = '127.0.97.2';
    const web = await serve(host, (req, res) => {
      if (req.url === '/admin/') res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cam"' }).end();
      else res.writeHead(301, { Location: `https://${host}${req.url}` }).end();
    });
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'basic', paths: ['/status', '/admin/'] }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(/^web: HTTP page \/admin\/ served over plaintext \(401\), no redirect to HTTPS \(evidence #\d+\)$/);
      expect(check.evidence.map((e) => e.data?.finding)).to.deep.equal(['redirected', 'served']);
    } finally {
      await web.close();
    }
  });

  it('PASSes when the login page and every protected path redirect to HTTPS, with the redirect as evidence', async () => {
    const host = '127.0.97.3';
    const web = await serve(host, toHttps(host));
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'form', login: { path: '/login', page: '/signin' }, paths: ['/admin/'] }]);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(
        /^web: every login and protected path redirects to HTTPS: \/signin \(301 → https:\/\/127\.0\.97\.3\/signin; evidence #\d+\), \/admin\/ \(301 → https:\/\/127\.0\.97\.3\/admin\/; evidence #\d+\)$/,
      );
      expect(check.evidence[0]!.received).to.match(/^HTTP\/1\.1 301 Moved Permanently\r\n[\s\S]*location: https:\/\/127\.0\.97\.3\/signin/i);
      expect(check.evidence[0]!.data?.location).to.equal('https://127.0.97.3/signin');
    } finally {
      await web.close();
    }
  });

  it('follows a same-origin plaintext redirect before the one to HTTPS', async () => {
    const host = '127.0.97.4';
    const web = await serve(host, (req, res) => {
      if (req.url === '/admin') res.writeHead(302, { Location: '/admin/' }).end();
      else toHttps(host)(req, res);
    });
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'basic', paths: ['/admin'] }]);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.contain('/admin (301 → https://127.0.97.4/admin/ after 1 redirect(s); evidence #');
      expect(web.paths).to.deep.equal(['/admin', '/admin/']);
    } finally {
      await web.close();
    }
  });

  it('checks / when the profile names no path, and does not judge a path declared public', async () => {
    const host = '127.0.97.5';
    const web = await serve(host, (_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('fw 1.0.0'));
    try {
      const open = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'none' }]);
      expect(open.check.verdict, open.check.reason).to.equal('FAIL');
      expect(open.check.reason).to.match(/^web: HTTP page \/ served over plaintext \(200\)/);

      const declared = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'none', public: [{ resource: '/', justification: JUSTIFICATION }] }]);
      expect(declared.check.verdict, declared.check.reason).to.equal('NOT_APPLICABLE');
      expect(declared.check.reason).to.equal(`web: every path to check is declared public: / ("${JUSTIFICATION}")`);
      expect(declared.check.evidence[0]!.data).to.deep.equal({ path: '/', justification: JUSTIFICATION });
      expect(web.paths).to.deep.equal(['/']);
    } finally {
      await web.close();
    }
  });

  it('is INCONCLUSIVE when a path neither serves nor redirects to HTTPS (404, or a redirect to another plain-HTTP host)', async () => {
    const host = '127.0.97.6';
    const web = await serve(host, (req, res) => {
      if (req.url === '/elsewhere') res.writeHead(302, { Location: 'http://192.0.2.1/login' }).end();
      else res.writeHead(404).end();
    });
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'basic', paths: ['/gone', '/elsewhere'] }]);
      expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^web: neither served in plaintext nor redirected to HTTPS, so the plaintext exposure is undecided: \/gone \(404; evidence #\d+\), \/elsewhere \(302 → http:\/\/192\.0\.2\.1\/login, not to HTTPS; evidence #\d+\)/);
    } finally {
      await web.close();
    }
  });
  it('credits a redirect to HTTPS only when its target is the device itself (an address in scope)', async () => {
    const host = '127.0.97.20';
    const elsewhere = await serve(host, (req, res) => res.writeHead(301, { Location: `https://203.0.113.7${req.url}` }).end());
    const byName = await serve(host, (req, res) => res.writeHead(302, { Location: `https://portal.example.com${req.url}` }).end());
    try {
      for (const web of [elsewhere, byName]) {
        const { check } = await runPlaintextCheck(host, [{ name: 'web', protocol: 'http', port: web.port, auth: 'basic', paths: ['/admin/'] }]);
        expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
        expect(check.reason).to.match(/^web: neither served in plaintext nor redirected to HTTPS, so the plaintext exposure is undecided: \/admin\/ \(30[12] → https:\/\/(203\.0\.113\.7|portal\.example\.com)\/admin\/, HTTPS on another host than the device; evidence #\d+\)$/);
      }
      expect(elsewhere.paths).to.deep.equal(['/admin/']);
    } finally {
      await elsewhere.close();
      await byName.close();
    }
  });
});
