import type { AwsTarget } from './automl-port.js';

/**
 * Reads one S3 object as text (Autopilot's report files). Rejects with an `SmeError` of kind `NotFound` when the
 * object (or bucket) does not exist, and with the other AWS error kinds otherwise. Node: S3 GetObject through the
 * SDK; Lua: GetObject through the AWS-call UDF.
 */
export interface ObjectReaderPort {
  /** `uri` is `s3://bucket/key`. */
  readText(uri: string): Promise<string>;
}

/** Builds the reader for a target (Lua: the AWS-call UDF with that CONNECTION; Node: the credential chain). */
export type ObjectReaderPortFactory = (target: AwsTarget) => ObjectReaderPort;
