import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { LoggerService } from '@nestjs/common';
import type {
  CompletionBackend,
  CompletionResult,
  GenerationPlan,
  OutputConstraint,
} from './chat-generator';
import { GatewayError } from './gateway-error';
import type { ChatMessage } from './openai-wire';
import { formatTranscript, toChatHistory, TRANSCRIPT_STOP_TRIGGERS } from './prompt-format';

type Nlc = typeof NodeLlamaCpp;
type LlamaText = NodeLlamaCpp.LlamaText;

/**
 * node-llama-cpp is ESM only with top-level await, which `require` cannot load; the apps run as
 * CommonJS (ts-node/swc rewrites `import()` to `require`), so the import goes through Function.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

export interface LlamaBackendOptions {
  modelPath: string;
  modelId: string;
  threads: number;
  contextSize: number;
}

interface RenderedPrompt {
  input: string | LlamaText;
  /** The template's end-of-turn marks, or the transcript's next-speaker lines. */
  stops: readonly (string | LlamaText)[];
}

/**
 * Grammars are compiled per schema, and a compiled one holds native memory. A runbook schema names
 * its incident's services, so a grammar serves one incident's attempts and retries, rarely
 * another's: a few cover the incidents drafted for at once. With a new schema per request, 32 kept
 * about 35 MiB more than 6 do, and filled only over an hour of incidents (bench:soak); compiling
 * one takes a small part of a draft.
 */
const GRAMMAR_CACHE_SIZE = 6;

/** A GGUF model on the CPU through node-llama-cpp, one sequence, one generation at a time. */
export class LlamaBackend implements CompletionBackend {
  private readonly grammars = new Map<string, NodeLlamaCpp.LlamaGrammar>();

  private constructor(
    private readonly llama: NodeLlamaCpp.Llama,
    private readonly model: NodeLlamaCpp.LlamaModel,
    private readonly completion: NodeLlamaCpp.LlamaCompletion,
    private readonly chatWrapper: NodeLlamaCpp.ChatWrapper | undefined,
    readonly modelId: string,
    readonly contextSize: number,
  ) {}

  static async load(options: LlamaBackendOptions, logger: LoggerService): Promise<LlamaBackend> {
    const nlc = (await importEsm('node-llama-cpp')) as Nlc;
    // build 'never': use the prebuilt CPU binary from npm, never try to fetch or compile llama.cpp
    const llama = await nlc.getLlama({
      gpu: false,
      build: 'never',
      logLevel: nlc.LlamaLogLevel.error,
    });
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const context = await model.createContext({
      contextSize: options.contextSize,
      threads: options.threads,
      sequences: 1,
    });
    const completion = new nlc.LlamaCompletion({ contextSequence: context.getSequence() });
    const chatWrapper = model.fileInfo.metadata.tokenizer?.chat_template
      ? nlc.resolveChatWrapper(model)
      : undefined;
    logger.log({
      msg: 'chat model loaded',
      model: options.modelId,
      path: options.modelPath,
      contextSize: context.contextSize,
      threads: options.threads,
      promptFormat: chatWrapper ? `chat template (${chatWrapper.wrapperName})` : 'plain transcript',
    });
    return new LlamaBackend(
      llama,
      model,
      completion,
      chatWrapper,
      options.modelId,
      context.contextSize,
    );
  }

  async complete(plan: GenerationPlan, signal: AbortSignal): Promise<CompletionResult> {
    const grammar = await this.grammarFor(plan.output);
    const prompt = this.render(plan.messages);
    const promptTokens = this.countTokens(prompt.input);
    const room = this.contextSize - promptTokens;
    if (room < 1) {
      throw GatewayError.badRequest(
        `messages: the prompt is ${promptTokens} tokens, the context holds ${this.contextSize}`,
        'messages',
      );
    }
    let completionTokens = 0;
    const { response, metadata } = await this.completion.generateCompletionWithMeta(prompt.input, {
      signal,
      grammar,
      maxTokens: Math.min(plan.maxTokens, room),
      temperature: plan.temperature,
      topP: plan.topP,
      seed: plan.seed,
      // a JSON string may well contain "\nUser:"; the grammar ends JSON output by itself
      customStopTriggers: [...(grammar ? [] : prompt.stops), ...plan.stop],
      repeatPenalty: {
        penalty: 1.1,
        frequencyPenalty: plan.frequencyPenalty,
        presencePenalty: plan.presencePenalty,
      },
      // the context fits prompt + budget, so shifting it would only drop the prompt's start
      disableContextShift: true,
      onToken: (tokens) => {
        completionTokens += tokens.length;
      },
    });
    return {
      text: response.trim(),
      promptTokens,
      completionTokens,
      stopReason: metadata.stopReason === 'maxTokens' ? 'max_tokens' : 'end',
    };
  }

  async dispose(): Promise<void> {
    await this.llama.dispose();
  }

  private render(messages: readonly ChatMessage[]): RenderedPrompt {
    if (!this.chatWrapper) {
      return { input: formatTranscript(messages), stops: TRANSCRIPT_STOP_TRIGGERS };
    }
    const state = this.chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) });
    return { input: state.contextText, stops: state.stopGenerationTriggers };
  }

  private countTokens(input: string | LlamaText): number {
    return typeof input === 'string'
      ? this.model.tokenize(input).length
      : input.tokenize(this.model.tokenizer).length;
  }

  private async grammarFor(
    output: OutputConstraint,
  ): Promise<NodeLlamaCpp.LlamaGrammar | undefined> {
    if (output.kind === 'text') return undefined;
    const key = output.kind === 'json' ? 'json' : JSON.stringify(output.schema);
    const cached = this.grammars.get(key);
    if (cached) return cached;
    const grammar = await this.createGrammar(output);
    if (this.grammars.size >= GRAMMAR_CACHE_SIZE) {
      this.grammars.delete(this.grammars.keys().next().value as string);
    }
    this.grammars.set(key, grammar);
    return grammar;
  }

  private async createGrammar(
    output: Exclude<OutputConstraint, { kind: 'text' }>,
  ): Promise<NodeLlamaCpp.LlamaGrammar> {
    // json_object means an object (OpenAI), and this grammar decodes ~2x faster than 'json'
    const schema =
      output.kind === 'json' ? { type: 'object', additionalProperties: true } : output.schema;
    try {
      // the schema comes off the wire: its TypeScript type is only known at run time
      const create = this.llama.createGrammarForJsonSchema.bind(this.llama) as unknown as (
        schema: Record<string, unknown>,
      ) => Promise<NodeLlamaCpp.LlamaGrammar>;
      return await create(schema);
    } catch (error) {
      throw GatewayError.badRequest(
        `response_format.json_schema.schema: cannot be turned into a grammar: ${(error as Error).message}`,
        'response_format',
      );
    }
  }
}
