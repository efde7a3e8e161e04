/** An error answered in AWS's JSON error shape (`__type`, message, `x-amzn-ErrorType`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** SageMaker's modelled errors (ResourceNotFound, ResourceInUse, …) name their member `Message`. */
    readonly modelled = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 ValidationException, the answer to most bad requests. */
export function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationException', message);
}

export function resourceNotFound(message: string): ApiError {
  return new ApiError(400, 'ResourceNotFound', message, true);
}

export function resourceInUse(message: string): ApiError {
  return new ApiError(400, 'ResourceInUse', message, true);
}

export function resourceLimitExceeded(message: string): ApiError {
  return new ApiError(400, 'ResourceLimitExceeded', message, true);
}

/** Runtime (InvokeEndpoint) validation errors are named `ValidationError` in its model. */
export function runtimeValidation(message: string, status = 400): ApiError {
  return new ApiError(status, 'ValidationError', message);
}

/** The container answered with an error: InvokeEndpoint reports 424 ModelError. */
export function modelError(originalStatus: number, message: string): ApiError {
  return new ApiError(
    424,
    'ModelError',
    `Received client error (${originalStatus}) from primary with message "${message}". See CloudWatch logs for more details.`,
  );
}
