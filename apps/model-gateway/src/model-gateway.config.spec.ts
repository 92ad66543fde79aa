import { loadEnvConfig } from '@vigil/config';
import { ggufPath, modelGatewayEnv } from './model-gateway.config';

describe('model-gateway configuration', () => {
  it('has working defaults and treats a blank API key as none', () => {
    const config = loadEnvConfig(modelGatewayEnv, { MODEL_GATEWAY_API_KEY: '' });
    expect(config).toMatchObject({
      port: 3107,
      chatModel: 'gemma-3-270m',
      contextSize: 2048,
      timeoutMs: 120_000,
      apiKey: undefined,
    });
    expect(ggufPath(config, () => '/models')).toBe('/models/gguf/gemma-3-270m-Q4_K_M.gguf');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadEnvConfig(modelGatewayEnv, { MODEL_GATEWAY_THREADS: 'two' })).toThrow(
      'MODEL_GATEWAY_THREADS: must be a whole number of threads (got "two")',
    );
  });
});
