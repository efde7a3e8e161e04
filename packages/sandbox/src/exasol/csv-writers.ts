/**
 * EXPORT's file writers: worker threads that turn rows into the bytes of CSV files (gzip for `.gz` names), so that
 * a statement with several FILE clauses formats them side by side, as an Exasol cluster writes its files from every
 * node at once. The pool holds one thread per simulated node (at most {@link MAX_CSV_WRITERS}); a statement deals
 * its files to the threads round-robin. The session thread reads the rows from the engine once, in chunks, and
 * sends each file its contiguous run of rows column by column; the threads answer each file's bytes, which the
 * session uploads.
 *
 * The thread's code is plain JavaScript kept as text (a TypeScript module cannot start as a thread from the
 * sources the tests run); its CSV field rule is the one of `csvField` in csv-format.ts, checked against it by
 * csv-writers.test.ts.
 */
import { Worker } from 'node:worker_threads';
import type { WireValue } from './exa-types.js';
import type { CsvOptions } from './csv-format.js';

/** The most writer threads a sandbox starts, however many nodes it simulates. */
export const MAX_CSV_WRITERS = 8;

/** Messages to a writer thread. */
type WriterMessage =
  | {
      readonly t: 'open';
      readonly file: number;
      readonly options: CsvOptions;
      readonly head: string;
      readonly gzip: boolean;
    }
  | { readonly t: 'rows'; readonly file: number; readonly columns: readonly (readonly WireValue[])[] }
  | { readonly t: 'close'; readonly file: number };

/** Answers from a writer thread. */
type WriterAnswer =
  { readonly file: number; readonly bytes: Uint8Array } | { readonly file: number; readonly error: string };

const WRITER_JS = String.raw`
const { parentPort } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const files = new Map();
function field(v, o) {
  if (v === null) return o.nullText;
  const text = typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
  if (o.delimit === 'NEVER' || o.columnDelimiter === '') return text;
  const needs = o.delimit === 'ALWAYS' || text.includes(o.columnSeparator) || text.includes(o.columnDelimiter) ||
    text.includes('\n') || text.includes('\r');
  if (!needs) return text;
  const d = o.columnDelimiter;
  return d + text.split(d).join(d + d) + d;
}
parentPort.on('message', (m) => {
  try {
    if (m.t === 'open') {
      files.set(m.file, { o: m.options, gzip: m.gzip, parts: m.head === '' ? [] : [m.head] });
      return;
    }
    const f = files.get(m.file);
    if (m.t === 'rows') {
      const cols = m.columns, o = f.o, width = cols.length, n = width === 0 ? 0 : cols[0].length;
      let out = '';
      for (let r = 0; r < n; r++) {
        let line = '';
        for (let c = 0; c < width; c++) {
          if (c > 0) line += o.columnSeparator;
          line += field(cols[c][r], o);
        }
        out += line + o.rowSeparator;
      }
      f.parts.push(out);
      return;
    }
    files.delete(m.file);
    const text = f.parts.join('');
    const bytes = f.gzip ? gzipSync(text) : Buffer.from(text, 'utf8');
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    parentPort.postMessage({ file: m.file, bytes: copy }, [copy.buffer]);
  } catch (e) {
    files.delete(m.file);
    parentPort.postMessage({ file: m.file, error: e instanceof Error ? e.message : String(e) });
  }
});
`;

/** One writer thread and the files it is writing. */
class WriterThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(b: Uint8Array): void; reject(e: Error): void }>();
  /** Set when the thread failed or ended: the pool starts another in its place. */
  dead = false;

  constructor() {
    this.worker = new Worker(WRITER_JS, { eval: true });
    this.worker.unref();
    this.worker.on('message', (a: WriterAnswer) => {
      const w = this.waiting.get(a.file);
      this.waiting.delete(a.file);
      if (!w) return;
      if ('bytes' in a) w.resolve(a.bytes);
      else w.reject(new Error(a.error));
    });
    this.worker.on('error', (e) => {
      this.failAll(e);
    });
    this.worker.on('exit', () => {
      this.failAll(new Error('the EXPORT writer thread ended'));
    });
  }

  post(m: WriterMessage): void {
    this.worker.postMessage(m);
  }

  /** The bytes of `file` once the thread has written it (after its `close` message). */
  bytes(file: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.waiting.set(file, { resolve, reject });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private failAll(e: Error): void {
    this.dead = true;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

/** The files of one EXPORT statement, each on its writer thread. */
export interface CsvFileSet {
  /** Adds rows (column-major, equal lengths) to file `k`. */
  rows(k: number, columns: readonly (readonly WireValue[])[]): void;
  /** Ends every file; resolves each file's bytes (in file order) as its thread answers. */
  close(): Promise<Uint8Array>[];
}

/** The writer threads of one database, started on first use and ended with it. */
export class CsvWriterPool {
  private readonly threads: WriterThread[] = [];
  private nextFile = 0;

  /** @param size threads at most: the simulated nodes, capped at {@link MAX_CSV_WRITERS}. */
  constructor(readonly size: number) {}

  /**
   * Opens `files` (each: gzip or not) written with `options`, every file starting with `head` (the header line or
   * empty); file k goes to thread k mod size.
   */
  open(files: readonly { readonly gzip: boolean }[], options: CsvOptions, head: string): CsvFileSet {
    const ids = files.map(() => this.nextFile++);
    const threads = files.map((_, k) => this.thread(k % this.size));
    files.forEach((f, k) => {
      threads[k]?.post({ t: 'open', file: ids[k] ?? 0, options, head, gzip: f.gzip });
    });
    return {
      rows: (k, columns) => {
        threads[k]?.post({ t: 'rows', file: ids[k] ?? 0, columns });
      },
      close: () =>
        files.map((_, k) => {
          const thread = threads[k] as WriterThread;
          const id = ids[k] ?? 0;
          const done = thread.bytes(id);
          thread.post({ t: 'close', file: id });
          return done;
        }),
    };
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private thread(i: number): WriterThread {
    let t = this.threads[i];
    if (!t || t.dead) {
      t = new WriterThread();
      this.threads[i] = t;
    }
    return t;
  }
}
