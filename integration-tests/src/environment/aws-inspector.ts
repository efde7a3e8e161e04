import { amzDate, nodeSha256Crypto, signRequest, utf8ToByteString } from '@sme/udf';
import type { Environment } from './environment.js';

/**
 * Looks at the AWS side directly (not through sme), so tests can prove what sme did or did not create.
 * Requests are signed with the project's own SigV4 (the sandbox checks signatures; moto ignores them).
 */
export class AwsInspector {
  constructor(private readonly env: Environment) {}

  private async call(
    service: 'sagemaker' | 's3',
    method: string,
    url: URL,
    body: string,
    headers: Record<string, string>,
  ): Promise<string> {
    const { credentials, region } = this.env.aws;
    const query: [string, string][] = [...url.searchParams.entries()];
    const signed = signRequest(
      nodeSha256Crypto,
      {
        method,
        path: url.pathname,
        query,
        headers: [['host', url.host], ...Object.entries(headers)],
        body: utf8ToByteString(body),
      },
      credentials,
      { region, service, amzDate: amzDate(Date.now()) },
    );
    const response = await fetch(url, {
      method,
      headers: Object.fromEntries(signed.headers.filter(([name]) => name.toLowerCase() !== 'host')),
      ...(method === 'GET' ? {} : { body }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${service} ${method} ${url.pathname}: HTTP ${response.status} ${text}`);
    return text;
  }

  /** Names of the AutoML jobs the account has (first 100). */
  async autoMLJobNames(): Promise<string[]> {
    const text = await this.call(
      'sagemaker',
      'POST',
      new URL(this.env.aws.sagemakerEndpoint),
      JSON.stringify({ MaxResults: 100 }),
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListAutoMLJobs' },
    );
    const parsed = JSON.parse(text) as { AutoMLJobSummaries?: { AutoMLJobName: string }[] };
    return (parsed.AutoMLJobSummaries ?? []).map((s) => s.AutoMLJobName);
  }

  /** The text of one object of the bucket. */
  async objectText(key: string): Promise<string> {
    return this.call('s3', 'GET', new URL(`${this.env.aws.s3Endpoint}/${this.env.aws.bucket}/${key}`), '', {});
  }

  /** Keys of the bucket's objects under `prefix` (first 1000). */
  async objectKeys(prefix = ''): Promise<string[]> {
    const url = new URL(`${this.env.aws.s3Endpoint}/${this.env.aws.bucket}`);
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', prefix);
    const text = await this.call('s3', 'GET', url, '', {});
    return [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1] ?? '');
  }
}
