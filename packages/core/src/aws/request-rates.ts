import type { RateLimitOptions } from '../rate-limit.js';

/**
 * The client-side pace of SageMaker Describe calls when sme lists many jobs or endpoints at once (`sme jobs`,
 * `sme endpoint list`): DescribeAutoMLJobV2 and DescribeEndpoint.
 *
 * AWS documents no request rate for these calls: the SageMaker quotas (AWS General Reference, "Amazon SageMaker AI
 * endpoints and quotas", and the Service Quotas console) count resources and instances, not API calls per second;
 * SageMaker throttles per account and Region and answers ThrottlingException ("Rate exceeded"), and AWS's advice is
 * to retry with exponential back-off and jitter. So the limiter here is a ceiling plus adaptation, like the AWS
 * SDKs' adaptive retry mode: calls start at most `ratePerSecond` a second (a burst of `burst` after a quiet spell); a
 * throttled call lowers the pace for all calls to 0.7 of itself and to no more than AWS answered in the last second,
 * and is retried after a jittered back-off (or after AWS's Retry-After); every answer raises the pace again, by 10
 * calls per second a second, up to the ceiling. Against an account that takes 50 calls a second, a list of 200 jobs
 * settles near that rate and takes about 4 s. The ceiling (200 calls/s, a burst of 40) lets one list of a few hundred jobs finish in a second or two,
 * which a conservative fixed pace could not: EC2, which does document its API rates, refills 20 Describe calls per
 * second, and at 20/s a list of 200 jobs would take 10 s, no faster than asking one job after the other at 50 ms a
 * call. Above the ceiling sme never sends; below it, it slows to where AWS stops throttling.
 */
export const SAGEMAKER_DESCRIBE_RATE: RateLimitOptions = {
  ratePerSecond: 200,
  burst: 40,
  maxRetries: 5,
  baseDelayMs: 100,
  maxDelayMs: 20000,
  minRatePerSecond: 1,
  decrease: 0.7,
  recoveryPerSecond: 10,
};
