import type { RateLimitOptions } from '../rate-limit.js';

/**
 * The client-side pace of SageMaker Describe calls when sme lists many jobs or endpoints at once (`sme jobs`,
 * `sme endpoint list`): DescribeAutoMLJobV2 and DescribeEndpoint.
 *
 * AWS documents no request rate for these calls: the SageMaker quotas (AWS General Reference, "Amazon SageMaker AI
 * endpoints and quotas", and the Service Quotas console) count resources and instances, not API calls per second;
 * SageMaker throttles per account and Region and answers ThrottlingException ("Rate exceeded"), and AWS's advice is
 * to retry with exponential back-off and jitter. So the limiter here is a ceiling plus back-off, like the AWS SDKs'
 * adaptive retry mode: calls start at most `ratePerSecond` a second (a burst of `burst` after a quiet spell); a
 * throttled call halves the pace for all calls and is retried after a jittered back-off; successes raise the pace
 * again. The ceiling (100 calls/s) is set so that listing a few hundred jobs takes a second or two, while one list
 * never sends more than that in any second; an account throttled below it settles where AWS stops throttling.
 */
export const SAGEMAKER_DESCRIBE_RATE: RateLimitOptions = {
  ratePerSecond: 100,
  burst: 10,
  maxRetries: 5,
  baseDelayMs: 100,
  maxDelayMs: 20000,
  minRatePerSecond: 1,
};
