/**
 * Online log template mining after Drain (He, Zhu, Zheng and Lyu, "Drain: An Online Log Parsing
 * Approach with Fixed Depth Tree", ICWS 2017): variables are masked, a fixed-depth tree keyed by
 * token count and leading tokens picks a few candidate clusters, and a message joins the most
 * similar one (generalising differing positions to `<*>`) or starts a new one.
 */

export const TEMPLATE_WILDCARD = '<*>';

/**
 * How to put back what some calls changed: a call given `undo` pushes the steps that undo its
 * changes; `undoAll` runs them, the last pushed first. The steps are exact (the order of maps
 * and lists comes back too), so that what is observed again after an undo finds what it found the
 * first time.
 */
export type UndoSteps = Array<() => void>;

/** Runs the steps, the last pushed first, and empties the list. */
export function undoAll(undo: UndoSteps): void {
  for (let step = undo.pop(); step; step = undo.pop()) step();
}

export interface LogTemplateMinerConfig {
  /**
   * Tree depth counting the root and the token-count layer: depth 4 routes by the first two tokens,
   * which mostly name the statement ("connection refused", "order <*>"), so statements that
   * differ only there never compete for one template. (Drain3's depth 4 routes by one token and
   * would merge "connection refused to <*>" with "connection established to <*>"; the price
   * here is that an unmasked name in the first two tokens starts its own template.)
   */
  depth: number;
  /**
   * Share of positions that must agree to join a cluster. Drain uses about 0.4-0.5: lower merges
   * different statements, higher splits one statement whose variables the masks missed.
   */
  similarityThreshold: number;
  /** Children per tree node; past it, unseen tokens share the wildcard child, bounding the tree when a variable slips past the masks. */
  maxChildren: number;
  /** Templates kept per service; the least recently matched is forgotten past it, bounding memory. */
  maxClustersPerService: number;
  /** Tokens kept from a message; the rest of a very long line seldom says which statement it is. */
  maxTokens: number;
}

export const defaultLogTemplateMinerConfig: LogTemplateMinerConfig = {
  depth: 4,
  similarityThreshold: 0.5,
  maxChildren: 100,
  maxClustersPerService: 1000,
  maxTokens: 64,
};

export interface TemplateMatch {
  /** Stable for the life of the template: derived from the service and its first form. */
  templateId: string;
  /** The template now, after this message generalised it. */
  template: string;
  isNew: boolean;
}

export interface TemplateSummary {
  templateId: string;
  template: string;
  count: number;
}

interface TreeNodeJson {
  children?: Array<[string, TreeNodeJson]>;
  clusterIds?: string[];
}

export interface LogTemplateMinerSnapshot {
  version: 1;
  config: LogTemplateMinerConfig;
  services: Array<{
    service: string;
    clock: number;
    clusters: Array<{ id: string; template: string; count: number; lastUsed: number }>;
    tree: TreeNodeJson;
  }>;
}

interface Cluster {
  id: string;
  tokens: string[];
  count: number;
  lastUsed: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusterIds: string[];
}

interface ServiceTree {
  root: TreeNode;
  clusters: Map<string, Cluster>;
  leafOf: Map<string, TreeNode>;
  /** Messages seen; orders clusters by recency for eviction without reading a clock. */
  clock: number;
}

// Masks run in order: the specific shapes first, so an IP is not read as four numbers.
const MASKS: ReadonlyArray<[RegExp, string]> = [
  // Quoted values without spaces are names, ids and paths. Quoted phrases are left alone: in
  // logfmt (msg="payment failed") the phrase is the statement itself.
  [/(?<=^|[\s=(:,[])(["'])[^\s"']{1,256}\1(?=$|[\s,.;:)\]}])/g, TEMPLATE_WILDCARD],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, TEMPLATE_WILDCARD],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, TEMPLATE_WILDCARD],
  [/\b0x[0-9a-f]+\b/gi, TEMPLATE_WILDCARD],
  // Hex ids (hashes, trace ids, pod suffixes): eight or more hex digits, at least one a digit.
  [/\b(?=[a-f]*\d)[0-9a-f]{8,}\b/gi, TEMPLATE_WILDCARD],
  // Durations and sizes, with or without a space before the unit, become one token either way.
  [
    /(?<![\w.])\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hours?|[KMGT]i?B|bytes?)\b/g,
    TEMPLATE_WILDCARD,
  ],
  [/(?<![\w.])[-+]?\d+(?:\.\d+)*(?![\w])/g, TEMPLATE_WILDCARD],
];

/** The message with its variables replaced by `<*>`; only the first line (a stack trace's frames vary with the call path). */
export function maskVariables(message: string): string {
  const newline = message.indexOf('\n');
  let text = newline < 0 ? message : message.slice(0, newline);
  for (const [pattern, replacement] of MASKS) text = text.replace(pattern, replacement);
  return text.trim();
}

function tokenize(message: string, maxTokens: number): string[] {
  const masked = maskVariables(message);
  if (masked === '') return [];
  const tokens = masked.split(/\s+/);
  return tokens.length > maxTokens ? tokens.slice(0, maxTokens) : tokens;
}

const HAS_DIGIT = /\d/;

/** Tokens with digits are variables the masks missed: they route through the wildcard child. */
function routeKey(token: string): string {
  return token === TEMPLATE_WILDCARD || HAS_DIGIT.test(token) ? TEMPLATE_WILDCARD : token;
}

/** Share of positions equal; a masked variable on both sides counts as equal. */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  if (tokens.length === 0) return 1;
  let same = 0;
  for (let i = 0; i < tokens.length; i++) if (template[i] === tokens[i]) same++;
  return same / tokens.length;
}

function hash32(text: string, seed: number, multiplier: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), multiplier);
    h ^= h >>> 15;
  }
  return (h ^ (h >>> 13)) >>> 0;
}

/** 64 bits from two independent 32-bit hashes: ids must not collide across many services. */
function stableId(text: string): string {
  const a = hash32(text, 0x811c9dc5, 0x01000193).toString(16).padStart(8, '0');
  const b = hash32(text, 0x5bd1e995, 0x85ebca6b).toString(16).padStart(8, '0');
  return a + b;
}

function newNode(): TreeNode {
  return { children: new Map(), clusterIds: [] };
}

export class LogTemplateMiner {
  readonly config: LogTemplateMinerConfig;
  private readonly services = new Map<string, ServiceTree>();

  constructor(config: Partial<LogTemplateMinerConfig> = {}) {
    this.config = { ...defaultLogTemplateMinerConfig, ...config };
    if (this.config.depth < 3) throw new RangeError('depth must be at least 3');
    if (this.config.maxChildren < 2) throw new RangeError('maxChildren must be at least 2');
  }

  /** Mines `message`; with `undo`, also the steps that put the miner back as it was (see UndoSteps). */
  add(service: string, message: string, undo?: UndoSteps): TemplateMatch {
    const tree = this.treeOf(service, undo);
    const clock = tree.clock;
    undo?.push(() => {
      tree.clock = clock;
    });
    tree.clock++;
    const tokens = tokenize(message, this.config.maxTokens);
    const found = this.match(tree, tokens);
    if (found) {
      if (undo) {
        const { count, lastUsed } = found;
        const before = [...found.tokens];
        undo.push(() => {
          found.count = count;
          found.lastUsed = lastUsed;
          found.tokens = before;
        });
      }
      found.count++;
      found.lastUsed = tree.clock;
      for (let i = 0; i < tokens.length; i++) {
        if (found.tokens[i] !== tokens[i]) found.tokens[i] = TEMPLATE_WILDCARD;
      }
      return { templateId: found.id, template: found.tokens.join(' '), isNew: false };
    }
    const cluster = this.create(service, tree, tokens, undo);
    return { templateId: cluster.id, template: cluster.tokens.join(' '), isNew: true };
  }

  /** The service's templates, most frequent first. */
  templates(service: string): TemplateSummary[] {
    const tree = this.services.get(service);
    if (!tree) return [];
    return [...tree.clusters.values()]
      .map((c) => ({ templateId: c.id, template: c.tokens.join(' '), count: c.count }))
      .sort((a, b) => b.count - a.count || a.templateId.localeCompare(b.templateId));
  }

  /** One template by id, if the service still has it. */
  template(service: string, templateId: string): TemplateSummary | undefined {
    const cluster = this.services.get(service)?.clusters.get(templateId);
    if (!cluster) return undefined;
    return { templateId, template: cluster.tokens.join(' '), count: cluster.count };
  }

  snapshot(): LogTemplateMinerSnapshot {
    return {
      version: 1,
      config: { ...this.config },
      services: [...this.services].map(([service, tree]) => ({
        service,
        clock: tree.clock,
        clusters: [...tree.clusters.values()].map((c) => ({
          id: c.id,
          template: c.tokens.join(' '),
          count: c.count,
          lastUsed: c.lastUsed,
        })),
        tree: nodeToJson(tree.root),
      })),
    };
  }

  static restore(snapshot: LogTemplateMinerSnapshot): LogTemplateMiner {
    if (snapshot.version !== 1)
      throw new Error(`unknown log template miner snapshot version ${String(snapshot.version)}`);
    const miner = new LogTemplateMiner(snapshot.config);
    for (const saved of snapshot.services) {
      const clusters = new Map<string, Cluster>();
      for (const c of saved.clusters) {
        const tokens = c.template === '' ? [] : c.template.split(' ');
        clusters.set(c.id, { id: c.id, tokens, count: c.count, lastUsed: c.lastUsed });
      }
      const leafOf = new Map<string, TreeNode>();
      const root = nodeFromJson(saved.tree, leafOf);
      miner.services.set(saved.service, { root, clusters, leafOf, clock: saved.clock });
    }
    return miner;
  }

  private treeOf(service: string, undo?: UndoSteps): ServiceTree {
    let tree = this.services.get(service);
    if (!tree) {
      tree = { root: newNode(), clusters: new Map(), leafOf: new Map(), clock: 0 };
      this.services.set(service, tree);
      undo?.push(() => this.services.delete(service));
    }
    return tree;
  }

  /** The most similar cluster in the message's leaf, if similar enough (ties: the more general). */
  private match(tree: ServiceTree, tokens: readonly string[]): Cluster | undefined {
    const leaf = this.findLeaf(tree.root, tokens);
    if (!leaf) return undefined;
    let best: Cluster | undefined;
    let bestSimilarity = -1;
    let bestWildcards = -1;
    for (const id of leaf.clusterIds) {
      const cluster = tree.clusters.get(id);
      if (!cluster) continue;
      const score = similarity(cluster.tokens, tokens);
      const wildcards = cluster.tokens.reduce((n, t) => n + (t === TEMPLATE_WILDCARD ? 1 : 0), 0);
      if (score > bestSimilarity || (score === bestSimilarity && wildcards > bestWildcards)) {
        best = cluster;
        bestSimilarity = score;
        bestWildcards = wildcards;
      }
    }
    return bestSimilarity >= this.config.similarityThreshold ? best : undefined;
  }

  private findLeaf(root: TreeNode, tokens: readonly string[]): TreeNode | undefined {
    let node = root.children.get(String(tokens.length));
    const layers = Math.min(this.config.depth - 2, tokens.length);
    for (let i = 0; i < layers && node; i++) {
      node = node.children.get(routeKey(tokens[i])) ?? node.children.get(TEMPLATE_WILDCARD);
    }
    return node;
  }

  /** The leaf for a new cluster, growing the path; a full node sends unseen tokens to its wildcard child. */
  private growLeaf(root: TreeNode, tokens: readonly string[], undo?: UndoSteps): TreeNode {
    let node = childOf(root, String(tokens.length), undo);
    const layers = Math.min(this.config.depth - 2, tokens.length);
    for (let i = 0; i < layers; i++) {
      const key = routeKey(tokens[i]);
      // One slot stays free for the wildcard child, so a full node can still take new tokens.
      const room = node.children.has(key) || node.children.size < this.config.maxChildren - 1;
      node = childOf(node, room ? key : TEMPLATE_WILDCARD, undo);
    }
    return node;
  }

  private create(service: string, tree: ServiceTree, tokens: string[], undo?: UndoSteps): Cluster {
    const template = tokens.join(' ');
    let id = stableId(`${service}\n${template}`);
    // The same first form can recur once its first cluster has generalised beyond matching it.
    for (let n = 1; tree.clusters.has(id); n++) id = stableId(`${service}\n${template}\n${n}`);
    const cluster: Cluster = { id, tokens: [...tokens], count: 1, lastUsed: tree.clock };
    const leaf = this.growLeaf(tree.root, tokens, undo);
    if (undo) {
      const before = [...leaf.clusterIds];
      undo.push(() => {
        leaf.clusterIds = before;
        tree.clusters.delete(id);
        tree.leafOf.delete(id);
      });
    }
    leaf.clusterIds.push(id);
    tree.clusters.set(id, cluster);
    tree.leafOf.set(id, leaf);
    if (tree.clusters.size > this.config.maxClustersPerService) this.evictOldest(tree, id, undo);
    return cluster;
  }

  private evictOldest(tree: ServiceTree, keep: string, undo?: UndoSteps): void {
    let oldest: Cluster | undefined;
    for (const cluster of tree.clusters.values()) {
      if (cluster.id !== keep && (!oldest || cluster.lastUsed < oldest.lastUsed)) oldest = cluster;
    }
    if (!oldest) return;
    const leaf = tree.leafOf.get(oldest.id);
    if (undo) {
      // A copy of the map, so the clusters' order comes back too: only when a new template evicts.
      const clusters = new Map(tree.clusters);
      const clusterIds = leaf?.clusterIds;
      const evicted = oldest.id;
      undo.push(() => {
        tree.clusters = clusters;
        if (!leaf || !clusterIds) return;
        leaf.clusterIds = clusterIds;
        tree.leafOf.set(evicted, leaf);
      });
    }
    if (leaf) leaf.clusterIds = leaf.clusterIds.filter((id) => id !== oldest.id);
    tree.clusters.delete(oldest.id);
    tree.leafOf.delete(oldest.id);
  }
}

function childOf(node: TreeNode, key: string, undo?: UndoSteps): TreeNode {
  let child = node.children.get(key);
  if (!child) {
    child = newNode();
    node.children.set(key, child);
    undo?.push(() => node.children.delete(key));
  }
  return child;
}

function nodeToJson(node: TreeNode): TreeNodeJson {
  const json: TreeNodeJson = {};
  if (node.children.size > 0) {
    json.children = [...node.children].map(([key, child]) => [key, nodeToJson(child)]);
  }
  if (node.clusterIds.length > 0) json.clusterIds = [...node.clusterIds];
  return json;
}

function nodeFromJson(json: TreeNodeJson, leafOf: Map<string, TreeNode>): TreeNode {
  const node = newNode();
  for (const [key, child] of json.children ?? [])
    node.children.set(key, nodeFromJson(child, leafOf));
  node.clusterIds = [...(json.clusterIds ?? [])];
  for (const id of node.clusterIds) leafOf.set(id, node);
  return node;
}
