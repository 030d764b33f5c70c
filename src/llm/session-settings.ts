/** One service's part of a session: the deltas its frames brought, and what they made of the service's settings last. */
interface SessionEntry {
  readonly deltas: unknown[];
  base: unknown;
  merged: unknown;
}

/**
 * One pipeline's own settings (a subscription of `operator()`: a session): the deltas its `LLMUpdateSettingsFrame`s
 * brought, per service, merged over that service's settings at each request. Sessions of one service share nothing
 * else: the service's settings are the base each starts from.
 */
export class SessionSettings {
  private readonly entries = new Map<object, SessionEntry>();

  /** The settings `owner`'s requests use in this session: `base` with the session's deltas over it (cached per base). */
  settingsOver<T>(owner: object, base: T, merge: (current: T, delta: unknown) => T): T {
    const entry = this.entries.get(owner);
    if (!entry) return base;
    if (entry.base !== base) {
      entry.base = base;
      entry.merged = entry.deltas.reduce<T>((current, delta) => merge(current, delta), base);
    }
    return entry.merged as T;
  }

  /** Adds a validated delta of `owner`'s. */
  add(owner: object, delta: unknown): void {
    const entry = this.entries.get(owner);
    if (entry) {
      entry.deltas.push(delta);
      entry.base = undefined;
    } else this.entries.set(owner, { deltas: [delta], base: undefined, merged: undefined });
  }
}
