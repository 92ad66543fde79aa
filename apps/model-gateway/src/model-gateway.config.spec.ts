import { loadConfig } from '@vigil/config';
import { ggufPath, modelGatewayEnvSchema } from './model-gateway.config';

describe('model-gateway configuration', () => {
  it('has working defaults and treats a blank API key as none', () => {
    const config = loadConfig('model-gateway', modelGatewayEnvSchema, {
      MODEL_GATEWAY_API_KEY: '',
    });
    expect(config).toMatchObject({
      MODEL_GATEWAY_PORT: 3107,
      MODEL_GATEWAY_CHAT_MODEL: 'gemma-3-270m',
      MODEL_GATEWAY_CONTEXT_SIZE: 2048,
      MODEL_GATEWAY_API_KEY: undefined,
    });
    expect(ggufPath(config, () => '/models')).toBe('/models/gguf/gemma-3-270m-Q4_K_M.gguf');
  });

  it('names the variable that is wrong', () => {
    expect(() =>
      loadConfig('model-gateway', modelGatewayEnvSchema, { MODEL_GATEWAY_THREADS: 'two' }),
    ).toThrow('MODEL_GATEWAY_THREADS: must be a whole number of threads (got "two")');
  });
});
