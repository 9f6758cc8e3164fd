/**
 * What a telnet login says at each step. Prompts are matched at the end of the visible text received
 * since the last thing jcstar sent; messages (rejected, locked) anywhere in it, line by line.
 */
export interface TelnetPrompts {
  login: RegExp;
  password: RegExp;
  shell: RegExp;
  rejected: RegExp;
  locked: RegExp;
}

export const DEFAULT_PROMPTS: TelnetPrompts = {
  login: /(?:login|user ?name|user)\s*:\s*$/i,
  password: /pass(?:word|code)\s*:\s*$/i,
  shell: /[#$>]\s*$/,
  rejected: /login incorrect|incorrect (?:login|password)|authentication failed|invalid|denied/i,
  locked: /locked|too many|try again later/i,
};
