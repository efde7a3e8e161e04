import type { AwsTarget } from './automl-port.js';
import type { EndpointPort, ObjectStorePort } from './endpoint-port.js';

/** Builds the endpoint port for a target (Lua: calls through the AWS-call UDF with that CONNECTION). */
export type EndpointPortFactory = (target: AwsTarget) => EndpointPort;

/** Builds the S3 port for a target (Lua: the S3-call UDF with that CONNECTION). */
export type ObjectStorePortFactory = (target: AwsTarget) => ObjectStorePort;
