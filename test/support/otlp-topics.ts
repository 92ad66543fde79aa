/**
 * The OpenTelemetry Collector topics of one run: its shop's SDK writes there and its signals reads
 * there, apart from the demo's `otlp_spans` / `otlp_logs` and from every other run on the broker.
 */
export function runOtlpTopics(runId: string) {
  const traces = `vigil-test-otlp-spans-${runId}`;
  const logs = `vigil-test-otlp-logs-${runId}`;
  return {
    shop: { SHOP_OTLP_TRACES_TOPIC: traces, SHOP_OTLP_LOGS_TOPIC: logs },
    signals: { SIGNALS_OTLP_TRACES_TOPIC: traces, SIGNALS_OTLP_LOGS_TOPIC: logs },
  };
}
