import { IncidentBoard } from '@vigil/incident-view';
import {
  HISTORY_UNREADABLE,
  type HistoryRequest,
  type HistoryRow,
  historyStoreQuery,
  historyText,
  parseHistoryCommand,
} from './history-command';
import { parseVigilCommand } from './slack-decisions';
import { answerVigilCommand, type CommandContext } from './vigil-command-answers';

const at = '2026-11-27T10:10:00.000Z';
const now = Date.parse(at);
const roles = { U2: 'responder', U3: 'viewer' } as const;

function ask(text: string, user: string) {
  const ctx: CommandContext = {
    board: new IncidentBoard(),
    roles,
    user: { slackUserId: user, slackUserName: `user-${user}` },
    requestId: 'trigger-1',
    at,
  };
  return answerVigilCommand(parseVigilCommand(text), ctx);
}

function parsed(text: string): HistoryRequest {
  const request = parseHistoryCommand(text, now);
  if ('error' in request) throw new Error(request.error);
  return request;
}

const errorOf = (text: string) => {
  const request = parseHistoryCommand(text, now);
  return 'error' in request ? request.error : undefined;
};

function row(id: string, openedAt: string, extra: Partial<HistoryRow> = {}): HistoryRow {
  return {
    id,
    title: `checkout errors ${id}`,
    severity: 'critical',
    status: 'resolved',
    services: ['checkout'],
    openedAt,
    ...extra,
  };
}

describe('parseHistoryCommand', () => {
  it('takes words and every filter, in any order, for the store', () => {
    const request = parsed(
      'Checkout  service=checkout-api timeout severity=critical,error status=resolved since=7d page=3',
    );
    expect(request).toEqual({
      words: 'checkout timeout',
      service: 'checkout-api',
      severity: ['critical', 'error'],
      status: ['resolved'],
      since: { text: '7d', ms: now - 7 * 86_400_000 },
      page: 3,
    });
    expect(historyStoreQuery(request)).toEqual({
      q: 'checkout timeout',
      service: 'checkout-api',
      severity: ['critical', 'error'],
      status: ['resolved'],
      since: now - 7 * 86_400_000,
      limit: 10,
      offset: 20,
    });
  });

  it('lists everything newest first without words or filters', () => {
    expect(parsed('')).toEqual({ page: 1 });
    expect(historyStoreQuery(parsed(''))).toEqual({ limit: 10, offset: 0 });
  });

  it('reads since as a while ago, a day from its start in UTC, or an ISO time', () => {
    expect(parsed('since=24h').since?.ms).toBe(now - 86_400_000);
    expect(parsed('since=2026-11-01').since?.ms).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(parsed('since=2026-11-01T08:00:00+01:00').since?.ms).toBe(
      Date.parse('2026-11-01T07:00:00Z'),
    );
  });

  it('lower-cases the words (AND, OR, NOT would be operators) and drops bare punctuation', () => {
    expect(parsed('Disk AND -- full').words).toBe('disk and full');
  });

  it('names what is wrong, and never throws', () => {
    expect(errorOf('team=payments')).toBe(
      'unknown filter "team": use service=, severity=, status=, since= or page=',
    );
    expect(errorOf('severity=fatal')).toBe(
      'bad severity "fatal": use critical, error, warning or info',
    );
    expect(errorOf('status=open,closed')).toBe(
      'bad status "closed": use open, acknowledged or resolved',
    );
    expect(errorOf('since=yesterday')).toBe(
      'bad since "yesterday": write a while ago (24h, 7d) or a date (2026-11-01)',
    );
    expect(errorOf('since=2026-02-30')).toMatch(/^bad since "2026-02-30"/);
    expect(errorOf('page=0')).toBe('bad page "0": a whole number from 1 to 10000');
    expect(errorOf('page=-1')).toMatch(/^bad page "-1"/);
    expect(errorOf('page=2.5')).toMatch(/^bad page "2.5"/);
    expect(errorOf('service=')).toBe('service= needs a value');
    expect(errorOf('status=open status=resolved')).toBe('status= is given twice');
    expect(errorOf('-- ??')).toBe('nothing to search for in "-- ??": give words with letters');
    expect(errorOf('x'.repeat(201))).toBe('the words are too long: at most 200 characters');
  });
});

describe('/vigil history', () => {
  it('asks the store for a viewer, with the reply for a store that cannot be read', () => {
    expect(ask('history checkout status=resolved', 'U3')).toEqual({
      text: HISTORY_UNREADABLE,
      history: { words: 'checkout', status: ['resolved'], page: 1 },
    });
  });

  it('refuses people without a role', () => {
    const answer = ask('history checkout', 'U9');
    expect(answer.history).toBeUndefined();
    expect(answer.text).toMatch(/^Slack user user-U9 \(U9\) has no Vigil role/);
  });

  it('says what is wrong and how to write it, escaped', () => {
    const answer = ask('history <!channel> severity=<b>', 'U3');
    expect(answer.history).toBeUndefined();
    expect(answer.text.split('\n')).toEqual([
      'bad severity "&lt;b&gt;": use critical, error, warning or info',
      expect.stringMatching(/^Write it as \/vigil history WORDS service=NAME/),
    ]);
  });
});

describe('historyText', () => {
  it('lists a page newest first with status, severity, services, title and opening time', () => {
    const text = historyText(parsed('checkout'), {
      incidents: [
        row('inc-1', '2026-11-20T08:00:00Z'),
        row('inc-2', '2026-11-25T09:30:00Z', {
          status: 'open',
          severity: 'warning',
          title: 'disk <!here> filling',
          services: ['a', 'b', 'c', 'd', 'e'],
        }),
      ],
    });
    expect(text.split('\n')).toEqual([
      '• `inc-2` open [warning] disk &lt;!here&gt; filling · a, b, c +2 · opened 2026-11-25 09:30 UTC',
      '• `inc-1` resolved [critical] checkout errors inc-1 · checkout · opened 2026-11-20 08:00 UTC',
      'page 1 of 1',
    ]);
  });

  it('gives the command for the next page while more follow, and ends with page N of N', () => {
    const request = parsed('checkout service=checkout status=open,resolved since=7d page=2');
    const more = historyText(request, {
      incidents: [row('inc-1', '2026-11-20T08:00:00Z')],
      nextOffset: 20,
    });
    expect(more.split('\n').at(-1)).toBe(
      'page 2; more: /vigil history checkout service=checkout status=open,resolved since=7d page=3',
    );
    const last = historyText(request, { incidents: [row('inc-1', '2026-11-20T08:00:00Z')] });
    expect(last.split('\n').at(-1)).toBe('page 2 of 2');
  });

  it('shortens long titles', () => {
    const [line] = historyText(parsed(''), {
      incidents: [row('inc-1', '2026-11-20T08:00:00Z', { title: 'x'.repeat(400) })],
    }).split('\n');
    expect(line).toContain(`${'x'.repeat(149)}…`);
    expect(line).not.toContain('x'.repeat(150));
  });

  it('says nothing was found, and a page past the end says where to start again', () => {
    expect(historyText(parsed('<b>disk service=db'), { incidents: [] })).toBe(
      'Nothing found for &lt;b&gt;disk service=db.',
    );
    expect(historyText(parsed(''), { incidents: [] })).toBe(
      'Nothing found: the incident store is empty.',
    );
    expect(historyText(parsed('disk page=4'), { incidents: [] })).toBe(
      'Nothing on page 4: the incidents found end before it; /vigil history disk page=1 starts again.',
    );
  });
});
