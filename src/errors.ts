/**
 * An error the user can cause (bad flag, unreadable file, unwritable output): printed as its message
 * and hint, with no stack trace, and mapped to an exit code. Anything else is a bug and crashes loudly.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
