/** What every contender offers the worker that hosts it. */
export interface ContenderOptions {
  /** Where to send (the target's hook URL). */
  url: string;
  connections: number;
  seconds: number;
}

/** What a contender says about its own run (for the record: the figures come from the target). */
export interface ContenderReport {
  /** Requests the tool itself counted as answered. */
  selfCount: number;
  /** Answers that were not 2xx, and errors, as the tool saw them. */
  failures: number;
}

export interface Contender {
  run(o: ContenderOptions): Promise<ContenderReport>;
}
