/**
 * `instanceof` across copies of this package. An app can load two (the ES module build through `import`, the CommonJS
 * build through a dependency's `require`); each has its own classes, so a frame made by one would not be an instance of
 * the other's class. A shared class marks its prototype with a key every copy derives alike, and answers `instanceof`
 * for a value that is an instance, or carries its mark.
 */

/** Where a shared class keeps its mark (a static own property). */
const MARK = Symbol.for('rx-responses@0:mark');

/** The mark of a class shared under `name`: the same symbol in every copy of the package. */
function markOf(name: string): symbol {
  return Symbol.for(`rx-responses@0:${name}`);
}

/** A class, as far as sharing it goes. */
interface AnyClass {
  readonly prototype: object;
}

/** Answers `value instanceof this` for a shared class and its subclasses (a subclass not shared itself: natively). */
function hasInstance(this: AnyClass & { readonly [MARK]?: symbol }, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  const mark = Object.prototype.hasOwnProperty.call(this, MARK) ? this[MARK] : undefined;
  return mark !== undefined && typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true;
}

/**
 * Shares each class under its key (the name it is exported as): its instances from any copy of the package pass
 * `instanceof` it, in every copy.
 * @example shareClasses({ LLMTextFrame, LLMRefusalFrame });
 */
export function shareClasses(classes: Readonly<Record<string, AnyClass>>): void {
  for (const [name, Class] of Object.entries(classes)) {
    const mark = markOf(name);
    Object.defineProperty(Class.prototype, mark, { value: true });
    Object.defineProperty(Class, MARK, { value: mark });
    Object.defineProperty(Class, Symbol.hasInstance, { value: hasInstance });
  }
}
