/** Telnet framing (RFC 854/855): IAC commands in the byte stream, and the escaping of data sent into it. */

export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

export type Negotiation = 'DO' | 'DONT' | 'WILL' | 'WONT';

const VERBS: Record<number, Negotiation> = { [DO]: 'DO', [DONT]: 'DONT', [WILL]: 'WILL', [WONT]: 'WONT' };
const VERB_BYTES: Record<Negotiation, number> = { DO, DONT, WILL, WONT };

const OPTION_NAMES: Record<number, string> = {
  0: 'BINARY', 1: 'ECHO', 3: 'SGA', 5: 'STATUS', 6: 'TIMING-MARK', 24: 'TTYPE', 31: 'NAWS', 32: 'TSPEED',
  33: 'LFLOW', 34: 'LINEMODE', 35: 'XDISPLOC', 36: 'ENVIRON', 37: 'AUTHENTICATION', 38: 'ENCRYPT', 39: 'NEW-ENVIRON',
};
const COMMAND_NAMES: Record<number, string> = {
  241: 'NOP', 242: 'DM', 243: 'BRK', 244: 'IP', 245: 'AO', 246: 'AYT', 247: 'EC', 248: 'EL', 249: 'GA',
};

function optionName(option: number): string {
  return OPTION_NAMES[option] ?? String(option);
}

export type TelnetCommand =
  | { kind: 'negotiation'; verb: Negotiation; option: number }
  | { kind: 'subnegotiation'; option: number; payload: Buffer }
  | { kind: 'command'; code: number };

/** How a command reads in a transcript: `IAC DO NAWS`, `IAC SB TTYPE 01 IAC SE`. */
export function describeCommand(command: TelnetCommand): string {
  switch (command.kind) {
    case 'negotiation':
      return `IAC ${command.verb} ${optionName(command.option)}`;
    case 'subnegotiation':
      return `IAC SB ${optionName(command.option)}${command.payload.length ? ` ${command.payload.toString('hex')}` : ''} IAC SE`;
    case 'command':
      return `IAC ${COMMAND_NAMES[command.code] ?? command.code}`;
  }
}

/** One piece of what arrived, in order: text bytes or a command. */
export type TelnetPart = { kind: 'data'; bytes: Buffer } | TelnetCommand;

/** A subnegotiation longer than this is kept truncated: nothing jcstar agrees to needs a long one. */
const SUBNEGOTIATION_LIMIT = 1024;

type State = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac' | 'cr';

/**
 * Splits an incoming byte stream into data and commands. It keeps state across chunks, so a command
 * cut between two TCP segments is still recognised. IAC IAC is a data 0xFF; CR NUL is a bare CR.
 */
export class TelnetDecoder {
  #state: State = 'data';
  #verb: Negotiation = 'DO';
  #option = 0;
  #payload: number[] = [];

  push(chunk: Buffer): TelnetPart[] {
    const parts: TelnetPart[] = [];
    let data: number[] = [];
    const flush = () => {
      if (data.length) parts.push({ kind: 'data', bytes: Buffer.from(data) });
      data = [];
    };
    for (const byte of chunk) {
      switch (this.#state) {
        case 'cr':
          this.#state = 'data';
          if (byte === NUL) break;
        // falls through: anything but NUL after CR is ordinary input
        case 'data':
          if (byte === IAC) this.#state = 'iac';
          else {
            data.push(byte);
            if (byte === CR) this.#state = 'cr';
          }
          break;
        case 'iac':
          if (byte === IAC) {
            data.push(IAC);
            this.#state = 'data';
          } else if (VERBS[byte]) {
            this.#verb = VERBS[byte]!;
            this.#state = 'verb';
          } else if (byte === SB) {
            this.#state = 'sb-option';
          } else {
            flush();
            parts.push({ kind: 'command', code: byte });
            this.#state = 'data';
          }
          break;
        case 'verb':
          flush();
          parts.push({ kind: 'negotiation', verb: this.#verb, option: byte });
          this.#state = 'data';
          break;
        case 'sb-option':
          this.#option = byte;
          this.#payload = [];
          this.#state = 'sb';
          break;
        case 'sb':
          if (byte === IAC) this.#state = 'sb-iac';
          else if (this.#payload.length < SUBNEGOTIATION_LIMIT) this.#payload.push(byte);
          break;
        case 'sb-iac':
          if (byte === SE) {
            flush();
            parts.push({ kind: 'subnegotiation', option: this.#option, payload: Buffer.from(this.#payload) });
            this.#state = 'data';
          } else {
            if (byte === IAC && this.#payload.length < SUBNEGOTIATION_LIMIT) this.#payload.push(IAC);
            this.#state = 'sb';
          }
          break;
      }
    }
    flush();
    return parts;
  }
}

/** Data bytes made safe for the stream: 0xFF doubled, a CR not followed by LF sent as CR NUL. */
export function escapeData(bytes: Buffer): Buffer {
  const out: number[] = [];
  bytes.forEach((byte, i) => {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
    else if (byte === CR && bytes[i + 1] !== LF) out.push(NUL);
  });
  return Buffer.from(out);
}

export function negotiation(verb: Negotiation, option: number): Buffer {
  return Buffer.from([IAC, VERB_BYTES[verb], option]);
}
