import type { ReceiverOptions } from './server.js';

/** Parent → child. The secret travels here, never on the command line. */
export type ToChild = { type: 'start'; options: ReceiverOptions } | { type: 'close' };

/** Child → parent. */
export type FromChild =
  | { type: 'listening'; url: string; origin: string; port: number }
  | { type: 'error'; message: string; hint?: string; userError: boolean };
