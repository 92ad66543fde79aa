import { PrivateKafka } from '../support/private-kafka';

/** A secured Kafka of its own (TLS, SCRAM, ACLs): the security suite's broker. */
export class SecuredKafka extends PrivateKafka {
  constructor() {
    super(true);
  }
}
