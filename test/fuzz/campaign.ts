// Runs generated requests against the running services: every answer is checked, a failure shrinks to a minimal
// request printed with the seed, and failures already known (listed by the test) are counted instead.
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { logger } from '@orgapi/shared';
import { problemsWith } from './answer-checks';
import { describeAnswer, describeRequest, exchange, type Answer, type RawRequest } from './exchange';

/** A request that went wrong, as a known-failure signature sees it. */
export interface Failure {
  target: string;
  request: RawRequest;
  answer: Answer;
  problems: string[];
  /** What the services logged at error level meanwhile. */
  logged: string[];
}

/** A failure that belongs to an open finding, fixed elsewhere: its signature lets only that failure through. */
export interface KnownFailure {
  finding: string;
  matches(failure: Failure): boolean;
}

/** A request that brings a service down on a branch where an open finding is not fixed yet: it is not sent there. */
export interface KnownCrash {
  finding: string;
  matches(exchange: Exchange): boolean;
}

/** A request and the service it goes to. */
export interface Exchange {
  target: string;
  request: RawRequest;
}

const messageOf = (args: unknown[]): string => {
  const [first, second] = args;
  const err = (first as { err?: { message?: string } } | null)?.err;
  return [typeof first === 'string' ? first : second, err?.message].filter(Boolean).join(': ');
};

/** A failure's kind, for grouping a survey: where it happened and what went wrong, without the values. */
const kindOf = (target: string, problems: string[]) => `${target}: ${problems.map((p) => p.replace(/"[^"]*"|\d+/g, '…')).join('; ')}`;

export class Campaign {
  private readonly logged: string[] = [];
  /**
   * In a survey (FUZZ_SURVEY=1) no failure stops the run: each kind of failure is counted, with its smallest
   * request, and listed at the end. For finding out what a branch still gets wrong, all at once.
   */
  readonly survey = new Map<string, { count: number; example: string; size: number }>();
  /** How often each known failure was met, by finding. */
  readonly met = new Map<string, number>();
  private readonly restore: (() => void)[] = [];

  constructor(
    /** Each target's origin, `http://127.0.0.1:port`. */
    private readonly origins: Record<string, string>,
    readonly seed: number,
    private readonly known: KnownFailure[],
    private readonly crashes: KnownCrash[] = [],
    private readonly surveying = false,
  ) {
    // The services run in this process: what they log at error level is a fault of the request that caused it.
    for (const level of ['error', 'fatal'] as const) {
      const spy = jest.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
        this.logged.push(messageOf(args));
      }) as never);
      this.restore.push(() => spy.mockRestore());
    }
  }

  stop(): void {
    for (const restore of this.restore) restore();
  }

  /** Sends one request and throws, describing it, if the answer is wrong in a way no known failure explains. */
  async check({ target, request }: Exchange): Promise<void> {
    const crash = this.crashes.find((k) => k.matches({ target, request }));
    if (crash) {
      this.met.set(crash.finding, (this.met.get(crash.finding) ?? 0) + 1);
      return;
    }
    // A request that kills the process leaves no report: FUZZ_TRACE=<file> records each one before it is sent.
    if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `${new Date().toISOString()} ${describeRequest(target, request)}\n`);
    const before = this.logged.length;
    const answer = await exchange(this.origins[target], request);
    // node:http refuses to send some header values; such a request is not one a client can make.
    fc.pre(answer !== null);
    const logged = this.logged.slice(before);
    const problems = [...problemsWith(request, answer), ...logged.map((message) => `logged at error level: ${message}`)];
    if (problems.length === 0) return;
    const known = this.known.find((k) => k.matches({ target, request, answer, problems, logged }));
    if (known) {
      this.met.set(known.finding, (this.met.get(known.finding) ?? 0) + 1);
      return;
    }
    const indented = (text: string) => text.replace(/^/gm, '  ');
    const description = [...problems.map((problem) => `  - ${problem}`), 'request:', indented(describeRequest(target, request)), `answer: ${describeAnswer(answer)}`].join('\n');
    if (!this.surveying) throw new Error(description);
    const kind = kindOf(target, problems);
    const size = describeRequest(target, request).length;
    const seen = this.survey.get(kind);
    if (!seen) this.survey.set(kind, { count: 1, example: description, size });
    else this.survey.set(kind, { count: seen.count + 1, example: size < seen.size ? description : seen.example, size: Math.min(size, seen.size) });
  }

  /** The survey's findings, most frequent first. */
  surveyReport(): string {
    return [...this.survey]
      .sort(([, a], [, b]) => b.count - a.count)
      .map(([kind, { count, example }]) => `■ ${count} × ${kind}\n${example}`)
      .join('\n\n');
  }

  /**
   * Checks `numRuns` requests drawn from `requests` with this campaign's seed (offset per property, so that each
   * draws its own sequence); on failure, fast-check shrinks the request and the error shows the smallest one.
   */
  async run(name: string, requests: fc.Arbitrary<Exchange>, numRuns: number, seedOffset: number): Promise<void> {
    const seed = this.seed + seedOffset;
    await fc.assert(
      fc.asyncProperty(requests, (sent) => this.check(sent)),
      {
        seed,
        numRuns,
        // Shrinking sends requests too: bound it, and report the smallest failure found by then.
        interruptAfterTimeLimit: 90_000,
        asyncReporter: async (details) => {
          if (details.interrupted && !details.failed) console.warn(`Fuzz (${name}) ran out of time after ${details.numRuns} of ${numRuns} requests.`);
          if (!details.failed) return;
          const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          throw new Error(
            `Fuzz (${name}) found a wrong answer after ${details.numRuns} requests, shrunk ${details.numShrinks} times.\n` +
              `Seed ${seed} (FUZZ_SEED=${this.seed} reproduces it; fast-check path "${details.counterexamplePath}").\n${error}`,
          );
        },
      },
    );
  }
}
