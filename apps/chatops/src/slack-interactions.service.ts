import { Inject, Injectable, type LoggerService, type OnModuleInit } from '@nestjs/common';
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
} from '@slack/bolt';
import {
  answerVigilCommand,
  decisionFromClick,
  historyText,
  parseVigilCommand,
  type CardAction,
  type ClickEffect,
  type CommandAnswer,
  type SlackClick,
  type SlackUser,
} from '@vigil/chatops';
import { Topics, type RemediationDecision } from '@vigil/contracts';
import { decisionRefusal, IncidentBoard, incidentActionRefusal } from '@vigil/incident-view';
import { ed25519KeyFromFile } from '@vigil/config';
import { EventPublisher, VIGIL_LOGGER, VIGIL_SETTINGS } from '@vigil/messaging';
import { signDecision, type DecisionSigner } from '@vigil/remediation-engine';
import type { ChatopsSettings } from './chatops.config';
import { HistoryReader } from './history-reader';
import { SLACK_APP } from './slack-app';
import { withSlackIdentity } from './slack-audit-identity';
import { SlackGateway } from './slack-gateway';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const CARD_ACTIONS: ReadonlySet<string> = new Set<CardAction>(['approve', 'reject', 'acknowledge']);

function clickFrom({ body, action }: ButtonArgs): SlackClick | undefined {
  if (!CARD_ACTIONS.has(action.action_id) || !action.value) return undefined;
  return {
    action: action.action_id as CardAction,
    subject: action.value,
    slackUserId: body.user.id,
    slackUserName: body.user.username || body.user.name || body.user.id,
    requestId: action.action_ts,
  };
}

/**
 * The card's buttons and the /vigil command: who may do what is decided in @vigil/chatops with
 * the role rules of @vigil/access; allowed acts are published to Kafka, refusals are told to the
 * person alone, and nothing is published for them.
 */
@Injectable()
export class SlackInteractions implements OnModuleInit {
  private signer?: DecisionSigner;

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: ChatopsSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(SLACK_APP) private readonly app: App,
    @Inject(IncidentBoard) private readonly board: IncidentBoard,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(SlackGateway) private readonly slack: SlackGateway,
    @Inject(HistoryReader) private readonly history: HistoryReader,
  ) {}

  onModuleInit(): void {
    this.app.action<BlockAction<ButtonAction>>(
      { type: 'block_actions', action_id: /^(approve|reject|acknowledge)$/ },
      (args) => this.onClick(args),
    );
    this.app.command('/vigil', (args) => this.onCommand(args));
    this.app.error(async (error) => {
      this.logger.error(
        { msg: 'Slack listener failed', error: error.message },
        'SlackInteractions',
      );
    });
  }

  private async onClick(args: ButtonArgs): Promise<void> {
    // Slack wants an answer within 3 s; what follows is told to the user or shown on the card.
    await args.ack();
    const click = clickFrom(args);
    if (!click) return;
    const channel = args.body.channel?.id ?? this.settings.slack.channel;
    const outcome = decisionFromClick(click, this.settings.userRoles, new Date().toISOString());
    const stale = outcome.kind === 'refused' ? undefined : this.staleness(outcome);
    if (stale)
      return this.tell(channel, click.slackUserId, `Vigil did not ${click.action}: ${stale}`);
    if (outcome.kind === 'refused') {
      this.logger.log(
        { msg: 'Slack click refused', ...click, reason: outcome.reason },
        'SlackInteractions',
      );
      return this.tell(
        channel,
        click.slackUserId,
        `Vigil did not ${click.action}: ${outcome.reason}`,
      );
    }
    try {
      await this.record(outcome, click);
    } catch (error) {
      this.logger.error(
        { msg: 'could not publish a Slack click', ...click, error: (error as Error).message },
        'SlackInteractions',
      );
      await this.tell(
        channel,
        click.slackUserId,
        `Vigil could not record your ${click.action}; nothing changed, please try again.`,
      );
    }
  }

  private async onCommand({ command, ack }: CommandArgs): Promise<void> {
    const user = {
      slackUserId: command.user_id,
      slackUserName: command.user_name || command.user_id,
    };
    const answer = answerVigilCommand(parseVigilCommand(command.text), {
      board: this.board,
      roles: this.settings.userRoles,
      user,
      requestId: command.trigger_id,
      at: new Date().toISOString(),
      planTtlMs: this.settings.planTtlMs,
    });
    let text = await this.withHistory(answer);
    if (answer.effect) {
      try {
        await this.record(answer.effect, user);
      } catch (error) {
        this.logger.error(
          { msg: 'could not publish a /vigil command', error: (error as Error).message },
          'SlackInteractions',
        );
        text = 'Vigil could not record that; nothing changed, please try again.';
      }
    }
    await ack({ response_type: 'ephemeral', text });
  }

  /** The answer's text, or the store's page when it asks for history (its text if unreadable). */
  private async withHistory(answer: CommandAnswer): Promise<string> {
    if (!answer.history) return answer.text;
    const page = await this.history.page(answer.history);
    return page ? historyText(answer.history, page) : answer.text;
  }

  /** An old card's button must not act on a finished plan or a resolved incident. */
  private staleness(effect: ClickEffect): string | undefined {
    if (effect.kind === 'policy') return undefined;
    if (effect.kind === 'decision') {
      const { planId, decision } = effect.decision;
      const plan = this.board.plan(planId);
      return decision === 'cancel'
        ? undefined
        : decisionRefusal(plan, planId, decision, {
            incident: plan && this.board.get(plan.plan.incidentId),
            now: Date.now(),
            planTtlMs: this.settings.planTtlMs,
          });
    }
    const { incidentId, action } = effect.action;
    return incidentActionRefusal(this.board.get(incidentId), incidentId, action);
  }

  /** Published with the Slack user id as who acted (the audit), the display name only shown. */
  private async record(asked: ClickEffect, user: SlackUser): Promise<void> {
    const effect = withSlackIdentity(asked, user);
    if (effect.kind === 'decision')
      await this.publisher.publish(Topics.remediationDecisions, this.signed(effect.decision));
    else if (effect.kind === 'policy')
      await this.publisher.publish(Topics.alertPolicy, effect.event);
    else await this.publisher.publish(Topics.incidentActions, effect.action);
    this.logger.log({ msg: 'recorded from Slack', ...effect }, 'SlackInteractions');
  }

  /**
   * Bound to the plan as the card showed it, and signed with the app's key: the executor counts
   * no decision it cannot trace to the console or this app. A plan the board does not know (yet)
   * gets no content hash, and an executor with keys refuses the decision.
   */
  private signed(decision: RemediationDecision): RemediationDecision {
    const plan = this.board.plan(decision.planId)?.plan;
    this.signer ??= {
      keyId: this.settings.decisionKey.keyId,
      privateKey: ed25519KeyFromFile(this.settings.decisionKey.file).privateKey,
    };
    if (!plan) return decision;
    return signDecision(decision, plan, this.signer);
  }

  private async tell(channel: string, user: string, text: string): Promise<void> {
    try {
      await this.slack.tellUser(channel, user, text);
    } catch (error) {
      this.logger.warn(
        { msg: 'chat.postEphemeral failed', user, error: (error as Error).message },
        'SlackInteractions',
      );
    }
  }
}
