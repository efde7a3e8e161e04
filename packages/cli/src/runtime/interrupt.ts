/** Subscribes a listener to Ctrl-C and returns the function that unsubscribes it. */
export type InterruptSource = (listener: () => void) => () => void;

/** The process's SIGINT. */
export const processInterrupts: InterruptSource = (listener) => {
  process.once('SIGINT', listener);
  return () => {
    process.off('SIGINT', listener);
  };
};

/**
 * Runs `fn` with a signal that the first Ctrl-C aborts. Only for the time of `fn`: elsewhere Ctrl-C ends the
 * process as usual, and so does a second Ctrl-C (the listener is gone after the first).
 */
export async function withInterrupt<T>(source: InterruptSource, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const unsubscribe = source(() => {
    controller.abort();
  });
  try {
    return await fn(controller.signal);
  } finally {
    unsubscribe();
  }
}

/** A shell word: plain when safe, else single-quoted (so that `--schema '"Ml"'` can be pasted back). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `sme <words…>` with each word quoted for the shell; undefined flag values are left out with their flag. */
export function smeCommand(words: readonly string[], flags: Readonly<Record<string, string | undefined>> = {}): string {
  const parts = ['sme', ...words];
  for (const [flag, value] of Object.entries(flags)) if (value !== undefined) parts.push(flag, value);
  return parts.map(shellWord).join(' ');
}
