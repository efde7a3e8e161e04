import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, runtimeValidation } from './api-errors.js';
import {
  SAGEMAKER_MODEL,
  SAGEMAKER_RUNTIME_MODEL,
  SerializationProblem,
  validateInput,
  validateOutput,
  validationMessage,
} from './api-model.js';
import type { AutoMLJobs, Json } from './automl-jobs.js';
import { MAX_INVOKE_BODY } from './endpoints.js';
import type { Endpoints } from './endpoints.js';
import type { FaultInjector, FaultRules } from './faults.js';
import {
  close,
  createHttpOrHttpsServer,
  listen,
  readBody,
  requestId,
  sleep,
  urlHost,
  type ServerTls,
} from './http-util.js';
import { verifySigV4 } from './sigv4-verify.js';
import type { SandboxCredentials, SigV4Failure } from './sigv4-verify.js';
import type { TransformJobs } from './transform-jobs.js';

export interface SageMakerServerOptions {
  readonly host: string;
  /** Port to listen on; default 0 (a free port). */
  readonly port?: number;
  readonly region: string;
  readonly credentials: readonly SandboxCredentials[];
  readonly jobs: AutoMLJobs;
  readonly endpoints: Endpoints;
  readonly transforms: TransformJobs;
  readonly faults: FaultInjector;
  /**
   * Called with the message when a response would violate the API model (a sandbox bug; the client gets a
   * 500 InternalFailure naming it). Default: written to stderr.
   */
  readonly onResponseViolation?: (message: string) => void;
  /** Serve HTTPS with this key and certificate (`--aws-tls`); plain HTTP when absent. */
  readonly tls?: ServerTls;
}

/** A response the sandbox was about to send does not match the operation's output shape. */
export class ResponseViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseViolation';
  }
}

/**
 * Checks a control-plane response against the operation's output shape; throws {@link ResponseViolation}
 * naming every violation. Operations without an output shape answer `{}`.
 */
export function checkResponse(operation: string, body: Json): void {
  const op = SAGEMAKER_MODEL.operations[operation];
  const problems =
    op?.output === undefined
      ? Object.keys(body).map((k) => `Member '${k}' is not in the model: ${operation} has no output shape`)
      : validateOutput(SAGEMAKER_MODEL, op.output.shape, body);
  if (problems.length > 0) {
    throw new ResponseViolation(
      `Sandbox bug: the ${operation} response violates the API model (${op?.output?.shape ?? 'no output'}): ${validationMessage(problems)}`,
    );
  }
}

/** Above this the HTTP front refuses the body outright (413), as AWS's does; up to it the model's limit applies. */
const HARD_BODY_LIMIT = 6 * 1024 * 1024;

const JSON_TYPE = 'application/x-amz-json-1.1';

type Handler = (input: Json) => Json;

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': requestId(),
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiError): void {
  const body: Record<string, string> = { __type: err.type };
  if (err.message !== '') body[err.modelled ? 'Message' : 'message'] = err.message;
  send(res, err.status, body, { 'x-amzn-errortype': err.type });
}

/** What becomes of the answer of a request that was carried out (fault rules `lostReplyRate`, `resetRate`). */
type LostAnswer = 'lostReply' | 'reset';

/** Answers a carried-out request as a failure: 500 as if the real answer was lost, or a dropped connection. */
function loseAnswer(res: ServerResponse, how: LostAnswer): void {
  if (how === 'reset') res.destroy();
  else sendError(res, new ApiError(500, 'InternalFailure', 'Internal Failure (injected fault: reply lost)'));
}

const AUTH_ERRORS: Record<SigV4Failure, [number, string]> = {
  MissingAuthenticationToken: [403, 'MissingAuthenticationTokenException'],
  IncompleteSignature: [400, 'IncompleteSignatureException'],
  UnrecognizedClient: [403, 'UnrecognizedClientException'],
  InvalidClientTokenId: [403, 'UnrecognizedClientException'],
  SignatureDoesNotMatch: [403, 'SignatureDoesNotMatch'],
  SignatureExpired: [400, 'InvalidSignatureException'],
  CredentialScope: [403, 'SignatureDoesNotMatch'],
};

/**
 * The SageMaker control plane (AWS JSON 1.1, `X-Amz-Target: SageMaker.<Op>`) and runtime
 * (`POST /endpoints/<name>/invocations`) on one HTTP server, plus `/_sandbox/faults` for out-of-process
 * fault control.
 */
export async function startSageMakerServer(
  options: SageMakerServerOptions,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const { jobs, endpoints, transforms } = options;
  const handlers: Record<string, Handler> = {
    CreateAutoMLJobV2: (i) => jobs.create(i),
    DescribeAutoMLJobV2: (i) => jobs.describe(i),
    ListAutoMLJobs: (i) => jobs.list(i),
    StopAutoMLJob: (i) => jobs.stop(i),
    ListCandidatesForAutoMLJob: (i) => jobs.listCandidates(i),
    CreateModel: (i) => endpoints.createModel(i),
    DescribeModel: (i) => endpoints.describeModel(i),
    DeleteModel: (i) => endpoints.deleteModel(i),
    CreateEndpointConfig: (i) => endpoints.createEndpointConfig(i),
    DescribeEndpointConfig: (i) => endpoints.describeEndpointConfig(i),
    DeleteEndpointConfig: (i) => endpoints.deleteEndpointConfig(i),
    CreateEndpoint: (i) => endpoints.createEndpoint(i),
    DescribeEndpoint: (i) => endpoints.describeEndpoint(i),
    DeleteEndpoint: (i) => endpoints.deleteEndpoint(i),
    ListEndpoints: (i) => endpoints.listEndpoints(i),
    CreateTransformJob: (i) => transforms.create(i),
    DescribeTransformJob: (i) => transforms.describe(i),
    StopTransformJob: (i) => transforms.stop(i),
  };

  const reportViolation =
    options.onResponseViolation ??
    ((m: string): void => {
      process.stderr.write(`[sme-sandbox] ${m}\n`);
    });

  async function authenticate(req: IncomingMessage, body: Buffer): Promise<ApiError | undefined> {
    const verdict = await verifySigV4(
      { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
      { region: options.region, service: 'sagemaker', credentials: options.credentials, uriEscapePath: true },
    );
    if (verdict.ok) return undefined;
    const [status, type] = AUTH_ERRORS[verdict.failure];
    return new ApiError(status, type, verdict.message);
  }

  /** The error to answer instead of handling the request, or the fate of the answer of a handled one. */
  async function applyFault(operation: string): Promise<ApiError | LostAnswer | undefined> {
    const fault = options.faults.decide(operation);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.kind === 'lostReply' || fault.kind === 'reset') return fault.kind;
    if (fault.kind === 'throttle') return new ApiError(400, 'ThrottlingException', 'Rate exceeded');
    if (fault.kind === 'server') {
      return new ApiError(
        fault.status,
        fault.code,
        fault.status === 503 ? 'Service Unavailable (injected fault)' : 'Internal Failure (injected fault)',
      );
    }
    return undefined;
  }

  async function controlPlane(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const authError = await authenticate(req, body);
    if (authError) {
      sendError(res, authError);
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix, operation = ''] = target.split('.');
    const handler = handlers[operation];
    const op = SAGEMAKER_MODEL.operations[operation];
    if (prefix !== SAGEMAKER_MODEL.metadata.targetPrefix || handler === undefined || op?.input === undefined) {
      sendError(res, new ApiError(400, 'UnknownOperationException', ''));
      return;
    }
    res.once('close', options.faults.inFlight(operation));
    const fault = await applyFault(operation);
    if (fault instanceof ApiError) {
      sendError(res, fault);
      return;
    }
    let input: Json;
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new SyntaxError('not an object');
      input = parsed as Json;
      const problems = validateInput(SAGEMAKER_MODEL, op.input.shape, input);
      if (problems.length > 0) {
        sendError(res, new ApiError(400, 'ValidationException', validationMessage(problems)));
        return;
      }
    } catch (e) {
      if (e instanceof SyntaxError || e instanceof SerializationProblem) {
        sendError(res, new ApiError(400, 'SerializationException', e instanceof SerializationProblem ? e.message : ''));
        return;
      }
      throw e;
    }
    const output = handler(input);
    try {
      checkResponse(operation, output);
    } catch (e) {
      if (!(e instanceof ResponseViolation)) throw e;
      reportViolation(e.message);
      sendError(res, new ApiError(500, 'InternalFailure', e.message));
      return;
    }
    if (fault === undefined) send(res, 200, output);
    else loseAnswer(res, fault);
  }

  async function runtime(req: IncomingMessage, res: ServerResponse, name: string, body: Buffer): Promise<void> {
    res.once('close', options.faults.inFlight('InvokeEndpoint'));
    const authError = await authenticate(req, body);
    if (authError) {
      sendError(res, authError);
      return;
    }
    const fault = await applyFault('InvokeEndpoint');
    if (fault instanceof ApiError) {
      sendError(res, fault);
      return;
    }
    // The members bound to the URI and headers, validated as the model's input structure (the payload's
    // size is checked on the raw bytes below, the model counts the decoded blob).
    const header = (h: string): string | undefined => {
      const v = req.headers[h];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const contentType = header('content-type');
    const accept = header('accept');
    const problems = validateInput(SAGEMAKER_RUNTIME_MODEL, 'InvokeEndpointInput', {
      EndpointName: name,
      Body: '',
      ...(contentType !== undefined ? { ContentType: contentType } : {}),
      ...(accept !== undefined ? { Accept: accept } : {}),
    });
    if (body.length > MAX_INVOKE_BODY) {
      problems.push(
        `Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INVOKE_BODY}`,
      );
    }
    if (problems.length > 0) {
      sendError(res, runtimeValidation(validationMessage(problems)));
      return;
    }
    const out = await endpoints.invoke(name, contentType, body);
    const responseContentType = 'text/csv; charset=utf-8';
    const outputProblems = validateOutput(SAGEMAKER_RUNTIME_MODEL, 'InvokeEndpointOutput', {
      Body: '',
      ContentType: responseContentType,
      InvokedProductionVariant: out.variant,
    });
    if (Buffer.byteLength(out.body) > MAX_INVOKE_BODY) {
      outputProblems.push(
        `Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INVOKE_BODY}`,
      );
    }
    if (outputProblems.length > 0) {
      const message = `Sandbox bug: the InvokeEndpoint response violates the API model (InvokeEndpointOutput): ${validationMessage(outputProblems)}`;
      reportViolation(message);
      sendError(res, new ApiError(500, 'InternalFailure', message));
      return;
    }
    if (fault !== undefined) {
      loseAnswer(res, fault);
      return;
    }
    res.writeHead(200, {
      'content-type': responseContentType,
      'content-length': String(Buffer.byteLength(out.body)),
      'x-amzn-requestid': requestId(),
      'x-amzn-invoked-production-variant': out.variant,
    });
    res.end(out.body);
  }

  function faultsRoute(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.method === 'POST') {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { rules?: FaultRules };
        options.faults.set(parsed.rules ?? {});
      } catch (e) {
        send(res, 400, { __type: 'ValidationException', message: e instanceof Error ? e.message : String(e) });
        return;
      }
    }
    send(res, 200, { rules: options.faults.get(), injected: options.faults.injected() });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, tooLarge } = await readBody(req, HARD_BODY_LIMIT);
    if (tooLarge) {
      sendError(res, new ApiError(413, 'ValidationError', 'Request Entity Too Large: the body exceeds 6 MB.'));
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/_sandbox/faults') {
      faultsRoute(req, res, body);
      return;
    }
    const invocation = /^\/endpoints\/([^/]+)\/invocations$/.exec(path);
    if (invocation && req.method === 'POST') {
      return runtime(req, res, decodeURIComponent(invocation[1] ?? ''), body);
    }
    if (path === '/' && req.method === 'POST') return controlPlane(req, res, body);
    sendError(res, new ApiError(404, 'UnknownOperationException', ''));
  }

  const { server, scheme } = createHttpOrHttpsServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ApiError) sendError(res, e);
      else sendError(res, new ApiError(500, 'InternalFailure', e instanceof Error ? e.message : String(e)));
    });
  }, options.tls);
  const port = await listen(server, options.host, options.port ?? 0);
  return {
    endpoint: `${scheme}://${urlHost(options.host)}:${port}`,
    stop: () => close(server),
  };
}
