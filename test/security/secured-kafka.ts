import { PrivateKafka } from '../support/private-kafka';

/**
 * A secured Kafka of its own (TLS, SCRAM, ACLs): the security suite's broker, started with no flag
 * as `npm run infra:up` starts it, so the suite also shows that the launcher's default is secured.
 */
export class SecuredKafka extends PrivateKafka {
  constructor() {
    super(true, 'default');
  }
}
