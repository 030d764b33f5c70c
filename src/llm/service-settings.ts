import { BehaviorSubject, type Observable } from 'rxjs';
import type { SessionSettings } from './session-settings';
import type { ResolvedSettingsOf, SettingsDelta, SettingsInput, SettingsModel } from './settings';

/** A warning about settings, given once per service for each `key`. */
export interface SettingsWarning {
  /** What makes two warnings the same one (e.g. the setting, or the setting and the model). */
  readonly key: string;
  /** The warning, without the service's name. */
  readonly message: string;
}

/** What a service's settings need from it: the warnings a delta deserves, where a warning goes, how errors are cleaned. */
export interface SettingsHooks<V> {
  /** Warnings a valid delta deserves, given the merged settings (pure). */
  readonly warningsFor: (delta: SettingsDelta<V>, settings: ResolvedSettingsOf<V>) => readonly SettingsWarning[];
  /** Gives a warning once per key. */
  readonly warnOnce: (key: string, message: string) => void;
  /** Cleans a validation error of credentials before it is thrown. */
  readonly redact: (error: unknown) => unknown;
}

/**
 * A service's settings in force, as a `BehaviorSubject` (each request reads the latest): validated and frozen deltas
 * merged over the defaults. A bad delta throws a `SettingsValidationError` and the old settings stay.
 */
export class ServiceSettings<V> {
  /** The settings in force. */
  private readonly subject: BehaviorSubject<ResolvedSettingsOf<V>>;

  constructor(
    private readonly model: SettingsModel<V>,
    initial: SettingsInput<V>,
    private readonly hooks: SettingsHooks<V>,
  ) {
    const delta = this.parse(initial);
    this.subject = new BehaviorSubject(model.merge(model.defaults, delta));
    this.warnAbout(delta, this.subject.value);
  }

  /** The settings in force now. */
  get value(): ResolvedSettingsOf<V> {
    return this.subject.value;
  }

  /** The settings over time (replays the current value). */
  get value$(): Observable<ResolvedSettingsOf<V>> {
    return this.subject.asObservable();
  }

  /** Merges a delta; throws and keeps the old settings on bad input. */
  update(input: SettingsInput<V>): void {
    const delta = this.parse(input);
    this.subject.next(this.model.merge(this.subject.value, delta));
    this.warnAbout(delta, this.subject.value);
  }

  /** The settings a session's requests use: these, with the session's own deltas merged over them. */
  forSession(session: SessionSettings | undefined): ResolvedSettingsOf<V> {
    return session ? session.settingsOver(this, this.subject.value, (current, delta) => this.model.merge(current, delta as SettingsDelta<V>)) : this.subject.value;
  }

  /** Merges a delta into one session only; throws and keeps the session's settings on bad input. */
  updateSession(session: SessionSettings, input: SettingsInput<V>): void {
    const delta = this.parse(input);
    session.add(this, delta);
    this.warnAbout(delta, this.forSession(session));
  }

  private parse(input: SettingsInput<V>): SettingsDelta<V> {
    try {
      return this.model.parse(input);
    } catch (error) {
      throw this.hooks.redact(error);
    }
  }

  private warnAbout(delta: SettingsDelta<V>, settings: ResolvedSettingsOf<V>): void {
    for (const warning of this.hooks.warningsFor(delta, settings)) this.hooks.warnOnce(warning.key, warning.message);
  }
}
