import type { LogEvidence } from '../rca-case';
import {
  type BurstTestConfig,
  ErrorRateTracker,
  type ErrorRateTrackerJson,
} from './error-rate-tracker';
import {
  LogTemplateMiner,
  type LogTemplateMinerConfig,
  type LogTemplateMinerSnapshot,
  type UndoSteps,
} from './log-template-miner';

export type LogLineLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogLine {
  service: string;
  level: LogLineLevel;
  body: string;
  /** Epoch ms. */
  time: number;
  /** The trace and span the line was written in, when the source says (OpenTelemetry logs do). */
  traceId?: string;
  spanId?: string;
}

export interface LogAnomaly extends LogEvidence {
  /** A burst of one template's errors, of the service's errors (named by its commonest template), or a template. */
  scope: 'template' | 'service';
  /** Lines behind the evidence: the burst's error lines so far, or the new template's occurrences. */
  count: number;
  window: { start: number; end: number };
  detectedAt: number;
}

export interface LogAnomalyDetectorConfig {
  /** Counting resolution. 10 s sees a burst within seconds and still holds several lines per bucket. */
  bucketMs: number;
  /** Buckets of baseline (60 x 10 s = 10 min): long enough for a stable median, short enough to forget an old incident. */
  historyBuckets: number;
  /** No burst verdicts in a service's first minute: its baseline would be a handful of buckets. */
  minHistoryBuckets: number;
  /** Robust z over the baseline that makes a burst; counts are noisy, so this is well above 3. */
  burstThreshold: number;
  /** Absolute floor of error lines in a bucket: 0 -> 2 lines is far above a zero baseline yet no burst. */
  minBurstCount: number;
  /** Where a burst begins and ends: buckets this many scale units above the median belong to it. */
  burstOnsetThreshold: number;
  /** A service's templates are not news until it has logged this long: start-up prints lines never seen before. */
  warmupMs: number;
  /** How long a new template stays news: its repetitions in this time raise its score. */
  noveltyMs: number;
  /** Per-template error counters kept per service; the least recently erring is dropped past it. */
  maxTrackedTemplates: number;
  /** New templates followed per service at once; the oldest is dropped past it. */
  maxNovelTemplates: number;
  miner: Partial<LogTemplateMinerConfig>;
}

export const defaultLogAnomalyDetectorConfig: LogAnomalyDetectorConfig = {
  bucketMs: 10_000,
  historyBuckets: 60,
  minHistoryBuckets: 6,
  burstThreshold: 5,
  minBurstCount: 5,
  burstOnsetThreshold: 2,
  warmupMs: 5 * 60_000,
  noveltyMs: 10 * 60_000,
  maxTrackedTemplates: 200,
  maxNovelTemplates: 100,
  miner: {},
};

/**
 * Weight of a new template's level: an unseen error says more about a fault than an unseen debug
 * line, which is mostly a code path that rarely runs.
 */
const NOVELTY_LEVEL_WEIGHT: Record<LogLineLevel, number> = {
  trace: 0.25,
  debug: 0.5,
  info: 1,
  warn: 2,
  error: 4,
  fatal: 6,
};

const LEVEL_RANK: Record<LogLineLevel, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  fatal: 5,
};

/** A new template is reported when first seen and again at these multiples, so repetition shows without a report per line. */
const NOVELTY_REPORT_FACTOR = 4;

interface NovelTemplate {
  firstSeen: number;
  count: number;
  level: LogLineLevel;
  nextReport: number;
}

interface ServiceLogState {
  firstSeen: number;
  currentBucket: number;
  errors: ErrorRateTracker;
  templates: Map<string, ErrorRateTracker>;
  novel: Map<string, NovelTemplate>;
}

export interface LogAnomalyDetectorSnapshot {
  version: 1;
  config: LogAnomalyDetectorConfig;
  miner: LogTemplateMinerSnapshot;
  services: Array<{
    service: string;
    firstSeen: number;
    currentBucket: number;
    errors: ErrorRateTrackerJson;
    templates: Array<[templateId: string, tracker: ErrorRateTrackerJson]>;
    novel: Array<[templateId: string, novel: NovelTemplate]>;
  }>;
}

/**
 * A line that says its service failed: error and fatal, for error bursts and for
 * `log_error_lines` alike. Warnings are not failures: services warn about conditions of their
 * business (no seat left, an order not found) at rates that follow what users do: a load that
 * turns to booking trips makes an order service warn about seats dozens of times a minute while
 * nothing fails.
 */
export const isErrorLevel = (level: LogLineLevel): boolean =>
  level === 'error' || level === 'fatal';

/**
 * Log evidence per service: templates come from an online Drain miner; error/fatal lines are
 * counted per bucket overall and per template, and a count far above its robust baseline is an
 * error burst (reported once, when it opens); a template first seen after the service's warm-up
 * is a new template (reported when seen, and again as it repeats).
 */
export class LogAnomalyDetector {
  readonly config: LogAnomalyDetectorConfig;
  private readonly miner: LogTemplateMiner;
  private readonly services = new Map<string, ServiceLogState>();

  constructor(config: Partial<LogAnomalyDetectorConfig> = {}, miner?: LogTemplateMiner) {
    this.config = { ...defaultLogAnomalyDetectorConfig, ...config };
    this.miner = miner ?? new LogTemplateMiner(this.config.miner);
  }

  /** The miner behind the template ids, e.g. to list a service's templates. */
  get templateMiner(): LogTemplateMiner {
    return this.miner;
  }

  /**
   * The evidence `line` adds. With `undo`, also the steps that put the detector (and its miner)
   * back as it was before the line (see UndoSteps): a line observed again after them finds the same.
   */
  observe(line: LogLine, undo?: UndoSteps): LogAnomaly[] {
    if (!Number.isFinite(line.time)) return [];
    const state = this.stateOf(line.service, line.time, undo);
    const bucket = state.currentBucket;
    undo?.push(() => {
      state.currentBucket = bucket;
    });
    // A late line is counted in the current bucket: buckets already judged are not reopened.
    state.currentBucket = Math.max(
      state.currentBucket,
      Math.floor(line.time / this.config.bucketMs),
    );
    const time = Math.max(line.time, state.currentBucket * this.config.bucketMs);
    const match = this.miner.add(line.service, line.body, undo);
    const found: LogAnomaly[] = [];
    const novelty = this.followNovelty(state, line, match.templateId, match.isNew, undo);
    if (novelty)
      found.push(this.evidence(line.service, match.templateId, 'new-template', novelty, time));
    if (isErrorLevel(line.level))
      found.push(...this.countError(line.service, state, match.templateId, time, undo));
    return found;
  }

  snapshot(): LogAnomalyDetectorSnapshot {
    return {
      version: 1,
      config: { ...this.config, miner: { ...this.config.miner } },
      miner: this.miner.snapshot(),
      services: [...this.services].map(([service, state]) => ({
        service,
        firstSeen: state.firstSeen,
        currentBucket: state.currentBucket,
        errors: state.errors.toJSON(),
        templates: [...state.templates].map(([id, tracker]) => [id, tracker.toJSON()]),
        novel: [...state.novel].map(([id, novel]) => [id, { ...novel }]),
      })),
    };
  }

  static restore(snapshot: LogAnomalyDetectorSnapshot): LogAnomalyDetector {
    if (snapshot.version !== 1)
      throw new Error(`unknown log anomaly snapshot version ${String(snapshot.version)}`);
    const detector = new LogAnomalyDetector(
      snapshot.config,
      LogTemplateMiner.restore(snapshot.miner),
    );
    for (const saved of snapshot.services) {
      detector.services.set(saved.service, {
        firstSeen: saved.firstSeen,
        currentBucket: saved.currentBucket,
        errors: ErrorRateTracker.fromJSON(saved.errors),
        templates: new Map(
          saved.templates.map(([id, json]) => [id, ErrorRateTracker.fromJSON(json)]),
        ),
        novel: new Map(saved.novel.map(([id, novel]) => [id, { ...novel }])),
      });
    }
    return detector;
  }

  private stateOf(service: string, time: number, undo?: UndoSteps): ServiceLogState {
    let state = this.services.get(service);
    if (!state) {
      state = {
        firstSeen: time,
        currentBucket: Math.floor(time / this.config.bucketMs),
        errors: new ErrorRateTracker(),
        templates: new Map(),
        novel: new Map(),
      };
      this.services.set(service, state);
      undo?.push(() => this.services.delete(service));
    }
    return state;
  }

  /** The new-template report this line makes, if any: score, onset, count. */
  private followNovelty(
    state: ServiceLogState,
    line: LogLine,
    templateId: string,
    isNew: boolean,
    undo?: UndoSteps,
  ): { score: number; onset: number; count: number } | undefined {
    let novel = state.novel.get(templateId);
    if (undo && (novel || isNew)) {
      // The line may change, drop or add entries: all of them (at most maxNovelTemplates) come back.
      const before = [...state.novel].map(([id, entry]) => [id, { ...entry }] as const);
      undo.push(() => {
        state.novel = new Map(before);
      });
    }
    if (novel && line.time - novel.firstSeen > this.config.noveltyMs) {
      state.novel.delete(templateId);
      novel = undefined;
    }
    if (!novel) {
      if (!isNew || line.time - state.firstSeen < this.config.warmupMs) return undefined;
      novel = { firstSeen: line.time, count: 0, level: line.level, nextReport: 1 };
      state.novel.set(templateId, novel);
      if (state.novel.size > this.config.maxNovelTemplates) dropOldest(state.novel);
    }
    novel.count++;
    if (LEVEL_RANK[line.level] > LEVEL_RANK[novel.level]) novel.level = line.level;
    if (novel.count < novel.nextReport) return undefined;
    novel.nextReport = novel.count * NOVELTY_REPORT_FACTOR;
    const score = NOVELTY_LEVEL_WEIGHT[novel.level] * (1 + Math.log2(novel.count));
    return { score, onset: novel.firstSeen, count: novel.count };
  }

  private countError(
    service: string,
    state: ServiceLogState,
    templateId: string,
    time: number,
    undo?: UndoSteps,
  ): LogAnomaly[] {
    const test = this.burstTest();
    const startBucket = Math.floor(state.firstSeen / this.config.bucketMs);
    const bucket = state.currentBucket;
    const found: LogAnomaly[] = [];
    const tracker = this.templateTracker(state, templateId, undo);
    undo?.push(tracker.restorer(), state.errors.restorer());
    const templateBurst = tracker.add(bucket, time, startBucket, test);
    if (templateBurst)
      found.push(this.evidence(service, templateId, 'error-burst', templateBurst, time));
    const serviceBurst = state.errors.add(bucket, time, startBucket, test);
    if (serviceBurst) {
      // Named after the template with most errors in this bucket; skipped while that template is
      // in a burst of its own, which was reported already and says the same thing.
      const dominant = dominantTemplate(state, bucket) ?? templateId;
      if (!state.templates.get(dominant)?.inBurst) {
        const evidence = this.evidence(service, dominant, 'error-burst', serviceBurst, time);
        found.push({ ...evidence, scope: 'service' });
      }
    }
    return found;
  }

  private templateTracker(
    state: ServiceLogState,
    templateId: string,
    undo?: UndoSteps,
  ): ErrorRateTracker {
    let tracker = state.templates.get(templateId);
    if (!tracker) {
      if (undo) {
        // A copy of the map, so the trackers' order (ties of the dominant template) comes back too.
        const before = new Map(state.templates);
        undo.push(() => {
          state.templates = before;
        });
      }
      tracker = new ErrorRateTracker();
      state.templates.set(templateId, tracker);
      if (state.templates.size > this.config.maxTrackedTemplates)
        dropLeastRecent(state.templates, templateId);
    }
    return tracker;
  }

  private burstTest(): BurstTestConfig {
    const c = this.config;
    return {
      historyBuckets: c.historyBuckets,
      minHistoryBuckets: c.minHistoryBuckets,
      threshold: c.burstThreshold,
      minCount: c.minBurstCount,
      onsetThreshold: c.burstOnsetThreshold,
    };
  }

  private evidence(
    service: string,
    templateId: string,
    pattern: LogEvidence['pattern'],
    found: { score: number; onset: number; count: number },
    time: number,
  ): LogAnomaly {
    const template = this.miner.template(service, templateId)?.template ?? '';
    return {
      service,
      templateId,
      template,
      pattern,
      score: found.score,
      onset: found.onset,
      scope: 'template',
      count: found.count,
      window: { start: found.onset, end: time },
      detectedAt: time,
    };
  }
}

function dominantTemplate(state: ServiceLogState, bucket: number): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [id, tracker] of state.templates) {
    const count = tracker.countAt(bucket);
    if (count > bestCount) {
      best = id;
      bestCount = count;
    }
  }
  return best;
}

function dropOldest(novel: Map<string, NovelTemplate>): void {
  let oldest: string | undefined;
  let oldestTime = Number.POSITIVE_INFINITY;
  for (const [id, entry] of novel) {
    if (entry.firstSeen < oldestTime) {
      oldest = id;
      oldestTime = entry.firstSeen;
    }
  }
  if (oldest !== undefined) novel.delete(oldest);
}

function dropLeastRecent(trackers: Map<string, ErrorRateTracker>, keep: string): void {
  let victim: string | undefined;
  let victimBucket = Number.POSITIVE_INFINITY;
  for (const [id, tracker] of trackers) {
    if (id !== keep && tracker.lastBucket < victimBucket) {
      victim = id;
      victimBucket = tracker.lastBucket;
    }
  }
  if (victim !== undefined) trackers.delete(victim);
}
