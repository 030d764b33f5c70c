/**
 * Decodes a body's chunks of UTF-8 as text, a chunk at a time. The same text as `TextDecoder`'s `{ stream: true }` mode,
 * but each call takes the decoder's whole-input path: Node's streaming mode goes through a slower converter (five times
 * slower on an SSE body), and every token pays it. A character cut by a chunk's end waits for the next chunk. A leading
 * byte-order mark is dropped, as an event stream's must be; one later in the body is kept.
 */
export class Utf8Chunks {
  /** Kept as text: the stream's own leading mark is dropped by hand, once. */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The start of a character the last chunk cut off. */
  private carry: Uint8Array | undefined;
  /** Whether text came yet (only the first text can start with the stream's byte-order mark). */
  private started = false;

  /** The text of `chunk`, with the cut character before it; up to the last whole character. */
  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = undefined;
    }
    const cut = cutCharacterStart(bytes);
    if (cut < bytes.length) {
      this.carry = bytes.slice(cut);
      bytes = bytes.subarray(0, cut);
    }
    return this.text(bytes.length > 0 ? this.decoder.decode(bytes) : '');
  }

  /** The body ended: a character still cut off becomes U+FFFD, as the decoder's end of stream makes it. */
  end(): string {
    const carry = this.carry;
    this.carry = undefined;
    return carry ? this.text(this.decoder.decode(carry)) : '';
  }

  private text(text: string): string {
    if (this.started || text === '') return text;
    this.started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/**
 * Where the character the bytes end in starts, when its lead byte says it needs more bytes than are left (else the
 * length). Cutting before a lead byte never changes the text, valid or not: the decoder starts afresh at one.
 */
function cutCharacterStart(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let index = length - 1; index >= 0 && index >= length - 3; index--) {
    const byte = bytes[index]!;
    // A continuation byte (10xxxxxx): its lead is further back.
    if ((byte & 0xc0) === 0x80) continue;
    // 110xxxxx, 1110xxxx, 11110xxx lead 2-, 3- and 4-byte characters; anything else ends no character.
    const needs = byte >= 0xf0 ? (byte < 0xf8 ? 4 : 1) : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length - index < needs ? index : length;
  }
  return length;
}
