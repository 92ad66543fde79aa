export * from './otlp-model';
export * from './otlp-decode';
export * from './otlp-entity';
export * from './otlp-log-records';
export * from './call-span-joiner';
export * from './otlp-trace-spans';
