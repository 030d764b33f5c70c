/**
 * Property: `Utf8Chunks` gives the text `TextDecoder` gives the whole body, however the body is cut, for any bytes
 * (valid UTF-8 or not): characters cut by a chunk's end, stray continuation bytes, truncated sequences, byte-order marks.
 */
import fc from 'fast-check';
import { Utf8Chunks } from '../../src/services/openai/utf8-chunks';

const BOM = [0xef, 0xbb, 0xbf];

/** The body cut at the given offsets (sorted, within it), decoded chunk by chunk. */
function decodeInChunks(body: Uint8Array, offsets: readonly number[]): string {
  const cuts = [...new Set(offsets.map((offset) => offset % (body.length + 1)))].sort((a, b) => a - b);
  const chunks = new Utf8Chunks();
  let text = '';
  let start = 0;
  for (const cut of [...cuts, body.length]) {
    text += chunks.decode(body.subarray(start, cut));
    start = cut;
  }
  return text + chunks.end();
}

/** Bytes that are mostly UTF-8 lead and continuation bytes, marks and ASCII: where cuts go wrong. */
const awkwardBytes = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc2, 0xe0, 0xe2, 0xed, 0xf0, 0xf4, 0xf8, 0xff, 0x0a)),
  { maxLength: 64 },
);

describe('Utf8Chunks', () => {
  it('decodes any bytes, cut anywhere, as TextDecoder decodes them whole', () => {
    fc.assert(
      fc.property(fc.boolean(), awkwardBytes, fc.array(fc.nat(), { maxLength: 12 }), (bom, bytes, offsets) => {
        const body = Uint8Array.from(bom ? [...BOM, ...bytes] : bytes);
        expect(decodeInChunks(body, offsets)).toBe(new TextDecoder().decode(body));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives back any text, cut anywhere (a mark in the middle kept)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (text, offsets) => {
        const middle = `a${text}\uFEFF${text}`;
        expect(decodeInChunks(new TextEncoder().encode(middle), offsets)).toBe(middle);
      }),
      { numRuns: 1000 },
    );
  });

  it('drops the stream’s leading byte-order mark, even cut into single bytes', () => {
    const body = Uint8Array.from([...BOM, 0x65, 0xe2, 0x82, 0xac]);
    expect(decodeInChunks(body, [1, 2, 3, 5, 6])).toBe('e€');
  });

  it('ends a character still cut off at the end as U+FFFD', () => {
    const chunks = new Utf8Chunks();
    expect(chunks.decode(Uint8Array.from([0x41, 0xe2, 0x82]))).toBe('A');
    expect(chunks.end()).toBe('\uFFFD');
  });
});
