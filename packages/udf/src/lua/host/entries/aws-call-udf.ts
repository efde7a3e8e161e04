/**
 * Entry of the AWS-call UDF bundle. The bundle evaluates to this module's exports; the UDF body that
 * embeds it (see `awsCallUdfScript`) defines the `run(ctx)` global Exasol calls.
 */
export { amzDate, signRequest } from '../../sigv4/sigv4.js';
export { luaSha256Crypto } from '../lua-crypto.js';
