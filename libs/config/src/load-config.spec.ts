import { z } from 'zod';
import { envHostPortList, envPort, envUrl } from './env-types';
import { ConfigError, loadConfig } from './load-config';

const schema = z.object({
  KAFKA_BROKERS: envHostPortList('localhost:9092'),
  NEO4J_URI: envUrl('bolt://localhost:7687', ['bolt', 'neo4j']),
  PORT: envPort(3000),
});

describe('loadConfig', () => {
  it('applies defaults and parses lists and numbers', () => {
    expect(loadConfig('test', schema, {})).toEqual({
      KAFKA_BROKERS: ['localhost:9092'],
      NEO4J_URI: 'bolt://localhost:7687',
      PORT: 3000,
    });
    expect(loadConfig('test', schema, { KAFKA_BROKERS: 'a:1, b:2', PORT: '8080' })).toMatchObject({
      KAFKA_BROKERS: ['a:1', 'b:2'],
      PORT: 8080,
    });
  });

  it('names every wrong variable, what it should be and what it was', () => {
    let error: unknown;
    try {
      loadConfig('topology-sync', schema, {
        KAFKA_BROKERS: 'localhost',
        NEO4J_URI: 'http://x',
        PORT: 'abc',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('topology-sync: invalid configuration');
    expect(message).toMatch(
      /KAFKA_BROKERS: must be a comma-separated list of host:port.*got "localhost"/,
    );
    expect(message).toMatch(/NEO4J_URI: must be a URL with scheme bolt or neo4j.*got "http:\/\/x"/);
    expect(message).toMatch(/PORT: .*got "abc"/);
  });
});
