import { errorBody, type OpenAiErrorBody, type OpenAiErrorType } from './openai-wire';

/** A failure with the HTTP status and OpenAI error body the client should get. */
export class GatewayError extends Error {
  readonly body: OpenAiErrorBody;

  constructor(
    readonly status: number,
    message: string,
    type: OpenAiErrorType,
    param: string | null = null,
    code: string | null = null,
  ) {
    super(message);
    this.name = 'GatewayError';
    this.body = errorBody(message, type, param, code);
  }

  static badRequest(
    message: string,
    param: string | null = null,
    code: string | null = null,
  ): GatewayError {
    return new GatewayError(400, message, 'invalid_request_error', param, code);
  }

  static unknownModel(model: string, known: readonly string[]): GatewayError {
    return new GatewayError(
      404,
      `The model "${model}" does not exist here; models: ${known.join(', ')}`,
      'invalid_request_error',
      'model',
      'model_not_found',
    );
  }
}
