/**
 * Keeps `npm start` quiet until its banner: while the stack starts, info/debug log lines (store opened, listener
 * started, the web app's build output, …) are held back instead of printed; warnings and errors pass at once.
 * After the banner everything passes. If start-up fails, the held lines are printed (they say what happened).
 * With LOG_LEVEL=debug or trace the gate is open from the start (the user asked for detail).
 */
import { Writable } from 'node:stream';

/** pino's numeric level of `warn`: lines at or above it always pass. */
const WARN = 40;
/** Held lines kept for a failed start (the last ones matter most). */
const HELD_LIMIT = 200;

/** The `"level":N` of a pino JSON line (non-JSON lines count as info). */
export function levelOfLine(line: string): number {
  const m = /"level":(\d+)/.exec(line.slice(0, 64));
  return m ? Number(m[1]) : 30;
}

export interface StartupGate {
  /** The logger's destination. */
  stream: Writable;
  /** Lets every later line through (call right after the banner). */
  open(): void;
  /** The lines held back so far, oldest first (for a failed start). */
  held(): string[];
}

export function createStartupGate(out: { write(text: string): unknown }, logLevel: string): StartupGate {
  let isOpen = logLevel === 'debug' || logLevel === 'trace';
  const heldLines: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (isOpen || levelOfLine(text) >= WARN) out.write(text);
      else {
        heldLines.push(text);
        if (heldLines.length > HELD_LIMIT) heldLines.shift();
      }
      done();
    },
  });
  return {
    stream,
    open: () => {
      isOpen = true;
      heldLines.length = 0;
    },
    held: () => [...heldLines],
  };
}
