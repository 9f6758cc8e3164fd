import { probeSshNone } from '../../ssh/none-auth.js';
import { firstLine } from '../excerpt.js';
import type { Recogniser } from '../recogniser.js';

const IDENT = /^SSH-(\d\.\d+)-(\S+)/;
/** Methods by which a person logs in with a password (RFC 4256 keyboard-interactive usually asks for one). */
const PASSWORD_METHODS = ['password', 'keyboard-interactive'];
const KEY_EXCHANGE_REPLIES = 2;

/** SSH speaks first (RFC 4253 §4.2); the methods come from a USERAUTH `none` request (RFC 4252 §5.2). */
export const ssh: Recogniser = {
  service: 'ssh',
  recognises: (reply) => IDENT.test(reply.toString('latin1')),
  async describe(reply, s) {
    const banner = firstLine(reply);
    s.identity.service = 'ssh';
    s.identity.banner = banner;
    s.identity.product = IDENT.exec(reply.toString('latin1'))?.[2] ?? null;
    s.speaks('ssh', null);
    if (s.layer.tls) return;
    // A key exchange costs an embedded CPU more than one reply; the port's budget still bounds it.
    const none = await probeSshNone(s.net, { host: s.host, port: s.port, username: 'root', signal: s.signal, timeoutMs: KEY_EXCHANGE_REPLIES * s.replyTimeoutMs });
    s.record('ssh none-auth', none.sent, none.received || none.detail);
    if (none.outcome === 'accepted') {
      s.identity.auth = 'none';
      s.identity.details['ssh.methods'] = 'none (accepted)';
      return;
    }
    if (none.methods === null) return;
    s.identity.details['ssh.methods'] = none.methods.join(',');
    s.identity.auth = none.methods.some((m) => PASSWORD_METHODS.includes(m)) ? 'password' : none.methods.includes('publickey') ? 'publickey' : null;
  },
};
