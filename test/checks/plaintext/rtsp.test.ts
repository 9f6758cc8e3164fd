import { expect } from 'chai';
import { STREAM_PATH, startRtspServer, type RtspServerOptions } from '../../../harness/simulator/fakes/rtsp-server.js';
import { runPlaintextCheck } from './run-plaintext.js';

/** S1.1-12 plaintext RTSP against the fake camera on 127.0.97.4x. */

describe('S1.1-12 plaintext RTSP', function () {
  this.timeout(30000);

  async function rtspRun(host: string, options: Partial<RtspServerOptions>, paths = [STREAM_PATH]) {
    const server = await startRtspServer({ host, auth: 'digest', username: 'admin', password: 'never-sent', ...options });
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'camera', protocol: 'rtsp', port: server.port, auth: 'digest', paths }]);
      return { check, port: server.port, attempts: server.attempts() };
    } finally {
      await server.close();
    }
  }

  it('FAILs Basic authentication over plain TCP', async () => {
    const { check, attempts } = await rtspRun('127.0.97.41', { auth: 'basic' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^camera: RTSP Basic authentication over plain TCP exposes the password: \/stream1 \(RTSP 401 Unauthorized, WWW-Authenticate: Basic; evidence #\d+\)$/);
    expect(check.evidence[0]!.sent).to.match(/^DESCRIBE rtsp:\/\/127\.0\.97\.41:\d+\/stream1 RTSP\/1\.0\r\nCSeq: 1\r\n/);
    expect(check.evidence[0]!.sent).not.to.match(/Authorization/);
    expect(check.evidence[0]!.received).to.match(/^RTSP\/1\.0 401 Unauthorized\r\n[\s\S]*WWW-Authenticate: Basic realm="jcstar fake camera"/);
    expect(attempts).to.equal(0);
  });

  it('FAILs Digest-only RTSP too, because the stream itself is not encrypted', async () => {
    const { check, port } = await rtspRun('127.0.97.42', { auth: 'digest' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(
      new RegExp(`^camera: RTSP over plain TCP on ${port}/tcp: Digest keeps the password off the wire, but the stream, an asset, is not encrypted: /stream1 \\(RTSP 401 Unauthorized, WWW-Authenticate: Digest; evidence #\\d+\\)$`),
    );
  });

  it('FAILs a stream description handed out without credentials', async () => {
    const { check } = await rtspRun('127.0.97.43', { auth: 'none' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/hands out the stream description without credentials, and the stream, an asset, is not encrypted: \/stream1 \(RTSP 200 OK, stream description without credentials; evidence #\d+\)$/);
    expect(check.evidence[0]!.received).to.contain('m=video 0 RTP/AVP 96');
  });

  it('PASSes a camera that redirects every DESCRIBE to RTSPS', async () => {
    const { check } = await rtspRun('127.0.97.44', { redirectTo: 'rtsps://127.0.97.44:322' });
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(/^camera: every stream path redirects to RTSPS: \/stream1 \(RTSP 301 Moved Permanently → rtsps:\/\/127\.0\.97\.44:322\/stream1; evidence #\d+\)$/);
  });

  it('is INCONCLUSIVE when no declared path exists', async () => {
    const { check } = await rtspRun('127.0.97.45', { auth: 'basic' }, ['/nothing-here']);
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^camera: no stream path showed how it is protected on \d+\/tcp: \/nothing-here \(RTSP 404 Not Found; evidence #\d+\)$/);
  });
});
