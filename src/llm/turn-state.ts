import type { Observable } from 'rxjs';
import type { CallLedger } from './function-calls/call-ledger';
import type { ResponseRecord } from './response-record';
import type { SessionSettings } from './session-settings';

/**
 * One turn as its pipeline tracks it. `open` has one writer, the response bracket (true at Start, false at End); the
 * pipeline's router reads it when it cancels the turn, to close what the turn left open.
 */
export interface TurnState {
  /** Whether Start went out without its End. */
  open: boolean;
  /** The record of the response that opened last (written with `open`): what a cut-off answer's End names. */
  response: ResponseRecord | undefined;
  /** The pipeline's calls not ended (they outlive turns when their handlers survive interruption). */
  readonly calls: CallLedger;
  /** The pipeline's own settings deltas, merged over the service's at each request. */
  readonly session: SessionSettings;
  /** Completes when the turn's last request is released (written by the turn, read by the router for the next turn). */
  released$: Observable<never> | undefined;
}
