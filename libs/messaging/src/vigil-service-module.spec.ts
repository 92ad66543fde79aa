import { Inject, Injectable, type LoggerService, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ServiceConsumers } from './service-consumers';
import { VIGIL_LOGGER, VIGIL_SETTINGS, vigilServiceModule } from './vigil-service-module';

@Injectable()
class NeedsBoth {
  constructor(
    @Inject(VIGIL_SETTINGS) readonly settings: { port: number },
    @Inject(VIGIL_LOGGER) readonly logger: LoggerService,
  ) {}
}

@Module({})
class AppModule {}

describe('vigilServiceModule', () => {
  it("gives every app's services its settings and logger under one token each", async () => {
    const settings = { port: 3000 };
    const logger: LoggerService = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
    // no kafka in the settings: no Kafka client, so this runs without a broker
    const moduleRef = await Test.createTestingModule({
      imports: [
        vigilServiceModule({ module: AppModule, settings, logger, providers: [NeedsBoth] }),
      ],
    }).compile();
    const service = moduleRef.get(NeedsBoth);
    expect(service.settings).toBe(settings);
    expect(service.logger).toBe(logger);
    await moduleRef.close();
  });

  it('gives an app with Kafka its ServiceConsumers, and an app without none', async () => {
    const logger: LoggerService = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };
    const kafka = { brokers: ['localhost:9092'], clientId: 'vigil-spec' };
    // compiled, not started: the client connects to no broker
    const withKafka = await Test.createTestingModule({
      imports: [
        vigilServiceModule({ module: AppModule, settings: { kafka }, logger, providers: [] }),
      ],
    }).compile();
    expect(withKafka.get(ServiceConsumers)).toBeInstanceOf(ServiceConsumers);
    const without = await Test.createTestingModule({
      imports: [vigilServiceModule({ module: AppModule, settings: {}, logger, providers: [] })],
    }).compile();
    expect(() => without.get(ServiceConsumers)).toThrow();
  });
});
