import { ContextValidationError } from '../errors/errors';
import type { FileContentPart } from './messages';

/** The three ways to give a file, with the field each is sent as. */
const SOURCES = [
  ['fileId', 'file_id'],
  ['fileUrl', 'file_url'],
  ['fileData', 'file_data'],
] as const;

/** A file part's one source, as the API names it, and its name; throws `ContextValidationError` naming the part (pure). */
export function fileSource(part: FileContentPart, path: string): { readonly source: { readonly field: 'file_id' | 'file_url' | 'file_data'; readonly value: string }; readonly filename: string | undefined } {
  const given = SOURCES.filter(([key]) => part[key] !== undefined);
  if (given.length !== 1 || typeof part[given[0]![0]] !== 'string' || !part[given[0]![0]]) {
    throw new ContextValidationError(path, 'a file part needs exactly one of fileId, fileUrl or fileData, as a non-empty string');
  }
  if (part.filename !== undefined && typeof part.filename !== 'string') throw new ContextValidationError(`${path}.filename`, 'a string');
  const [key, field] = given[0]!;
  return { source: { field, value: part[key]! }, filename: part.filename };
}
