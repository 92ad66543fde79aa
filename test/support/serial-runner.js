// The integration tests' runner: Jest's own, one test file at a time. They share one Kafka, one
// Neo4j and two cores, and several start a whole shop, so two at once would starve each other's
// waits. Jest has no per-project worker count; a runner marked serial is how a project asks to
// run in band while the unit tests still spread over every worker.
const TestRunner = require('jest-runner').default;

class SerialRunner extends TestRunner {
  constructor(globalConfig, context) {
    super(globalConfig, context);
    // an instance field of the base class, so it is set here rather than as a getter
    this.isSerial = true;
  }
}

module.exports = SerialRunner;
