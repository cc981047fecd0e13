/** A probe failed (unreachable, an error answer, no count): the check cannot judge side effects. */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

/** One way of reading an event's side-effect count (an HTTP endpoint, a shell command). */
export interface CountReader {
  /** What it reads, for messages (an HTTP probe's query string is left out). */
  readonly label: string;
  /** The count now; throws ProbeError when it cannot be read. */
  read(eventId: string): Promise<number>;
  close(): Promise<void>;
}
