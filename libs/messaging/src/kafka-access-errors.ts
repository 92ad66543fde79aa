import type { Kafka } from 'kafkajs';
import type { KafkaSettings } from './kafka-settings';

/**
 * The broker refused who the app is (authentication) or what it asked for (an ACL). The message
 * says which user, and which ACL is missing, instead of kafkajs's "Topic authorization failed".
 */
export class KafkaAccessError extends Error {
  /** Neither a retry nor waiting fixes a refusal: the cluster's configuration must change. */
  readonly retriable = false;

  constructor(
    message: string,
    readonly kind: 'authentication' | 'authorization',
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaAccessError';
  }
}

/** What the refused call was about: the ACL it needed is this operation on these resources. */
export interface KafkaCall {
  operation: 'WRITE' | 'READ' | 'DESCRIBE' | 'CREATE' | 'ALTER' | 'DELETE';
  topics: string[];
  group?: string;
}

type ErrorFields = { name?: unknown; type?: unknown; message?: unknown };

function chain(error: unknown): ErrorFields[] {
  const found: ErrorFields[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && found.length < 10) {
    found.push(current as ErrorFields);
    const record = current as { cause?: unknown; originalError?: unknown };
    current = record.cause ?? record.originalError;
  }
  return found;
}

const user = (settings: KafkaSettings) =>
  settings.sasl ? `user "${settings.sasl.username}"` : 'this client (no SASL user: ANONYMOUS)';
const principal = (settings: KafkaSettings) =>
  `User:${settings.sasl ? settings.sasl.username : 'ANONYMOUS'}`;

function missingAcl(settings: KafkaSettings, resource: string, operation: string): string {
  return `the broker has no ACL allowing ${principal(settings)} ${operation} on ${resource}`;
}

function topicRefusal(settings: KafkaSettings, call: KafkaCall): string {
  const topics = call.topics.length > 0 ? call.topics : ['(the topics of this call)'];
  const acls = topics.map((t) => missingAcl(settings, `Topic:${t}`, call.operation));
  return `Kafka refused ${user(settings)} ${call.operation} on topic ${topics.join(', ')}: ${acls.join('; ')} (docs/kafka-security.md)`;
}

/**
 * The refusal in words a person can act on, or the error itself when it is no refusal. `call`
 * names what was asked, when the caller knows it.
 */
export function explainKafkaError(
  error: unknown,
  settings: KafkaSettings,
  call?: KafkaCall,
): unknown {
  const links = chain(error);
  if (
    links.some(
      (e) => e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED',
    )
  ) {
    const mechanism = settings.sasl?.mechanism.toUpperCase() ?? 'SASL';
    return new KafkaAccessError(
      `Kafka authentication failed for ${user(settings)} with ${mechanism} at ${settings.brokers.join(',')}: ` +
        'wrong user name or password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE)',
      'authentication',
      { cause: error },
    );
  }
  const type = links
    .map((e) => e.type)
    .find((t) => typeof t === 'string' && t.endsWith('_AUTHORIZATION_FAILED'));
  if (type === 'TOPIC_AUTHORIZATION_FAILED')
    return new KafkaAccessError(
      topicRefusal(settings, call ?? { operation: 'DESCRIBE', topics: [] }),
      'authorization',
      { cause: error },
    );
  if (type === 'GROUP_AUTHORIZATION_FAILED') {
    const group = call?.group ?? '(the group of this consumer)';
    return new KafkaAccessError(
      `Kafka refused ${user(settings)} the consumer group ${group}: ${missingAcl(settings, `Group:${group}`, 'READ')} (docs/kafka-security.md)`,
      'authorization',
      { cause: error },
    );
  }
  if (type === 'CLUSTER_AUTHORIZATION_FAILED')
    return new KafkaAccessError(
      `Kafka refused ${user(settings)} a cluster operation: ${missingAcl(settings, 'Cluster:kafka-cluster', call?.operation ?? 'ALTER')}`,
      'authorization',
      { cause: error },
    );
  return error;
}

/** The broker refused the call for want of an ACL (topic, group or cluster). */
export function isAuthorizationRefusal(error: unknown): boolean {
  return chain(error).some(
    (e) => typeof e.type === 'string' && e.type.endsWith('_AUTHORIZATION_FAILED'),
  );
}

type Describe = (method: string, args: unknown[]) => KafkaCall | undefined;

function topicsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = value as {
    topic?: unknown;
    topics?: unknown;
    topicMessages?: Array<{ topic: string }>;
  };
  if (typeof v.topic === 'string') return [v.topic];
  if (Array.isArray(v.topics)) return v.topics.filter((t): t is string => typeof t === 'string');
  if (Array.isArray(v.topicMessages)) return v.topicMessages.map((m) => m.topic);
  return [];
}

const describeProducerCall: Describe = (method, args) =>
  method === 'send' || method === 'sendBatch'
    ? { operation: 'WRITE', topics: topicsOf(args[0]) }
    : { operation: 'WRITE', topics: [] };

const describeConsumerCall =
  (group: string | undefined): Describe =>
  (method, args) => ({
    operation: 'READ',
    topics: method === 'subscribe' ? topicsOf(args[0]) : [],
    group,
  });

const describeAdminCall: Describe = (method, args) => {
  if (method === 'createTopics') return { operation: 'CREATE', topics: topicsOf(args[0]) };
  if (method === 'fetchTopicOffsets') return { operation: 'DESCRIBE', topics: [String(args[0])] };
  if (method === 'fetchOffsets' || method === 'deleteGroups') {
    const group = (args[0] as { groupId?: string } | undefined)?.groupId;
    return { operation: method === 'deleteGroups' ? 'DELETE' : 'DESCRIBE', topics: [], group };
  }
  return { operation: 'DESCRIBE', topics: topicsOf(args[0]) };
};

/** The same object, whose promise-returning methods reject with explained refusals. */
function explaining<T extends object>(target: T, settings: KafkaSettings, describe: Describe): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(object, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw explainKafkaError(error, settings, describe(property, args));
        });
      };
    },
  });
}

/** The client whose producers, consumers and admins explain refusals (KafkaAccessError). */
export function withAccessErrors(kafka: Kafka, settings: KafkaSettings): Kafka {
  return new Proxy(kafka, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (property === 'producer')
        return (...args: Parameters<Kafka['producer']>) =>
          explaining(object.producer(...args), settings, describeProducerCall);
      if (property === 'consumer')
        return (...args: Parameters<Kafka['consumer']>) =>
          explaining(object.consumer(...args), settings, describeConsumerCall(args[0]?.groupId));
      if (property === 'admin')
        return (...args: Parameters<Kafka['admin']>) =>
          explaining(object.admin(...args), settings, describeAdminCall);
      return value;
    },
  });
}
