export * from './kafka-settings';
export * from './service-env';
export * from './kafka-client';
export * from './topic-provisioner';
export * from './trace-headers';
export * from './retry-policy';
export * from './event-publisher';
export * from './dead-letter';
export * from './contract-consumer';
export * from './service-consumers';
export * from './messaging.module';
export * from './vigil-service-bootstrap';
export * from './changelog-reader';
export * from './stateful-partition-consumer';
export * from './vigil-service-module';
// Specs: Kafka in memory under a service's real publisher and consumers.
export * from './testing/in-memory-kafka';
export * from './testing/service-spec';
