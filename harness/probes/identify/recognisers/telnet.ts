import { probeTelnetBanner } from '../../telnet/banner.js';
import { DEFAULT_PROMPTS } from '../../telnet/prompts.js';
import { firstLine } from '../excerpt.js';
import type { Recogniser } from '../recogniser.js';

const IAC = 0xff;
/** WILL, WONT, DO, DONT (RFC 854): a server that opens with option negotiation speaks Telnet. */
const NEGOTIATION = new Set([0xfb, 0xfc, 0xfd, 0xfe]);

function opensWithNegotiation(reply: Buffer): boolean {
  return reply.length >= 3 && reply[0] === IAC && NEGOTIATION.has(reply[1] ?? 0);
}

function showsLoginPrompt(text: string): boolean {
  return DEFAULT_PROMPTS.login.test(text) || DEFAULT_PROMPTS.password.test(text);
}

/** A bind shell volunteers readable text ending in a root or user prompt, with no negotiation. */
function showsShellPrompt(text: string): boolean {
  return /^[\x20-\x7e\r\n\t]+$/.test(text) && /[#$]\s*$/.test(text);
}

/**
 * Telnet negotiates or prompts first; a debug shell bound to a port (no Telnet options) is taken as
 * Telnet too, since a Telnet client is how anyone would use it. What it shows past the negotiation (a login prompt or a shell)
 * comes from the telnet banner probe, which answers the options as a client must.
 */
export const telnet: Recogniser = {
  service: 'telnet',
  recognises: (reply, probe) => opensWithNegotiation(reply) || (probe === null && (showsLoginPrompt(reply.toString('latin1')) || showsShellPrompt(reply.toString('latin1')))),
  async describe(reply, s) {
    s.identity.service = 'telnet';
    s.identity.banner = firstLine(reply.toString('latin1').replace(/\xff[\xfb-\xfe][\s\S]|\xff[\xf0-\xfa]/g, ''));
    s.speaks('telnet', null);
    if (s.layer.tls) return;
    const shown = await probeTelnetBanner(s.net, { host: s.host, port: s.port, signal: s.signal, timeoutMs: s.replyTimeoutMs });
    s.record('telnet banner', shown.sent, shown.received);
    if (shown.outcome !== 'banner') return;
    s.identity.banner = firstLine(shown.text) ?? s.identity.banner;
    s.identity.details['telnet.commands'] = String(shown.commands);
    if (shown.shellWithoutLogin) {
      s.identity.auth = 'none';
      s.identity.details['telnet.shown'] = 'a shell prompt, with no login';
    } else if (showsLoginPrompt(shown.text)) {
      s.identity.auth = 'password';
      s.identity.details['telnet.shown'] = 'a login prompt';
    }
  },
};
