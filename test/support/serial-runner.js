// The integration tests' runner: Jest's own, one test file at a time. The files share one Kafka's
// topics (a correlator one file starts would also take the alerts another file sends) and two
// cores, on which several run a whole shop. Jest has no per-project worker count; a runner marked
// serial is how a project asks to run in band while the unit tests still spread over the workers.
const TestRunner = require('jest-runner').default;

class SerialRunner extends TestRunner {
  constructor(globalConfig, context) {
    super(globalConfig, context);
    // an instance field of the base class, so it is set here rather than as a getter
    this.isSerial = true;
  }
}

module.exports = SerialRunner;
