// Integration tests wait on real brokers, consumer-group rebalances and model loading.
jest.setTimeout(120_000);
