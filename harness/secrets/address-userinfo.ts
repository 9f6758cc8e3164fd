/**
 * An address's user name and password are credentials: where one is shown (a profile error, a refusal reason),
 * it says where they were, not what. Text, not a parsed URL, so that a malformed address is masked too.
 */
export const maskUserinfo = (value: string): string => value.replace(/^((?:https?|ftps?|wss?):[/\\]*|[A-Za-z][A-Za-z0-9+.-]*:[/\\]{2})[^/?#\\]*@/i, '$1…@');
