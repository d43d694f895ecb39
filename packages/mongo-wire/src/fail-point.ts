import type { Document } from 'bson';

/** `configureFailPoint: "failCommand"` as mongod with test commands enabled has it (a subset). */
export interface FailPointData {
  failCommands: string[];
  errorCode?: number;
  closeConnection?: boolean;
  blockConnection?: boolean;
  blockTimeMS?: number;
  /** Only commands on this namespace (`db.collection`). */
  namespace?: string;
  errmsg?: string;
}

/** What the server does with one command when a fail point fires. */
export type FailPointAction = { block: number; errorCode?: number; close: boolean; errmsg?: string } | null;

/** The `failCommand` fail point: `mode` is `{times: n}`, `"alwaysOn"` or `"off"`. */
export class FailPoint {
  private remaining = 0;
  private data: FailPointData | null = null;

  configure(command: Document): void {
    const mode = command.mode as Document | string;
    if (mode === 'off') {
      this.data = null;
      return;
    }
    this.remaining = mode === 'alwaysOn' ? Number.POSITIVE_INFINITY : Number((mode as Document).times ?? 1);
    this.data = command.data as FailPointData;
  }

  /** Consumes one firing when `name` on `ns` matches. */
  take(name: string, ns: string): FailPointAction {
    const data = this.data;
    if (!data || this.remaining <= 0 || !data.failCommands.includes(name)) return null;
    if (data.namespace !== undefined && data.namespace !== ns) return null;
    this.remaining--;
    if (this.remaining <= 0) this.data = null;
    return {
      block: data.blockConnection ? (data.blockTimeMS ?? 0) : 0,
      close: data.closeConnection === true,
      ...(data.errorCode !== undefined ? { errorCode: data.errorCode } : {}),
      ...(data.errmsg !== undefined ? { errmsg: data.errmsg } : {}),
    };
  }
}
