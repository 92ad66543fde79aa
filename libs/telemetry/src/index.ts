export * from './telemetry-bootstrap';
export * from './json-logger';
export * from './metrics-registry';
export * from './metrics.controller';
export * from './telemetry.module';
// The Kafka OTLP exporters are `@vigil/telemetry/kafka-export`: they load the OTLP serializers
// (protobufjs and about 1 MiB of generated code), which only the demo shop needs.
