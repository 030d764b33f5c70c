import type { Observable, SchedulerLike, Subscription, TeardownLogic } from 'rxjs';

/** How a response's request is tried: a deadline for its first output, and retries while no output went out. */
export interface OutputAttempts {
  /** Where the deadline, the waits and the release run (a TestScheduler gives virtual time). */
  readonly scheduler: SchedulerLike;
  /** Each attempt fails unless its first output (reported with `outputStarted`) comes within this many milliseconds. */
  readonly deadlineMs: number | undefined;
  /** The error a missed deadline raises. */
  readonly deadlineError: () => Error;
  /** Milliseconds to wait before trying again after `error` (`retries` made so far), or undefined to give up. */
  readonly retryDelay: (error: unknown, retries: number) => number | undefined;
}

/** What a response's request reports to its bracket. */
export interface RequestObserver<Event> {
  /** One event of the attempt in flight. */
  onEvent(event: Event): void;
  /** The events ended: completed (no failure), or failed with no retry left. */
  onEventsEnded(failure?: unknown): void;
}

/**
 * The request behind one response: its attempts (each with its first-output deadline; a retry while no output went out)
 * and its release (a finished response's events are read to their end, for a bounded time, so the transport keeps its
 * connection). One subscriber per attempt, none per event: a token costs a call, not an Rx hop.
 */
export class ResponseRequest<Event> {
  /** The current attempt's number (retries made: attempt - 1); callbacks of an older attempt are ignored. */
  private attempt = 0;
  /** The attempt's events, its first-output deadline, and the wait before the next attempt. */
  private events: Subscription | undefined;
  private deadline: Subscription | undefined;
  private retryWait: Subscription | undefined;
  /** Whether output went downstream: from then on a failure is final (a retry would repeat frames). */
  private outputSeen = false;
  /** Whether the request is released: its events ended, or were let go. */
  private released = false;
  /** The bounded wait for a finished response's events to end. */
  private releaseWait: Subscription | undefined;
  /** Who waits for the release (a follow-up request), made when the first one asks. */
  private waiters: (() => void)[] | undefined;

  constructor(
    private readonly events$: Observable<Event>,
    private readonly attempts: OutputAttempts,
    private readonly observer: RequestObserver<Event>,
  ) {}

  /** Sends the request (its first attempt). */
  start(): void {
    const number = ++this.attempt;
    const { deadlineMs, scheduler } = this.attempts;
    if (deadlineMs !== undefined && !this.outputSeen) this.deadline = scheduler.schedule(() => this.failed(this.attempts.deadlineError(), number), deadlineMs);
    const events = this.events$.subscribe({
      next: (event) => {
        if (number === this.attempt) this.observer.onEvent(event);
      },
      error: (error: unknown) => this.failed(error ?? new Error('stream failed'), number),
      complete: () => {
        if (number === this.attempt) this.ended();
      },
    });
    // An attempt that ended while it subscribed (a synchronous failure) is let go at once.
    if (number === this.attempt && !this.released) this.events = events;
    else events.unsubscribe();
  }

  /** The attempt in flight failed as its events reported (a failure before any output): tried again like a failed request, or ended. */
  fail(error: unknown): void {
    this.failed(error, this.attempt);
  }

  /** Tries again at once, whatever went out before (an empty answer). */
  retryNow(): void {
    this.deadline?.unsubscribe();
    this.events?.unsubscribe();
    this.start();
  }

  /** The first output went out: no deadline and no retry from now on. */
  outputStarted(): void {
    this.outputSeen = true;
    // Let go of the cancelled deadline: an open session should not hold it for the rest of the response.
    this.deadline?.unsubscribe();
    this.deadline = undefined;
  }

  /** The response finished: its events get `ms` to end before the request is let go (unless they ended already). */
  holdUntilReleased(ms: number): void {
    if (!this.released) this.releaseWait = this.attempts.scheduler.schedule(() => this.letGo(), ms);
  }

  /** Whether a finished response's request is being read to its end. */
  get holding(): boolean {
    return this.releaseWait !== undefined && !this.released;
  }

  /** Lets the request go now: the transport aborts it, or reads the rest of a finished body on its own. */
  letGo(): void {
    this.attempt = -1;
    this.deadline?.unsubscribe();
    this.retryWait?.unsubscribe();
    this.events?.unsubscribe();
    this.release();
  }

  /** Calls `waiter` once the request is released (at once if it is); returns what cancels the wait. */
  whenReleased(waiter: () => void): TeardownLogic {
    if (this.released) return waiter();
    const waiters = (this.waiters ??= []);
    waiters.push(waiter);
    return () => {
      const index = waiters.indexOf(waiter);
      if (index >= 0) waiters.splice(index, 1);
    };
  }

  private failed(error: unknown, number: number): void {
    if (number !== this.attempt) return;
    this.deadline?.unsubscribe();
    this.events?.unsubscribe();
    const delay = this.outputSeen ? undefined : this.attempts.retryDelay(error, number - 1);
    if (delay === undefined) return this.ended(error);
    this.retryWait = this.attempts.scheduler.schedule(() => this.start(), delay);
  }

  private ended(failure?: unknown): void {
    this.attempt = -1;
    this.deadline?.unsubscribe();
    this.observer.onEventsEnded(failure);
    this.release();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.releaseWait?.unsubscribe();
    for (const waiter of this.waiters?.splice(0) ?? []) waiter();
  }
}
