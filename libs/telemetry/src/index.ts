export * from './telemetry-bootstrap';
export * from './json-logger';
export * from './metrics-registry';
export * from './metrics.controller';
export * from './telemetry.module';
export * from './kafka-otlp-exporter';
