import type { Document } from 'bson';

/** A failed command, answered as `{ok: 0, code, codeName, errmsg, ...extra}` like the real server. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** The largest document the server stores (BSON bytes). */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

export const notFoundNamespace = (ns: string): CommandError => new CommandError(26, 'NamespaceNotFound', `ns not found: ${ns}`);
