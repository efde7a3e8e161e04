/**
 * `startExasolSandbox`: the Exasol-compatible server (WebSocket API + SQL on embedded DuckDB + Lua scripts +
 * EXPORT to S3) as a library.
 */
import { createLuaRuntime } from '../lua/index.js';
import type { UdfCallRecord } from './cluster.js';
import { clusterShape } from './cluster.js';
import { ExaDatabase } from './database.js';
import { startExaServer } from './server.js';

export interface ExasolSandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** TLS with a self-signed certificate (default true); false serves plain `ws://`. */
  readonly tls?: boolean;
  /** Lua runtime for scripts and UDFs: native `lua5.4` (default when installed) or wasmoon. */
  readonly lua?: 'native' | 'wasm';
  /**
   * Which Lua scripts and UDFs meet: `exasol` (default) behaves like Exasol's Lua (README "Exasol's Lua");
   * `vanilla` is stock Lua 5.4 with the Exasol API, for debugging only.
   */
  readonly luaProfile?: 'exasol' | 'vanilla';
  /** Names UDFs `require` luaossl under: `openssl` (default, `openssl.digest`) or `_openssl` (`_openssl.digest`). */
  readonly luaOpensslPrefix?: 'openssl' | '_openssl';
  /**
   * Seconds the database's clock runs ahead of the real one (negative: behind): CURRENT_TIMESTAMP and friends,
   * and Lua's `os.time()` (which the in-database AWS signing uses). Default 0. For testing clock checks.
   */
  readonly clockOffsetSeconds?: number;
  /** S3-compatible endpoint that EXPORT writes to (the embedded S3 store or moto), e.g. `http://127.0.0.1:4566`. */
  readonly s3Endpoint?: string;
  /** Region used for S3 addresses without one (default us-east-1). */
  readonly s3Region?: string;
  /** CA certificate (PEM) of an `https://` s3Endpoint, e.g. the AWS sandbox's with `tls` (`caPem`). */
  readonly s3CaPem?: string;
  /** Directory that keeps the database between runs; in memory when absent. */
  readonly dataDir?: string;
  /** The one database user (default `sys` / `exasol`, like docker-db). */
  readonly user?: string;
  readonly password?: string;
  /**
   * Simulated cluster nodes (default 1): `NPROC()` answers it, `IPROC()` spreads rows over the nodes, and UDF
   * calls run their instances on every node at once (cluster.ts).
   */
  readonly nodes?: number;
  /**
   * UDF instances each node runs at once (default 4): at most nodes × this Lua processes (native) or interleaved
   * wasm runs work on UDF calls at the same time, across all sessions.
   */
  readonly udfInstancesPerNode?: number;
}

export interface ExasolSandbox {
  readonly host: string;
  readonly port: number;
  /** `wss://host:port` (or `ws://` without TLS). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** SHA-256 fingerprint of the server certificate, upper-case hex; undefined without TLS. */
  readonly fingerprint: string | undefined;
  /** Simulated nodes (`NPROC()`). */
  readonly nodes: number;
  /** The most recent UDF calls (at most 50, oldest first) with the instances each ran per node. */
  udfCalls(): readonly UdfCallRecord[];
  stop(): Promise<void>;
}

/**
 * Starts the Exasol-compatible sandbox server.
 *
 * @example
 * const exa = await startExasolSandbox({ s3Endpoint: 'http://127.0.0.1:9000' });
 * // connect with @exasol/exasol-driver-ts to exa.url as exa.user/exa.password, pinning exa.fingerprint
 * await exa.stop();
 */
export async function startExasolSandbox(options: ExasolSandboxOptions = {}): Promise<ExasolSandbox> {
  const user = options.user ?? 'sys';
  const password = options.password ?? 'exasol';
  const luaKind = options.lua ?? 'auto';
  const shape = clusterShape(options.nodes, options.udfInstancesPerNode);
  const database = await ExaDatabase.open({
    nodes: shape.nodes,
    udfInstancesPerNode: shape.instancesPerNode,
    user,
    password,
    lua: () =>
      createLuaRuntime(luaKind, {
        profile: options.luaProfile ?? 'exasol',
        opensslPrefix: options.luaOpensslPrefix ?? 'openssl',
        // Native: keep a process per UDF instance that can run at once, plus two for scripting programs.
        maxIdleProcesses: shape.nodes * shape.instancesPerNode + 2,
        ...(options.clockOffsetSeconds !== undefined ? { clockOffsetSeconds: options.clockOffsetSeconds } : {}),
      }),
    ...(options.clockOffsetSeconds !== undefined ? { clockOffsetSeconds: options.clockOffsetSeconds } : {}),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.s3Endpoint !== undefined
      ? {
          s3: {
            endpoint: options.s3Endpoint,
            region: options.s3Region ?? 'us-east-1',
            ...(options.s3CaPem !== undefined ? { caPem: options.s3CaPem } : {}),
          },
        }
      : {}),
  });
  try {
    const server = await startExaServer({
      database,
      user,
      password,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
    });
    return {
      host: server.host,
      port: server.port,
      url: server.url,
      user,
      password,
      fingerprint: server.fingerprint,
      nodes: shape.nodes,
      udfCalls: () => database.udfCalls(),
      async stop() {
        await server.stop();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
